import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHOICE_GRACE_MS } from '../../lib/audit/consent-findings';
import type { VisitReport } from '../../lib/audit/visit-report';
import type { ConsentChange, ConsentPlatform } from '../../lib/consent/consent-state';
import {
  amexConsent,
  cnpConsent,
  consentSites,
  runs,
  type ConsentSite,
  type Scenario,
  type StoredChoice,
} from './fixtures/consent-sites';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { amex, cnp } from './fixtures/sites';
import { ROOT } from './support/audit-command';
import { launchChromium } from './support/chromium';
import { askBackground, buildExtension, databaseDump, replyOf, tabOf, type Evaluating } from './support/extension';
import { launchFirefox } from './support/firefox';

/**
 * A person's browser: the extension as installed (answerBanners off), a person browsing the consent fixture sites
 * (docs/e2e-fixtures.md) and answering their banners with their own clicks, or not at all, then following the link to
 * the site's second page. The consent state comes only from the sites' own consent cookies; the findings are those
 * each site promises (`findings` in consent-sites.ts) but for what only an audit's banner engine can see.
 */

const CONSENT_KINDS = [
  'set-before-consent',
  'set-after-refusal',
  'exemption-conditions-not-met',
  'consent-state-unknown',
  'refusal-harder-than-acceptance',
];
/** Only an audit answering the banner counts its clicks: a person's browser never reports it. */
const AUDIT_ONLY = 'refusal-harder-than-acceptance';
const DEADLINE_MS = 45_000;

/** The signal each site's choice is read from; null for AMEX, whose consent cookie is its own format. */
const signalPlatform: Record<ConsentSite['banner'], readonly ConsentPlatform[] | null> = {
  'commanders-act': ['commanders-act'],
  'europ-assistance': null,
  onetrust: ['onetrust'],
  // didomi_token and euconsent-v2 are written together: either may be read first.
  didomi: ['didomi', 'tcf'],
};

/** The buttons a person clicks to refuse or to accept, every layer of the banner. */
const answerPath: Record<ConsentSite['banner'], Record<'refuse' | 'accept', string[]>> = {
  'commanders-act': { refuse: ['#popin_tc_privacy_button'], accept: ['#popin_tc_privacy_button_2'] },
  'europ-assistance': {
    refuse: ['#ea-cookie-customise', '#ea-cookie-refuse-all', '#ea-cookie-save'],
    accept: ['#ea-cookie-accept-all'],
  },
  onetrust: { refuse: ['#onetrust-reject-all-handler'], accept: ['#onetrust-accept-btn-handler'] },
  didomi: { refuse: ['#didomi-notice-disagree-button'], accept: ['#didomi-notice-agree-button'] },
};

/** The banner's first layer, as the person sees it. */
const bannerSelector: Record<ConsentSite['banner'], string> = {
  'commanders-act': '#popin_tc_privacy',
  'europ-assistance': '#ea-cookie-banner',
  onetrust: '#onetrust-banner-sdk',
  didomi: '#didomi-notice',
};

/** What the person chose, as the site's tags read it and as Cookie Lens's timeline should say it. */
const stored: Record<Scenario, StoredChoice> = {
  none: { kind: 'none' },
  refuse: { kind: 'refused' },
  accept: { kind: 'accepted', categories: [] },
};
function chosen(
  site: ConsentSite,
  scenario: Exclude<Scenario, 'none'>,
): Pick<ConsentChange, 'choice'> & {
  platformCategories?: string[];
} {
  if (scenario === 'refuse') return { choice: 'refused' };
  // TrustCommander lists the categories accepted, never "all": which categories a site has is the site's to say.
  if (site.banner === 'commanders-act') return { choice: 'accepted-part', platformCategories: ['1', '2', '3'] };
  return { choice: 'accepted-all' };
}

/** The tag names the site writes before the choice and once it is made (`runs` in consent-sites.ts). */
function tagsWritten(site: ConsentSite, scenario: Scenario): { before: string[]; after: string[] } {
  const choice: StoredChoice =
    scenario === 'accept'
      ? { kind: 'accepted', categories: site.tags.map((t) => t.platformCategory) }
      : stored[scenario];
  return {
    before: site.tags.filter((t) => runs(t, { kind: 'none' })).map((t) => t.name),
    after: site.tags.filter((t) => runs(t, choice)).map((t) => t.name),
  };
}

/** The consent findings of a report, as `kind name` (no name for a finding about the visit as a whole), sorted. */
const consentFindings = (report: VisitReport): string[] =>
  report.findings
    .filter((f) => CONSENT_KINDS.includes(f.kind))
    .map((f) => `${f.kind} ${f.cookie?.name ?? ''}`.trim())
    .sort();

/** What the site promises in a person's browser: its audit findings without those only an audit can see. */
function promised(site: ConsentSite, scenario: Scenario): string[] {
  const findings = site.findings[scenario]
    .filter((f) => f.kind !== AUDIT_ONLY)
    .flatMap((f) => (f.names.length ? f.names.map((n) => `${f.kind} ${n}`) : [f.kind]));
  // No decoder reads AMEX's own cookie: without an engine answering its banner, its state is unknown.
  if (site === amexConsent) findings.push('consent-state-unknown');
  // CNP's home page is the plain fixture: its Matomo cookies, which CNP's catalogue says need consent, come first.
  if (site === cnpConsent) findings.push(...cnpConsent.tags.map((t) => `set-before-consent ${t.name}`));
  return findings.sort();
}

/** Whether the findings are what the site promises: exactly, where its list is complete; at least, where not. */
function findingsAsPromised(site: ConsentSite, scenario: Scenario, found: string[]): boolean {
  const wanted = promised(site, scenario);
  if (site.complete || site === amexConsent) return JSON.stringify(found) === JSON.stringify(wanted);
  // CNP's second page respects the choice: nothing after a refusal, only what its catalogue adds before it.
  return wanted.every((f) => found.includes(f)) && found.every((f) => f.startsWith('set-before-consent'));
}

/** The page's consent timeline: the state the person chose last, and what came before it. */
const choices = (report: VisitReport): ConsentChange[] => report.visit.consent ?? [];

/** A tab as the tests drive it, in either browser. */
interface PersonPage extends Evaluating {
  click(selector: string): Promise<void>;
  /** Clicks a link and waits for the page it leads to to load. */
  follow(selector: string, url: string): Promise<void>;
  close(): Promise<void>;
}

interface PersonBrowser {
  open(url: string): Promise<PersonPage>;
  extensionPage(): Promise<Evaluating & { close(): Promise<void> }>;
  close(): Promise<void>;
}

function playwrightPage(page: Page): PersonPage {
  return {
    evaluate: (fn, arg) => page.evaluate(fn as never, arg),
    click: (selector) => page.click(selector),
    follow: async (selector, url) => {
      await page.click(selector);
      await page.waitForURL(url, { waitUntil: 'load' });
    },
    close: () => page.close(),
  };
}

function puppeteerPage(page: PuppeteerPage): PersonPage {
  return {
    evaluate: (fn, arg) => page.evaluate(fn as never, arg),
    click: (selector) => page.click(selector),
    follow: async (selector) => {
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
    },
    close: () => page.close(),
  };
}

async function openPersonBrowser(browser: 'chromium' | 'firefox', hosts: readonly string[]): Promise<PersonBrowser> {
  if (browser === 'chromium') {
    const chromium = await launchChromium({ extensionPath: buildExtension('chrome'), hosts, auditMode: true });
    return {
      open: async (url) => {
        const page = await chromium.context.newPage();
        await page.goto(url, { waitUntil: 'load' });
        return playwrightPage(page);
      },
      extensionPage: () => chromium.openExtensionPage('popup.html'),
      close: () => chromium.close(),
    };
  }
  const firefox = await launchFirefox({ extensionPath: buildExtension('firefox'), hosts, auditMode: true });
  return {
    open: async (url) => {
      const page = await firefox.browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
      return puppeteerPage(page);
    },
    extensionPage: () => firefox.openExtensionPage('popup.html'),
    close: () => firefox.close(),
  };
}

/** Every cookie in the browser's jars, partitioned ones included, as the extension's cookies API has them. */
const jar = async (ext: Evaluating) =>
  (await ext.evaluate(async () => {
    type Cookie = { name: string; value: string; domain: string; path: string; secure: boolean; storeId: string };
    type Api = { cookies: { getAll(q: unknown): Promise<Cookie[]> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    const api = (g.browser ?? g.chrome)!;
    const partitioned = await api.cookies.getAll({ partitionKey: {} }).catch(() => []);
    return [...(await api.cookies.getAll({})), ...partitioned];
  }, null)) as Array<{ name: string; value: string }>;

/** Empties every jar through the extension's cookies API: a person's earlier choice must not carry over. */
const emptyJar = (ext: Evaluating) =>
  ext.evaluate(async () => {
    type Cookie = {
      name: string;
      domain: string;
      path: string;
      secure: boolean;
      storeId: string;
      partitionKey?: unknown;
    };
    type Api = { cookies: { getAll(q: unknown): Promise<Cookie[]>; remove(d: unknown): Promise<unknown> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    const api = (g.browser ?? g.chrome)!;
    const partitioned = await api.cookies.getAll({ partitionKey: {} }).catch(() => []);
    for (const c of [...(await api.cookies.getAll({})), ...partitioned]) {
      const url = `http${c.secure ? 's' : ''}://${c.domain.replace(/^\./, '')}${c.path}`;
      await api.cookies.remove({
        url,
        name: c.name,
        storeId: c.storeId,
        ...(c.partitionKey ? { partitionKey: c.partitionKey } : {}),
      });
    }
  }, null);

/** The content scripts the background registered: audit mode's page hook and relay, and the banner engine's only if on. */
const registeredScripts = async (ext: Evaluating) =>
  (
    (await ext.evaluate(async () => {
      type Api = { scripting: { getRegisteredContentScripts(): Promise<Array<{ id: string }>> } };
      const g = globalThis as unknown as { browser?: Api; chrome?: Api };
      return (await (g.browser ?? g.chrome)!.scripting.getRegisteredContentScripts()).map((script) => script.id);
    }, null)) as string[]
  ).sort();
const PAGE_HOOK_SCRIPTS = ['cookie-lens-page-hook', 'cookie-lens-page-relay'];

/** Whether the banner's first layer is on screen (laid out, not hidden). */
const bannerShown = async (page: PersonPage, site: ConsentSite) =>
  (await page.evaluate(async (selector) => {
    const banner = document.querySelector(selector as string);
    if (!banner || banner.closest('[hidden]')) return false;
    return getComputedStyle(banner).display !== 'none' && banner.getClientRects().length > 0;
  }, bannerSelector[site.banner])) as boolean;

/** Asks for the tab's report until `done` holds; if it never does, the last report, for the assertions to say why. */
async function reportUntil(
  ext: Evaluating,
  tabId: number,
  done: (report: VisitReport) => boolean,
): Promise<VisitReport> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const report = (await replyOf(ext, { type: 'get-tab-report', tabId })).report;
    if (report && (done(report) || Date.now() > deadline)) return report;
    if (!report && Date.now() > deadline) throw new Error(`tab ${tabId} has no report`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** When the page last wrote a cookie or storage key, as the report has it. */
const lastWriteAt = (report: VisitReport): number =>
  Math.max(0, ...report.items.flatMap((item) => [item.lastWrite.at, ...(item.writes ?? []).map((w) => w.at)]));

const names = (report: VisitReport) => new Set(report.items.map((item) => item.name));

/** The fixture values a visit of the site could meet: tags, session cookie, the plain CNP and AMEX pages' items. */
function fixtureValues(site: ConsentSite): string[] {
  const plain = site === cnpConsent ? cnp : site === amexConsent ? amex : null;
  return [
    ...site.tags.map((t) => t.value),
    ...(site.sessionCookie ? [site.sessionCookie.value] : []),
    ...(plain ? [...plain.cookies, ...plain.storage].map((item) => item.value) : []),
  ];
}

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

for (const browser of ['chromium', 'firefox'] as const) {
  describe(`a person browsing the consent fixture sites in ${browser}, answerBanners off`, () => {
    let person: PersonBrowser;
    let ext: Evaluating & { close(): Promise<void> };
    beforeAll(async () => {
      person = await openPersonBrowser(browser, server.hosts);
      ext = await person.extensionPage();
      // The new sites' catalogues, imported and applied as a person does from the options page.
      for (const site of consentSites.filter((s) => s.catalogue)) {
        const text = readFileSync(`${ROOT}tests/e2e/fixtures/catalogues/${site.catalogue}`, 'utf8');
        const imported = await askBackground(ext, { type: 'import-catalogue', text });
        if (!imported.ok) throw new Error(`${site.catalogue}: ${imported.error}`);
        await replyOf(ext, { type: 'bind-catalogue', site: site.host, catalogueId: imported.id });
      }
    });
    afterAll(async () => {
      await ext?.close();
      await person?.close();
    });

    it('has the banner engine off: its setting is off and its content script not registered', async () => {
      expect((await replyOf(ext, { type: 'get-settings' })).settings.answerBanners).toBe('off');
      expect(await registeredScripts(ext)).toEqual(PAGE_HOOK_SCRIPTS);
    });

    for (const site of consentSites) {
      for (const scenario of ['none', 'refuse', 'accept'] as const) {
        it(`${site.host}, ${scenario}`, { timeout: 3 * DEADLINE_MS }, async () => {
          // Nothing left from an earlier case: no cookie anywhere, the site's storage emptied.
          await emptyJar(ext);
          const cleaner = await person.open(server.url(site.host, site.policyPage ?? '/policy'));
          await cleaner.evaluate(async () => localStorage.clear(), null);
          await cleaner.close();
          await emptyJar(ext);

          const page = await person.open(server.url(site.host));
          try {
            const tabId = await tabOf(ext, `https://${site.host}/*`);
            const platforms = signalPlatform[site.banner];
            const { before, after } = tagsWritten(site, scenario);

            // The home page settled: what it writes before any choice was seen, the banner is up, no choice known.
            const loaded = await reportUntil(ext, tabId, (r) => before.every((n) => names(r).has(n)));
            for (const name of before) expect(names(loaded), name).toContain(name);
            // "No choice yet" is known when the platform's script was seen loading; in Chromium it is sometimes missed
            // on a repeat visit (docs/findings.md): nothing is then said until the choice, never a choice not made.
            if (platforms === null) expect(choices(loaded)).toEqual([]);
            else expect(choices(loaded).filter((c) => c.choice !== 'no-choice')).toEqual([]);
            expect(await bannerShown(page, site)).toBe(true);

            if (scenario !== 'none') {
              // The person reads the banner before answering: the page's writes on load are well before the choice
              // (a write within CHOICE_GRACE_MS of a signal is a moment's doubt, never judged).
              await reportUntil(ext, tabId, (r) => Date.now() > lastWriteAt(r) + CHOICE_GRACE_MS + 500);
              // The person clicks through the banner, as they would.
              for (const selector of answerPath[site.banner][scenario]) await page.click(selector);
              if (platforms !== null) {
                const answered = await reportUntil(
                  ext,
                  tabId,
                  (r) => choices(r).at(-1)?.choice === chosen(site, scenario).choice,
                );
                expect(choices(answered).at(-1)).toMatchObject(chosen(site, scenario));
              }
            }

            const next = server.url(site.host, site.nextPage);
            await page.follow(`a[href="${site.nextPage}"]`, next);
            const report = await reportUntil(
              ext,
              tabId,
              (r) =>
                r.visit.pageUrls.includes(next) &&
                after.every((n) => names(r).has(n)) &&
                findingsAsPromised(site, scenario, consentFindings(r)),
            );
            expect(report.visit.pageUrls).toContain(next);
            for (const name of after) expect(names(report), name).toContain(name);

            // The timeline: "no choice" until the person's choice, read from the site's own signal.
            const timeline = choices(report);
            expect(timeline.filter((c) => c.source.kind === 'banner')).toEqual([]);
            if (platforms === null) expect(timeline).toEqual([]);
            else {
              const made = timeline.findIndex((c) => c.choice !== 'no-choice');
              if (scenario === 'none') expect(made).toBe(-1);
              else {
                expect(made).toBeGreaterThanOrEqual(0);
                const choice = timeline[made]!;
                expect(choice).toMatchObject(chosen(site, scenario));
                expect(choice.source.kind).toBe('signal');
                expect(platforms).toContain((choice.source as { platform: ConsentPlatform }).platform);
                // Once made, the choice stays: the next page reads the same cookies.
                expect(timeline.slice(made).map((c) => c.choice)).toEqual(
                  timeline.slice(made).map(() => chosen(site, scenario).choice),
                );
              }
            }

            // The findings the site promises, each with its evidence of the state at the write.
            const found = consentFindings(report);
            if (site.complete || site === amexConsent) expect(found).toEqual(promised(site, scenario));
            else {
              expect(found).toEqual(expect.arrayContaining(promised(site, scenario)));
              expect(found.filter((f) => !f.startsWith('set-before-consent'))).toEqual([]);
            }
            for (const f of report.findings.filter((f) => f.kind === 'set-before-consent'))
              expect(f.consent?.choice, f.cookie?.name).toBe('no-choice');
            for (const f of report.findings.filter((f) => f.kind === 'set-after-refusal'))
              expect(f.consent?.choice, f.cookie?.name).toBe('refused');
            // The advertising frame's cookie: written by another site, in the news site's page.
            const frameTag = site.tags.find((t) => t.by === 'frame');
            const fromFrame = report.findings.find(
              (f) => f.kind === 'set-after-refusal' && f.cookie?.name === frameTag?.name,
            );
            if (frameTag && scenario === 'refuse')
              expect(fromFrame?.cookie).toMatchObject({
                party: 'third',
                domain: expect.stringContaining(frameTag.frameHost!.split('.').slice(-2).join('.')),
              });

            if (scenario === 'none') {
              // Nobody clicked: the banner is still there on the second page, as it was on the first.
              expect(await bannerShown(page, site)).toBe(true);
            } else {
              expect(await bannerShown(page, site)).toBe(false);
            }
            expect(await registeredScripts(ext)).toEqual(PAGE_HOOK_SCRIPTS);

            // No cookie value in the report nor in what the extension stored, the consent cookies' included.
            const values = [...fixtureValues(site), ...(await jar(ext)).map((c) => c.value)].filter(
              (v) => v.length >= 12,
            );
            const text = JSON.stringify(report);
            const dump = await databaseDump(ext);
            for (const value of values) {
              expect(text).not.toContain(value);
              expect(dump).not.toContain(value);
            }
          } finally {
            await page.close();
          }
        });
      }
    }
  });
}
