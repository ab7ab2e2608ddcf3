import { getDomain } from 'tldts';

// Browsers read the private section of the Public Suffix List too: foo.github.io and bar.github.io are different sites.
const OPTIONS = { allowPrivateDomains: true } as const;

function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\./, '');
}

const known = new Map<string, string | null>();
const KNOWN_MAX = 5000;

/** The eTLD+1 of a host, or null when it has none: an IP address, localhost, a public suffix, a single label. */
export function etldPlusOne(host: string): string | null {
  // Hosts repeat with every cookie of a page: parse each once.
  let domain = known.get(host);
  if (domain === undefined) {
    domain = getDomain(normalizeHost(host), OPTIONS);
    if (known.size >= KNOWN_MAX) known.clear();
    known.set(host, domain);
  }
  return domain;
}

/** The eTLD+1 of a host; the host itself (lower-cased, no leading dot) when it has none. */
export function registrableDomain(host: string): string {
  return etldPlusOne(host) ?? normalizeHost(host);
}

/** First party when the cookie's domain (or a host) and the top-level host share their registrable domain. */
export function partyOf(cookieDomainOrHost: string, topLevelHost: string): 'first' | 'third' {
  return registrableDomain(cookieDomainOrHost) === registrableDomain(topLevelHost) ? 'first' : 'third';
}

/** The site (registrable domain) of an http(s) URL; null for any other URL or for text that is not a URL. */
export function siteOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return registrableDomain(parsed.hostname);
}
