import * as v from 'valibot';
import { isWebUrl } from '../export/markup';
import type { Language } from '../i18n';
import { t } from '../strings';
import { problemMessage, ProblemList, validationIn } from '../validation-language';
import { upgradeCatalogue } from './upgrade';

/**
 * The catalogue format: one published cookie policy turned into data.
 * docs/catalogue-format.md explains every field; `npm run schema` exports it as JSON Schema.
 */
export const CATALOGUE_FORMAT_VERSION = 2;

export const CATEGORIES = [
  'strictly-necessary',
  'functional',
  'audience-measurement',
  'performance',
  'support-chat',
  'consent',
  'security',
  'advertising',
  'social',
  'unknown',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const PARTIES = ['first', 'third', 'unspecified'] as const;
export type Party = (typeof PARTIES)[number];

export const STORAGES = ['cookie', 'localStorage', 'sessionStorage', 'unknown'] as const;
export type Storage = (typeof STORAGES)[number];

/** Whether a cookie needs the visitor's consent before it is set (lib/consent/ resolves the one that applies). */
export const CONSENT_BASES = ['required', 'exempt', 'unspecified'] as const;
export type ConsentBasis = (typeof CONSENT_BASES)[number];

const nonEmpty = v.pipe(v.string(), v.trim(), v.minLength(1));
const seconds = v.pipe(v.number(), v.finite(), v.minValue(0));
const isoDate = v.pipe(v.string(), v.isoDate());

/** A declared lifetime once parsed; `text` keeps it as the policy wrote it. */
export const ParsedLifetimeSchema = v.pipe(
  v.variant('kind', [
    v.object({ kind: v.literal('session') }),
    v.object({
      kind: v.literal('duration'),
      seconds,
      /** "Maximum 12 mois": an upper bound rather than the lifetime itself. */
      maximum: v.boolean(),
    }),
    v.object({ kind: v.literal('range'), minSeconds: seconds, maxSeconds: seconds }),
    /** "Persistent": outlives the session, no duration given. */
    v.object({ kind: v.literal('persistent') }),
    v.object({ kind: v.literal('unknown') }),
  ]),
  v.check(
    (parsed) => parsed.kind !== 'range' || parsed.minSeconds <= parsed.maxSeconds,
    problemMessage('problem_rangeMinimumAboveMaximum'),
  ),
);
export type ParsedLifetime = v.InferOutput<typeof ParsedLifetimeSchema>;

export const DeclaredLifetimeSchema = v.object({
  text: v.string(),
  parsed: ParsedLifetimeSchema,
});
export type DeclaredLifetime = v.InferOutput<typeof DeclaredLifetimeSchema>;

/** Where a piece of the catalogue comes from in the published policy. */
export const ProvenanceSchema = v.object({
  /** Source file name or address of the policy text. */
  source: nonEmpty,
  /** 1-based, inclusive line range in that source, when it is a text file. */
  lines: v.optional(
    v.pipe(
      v.tuple([v.pipe(v.number(), v.integer(), v.minValue(1)), v.pipe(v.number(), v.integer(), v.minValue(1))]),
      v.check(([from, to]) => from <= to, problemMessage('problem_lineRangeBackwards')),
    ),
  ),
  /** The policy's own words, as extracted (line breaks folded to spaces). */
  excerpt: nonEmpty,
});
export type Provenance = v.InferOutput<typeof ProvenanceSchema>;

/**
 * One declared name. `printed` is the spelling the policy prints (after repairing what text extraction broke);
 * `pattern` is what Cookie Lens matches: `*` stands for any run of characters (none included), all else is literal.
 */
export const DeclaredNameSchema = v.object({
  printed: nonEmpty,
  pattern: v.pipe(
    nonEmpty,
    v.check((pattern) => pattern !== '*' && !/\*\*/.test(pattern), problemMessage('problem_patternWithoutLiteral')),
  ),
  /** The text exactly as extracted, when it differed from `printed` (e.g. a name split by a line break). */
  extracted: v.optional(nonEmpty),
  /** Why `printed` differs from `extracted`, or `pattern` from `printed`. */
  reading: v.optional(nonEmpty),
});
export type DeclaredName = v.InferOutput<typeof DeclaredNameSchema>;

const consentBasis = v.picklist(CONSENT_BASES, problemMessage('catalogueConsent_basisSpelling'));

/** What the policy says of an entry's need for consent, in its own words. */
export const ConsentDeclarationSchema = v.object({
  basis: consentBasis,
  provenance: ProvenanceSchema,
});
export type ConsentDeclaration = v.InferOutput<typeof ConsentDeclarationSchema>;

export const EntrySchema = v.object({
  /** Unique within the catalogue; stable across versions of it (reports cite it). */
  id: v.pipe(nonEmpty, v.regex(/^[a-z0-9][a-z0-9._-]*$/, problemMessage('problem_entryIdSpelling'))),
  vendor: v.nullable(nonEmpty),
  /** Empty when the policy describes a cookie without naming it (then `unnamed` is true). */
  names: v.array(DeclaredNameSchema),
  unnamed: v.boolean(),
  /** The purpose as the policy words it, in the policy's language. */
  purpose: v.string(),
  category: v.picklist(CATEGORIES),
  lifetime: DeclaredLifetimeSchema,
  party: v.picklist(PARTIES),
  storage: v.picklist(STORAGES),
  controller: v.nullable(nonEmpty),
  dataCollected: v.nullable(nonEmpty),
  /** Optional host patterns (see `sites`) restricting where the entry's cookies may be set. */
  hosts: v.optional(v.array(nonEmpty)),
  provenance: ProvenanceSchema,
  /** Whether the policy says this cookie needs consent; absent where it says nothing of this entry. */
  consent: v.optional(ConsentDeclarationSchema),
  /** Choices made where the policy is ambiguous, and anything else an auditor should know. */
  notes: v.optional(v.array(nonEmpty)),
});
export type Entry = v.InferOutput<typeof EntrySchema>;

/** "Ces cookies ne sont pas conservés plus de 13 mois": a maximum for every cookie (or one category) of the policy. */
export const LifetimeRuleSchema = v.object({
  id: v.pipe(nonEmpty, v.regex(/^[a-z0-9][a-z0-9._-]*$/)),
  /** `all`, or the category the rule is about. */
  appliesTo: v.union([v.literal('all'), v.picklist(CATEGORIES)]),
  /**
   * `maximum`: no cookie it covers may live longer. `default`: the lifetime of cookies of that category whose entry
   * gives none ("La durée de validité de ces cookies est de trois mois").
   */
  role: v.picklist(['maximum', 'default']),
  lifetime: DeclaredLifetimeSchema,
  provenance: ProvenanceSchema,
  notes: v.optional(v.array(nonEmpty)),
});
export type LifetimeRule = v.InferOutput<typeof LifetimeRuleSchema>;

/** "Ces cookies ne nécessitent pas votre consentement": the basis of every cookie (or one category) of the policy. */
export const ConsentRuleSchema = v.object({
  id: v.pipe(nonEmpty, v.regex(/^[a-z0-9][a-z0-9._-]*$/)),
  appliesTo: v.union([v.literal('all'), v.picklist(CATEGORIES)]),
  basis: consentBasis,
  provenance: ProvenanceSchema,
  notes: v.optional(v.array(nonEmpty)),
});
export type ConsentRule = v.InferOutput<typeof ConsentRuleSchema>;

export const CatalogueSchema = v.object({
  /** Older versions are upgraded before validation (lib/catalogue/upgrade.ts). */
  formatVersion: v.literal(CATALOGUE_FORMAT_VERSION, problemMessage('catalogueConsent_formatVersionUnknown')),
  id: v.pipe(nonEmpty, v.regex(/^[a-z0-9][a-z0-9._-]*$/, problemMessage('problem_catalogueIdSpelling'))),
  publisher: nonEmpty,
  title: nonEmpty,
  /** BCP 47 tag of the policy's language, e.g. "fr". */
  language: v.pipe(nonEmpty, v.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)),
  /** The policy's address, its document name, or both. */
  policy: v.pipe(
    v.object({
      // Shown as a link: only a web address may be one (a `javascript:` address would run in the extension's page).
      url: v.nullable(v.pipe(v.string(), v.url(), v.check(isWebUrl, problemMessage('problem_policyAddressNotWeb')))),
      document: v.nullable(nonEmpty),
    }),
    v.check((p) => p.url !== null || p.document !== null, problemMessage('problem_policyWithoutAddressOrDocument')),
  ),
  /** Publication, update or effective date as the policy states it. */
  date: v.nullable(
    v.object({ value: isoDate, meaning: v.picklist(['published', 'updated', 'effective']), text: nonEmpty }),
  ),
  /**
   * Host patterns of the sites the policy covers: `example.com` is that host only, `*.example.com` is example.com
   * and every host below it. Empty when the policy names no site: a user binds it to one.
   */
  sites: v.array(
    v.pipe(nonEmpty, v.regex(/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/, problemMessage('problem_siteSpelling'))),
  ),
  rules: v.array(LifetimeRuleSchema),
  /** What the policy says of the need for consent, per category or for all its cookies; an entry's own word wins. */
  consentRules: v.optional(v.array(ConsentRuleSchema)),
  entries: v.array(EntrySchema),
  /** Remarks on the whole policy (e.g. that it refers to another page for its cookie list). */
  notes: v.optional(v.array(nonEmpty)),
});
export type Catalogue = v.InferOutput<typeof CatalogueSchema>;

export type CatalogueIssue = { path: string; message: string };
/** A refusal lists the first problems (`LISTED_PROBLEMS`) and counts them all in `total`. */
export type CatalogueValidation =
  { ok: true; catalogue: Catalogue; upgradedFrom?: number } | { ok: false; issues: CatalogueIssue[]; total: number };

/** The catalogue without its lists of rules and entries, which are checked item by item. */
const CatalogueHeadSchema = v.object({
  ...CatalogueSchema.entries,
  rules: v.array(v.unknown()),
  consentRules: v.optional(v.array(v.unknown())),
  entries: v.array(v.unknown()),
});

/**
 * Validates anything claimed to be a catalogue: the shape, then what the shape cannot say (unique ids). Problems are
 * worded in `language`. Rules and entries are checked one at a time and only the first problems are kept, so a file
 * of millions of wrong entries costs one entry's problems in memory at a time. A file of an older format version is
 * upgraded first (`upgradedFrom` says from which).
 */
export function validateCatalogue(given: unknown, language: Language = 'en'): CatalogueValidation {
  const { input, upgradedFrom } = upgradeCatalogue(given, language);
  const config = validationIn(language);
  const problems = new ProblemList<CatalogueIssue>();
  /** Issues of the item at `at` ('' for the whole catalogue), by their dotted path in the catalogue. */
  const addIssues = (issues: readonly v.BaseIssue<unknown>[], at: string) => {
    for (const issue of issues) {
      const path = [at, v.getDotPath(issue)].filter(Boolean).join('.');
      problems.add({ path: path || '(root)', message: issue.message });
    }
  };
  const head = v.safeParse(CatalogueHeadSchema, input, config);
  if (!head.success) addIssues(head.issues, '');
  const items = <T>(key: 'rules' | 'consentRules' | 'entries', schema: v.GenericSchema<unknown, T>): T[] => {
    const list = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[key] : undefined;
    if (!Array.isArray(list)) return [];
    const valid: T[] = [];
    list.forEach((item, index) => {
      const result = v.safeParse(schema, item, config);
      if (result.success) valid.push(result.output);
      else addIssues(result.issues, `${key}.${index}`);
    });
    return valid;
  };
  const rules = items('rules', LifetimeRuleSchema);
  const consentRules = items('consentRules', ConsentRuleSchema);
  const entries = items('entries', EntrySchema);
  if (!head.success || problems.total > 0) return { ok: false, issues: problems.listed, total: problems.total };
  const { consentRules: givenConsentRules, ...header } = head.output;
  const catalogue: Catalogue = { ...header, rules, ...(givenConsentRules ? { consentRules } : {}), entries };
  const seen = new Set<string>();
  catalogue.entries.forEach((entry, index) => {
    if (seen.has(entry.id))
      problems.add({ path: `entries.${index}.id`, message: t(language, 'problem_entryIdTwice', entry.id) });
    seen.add(entry.id);
    if (entry.unnamed !== (entry.names.length === 0)) {
      problems.add({
        path: `entries.${index}.unnamed`,
        message: entry.unnamed
          ? t(language, 'problem_unnamedEntryListsNames')
          : t(language, 'problem_namelessEntryNotMarked'),
      });
    }
  });
  const ruleIds = new Set<string>();
  catalogue.rules.forEach((rule, index) => {
    if (ruleIds.has(rule.id))
      problems.add({ path: `rules.${index}.id`, message: t(language, 'problem_ruleIdTwice', rule.id) });
    ruleIds.add(rule.id);
  });
  const consentRuleIds = new Set<string>();
  consentRules.forEach((rule, index) => {
    if (consentRuleIds.has(rule.id))
      problems.add({
        path: `consentRules.${index}.id`,
        message: t(language, 'catalogueConsent_consentRuleIdTwice', rule.id),
      });
    consentRuleIds.add(rule.id);
  });
  if (problems.total > 0) return { ok: false, issues: problems.listed, total: problems.total };
  return upgradedFrom === null ? { ok: true, catalogue } : { ok: true, catalogue, upgradedFrom };
}
