import { printedAddress } from '../printed-address';
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

/** Longer lines are not URLs anyone meant. */
const MAX_LINE = 2048;
/** A rejected line is shown (in rejected.json and the summary) cut to this length: 100,000 of them stay small. */
const SHOWN = 200;
/**
 * While a list is read, a line is kept up to this length: a file of one endless line takes no more memory than
 * this. A line cut here is read as its first RAW_MAX characters: a comment that starts in them still ends it.
 */
const RAW_MAX = 64 * 1024;

/**
 * Reads a list of URLs a line at a time; blank lines and `#` comments (whole line or after a space) are skipped.
 * A malformed line or a repeated URL is rejected with its reason, and the rest of the list goes on. Only the
 * sites and the rejected lines (cut to SHOWN) are kept, never the list's text.
 */
export class SiteListReader {
  private readonly sites: ListedSite[] = [];
  private readonly rejected: RejectedLine[] = [];
  private readonly firstLineOf = new Map<string, number>();
  private line = 0;

  /** The next line, without its line break; `cut` when the line went on beyond `raw`. */
  add(raw: string, cut = false): void {
    const line = ++this.line;
    const comment = /(^|\s)#/.exec(raw);
    const content = (comment ? raw.slice(0, comment.index) : raw).trim();
    const longer = content.length > MAX_LINE || (cut && !comment);
    if (content === '' && !longer) return;
    // A line's query or fragment may carry a token: a rejected line is shown without them.
    const kept = content.replace(/[?#].*$/s, '');
    const shown = kept.length > SHOWN || longer ? `${kept.slice(0, SHOWN)}…` : kept;
    const url = longer ? { error: 'line too long' } : normalizeUrl(content);
    if (typeof url !== 'string') {
      this.rejected.push({ line, text: shown, reason: url.error });
      return;
    }
    const first = this.firstLineOf.get(url);
    if (first !== undefined) {
      // A repeated address, as a report keeps an address (no value-shaped path segment either).
      this.rejected.push({ line, text: printedAddress(url), reason: `duplicate of line ${first}` });
      return;
    }
    this.firstLineOf.set(url, line);
    this.sites.push({ line, url, id: siteId(url) });
  }

  result(): SiteList {
    return { sites: this.sites, rejected: this.rejected };
  }
}

/** A whole list given as text (the tests' way; the command streams its file through readSiteList). */
export function parseSiteList(text: string): SiteList {
  const reader = new SiteListReader();
  for (const raw of text.split(/\r?\n/)) reader.add(raw);
  return reader.result();
}

/** Reads a list from a stream of text (a file's, or standard input's), one chunk at a time. */
export async function readSiteList(chunks: AsyncIterable<string>): Promise<SiteList> {
  const reader = new SiteListReader();
  let pending = '';
  let cut = false;
  const keep = (text: string) => {
    if (cut) return;
    pending += text;
    if (pending.length > RAW_MAX) {
      pending = pending.slice(0, RAW_MAX);
      cut = true;
    }
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      keep(chunk.slice(start, end));
      reader.add(pending.endsWith('\r') ? pending.slice(0, -1) : pending, cut);
      pending = '';
      cut = false;
      start = end + 1;
    }
    keep(chunk.slice(start));
  }
  reader.add(pending, cut);
  return reader.result();
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
