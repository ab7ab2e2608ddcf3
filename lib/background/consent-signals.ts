import { registrableDomain } from '../audit/party';
import type { ConsentChange, ConsentPlatform } from '../consent/consent-state';
import { ConsentCombination } from '../consent/signals/combination';
import { consentCookiePlatform, readConsentCookie, type ConsentCookieReading } from '../consent/signals';
import { consentPlatformOfHost, isTarteaucitronScript } from '../consent/signals/platform-scripts';
import type { DecodedConsent } from '../consent/signals/reading';
import type { VisitRecorder } from '../observation/visit-recorder';

/** A consent cookie as the jar gave it, its value read and gone. */
export interface ConsentCookieSeen {
  name: string;
  domain: string;
  storeId: string;
  /** null for a removal (or, never in practice, a value the jar did not give). */
  reading: ConsentCookieReading | null;
}

/**
 * What a browser's cookie (value included) says of consent, read at once where the jar hands it over, so that its
 * value can go: null for any cookie that is no consent cookie (one Map lookup: this runs for every change of the jar).
 * Never throws: it runs in a listener.
 */
export function consentCookieSeen(
  cookie: { name: string; domain: string; storeId: string; value?: string },
  removed: boolean,
): ConsentCookieSeen | null {
  try {
    if (consentCookiePlatform(cookie.name) === null) return null;
    const reading = removed || typeof cookie.value !== 'string' ? null : readConsentCookie(cookie.name, cookie.value);
    return { name: cookie.name, domain: cookie.domain, storeId: cookie.storeId, reading };
  } catch {
    return null;
  }
}

/**
 * The consent state of each tab's visit, from the consent platforms' own signals: their cookies, in the jar of the
 * visit's site (changed, removed, or found by a snapshot), and their scripts, loaded by the tab before any cookie said
 * a choice. Each change goes to `VisitRecorder.consentChanged`; a cookie that could not be read to `consentProblem`.
 */
export class ConsentSignals {
  private readonly combinations = new Map<number, { visitId: string; combination: ConsentCombination }>();

  constructor(private readonly recorder: VisitRecorder) {}

  /** A consent cookie was set or removed in the jar: it speaks for every visit of its site that sees that jar. */
  cookieChanged(seen: ConsentCookieSeen, removed: boolean, at: number): void {
    const site = registrableDomain(seen.domain);
    for (const tabId of this.recorder.tabsOnSite(site, seen.storeId)) this.apply(tabId, seen, removed, at);
  }

  /**
   * Consent cookies a snapshot of the jar found for the tab's visit `visitId`. `at` is when the request that made the
   * snapshot went: the jar sent them with it, so they held from then (not from the answer, which comes later than the
   * page's first cookies).
   */
  found(tabId: number, visitId: string, cookies: readonly ConsentCookieSeen[], at: number): ConsentChange[] {
    if (this.recorder.visitIdOf(tabId) !== visitId) return [];
    const site = this.recorder.siteOfTab(tabId);
    const kept: ConsentChange[] = [];
    for (const seen of cookies) {
      const change = registrableDomain(seen.domain) === site ? this.apply(tabId, seen, false, at) : null;
      if (change) kept.push(change);
    }
    return kept;
  }

  /**
   * The consent platform a request of the tab loads its script from, if any: by host for a host new to the visit,
   * by file name for tarteaucitron (served by each site). Cheap for every other request.
   */
  scriptPlatform(url: string, newHost: string | null): ConsentPlatform | null {
    const byHost = newHost === null ? null : consentPlatformOfHost(newHost);
    if (byHost) return byHost;
    return isTarteaucitronScript(url) ? 'tarteaucitron' : null;
  }

  /** The tab loaded a consent platform's script: no choice was made, if no signal of the visit said one yet. */
  platformLoaded(tabId: number, visitId: string, platform: ConsentPlatform, host: string, at: number): void {
    if (this.recorder.visitIdOf(tabId) !== visitId || this.recorder.consentOf(tabId).length > 0) return;
    this.recorder.consentChanged(tabId, {
      at,
      choice: 'no-choice',
      granted: null,
      purposes: null,
      platformCategories: null,
      source: { kind: 'platform-loaded', platform, host },
    });
  }

  tabClosed(tabId: number): void {
    this.combinations.delete(tabId);
  }

  /** The change the cookie made to the visit's consent, if it made one. */
  private apply(tabId: number, seen: ConsentCookieSeen, removed: boolean, at: number): ConsentChange | null {
    const platform = seen.reading?.platform ?? consentCookiePlatform(seen.name);
    if (platform === null) return null;
    if (seen.reading && 'problem' in seen.reading) {
      this.recorder.consentProblem(tabId, { platform, name: seen.name, reason: seen.reading.problem }, at);
      return null;
    }
    const combination = this.combinationOf(tabId);
    if (!combination) return null;
    let state: DecodedConsent | null = null;
    if (removed) state = combination.removed(platform, seen.name);
    else if (seen.reading) state = combination.read(seen.reading);
    if (state === null) return null;
    return this.recorder.consentChanged(tabId, { at, ...state, source: { kind: 'signal', platform, name: seen.name } });
  }

  /** The tab's visit's combination of signals: a new visit starts afresh. */
  private combinationOf(tabId: number): ConsentCombination | null {
    const visitId = this.recorder.visitIdOf(tabId);
    if (visitId === null) return null;
    let known = this.combinations.get(tabId);
    if (known?.visitId !== visitId) {
      const lastOneTrust = this.recorder
        .consentOf(tabId)
        .findLast((change) => change.source.kind === 'signal' && change.source.platform === 'onetrust');
      known = { visitId, combination: new ConsentCombination(lastOneTrust ? decodedOf(lastOneTrust) : null) };
      this.combinations.set(tabId, known);
    }
    return known.combination;
  }
}

const decodedOf = ({ choice, granted, purposes, platformCategories }: DecodedConsent): DecodedConsent => ({
  choice,
  granted,
  purposes,
  platformCategories,
});
