import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { MUTUELLE, MUTUELLE_UNNAMED_ROW, mutuelle } from './fixtures/sites';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { askBackground, buildExtension, type Evaluating, replyOf, reportWhen, tabOf } from './support/extension';
import { launchFirefox, openFirefoxPopup, type FirefoxSession } from './support/firefox';

/**
 * Reading a catalogue from the page the user is on: a fixture site that no bundled catalogue covers publishes its
 * cookie table at /politique-cookies; the popup reads it (scripting.executeScript in the tab, extraction in the popup),
 * shows the draft beside its source with what it did not understand, saves it bound to the site; the site's home
 * page is then judged against it. An undeclared cookie its vendor documents (`_ga`) shows that documentation,
 * labelled as such.
 */

const SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });
const DRAFT_ID = 'draft-www-mutuelle-exemple-fr';
const OCD_CSV = fileURLToPath(new URL('../fixtures/extraction/open-cookie-database.csv', import.meta.url));

/** What Playwright's and Puppeteer's pages both offer. */
interface UiPage extends Evaluating {
  click(selector: string): Promise<void>;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  screenshot(options: { path: string }): Promise<unknown>;
  close(): Promise<void>;
}

const textOf = (page: UiPage, selector: string) =>
  page.evaluate(
    async (s) => (document.querySelector(s as string)?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    selector,
  ) as Promise<string>;

/** The draft the popup shows for the policy page, then saved: checked the same way in both browsers. */
async function readAndSaveDraft(popup: UiPage, screenshot: string | null): Promise<void> {
  await popup.click('[data-action="read-policy"]');
  await popup.waitForSelector('[data-draft], .read-policy [role="alert"]', { timeout: 15_000 }).catch(() => {});
  const failed = await textOf(popup, '.read-policy [role="alert"]');
  if (failed || !(await textOf(popup, '[data-draft]')))
    throw new Error(`no draft; the popup says: ${failed || (await textOf(popup, 'body'))}`);
  if (screenshot) await popup.screenshot({ path: screenshot });
  const shown = (await popup.evaluate(async () => {
    const clean = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    return {
      id: document.querySelector('[data-draft]')!.getAttribute('data-draft'),
      understood: document.querySelector('[data-draft-understood]')!.getAttribute('data-draft-understood'),
      entries: [...document.querySelectorAll('[data-draft-entry]')].map((row) => [...row.children].map(clean)),
      notUnderstood: clean(document.querySelector('[data-not-understood]')),
      site: document.querySelector<HTMLInputElement>('[data-testid="draft-site"]')!.value,
      text: clean(document.querySelector('[data-draft]')),
    };
  }, null)) as {
    id: string;
    understood: string;
    entries: string[][];
    notUnderstood: string;
    site: string;
    text: string;
  };

  expect(shown.id).toBe(DRAFT_ID);
  expect(shown.understood).toBe(String(mutuelle.policy.length));
  // Each entry: its name, the lifetime as written, category, vendor, beside the row of the source it comes from.
  expect(shown.entries.map((cells) => cells[0]!.split(' ')[0])).toEqual(mutuelle.policy.map((r) => r.name));
  const prefs = shown.entries.find((cells) => cells[0]!.startsWith('mx_prefs'))!;
  expect(prefs[1]).toBe('6 mois');
  expect(prefs[2]).toBe('Strictly necessary');
  expect(prefs[3]).toBe('Mutuelle Exemple');
  expect(prefs[4]).toContain('mx_prefs Mémorise vos préférences d’affichage 6 mois Mutuelle Exemple');
  // What could not be understood is listed, with why.
  expect(shown.notUnderstood).toContain('Not understood (1)');
  expect(shown.notUnderstood).toContain(`${MUTUELLE_UNNAMED_ROW.lifetime} ${MUTUELLE_UNNAMED_ROW.vendor}`);
  expect(shown.notUnderstood).toContain('table row without a cookie name or description');
  expect(shown.site).toBe(MUTUELLE);
  expect(shown.text).toContain(`https://${MUTUELLE}`);

  await popup.click('[data-action="save-draft"]');
  await popup.waitForSelector('[data-draft-saved]', { timeout: 10_000 });
  expect(await textOf(popup, '[data-draft-saved]')).toBe(`Saved as "${DRAFT_ID}" and applied to ${MUTUELLE}.`);
}

/** The home page's report against the saved draft: the longer lifetime and the undeclared cookies found. */
async function expectFindings(ext: Evaluating, tabId: number): Promise<void> {
  const report = await reportWhen(
    ext,
    tabId,
    (r) =>
      r.catalogues.some((c) => c.id === DRAFT_ID) &&
      mutuelle.cookies.every((c) => r.items.some((i) => i.name === c.name)),
  );
  expect(report.catalogues.map((c) => c.id)).toEqual([DRAFT_ID]);
  const kinds = (name: string) => report.findings.filter((f) => f.cookie?.name === name).map((f) => f.kind);
  expect(kinds('mx_tracker')).toContain('undeclared');
  expect(kinds('_ga')).toContain('undeclared');
  expect(kinds('mx_prefs')).toContain('lifetime-exceeds-declared');
  expect(kinds('mx_session')).toEqual([]);
  expect(kinds('mx_consent')).not.toContain('lifetime-exceeds-declared');
  expect(kinds('mx_consent')).not.toContain('undeclared');
  // Found against the page's own words, with their provenance.
  const longer = report.findings.find((f) => f.kind === 'lifetime-exceeds-declared' && f.cookie?.name === 'mx_prefs')!;
  expect(longer.entry?.catalogueId).toBe(DRAFT_ID);
  expect(longer.entry?.source).toMatch(
    new RegExp(`^https://${MUTUELLE.replaceAll('.', '\\.')}:\\d+/politique-cookies$`),
  );
}

/** `_ga`, declared nowhere, shows what Google documents, labelled as the vendor's documentation. */
async function expectVendorDocumentation(popup: UiPage): Promise<void> {
  await popup.click('[data-cookie="_ga"] button.name');
  await popup.waitForSelector('[data-explanation="vendor-documentation"]', { timeout: 10_000 });
  const text = await textOf(popup, '[data-explanation="vendor-documentation"]');
  expect(text).toContain("What the vendor documents (not the site's declaration)");
  expect(text).toContain('Google Analytics');
  expect(text).toContain('2 years');
  expect(text).toContain('support.google.com');
  // A cookie nobody documents gets no such block.
  await popup.click('[data-cookie="mx_tracker"] button.name');
  await popup.waitForSelector('[data-cookie="mx_tracker"] + .details-row .details', { timeout: 5000 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const blocks = (await popup.evaluate(
    async () => document.querySelectorAll('[data-explanation]').length,
    null,
  )) as number;
  expect(blocks).toBe(1);
}

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

describe('chromium', () => {
  let chromium: ChromiumSession;
  let ext: Page;

  beforeAll(async () => {
    chromium = await launchChromium({ extensionPath: buildExtension('chrome'), hosts: server.hosts });
    ext = await chromium.openExtensionPage('popup.html');
  });
  afterAll(() => chromium?.close());

  const openPopup = async (tabId: number): Promise<Page> => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 800, height: 600 });
    await page.goto(`chrome-extension://${chromium.extensionId}/popup.html?tabId=${tabId}`);
    await page.waitForSelector('body[data-complete]');
    return page;
  };

  it(
    'drafts the catalogue of a policy page from the popup, saves it, and judges the site against it',
    { timeout: 60_000 },
    async () => {
      const site = await chromium.context.newPage();
      await site.goto(server.url(MUTUELLE, '/politique-cookies'));
      const tabId = await tabOf(ext, `https://${MUTUELLE}/*`);
      const popup = await openPopup(tabId);
      await readAndSaveDraft(popup as unknown as UiPage, `${SHOTS}popup-draft-en.png`);
      await popup.close();

      const listing = await replyOf(ext, { type: 'list-catalogues' });
      const saved = listing.catalogues.find((c) => c.catalogue.id === DRAFT_ID)!;
      expect(saved.origin).toBe('imported');
      expect(saved.catalogue.entries.every((e) => e.provenance.excerpt.length > 0)).toBe(true);
      expect(listing.bindings).toContainEqual({ site: MUTUELLE, catalogueId: DRAFT_ID });

      await site.goto(server.url(MUTUELLE, '/'));
      await expectFindings(ext, tabId);
      const home = await openPopup(tabId);
      expect(await textOf(home as unknown as UiPage, '[data-cookie="mx_prefs"]')).toContain(
        'Lives longer than declared',
      );
      await expectVendorDocumentation(home as unknown as UiPage);
      await home.screenshot({ path: `${SHOTS}popup-vendor-docs-en.png` });
      await home.close();
      await site.close();
    },
  );

  it(
    'drafts a catalogue from a pasted policy text in the dashboard, and imports the Open Cookie Database',
    { timeout: 60_000 },
    async () => {
      const dashboard = await chromium.openExtensionPage('dashboard.html#catalogues');
      await dashboard.waitForSelector('[data-testid="paste-text"]');
      await dashboard.fill(
        '[data-testid="paste-text"]',
        'Cookies tiers\nMatomo _pk_id.* Identifiant du visiteur 13 mois\nGoogle Analytics _gid Mesure 24 heures',
      );
      await dashboard.fill('.paste input[type=text]', 'politique-extranet.txt');
      await dashboard.click('[data-action="draft-text"]');
      await dashboard.waitForSelector('[data-draft="draft-politique-extranet"]');
      expect(await dashboard.locator('[data-draft-entry]').count()).toBe(2);
      expect(await dashboard.innerText('[data-draft]')).toContain('_pk_id.* Identifiant du visiteur 13 mois');
      await dashboard.fill('[data-testid="draft-site"]', 'extranet.example.fr');
      await dashboard.click('[data-action="save-draft"]');
      await dashboard.waitForSelector('[data-draft-saved]');
      const listing = await replyOf(ext, { type: 'list-catalogues' });
      expect(listing.bindings).toContainEqual({ site: 'extranet.example.fr', catalogueId: 'draft-politique-extranet' });

      // A file with no valid row stores nothing and says why; the real format is stored, its bad rows listed by line.
      await dashboard.setInputFiles('[data-testid="ocd-file"]', {
        name: 'notes.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('name,lifetime\n_ga,2 years\n'),
      });
      await dashboard.waitForSelector('[data-ocd-import="failed"]');
      expect(await dashboard.innerText('[data-ocd-import="failed"]')).toContain('Nothing was changed');
      expect((await replyOf(ext, { type: 'get-open-cookie-database' })).info).toBeNull();
      await dashboard.setInputFiles('[data-testid="ocd-file"]', OCD_CSV);
      await dashboard.waitForSelector('[data-ocd-import="ok"]');
      const stored = await replyOf(ext, {
        type: 'get-open-cookie-database',
        name: 'AMP_TOKEN',
      });
      expect(stored.info!.count).toBeGreaterThan(5);
      expect(stored.entry?.platform).toBe('Google Analytics');
      expect(await dashboard.innerText('[data-ocd-info]')).toMatch(/\d+ cookies, imported/);
      expect(stored.info!.problems.map((p) => p.where)).toEqual(['line 15', 'line 16']);
      expect(await dashboard.innerText('.ocd details summary')).toBe('2 rows skipped (shown by line)');
      await dashboard.screenshot({ path: `${SHOTS}dashboard-draft-ocd-en.png`, fullPage: true });
      await askBackground(ext, { type: 'remove-open-cookie-database' });
      await dashboard.close();
    },
  );
});

describe('firefox', () => {
  let firefox: FirefoxSession;
  let ext: UiPage;

  beforeAll(async () => {
    firefox = await launchFirefox({ extensionPath: buildExtension('firefox'), hosts: server.hosts });
    ext = (await firefox.openExtensionPage('popup.html')) as unknown as UiPage;
  });
  afterAll(() => firefox?.close());

  const openPopup = async (tabId: number) => (await openFirefoxPopup(firefox, tabId)) as unknown as UiPage;

  it(
    'drafts the catalogue of a policy page from the popup, saves it, and judges the site against it',
    { timeout: 60_000 },
    async () => {
      const site = await firefox.browser.newPage();
      await site.goto(server.url(MUTUELLE, '/politique-cookies'));
      const tabId = await tabOf(ext, `https://${MUTUELLE}/*`);
      const popup = await openPopup(tabId);
      await readAndSaveDraft(popup, null);
      await popup.close();

      await site.goto(server.url(MUTUELLE, '/'));
      await expectFindings(ext, tabId);
      const home = await openPopup(tabId);
      expect(await textOf(home, '[data-cookie="mx_prefs"]')).toContain('Lives longer than declared');
      await expectVendorDocumentation(home);
      await home.close();
      await site.close();
    },
  );
});
