import * as v from 'valibot';
import {
  CatalogueSchema,
  CATEGORIES,
  CONSENT_BASES,
  DeclaredLifetimeSchema,
  PARTIES,
  STORAGES,
} from '../catalogue/schema';
import { FINDING_KINDS, SEVERITIES, type FindingKind, type Severity } from '../audit/findings';
import { CONSENT_CHOICES, CONSENT_PLATFORMS } from '../consent/consent-state';
import type { MatchHow } from '../audit/matching';
import { SCENARIO_STATUSES, SCENARIOS } from '../consent/scenarios';
import { CONSENT_PROBLEM_REASONS } from '../consent/signals/reading';

/**
 * The auditor's report, as exported in JSON: docs/report-format.md explains every field, docs/report.schema.json is
 * this schema as JSON Schema. Nothing here can hold a cookie's value, and `buildReport` parses its output through
 * this schema, so a field it does not list never reaches a report.
 */
export const REPORT_FORMAT_VERSION = 2;

/** As `Date.prototype.toISOString` writes it: a requested expiry can lie past year 9999 (then "+YYYYYY"). */
const time = v.pipe(v.string(), v.regex(/^(\d{4}|[+-]\d{6})-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const seconds = v.pipe(v.number(), v.minValue(0));
const lines = v.nullable(v.tuple([count, count]));
const store = v.picklist(['cookie', 'localStorage', 'sessionStorage']);
const party = v.picklist(['first', 'third']);
const setBy = v.picklist(['header', 'script', 'jar', 'unknown']);
const MATCH_HOWS = ['exact', 'pattern', 'case', 'variant'] as const satisfies readonly MatchHow[];

const ExpirySchema = v.nullable(
  v.variant('session', [v.object({ session: v.literal(true) }), v.object({ session: v.literal(false), at: time })]),
);

const WriteSchema = v.object({
  at: time,
  by: setBy,
  url: v.nullable(v.string()),
  requested: ExpirySchema,
  stored: ExpirySchema,
});

export const WriteLifetimeSchema = v.variant('kind', [
  v.object({ kind: v.literal('session') }),
  v.object({ kind: v.literal('seconds'), seconds }),
  v.object({ kind: v.literal('unknown') }),
]);

const AttributesSchema = v.nullable(
  v.object({
    secure: v.boolean(),
    httpOnly: v.boolean(),
    sameSite: v.picklist(['no_restriction', 'lax', 'strict', 'unspecified']),
    partitioned: v.boolean(),
  }),
);

const SummarySchema = v.object({
  cookies: count,
  findings: count,
  needingAttention: count,
  bySeverity: v.object(Object.fromEntries(SEVERITIES.map((s) => [s, count])) as Record<Severity, typeof count>),
  byKind: v.object(Object.fromEntries(FINDING_KINDS.map((k) => [k, count])) as Record<FindingKind, typeof count>),
});

/** A version 1 report was written before some kinds existed: a kind it does not count is counted 0. */
const V1SummarySchema = v.object({
  ...SummarySchema.entries,
  byKind: v.object(
    Object.fromEntries(FINDING_KINDS.map((k) => [k, v.optional(count, 0)])) as Record<
      FindingKind,
      v.OptionalSchema<typeof count, 0>
    >,
  ),
});

export const ReportCatalogueSchema = v.object({
  id: v.string(),
  publisher: v.string(),
  title: v.string(),
  language: v.string(),
  policy: CatalogueSchema.entries.policy,
  date: CatalogueSchema.entries.date,
  entries: count,
  rules: count,
  /** Hex SHA-256 of the catalogue's canonical JSON (RFC 8785): which version of the policy's transcription was used. */
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
});

/** A change of the visit's consent state: the choice decoded from a signal or made on a banner, never a value. */
const ConsentChangeSchema = v.object({
  at: time,
  choice: v.picklist(CONSENT_CHOICES),
  granted: v.nullable(v.array(v.picklist(CATEGORIES))),
  purposes: v.nullable(v.array(count)),
  platformCategories: v.nullable(v.array(v.string())),
  source: v.variant('kind', [
    v.object({ kind: v.literal('signal'), platform: v.picklist(CONSENT_PLATFORMS), name: v.string() }),
    v.object({
      kind: v.literal('banner'),
      rule: v.string(),
      action: v.picklist(['detected', 'opt-out', 'opt-in']),
      clicks: v.nullable(count),
    }),
    v.object({ kind: v.literal('platform-loaded'), platform: v.picklist(CONSENT_PLATFORMS), host: v.string() }),
  ]),
});

/**
 * A consent platform's cookie of the visit's site that could not be read: which platform's, its name, why, how many
 * times and when first and last. Never its value, nor any part of it.
 */
const ConsentProblemSchema = v.object({
  platform: v.picklist(CONSENT_PLATFORMS),
  name: v.string(),
  reason: v.picklist(CONSENT_PROBLEM_REASONS),
  count,
  firstAt: time,
  lastAt: time,
});

export const ReportVisitSchema = v.object({
  id: v.string(),
  site: v.string(),
  topHost: v.string(),
  startedAt: time,
  endedAt: time,
  pages: count,
  pageUrls: v.array(v.string()),
  hosts: v.array(v.string()),
  storeId: v.nullable(v.string()),
  private: v.boolean(),
  /** In the order they were applied: the first wins when two declare a name equally well. */
  catalogueIds: v.array(v.string()),
  summary: SummarySchema,
  /** The visit's consent timeline, in order. Always written; absent from reports written before it was. */
  consent: v.optional(v.array(ConsentChangeSchema)),
  /** Its consent cookies that could not be read. Always written; absent from reports written before it was. */
  consentProblems: v.optional(v.array(ConsentProblemSchema)),
});

export const ReportCookieSchema = v.object({
  visitId: v.string(),
  store,
  name: v.string(),
  domain: v.string(),
  path: v.string(),
  party,
  partitionKey: v.nullable(v.string()),
  attributes: AttributesSchema,
  firstSeen: time,
  lastSeen: time,
  firstDeposit: time,
  renewals: count,
  removed: v.boolean(),
  /** Of the write that asked for the longest life. */
  lifetime: v.object({ requested: WriteLifetimeSchema, stored: WriteLifetimeSchema }),
  firstWrite: WriteSchema,
  lastWrite: WriteSchema,
  longestWrite: WriteSchema,
  declared: v.nullable(
    v.object({
      catalogueId: v.string(),
      entryId: v.string(),
      vendor: v.nullable(v.string()),
      printedName: v.string(),
      match: v.picklist(MATCH_HOWS),
      category: v.picklist(CATEGORIES),
      lifetime: DeclaredLifetimeSchema,
    }),
  ),
});

/** What a finding is about: an observed cookie, or (declared-not-seen, policy-lists-no-cookies) none. */
const FindingCookieSchema = v.variant('observed', [
  v.object({
    observed: v.literal(true),
    store,
    name: v.string(),
    domain: v.string(),
    path: v.string(),
    party,
    setBy,
    setterUrl: v.nullable(v.string()),
    firstSeen: time,
    firstDeposit: time,
    renewals: count,
    attributes: AttributesSchema,
    requested: WriteLifetimeSchema,
    stored: WriteLifetimeSchema,
    writtenAt: time,
  }),
  v.object({ observed: v.literal(false), name: v.string(), domain: v.string() }),
]);

/** Whether a cookie needs consent, and whose word that is: the entry's, a policy rule's, or the regulator's rule. */
const ConsentBasisSchema = v.object({
  basis: v.picklist(CONSENT_BASES),
  from: v.picklist(['entry', 'policy-rule', 'regulator']),
  excerpt: v.string(),
  source: v.string(),
  lines,
  /** For `regulator`: the rule in both languages. */
  regulatorRule: v.optional(v.object({ fr: v.string(), en: v.string() })),
});

const ConsentEvidenceSchema = v.object({
  choice: v.picklist([...CONSENT_CHOICES, 'unknown']),
  state: v.nullable(ConsentChangeSchema),
  contradictedBy: v.nullable(ConsentChangeSchema),
  basis: v.nullable(ConsentBasisSchema),
  itemsNeedingConsent: v.nullable(count),
  banner: v.nullable(v.object({ site: v.string(), rule: v.string(), refuseClicks: count, acceptClicks: count })),
});

const EntryEvidenceSchema = v.object({
  catalogueId: v.string(),
  entryId: v.string(),
  vendor: v.nullable(v.string()),
  printedName: v.nullable(v.string()),
  pattern: v.nullable(v.string()),
  category: v.picklist(CATEGORIES),
  purpose: v.string(),
  lifetime: DeclaredLifetimeSchema,
  party: v.picklist(PARTIES),
  storage: v.picklist(STORAGES),
  excerpt: v.string(),
  source: v.string(),
  lines,
  /** Absent from reports made before consent was assessed. */
  consent: v.optional(ConsentBasisSchema),
});

const RuleEvidenceSchema = v.object({
  catalogueId: v.string(),
  ruleId: v.string(),
  appliesTo: v.string(),
  lifetime: DeclaredLifetimeSchema,
  excerpt: v.string(),
  source: v.string(),
  lines,
});

export const ReportFindingSchema = v.object({
  visitId: v.string(),
  id: v.string(),
  kind: v.picklist(FINDING_KINDS),
  severity: v.picklist(SEVERITIES),
  cookie: FindingCookieSchema,
  entry: v.nullable(EntryEvidenceSchema),
  rule: v.nullable(RuleEvidenceSchema),
  match: v.nullable(v.picklist(MATCH_HOWS)),
  measurement: v.nullable(
    v.object({
      allowedSeconds: v.nullable(seconds),
      actualSeconds: v.nullable(seconds),
      toleranceSeconds: seconds,
      basis: v.picklist(['requested', 'stored', 'first-deposit']),
      limitAt: v.nullable(time),
      endsAt: v.nullable(time),
    }),
  ),
  coverage: v.nullable(
    v.object({ site: v.string(), startedAt: time, endedAt: time, pages: count, hosts: v.array(v.string()) }),
  ),
  catalogueId: v.nullable(v.string()),
  /** For the consent kinds; absent from reports made before consent was assessed. */
  consent: v.optional(v.nullable(ConsentEvidenceSchema)),
  notes: v.array(v.string()),
  explanation: v.object({ fr: v.string(), en: v.string() }),
});

/** One scenario of a consent audit: what the banner engine did, and what the visit that followed saw. */
export const ReportScenarioSchema = v.object({
  name: v.picklist(SCENARIOS),
  status: v.picklist(SCENARIO_STATUSES),
  /** Why it was not run, in a line (English, as the audit printed it); null when it was run. */
  error: v.nullable(v.string()),
  /** The banner engine's outcome; null when it gave none (the page did not load, or it never settled). */
  banner: v.nullable(
    v.object({
      status: v.picklist(['not-recognised', 'detected', 'answered', 'failed']),
      rule: v.nullable(v.string()),
      action: v.nullable(v.picklist(['opt-out', 'opt-in'])),
      clicks: v.nullable(count),
      at: v.nullable(time),
    }),
  ),
  /** The visit of `visits[]` this scenario made; null when it was not run. */
  visitId: v.nullable(v.string()),
  pageUrls: v.array(v.string()),
  followed: v.array(v.string()),
  consent: v.array(ConsentChangeSchema),
  summary: v.nullable(SummarySchema),
  cookies: v.array(
    v.object({ store, domain: v.string(), name: v.string(), path: v.string(), partitionKey: v.nullable(v.string()) }),
  ),
  findings: v.array(v.object({ id: v.string(), kind: v.picklist(FINDING_KINDS), severity: v.picklist(SEVERITIES) })),
});

const ReportFields = {
  tool: v.object({ name: v.string(), version: v.string() }),
  browser: v.object({ name: v.string(), version: v.string() }),
  exportedAt: time,
  catalogues: v.array(ReportCatalogueSchema),
  visits: v.array(ReportVisitSchema),
  summary: SummarySchema,
  cookies: v.array(ReportCookieSchema),
  findings: v.array(ReportFindingSchema),
};

/** The report Cookie Lens writes (version 2). */
export const AuditReportSchema = v.object({
  reportFormatVersion: v.literal(REPORT_FORMAT_VERSION),
  ...ReportFields,
  /** A consent audit's scenarios, in the order run; empty for any other report. */
  scenarios: v.array(ReportScenarioSchema),
});

/** A report of version 1, as earlier versions of Cookie Lens wrote it. */
export const AuditReportV1Schema = v.object({
  reportFormatVersion: v.literal(1),
  ...ReportFields,
  summary: V1SummarySchema,
  visits: v.array(v.object({ ...ReportVisitSchema.entries, summary: V1SummarySchema })),
});

/**
 * Any report a Cookie Lens wrote, read as the current version by docs/report-format.md's rules: a version 1 report is
 * one with no scenarios (and a kind it does not count, counted 0). Its `reportFormatVersion` still says 1.
 */
export const ReadableReportSchema = v.union([
  AuditReportSchema,
  v.pipe(
    AuditReportV1Schema,
    v.transform((report) => ({ ...report, scenarios: [] as ReportScenario[] })),
  ),
]);
export type ReadableReport = v.InferOutput<typeof ReadableReportSchema>;

export type AuditReport = v.InferOutput<typeof AuditReportSchema>;
export type ReportCookie = v.InferOutput<typeof ReportCookieSchema>;
export type ReportFinding = v.InferOutput<typeof ReportFindingSchema>;
export type ReportVisit = v.InferOutput<typeof ReportVisitSchema>;
export type ReportScenario = v.InferOutput<typeof ReportScenarioSchema>;
export type ReportConsentChange = v.InferOutput<typeof ConsentChangeSchema>;
export type ReportConsentProblem = v.InferOutput<typeof ConsentProblemSchema>;
export type ReportCatalogue = v.InferOutput<typeof ReportCatalogueSchema>;
export type ReportWriteLifetime = v.InferOutput<typeof WriteLifetimeSchema>;
