import type { Finding } from '../audit/findings';
import type { VisitRecord } from '../storage/db';
import type { ConsentChange, ConsentChoice } from './consent-state';

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
  /** Cookies and storage keys that need consent, written while no choice was made (`set-before-consent`). */
  setBeforeConsent: number;
  /** Cookies and storage keys that need consent, written after the visitor refused them (`set-after-refusal`). */
  setAfterRefusal: number;
  /** How many changes the visit's timeline holds. */
  changes: number;
}

/**
 * The visit's current choice: its latest change, null when it has none.
 * TODO(consent): lib/consent/timeline.ts's `currentChoice` once it is on main.
 */
function currentChoice(changes: readonly ConsentChange[]): ConsentChange | null {
  return changes.at(-1) ?? null;
}

/** How many distinct items have a finding of `kind`: a cookie rewritten three times is one cookie. */
function itemsWith(findings: readonly Finding[], kind: string): number {
  const items = new Set<string>();
  for (const finding of findings) {
    // A string comparison until the consent kinds are in FINDING_KINDS.
    if ((finding.kind as string) !== kind || !finding.cookie) continue;
    const { store, name, domain, path } = finding.cookie;
    items.add(`${store}\u0000${name}\u0000${domain}\u0000${path}`);
  }
  return items.size;
}

export function consentSummary(visit: Pick<VisitRecord, 'consent'>, findings: readonly Finding[]): ConsentSummary {
  const changes = visit.consent ?? [];
  const current = currentChoice(changes);
  return {
    state: current?.choice ?? 'unknown',
    current,
    setBeforeConsent: itemsWith(findings, 'set-before-consent'),
    setAfterRefusal: itemsWith(findings, 'set-after-refusal'),
    changes: changes.length,
  };
}
