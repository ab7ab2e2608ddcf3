import * as v from 'valibot';
import type { Catalogue } from '../catalogue/schema';
import { SEVERITY_ORDER, summarize, type Finding } from '../audit/findings';
import { matchCookie } from '../audit/matching';
import type { VisitReport } from '../audit/visit-report';
import {
  requestedLifetime,
  storedLifetime,
  type CookieWrite,
  type Expiry,
  type ObservedItem,
} from '../observation/observed';
import type { VisitRecord } from '../storage/db';
import type { ConsentChange } from '../consent/consent-state';
import type { ScenarioName, ScenarioStatus } from '../consent/scenarios';
import { evidenceAddress } from '../observation/evidence-address';
import { canonicalJson, sha256Hex } from './digest';
import { AuditReportSchema, REPORT_FORMAT_VERSION, type AuditReport } from './report-schema';

/**
 * Builds the auditor's report of one or more visits (docs/report-format.md). The same input gives the same report,
 * whatever the order of its visits, items and catalogues: everything is sorted in a total order.
 */
export interface ReportInput {
  visits: ReadonlyArray<{ report: VisitReport }>;
  /** The full catalogues the visits were checked against (others are ignored): their content is hashed. */
  catalogues: readonly Catalogue[];
  tool: { name: string; version: string };
  browser: { name: string; version: string };
  /** ms since the epoch; the only thing that differs between two exports of the same visits. */
  exportedAt: number;
  /** A consent audit's scenarios, in the order run; each one run names its visit, which `visits` holds. */
  scenarios?: readonly ScenarioInput[];
}

export interface ScenarioInput {
  name: ScenarioName;
  status: ScenarioStatus;
  error: string | null;
  banner: {
    status: 'not-recognised' | 'detected' | 'answered' | 'failed';
    rule: string | null;
    action: 'opt-out' | 'opt-in' | null;
    clicks: number | null;
    at: number | null;
  } | null;
  /** The links followed after the banner's outcome (cut to evidence addresses here). */
  followed: readonly string[];
  visitId: string | null;
}

type Draft = v.InferInput<typeof AuditReportSchema>;

export async function buildReport(input: ReportInput): Promise<AuditReport> {
  const reports = sortBy(
    input.visits.map(({ report }) => report),
    (report) => [report.visit.startedAt, report.visit.id],
  );
  const visitIds = reports.map((report) => report.visit.id);
  if (new Set(visitIds).size !== visitIds.length) throw new Error('buildReport: the same visit is given twice');
  const used = await cataloguesUsed(reports, input.catalogues);

  const draft: Draft = {
    reportFormatVersion: REPORT_FORMAT_VERSION,
    tool: input.tool,
    browser: input.browser,
    exportedAt: iso(input.exportedAt),
    catalogues: [...used.values()].map(({ catalogue, sha256 }) => ({
      ...catalogue,
      entries: catalogue.entries.length,
      rules: catalogue.rules.length,
      sha256,
    })),
    visits: reports.map(visitOf),
    summary: summaryOf(
      reports.reduce((total, report) => total + report.items.length, 0),
      reports.flatMap((report) => report.findings),
    ),
    cookies: reports.flatMap((report) => {
      const applied = report.catalogues.map((summary) => used.get(summary.id)!.catalogue);
      return sortBy(
        report.items.map((item) => cookieOf(report.visit.id, item, applied)),
        (c) => [c.store, c.domain, c.name, c.path, c.partitionKey ?? '', JSON.stringify(c)],
      );
    }),
    findings: reports.flatMap((report) =>
      sortBy(
        report.findings.map((finding) => findingOf(report.visit, finding)),
        (f) => [SEVERITY_ORDER[f.severity], f.id, JSON.stringify(f)],
      ),
    ),
    scenarios: (input.scenarios ?? []).map((scenario) => scenarioOf(scenario, reports)),
  };
  // Parsing drops any field the schema does not list (a value, were one ever added upstream) and fixes key order.
  return v.parse(AuditReportSchema, draft);
}

/** The report as a JSON file: two-space indented, with a final newline. */
export function reportJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

async function cataloguesUsed(
  reports: readonly VisitReport[],
  given: readonly Catalogue[],
): Promise<Map<string, { catalogue: Catalogue; sha256: string }>> {
  const ids = sortedUnique(reports.flatMap((report) => report.catalogues.map((summary) => summary.id)));
  const used = new Map<string, { catalogue: Catalogue; sha256: string }>();
  for (const id of ids) {
    const candidates = given.filter((catalogue) => catalogue.id === id);
    const hashes = new Set(await Promise.all(candidates.map((catalogue) => sha256Hex(canonicalJson(catalogue)))));
    if (hashes.size !== 1) {
      throw new Error(
        candidates.length === 0
          ? `buildReport: catalogue "${id}" was applied but not given; its content is needed for its hash`
          : `buildReport: two different catalogues are given with the id "${id}"`,
      );
    }
    used.set(id, { catalogue: candidates[0]!, sha256: [...hashes][0]! });
  }
  return used;
}

function visitOf(report: VisitReport): Draft['visits'][number] {
  const { visit } = report;
  return {
    ...visit,
    startedAt: iso(visit.startedAt),
    endedAt: iso(visit.endedAt),
    hosts: sortedUnique(visit.hosts),
    private: report.isPrivate,
    catalogueIds: report.catalogues.map((summary) => summary.id),
    summary: summaryOf(report.items.length, report.findings),
    consent: (visit.consent ?? []).map(consentChangeOf),
    // Which cookie could not be read and why: the schema keeps no other field, so never its value.
    consentProblems: sortBy(
      (visit.consentProblems ?? []).map((problem) => ({
        ...problem,
        firstAt: iso(problem.firstAt),
        lastAt: iso(problem.lastAt),
      })),
      (p) => [p.firstAt, p.platform, p.name, p.reason],
    ),
  };
}

function scenarioOf(scenario: ScenarioInput, reports: readonly VisitReport[]): Draft['scenarios'][number] {
  const report = scenario.visitId === null ? null : reports.find((r) => r.visit.id === scenario.visitId);
  if (report === undefined) throw new Error(`buildReport: scenario "${scenario.name}" names a visit not given`);
  const { banner } = scenario;
  return {
    name: scenario.name,
    status: scenario.status,
    error: scenario.error,
    banner: banner && { ...banner, at: banner.at === null ? null : iso(banner.at) },
    visitId: scenario.visitId,
    pageUrls: report?.visit.pageUrls ?? [],
    followed: scenario.followed.flatMap((link) => evidenceAddress(link) ?? []),
    consent: (report?.visit.consent ?? []).map(consentChangeOf),
    summary: report ? summaryOf(report.items.length, report.findings) : null,
    cookies: sortBy(
      (report?.items ?? []).map(({ store, domain, name, path, partitionKey }) => ({
        store,
        domain,
        name,
        path,
        partitionKey: partitionKey ?? null,
      })),
      (c) => [c.store, c.domain, c.name, c.path, c.partitionKey ?? ''],
    ),
    findings: sortBy(
      (report?.findings ?? []).map(({ id, kind, severity }) => ({ id, kind, severity })),
      (f) => [SEVERITY_ORDER[f.severity], f.id],
    ),
  };
}

function consentChangeOf(change: ConsentChange): Draft['scenarios'][number]['consent'][number] {
  return { ...change, at: iso(change.at) };
}

function summaryOf(cookies: number, findings: readonly Finding[]): Draft['summary'] {
  const { bySeverity, byKind, needingAttention } = summarize(findings);
  return { cookies, findings: findings.length, needingAttention, bySeverity, byKind };
}

function cookieOf(visitId: string, item: ObservedItem, catalogues: readonly Catalogue[]): Draft['cookies'][number] {
  const match = catalogues.length > 0 ? matchCookie(item, catalogues) : null;
  return {
    ...item,
    visitId,
    partitionKey: item.partitionKey ?? null,
    attributes: item.attributes ?? null,
    firstSeen: iso(item.firstSeen),
    lastSeen: iso(item.lastSeen),
    firstDeposit: iso(item.firstDeposit),
    removed: item.removed ?? false,
    lifetime: { requested: requestedLifetime(item.longestWrite), stored: storedLifetime(item.longestWrite) },
    firstWrite: writeOf(item.firstWrite),
    lastWrite: writeOf(item.lastWrite),
    longestWrite: writeOf(item.longestWrite),
    declared: match && {
      catalogueId: match.catalogue.id,
      entryId: match.entry.id,
      vendor: match.entry.vendor,
      printedName: match.name.printed,
      match: match.how,
      category: match.entry.category,
      lifetime: match.entry.lifetime,
    },
  };
}

function writeOf(write: CookieWrite): Draft['cookies'][number]['firstWrite'] {
  return {
    at: iso(write.at),
    by: write.by,
    url: write.url ?? null,
    requested: expiryOf(write.requested),
    stored: expiryOf(write.stored),
  };
}

function expiryOf(expiry: Expiry | null): Draft['cookies'][number]['firstWrite']['requested'] {
  if (!expiry) return null;
  return expiry.session ? { session: true } : { session: false, at: iso(expiry.at) };
}

function findingOf(visit: VisitRecord, finding: Finding): Draft['findings'][number] {
  const { cookie, measurement, coverage, consent } = finding;
  return {
    ...finding,
    visitId: visit.id,
    cookie: cookie
      ? {
          ...cookie,
          observed: true,
          firstSeen: iso(cookie.firstSeen),
          firstDeposit: iso(cookie.firstDeposit),
          writtenAt: iso(cookie.writtenAt),
        }
      : // Not about an observed cookie: the declared name, on the host whose policy declares it.
        { observed: false, name: finding.entry?.printedName ?? '', domain: visit.topHost },
    measurement: measurement && {
      ...measurement,
      limitAt: measurement.limitAt === undefined ? null : iso(measurement.limitAt),
      endsAt: measurement.endsAt === undefined ? null : iso(measurement.endsAt),
    },
    coverage: coverage && {
      ...coverage,
      startedAt: iso(coverage.startedAt),
      endedAt: iso(coverage.endedAt),
      hosts: sortedUnique(coverage.hosts),
    },
    consent: consent && {
      ...consent,
      state: consent.state && { ...consent.state, at: iso(consent.state.at) },
      contradictedBy: consent.contradictedBy && { ...consent.contradictedBy, at: iso(consent.contradictedBy.at) },
    },
  };
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/** Code-unit order: unlike localeCompare, the same on every machine. */
function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedUnique(texts: readonly string[]): string[] {
  return [...new Set(texts)].sort(compare);
}

/** Sorts by a list of keys computed once per item; callers end the list with something unique to make it total. */
function sortBy<T>(items: readonly T[], keyOf: (item: T) => Array<string | number>): T[] {
  return items
    .map((item) => ({ item, key: keyOf(item) }))
    .sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) {
        const order = compare(a.key[i]!, b.key[i]!);
        if (order !== 0) return order;
      }
      return 0;
    })
    .map(({ item }) => item);
}
