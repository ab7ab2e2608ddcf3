import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '../../lib/catalogue/schema';
import type { VisitRecord } from '../../lib/storage/db';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { AMEX, CNP } from './fixtures/sites';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { askBackground, buildExtension, replyOf, type Evaluating } from './support/extension';
import { launchFirefox, type FirefoxSession } from './support/firefox';

/**
 * The dashboard, as a person uses it: the catalogues (view, import, bind, export, remove), the history of visits and
 * one visit's full report, the settings. Screenshots for the README go to docs/screenshots/, in both languages
 * (chosen through the language setting).
 */

const SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

const bundled = (id: string): Catalogue =>
  JSON.parse(readFileSync(new URL(`../../lib/catalogue/bundled/${id}.json`, import.meta.url), 'utf8'));

/** A catalogue file with two mistakes: no publisher, and a category the format does not know. */
function brokenCatalogue(): string {
  const { publisher: _, ...rest } = bundled('europ-assistance-extranet-partenaires');
  const entries = rest.entries.map((entry, i) => (i === 0 ? { ...entry, category: 'cookies-tiers' } : entry));
  return JSON.stringify({ ...rest, id: 'broken-extranet', entries });
}

const text = (page: Evaluating, selector: string) =>
  page.evaluate(
    async (s) => (document.querySelector(s as string)?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    selector,
  ) as Promise<string>;

/** Gives a file to an <input type=file> as a person choosing it would (DataTransfer works in both browsers). */
async function chooseFile(page: Evaluating, selector: string, name: string, content: string): Promise<void> {
  await page.evaluate(
    async (arg) => {
      const { selector, name, content } = arg as { selector: string; name: string; content: string };
      const input = document.querySelector<HTMLInputElement>(selector)!;
      const files = new DataTransfer();
      files.items.add(new File([content], name, { type: 'application/json' }));
      input.files = files.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    { selector, name, content },
  );
}

async function visitsWhen(
  page: Evaluating,
  done: (visits: VisitRecord[]) => boolean,
  timeoutMs = 15_000,
): Promise<VisitRecord[]> {
  const deadline = Date.now() + timeoutMs;
  let visits: VisitRecord[] = [];
  while (Date.now() < deadline) {
    visits = (await replyOf(page, { type: 'list-visits' })).visits;
    if (done(visits)) return visits;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`visits never got there: ${visits.map((v) => v.topHost).join(', ')}`);
}

/** Waits until both fixture sites' visits are stored with their cookies. */
async function storedVisits(page: Evaluating): Promise<VisitRecord[]> {
  const visits = await visitsWhen(page, (list) => [CNP, AMEX].every((host) => list.some((v) => v.topHost === host)));
  for (const visit of visits) {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const report = (await replyOf(page, { type: 'get-visit-report', visitId: visit.id })).report;
      if ((report?.items.length ?? 0) >= 10) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return visits;
}

/**
 * A stored visit whose consent changed four times, as the background records it (VisitRecord.consent): the platform's
 * script seen, its banner recognised, the site's cookie saying the visitor refused, then a partial acceptance in TCF.
 */
const CONSENT_VISIT = 'consent-timeline-1';
async function storeConsentVisit(page: Evaluating): Promise<void> {
  await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('cookie-lens');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const at = Date.UTC(2026, 11, 1, 9, 0, 0);
    const change = (seconds: number, choice: string, source: object, more: object = {}) => ({
      at: at + seconds * 1000,
      choice,
      granted: null,
      purposes: null,
      platformCategories: null,
      source,
      ...more,
    });
    const tx = db.transaction('visits', 'readwrite');
    tx.objectStore('visits').put({
      id,
      tabId: 1,
      site: 'banque-consentement.fr',
      topHost: 'www.banque-consentement.fr',
      startedAt: at,
      endedAt: at + 60_000,
      pages: 2,
      pageUrls: ['https://www.banque-consentement.fr/'],
      hosts: ['www.banque-consentement.fr', 'cdn.cookielaw.org'],
      storeId: null,
      consent: [
        change(0, 'no-choice', { kind: 'platform-loaded', platform: 'onetrust', host: 'cdn.cookielaw.org' }),
        change(1, 'no-choice', { kind: 'banner', rule: 'Onetrust', action: 'detected', clicks: null }),
        change(4, 'refused', { kind: 'signal', platform: 'onetrust', name: 'OptanonConsent' }),
        change(
          30,
          'accepted-part',
          { kind: 'signal', platform: 'tcf', name: 'euconsent-v2' },
          {
            granted: ['audience-measurement'],
            purposes: [1, 8],
          },
        ),
      ],
    });
    // A visit recorded before Cookie Lens kept consent: no timeline at all.
    tx.objectStore('visits').put({
      id: `${id}-none`,
      tabId: 2,
      site: 'banque-consentement.fr',
      topHost: 'www.banque-consentement.fr',
      startedAt: at - 3_600_000,
      endedAt: at - 3_500_000,
      pages: 1,
      pageUrls: ['https://www.banque-consentement.fr/'],
      hosts: ['www.banque-consentement.fr'],
      storeId: null,
    });
    await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = reject)));
    db.close();
  }, CONSENT_VISIT);
}

/** The visit page's consent section, as text: its sentence, then each change of the timeline. */
const consentShown = (page: Evaluating) =>
  page.evaluate(async () => {
    const clean = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    return {
      state: clean(document.querySelector('[data-consent-state]')),
      changes: [...document.querySelectorAll('tr[data-consent-change]')].map((row) =>
        [...row.querySelectorAll('td')].map(clean),
      ),
    };
  }, null) as Promise<{ state: string; changes: string[][] }>;

const TIMELINE_EN = [
  [
    expect.stringMatching(/^\d{1,2}:00:00/),
    'No choice yet',
    '—',
    'OneTrust loaded from cdn.cookielaw.org, no consent cookie yet',
  ],
  [expect.stringMatching(/^\d{1,2}:00:01/), 'No choice yet', '—', 'Banner recognised by Cookie Lens (rule Onetrust)'],
  [expect.stringMatching(/^\d{1,2}:00:04/), 'Refused', '—', 'The site’s consent cookie OptanonConsent (OneTrust)'],
  [
    expect.stringMatching(/^\d{1,2}:00:30/),
    'Accepted in part',
    'Audience measurement · TCF purposes 1, 8',
    'The site’s consent cookie euconsent-v2 (IAB TCF)',
  ],
];

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

describe('chromium', () => {
  let chromium: ChromiumSession;
  let ext: Page;
  let visits: VisitRecord[];

  const openDashboard = async (hash = '', colorScheme: 'light' | 'dark' = 'light'): Promise<Page> => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.emulateMedia({ colorScheme });
    await page.goto(`chrome-extension://${chromium.extensionId}/dashboard.html${hash}`);
    await page.waitForSelector('main h2');
    return page;
  };
  const setLanguage = (language: 'auto' | 'fr' | 'en') =>
    askBackground(ext, { type: 'put-settings', settings: { language } });

  beforeAll(async () => {
    chromium = await launchChromium({ extensionPath: buildExtension('chrome'), hosts: server.hosts });
    ext = await chromium.openExtensionPage('popup.html');
    for (const host of [CNP, AMEX]) await (await chromium.context.newPage()).goto(server.url(host));
    visits = await storedVisits(ext);
  });
  afterAll(() => chromium?.close());

  it('lists the bundled catalogues and shows one’s entries and rules, as the policy words them', async () => {
    const page = await openDashboard();
    expect(await page.locator('tr[data-catalogue]').count()).toBe(5);
    expect(await text(page, 'tr[data-catalogue="assu2000-protection-donnees"]')).toContain(
      'Names no site: bind it to one.',
    );
    expect(await text(page, 'tr[data-catalogue="cnp-monespaceclient"]')).toContain('Bundled');
    await page.click('tr[data-catalogue="cnp-monespaceclient"] th a');
    await page.waitForSelector('tr[data-entry]');
    expect(page.url()).toMatch(/#catalogue=cnp-monespaceclient$/);
    const entry = await text(page, 'tr[data-entry="piwik-matomo"]');
    expect(entry).toContain('_pk_id.id');
    expect(entry).toContain('Piwik (Matomo)');
    expect(entry).toContain('Audience measurement');
    expect(await text(page, 'main')).toContain('13 mois maximum');
    await page.close();
  });

  it('refuses a broken catalogue file with a message naming what is wrong, and changes nothing', async () => {
    const before = (await replyOf(ext, { type: 'list-catalogues' })).catalogues.length;
    const page = await openDashboard('#catalogues');
    await chooseFile(page, '[data-testid="import-file"]', 'not-json.json', '{ "id": "half');
    await page.waitForSelector('[data-import="failed"]');
    expect(await text(page, '[data-import="failed"]')).toMatch(
      /^not-json\.json was not imported\. Nothing was changed\.\s*The file is not JSON/,
    );

    await chooseFile(page, '[data-testid="import-file"]', 'broken.json', brokenCatalogue());
    await page.waitForFunction(() =>
      document.querySelector('[data-import="failed"]')?.textContent?.includes('broken.json'),
    );
    const message = await text(page, '[data-import="failed"]');
    expect(message).toMatch(
      /^broken\.json was not imported\. Nothing was changed\.\s*The file is not a valid catalogue/,
    );
    expect(message).toContain('publisher —');
    expect(message).toContain('entries.0.category —');
    expect(await page.getAttribute('[data-import="failed"]', 'role')).toBe('alert');
    expect((await replyOf(ext, { type: 'list-catalogues' })).catalogues).toHaveLength(before);
    expect(await page.locator('tr[data-catalogue]').count()).toBe(before);
    await page.screenshot({ path: `${SHOTS}dashboard-import-error-en.png` });
    await page.close();
  });

  it('refuses a file of millions of wrong entries with its first problems and their count, and a policy address that is not a web one', async () => {
    const page = await openDashboard('#catalogues');
    const huge = JSON.stringify({
      ...bundled('europ-assistance-extranet-partenaires'),
      id: 'huge',
      entries: Array.from({ length: 2_000_000 }, () => 1),
    });
    expect(huge.length).toBeGreaterThan(4_000_000);
    await chooseFile(page, '[data-testid="import-file"]', 'huge.json', huge);
    await page.waitForSelector('[data-import="failed"]', { timeout: 60_000 });
    const message = await text(page, '[data-import="failed"]');
    expect(message).toMatch(
      /^huge\.json was not imported\. Nothing was changed\.\s*The file is not a valid catalogue: 2,000,000 problem\(s\)\./,
    );
    expect(message).toContain('entries.0 — Invalid type: Expected Object but received 1');
    expect(await page.locator('[data-import="failed"] li').count()).toBe(100);
    expect(await text(page, '[data-import="unlisted"]')).toBe('… and 1,999,900 more.');

    const scripted = bundled('europ-assistance-extranet-partenaires');
    scripted.id = 'scripted-link';
    scripted.policy = { url: 'javascript:alert(document.domain)', document: null };
    await chooseFile(page, '[data-testid="import-file"]', 'scripted.json', JSON.stringify(scripted));
    await page.waitForFunction(() =>
      document.querySelector('[data-import="failed"]')?.textContent?.includes('scripted.json'),
    );
    expect(await text(page, '[data-import="failed"]')).toContain(
      'policy.url — a policy’s address must be a web address, starting with http:// or https://',
    );
    expect(await page.locator('tr[data-catalogue="scripted-link"]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    await page.close();
  });

  it('says an address that leads nowhere does so, rather than showing a blank page', async () => {
    for (const hash of ['#visit=%E0%A4%A', '#visit/%E0%A4%A', '#nowhere']) {
      const page = await openDashboard(hash);
      expect(await text(page, 'main h2')).toBe('Page not found');
      expect(await text(page, '[data-route="unknown"]')).toBe(
        `Cookie Lens has no page at the address “${hash}”. Choose a section above: the policies, the history or the settings.`,
      );
      await page.click('nav >> text=History');
      await page.waitForFunction(() => document.querySelector('main h2')?.textContent === 'History');
      await page.close();
    }
  });

  it('imports a catalogue file of format version 1, saying it was upgraded and keeping all it holds', async () => {
    const { consentRules: _rules, ...current } = bundled('europ-assistance-extranet-partenaires');
    const old = { ...current, formatVersion: 1, id: 'old-extranet', title: 'Extranet, saved in version 1' };
    const page = await openDashboard('#catalogues');
    await chooseFile(page, '[data-testid="import-file"]', 'old.json', JSON.stringify(old));
    await page.waitForSelector('[data-import="ok"]');
    expect(await text(page, '[data-import="ok"]')).toBe(
      'Imported “old-extranet”. It was written in catalogue format version 1: upgraded as it was read, nothing removed (its notes say so).',
    );
    await page.click('tr[data-catalogue="old-extranet"] th a');
    await page.waitForSelector('tr[data-entry]');
    expect(await page.locator('tr[data-entry]').count()).toBe(old.entries.length);
    expect(await text(page, 'main')).toContain(
      'Read from catalogue format version 1, which predates consent declarations',
    );
    expect(await askBackground(ext, { type: 'remove-catalogue', id: 'old-extranet' })).toEqual({ ok: true });
    await page.close();
  });

  it('imports a catalogue, binds it to a site, exports it and removes it', async () => {
    const mine = {
      ...bundled('europ-assistance-extranet-partenaires'),
      id: 'my-extranet',
      title: 'My extranet policy',
    };
    const page = await openDashboard('#catalogues');
    await chooseFile(page, '[data-testid="import-file"]', 'mine.json', JSON.stringify(mine));
    await page.waitForSelector('[data-import="ok"]');
    expect(await text(page, '[data-import="ok"]')).toBe('Imported “my-extranet”.');
    await page.waitForSelector('tr[data-catalogue="my-extranet"]');
    expect(await text(page, 'tr[data-catalogue="my-extranet"]')).toContain('Imported');

    await page.selectOption('form.bind select', 'my-extranet');
    await page.fill('form.bind input', 'Extranet.Example.fr');
    await page.click('form.bind button[type=submit]');
    await page.waitForFunction(() =>
      document.querySelector('tr[data-catalogue="my-extranet"]')?.textContent?.includes('extranet.example.fr'),
    );
    expect(await text(page, 'tr[data-catalogue="my-extranet"]')).toContain('extranet.example.fr (bound by you)');
    expect((await replyOf(ext, { type: 'list-catalogues' })).bindings).toContainEqual({
      site: 'extranet.example.fr',
      catalogueId: 'my-extranet',
    });
    await page.fill('form.bind input', 'not a host');
    await page.click('form.bind button[type=submit]');
    expect(await text(page, '#bind-site-error')).toContain('A site is a host name');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('tr[data-catalogue="my-extranet"] >> text=Export'),
    ]);
    expect(download.suggestedFilename()).toBe('my-extranet.json');
    expect(JSON.parse(readFileSync((await download.path())!, 'utf8'))).toEqual(mine);

    await page.click('tr[data-catalogue="my-extranet"] button[aria-label="Remove My extranet policy"]');
    await page.click('tr[data-catalogue="my-extranet"] button.danger');
    await page.waitForSelector('tr[data-catalogue="my-extranet"]', { state: 'detached' });
    const listing = await replyOf(ext, { type: 'list-catalogues' });
    expect(listing.catalogues).toHaveLength(5);
    expect(listing.bindings).toEqual([]);
    await page.close();
  });

  it('lists past visits by site with their findings, and opens one as a full report to read and print', async () => {
    const page = await openDashboard('#history');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-visit] .count').length >= 2);
    expect(await text(page, 'section[data-site="cnp.fr"] h3')).toBe('cnp.fr · 1 visit(s)');
    const cnpVisit = visits.find((v) => v.topHost === CNP)!;
    const row = await text(page, `tr[data-visit="${cnpVisit.id}"]`);
    expect(row).toContain(CNP);
    expect(row).toMatch(/High \d+/);

    await page.click(`tr[data-visit="${cnpVisit.id}"] a`);
    await page.waitForSelector('article.report');
    expect(await text(page, 'article.report h2')).toBe(`Cookie report: ${CNP}`);
    const report = (await replyOf(ext, { type: 'get-visit-report', visitId: cnpVisit.id })).report!;
    expect(await page.locator('article.finding').count()).toBe(report.findings.length);
    expect(await page.locator('[data-cookie]').count()).toBe(report.items.length);
    expect(await text(page, 'article.finding[data-kind="undeclared"]')).toContain('is not declared in the policy');
    await page.screenshot({ path: `${SHOTS}dashboard-report-en.png` });

    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('nav')).toBe(false);
    expect(await page.isVisible('text=Print')).toBe(false);
    expect(await page.isVisible('article.report h2')).toBe(true);
    await page.close();
  });

  it('takes the README’s dashboard screenshots in English and French', async () => {
    try {
      for (const language of ['en', 'fr'] as const) {
        await setLanguage(language);
        const page = await openDashboard('#catalogues');
        expect(await text(page, 'main h2')).toBe(language === 'fr' ? 'Politiques' : 'Policies');
        await page.screenshot({ path: `${SHOTS}dashboard-catalogues-${language}.png` });
        if (language === 'fr') {
          await chooseFile(page, '[data-testid="import-file"]', 'broken.json', brokenCatalogue());
          await page.waitForSelector('[data-import="failed"]');
          const message = await text(page, '[data-import="failed"]');
          expect(message).toMatch(
            /^broken\.json n’a pas été importé\. Rien n’a été modifié\.\s*Le fichier n’est pas un catalogue valide : 2 problème\(s\)\./,
          );
          // Each problem in French too.
          expect(message).toContain('publisher — Clé manquante : "publisher"');
          expect(message).toMatch(/entries\.0\.category — Type invalide : \(.*\) attendu, "cookies-tiers" reçu/);
          await page.screenshot({ path: `${SHOTS}dashboard-import-error-fr.png` });
        }
        await page.goto(`chrome-extension://${chromium.extensionId}/dashboard.html#history`);
        await page.waitForFunction(() => document.querySelectorAll('tr[data-visit] .count').length >= 2);
        await page.screenshot({ path: `${SHOTS}dashboard-history-${language}.png` });
        await page.close();
        if (language === 'fr') {
          const report = await openDashboard(`#visit=${visits.find((v) => v.topHost === AMEX)!.id}`, 'dark');
          await report.waitForSelector('article.report');
          expect(await text(report, 'article.report h2')).toBe(`Rapport cookies : ${AMEX}`);
          await report.screenshot({ path: `${SHOTS}dashboard-report-fr-dark.png` });
          await report.close();
        }
      }
    } finally {
      await setLanguage('auto');
    }
  });

  it('shows a visit’s consent timeline: when, the state, what it allows, whose word; in English and French', async () => {
    await storeConsentVisit(ext);
    try {
      const page = await openDashboard(`#visit=${CONSENT_VISIT}`);
      await page.waitForSelector('tr[data-consent-change]');
      expect(await text(page, '[data-section="consent"] h3')).toBe('Consent');
      const shown = await consentShown(page);
      expect(shown.state).toMatch(
        /^You accepted in part \(Audience measurement · TCF purposes 1, 8\) · Chosen on Dec 1, 2026, .+ · The site’s consent cookie euconsent-v2 \(IAB TCF\)$/,
      );
      expect(shown.changes).toEqual(TIMELINE_EN);
      await (await page.$('[data-section="consent"]'))!.screenshot({
        path: `${SHOTS}dashboard-consent-timeline-en.png`,
      });
      await page.close();

      await setLanguage('fr');
      const fr = await openDashboard(`#visit=${CONSENT_VISIT}`);
      await fr.waitForSelector('tr[data-consent-change]');
      expect(await text(fr, '[data-section="consent"] h3')).toBe('Consentement');
      const enFrancais = await consentShown(fr);
      expect(enFrancais.state).toMatch(
        /^Vous avez accepté en partie \(Mesure d’audience · finalités TCF 1, 8\) · Choix fait le 1 déc\. 2026/,
      );
      expect(enFrancais.changes.map((cells) => cells.slice(1))).toEqual([
        ['Pas encore de choix', '—', 'OneTrust chargé depuis cdn.cookielaw.org, pas encore de cookie de consentement'],
        ['Pas encore de choix', '—', 'Bandeau reconnu par Cookie Lens (règle Onetrust)'],
        ['Refusé', '—', 'Cookie de consentement du site OptanonConsent (OneTrust)'],
        [
          'Accepté en partie',
          'Mesure d’audience · finalités TCF 1, 8',
          'Cookie de consentement du site euconsent-v2 (IAB TCF)',
        ],
      ]);
      await (await fr.$('[data-section="consent"]'))!.screenshot({ path: `${SHOTS}dashboard-consent-timeline-fr.png` });
      await fr.close();
    } finally {
      await setLanguage('auto');
    }
  });

  it('says a visit’s consent state is unknown when no banner or signal was recognised, never that it was respected', async () => {
    await storeConsentVisit(ext);
    const page = await openDashboard(`#visit=${CONSENT_VISIT}-none`);
    await page.waitForSelector('[data-section="consent"]');
    expect(await page.locator('[data-consent-state]').count()).toBe(0);
    expect(await text(page, '[data-consent-change="none"]')).toBe(
      'No consent banner or signal was recognised during this visit: Cookie Lens cannot tell whether consent was asked.',
    );
    await page.close();
  });

  it('changes the settings, follows a language chosen, and clears all data', async () => {
    const page = await openDashboard('#settings');
    // Answering banners is off until a person turns it on, and the page says what it does.
    expect(await page.inputValue('#answer-banners')).toBe('off');
    expect(await text(page, '#answer-banners-hint')).toBe(
      'When on, Cookie Lens clicks the site’s consent banner for you, refusing or accepting as chosen here, wherever it recognises the banner. It is off by default: Cookie Lens then never clicks anything on a page.',
    );
    await page.fill('#tolerance', '50');
    await page.fill('#retention', '90');
    await page.selectOption('#answer-banners', 'refuse');
    // Audit mode is off until the person turns it on.
    expect(await page.isChecked('#audit-mode')).toBe(false);
    await page.check('#audit-mode');
    await page.click('form.settings button[type=submit]');
    await page.waitForSelector('text=Settings saved.');
    expect((await replyOf(ext, { type: 'get-settings' })).settings).toEqual({
      language: 'auto',
      retentionDays: 90,
      tolerancePercent: 50,
      answerBanners: 'refuse',
      auditMode: true,
    });
    await page.reload();
    await page.waitForSelector('#answer-banners');
    expect(await page.inputValue('#answer-banners')).toBe('refuse');
    expect(await page.isChecked('#audit-mode')).toBe(true);

    await page.selectOption('#language', 'fr');
    await Promise.all([page.waitForEvent('load'), page.click('form.settings button[type=submit]')]);
    await page.waitForSelector('main h2');
    expect(await text(page, 'main h2')).toBe('Réglages');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await askBackground(ext, {
      type: 'put-settings',
      settings: { language: 'auto', retentionDays: 30, tolerancePercent: 5, answerBanners: 'off' },
    });

    await page.reload();
    await page.waitForSelector('main h2');
    await page.click('text=Clear all data…');
    expect(await text(page, '.danger-zone [role=alert]')).toContain('This cannot be undone.');
    await page.click('text=Yes, delete everything');
    await page.waitForSelector('text=All recorded data was deleted.');
    expect((await replyOf(ext, { type: 'list-visits' })).visits).toEqual([]);
    await page.close();
  });

  it('pages through a long history, with the true count of each site', async () => {
    // 250 visits of one site and 1 of another, written as the background writes them.
    await ext.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('cookie-lens');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction('visits', 'readwrite');
      const at = Date.UTC(2026, 10, 1);
      for (let i = 0; i < 251; i++) {
        const site = i === 120 ? 'other.example' : 'paged.example';
        tx.objectStore('visits').put({
          id: `paged-${i}`,
          tabId: 1,
          site,
          topHost: `www.${site}`,
          startedAt: at - i * 60_000,
          endedAt: at - i * 60_000 + 1000,
          pages: 1,
          pageUrls: [],
          hosts: [],
          storeId: null,
        });
      }
      await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = reject)));
      db.close();
    });
    const page = await openDashboard('#history');
    await page.waitForSelector('[data-page="range"]');
    expect(await text(page, '[data-page="range"]')).toBe('Visits 1–100 of 251');
    expect(await text(page, 'section[data-site="paged.example"] h3')).toBe(
      'paged.example · 250 visit(s) (100 on this page)',
    );
    expect(await page.locator('tr[data-visit]').count()).toBe(100);
    expect(await page.isDisabled('[data-page="newer"] >> nth=0')).toBe(true);

    await page.click('[data-page="older"] >> nth=0');
    await page.waitForFunction(
      () => document.querySelector('[data-page="range"]')?.textContent === 'Visits 101–200 of 251',
    );
    expect(await text(page, 'section[data-site="paged.example"] h3')).toBe(
      'paged.example · 250 visit(s) (99 on this page)',
    );
    expect(await text(page, 'section[data-site="other.example"] h3')).toBe('other.example · 1 visit(s)');
    expect(await page.locator('tr[data-visit="paged-100"]').count()).toBe(1);

    await page.click('[data-page="older"] >> nth=0');
    await page.waitForFunction(
      () => document.querySelector('[data-page="range"]')?.textContent === 'Visits 201–251 of 251',
    );
    expect(await page.locator('tr[data-visit]').count()).toBe(51);
    expect(await page.locator('tr[data-visit="paged-250"]').count()).toBe(1);
    expect(await page.isDisabled('[data-page="older"] >> nth=0')).toBe(true);
    await page.close();
  });
});

describe('firefox', () => {
  let firefox: FirefoxSession;

  beforeAll(async () => {
    firefox = await launchFirefox({ extensionPath: buildExtension('firefox'), hosts: server.hosts });
  });
  afterAll(() => firefox?.close());

  it('lists the catalogues and refuses a broken file, naming what is wrong', async () => {
    const page = await firefox.openExtensionPage('dashboard.html#catalogues');
    await page.waitForSelector('tr[data-catalogue]');
    expect((await page.$$('tr[data-catalogue]')).length).toBe(5);
    await chooseFile(page, '[data-testid="import-file"]', 'broken.json', brokenCatalogue());
    await page.waitForSelector('[data-import="failed"]');
    const message = await text(page, '[data-import="failed"]');
    expect(message).toContain('broken.json was not imported. Nothing was changed.');
    expect(message).toContain('publisher —');
    expect((await page.$$('tr[data-catalogue]')).length).toBe(5);
    await page.close();
  });

  it('says an address that leads nowhere does so, rather than showing a blank page', async () => {
    const page = await firefox.openExtensionPage('dashboard.html#visit=%E0%A4%A');
    await page.waitForSelector('[data-route="unknown"]');
    expect(await text(page, 'main h2')).toBe('Page not found');
    await page.close();
  });

  it('lists a past visit and opens its full report', async () => {
    const ext = await firefox.openExtensionPage('popup.html');
    for (const host of [CNP, AMEX]) await (await firefox.browser.newPage()).goto(server.url(host));
    const visits = await storedVisits(ext);
    await ext.close();
    const page = await firefox.openExtensionPage('dashboard.html#history');
    await page.waitForSelector('section[data-site="cnp.fr"]');
    const cnpVisit = visits.find((v) => v.topHost === CNP)!;
    await page.click(`tr[data-visit="${cnpVisit.id}"] a`);
    await page.waitForSelector('article.report');
    expect(await text(page, 'article.report h2')).toBe(`Cookie report: ${CNP}`);
    expect((await page.$$('article.finding')).length).toBeGreaterThan(0);
    await page.close();
  });

  it('shows a visit’s consent timeline', async () => {
    const ext = await firefox.openExtensionPage('popup.html');
    await storeConsentVisit(ext);
    await ext.close();
    const page = await firefox.openExtensionPage(`dashboard.html#visit=${CONSENT_VISIT}`);
    await page.waitForSelector('tr[data-consent-change]');
    const shown = await consentShown(page);
    expect(shown.state).toMatch(/^You accepted in part \(Audience measurement · TCF purposes 1, 8\) · Chosen on /);
    expect(shown.changes).toEqual(TIMELINE_EN);
    await page.close();
  });

  it('offers to answer consent banners, off by default, and says what it does', async () => {
    const page = await firefox.openExtensionPage('dashboard.html#settings');
    await page.waitForSelector('#answer-banners');
    expect(
      await page.evaluate(async () => document.querySelector<HTMLSelectElement>('#answer-banners')!.value, null),
    ).toBe('off');
    expect(await text(page, '#answer-banners-hint')).toContain('It is off by default');
    await page.close();
  });
});
