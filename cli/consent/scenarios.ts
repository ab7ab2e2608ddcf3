import { refusalIsHarder } from '../../lib/audit/refusal-effort';
import type { VisitReport } from '../../lib/audit/visit-report';
import type { ScenarioName, ScenarioStatus } from '../../lib/consent/scenarios';
import { firstLine, sleep as wait } from '../browsers';
import type { BannerMode, BannerOutcome } from './engine';
import { linksToFollow, type PageLinks } from './links';
import { printedAddress } from '../printed-address';

/**
 * Runs the consent audit's scenarios (lib/consent/scenarios.ts). Each runs in a browser of its own with a fresh
 * profile, so nothing one choice left behind reaches the next. The browsers are given (`openBrowser`), so this runs
 * with fakes in tests.
 */
export { SCENARIOS, type ScenarioName } from '../../lib/consent/scenarios';

/** `none` never clicks: the engine only says whether it recognised a banner. */
export const SCENARIO_BANNER_MODES: Record<ScenarioName, Exclude<BannerMode, 'off'>> = {
  none: 'detect',
  refuse: 'refuse',
  accept: 'accept',
};

/** A browser with a profile of its own, the banner engine reachable through an extension page. */
export interface ScenarioBrowser {
  setBannerMode(mode: BannerMode): Promise<void>;
  openTab(): Promise<ScenarioTab>;
  close(): Promise<void>;
}

export interface ScenarioTab {
  /** Loads `url` in the tab and waits until the network is idle (a busy network is said, not fatal). */
  load(url: string): Promise<void>;
  /** Waits until the network is idle again, after the banner was answered. */
  idle(): Promise<void>;
  bannerOutcome(): Promise<BannerOutcome>;
  /** The tab's current address and its links, in document order. */
  links(): Promise<PageLinks>;
  /** What the extension recorded of the tab's visit, once it has settled. */
  report(): Promise<VisitReport>;
  close(): Promise<void>;
}

export interface ScenarioPlan {
  url: URL;
  scenarios: readonly ScenarioName[];
  /** Same-site links to follow after the banner's outcome. */
  follow: number;
  /** How long the banner engine is given to settle (recognise and answer, or give up). */
  outcomeDeadlineMs: number;
  openBrowser(scenario: ScenarioName): Promise<ScenarioBrowser>;
  say(scenario: ScenarioName, line: string): void;
  /** An error that stops the whole audit (a setup error: a catalogue refused, no browser) instead of one scenario. */
  isFatal?(error: unknown): boolean;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface ScenarioResult {
  name: ScenarioName;
  /** `banner-not-recognised`: refuse or accept found no banner a rule knows, so there was no choice to make. */
  status: ScenarioStatus;
  /** Why it failed, in a line. */
  error: string | null;
  /** The engine's outcome; null when it never settled or the page did not load. */
  banner: BannerOutcome | null;
  /** The links followed after the outcome, loaded in order. */
  followed: string[];
  visit: VisitReport | null;
}

/** The scenarios one after the other (they share the machine's two cores with nothing else of the audit). */
export async function runScenarios(plan: ScenarioPlan): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const name of plan.scenarios) results.push(await runScenario(plan, name));
  return results;
}

export async function runScenario(plan: ScenarioPlan, name: ScenarioName): Promise<ScenarioResult> {
  const say = (line: string) => plan.say(name, line);
  const result: ScenarioResult = { name, status: 'run', error: null, banner: null, followed: [], visit: null };
  let browser: ScenarioBrowser | undefined;
  try {
    browser = await plan.openBrowser(name);
    await browser.setBannerMode(SCENARIO_BANNER_MODES[name]);
    const tab = await browser.openTab();
    try {
      say('loading…');
      await tab.load(plan.url.href);
      result.banner = await settledOutcome(tab, plan, name);
      const verdict = verdictOf(name, result.banner, plan.outcomeDeadlineMs);
      say(verdict.line);
      if (verdict.status !== 'run') return { ...result, status: verdict.status, error: verdict.error };
      if (name !== 'none') await tab.idle();

      const page = await tab.links().catch((error: unknown) => {
        say(`could not read the page's links: ${firstLine(error)}`);
        return null;
      });
      const links = page ? linksToFollow(page.anchors, page.url, plan.follow) : [];
      if (plan.follow > 0) say(followLine(links, plan.follow));
      for (const link of links) {
        try {
          await tab.load(link);
          result.followed.push(link);
        } catch (error) {
          say(`could not load ${printedAddress(link)}: ${firstLine(error)}`);
        }
      }
      result.visit = await tab.report();
      return result;
    } finally {
      await tab.close().catch(() => {});
    }
  } catch (error) {
    if (plan.isFatal?.(error)) throw error;
    say(`not run: ${firstLine(error)}`);
    return { ...result, status: 'failed', error: firstLine(error) };
  } finally {
    await browser?.close().catch(() => {});
  }
}

/** Whether the engine is done with the banner: recognising it is all `none` waits for; refuse and accept, the answer. */
function isSettled(name: ScenarioName, outcome: BannerOutcome): boolean {
  return name === 'none' ? outcome.status !== 'pending' : outcome.status !== 'pending' && outcome.status !== 'detected';
}

/** Polls the engine until it is done with the banner; null when it is still at it at the deadline. */
export async function settledOutcome(
  tab: Pick<ScenarioTab, 'bannerOutcome'>,
  plan: Pick<ScenarioPlan, 'outcomeDeadlineMs' | 'pollMs' | 'sleep' | 'now'>,
  name: ScenarioName,
): Promise<BannerOutcome | null> {
  const now = plan.now ?? Date.now;
  const sleep = plan.sleep ?? wait;
  const deadline = now() + plan.outcomeDeadlineMs;
  for (;;) {
    const outcome = await tab.bannerOutcome();
    if (isSettled(name, outcome)) return outcome;
    if (now() >= deadline) return null;
    await sleep(plan.pollMs ?? 250);
  }
}

/** What an outcome means for a scenario: `none` goes on whatever the engine says, since it clicks nothing anyway. */
export function verdictOf(
  name: ScenarioName,
  outcome: BannerOutcome | null,
  deadlineMs: number,
): { status: ScenarioResult['status']; error: string | null; line: string } {
  const seconds = Math.round(deadlineMs / 1000);
  if (outcome === null) {
    const error = `the banner engine gave no outcome within ${seconds} s`;
    return name === 'none'
      ? { status: 'run', error: null, line: `${error}: going on without knowing whether a banner was shown` }
      : { status: 'failed', error, line: `not run: ${error}` };
  }
  const rule = outcome.rule ?? 'unnamed rule';
  switch (outcome.status) {
    case 'answered':
    case 'detected':
    case 'pending':
      return {
        status: 'run',
        error: null,
        line:
          name === 'none'
            ? `banner recognised (${rule}), left unanswered`
            : `banner ${name === 'refuse' ? 'refused' : 'accepted'} (${rule}, ${clicksText(outcome.clicks)})`,
      };
    case 'not-recognised':
      return name === 'none'
        ? { status: 'run', error: null, line: 'no banner recognised' }
        : {
            status: 'banner-not-recognised',
            error: 'banner not recognised: scenario not run',
            line: 'banner not recognised: scenario not run',
          };
    case 'failed': {
      if (name === 'none') return { status: 'run', error: null, line: `banner recognised (${rule}), left unanswered` };
      const error = `the ${rule} rule recognised the banner but could not ${name} it`;
      return { status: 'failed', error, line: `not run: ${error}` };
    }
  }
}

function clicksText(clicks: number | null): string {
  return clicks === null ? 'clicks not counted' : `${clicks} click${clicks === 1 ? '' : 's'}`;
}

function followLine(links: readonly string[], wanted: number): string {
  if (links.length === 0) return 'no same-site link to follow';
  const few = links.length < wanted ? ` (only ${links.length} of the ${wanted} asked for)` : '';
  return `following ${links.map(printedAddress).join(', ')}${few}`;
}

/** When refusing took more clicks than accepting, on banners both answered: the facts of the finding. */
export function refusalEffort(
  results: readonly ScenarioResult[],
): { rule: string; refuseClicks: number; acceptClicks: number } | null {
  const answered = (name: ScenarioName) =>
    results.find((r) => r.name === name && r.status === 'run' && r.banner?.status === 'answered')?.banner;
  const refuse = answered('refuse');
  const accept = answered('accept');
  if (!refuse || !accept || refuse.clicks === null || accept.clicks === null) return null;
  const effort = { rule: refuse.rule ?? accept.rule ?? '', refuseClicks: refuse.clicks, acceptClicks: accept.clicks };
  return refusalIsHarder(effort) ? effort : null;
}

/** The audit of a URL failed only when every scenario did. */
export function everyScenarioFailed(results: readonly ScenarioResult[]): boolean {
  return results.length > 0 && results.every((result) => result.status !== 'run');
}
