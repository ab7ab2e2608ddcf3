import type { Category } from '../../catalogue/schema';
import { choiceOf, decoded, grantedOf, jsonOf, malformed, own, platformIds, uriDecoded, type Decoded } from './reading';

/**
 * Didomi's `didomi_token`: base64 (often base64url) of a JSON object whose `purposes.enabled` and `purposes.disabled`
 * list the purposes consented to and refused (Didomi's ids for the TCF purposes, or the site's own), beside the
 * vendors and a user id that are not kept. Where the site has no purposes, the vendors' counts decide.
 */
const ADVERTISING: readonly Category[] = ['advertising'];
const MEASUREMENT: readonly Category[] = ['audience-measurement', 'performance'];
const CATEGORIES: ReadonlyMap<string, readonly Category[]> = new Map([
  ['select_basic_ads', ADVERTISING],
  ['create_ads_profile', ADVERTISING],
  ['select_personalized_ads', ADVERTISING],
  ['create_content_profile', ADVERTISING],
  ['select_personalized_content', ADVERTISING],
  ['measure_ad_performance', ADVERTISING],
  ['measure_content_performance', MEASUREMENT],
  ['market_research', MEASUREMENT],
  ['improve_products', MEASUREMENT],
  ['analytics', MEASUREMENT],
  ['use_limited_data_to_select_content', ['functional']],
]);

export function decodeDidomiToken(value: string): Decoded {
  const token = jsonOf(base64Text(value) ?? '');
  if (typeof token !== 'object' || token === null || Array.isArray(token)) return malformed;
  const purposes = answers(own(token, 'purposes'));
  const vendors = answers(own(token, 'vendors'));
  if (purposes === null || vendors === null) return malformed;
  const decides = purposes.enabled.length + purposes.disabled.length > 0 ? purposes : vendors;
  const choice = choiceOf(decides.enabled.length, decides.disabled.length);
  return decoded({
    choice,
    granted: grantedOf(choice, purposes.enabled, CATEGORIES),
    purposes: null,
    platformCategories: choice === 'refused' ? null : platformIds(purposes.enabled),
  });
}

/** `{enabled: [...], disabled: [...]}`, either list possibly absent; null when it is not that shape. */
function answers(section: unknown): { enabled: string[]; disabled: string[] } | null {
  if (section === undefined) return { enabled: [], disabled: [] };
  if (typeof section !== 'object' || section === null) return null;
  const list = (key: string): string[] | null => {
    const ids = own(section, key);
    if (ids === undefined) return [];
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : null;
  };
  const enabled = list('enabled');
  const disabled = list('disabled');
  return enabled && disabled ? { enabled, disabled } : null;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** The UTF-8 text of base64 or base64url (URL-encoded or not), or null when it is not that. */
export function base64Text(value: string): string | null {
  const encoded = value.includes('%') ? uriDecoded(value) : value;
  if (encoded === null || !BASE64.test(encoded)) return null;
  const standard = encoded.replaceAll('-', '+').replaceAll('_', '/').replace(/=+$/, '');
  try {
    const binary = atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
