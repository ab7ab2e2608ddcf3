import type { Category, ConsentBasis } from '../catalogue/schema';
import { describeConsentBasis } from '../consent/basis';
import type { EffectiveConsentBasis } from '../consent/consent-state';
import { SEVERITY_ORDER, type EntryEvidence, type Finding, type FindingKind, type Severity } from './findings';
import type { Language } from '../i18n';
import type { MatchHow } from './matching';
import type { CookieWrite, Expiry, ObservedItem, StoreKind, VisitCoverage } from '../observation/observed';
import type { VisitRecord } from '../storage/db';
import type { StorageStatus } from '../storage/persister';
import type { CatalogueSummary, VisitReport } from './visit-report';

/**
 * What the cookie list shows of a visit report: one row per observed cookie or storage key, with only what the row
 * itself shows, so that the background can send the popup a thousand of them at once; how the list filters, orders
 * and groups them; and, for one row, the evidence it opens to.
 */

/** What the popup shows of a tab's visit: its report as rows in one language, without the evidence behind them. */
export interface TabRows {
  visit: VisitRecord;
  catalogues: CatalogueSummary[];
  /** All the rows, or the first ones of the list as it opens (grouped by category) when only those were asked for. */
  rows: Row[];
  /** How many rows there are, and in each category group ('' for the undeclared). */
  total: number;
  groupSizes: Record<string, number>;
  counts: Counts;
  policyFindings: PolicyFinding[];
  isPrivate: boolean;
  storage: StorageStatus;
}

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
  /**
   * Whether the cookie needs consent and whose word that is, in the list's language (the words it rests on are in the
   * row's details: `entry.consent`, worded by describeConsentBasis). Absent from entries of reports made before.
   */
  consent?: { basis: ConsentBasis; from: EffectiveConsentBasis['from']; words: string };
}

export interface RowFinding {
  kind: FindingKind;
  severity: Severity;
  /** In the list's language. */
  explanation: string;
}

/** A finding about no observed cookie (a policy naming none, an entry declared but not seen), as the popup lists it. */
export interface PolicyFinding extends RowFinding {
  /** The entry declared but not seen: the name it declares, as printed, and what it says. */
  declared: (RowEntry & { name: string | null }) | null;
  coverage: VisitCoverage | null;
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

function cookieKey(cookie: { store: string; name: string; domain: string; path: string }): string {
  return `${cookie.store}\u0000${cookie.name}\u0000${cookie.domain}\u0000${cookie.path}`;
}

function sameItem(a: ItemIdentity, b: ItemIdentity): boolean {
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
  const findings = [...(byCookie.get(cookieKey(item)) ?? [])].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
  const match = report.matches?.[id] ?? null;
  // A report without matches (older ones) still names the entry in its findings.
  const withEntry = findings.find((f) => f.entry);
  return {
    item,
    entry: match?.entry ?? withEntry?.entry ?? null,
    how: match?.how ?? withEntry?.match ?? null,
    findings,
  };
}

function rowEntry(entry: EntryEvidence, language: Language): RowEntry {
  const row: RowEntry = {
    vendor: entry.vendor,
    category: entry.category,
    purpose: entry.purpose,
    lifetime: entry.lifetime.text,
  };
  // Reports stored before consent was assessed have entries without a basis.
  if (entry.consent) {
    const { basis, whose } = describeConsentBasis(entry.consent, language);
    row.consent = { basis: entry.consent.basis, from: entry.consent.from, words: `${basis}, ${whose}` };
  }
  return row;
}

function rowFinding(finding: Finding, language: Language): RowFinding {
  return { kind: finding.kind, severity: finding.severity, explanation: finding.explanation[language] };
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
      entry: entry && rowEntry(entry, language),
      findings: findings.map((finding) => rowFinding(finding, language)),
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

/** The findings about no observed cookie: declared but not seen, a policy naming no cookie. */
export function policyFindings(report: VisitReport, language: Language): PolicyFinding[] {
  return report.findings
    .filter((finding) => !finding.cookie)
    .map((finding) => ({
      ...rowFinding(finding, language),
      declared: finding.entry && { ...rowEntry(finding.entry, language), name: finding.entry.printedName },
      coverage: finding.coverage,
    }));
}

export function countRows(rows: readonly Row[], findings: readonly Finding[]): Counts {
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const finding of findings) bySeverity[finding.severity]++;
  const declared = rows.filter((row) => row.entry).length;
  return { seen: rows.length, declared, undeclared: rows.length - declared, bySeverity };
}

/**
 * What the popup shows of a visit: the report's rows in one language, without the evidence behind them. With
 * `first`, only the first rows of the list as it opens (grouped by category): what its first screen shows.
 */
export function tabRows(report: VisitReport, language: Language, first?: number): TabRows {
  const rows = rowsOf(report, language);
  const groups = groupRows(rows, 'category');
  return {
    visit: report.visit,
    catalogues: report.catalogues,
    rows: first === undefined || first >= rows.length ? rows : groups.flatMap((group) => group.rows).slice(0, first),
    total: rows.length,
    groupSizes: Object.fromEntries(groups.map((group) => [group.key, group.rows.length])),
    counts: countRows(rows, report.findings),
    policyFindings: policyFindings(report, language),
    isPrivate: report.isPrivate,
    storage: report.storage,
  };
}

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

/**
 * How many rows the list shows at once, before adding the others a slice per frame: enough to fill a window of that
 * height, as no row is under 40 px tall. A popup opens before its window has its height: count the 600 px it may
 * grow to.
 */
export function firstScreenRows(windowHeight: number): number {
  return Math.ceil(Math.max(windowHeight, 600) / 40);
}

export function filterRows(rows: readonly Row[], options: { query: string; findingsOnly: boolean }): Row[] {
  const query = options.query.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (!options.findingsOnly || row.findings.length > 0) && (query === '' || row.name.toLowerCase().includes(query)),
  );
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
  const rank = (key: string): number =>
    key === '' ? -1 : grouping === 'category' ? CATEGORY_ORDER.indexOf(key as Category) : 0;
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || (a === '?' ? 1 : b === '?' ? -1 : a.localeCompare(b)))
    .map(([key, list]) => ({ key, kind: grouping, rows: list }));
}
