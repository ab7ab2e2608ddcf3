import type { Category } from './catalogue/schema';
import { SEVERITY_ORDER, type EntryEvidence, type Finding, type FindingKind, type Severity } from './findings';
import type { Language } from './i18n';
import type { MatchHow } from './matching';
import type { TabRows, VisitReport } from './messages';
import type { CookieWrite, Expiry, ObservedItem, StoreKind } from './observed';

/**
 * What the cookie list shows of a visit report: one row per observed cookie or storage key, with only what the row
 * itself shows, so that the background can send the popup a thousand of them at once; and, for one row, the evidence
 * it opens to.
 */
export interface Row {
  /** The item's index in the report: stable for the report, used for element ids. */
  id: number;
  store: StoreKind;
  name: string;
  domain: string;
  path: string;
  party: 'first' | 'third';
  partitionKey: string | null;
  removed: boolean;
  /** What the declaring entry says; null when no applied catalogue declares the item. */
  entry: RowEntry | null;
  /** Worst first. */
  findings: RowFinding[];
  worst: Severity | null;
  /** The write the findings judge: the latest for a consent cookie, else the one asking for the longest life. */
  judged: Omit<CookieWrite, 'url'>;
  /** When the latest write lets it end, as the browser stored it, else as asked. */
  expiry: Expiry | null;
}

export interface RowEntry {
  vendor: string | null;
  category: Category;
  purpose: string;
  /** The declared lifetime as the policy words it. */
  lifetime: string;
}

export interface RowFinding {
  kind: FindingKind;
  severity: Severity;
  /** In the list's language. */
  explanation: string;
}

/** What an opened row shows: the item, the entry that declares it and how it matched, its findings in full. */
export interface RowDetails {
  item: ObservedItem;
  entry: EntryEvidence | null;
  how: MatchHow | null;
  /** Worst first. */
  findings: Finding[];
}

export interface Counts {
  seen: number;
  declared: number;
  undeclared: number;
  bySeverity: Record<Severity, number>;
}

/** What tells two items of a visit apart. */
export type ItemIdentity = Pick<ObservedItem, 'store' | 'name' | 'domain' | 'path'> & { partitionKey?: string | null };

export function cookieKey(cookie: { store: string; name: string; domain: string; path: string }): string {
  return `${cookie.store}\u0000${cookie.name}\u0000${cookie.domain}\u0000${cookie.path}`;
}

export function sameItem(a: ItemIdentity, b: ItemIdentity): boolean {
  return cookieKey(a) === cookieKey(b) && (a.partitionKey ?? null) === (b.partitionKey ?? null);
}

/** A consent platform rewrites its cookie once the visitor chooses: its latest write is the one judged. */
export function judgedWrite(item: ObservedItem, entry: { category: Category } | null): CookieWrite {
  return entry?.category === 'consent' ? item.lastWrite : item.longestWrite;
}

function findingsByCookie(findings: readonly Finding[]): Map<string, Finding[]> {
  const byCookie = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (!finding.cookie) continue;
    const key = cookieKey(finding.cookie);
    const list = byCookie.get(key);
    if (list) list.push(finding);
    else byCookie.set(key, [finding]);
  }
  return byCookie;
}

function detailsOf(report: VisitReport, id: number, byCookie: Map<string, Finding[]>): RowDetails {
  const item = report.items[id]!;
  const findings = [...(byCookie.get(cookieKey(item)) ?? [])].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const match = report.matches?.[id] ?? null;
  // A report without matches (older ones) still names the entry in its findings.
  const withEntry = findings.find((f) => f.entry);
  return { item, entry: match?.entry ?? withEntry?.entry ?? null, how: match?.how ?? withEntry?.match ?? null, findings };
}

export function rowsOf(report: VisitReport, language: Language): Row[] {
  const byCookie = findingsByCookie(report.findings);
  return report.items.map((item, id) => {
    const { entry, findings } = detailsOf(report, id, byCookie);
    const { at, by, requested, stored } = judgedWrite(item, entry);
    return {
      id,
      store: item.store,
      name: item.name,
      domain: item.domain,
      path: item.path,
      party: item.party,
      partitionKey: item.partitionKey ?? null,
      removed: item.removed ?? false,
      entry: entry && { vendor: entry.vendor, category: entry.category, purpose: entry.purpose, lifetime: entry.lifetime.text },
      findings: findings.map((f) => ({ kind: f.kind, severity: f.severity, explanation: f.explanation[language] })),
      worst: findings[0]?.severity ?? null,
      judged: { at, by, requested, stored },
      expiry: item.lastWrite.stored ?? item.lastWrite.requested,
    };
  });
}

/** The evidence of the report's item that is `identity`; null when the report has no such item. */
export function rowDetails(report: VisitReport, identity: ItemIdentity): RowDetails | null {
  const id = report.items.findIndex((item) => sameItem(item, identity));
  return id < 0 ? null : detailsOf(report, id, findingsByCookie(report.findings));
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

/** What the popup shows of a visit: the report's rows in one language, without the evidence behind them. */
export function tabRows(report: VisitReport, language: Language): TabRows {
  const rows = rowsOf(report, language);
  return {
    visit: report.visit,
    catalogues: report.catalogues,
    rows,
    counts: countRows(rows, report.findings),
    otherFindings: otherFindings(report),
    isPrivate: report.isPrivate,
    storage: report.storage,
    language,
  };
}
