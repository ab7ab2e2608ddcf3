import type { Finding, FindingKind } from '../audit/findings';
import type { VisitRecord } from '../storage/db';
import type { ConsentChange, ConsentChoice } from './consent-state';
import type { ConsentProblem } from './signals/reading';
import { consentStateAt } from './timeline';

/**
 * What a person is told first of a visit's consent: the state it is in, the change that put it there (when, and
 * whose word it is), and how many cookies that need consent the findings caught before the choice or after a
 * refusal. Codes and counts only, no words and no value: the popup and the visit page word it in their language.
 */
export interface ConsentSummary {
  /** `unknown`: no consent banner or signal was recognised, which says nothing of whether consent was asked. */
  state: ConsentChoice | 'unknown';
  /** The change that set `state`; null when it is unknown. */
  current: ConsentChange | null;
  /** A site's signal saying the opposite of Cookie Lens's own answer to the banner, which prevails. */
  contradictedBy: ConsentChange | null;
  /** Cookies and storage keys that need consent, written while no choice was made (`set-before-consent`). */
  setBeforeConsent: number;
  /** Cookies and storage keys that need consent, written after the visitor refused them (`set-after-refusal`). */
  setAfterRefusal: number;
  /** How many changes the visit's timeline holds. */
  changes: number;
  /** The site's consent cookies that could not be read (which one, and why; never its value). */
  problems: Array<Pick<ConsentProblem, 'platform' | 'name' | 'reason' | 'count'>>;
}

/** How many distinct items have a finding of `kind`: a cookie rewritten three times is one cookie. */
function itemsWith(findings: readonly Finding[], kind: FindingKind): number {
  const items = new Set<string>();
  for (const finding of findings) {
    if (finding.kind !== kind || !finding.cookie) continue;
    const { store, name, domain, path } = finding.cookie;
    items.add(`${store}\u0000${name}\u0000${domain}\u0000${path}`);
  }
  return items.size;
}

export function consentSummary(
  visit: Pick<VisitRecord, 'consent' | 'consentProblems'>,
  findings: readonly Finding[],
): ConsentSummary {
  const changes = visit.consent ?? [];
  // Now: every change the visit recorded holds.
  const { choice, change, contradictedBy } = consentStateAt(changes, Infinity);
  return {
    state: choice,
    current: change,
    contradictedBy,
    setBeforeConsent: itemsWith(findings, 'set-before-consent'),
    setAfterRefusal: itemsWith(findings, 'set-after-refusal'),
    changes: changes.length,
    problems: (visit.consentProblems ?? []).map(({ platform, name, reason, count }) => ({
      platform,
      name,
      reason,
      count,
    })),
  };
}
