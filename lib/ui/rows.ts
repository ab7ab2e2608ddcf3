import type { Category } from '../catalogue/schema';
import { SEVERITY_ORDER, type EntryEvidence, type Finding, type Severity } from '../findings';
import type { MatchHow } from '../matching';
import type { VisitReport } from '../messages';
import type { CookieWrite, ObservedItem } from '../observed';

/**
 * A visit report turned into what the cookie list shows: one row per observed cookie or storage key, with the entry
 * that declares it and its findings; then filtered, grouped and counted.
 */
export interface Row {
  /** The item's index in the report: stable for the report, used for element ids. */
  id: number;
  item: ObservedItem;
  entry: EntryEvidence | null;
  how: MatchHow | null;
  /** Worst first. */
  findings: Finding[];
  worst: Severity | null;
  /** The write the findings judge: the latest for a consent cookie, else the one asking for the longest life. */
  judged: CookieWrite;
  nameLower: string;
}

export type Grouping = 'category' | 'vendor' | 'none';

export interface Group {
  /** A category id, a vendor's name, '' for rows no entry declares, or 'all' when not grouped. */
  key: string;
  kind: Grouping;
  rows: Row[];
}

export interface Counts {
  seen: number;
  declared: number;
  undeclared: number;
  bySeverity: Record<Severity, number>;
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

export function cookieKey(cookie: { store: string; name: string; domain: string; path: string }): string {
  return `${cookie.store}\u0000${cookie.name}\u0000${cookie.domain}\u0000${cookie.path}`;
}

export function buildRows(report: VisitReport): Row[] {
  const byCookie = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    if (!finding.cookie) continue;
    const key = cookieKey(finding.cookie);
    const list = byCookie.get(key);
    if (list) list.push(finding);
    else byCookie.set(key, [finding]);
  }
  return report.items.map((item, id) => {
    const findings = (byCookie.get(cookieKey(item)) ?? []).sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
    const match = report.matches?.[id] ?? null;
    const withEntry = findings.find((f) => f.entry);
    const entry = match?.entry ?? withEntry?.entry ?? null;
    return {
      id,
      item,
      entry,
      how: match?.how ?? withEntry?.match ?? null,
      findings,
      worst: findings[0]?.severity ?? null,
      judged: entry?.category === 'consent' ? item.lastWrite : item.longestWrite,
      nameLower: item.name.toLowerCase(),
    };
  });
}

/** Findings about no observed cookie: declared but not seen, a policy naming no cookie. */
export function otherFindings(report: VisitReport): Finding[] {
  return report.findings.filter((finding) => !finding.cookie);
}

export function countRows(rows: readonly Row[], findings: readonly Finding[]): Counts {
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of findings) bySeverity[finding.severity]++;
  const declared = rows.filter((row) => row.entry).length;
  return { seen: rows.length, declared, undeclared: rows.length - declared, bySeverity };
}

export function filterRows(rows: readonly Row[], options: { query: string; findingsOnly: boolean }): Row[] {
  const query = options.query.trim().toLowerCase();
  return rows.filter((row) => (!options.findingsOnly || row.findings.length > 0) && (query === '' || row.nameLower.includes(query)));
}

/** Worst finding first, then by name: what needs a look comes to the top of each group. */
function compareRows(a: Row, b: Row): number {
  const severity = (a.worst ? SEVERITY_ORDER[a.worst] : 9) - (b.worst ? SEVERITY_ORDER[b.worst] : 9);
  return severity || (a.nameLower < b.nameLower ? -1 : a.nameLower > b.nameLower ? 1 : a.id - b.id);
}

/** Groups in a fixed order: undeclared rows first, then categories in reading order, or vendors alphabetically. */
export function groupRows(rows: readonly Row[], grouping: Grouping): Group[] {
  const sorted = [...rows].sort(compareRows);
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
