import { describe, expect, it } from 'vitest';
import { DAY, YEAR } from '../lifetime';
import { buildRows, countRows, filterRows, groupRows, otherFindings } from './rows';
import { reportOf } from './testing';

const sketches = [
  { name: '_pk_id.1.a1b2', by: 'script' as const, requested: 393 * DAY },
  { name: 'cookies_INFV_ASTER_home', requested: 90 * DAY },
  { name: 'JSESSIONID', requested: 'session' as const },
  { name: 'marketing_id', requested: 2 * YEAR },
  { name: '_qtx_uid', domain: 'widget.quantalys.com', party: 'third' as const, requested: YEAR },
  { name: 'TC_PRIVACY', requested: 390 * DAY, thenRequested: 30 * DAY },
];

describe('rows of a visit report', () => {
  const report = reportOf(sketches);
  const rows = buildRows(report);
  const byName = (name: string) => rows.find((row) => row.item.name === name)!;

  it('gives each item its declaring entry, from the report’s matches even when it has no finding', () => {
    expect(byName('cookies_INFV_ASTER_home').findings).toEqual([]);
    expect(byName('cookies_INFV_ASTER_home').entry?.category).toBe('functional');
    expect(byName('_pk_id.1.a1b2').how).toBe('pattern');
    expect(byName('marketing_id').entry).toBeNull();
  });

  it('falls back on the findings’ entries for a report without matches', () => {
    const fallback = buildRows(reportOf(sketches, undefined, false));
    expect(fallback.find((row) => row.item.name === '_pk_id.1.a1b2')!.entry?.vendor).toBe('Piwik (Matomo)');
    expect(fallback.find((row) => row.item.name === 'cookies_INFV_ASTER_home')!.entry).toBeNull();
  });

  it('attaches each cookie’s findings, worst first, and judges a consent cookie on its latest write', () => {
    expect(byName('marketing_id').findings.map((f) => f.severity)).toEqual(['high', 'medium']);
    expect(byName('marketing_id').worst).toBe('high');
    expect(byName('TC_PRIVACY').judged).toBe(byName('TC_PRIVACY').item.lastWrite);
    expect(byName('_pk_id.1.a1b2').judged).toBe(byName('_pk_id.1.a1b2').item.longestWrite);
  });

  it('counts what was seen, declared and not, and the findings by severity', () => {
    const counts = countRows(rows, report.findings);
    expect(counts).toMatchObject({ seen: 6, declared: 4, undeclared: 2 });
    expect(Object.values(counts.bySeverity).reduce((a, b) => a + b)).toBe(report.findings.length);
  });

  it('searches by name without case, and keeps only rows with findings on request', () => {
    expect(filterRows(rows, { query: ' PK_ ', findingsOnly: false }).map((r) => r.item.name)).toEqual(['_pk_id.1.a1b2']);
    expect(filterRows(rows, { query: '', findingsOnly: true }).every((r) => r.findings.length > 0)).toBe(true);
    expect(filterRows(rows, { query: '', findingsOnly: true }).map((r) => r.item.name)).not.toContain('cookies_INFV_ASTER_home');
  });

  it('groups by category in reading order, undeclared first, worst rows first within a group', () => {
    const groups = groupRows(rows, 'category');
    expect(groups.map((g) => g.key)).toEqual(['', 'strictly-necessary', 'functional', 'consent', 'audience-measurement']);
    expect(groups[0]!.rows.map((r) => r.item.name)).toEqual(['_qtx_uid', 'marketing_id']);
  });

  it('groups by vendor alphabetically, and not at all', () => {
    expect(groupRows(rows, 'vendor').map((g) => g.key)).toEqual(['', 'CNP Assurances', 'Piwik (Matomo)', 'TagCommander']);
    expect(groupRows(rows, 'none')).toHaveLength(1);
    expect(groupRows([], 'none')).toEqual([]);
  });

  it('keeps aside the findings about no observed cookie', () => {
    expect(otherFindings(report).every((f) => f.kind === 'declared-not-seen' && f.cookie === null)).toBe(true);
    expect(otherFindings(report).length).toBeGreaterThan(0);
  });
});
