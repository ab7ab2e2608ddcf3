import { describe, expect, it } from 'vitest';
import { parseCsv, reportCsv } from './csv';
import { buildReport } from './report';
import {
  BROWSER,
  cnp,
  cnpSilentOnConsent,
  consentVisit,
  EXPORTED_AT,
  hostileCatalogue,
  hostileVisit,
  TOOL,
  unreadableConsentVisit,
} from '../../tests/support/export-visits';
import { declarationOf } from './text';
import { scenarioReport } from '../../tests/support/scenario-report';

const INJECTIONS = [
  '=HYPERLINK("http://x")',
  '+1',
  '-2',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
  '＝1+1',
  '＋1',
  '－2',
  '＠SUM(A1)',
];
const AWKWARD = 'a"b,c\nd;e';
const EXCERPTS = {
  'piwik-matomo': 'Matomo « _pk_id » keeps "1 mois", then, on a new line:\r\nthe end',
  'jwt-token': '=1+2 "a formula in the policy"',
};

async function report() {
  const catalogue = hostileCatalogue(EXCERPTS);
  const visit = hostileVisit(catalogue, [...INJECTIONS, AWKWARD]);
  return buildReport({
    visits: [{ report: visit }],
    catalogues: [catalogue],
    tool: TOOL,
    browser: BROWSER,
    exportedAt: EXPORTED_AT,
  });
}

const FORMULA = /^[=+\-@\t\r＝＋－＠]/;
const neutralized = (text: string) => (FORMULA.test(text) ? `'${text}` : text);

describe('the CSV report', () => {
  it('has one row per finding under a localized header, with a BOM and CRLF line ends', async () => {
    const built = await report();
    const en = reportCsv(built, 'en');
    const fr = reportCsv(built, 'fr');
    expect(en.startsWith('\uFEFF"Visit","Severity","Kind","Cookie name"')).toBe(true);
    expect(fr.startsWith('\uFEFF"Visite","Gravité","Type","Nom du cookie"')).toBe(true);
    expect(en.endsWith('"\r\n')).toBe(true);
    const rows = parseCsv(en);
    expect(rows).toHaveLength(built.findings.length + 1);
    for (const row of rows) expect(row).toHaveLength(21);
    // Outside quoted cells, every line break is CRLF.
    expect(en.replace(/"(?:[^"]|"")*"/g, '').replace(/\r\n/g, '')).toMatch(/^\uFEFF[,]*$/);
  });

  it('neutralizes cells a spreadsheet would take for a formula', async () => {
    const built = await report();
    const rows = parseCsv(reportCsv(built, 'fr')).slice(1);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(FORMULA);
    const names = rows.map((row) => row[3]);
    for (const name of INJECTIONS) expect(names).toContain(`'${name}`);
    const jwt = rows.find((row) => row[3] === 'JWT_TOKEN' && row[2] === 'persistent-declared-session')!;
    expect(jwt[15]).toBe(`'${EXCERPTS['jwt-token']}`);
  });

  it('round-trips names, kinds and excerpts with quotes, commas and line breaks, with either delimiter', async () => {
    const built = await report();
    for (const delimiter of [',', ';'] as const) {
      const rows = parseCsv(reportCsv(built, 'en', { delimiter }), delimiter).slice(1);
      expect(rows.map((row) => row[2])).toEqual(built.findings.map((f) => f.kind));
      expect(rows.map((row) => row[3])).toEqual(built.findings.map((f) => neutralized(f.cookie.name)));
      expect(rows.map((row) => row[15])).toEqual(
        built.findings.map((f) => neutralized(declarationOf(f)?.excerpt ?? '')),
      );
      expect(rows.map((row) => row[14])).toEqual(built.findings.map((f) => f.explanation.en));
    }
    const rows = parseCsv(reportCsv(built, 'en')).slice(1);
    expect(rows.map((row) => row[3])).toContain(AWKWARD);
    expect(rows.map((row) => row[15])).toContain(EXCERPTS['piwik-matomo']);
    const pk = rows.find((row) => row[3] === '_pk_id.1.a1b2')!;
    expect(pk.slice(9, 14)).toEqual(['_pk_id.id', 'Piwik (Matomo)', 'audience-measurement', '1 mois', '393 days']);
    expect(pk[16]).toBe('000_f2dd0101e5f31d62.txt:209-335');
  });

  it('shows the consent state at the write, the basis and whose word it is, and never a value', async () => {
    const built = await buildReport({
      visits: [{ report: consentVisit(undefined, cnpSilentOnConsent) }],
      catalogues: [cnpSilentOnConsent],
      tool: TOOL,
      browser: BROWSER,
      exportedAt: EXPORTED_AT,
    });
    const [header, ...rows] = parseCsv(reportCsv(built, 'en'));
    const column = (name: string) => header!.indexOf(name);
    const refusedPk = (r: string[]) =>
      r[column('Kind')] === 'set-after-refusal' && r[column('Cookie name')] === '_pk_id.1.a1b2';
    const row = rows.find(refusedPk)!;
    expect(row[column('Consent state at the write')]).toBe(
      'refused — Cookie Lens’s answer to the banner (TagCommander), 2026-11-23T09:59:59.000Z',
    );
    expect(row[column('Consent basis (whose word)')]).toBe(
      'needs consent, by the CNIL’s rule, the policy saying nothing',
    );
    expect(row[column('Consent basis: the words')]).toMatch(
      /^Under the CNIL’s guidelines on article 82, audience measurement by a third party/,
    );
    // A finding of another kind about a declared cookie still says the entry's basis; not a state it does not judge.
    const other = rows.find((r) => r[column('Kind')] === 'lifetime-exceeds-declared')!;
    expect(other[column('Consent state at the write')]).toBe('');
    expect(other[column('Consent basis (whose word)')]).toMatch(/^needs consent, /);
    const fr = parseCsv(reportCsv(built, 'fr'));
    expect(fr[0]).toContain('État du consentement au dépôt');
    expect(fr.flat()).toContain('nécessite un consentement, selon la règle de la CNIL, la politique n’en disant rien');
    for (const csv of [reportCsv(built, 'en'), reportCsv(built, 'fr')])
      expect(csv).not.toContain('SECRET-CONSENT-VALUE');
    // The CNP's own catalogue asks consent for every cookie but the strictly necessary: the policy's word, its words.
    const own = await buildReport({
      visits: [{ report: consentVisit() }],
      catalogues: [cnp],
      tool: TOOL,
      browser: BROWSER,
      exportedAt: EXPORTED_AT,
    });
    const ownRow = parseCsv(reportCsv(own, 'en')).find(refusedPk)!;
    expect(ownRow[column('Consent basis (whose word)')]).toBe('needs consent, as the policy says of its category');
    expect(ownRow[column('Consent basis: the words')]).toMatch(/^nous vous demandons d’accepter ou de refuser/);
  });
});

describe('the CSV of a visit with consent cookies it could not read', () => {
  it('keeps its columns and rows: the visit’s consent lists are in the JSON and HTML, not the findings’ table', async () => {
    const build = (visit = consentVisit('visit-cnp-unreadable')) =>
      buildReport({
        visits: [{ report: visit }],
        catalogues: [cnp],
        tool: TOOL,
        browser: BROWSER,
        exportedAt: EXPORTED_AT,
      });
    const withProblems = await build(unreadableConsentVisit());
    expect(withProblems.visits[0]!.consentProblems).toHaveLength(2);
    for (const language of ['en', 'fr'] as const) {
      const csv = reportCsv(withProblems, language);
      expect(csv).toBe(reportCsv(await build(), language));
      expect(csv).not.toContain('euconsent-v2');
      expect(csv).not.toContain('SECRET-CONSENT-VALUE');
      for (const row of parseCsv(csv)) expect(row).toHaveLength(21);
    }
  });
});

describe('the CSV of a consent audit', () => {
  it('says the scenario of each finding in a last column, and leaves it empty for an audit without scenarios', async () => {
    const built = await scenarioReport();
    const [header, ...rows] = parseCsv(reportCsv(built, 'fr'));
    expect(header!.at(-1)).toBe('Scénario');
    expect(parseCsv(reportCsv(built, 'en'))[0]!.at(-1)).toBe('Scenario');
    expect(rows.map((row) => [row[0], row.at(-1)])).toEqual(
      built.findings.map((f) => [f.visitId, f.visitId === 'visit-none' ? 'none' : 'refuse']),
    );
    expect(new Set(rows.map((row) => row.at(-1)))).toEqual(new Set(['none', 'refuse']));

    const plain = parseCsv(reportCsv(await report(), 'en')).slice(1);
    for (const row of plain) expect(row.at(-1)).toBe('');
  });
});
