import type { Category } from '../catalogue/schema';
import { SEVERITY_ORDER } from '../findings';
import type { Row } from '../report-rows';

/** The cookie list's rows (lib/report-rows.ts) filtered, sorted and grouped as the list's controls ask. */

export type Grouping = 'category' | 'vendor' | 'none';

export interface Group {
  /** A category id, a vendor's name, '' for rows no entry declares, or 'all' when not grouped. */
  key: string;
  kind: Grouping;
  rows: Row[];
}

/** Catalogue categories in the order a reader meets them; mirrors CATEGORIES in catalogue/schema.ts. */
export const CATEGORY_ORDER = [
  'strictly-necessary',
  'security',
  'functional',
  'consent',
  'performance',
  'audience-measurement',
  'support-chat',
  'social',
  'advertising',
  'unknown',
] as const satisfies readonly Category[];

export function filterRows(rows: readonly Row[], options: { query: string; findingsOnly: boolean }): Row[] {
  const query = options.query.trim().toLowerCase();
  return rows.filter((row) => (!options.findingsOnly || row.findings.length > 0) && (query === '' || row.name.toLowerCase().includes(query)));
}

/** Worst finding first, then by name: what needs a look comes to the top of each group. */
function sortRows(rows: readonly Row[]): Row[] {
  const names = new Map(rows.map((row) => [row, row.name.toLowerCase()]));
  return [...rows].sort((a, b) => {
    const severity = (a.worst ? SEVERITY_ORDER[a.worst] : 9) - (b.worst ? SEVERITY_ORDER[b.worst] : 9);
    const [x, y] = [names.get(a)!, names.get(b)!];
    return severity || (x < y ? -1 : x > y ? 1 : a.id - b.id);
  });
}

/** Groups in a fixed order: undeclared rows first, then categories in reading order, or vendors alphabetically. */
export function groupRows(rows: readonly Row[], grouping: Grouping): Group[] {
  const sorted = sortRows(rows);
  if (grouping === 'none') return sorted.length ? [{ key: 'all', kind: 'none', rows: sorted }] : [];
  const groups = new Map<string, Row[]>();
  for (const row of sorted) {
    const key = !row.entry ? '' : grouping === 'category' ? row.entry.category : (row.entry.vendor ?? '?');
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  const rank = (key: string): number => (key === '' ? -1 : grouping === 'category' ? CATEGORY_ORDER.indexOf(key as Category) : 0);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || (a === '?' ? 1 : b === '?' ? -1 : a.localeCompare(b)))
    .map(([key, list]) => ({ key, kind: grouping, rows: list }));
}
