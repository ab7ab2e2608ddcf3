import type { ConsentPlatform } from '../consent-state';
import type { ConsentCookieReading } from './index';
import type { OptanonGroups } from './onetrust';
import type { DecodedConsent } from './reading';

const NO_CHOICE: DecodedConsent = { choice: 'no-choice', granted: null, purposes: null, platformCategories: null };

/**
 * The consent state one visit's signals make, cookie after cookie, for the platforms that write two cookies.
 * OneTrust decides with both: OptanonConsent's groups are the answer once OptanonAlertBoxClosed says the banner was
 * closed. Whichever arrives first the state comes out right: the groups alone count if their interactionCount says
 * the visitor answered (as after the background woke, or when the jar reports OptanonConsent first), and the closing
 * alone waits for the groups. The removal of either is the choice forgotten.
 */
export class ConsentCombination {
  /** undefined: not seen in this visit; null: removed. */
  private groups: OptanonGroups | null | undefined;
  /** undefined: not seen in this visit; false: removed. */
  private closed: boolean | undefined;
  /**
   * The last OneTrust state given: the other cookie's event repeating it is not a change. A visit carried on after
   * the background woke starts from the state it had.
   */
  constructor(private lastOneTrust: DecodedConsent | null = null) {}

  /** The state a consent cookie's reading makes (for a problem, none); null when it makes no new one. */
  read(reading: ConsentCookieReading): DecodedConsent | null {
    if ('consent' in reading) return reading.consent;
    if (!('oneTrust' in reading)) return null;
    if (reading.oneTrust === 'closed') this.closed = true;
    else this.groups = reading.oneTrust;
    return this.oneTrustState();
  }

  /** The state once the consent cookie `name` of `platform` was removed from the jar: the choice is forgotten. */
  removed(platform: ConsentPlatform, name: string): DecodedConsent | null {
    if (platform !== 'onetrust') return NO_CHOICE;
    if (name === 'OptanonAlertBoxClosed') this.closed = false;
    else this.groups = null;
    return this.oneTrustState();
  }

  private oneTrustState(): DecodedConsent | null {
    let state: DecodedConsent | null;
    if (this.groups === null || this.closed === false) state = NO_CHOICE;
    else if (this.groups === undefined) state = null;
    else if (this.closed || this.groups.interacted) state = this.groups.ifAnswered;
    else state = NO_CHOICE;
    if (state === null || (this.lastOneTrust !== null && sameConsent(state, this.lastOneTrust))) return null;
    this.lastOneTrust = state;
    return state;
  }
}

function sameConsent(a: DecodedConsent, b: DecodedConsent): boolean {
  const same = (x: readonly unknown[] | null, y: readonly unknown[] | null) =>
    x === y || (x !== null && y !== null && x.length === y.length && x.every((v, i) => v === y[i]));
  return (
    a.choice === b.choice &&
    same(a.granted, b.granted) &&
    same(a.purposes, b.purposes) &&
    same(a.platformCategories, b.platformCategories)
  );
}
