import type { ConsentPlatform } from '../consent-state';

/**
 * The hosts the consent platforms serve their scripts from: a tab that requests one has a banner loading, so until
 * a consent cookie says otherwise no choice was made. Looked up once per host a visit meets.
 */
const SCRIPT_HOSTS = new Map<string, ConsentPlatform>([
  ['cdn.cookielaw.org', 'onetrust'],
  ['geolocation.onetrust.com', 'onetrust'],
  ['cdn.cookiepro.com', 'onetrust'],
  ['consent.cookiebot.com', 'cookiebot'],
  ['consentcdn.cookiebot.com', 'cookiebot'],
  ['sdk.privacy-center.org', 'didomi'],
  ['cdn.trustcommander.net', 'commanders-act'],
  ['cdn.tagcommander.com', 'commanders-act'],
  ['static.axept.io', 'axeptio'],
  ['client.axept.io', 'axeptio'],
]);

export function consentPlatformOfHost(host: string): ConsentPlatform | null {
  return SCRIPT_HOSTS.get(host) ?? null;
}

/** tarteaucitron is served by each site itself: its script is known by its file name. */
const TARTEAUCITRON_SCRIPT = /\/tarteaucitron(?:\.min)?\.js$/;

export function isTarteaucitronScript(url: string): boolean {
  // Most requests are not: a plain substring test spares them the parse.
  if (!url.includes('tarteaucitron')) return false;
  try {
    return TARTEAUCITRON_SCRIPT.test(new URL(url).pathname);
  } catch {
    return false;
  }
}
