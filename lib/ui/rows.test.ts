import { describe, expect, it } from 'vitest';
import { DAY, YEAR } from '../lifetime';
import { rowsOf } from '../report-rows';
import { filterRows, groupRows } from './rows';
import { reportOf } from './testing';

const sketches = [
  { name: '_pk_id.1.a1b2', by: 'script' as const, requested: 393 * DAY },
  { name: 'cookies_INFV_ASTER_home', requested: 90 * DAY },
  { name: 'JSESSIONID', requested: 'session' as const },
  { name: 'marketing_id', requested: 2 * YEAR },
  { name: '_qtx_uid', domain: 'widget.quantalys.com', party: 'third' as const, requested: YEAR },
  { name: 'TC_PRIVACY', requested: 390 * DAY, thenRequested: 30 * DAY },
];

describe('the cookie list’s rows, filtered and grouped', () => {
  const rows = rowsOf(reportOf(sketches), 'en');

  it('searches by name without case, and keeps only rows with findings on request', () => {
    expect(filterRows(rows, { query: ' PK_ ', findingsOnly: false }).map((r) => r.name)).toEqual(['_pk_id.1.a1b2']);
    expect(filterRows(rows, { query: '', findingsOnly: true }).every((r) => r.findings.length > 0)).toBe(true);
    expect(filterRows(rows, { query: '', findingsOnly: true }).map((r) => r.name)).not.toContain('cookies_INFV_ASTER_home');
  });

  it('groups by category in reading order, undeclared first, worst rows first within a group', () => {
    const groups = groupRows(rows, 'category');
    expect(groups.map((g) => g.key)).toEqual(['', 'strictly-necessary', 'functional', 'consent', 'audience-measurement']);
    expect(groups[0]!.rows.map((r) => r.name)).toEqual(['_qtx_uid', 'marketing_id']);
  });

  it('groups by vendor alphabetically, and not at all', () => {
    expect(groupRows(rows, 'vendor').map((g) => g.key)).toEqual(['', 'CNP Assurances', 'Piwik (Matomo)', 'TagCommander']);
    expect(groupRows(rows, 'none')).toHaveLength(1);
    expect(groupRows([], 'none')).toEqual([]);
  });
});
