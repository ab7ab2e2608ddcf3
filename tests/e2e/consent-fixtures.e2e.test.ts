import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TCString } from '@iabtcf/core';
import type { Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineConfig } from '../../lib/consent/banner-config';
import { validateCatalogue } from '../../lib/catalogue/schema';
import { consentCatalogue } from './fixtures/consent-catalogues';
import { categoryParagraphs } from './fixtures/consent-pages';
import {
  actu,
  amexConsent,
  cnpConsent,
  consentSites,
  meubles,
  runs,
  voyages,
  type ConsentSite,
  type StoredChoice,
} from './fixtures/consent-sites';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { launchFirefox, type FirefoxSession } from './support/firefox';
import { ROOT } from './support/audit-command';
import { buildExtension } from './support/extension';

// The consent fixture sites against autoconsent itself, in Chromium: the project's rules (lib/consent/banner-rules/)
// and autoconsent's own find each banner, refuse through the refusal path and accept through the acceptance path,
// and the banners write their platform's consent cookies; the sites' tags run as docs/e2e-fixtures.md says.

const require = createRequire(import.meta.url);
const AUTOCONSENT = dirname(require.resolve('@duckduckgo/autoconsent/rules/rules.json'));
const contentScript = readFileSync(join(AUTOCONSENT, '../dist/autoconsent.playwright.js'), 'utf8');
const builtIn = (JSON.parse(readFileSync(join(AUTOCONSENT, 'rules.json'), 'utf8')) as { autoconsent: unknown[] })
  .autoconsent;
const RULES_DIR = join(ROOT, 'lib/consent/banner-rules');
const ours = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(RULES_DIR, f), 'utf8')) as { name: string });

type Message = { type: string; cmp?: string; result?: boolean; scheduleSelfTest?: boolean; details?: { msg?: string } };

/** Runs autoconsent in `page` (every frame, every navigation) with our rules and its own; keeps its messages. */
async function withAutoconsent(page: Page, autoAction: 'optOut' | 'optIn'): Promise<Message[]> {
  const received: Message[] = [];
  await page.exposeBinding(
    'autoconsentSendMessage',
    async ({ frame }, message: Message & { id?: string; code?: string }) => {
      received.push(message);
      const reply = (answer: unknown) =>
        frame.evaluate(`autoconsentReceiveMessage(${JSON.stringify(answer)})`).catch(() => undefined);
      if (message.type === 'init')
        await reply({
          type: 'initResp',
          config: engineConfig(autoAction),
          rules: { autoconsent: [...ours, ...builtIn] },
        });
      if (message.type === 'eval') {
        const result = await frame.evaluate(message.code!).catch(() => false);
        await reply({ type: 'evalResp', id: message.id, result });
      }
      if (message.type === 'autoconsentDone' && received.some((m) => m.scheduleSelfTest))
        await reply({ type: 'selfTest' });
    },
  );
  await page.addInitScript(contentScript);
  return received;
}

/** Polls until `received` holds a message like `like`, with a generous deadline; throws saying what came. */
async function messageLike(received: Message[], like: Partial<Message>, timeoutMs = 30_000): Promise<Message> {
  const deadline = Date.now() + timeoutMs;
  const matches = (m: Message) => Object.entries(like).every(([k, v]) => m[k as keyof Message] === v);
  while (Date.now() < deadline) {
    const found = received.find(matches);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no message like ${JSON.stringify(like)}; received ${JSON.stringify(received)}`);
}

let server: FixtureServer;
let chromium: ChromiumSession;
beforeAll(async () => {
  server = await startFixtureServer();
  chromium = await launchChromium({ extensionPath: buildExtension('chrome'), hosts: server.hosts, auditMode: true });
});
afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

/** A new tab with nothing stored from an earlier test: no cookie, and the site's storage emptied. */
async function freshPage(site: ConsentSite): Promise<Page> {
  await chromium.context.clearCookies();
  const page = await chromium.context.newPage();
  await page.goto(server.url(site.host, site.policyPage ?? '/policy'));
  await page.evaluate(() => localStorage.clear());
  await chromium.context.clearCookies();
  return page;
}

const chromiumCookie = async (name: string) =>
  (await chromium.context.cookies()).find((c) => c.name === name)?.value ?? null;

type CookieValue = (name: string) => Promise<string | null>;

/** What each banner wrote, read as the platform's format says: 'refused', 'accepted', or what it found instead. */
const choiceFound = (site: ConsentSite, jarValue: CookieValue): Promise<string> => choiceIn[site.banner](jarValue);
const choiceIn: Record<ConsentSite['banner'], (jarValue: CookieValue) => Promise<string>> = {
  'commanders-act': async (jarValue) => {
    const privacy = (await jarValue('TC_PRIVACY')) ?? '';
    const center = await jarValue('TC_PRIVACY_CENTER');
    if (/^1@001\|3\|4221@@@\d+,\d+,\d+$/.test(privacy) && center === '') return 'refused';
    if (/^0@001\|3\|4221@1%2C2%2C3@@\d+,\d+,\d+$/.test(privacy) && center === '1%2C2%2C3') return 'accepted';
    return `TC_PRIVACY ${privacy}, TC_PRIVACY_CENTER ${center}`;
  },
  'europ-assistance': async (jarValue) => {
    const saved = JSON.parse(decodeURIComponent((await jarValue('assistanceCookies')) ?? 'null'));
    if (saved?.necessary === true && saved.statistics === false && saved.marketing === false) return 'refused';
    if (saved?.statistics === true && saved.marketing === true) return 'accepted';
    return `assistanceCookies ${JSON.stringify(saved)}`;
  },
  onetrust: async (jarValue) => {
    const consent = new URLSearchParams((await jarValue('OptanonConsent')) ?? '');
    const closed = await jarValue('OptanonAlertBoxClosed');
    if (!closed || Number.isNaN(Date.parse(closed)) || consent.get('interactionCount') !== '1') return 'no choice';
    const groups = consent.get('groups');
    if (groups === 'C0001:1,C0002:0,C0003:0,C0004:0') return 'refused';
    if (groups === 'C0001:1,C0002:1,C0003:1,C0004:1') return 'accepted';
    return `groups ${groups}`;
  },
  didomi: async (jarValue) => {
    const token = JSON.parse(Buffer.from((await jarValue('didomi_token')) ?? '', 'base64url').toString() || 'null');
    const tcf = TCString.decode((await jarValue('euconsent-v2')) ?? '');
    const purposes = [...Array(11).keys()].map((i) => tcf.purposeConsents.has(i + 1));
    if (token?.purposes.enabled.length === 0 && purposes.every((p) => !p)) return 'refused';
    if (token?.purposes.disabled.length === 0 && purposes.every(Boolean)) return 'accepted';
    return `didomi_token ${JSON.stringify(token)}, TCF purposes ${purposes}`;
  },
};

/** The autoconsent rule each banner should be recognised by: ours for the first two, autoconsent's own for the others. */
const expectedRule: Record<ConsentSite['banner'], string> = {
  'commanders-act': 'commanders-act-trustcommander',
  'europ-assistance': 'europ-assistance',
  onetrust: 'Onetrust',
  didomi: 'didomi',
};

describe('autoconsent with the project rules on the consent fixtures (Chromium)', () => {
  for (const site of [cnpConsent, amexConsent, voyages, actu]) {
    it(`${site.host}: ${expectedRule[site.banner]} found, opt-out refuses and passes its self-test`, async () => {
      const page = await freshPage(site);
      const received = await withAutoconsent(page, 'optOut');
      await page.goto(server.url(site.host));
      await messageLike(received, { type: 'popupFound', cmp: expectedRule[site.banner] });
      await messageLike(received, { type: 'optOutResult', result: true });
      await messageLike(received, { type: 'autoconsentDone', cmp: expectedRule[site.banner] });
      expect(await choiceFound(site, chromiumCookie)).toBe('refused');
      await messageLike(received, { type: 'selfTestResult', result: true });
      // One banner, one rule: no other rule claimed it.
      expect(received.filter((m) => m.type === 'cmpDetected').map((m) => m.cmp)).toEqual([expectedRule[site.banner]]);
      await page.close();
    });

    it(`${site.host}: opt-in accepts through the acceptance path`, async () => {
      const page = await freshPage(site);
      const received = await withAutoconsent(page, 'optIn');
      await page.goto(server.url(site.host));
      await messageLike(received, { type: 'optInResult', result: true });
      await messageLike(received, { type: 'autoconsentDone', cmp: expectedRule[site.banner] });
      expect(await choiceFound(site, chromiumCookie)).toBe('accepted');
      await page.close();
    });
  }

  it('the same rules recognise the second OneTrust site, and its refusal is kept on the next page (no banner again)', async () => {
    const page = await freshPage(meubles);
    const received = await withAutoconsent(page, 'optOut');
    await page.goto(server.url(meubles.host));
    await messageLike(received, { type: 'autoconsentDone', cmp: 'Onetrust' });
    await page.goto(server.url(meubles.host, meubles.nextPage));
    await page.waitForFunction(() => (window as unknown as { fixtureConsent?: unknown }).fixtureConsent);
    expect(await page.locator('#onetrust-banner-sdk').count()).toBe(0);
    expect(received.filter((m) => m.type === 'popupFound')).toHaveLength(1);
    await page.close();
  });
});

/** A cookie's value as the page's site (or the frame host's) has it, in Firefox. */
async function firefoxCookie(page: PuppeteerPage, site: ConsentSite, name: string): Promise<string | null> {
  return (await page.cookies(server.url(site.host))).find((c) => c.name === name)?.value ?? null;
}

/** The names a visit leaves: cookies in the jar (any site) and the site's localStorage keys. */
async function namesLeft(page: Page): Promise<string[]> {
  const cookies = (await chromium.context.cookies()).map((c) => c.name);
  const keys = await page.evaluate(() => Object.keys(localStorage));
  return [...cookies, ...keys];
}

/** The buttons a visitor clicks to refuse or to accept, every layer of the banner. */
function answerPath(site: ConsentSite, choice: 'refuse' | 'accept'): string[] {
  const paths: Record<ConsentSite['banner'], Record<'refuse' | 'accept', string[]>> = {
    'commanders-act': { refuse: ['#popin_tc_privacy_button'], accept: ['#popin_tc_privacy_button_2'] },
    'europ-assistance': {
      refuse: ['#ea-cookie-customise', '#ea-cookie-refuse-all', '#ea-cookie-save'],
      accept: ['#ea-cookie-accept-all'],
    },
    onetrust: { refuse: ['#onetrust-reject-all-handler'], accept: ['#onetrust-accept-btn-handler'] },
    didomi: { refuse: ['#didomi-notice-disagree-button'], accept: ['#didomi-notice-agree-button'] },
  };
  return paths[site.banner][choice];
}

describe('what the new consent sites write before the choice, and after it on the next page (Chromium)', () => {
  for (const site of [voyages, meubles, actu]) {
    for (const scenario of ['none', 'refuse', 'accept'] as const) {
      it(`${site.host}, ${scenario}: the tags the site runs are those its gates allow`, async () => {
        const page = await freshPage(site);
        await page.goto(server.url(site.host));
        await page.waitForFunction(() => (window as unknown as { fixtureConsent?: unknown }).fixtureConsent);
        const before = site.tags.filter((t) => runs(t, { kind: 'none' })).map((t) => t.name);
        let after: string[] = [];
        if (scenario !== 'none') {
          for (const selector of answerPath(site, scenario)) await page.click(selector);
          const choice: StoredChoice =
            scenario === 'accept'
              ? { kind: 'accepted', categories: site.tags.map((t) => t.platformCategory) }
              : { kind: 'refused' };
          after = site.tags.filter((t) => runs(t, choice)).map((t) => t.name);
        }
        await page.goto(server.url(site.host, site.nextPage));
        await page.waitForFunction(() => (window as unknown as { fixtureConsent?: unknown }).fixtureConsent);
        const wanted = [...new Set([...before, ...after])].sort();
        await expect
          .poll(async () => (await namesLeft(page)).filter((n) => site.tags.some((t) => t.name === n)).sort(), {
            timeout: 15_000,
          })
          .toEqual(wanted);
        await page.close();
      });
    }
  }

  it('every consent site links its second page from its home page', async () => {
    for (const site of consentSites) {
      const page = await chromium.context.newPage();
      await page.goto(server.url(site.host));
      expect(await page.locator(`a[href="${site.nextPage}"]`).count()).toBe(1);
      await page.close();
    }
  });
});

describe('the same, in Firefox: banners answered by a visitor’s clicks, tags run as their gates allow', () => {
  let firefox: FirefoxSession;
  beforeAll(async () => {
    firefox = await launchFirefox({ extensionPath: buildExtension('firefox'), hosts: server.hosts, auditMode: true });
  });
  afterAll(() => firefox?.close());

  for (const site of [voyages, meubles, actu]) {
    for (const scenario of ['none', 'refuse', 'accept'] as const) {
      it(`${site.host}, ${scenario}`, async () => {
        // A context of its own: a cookie jar and storage of its own.
        const context = await firefox.browser.createBrowserContext();
        const page = await context.newPage();
        await page.goto(server.url(site.host));
        await page.waitForFunction(() => (window as unknown as { fixtureConsent?: unknown }).fixtureConsent);
        let choice: StoredChoice = { kind: 'none' };
        if (scenario !== 'none') {
          for (const selector of answerPath(site, scenario)) await page.click(selector);
          choice =
            scenario === 'accept'
              ? { kind: 'accepted', categories: site.tags.map((t) => t.platformCategory) }
              : { kind: 'refused' };
          expect(await choiceFound(site, (name) => firefoxCookie(page, site, name))).toBe(
            scenario === 'accept' ? 'accepted' : 'refused',
          );
        }
        await page.goto(server.url(site.host, site.nextPage));
        await page.waitForFunction(() => (window as unknown as { fixtureConsent?: unknown }).fixtureConsent);
        const wanted = site.tags
          .filter((t) => runs(t, { kind: 'none' }) || runs(t, choice))
          .map((t) => t.name)
          .sort();
        const frameHosts = site.tags.flatMap((t) => (t.frameHost ? [server.url(t.frameHost)] : []));
        await expect
          .poll(
            async () => {
              const cookies = (await page.cookies(server.url(site.host), ...frameHosts)).map((c) => c.name);
              const keys = (await page.evaluate(() => Object.keys(localStorage))) as string[];
              return [...cookies, ...keys].filter((n) => site.tags.some((t) => t.name === n)).sort();
            },
            { timeout: 15_000 },
          )
          .toEqual(wanted);
        await context.close();
      });
    }
  }
});

describe('the new consent sites’ catalogues and the policy pages they come from', () => {
  for (const site of consentSites.filter((s) => s.catalogue)) {
    it(`${site.catalogue} is a valid catalogue, made from ${site.host}${site.policyPage}`, async () => {
      const file = JSON.parse(readFileSync(join(ROOT, 'tests/e2e/fixtures/catalogues', site.catalogue!), 'utf8'));
      const validation = validateCatalogue(file);
      expect(validation.ok ? [] : validation.issues).toEqual([]);
      expect(file).toEqual(consentCatalogue(site));
      // Every row, and every sentence the consent bases quote, is on the policy page, in its table's category column.
      const page = await chromium.context.newPage();
      await page.goto(server.url(site.host, site.policyPage!));
      const rows = await page.$$eval('tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
      expect(rows).toEqual(site.policy.map((r) => [r.name, r.vendor, r.purpose, r.categoryLabel, r.lifetimeLabel]));
      const text = await page.innerText('body');
      for (const { sentence } of categoryParagraphs(site)) expect(text).toContain(sentence);
      await page.close();
    });
  }
});

describe('the consent findings each new site promises follow from its tags and its policy', () => {
  const THIRTEEN_MONTHS = 13 * 30.436875 * 86_400;
  const needsConsent = (site: ConsentSite, name: string) =>
    site.policy.find((r) => r.name === name)?.consent.basis === 'required';
  for (const site of consentSites.filter((s) => s.complete)) {
    it(site.host, () => {
      const written = (choice: StoredChoice) => site.tags.filter((t) => runs(t, choice)).map((t) => t.name);
      const before = written({ kind: 'none' }).filter((n) => needsConsent(site, n));
      const afterRefusal = written({ kind: 'refused' }).filter((n) => needsConsent(site, n));
      const exemptButNot = site.tags
        .filter((t) => site.policy.find((r) => r.name === t.name)?.consent.basis === 'exempt')
        .filter((t) => t.by === 'frame' || (t.maxAge ?? 0) > THIRTEEN_MONTHS)
        .map((t) => t.name);
      const findings = (scenario: 'none' | 'refuse' | 'accept') =>
        [
          { kind: 'exemption-conditions-not-met', names: exemptButNot },
          // The home page writes before any choice in every scenario: the click comes after its load.
          { kind: 'set-before-consent', names: before },
          { kind: 'set-after-refusal', names: scenario === 'refuse' ? afterRefusal : [] },
        ].filter((f) => f.names.length);
      for (const scenario of ['none', 'refuse', 'accept'] as const) {
        const sort = (list: { kind: string; names: string[] }[]) =>
          list.map((f) => ({ kind: f.kind, names: [...f.names].sort() })).sort((a, b) => a.kind.localeCompare(b.kind));
        expect(sort(site.findings[scenario]), scenario).toEqual(sort(findings(scenario)));
      }
    });
  }
});
