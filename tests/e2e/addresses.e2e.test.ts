import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCatalogues } from '../../lib/catalogue/bundled';
import { reportCsv } from '../../lib/export/csv';
import { reportHtml } from '../../lib/export/html';
import { buildReport, reportJson } from '../../lib/export/report';
import type { VisitReport } from '../../lib/audit/visit-report';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { openBrowsing, type Browsing } from './support/browsing';
import { CNP, sessionInAddress } from './fixtures/sites';
import { databaseDump, type Evaluating, replyOf, tabOf } from './support/extension';
import { runAudit as audit } from './support/audit-command';
import { makeTmpDir, removeTmpDir } from './support/tmp';

/**
 * A site that puts its session ids and tokens in its addresses (a redirect's query, a path parameter, a fragment, a
 * script's query, a path segment) and sets the same values as cookies: none of them may reach the extension's
 * database, its answers, or any report exported from them (JSON, CSV, HTML: what the dashboard and `npm run audit`
 * write), while the addresses are still kept as evidence, shortened.
 */

const COOKIES = ['JSESSIONID', 'PHPSESSID', 'api_token', 'frag_state', 'sid'];

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

/** Asks until `done` holds (a busy machine may take its time); returns the last answer. */
async function askUntil(
  page: Evaluating,
  request: { type: 'get-tab-report'; tabId: number } | { type: 'get-visit-report'; visitId: string },
  done: (report: VisitReport) => boolean,
  timeoutMs = 20_000,
): Promise<VisitReport | null> {
  const deadline = Date.now() + timeoutMs;
  let report: VisitReport | null = null;
  while (Date.now() < deadline) {
    report = (await replyOf(page, request)).report;
    if (report && done(report)) return report;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return report;
}

const complete = (report: VisitReport) =>
  report.visit.pages >= 2 &&
  COOKIES.every((name) => report.items.some((i) => i.store === 'cookie' && i.name === name)) &&
  report.items.some((i) => i.name === 'api_cache');

/** Every store of the extension's IndexedDB, as JSON. */
/** The reports an auditor exports of a visit, in every format and language. */
async function exportsOf(report: VisitReport): Promise<Record<string, string>> {
  const audit = await buildReport({
    visits: [{ report }],
    catalogues: bundledCatalogues(),
    tool: { name: 'Cookie Lens', version: 'test' },
    browser: { name: 'test', version: '' },
    exportedAt: Date.now(),
  });
  return {
    json: reportJson(audit),
    'csv en': reportCsv(audit, 'en'),
    'csv fr': reportCsv(audit, 'fr'),
    'html en': reportHtml(audit, 'en'),
    'html fr': reportHtml(audit, 'fr'),
  };
}

function scenario(name: string, open: () => Promise<Browsing>) {
  describe(name, () => {
    let browsing: Browsing;
    beforeAll(async () => {
      browsing = await open();
    });
    afterAll(() => browsing?.close());

    it('keeps no value a site puts in its addresses, in its database, its answers or any export', async () => {
      const s = sessionInAddress;
      const page = await browsing.visit(server.url(CNP, `/login?PHPSESSID=${s.phpsessid}`));
      await page.goto(server.url(CNP, `/s/${s.pathSession}/account`));
      const ext = await browsing.extensionPage();
      const tabId = await tabOf(ext, `https://${CNP}/*`);
      const live = await askUntil(ext, { type: 'get-tab-report', tabId }, complete);
      expect(live && complete(live), JSON.stringify(live?.items.map((i) => i.name))).toBe(true);
      const stored = await askUntil(ext, { type: 'get-visit-report', visitId: live!.visit.id }, complete);
      expect(stored && complete(stored)).toBe(true);

      const kept: Record<string, string> = {
        'tab report': JSON.stringify(live),
        'stored report': JSON.stringify(stored),
        database: await databaseDump(ext),
        ...Object.fromEntries(
          Object.entries(await exportsOf(live!)).map(([format, text]) => [`export of the tab report, ${format}`, text]),
        ),
        ...Object.fromEntries(
          Object.entries(await exportsOf(stored!)).map(([format, text]) => [
            `export of the stored report, ${format}`,
            text,
          ]),
        ),
      };
      const leaks = Object.entries(kept).flatMap(([where, text]) =>
        Object.entries(sessionInAddress).flatMap(([what, value]) =>
          text.includes(value) ? [`${where} holds ${what}`] : [],
        ),
      );
      expect(leaks).toEqual([]);

      // The addresses are still there as evidence: scheme, host, port and the readable path.
      const origin = `https://${CNP}:${server.httpsPort}`;
      expect(live!.visit.pageUrls).toEqual([`${origin}/app/`, `${origin}/s/…/account`]);
      const writer = (name: string) => live!.items.find((i) => i.name === name)!.firstWrite;
      expect(writer('PHPSESSID')).toMatchObject({ by: 'header', url: `${origin}/login` });
      expect(writer('JSESSIONID')).toMatchObject({ by: 'header', url: `${origin}/app/` });
      expect(writer('sid')).toMatchObject({ by: 'header', url: `${origin}/s/…/account` });
      expect(writer('api_token')).toMatchObject({ by: 'script', url: `${origin}/app/tag.js` });
      expect(writer('api_cache')).toMatchObject({ by: 'script', url: `${origin}/app/tag.js` });
      expect(writer('frag_state')).toMatchObject({ by: 'script', url: `${origin}/app/` });
      // Set without Path: its path, the directory of its address, is kept as a path of an address is.
      expect(live!.items.find((i) => i.name === 'sid')!.path).toBe('/s/…');
      await page.close();
      await ext.close();
    });
  });
}

scenario('chromium', () => openBrowsing('chromium', server.hosts, { auditMode: true }));

scenario('firefox', () => openBrowsing('firefox', server.hosts, { auditMode: true }));

for (const browser of ['chromium', 'firefox'] as const) {
  describe(`npm run audit, ${browser}`, () => {
    let out: string;
    beforeAll(() => {
      out = makeTmpDir(`addresses-audit-${browser}`);
    });
    afterAll(() => removeTmpDir(out));

    it(
      'writes no value a site puts in its addresses into its JSON, CSV and HTML reports',
      { timeout: 120_000 },
      async () => {
        const s = sessionInAddress;
        const resolve = server.hosts.flatMap((h) => ['--resolve', `${h}=127.0.0.1`]);
        const run = await audit([
          '--browser',
          browser,
          '--no-build',
          '--insecure',
          ...resolve,
          '--out',
          out,
          server.url(CNP, `/login?PHPSESSID=${s.phpsessid}`),
        ]);
        expect(run.code, run.stderr).not.toBe(3);
        const files = readdirSync(out).sort();
        expect(files.map((f) => f.replace(/^.*\./, ''))).toEqual(['csv', 'html', 'json']);
        const leaks = files.flatMap((file) => {
          const text = readFileSync(`${out}/${file}`, 'utf8');
          return Object.entries(s).flatMap(([what, value]) => (text.includes(value) ? [`${file} holds ${what}`] : []));
        });
        expect(leaks).toEqual([]);
        // Nor does the command print it: its progress lines show the address as a report keeps it.
        for (const printed of [run.stderr, run.stdout]) expect(printed).not.toContain(s.phpsessid);
        expect(run.stderr).toContain(`[1/1] https://${CNP}:${server.httpsPort}/login `);
        // The redirect's cookie and the page's were recorded, with their writers' addresses cut short.
        const json = readFileSync(`${out}/${files.find((f) => f.endsWith('.json'))}`, 'utf8');
        const origin = `https://${CNP}:${server.httpsPort}`;
        expect(json).toContain(`"url": "${origin}/login"`);
        expect(json).toContain(`"url": "${origin}/app/"`);
      },
    );
  });
}
