import type { Category, DeclaredLifetime, Party, Storage } from '../catalogue/schema';
import type { ConsentChange, ConsentChoice, EffectiveConsentBasis } from '../consent/consent-state';
import type { MatchHow } from './matching';
import type { KnownCookie } from '../vendors/known-cookies';
import type { CookieAttributes, SetBy, StoreKind, VisitCoverage, WriteLifetime } from '../observation/observed';

/**
 * Finding kinds. The identifiers are stable: reports, tests and other tools rely on them.
 * docs/findings.md says what each one means and why it has its severity.
 */
export const FINDING_KINDS = [
  'undeclared',
  'lifetime-exceeds-declared',
  'persistent-declared-session',
  'session-declared-persistent',
  'exceeds-policy-maximum',
  'exceeds-cnil-13-months',
  'third-party-declared-first-party',
  'matched-by-variant',
  'declared-not-seen',
  'policy-lists-no-cookies',
  'vendor-default-contradiction',
  'set-before-consent',
  'set-after-refusal',
  'exemption-conditions-not-met',
  'consent-state-unknown',
  'refusal-harder-than-acceptance',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Severities a person should look at: what the toolbar badge counts. */
export function needsAttention(severity: Severity): boolean {
  return severity === 'high' || severity === 'medium';
}

/** The observed facts a finding rests on; never a value. */
export interface CookieEvidence {
  store: StoreKind;
  name: string;
  domain: string;
  path: string;
  party: 'first' | 'third';
  setBy: SetBy;
  setterUrl: string | null;
  firstSeen: number;
  firstDeposit: number;
  renewals: number;
  attributes: CookieAttributes | null;
  /** Life asked for by the write judged, and what the browser stored for it. */
  requested: WriteLifetime;
  stored: WriteLifetime;
  /** When the write judged happened. */
  writtenAt: number;
}

export interface EntryEvidence {
  catalogueId: string;
  entryId: string;
  vendor: string | null;
  /** The declared name that matched, as printed, and the pattern it stands for. */
  printedName: string | null;
  pattern: string | null;
  category: Category;
  purpose: string;
  lifetime: DeclaredLifetime;
  party: Party;
  storage: Storage;
  /** The policy's words, where they are, and in which source. */
  excerpt: string;
  source: string;
  lines: [number, number] | null;
  /** Whether the entry's cookie needs consent, and whose word that is (lib/consent/basis.ts). */
  consent: EffectiveConsentBasis;
}

/** A consent banner as Cookie Lens's banner engine answered it, in an audit's refuse and accept scenarios. */
export interface BannerEvidence {
  /** The site audited (registrable domain). */
  site: string;
  /** The autoconsent rule that recognised the banner. */
  rule: string;
  /** Clicks it took to refuse, and to accept. */
  refuseClicks: number;
  acceptClicks: number;
}

/** The consent facts a consent finding rests on; never a consent cookie's value, only the choice decoded from it. */
export interface ConsentEvidence {
  /**
   * The choice that held when the judged write happened; `unknown` for consent-state-unknown; `refused` for
   * refusal-harder-than-acceptance (the choice it is about).
   */
  choice: ConsentChoice | 'unknown';
  /** The change that made it hold; null where none did (nothing recognised, or before the visit's first change). */
  state: ConsentChange | null;
  /** A site's signal saying the opposite of Cookie Lens's own banner action, which prevails (lib/consent/timeline.ts). */
  contradictedBy: ConsentChange | null;
  /** The basis the finding applies, and whose word it is; null for a finding about no entry. */
  basis: EffectiveConsentBasis | null;
  /** For consent-state-unknown: how many observed items of the catalogue need consent. */
  itemsNeedingConsent: number | null;
  /** For refusal-harder-than-acceptance. */
  banner: BannerEvidence | null;
}

/** A lifetime rule of the policy (blanket or per category) that a finding invokes. */
export interface RuleEvidence {
  catalogueId: string;
  ruleId: string;
  appliesTo: string;
  lifetime: DeclaredLifetime;
  excerpt: string;
  source: string;
  lines: [number, number] | null;
}

/** The comparison behind a lifetime finding, in seconds. */
export interface Measurement {
  allowedSeconds: number | null;
  actualSeconds: number | null;
  toleranceSeconds: number;
  basis: 'requested' | 'stored' | 'first-deposit';
  /** For the CNIL rule: the date the cookie may live to at most, and the date it would live to. */
  limitAt?: number;
  endsAt?: number;
}

export interface Finding {
  /** Stable across runs for the same cookie, entry and kind. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  cookie: CookieEvidence | null;
  entry: EntryEvidence | null;
  rule: RuleEvidence | null;
  match: MatchHow | null;
  measurement: Measurement | null;
  /** For `declared-not-seen`: what the visit covered. */
  coverage: VisitCoverage | null;
  /** For `policy-lists-no-cookies` and `declared-not-seen`: the catalogue concerned. */
  catalogueId: string | null;
  /** For `vendor-default-contradiction`: what the vendor documents (its documentation, not the site's declaration). */
  vendor: KnownCookie | null;
  /** For the consent kinds: the consent state at the write, the basis applied, the banner. */
  consent: ConsentEvidence | null;
  /** Remarks that qualify the finding (e.g. a consent cookie's provisional expiry). */
  notes: string[];
  explanation: { fr: string; en: string };
}

export const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/** Counts of findings by severity and by kind, for badges and report summaries. */
export function summarize(findings: readonly Finding[]): {
  bySeverity: Record<Severity, number>;
  byKind: Record<FindingKind, number>;
  needingAttention: number;
} {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byKind = Object.fromEntries(FINDING_KINDS.map((k) => [k, 0])) as Record<FindingKind, number>;
  let needingAttention = 0;
  for (const finding of findings) {
    bySeverity[finding.severity]++;
    byKind[finding.kind]++;
    if (needsAttention(finding.severity)) needingAttention++;
  }
  return { bySeverity, byKind, needingAttention };
}
