import type { Category } from '../catalogue/schema';
import type { ConsentChange, ConsentChoice } from './consent-state';

/**
 * Which consent choice holds at an instant of a visit, from its changes (`VisitRecord.consent`).
 *
 * - Cookie Lens's own answer to a banner (source `banner`, action `opt-out` or `opt-in`) is the auditor's evidence: from
 *   the moment it happens it holds, whatever the site's signals say afterwards. A site writing "accepted" after Cookie
 *   Lens refused does not turn the refusal into consent; the contradiction is kept (`contradictedBy`).
 * - Otherwise the site's latest signal holds. A platform's script loaded, or a banner detected, mean no choice yet; they
 *   do not undo a choice a signal already records.
 * - A change counts from its `at`: a signal found in the jar when the visit started is recorded at the visit's start
 *   (its `startedAt`), so it holds from the start. Before a visit's first change, nothing was chosen.
 * - A visit that recognised no consent signal and no banner at all has an unknown state: silence is never read as a
 *   choice, least of all as consent.
 */
export interface ConsentStateAt {
  /** `unknown`: the visit recognised no consent signal nor banner. */
  choice: ConsentChoice | 'unknown';
  /** The change whose state holds; null when the state is unknown, or before the visit's first change (no choice). */
  change: ConsentChange | null;
  /** A site's signal, after Cookie Lens's banner action that holds, saying the opposite: overruled, but noted. */
  contradictedBy: ConsentChange | null;
}

const isBannerAction = (change: ConsentChange) =>
  change.source.kind === 'banner' && change.source.action !== 'detected';

/** The choice a banner action made: refusing or accepting everything the banner asks for. */
function bannerChoice(change: ConsentChange): ConsentChoice {
  return change.source.kind === 'banner' && change.source.action === 'opt-in' ? 'accepted-all' : 'refused';
}

function contradicts(signal: ConsentChange, choice: ConsentChoice): boolean {
  if (choice === 'refused') return signal.choice === 'accepted-all' || signal.choice === 'accepted-part';
  return signal.choice === 'refused';
}

export function consentStateAt(changes: readonly ConsentChange[], at: number): ConsentStateAt {
  if (changes.length === 0) return { choice: 'unknown', change: null, contradictedBy: null };
  // Changes are recorded as they are told, which need not be the order they happened in.
  const held = changes.filter((change) => change.at <= at).sort((a, b) => a.at - b.at);
  if (held.length === 0) return { choice: 'no-choice', change: null, contradictedBy: null };

  const action = held.findLast(isBannerAction);
  if (action) {
    const choice = bannerChoice(action);
    const contradictedBy =
      held.findLast(
        (change) => change.source.kind === 'signal' && change.at >= action.at && contradicts(change, choice),
      ) ?? null;
    return { choice, change: action, contradictedBy };
  }
  const signal = held.findLast((change) => change.source.kind === 'signal');
  if (signal) return { choice: signal.choice, change: signal, contradictedBy: null };
  return { choice: 'no-choice', change: held.at(-1)!, contradictedBy: null };
}

/** The change whose choice holds at `at`; null when none does (nothing recognised, or nothing chosen yet then). */
export function choiceAt(changes: readonly ConsentChange[], at: number): ConsentChange | null {
  return consentStateAt(changes, at).change;
}

/** The change whose choice holds now; null when the visit recognised no consent signal nor banner. */
export function currentChoice(changes: readonly ConsentChange[]): ConsentChange | null {
  return choiceAt(changes, Infinity);
}

/**
 * Whether a state lets a cookie of `category` that needs consent be set: true when accepted (all, or in part with
 * that category), false when no choice was made or it was refused (or accepted in part without it), null when it
 * cannot be told (an unknown state, or a partial acceptance whose signal does not say which categories).
 */
export function allowsCategory(state: ConsentStateAt, category: Category): boolean | null {
  switch (state.choice) {
    case 'unknown':
      return null;
    case 'accepted-all':
      return true;
    case 'no-choice':
    case 'refused':
      return false;
    case 'accepted-part': {
      const granted = state.change?.granted;
      return granted ? granted.includes(category) : null;
    }
  }
}
