import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { CONSENT_UI } from './fixtures/consent-ui';
import { CNP, cnp, QUANTALYS } from './fixtures/sites';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { askBackground, buildExtension, type Evaluating, reportWhen, tabOf } from './support/extension';
import { launchFirefox, openFirefoxPopup, type FirefoxSession } from './support/firefox';

/**
 * The popup, opened as a page for a tab that visited a fixture site (popup.html?tabId=N), read as a person would:
 * the header, the rows, the findings, the expanded evidence, the empty states. Screenshots for the README go to
 * docs/screenshots/, in English and French (chosen through the language setting) and in both themes.
 */

const SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

/** What Playwright's and Puppeteer's pages both offer. */
interface UiPage extends Evaluating {
  click(selector: string): Promise<void>;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  screenshot(options: { path: string }): Promise<unknown>;
  close(): Promise<void>;
}

interface Shown {
  h1: string;
  site: string;
  stats: Record<string, string>;
  catalogues: string[];
  /** The consent state at the top: its code, its sentence, when and whose word. */
  consent: { state: string | null; headline: string; provenance: string; problems: string[] };
  rows: Array<{ name: string; cells: string[]; badges: string[]; explanations: string[]; expanded: string | null }>;
  text: string;
}

/** Runs in the page: what is on screen, as text. */
const readPopup = async (): Promise<Shown> => {
  const clean = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
  return {
    h1: clean(document.querySelector('h1')),
    site: clean(document.querySelector('h2.site')),
    stats: Object.fromEntries(
      [...document.querySelectorAll('[data-stat]')].map((e) => [e.getAttribute('data-stat'), clean(e)]),
    ),
    catalogues: [...document.querySelectorAll('[data-catalogue]')].map(clean),
    consent: {
      state: document.querySelector('[data-consent-state]')?.getAttribute('data-consent-state') ?? null,
      headline: clean(document.querySelector('[data-consent="headline"]')),
      provenance: clean(document.querySelector('[data-consent="provenance"]')),
      problems: [...document.querySelectorAll('[data-consent="problem"]')].map(clean),
    },
    rows: [...document.querySelectorAll<HTMLElement>('[data-cookie]')].map((row) => ({
      name: row.dataset.cookie!,
      cells: [...row.children].map(clean),
      badges: [...row.querySelectorAll('.badge')].map(clean),
      explanations: [...row.querySelectorAll('.badge')].map((badge) => badge.getAttribute('title') ?? ''),
      expanded: row.querySelector('button[aria-expanded]')?.getAttribute('aria-expanded') ?? null,
    })),
    text: (document.body.innerText ?? '').replace(/[ \t]+/g, ' '),
  };
};

const read = (page: UiPage) => page.evaluate(readPopup as () => Promise<unknown>, null) as Promise<Shown>;

/** Types into an input the way a keystroke does: Svelte's bindings listen for `input`/`change`. */
async function setField(page: UiPage, selector: string, value: string | boolean): Promise<void> {
  await page.evaluate(
    async (arg) => {
      const { selector, value } = arg as { selector: string; value: string | boolean };
      const field = document.querySelector<HTMLInputElement | HTMLSelectElement>(selector)!;
      if (typeof value === 'boolean') (field as HTMLInputElement).checked = value;
      else field.value = value;
      field.dispatchEvent(
        new Event(field instanceof HTMLSelectElement || typeof value === 'boolean' ? 'change' : 'input', {
          bubbles: true,
        }),
      );
    },
    { selector, value },
  );
}

const cnpItems = cnp.cookies.length + cnp.storage.length;
const row = (shown: Shown, name: string) => shown.rows.find((r) => r.name === name)!;

/** CNP's policy applies to the consent site: it declares both Matomo cookies the site sets. */
const bindConsentSite = (ext: Evaluating) =>
  askBackground(ext, { type: 'bind-catalogue', site: CONSENT_UI, catalogueId: 'cnp-monespaceclient' });
const unbindConsentSite = (ext: Evaluating) =>
  askBackground(ext, { type: 'unbind-catalogue', site: CONSENT_UI, catalogueId: 'cnp-monespaceclient' });

/** The consent site's tab, once the visitor has refused on its banner and the site went on regardless. */
async function refusedOnConsentSite(ext: Evaluating, site: { click(selector: string): Promise<void> }) {
  const tabId = await tabOf(ext, `https://${CONSENT_UI}/*`);
  await reportWhen(ext, tabId, (report) => report.items.some((item) => item.name === '_pk_ses.1.c0c0'));
  await site.click('#onetrust-reject-all-handler');
  await reportWhen(
    ext,
    tabId,
    (report) =>
      report.visit.consent?.at(-1)?.choice === 'refused' &&
      report.findings.some((f) => f.kind === 'set-after-refusal' && f.cookie?.name === '_pk_id.1.c0c0'),
  );
  return tabId;
}

/** What a person reads of a refusal that was not respected: the state at the top, the rows' basis and findings. */
async function expectRefusalNotRespected(page: UiPage): Promise<void> {
  const shown = await read(page);
  expect(shown.consent.state).toBe('refused');
  expect(shown.consent.headline).toBe(
    'You refused: 1 cookie that needs consent was set afterwards; 1 cookie that needs consent was set before any choice',
  );
  expect(shown.consent.provenance).toMatch(/^· Chosen on .+ · The site’s consent cookie Optanon\w+ \(OneTrust\)$/);
  const visitorId = row(shown, '_pk_id.1.c0c0');
  expect(visitorId.cells[1]).toMatch(/needs consent \((policy|CNIL rule)\)$/);
  expect(visitorId.badges).toContainEqual(expect.stringMatching(/^High /));
  expect(visitorId.explanations.join(' ')).toMatch(/refus/i);
  const session = row(shown, '_pk_ses.1.c0c0');
  expect(session.badges).toContainEqual(expect.stringMatching(/^High /));
  expect(session.explanations.join(' ')).toMatch(/before|choice|consent/i);
}

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

/** Checks shared by both browsers: the CNP tab's rows and findings, as the English interface shows them. */
async function expectCnpPopup(page: UiPage): Promise<void> {
  const shown = await read(page);
  expect(shown.h1).toBe('Cookie Lens');
  expect(shown.site).toBe(CNP);
  expect(shown.catalogues[0]).toContain('CNP Assurances');
  expect(shown.catalogues[0]).toContain('Read the policy');
  // CNP's banner is there, unanswered: no choice yet, and the cookies that need consent were set all the same.
  expect(shown.consent.state).toBe('no-choice');
  expect(shown.consent.headline).toMatch(
    /^No choice made yet: \d+ cookies that need consent were set before any choice$/,
  );
  // Its vendor script writes a TC_PRIVACY that is not the platform's format: said, and the visit goes on.
  expect(shown.consent.problems).toEqual([
    'The consent cookie TC_PRIVACY (Commanders Act) could not be read: its value is not in the format Commanders Act writes. The consent it records is unknown.',
  ]);
  expect(shown.stats).toMatchObject({ seen: String(cnpItems), declared: String(cnpItems - 2), undeclared: '2' });
  expect(shown.rows.map((r) => r.name).sort()).toEqual(
    [...cnp.cookies.map((c) => c.name), ...cnp.storage.map((s) => s.key)].sort(),
  );

  // Undeclared: said in words, with its finding; third-party ones are high.
  expect(row(shown, '_qtx_uid').cells[1]).toBe('Not in the policy');
  expect(row(shown, '_qtx_uid').badges).toContain('High Undeclared');
  expect(row(shown, 'marketing_id').badges).toEqual(['High Beyond the CNIL’s 13 months', 'Medium Undeclared']);
  // Chromium keeps 400 days of the 2 years asked for; Firefox keeps what is asked.
  expect(row(shown, 'marketing_id').cells[4]).toMatch(
    /^(requested 2 years · stored 400 days|2 years) expires in \d+ months$/,
  );

  // Declared: vendor, category, the policy's own words for purpose and lifetime, beside the real one.
  const aspx = row(shown, '.ASPXANONYMOUS');
  expect(aspx.cells[0]).toBe(`.ASPXANONYMOUS ${QUANTALYS} · third party · set by the server`);
  // Each declared row says whether it needs consent, and whose word that is: CNP's rule for all but the necessary.
  expect(aspx.cells[1]).toBe('Quantalys Functional · needs consent (policy)');
  expect(row(shown, 'JSESSIONID').cells[1]).toBe('CNP Assurances Strictly necessary · exempt (policy)');
  expect(aspx.cells[3]).toBe('30 jours');
  expect(aspx.cells[4]).toBe('69.4 days expires in 2 months');
  expect(aspx.badges[0]).toBe('High Lives longer than declared');
  expect(row(shown, 'JSESSIONID').cells[3]).toBe('session');
  expect(row(shown, 'JSESSIONID').cells[4]).toBe('session');
  expect(row(shown, 'JSESSIONID').badges).toContain('Info Matched by a spelling variant');
  // Within its declared life, but set before the visitor made any choice on CNP's banner: the consent finding is in
  // the row like the others.
  expect(row(shown, 'cookies_INFV_ASTER_home').badges).toEqual(['High Set before any consent choice']);
  expect(row(shown, 'dydu.lastVisit').cells[4]).toBe('until cleared');
  // Declared but not seen, and nothing of any value.
  expect(shown.text).toMatch(/Declared in the policy but not seen \(\d+\)/);
  for (const c of cnp.cookies) expect(shown.text).not.toContain(c.value);
}

describe('chromium', () => {
  let chromium: ChromiumSession;
  let ext: Page;
  let cnpTab: number;

  const openPopup = async (tabId: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 800, height: 600 });
    await page.emulateMedia({ colorScheme });
    await page.goto(`chrome-extension://${chromium.extensionId}/popup.html?tabId=${tabId}`);
    await page.waitForSelector('body[data-complete]');
    return page;
  };
  const setLanguage = (language: 'auto' | 'fr' | 'en') =>
    askBackground(ext, { type: 'put-settings', settings: { language } });

  beforeAll(async () => {
    chromium = await launchChromium({ extensionPath: buildExtension('chrome'), hosts: server.hosts, auditMode: true });
    ext = await chromium.openExtensionPage('popup.html');
    const site = await chromium.context.newPage();
    await site.goto(server.url(CNP));
    cnpTab = await tabOf(ext, `https://${CNP}/*`);
    await reportWhen(ext, cnpTab, (report) => report.items.length >= cnpItems);
  });
  afterAll(() => chromium?.close());

  it('shows each cookie of the tab with its declaration, its real lifetime and its findings', async () => {
    const popup = await openPopup(cnpTab);
    await expectCnpPopup(popup as unknown as UiPage);
    // What the policy declares and the visit did not see, listed once asked for.
    await popup.click('.not-seen summary');
    await popup.waitForSelector('.not-seen li');
    const notSeen = await popup.locator('.not-seen li').allInnerTexts();
    expect(await popup.innerText('.not-seen summary')).toBe(`Declared in the policy but not seen (${notSeen.length})`);
    expect(notSeen.length).toBeGreaterThan(0);
    for (const line of notSeen) expect(line).toMatch(/^\S+ — .+, .+, .+$/);
    await popup.close();
  });

  it('expands a row, by mouse or keyboard, to the evidence: the policy excerpt, who set it, when, attributes, renewals', async () => {
    const popup = await openPopup(cnpTab);
    const button = popup.locator('[data-cookie="_pk_id.1.a1b2"] button.name');
    await button.focus();
    await popup.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    // The evidence is asked of the background when the row opens.
    const details = popup.locator(`#${await button.getAttribute('aria-controls')}`);
    await details.locator('.details').waitFor();
    const text = (await details.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('In the policy');
    expect(text).toMatch(/Declared as _pk_id\.id/);
    expect(text).toMatch(/Matomo|Piwik/i); // the policy's excerpt, as written
    expect(text).toContain('set by a script');
    expect(text).toContain('Secure');
    expect(text).toContain('Renewals');
    expect(text).toContain('Lives longer than declared');
    expect(text).toMatch(/Allowed: 1 month · actual: 393 days/);
    await popup.screenshot({ path: `${SHOTS}popup-details-en.png` });
    await popup.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await popup.close();
  });

  it('groups by category or vendor, filters to findings only and searches by name', async () => {
    const popup = (await openPopup(cnpTab)) as unknown as UiPage;
    const groups = () =>
      popup.evaluate(
        async () => [...document.querySelectorAll('[data-group]')].map((g) => g.getAttribute('data-group')),
        null,
      );
    expect(await groups()).toEqual(expect.arrayContaining(['', 'strictly-necessary', 'audience-measurement']));
    await setField(popup, 'select', 'vendor');
    expect(await groups()).toEqual(expect.arrayContaining(['', 'CNP Assurances', 'Quantalys']));
    await setField(popup, 'input[type=checkbox]', true);
    const withFindings = await read(popup);
    expect(withFindings.rows.every((r) => r.badges.length > 0)).toBe(true);
    expect(withFindings.rows.map((r) => r.name)).not.toContain('ASP.NET_SessionId');
    await setField(popup, 'input[type=checkbox]', false);
    await setField(popup, 'input[type=search]', 'PK_');
    const searched = await read(popup);
    expect(searched.rows.map((r) => r.name).sort()).toEqual(['_pk_id.1.a1b2', '_pk_ses.1.a1b2']);
    expect(searched.text).toContain(`2 of ${cnpItems} shown`);
    await setField(popup, 'input[type=search]', 'nothing-like-this');
    expect((await read(popup)).text).toContain('No cookie matches.');
    await popup.close();
  });

  it('says plainly that no policy applies, and applies one chosen from those installed', async () => {
    const site = await chromium.context.newPage();
    await site.goto(server.url(QUANTALYS, '/frame'));
    const tabId = await tabOf(ext, `https://${QUANTALYS}/*`);
    await reportWhen(ext, tabId, (report) => report.items.length >= 3);
    const popup = await openPopup(tabId);
    let shown = await read(popup as unknown as UiPage);
    expect(shown.text).toContain(`No cookie policy is known for ${QUANTALYS}.`);
    expect(shown.catalogues).toEqual([]);
    // No consent platform on the page: nothing is said to have been respected.
    expect(shown.consent).toEqual({
      state: 'unknown',
      headline: 'Consent state unknown: no consent banner or signal recognised',
      provenance: '',
      problems: [],
    });
    expect(shown.text).toContain('No policy to compare with (3)');
    expect(row(shown, '_qtx_uid').cells[1]).toBe('—');
    expect(row(shown, '_qtx_uid').badges).toEqual([]);
    // The policies that name no site come first: they are waiting to be applied somewhere.
    const options = await popup.locator('.choose select optgroup').first().locator('option').allInnerTexts();
    expect(options).toEqual(
      expect.arrayContaining([
        "L'Assurance Maladie — Charte des cookies",
        expect.stringMatching(/^Europ Assistance France — /),
      ]),
    );
    await popup.screenshot({ path: `${SHOTS}popup-no-policy-en.png` });

    await popup.selectOption('.choose select', 'europ-assistance-extranet-partenaires');
    await popup.click('text=Apply to this site');
    await popup.waitForSelector('[data-catalogue="europ-assistance-extranet-partenaires"]');
    shown = await read(popup as unknown as UiPage);
    expect(shown.catalogues[0]).toContain('Europ Assistance France');
    expect(shown.text).not.toContain('No cookie policy is known');
    // On its own site, the cookie is first-party.
    expect(row(shown, '_qtx_uid').badges).toEqual(['Medium Undeclared']);
    await askBackground(ext, {
      type: 'unbind-catalogue',
      site: QUANTALYS,
      catalogueId: 'europ-assistance-extranet-partenaires',
    });
    await popup.close();
    await site.close();
  });

  it('says so when nothing was observed on the tab', async () => {
    const blank = await chromium.context.newPage();
    const popup = await chromium.openExtensionPage('popup.html');
    const tabId = (await popup.evaluate(async () => {
      const api = (
        globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<Array<{ id: number; url: string }>> } } }
      ).chrome;
      return (await api.tabs.query({})).find((tab) => tab.url === 'about:blank')!.id;
    })) as number;
    await popup.goto(`chrome-extension://${chromium.extensionId}/popup.html?tabId=${tabId}`);
    await popup.waitForSelector('body[data-complete]');
    expect((await read(popup as unknown as UiPage)).text).toContain('Nothing observed on this tab yet.');
    await popup.close();
    await blank.close();
  });

  it('exports the tab’s report as JSON, CSV and HTML, and opens the dashboard', async () => {
    const popup = await openPopup(cnpTab);
    const saved: Record<string, string> = {};
    for (const format of ['JSON', 'CSV', 'HTML']) {
      const [download] = await Promise.all([
        popup.waitForEvent('download', { timeout: 20_000 }),
        popup.click(`.export >> text=${format}`),
      ]).catch(
        // A failed export says why in the popup: show that rather than a timeout.
        async (error: unknown) => {
          throw new Error(
            `no ${format} download (${String(error)}); the popup says: ${await popup.innerText('.export')}`,
          );
        },
      );
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^cookie-lens-${CNP.replaceAll('.', '\\.')}-\\d{4}-\\d\\d-\\d\\d\\.${format.toLowerCase()}$`),
      );
      saved[format] = readFileSync((await download.path())!, 'utf8');
    }
    const json = JSON.parse(saved.JSON!) as {
      cookies: unknown[];
      findings: Array<{ kind: string }>;
      visits: Array<{ consent: Array<{ choice: string }>; consentProblems: unknown[] }>;
    };
    expect(json.cookies).toHaveLength(cnpItems);
    expect(json.findings.map((f) => f.kind)).toContain('undeclared');
    // The visit's consent timeline, and its TC_PRIVACY that is not the platform's format: by name and reason.
    expect(json.visits[0]!.consent.map((change) => change.choice)).toContain('no-choice');
    expect(json.visits[0]!.consentProblems).toEqual([
      {
        platform: 'commanders-act',
        name: 'TC_PRIVACY',
        reason: 'malformed',
        count: expect.any(Number),
        firstAt: expect.any(String),
        lastAt: expect.any(String),
      },
    ]);
    expect(saved.CSV).toContain('marketing_id');
    expect(saved.HTML).toContain('<!DOCTYPE html>');
    expect(saved.HTML).toContain('The consent cookie TC_PRIVACY (Commanders Act) could not be read');
    for (const c of cnp.cookies) expect(Object.values(saved).join('')).not.toContain(c.value);

    const [dashboard] = await Promise.all([chromium.context.waitForEvent('page'), popup.click('text=Open dashboard')]);
    await dashboard.waitForSelector('h2');
    expect(dashboard.url()).toBe(`chrome-extension://${chromium.extensionId}/dashboard.html`);
    await dashboard.close();
    await popup.close();
  });

  it('says at the top whether the visitor’s refusal was respected, with each row’s consent basis and findings', async () => {
    await bindConsentSite(ext);
    try {
      const site = await chromium.context.newPage();
      await site.goto(server.url(CONSENT_UI));
      const tabId = await tabOf(ext, `https://${CONSENT_UI}/*`);
      await reportWhen(ext, tabId, (report) => report.items.some((item) => item.name === '_pk_ses.1.c0c0'));
      const before = await openPopup(tabId);
      expect((await read(before as unknown as UiPage)).consent.headline).toMatch(/^No choice made yet/);
      await before.close();

      await refusedOnConsentSite(ext, site);
      const popup = await openPopup(tabId);
      await expectRefusalNotRespected(popup as unknown as UiPage);
      await popup.screenshot({ path: `${SHOTS}popup-consent-en.png` });
      // Opened, the row gives the finding's evidence: the state at the write, and the basis with its words.
      await popup.click('[data-cookie="_pk_id.1.c0c0"] button.name');
      await popup.waitForSelector('.details-row [data-evidence="consent-state"]');
      const evidence = (await popup.innerText('.details-row')).replace(/\s+/g, ' ');
      expect(evidence).toMatch(
        /Consent state at the write: Refused \(The site’s consent cookie Optanon\w+ \(OneTrust\), \d/,
      );
      expect(evidence).toContain('Consent basis: needs consent (policy)');
      await popup.click('[data-cookie="_pk_id.1.c0c0"] button.name');

      // The visit's page shows how the state changed, whose word each change is.
      const [report] = await Promise.all([chromium.context.waitForEvent('page'), popup.click('text=Full report')]);
      await report.waitForSelector('tr[data-consent-change]');
      const timeline = await report.locator('tr[data-consent-change]').allInnerTexts();
      expect(timeline.at(-1)).toMatch(/Refused.*OneTrust/s);
      expect(timeline.some((change) => /No choice yet/.test(change))).toBe(true);
      await report.close();
      await popup.close();

      await setLanguage('fr');
      const fr = await openPopup(tabId);
      expect((await read(fr as unknown as UiPage)).consent.headline).toBe(
        'Vous avez refusé : 1 cookie soumis au consentement a été déposé ensuite ; 1 cookie soumis au consentement a été déposé avant tout choix',
      );
      await fr.screenshot({ path: `${SHOTS}popup-consent-fr.png` });
      await fr.close();
      await site.close();
    } finally {
      await setLanguage('auto');
      await unbindConsentSite(ext);
    }
  });

  it('shows a thousand cookies at once and stays responsive', async () => {
    const site = await chromium.context.newPage();
    await site.goto(server.url(CNP, '/thousand'));
    const tabId = await tabOf(ext, `https://${CNP}/thousand`);
    await reportWhen(ext, tabId, (report) => report.items.length >= 1000, 30_000);
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 800, height: 600 });
    // What the list showed when its first screen was painted, read the moment the popup marks it.
    await page.addInitScript(() => {
      const screen = () => ({
        rows: [...document.querySelectorAll('[data-cookie]')].map((row) => row.getAttribute('data-cookie')),
        groups: [...document.querySelectorAll('.group')].map((group) => group.textContent),
        count: document.querySelector('.count')?.textContent,
      });
      const mark = performance.mark.bind(performance);
      const seen = window as unknown as { firstScreen?: unknown; listScreen: typeof screen };
      seen.listScreen = screen;
      performance.mark = (name, options) => {
        if (name === 'cookie-lens:list-rendered') seen.firstScreen ??= screen();
        return mark(name, options);
      };
    });
    await page.goto(`chrome-extension://${chromium.extensionId}/popup.html?tabId=${tabId}`);
    await page.waitForSelector('body[data-complete]');
    const popup = page as unknown as UiPage;
    // The jar's CNP cookies from the first visit come along: the page's requests carry them.
    expect((await read(popup)).rows.filter((r) => r.name.startsWith('bulk'))).toHaveLength(1000);
    // The first screen came before the other rows, and was already the top of the whole list, with its counts.
    type Screen = { rows: string[]; groups: string[]; count: string };
    const [first, whole] = (await page.evaluate(() => {
      const seen = window as unknown as { firstScreen: unknown; listScreen: () => unknown };
      return [seen.firstScreen, seen.listScreen()];
    })) as [Screen, Screen];
    expect(first.rows.length).toBeGreaterThanOrEqual(10);
    expect(first.rows.length).toBeLessThan(100);
    expect(first.rows).toEqual(whole.rows.slice(0, first.rows.length));
    expect(first.groups).toEqual(whole.groups.slice(0, first.groups.length));
    expect(first.count).toBe(whole.count);
    expect(whole.count).toMatch(/^1,0\d\d of 1,0\d\d shown$/);
    // The popup first asks for a window's height of rows counted at 40 px or more each (firstScreenRows).
    const heights = (await popup.evaluate(async () => {
      const onScreen = [...document.querySelectorAll('[data-cookie]')]
        .map((row) => row.getBoundingClientRect())
        .filter((box) => box.bottom <= innerHeight);
      return onScreen.map((box) => box.height);
    }, null)) as number[];
    expect(heights.length).toBeGreaterThan(3);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(40);
    const started = Date.now();
    await setField(popup, 'input[type=search]', 'bulk3_h_0');
    const shown = await read(popup);
    expect(shown.rows.map((r) => r.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `bulk3_h_0${i}`));
    expect(Date.now() - started).toBeLessThan(2000);
    await popup.close();
    await site.close();
  });

  it('takes the README’s screenshots, in English and French, light and dark', async () => {
    try {
      for (const language of ['en', 'fr'] as const) {
        await setLanguage(language);
        for (const scheme of ['light', 'dark'] as const) {
          const popup = await openPopup(cnpTab, scheme);
          const shown = await read(popup as unknown as UiPage);
          expect(row(shown, '_qtx_uid').cells[1]).toBe(
            language === 'fr' ? 'Absent de la politique' : 'Not in the policy',
          );
          expect(await popup.getAttribute('html', 'lang')).toBe(language);
          await popup.screenshot({ path: `${SHOTS}popup-${language}${scheme === 'dark' ? '-dark' : ''}.png` });
          await popup.close();
        }
      }
      const popup = await openPopup(cnpTab);
      await popup.click('[data-cookie="marketing_id"] button.name');
      await popup.waitForSelector('.details-row .details');
      expect(await popup.innerText('.details-row')).toContain('Au-delà des 13 mois de la CNIL');
      await popup.screenshot({ path: `${SHOTS}popup-details-fr.png` });
      await popup.close();
    } finally {
      await setLanguage('auto');
    }
  });
});

describe('firefox', () => {
  let firefox: FirefoxSession;
  let ext: UiPage;

  beforeAll(async () => {
    firefox = await launchFirefox({ extensionPath: buildExtension('firefox'), hosts: server.hosts, auditMode: true });
    ext = (await firefox.openExtensionPage('popup.html')) as unknown as UiPage;
  });
  afterAll(() => firefox?.close());

  const openPopup = async (tabId: number) => (await openFirefoxPopup(firefox, tabId)) as unknown as UiPage;

  it('shows each cookie of the tab with its declaration, its real lifetime and its findings', async () => {
    const site = await firefox.browser.newPage();
    await site.goto(server.url(CNP));
    const tabId = await tabOf(ext, `https://${CNP}/*`);
    await reportWhen(ext, tabId, (report) => report.items.length >= cnpItems);
    const popup = await openPopup(tabId);
    await expectCnpPopup(popup);
    await popup.click('[data-cookie="_pk_id.1.a1b2"] button.name');
    await popup.waitForSelector('.details-row .details');
    const details = (await popup.evaluate(
      async () => document.querySelector('.details-row')!.textContent,
      null,
    )) as string;
    expect(details).toContain('In the policy');
    await popup.close();
    await site.close();
  });

  it('says plainly that no policy applies, and that nothing was observed on an empty tab', async () => {
    const site = await firefox.browser.newPage();
    await site.goto(server.url(QUANTALYS, '/frame'));
    const tabId = await tabOf(ext, `https://${QUANTALYS}/*`);
    await reportWhen(ext, tabId, (report) => report.items.length >= 3);
    const popup = await openPopup(tabId);
    expect((await read(popup)).text).toContain(`No cookie policy is known for ${QUANTALYS}.`);
    await popup.close();
    await site.close();

    const blank = await firefox.browser.newPage();
    const blankTab = (await ext.evaluate(async () => {
      const api = (
        globalThis as unknown as {
          browser: { tabs: { query(q: object): Promise<Array<{ id: number; url: string }>> } };
        }
      ).browser;
      return (await api.tabs.query({})).find((tab) => tab.url === 'about:blank')!.id;
    }, null)) as number;
    const empty = await openPopup(blankTab);
    expect((await read(empty)).text).toContain('Nothing observed on this tab yet.');
    await empty.close();
    await blank.close();
  });

  it('says at the top whether the visitor’s refusal was respected, with each row’s consent basis and findings', async () => {
    await bindConsentSite(ext);
    try {
      const site = await firefox.browser.newPage();
      await site.goto(server.url(CONSENT_UI));
      const tabId = await refusedOnConsentSite(ext, site);
      const popup = await openPopup(tabId);
      await expectRefusalNotRespected(popup);
      await popup.close();
      await site.close();
    } finally {
      await unbindConsentSite(ext);
    }
  });
});
