import type { Catalogue, DeclaredLifetime, Entry } from '../catalogue/schema';
import type { ConsentChange } from '../consent/consent-state';
import { consentFindings } from './consent-findings';
import { cookieEvidence, entryEvidence, finding, ruleEvidence } from './evidence';
import type { Finding, Measurement, RuleEvidence, Severity } from './findings';
import { SEVERITY_ORDER } from './findings';
import { addCalendarMonths, DAY, declaredMaximumSeconds, MONTH, YEAR } from './lifetime';
import { matchCookie, type Match } from './matching';
import { knownCookie, vendorDefaultContradiction } from '../vendors/known-cookies';
import {
  latestEnd,
  requestedLifetime,
  type CookieWrite,
  type ObservedItem,
  type VisitCoverage,
  type WriteLifetime,
} from '../observation/observed';

/**
 * Declared versus actual: the findings of one visit, from the catalogues that apply to its site and what it observed.
 * docs/findings.md gives the reasons behind each threshold.
 */
export interface Tolerance {
  /** A lifetime may exceed what is declared by this share of it… */
  ratio: number;
  /** …or by this many seconds, whichever is larger. */
  minSeconds: number;
}

/**
 * 5 %: policies round to whole units, calendar months run from 28 to 31 days around the 30.4-day mean used to read
 * "mois", and leap years add a day; 5 s: Expires is computed on a server clock that can be a few seconds off.
 */
export const DEFAULT_TOLERANCE: Tolerance = { ratio: 0.05, minSeconds: 5 };

/** Consent cookies written with an expiry this far out, once, are treated as a placeholder awaiting the choice. */
const PROVISIONAL_CONSENT_SECONDS = 5 * YEAR;
const CNIL_MONTHS = 13;

export interface FindingsInput {
  catalogues: readonly Catalogue[];
  observed: readonly ObservedItem[];
  coverage: VisitCoverage;
  tolerance?: Tolerance;
  /** The visit's consent changes (`VisitRecord.consent`); absent or empty: the consent state is unknown. */
  consent?: readonly ConsentChange[];
}

export { entryEvidence };

export function computeFindings(input: FindingsInput): Finding[] {
  return assessVisit(input).findings;
}

/** The findings of a visit, and the match that declares each item it observed (in their order; null for none). */
export function assessVisit(input: FindingsInput): { findings: Finding[]; matches: Array<Match | null> } {
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE;
  const findings: Finding[] = [];
  const matches: Array<Match | null> = [];
  const seenEntries = new Set<Entry>();

  for (const catalogue of input.catalogues) {
    if (!catalogue.entries.some((entry) => entry.names.length > 0)) {
      findings.push(
        finding('policy-lists-no-cookies', 'medium', { catalogueId: catalogue.id, coverage: input.coverage }),
      );
    }
  }

  for (const item of input.observed) {
    const match = input.catalogues.length > 0 ? matchCookie(item, input.catalogues) : null;
    matches.push(match);
    if (match) seenEntries.add(match.entry);
    findings.push(...findingsForItem(item, match, input.catalogues, tolerance));
  }

  findings.push(
    ...consentFindings({
      catalogues: input.catalogues,
      observed: input.observed,
      matches,
      consent: input.consent ?? [],
    }),
  );

  for (const catalogue of input.catalogues) {
    for (const entry of catalogue.entries) {
      if (entry.names.length === 0 || seenEntries.has(entry)) continue;
      findings.push(
        finding('declared-not-seen', 'info', {
          entry: entryEvidence(catalogue, entry, null),
          catalogueId: catalogue.id,
          coverage: input.coverage,
        }),
      );
    }
  }

  findings.sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return { findings, matches };
}

function findingsForItem(
  item: ObservedItem,
  match: Match | null,
  catalogues: readonly Catalogue[],
  tolerance: Tolerance,
): Finding[] {
  const out: Finding[] = [];
  const entry = match?.entry ?? null;
  const consent = entry?.category === 'consent';
  // A consent platform rewrites its cookie once the visitor chooses: judge the latest write, not a placeholder.
  const write = consent ? item.lastWrite : item.longestWrite;
  const cookie = cookieEvidence(item, write);
  const entryEv = match ? entryEvidence(match.catalogue, match.entry, match) : null;
  const base = { cookie, entry: entryEv, match: match?.how ?? null };

  if (catalogues.length > 0 && !match) {
    out.push(
      finding('undeclared', item.party === 'third' ? 'high' : 'medium', { ...base, catalogueId: catalogues[0]!.id }),
    );
  }
  if (match && (match.how === 'case' || match.how === 'variant')) {
    out.push(finding('matched-by-variant', 'info', base));
  }
  if (match && match.entry.party === 'first' && item.party === 'third') {
    out.push(finding('third-party-declared-first-party', 'medium', base));
  }

  if (match) {
    // The policy's declared lifetime against what the vendor documents for the name (Application Insights keeps
    // ai_user a year; the AMEX table says 30 minutes).
    const known = knownCookie(item.name);
    if (known && vendorDefaultContradiction(declaredLifetimeOf(match).lifetime.parsed, known).contradicts) {
      out.push(finding('vendor-default-contradiction', 'low', { ...base, vendor: known }));
    }
  }

  if (item.store !== 'cookie') {
    // Web Storage has no expiry: localStorage stays until cleared, so only a "session" declaration can be wrong.
    const declared = match ? declaredLifetimeOf(match) : null;
    if (item.store === 'localStorage' && declared?.lifetime.parsed.kind === 'session') {
      out.push(finding('persistent-declared-session', 'low', { ...base, rule: declared.rule }));
    }
    return out;
  }

  const actual = requestedLifetime(write);
  const provisional =
    consent && item.renewals === 0 && actual.kind === 'seconds' && actual.seconds > PROVISIONAL_CONSENT_SECONDS;
  const notes = provisional ? ['provisional-consent-expiry'] : [];
  const lowered = (severity: Severity): Severity => (provisional ? 'low' : severity);

  if (match) {
    const declared = declaredLifetimeOf(match);
    const parsed = declared.lifetime.parsed;
    if (parsed.kind === 'session' && actual.kind === 'seconds') {
      out.push(
        finding('persistent-declared-session', lowered('high'), {
          ...base,
          rule: declared.rule,
          notes,
          measurement: measure(null, actual, write, 0),
        }),
      );
    } else if (
      (parsed.kind === 'persistent' || parsed.kind === 'duration' || parsed.kind === 'range') &&
      actual.kind === 'session'
    ) {
      out.push(finding('session-declared-persistent', 'info', { ...base, rule: declared.rule }));
    } else if (actual.kind === 'seconds') {
      const allowed = declaredMaximumSeconds(parsed);
      if (allowed !== null && actual.seconds > allowed + slack(allowed, tolerance)) {
        const severity = actual.seconds >= 2 * allowed ? 'high' : 'medium';
        out.push(
          finding('lifetime-exceeds-declared', lowered(severity), {
            ...base,
            rule: declared.rule,
            notes,
            measurement: measure(allowed, actual, write, slack(allowed, tolerance)),
          }),
        );
      }
    }
  }

  if (actual.kind === 'seconds') {
    for (const catalogue of catalogues) {
      for (const rule of catalogue.rules) {
        if (rule.role !== 'maximum' || (rule.appliesTo !== 'all' && rule.appliesTo !== entry?.category)) continue;
        const allowed = declaredMaximumSeconds(rule.lifetime.parsed);
        if (allowed === null || actual.seconds <= allowed + slack(allowed, tolerance)) continue;
        out.push(
          finding('exceeds-policy-maximum', lowered('high'), {
            ...base,
            rule: ruleEvidence(catalogue, rule),
            notes,
            measurement: measure(allowed, actual, write, slack(allowed, tolerance)),
          }),
        );
      }
    }
  }

  const cnil = cnilExcess(item, write);
  if (cnil) {
    // The CNIL's 13 months bind trackers; cookies a service strictly needs are exempt from consent, so less urgent.
    const exempt = entry?.category === 'strictly-necessary' || entry?.category === 'security';
    out.push(
      finding('exceeds-cnil-13-months', lowered(exempt ? 'medium' : 'high'), { ...base, notes, measurement: cnil }),
    );
  }
  return out;
}

/**
 * 13 months from first deposit, read both as calendar months and as 13 × 30.4 days (sites compute it either way),
 * plus a day for clocks: a cookie renewed on every visit still has to end by then.
 */
function cnilExcess(item: ObservedItem, write: CookieWrite): Measurement | null {
  const endsAt = latestEnd(write);
  if (endsAt === null) return null;
  const limitAt = Math.max(
    addCalendarMonths(item.firstDeposit, CNIL_MONTHS),
    item.firstDeposit + CNIL_MONTHS * MONTH * 1000,
  );
  if (endsAt <= limitAt + DAY * 1000) return null;
  return {
    allowedSeconds: Math.round((limitAt - item.firstDeposit) / 1000),
    actualSeconds: Math.round((endsAt - item.firstDeposit) / 1000),
    toleranceSeconds: DAY,
    basis: 'first-deposit',
    limitAt,
    endsAt,
  };
}

function slack(allowedSeconds: number, tolerance: Tolerance): number {
  return Math.max(allowedSeconds * tolerance.ratio, tolerance.minSeconds);
}

/** The entry's own lifetime, or its category's default where the entry gives none. */
function declaredLifetimeOf(match: Match): { lifetime: DeclaredLifetime; rule: RuleEvidence | null } {
  const own = match.entry.lifetime;
  if (own.parsed.kind !== 'unknown') return { lifetime: own, rule: null };
  const rule = match.catalogue.rules.find((r) => r.role === 'default' && r.appliesTo === match.entry.category);
  return rule ? { lifetime: rule.lifetime, rule: ruleEvidence(match.catalogue, rule) } : { lifetime: own, rule: null };
}

function measure(
  allowed: number | null,
  actual: WriteLifetime,
  write: CookieWrite,
  toleranceSeconds: number,
): Measurement {
  return {
    allowedSeconds: allowed,
    actualSeconds: actual.kind === 'seconds' ? Math.round(actual.seconds) : null,
    toleranceSeconds: Math.round(toleranceSeconds),
    basis: write.requested ? 'requested' : 'stored',
  };
}
