import { describe, expect, it } from 'vitest';
import { cnpVisit } from '../../tests/support/export-visits';
import type { BannerMode, BannerOutcome } from './engine';
import type { Anchor } from './links';
import {
  everyScenarioFailed,
  refusalEffort,
  runScenarios,
  settledOutcome,
  type ScenarioBrowser,
  type ScenarioName,
  type ScenarioPlan,
  type ScenarioResult,
} from './scenarios';

const PAGE = 'https://monespaceclient.cnp.fr/';

const answered = (action: 'opt-out' | 'opt-in', clicks: number): BannerOutcome => ({
  status: 'answered',
  rule: 'Commanders Act',
  action,
  clicks,
  at: 1,
});
const notRecognised: BannerOutcome = { status: 'not-recognised', rule: null, action: null, clicks: null, at: 1 };
const pending: BannerOutcome = { status: 'pending', rule: null, action: null, clicks: null, at: null };

interface FakeSite {
  /** What the engine answers per mode, poll after poll (the last one repeats). */
  outcomes: Partial<Record<BannerMode, BannerOutcome[]>>;
  anchors?: Anchor[];
  /** Addresses whose load fails. */
  broken?: string[];
}

/**
 * Browsers whose profile is a Map: what a scenario's page writes stays in its profile, so a profile reused by the next
 * scenario would show up as a cookie seen before any visit.
 */
function fakeBrowsers(site: FakeSite) {
  const opened: Array<{ scenario: ScenarioName; profile: Map<string, string>; closed: boolean; loads: string[] }> = [];
  const openBrowser = async (scenario: ScenarioName): Promise<ScenarioBrowser> => {
    const state = { scenario, profile: new Map<string, string>(), closed: false, loads: [] as string[] };
    opened.push(state);
    let mode: BannerMode = 'off';
    let polls = 0;
    return {
      setBannerMode: async (m) => void (mode = m),
      openTab: async () => ({
        load: async (url) => {
          if (site.broken?.includes(url)) throw new Error(`net::ERR_CONNECTION_REFUSED at ${url}`);
          state.loads.push(url);
          state.profile.set(`seen-before-${state.loads.length}`, 'x');
        },
        idle: async () => {},
        bannerOutcome: async () => {
          const list = site.outcomes[mode] ?? [notRecognised];
          return list[Math.min(polls++, list.length - 1)]!;
        },
        links: async () => ({ url: state.loads.at(-1) ?? PAGE, anchors: site.anchors ?? [] }),
        report: async () => ({ ...cnpVisit(`visit-${scenario}`), items: [] }),
        close: async () => {},
      }),
      close: async () => void (state.closed = true),
    };
  };
  return { opened, openBrowser };
}

function plan(site: FakeSite, scenarios: ScenarioName[] = ['none', 'refuse', 'accept'], follow = 1) {
  const browsers = fakeBrowsers(site);
  const lines: string[] = [];
  let clock = 0;
  const p: ScenarioPlan = {
    url: new URL(PAGE),
    scenarios,
    follow,
    outcomeDeadlineMs: 30_000,
    openBrowser: browsers.openBrowser,
    say: (scenario, line) => lines.push(`${scenario}: ${line}`),
    pollMs: 250,
    sleep: async (ms) => void (clock += ms),
    now: () => clock,
  };
  return { plan: p, browsers, lines };
}

const banner = {
  detect: [pending, { ...answered('opt-in', 0), status: 'detected' as const, action: null, clicks: null }],
  // Recognising comes before answering: refuse waits for the answer.
  refuse: [
    pending,
    { ...answered('opt-out', 0), status: 'detected' as const, action: null, clicks: null },
    answered('opt-out', 3),
  ],
  accept: [answered('opt-in', 1)],
};
const links: Anchor[] = [
  { href: `${PAGE}#top`, download: false },
  { href: 'mailto:contact@cnp.fr', download: false },
  { href: 'https://www.tagcommander.com/', download: false },
  { href: `${PAGE}deconnexion`, download: false },
  { href: `${PAGE}conditions.pdf`, download: false },
  { href: `${PAGE}contrats`, download: true },
  { href: `${PAGE}policy`, download: false },
  { href: 'https://www.cnp.fr/particuliers', download: false },
];

describe('runScenarios', () => {
  it('runs each scenario in a browser of its own, with a fresh profile, closed before the next one starts', async () => {
    const { plan: p, browsers } = plan({ outcomes: banner, anchors: links });
    const results = await runScenarios(p);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['none', 'run'],
      ['refuse', 'run'],
      ['accept', 'run'],
    ]);
    expect(browsers.opened.map((b) => b.scenario)).toEqual(['none', 'refuse', 'accept']);
    // Each profile holds only what its own scenario's pages wrote: nothing carried over.
    for (const browser of browsers.opened) {
      expect(browser.closed).toBe(true);
      expect([...browser.profile.keys()]).toEqual(['seen-before-1', 'seen-before-2']);
    }
    expect(new Set(browsers.opened.map((b) => b.profile)).size).toBe(3);
    expect(results.map((r) => r.visit?.visit.id)).toEqual(['visit-none', 'visit-refuse', 'visit-accept']);
  });

  it('answers the banner in the mode of each scenario and keeps its outcome', async () => {
    const { plan: p, lines } = plan({ outcomes: banner, anchors: links });
    const results = await runScenarios(p);
    expect(results[1]!.banner).toEqual(answered('opt-out', 3));
    expect(results[2]!.banner).toEqual(answered('opt-in', 1));
    expect(lines).toContain('refuse: banner refused (Commanders Act, 3 clicks)');
    expect(lines).toContain('accept: banner accepted (Commanders Act, 1 click)');
    expect(lines).toContain('none: banner recognised (Commanders Act), left unanswered');
  });

  it('follows same-site pages in document order, skipping the page itself, sign-outs, files and other sites', async () => {
    const { plan: p, browsers, lines } = plan({ outcomes: banner, anchors: links }, ['refuse'], 2);
    const [result] = await runScenarios(p);
    expect(result!.followed).toEqual([`${PAGE}policy`, 'https://www.cnp.fr/particuliers']);
    expect(browsers.opened[0]!.loads).toEqual([PAGE, `${PAGE}policy`, 'https://www.cnp.fr/particuliers']);
    expect(lines).toContain(`refuse: following ${PAGE}policy, https://www.cnp.fr/particuliers`);
  });

  it('says when fewer links than asked for are there, goes on past one that fails to load, and follows none with 0', async () => {
    const few = plan({ outcomes: banner, anchors: links, broken: [`${PAGE}policy`] }, ['accept'], 5);
    const [result] = await runScenarios(few.plan);
    expect(result!.status).toBe('run');
    expect(result!.followed).toEqual(['https://www.cnp.fr/particuliers']);
    expect(few.lines).toContain(
      `accept: following ${PAGE}policy, https://www.cnp.fr/particuliers (only 2 of the 5 asked for)`,
    );
    expect(few.lines.some((line) => line.startsWith(`accept: could not load ${PAGE}policy: net::ERR`))).toBe(true);

    const none = plan({ outcomes: banner, anchors: links }, ['accept'], 0);
    await runScenarios(none.plan);
    expect(none.browsers.opened[0]!.loads).toEqual([PAGE]);
  });

  it('reports a banner no rule recognised as "banner not recognised: scenario not run", for refuse and accept only', async () => {
    const { plan: p, lines } = plan({ outcomes: { detect: [notRecognised] }, anchors: links });
    const results = await runScenarios(p);
    expect(results.map((r) => [r.name, r.status, r.error])).toEqual([
      ['none', 'run', null],
      ['refuse', 'banner-not-recognised', 'banner not recognised: scenario not run'],
      ['accept', 'banner-not-recognised', 'banner not recognised: scenario not run'],
    ]);
    // A scenario not run visits nothing more and has no visit report.
    expect(results[1]!.visit).toBeNull();
    expect(results[1]!.followed).toEqual([]);
    expect(lines).toContain('refuse: banner not recognised: scenario not run');
    expect(everyScenarioFailed(results)).toBe(false);
    expect(everyScenarioFailed(results.slice(1))).toBe(true);
  });

  it('gives up on an engine still pending at the deadline with a clear message, and closes the browser', async () => {
    const { plan: p, browsers } = plan({ outcomes: { refuse: [pending] } }, ['refuse']);
    const [result] = await runScenarios(p);
    expect(result).toMatchObject({
      status: 'failed',
      error: 'the banner engine gave no outcome within 30 s',
      banner: null,
      visit: null,
    });
    expect(browsers.opened[0]!.closed).toBe(true);
  });

  it('fails a scenario whose page does not load, or whose rule could not answer, and the others still run', async () => {
    const broken = plan({ outcomes: banner, broken: [PAGE] }, ['none', 'accept']);
    const results = await runScenarios(broken.plan);
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(results[0]!.error).toMatch(/^net::ERR_CONNECTION_REFUSED/);
    expect(everyScenarioFailed(results)).toBe(true);

    const stuck = plan({
      outcomes: { ...banner, refuse: [{ status: 'failed', rule: 'Didomi', action: 'opt-out', clicks: 2, at: 1 }] },
    });
    const [none, refuse, accept] = await runScenarios(stuck.plan);
    expect(refuse).toMatchObject({
      status: 'failed',
      error: 'the Didomi rule recognised the banner but could not refuse it',
    });
    expect([none!.status, accept!.status]).toEqual(['run', 'run']);
  });
});

describe('settledOutcome', () => {
  it('polls until the engine is no longer pending, and no longer than the deadline', async () => {
    let polls = 0;
    let clock = 0;
    const timing = {
      outcomeDeadlineMs: 1000,
      pollMs: 100,
      sleep: async (ms: number) => void (clock += ms),
      now: () => clock,
    };
    const outcome = await settledOutcome(
      { bannerOutcome: async () => (++polls < 4 ? pending : answered('opt-in', 1)) },
      timing,
      'accept',
    );
    expect([outcome?.status, polls]).toEqual(['answered', 4]);

    polls = 0;
    clock = 0;
    expect(await settledOutcome({ bannerOutcome: async () => (polls++, pending) }, timing, 'none')).toBeNull();
    expect(polls).toBe(11);

    // A banner recognised is all `none` waits for; refuse waits on for the answer.
    const detected = { ...pending, status: 'detected' as const, rule: 'Didomi' };
    polls = 0;
    clock = 0;
    expect(await settledOutcome({ bannerOutcome: async () => (polls++, detected) }, timing, 'none')).toEqual(detected);
    expect(polls).toBe(1);
    expect(await settledOutcome({ bannerOutcome: async () => detected }, timing, 'refuse')).toBeNull();
  });
});

describe('refusalEffort', () => {
  const result = (name: ScenarioName, banner: BannerOutcome | null, status: ScenarioResult['status'] = 'run') => ({
    name,
    status,
    error: null,
    banner,
    followed: [],
    visit: null,
  });

  it('is the rule and both counts when refusing took more clicks than accepting', () => {
    expect(refusalEffort([result('refuse', answered('opt-out', 3)), result('accept', answered('opt-in', 1))])).toEqual({
      rule: 'Commanders Act',
      refuseClicks: 3,
      acceptClicks: 1,
    });
  });

  it('is null when refusing is as easy, or either side was not answered or not counted', () => {
    const accept = result('accept', answered('opt-in', 1));
    expect(refusalEffort([result('refuse', answered('opt-out', 1)), accept])).toBeNull();
    expect(refusalEffort([result('refuse', answered('opt-out', 0)), accept])).toBeNull();
    expect(refusalEffort([result('refuse', { ...answered('opt-out', 3), clicks: null }), accept])).toBeNull();
    expect(refusalEffort([result('refuse', notRecognised, 'banner-not-recognised'), accept])).toBeNull();
    expect(refusalEffort([result('refuse', answered('opt-out', 3))])).toBeNull();
  });
});
