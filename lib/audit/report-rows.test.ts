import { describe, expect, it } from 'vitest';
import { DAY, YEAR } from './lifetime';
import {
  countRows,
  filterRows,
  firstScreenRows,
  groupRows,
  policyFindings,
  rowDetails,
  rowsOf,
  tabRows,
} from './report-rows';
import { reportOf } from '../../tests/support/visit-reports';

const sketches = [
  { name: '_pk_id.1.a1b2', by: 'script' as const, requested: 393 * DAY },
  { name: 'cookies_INFV_ASTER_home', requested: 90 * DAY },
  { name: 'JSESSIONID', requested: 'session' as const },
  { name: 'marketing_id', requested: 2 * YEAR },
  { name: '_qtx_uid', domain: 'widget.quantalys.com', party: 'third' as const, requested: YEAR },
  { name: 'TC_PRIVACY', requested: 390 * DAY, thenRequested: 30 * DAY },
];

describe('the rows of a visit report', () => {
  const report = reportOf(sketches);
  const rows = rowsOf(report, 'en');
  const byName = (name: string) => rows.find((row) => row.name === name)!;

  it('gives each item what its declaring entry says, from the report’s matches even when it has no finding', () => {
    expect(byName('cookies_INFV_ASTER_home').findings).toEqual([]);
    expect(byName('cookies_INFV_ASTER_home').entry?.category).toBe('functional');
    expect(byName('_pk_id.1.a1b2').entry).toMatchObject({ vendor: 'Piwik (Matomo)', lifetime: '1 mois' });
    expect(byName('marketing_id').entry).toBeNull();
  });

  it('says whether each declared row needs consent and whose word that is, in the list’s language', () => {
    expect(byName('cookies_INFV_ASTER_home').entry?.consent).toEqual({
      basis: 'exempt',
      from: 'regulator',
      words: 'exempt from consent, by the CNIL’s rule, the policy saying nothing',
    });
    expect(rowsOf(report, 'fr').find((row) => row.name === '_pk_id.1.a1b2')!.entry?.consent).toEqual({
      basis: 'required',
      from: 'regulator',
      words: 'nécessite un consentement, selon la règle de la CNIL, la politique n’en disant rien',
    });
    // The words it rests on are in the row's details: the regulator's rule, in both languages.
    const details = rowDetails(
      report,
      rows.find((row) => row.name === '_pk_id.1.a1b2')!,
    )!;
    expect(details.entry?.consent.regulatorRule?.en).toMatch(/audience measurement by a third party/);
  });

  it('falls back on the findings’ entries for a report without matches', () => {
    const fallback = rowsOf(reportOf(sketches, undefined, false), 'en');
    expect(fallback.find((row) => row.name === '_pk_id.1.a1b2')!.entry?.vendor).toBe('Piwik (Matomo)');
    expect(fallback.find((row) => row.name === 'cookies_INFV_ASTER_home')!.entry).toBeNull();
  });

  it('attaches each cookie’s findings, worst first, explained in the language asked for', () => {
    expect(byName('marketing_id').findings.map((f) => f.severity)).toEqual(['high', 'medium']);
    expect(byName('marketing_id').worst).toBe('high');
    expect(byName('_qtx_uid').findings[0]!.explanation).toMatch(/^The third-party cookie “_qtx_uid”/);
    expect(rowsOf(report, 'fr').find((row) => row.name === '_qtx_uid')!.findings[0]!.explanation).toMatch(
      /^Le cookie tiers « _qtx_uid »/,
    );
  });

  it('judges a consent cookie on its latest write, others on the longest, and keeps when the latest ends', () => {
    const consent = report.items.find((item) => item.name === 'TC_PRIVACY')!;
    expect(byName('TC_PRIVACY').judged.at).toBe(consent.lastWrite.at);
    expect(byName('TC_PRIVACY').expiry).toEqual(consent.lastWrite.stored);
    const pk = report.items.find((item) => item.name === '_pk_id.1.a1b2')!;
    expect(byName('_pk_id.1.a1b2').judged).toMatchObject({ by: 'script', requested: pk.longestWrite.requested });
  });

  it('leaves out what only an opened row shows: the writers’ URLs, attributes and the policy’s excerpts', () => {
    const sent = JSON.stringify(rows);
    expect(sent).not.toContain('https://example.test/set');
    expect(sent).not.toContain(report.matches!.find(Boolean)!.entry.excerpt);
    expect(rows.every((row) => !('item' in row) && !('firstWrite' in row))).toBe(true);
  });

  it('counts what was seen, declared and not, and every finding by severity', () => {
    const counts = countRows(rows, report.findings);
    expect(counts).toMatchObject({ seen: 6, declared: 4, undeclared: 2 });
    expect(Object.values(counts.bySeverity).reduce((a, b) => a + b)).toBe(report.findings.length);
  });

  it('keeps aside the findings about no observed cookie, with what their entries declare', () => {
    const notSeen = policyFindings(report, 'en');
    // With the declared-not-seen ones, the visit's consent state: it recognised no consent signal.
    expect(notSeen.length).toBe(report.findings.filter((f) => f.kind === 'declared-not-seen').length + 1);
    expect(notSeen.find((f) => f.kind === 'consent-state-unknown')).toMatchObject({ declared: null });
    expect(notSeen.find((f) => f.declared?.name === 'JWT_TOKEN')).toMatchObject({
      kind: 'declared-not-seen',
      declared: { vendor: 'CNP Assurances', category: 'strictly-necessary', lifetime: 'session' },
      coverage: { pages: 4 },
      explanation: expect.stringMatching(/^“JWT_TOKEN” is declared but was not seen/),
    });
    expect(tabRows(report, 'en')).toMatchObject({
      visit: report.visit,
      rows,
      policyFindings: notSeen,
      counts: countRows(rows, report.findings),
    });
  });
});

describe('the first screen of the popup', () => {
  const report = reportOf(sketches);

  it('is the first rows of the list as it opens, with how many rows there are in all and in each group', () => {
    const first = tabRows(report, 'en', 3);
    const opening = groupRows(rowsOf(report, 'en'), 'category').flatMap((group) => group.rows);
    expect(first.rows.map((row) => row.name)).toEqual(opening.slice(0, 3).map((row) => row.name));
    expect(first.rows.map((row) => row.name)).toEqual(['_qtx_uid', 'marketing_id', 'JSESSIONID']);
    expect(first.total).toBe(6);
    expect(first.groupSizes).toEqual({
      '': 2,
      'strictly-necessary': 1,
      functional: 1,
      consent: 1,
      'audience-measurement': 1,
    });
    expect(first.counts).toEqual(tabRows(report, 'en').counts);
  });

  it('is every row when they all fit, and fills a window of any height, a popup’s at least', () => {
    expect(tabRows(report, 'en', 50).rows).toEqual(rowsOf(report, 'en'));
    expect(firstScreenRows(0)).toBe(15);
    expect(firstScreenRows(600)).toBe(15);
    expect(firstScreenRows(1080)).toBe(27);
  });
});

describe('the evidence of one row', () => {
  const report = reportOf(sketches);
  const identity = (name: string) => ({ ...report.items.find((item) => item.name === name)!, partitionKey: null });

  it('is the whole item, the entry’s words and how it matched, and its findings in full', () => {
    const details = rowDetails(report, identity('_pk_id.1.a1b2'))!;
    expect(details.item).toBe(report.items[0]);
    expect(details.entry?.excerpt).toMatch(/Matomo|Piwik/i);
    expect(details.how).toBe('pattern');
    expect(details.findings.map((f) => f.kind)).toContain('lifetime-exceeds-declared');
    expect(details.findings[0]!.explanation).toHaveProperty('fr');
  });

  it('is nothing for an item the report does not hold, or held under another partition', () => {
    expect(rowDetails(report, { ...identity('JSESSIONID'), name: 'gone' })).toBeNull();
    expect(rowDetails(report, { ...identity('JSESSIONID'), partitionKey: 'https://other.example' })).toBeNull();
  });
});

describe('the cookie list’s rows, filtered and grouped', () => {
  const rows = rowsOf(reportOf(sketches), 'en');

  it('searches by name without case, and keeps only rows with findings on request', () => {
    expect(filterRows(rows, { query: ' PK_ ', findingsOnly: false }).map((r) => r.name)).toEqual(['_pk_id.1.a1b2']);
    expect(filterRows(rows, { query: '', findingsOnly: true }).every((r) => r.findings.length > 0)).toBe(true);
    expect(filterRows(rows, { query: '', findingsOnly: true }).map((r) => r.name)).not.toContain(
      'cookies_INFV_ASTER_home',
    );
  });

  it('groups by category in reading order, undeclared first, worst rows first within a group', () => {
    const groups = groupRows(rows, 'category');
    expect(groups.map((g) => g.key)).toEqual([
      '',
      'strictly-necessary',
      'functional',
      'consent',
      'audience-measurement',
    ]);
    expect(groups[0]!.rows.map((r) => r.name)).toEqual(['_qtx_uid', 'marketing_id']);
  });

  it('groups by vendor alphabetically, and not at all', () => {
    expect(groupRows(rows, 'vendor').map((g) => g.key)).toEqual([
      '',
      'CNP Assurances',
      'Piwik (Matomo)',
      'TagCommander',
    ]);
    expect(groupRows(rows, 'none')).toHaveLength(1);
    expect(groupRows([], 'none')).toEqual([]);
  });
});
