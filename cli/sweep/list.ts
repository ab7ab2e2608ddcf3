import { createHash } from 'node:crypto';

/** One URL of a sweep's list, by the line it came from. */
export interface ListedSite {
  line: number;
  /** The URL as audited: parsed, without its fragment (the host lowercased by URL itself). */
  url: string;
  /** A short, stable name of the URL: the folder its reports go in. */
  id: string;
}

/** A line of the list that is not audited, and why; it stays in the sweep's summary. */
export interface RejectedLine {
  line: number;
  text: string;
  reason: string;
}

export interface SiteList {
  sites: ListedSite[];
  rejected: RejectedLine[];
}

/** Longer lines are not URLs anyone meant; they are reported cut to this length. */
const MAX_LINE = 2048;

/**
 * Reads a list of URLs, one a line; blank lines and `#` comments (whole line or after a space) are skipped.
 * A malformed line or a repeated URL is rejected with its reason, and the rest of the list goes on.
 */
export function parseSiteList(text: string): SiteList {
  const sites: ListedSite[] = [];
  const rejected: RejectedLine[] = [];
  const firstLineOf = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = i + 1;
    const content = raw.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') continue;
    const shown = content.length > MAX_LINE ? `${content.slice(0, MAX_LINE)}…` : content;
    const url = normalizeUrl(content);
    if (content.length > MAX_LINE || typeof url !== 'string') {
      rejected.push({ line, text: shown, reason: typeof url === 'string' ? 'line too long' : url.error });
      continue;
    }
    const first = firstLineOf.get(url);
    if (first !== undefined) {
      rejected.push({ line, text: shown, reason: `duplicate of line ${first}` });
      continue;
    }
    firstLineOf.set(url, line);
    sites.push({ line, url, id: siteId(url) });
  }
  return { sites, rejected };
}

/** The URL in the form the sweep audits, compares and hashes; an error when it is not an http(s) URL. */
export function normalizeUrl(text: string): string | { error: string } {
  if (!URL.canParse(text)) return { error: 'not a URL' };
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: `not http(s) (${url.protocol})` };
  url.hash = '';
  return url.href;
}

/** `<host>-<8 hex of the URL's SHA-256>`: readable, and distinct for two URLs of one host. */
export function siteId(url: string): string {
  const host = new URL(url).hostname.replace(/[^a-z0-9.-]+/gi, '_');
  return `${host}-${sha256(url).slice(0, 8)}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
