import type { ConsentPlatform } from '../consent-state';
import { decodeAxeptioCookies } from './axeptio';
import { decodeTcPrivacy, decodeTcPrivacyCenter } from './commanders-act';
import { decodeCookieConsent } from './cookiebot';
import { decodeDidomiToken } from './didomi';
import { decodeOptanonAlertBoxClosed, decodeOptanonConsent, type OptanonGroups } from './onetrust';
import type { ConsentProblemReason, Decoded, DecodedConsent } from './reading';
import { decodeTarteaucitron } from './tarteaucitron';
import { decodeTcString } from './tcf';

export type { ConsentProblem, ConsentProblemReason, DecodedConsent } from './reading';
export { CONSENT_PROBLEM_REASONS, MAX_CONSENT_PROBLEMS } from './reading';

/**
 * What a consent cookie's value says, read in the background while the jar hands it over, before the value is dropped:
 * the consent it records on its own; or, for a cookie that decides together with another (OneTrust's two), its part,
 * which combination.ts puts together; or why it could not be read. Never the value, nor any part of it but ids.
 */
export type ConsentCookieReading = { platform: ConsentPlatform; name: string } & (
  { consent: DecodedConsent } | { oneTrust: OptanonGroups | 'closed' } | { problem: ConsentProblemReason }
);

/**
 * Browsers keep a cookie's name and value within 4,096 bytes: a longer value is no platform's, and is not parsed.
 * The decoders are linear-time anyway (their tests say so); this keeps a hostile jar from costing even that.
 */
export const MAX_CONSENT_VALUE_LENGTH = 8192;

type Part = { consent: DecodedConsent } | { oneTrust: OptanonGroups | 'closed' };
const whole = (decoded: Decoded): Decoded<Part> =>
  decoded.ok ? { ok: true, value: { consent: decoded.value } } : decoded;
const oneTrust = (decoded: Decoded<OptanonGroups | 'closed'>): Decoded<Part> =>
  decoded.ok ? { ok: true, value: { oneTrust: decoded.value } } : decoded;

/** The consent cookies, by name: looked up for every change of the jar, so a Map. */
const CONSENT_COOKIES = new Map<string, { platform: ConsentPlatform; read: (value: string) => Decoded<Part> }>([
  ['TC_PRIVACY', { platform: 'commanders-act', read: (value) => whole(decodeTcPrivacy(value)) }],
  ['TC_PRIVACY_CENTER', { platform: 'commanders-act', read: (value) => whole(decodeTcPrivacyCenter(value)) }],
  ['OptanonConsent', { platform: 'onetrust', read: (value) => oneTrust(decodeOptanonConsent(value)) }],
  ['OptanonAlertBoxClosed', { platform: 'onetrust', read: (value) => oneTrust(decodeOptanonAlertBoxClosed(value)) }],
  ['CookieConsent', { platform: 'cookiebot', read: (value) => whole(decodeCookieConsent(value)) }],
  ['didomi_token', { platform: 'didomi', read: (value) => whole(decodeDidomiToken(value)) }],
  ['axeptio_cookies', { platform: 'axeptio', read: (value) => whole(decodeAxeptioCookies(value)) }],
  ['tarteaucitron', { platform: 'tarteaucitron', read: (value) => whole(decodeTarteaucitron(value)) }],
  ['euconsent-v2', { platform: 'tcf', read: (value) => whole(decodeTcString(value)) }],
]);

/** The platform whose consent cookie this name is, or null. */
export function consentCookiePlatform(name: string): ConsentPlatform | null {
  return CONSENT_COOKIES.get(name)?.platform ?? null;
}

/** What the consent cookie `name` with `value` says; null when `name` is no consent cookie. Never throws. */
export function readConsentCookie(name: string, value: string): ConsentCookieReading | null {
  const cookie = CONSENT_COOKIES.get(name);
  if (!cookie) return null;
  const { platform } = cookie;
  if (typeof value !== 'string' || value.length > MAX_CONSENT_VALUE_LENGTH)
    return { platform, name, problem: 'too-long' };
  let decoded: Decoded<Part>;
  try {
    decoded = cookie.read(value);
  } catch {
    // A decoder meant never to throw did: the value is unreadable, not a reason to lose the event.
    decoded = { ok: false, reason: 'malformed' };
  }
  return decoded.ok ? { platform, name, ...decoded.value } : { platform, name, problem: decoded.reason };
}
