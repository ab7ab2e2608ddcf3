/**
 * What Cookie Lens knows of a cookie or Web Storage key a visit met. Never its value: names, places, attributes and
 * times are enough to audit, and many values are session tokens.
 */
export type StoreKind = 'cookie' | 'localStorage' | 'sessionStorage';

/**
 * Who wrote it: a response's Set-Cookie header, a script, already in the jar when the visit started, or unknown (the
 * browser reported the cookie but no header or script of the tab was seen writing it).
 */
export type SetBy = 'header' | 'script' | 'jar' | 'unknown';

/** When a cookie ends: with the browser session, or at an instant (ms since the epoch). */
export type Expiry = { session: true } | { session: false; at: number };

export interface CookieWrite {
  /** When it was written (ms since the epoch). */
  at: number;
  by: SetBy;
  /** The response or script that wrote it, where known. */
  url?: string;
  /** What the Set-Cookie header or `document.cookie` string asked for; null when unknown. */
  requested: Expiry | null;
  /** What the browser kept (it caps expiry at 400 days); null when unknown. */
  stored: Expiry | null;
}

export interface CookieAttributes {
  secure: boolean;
  httpOnly: boolean;
  sameSite: 'no_restriction' | 'lax' | 'strict' | 'unspecified';
  partitioned: boolean;
}

export interface ObservedItem {
  store: StoreKind;
  name: string;
  /** The cookie's domain (a leading dot for a domain cookie), or the host of the storage's origin. */
  domain: string;
  path: string;
  /** Relative to the site of the tab's top-level page, by registrable domain. */
  party: 'first' | 'third';
  /** The top-level site a partitioned cookie (CHIPS, Firefox's Total Cookie Protection) is kept under. */
  partitionKey?: string | null;
  attributes?: CookieAttributes;
  /** First and last time this visit saw it. */
  firstSeen: number;
  lastSeen: number;
  /** The first time Cookie Lens ever saw it deposited, across visits: the CNIL's 13 months count from there. */
  firstDeposit: number;
  /** Writes after the first one, this visit. */
  renewals: number;
  /** The first write this visit, the latest, and the one asking for the longest life. */
  firstWrite: CookieWrite;
  lastWrite: CookieWrite;
  longestWrite: CookieWrite;
  /**
   * When headers and scripts wrote it this visit, in time order (at most MAX_WRITE_TIMES, see withWriteTime): enough
   * to tell which consent state each write happened in, when the state changed between the writes above.
   */
  writes?: WriteTime[];
  removed?: boolean;
}

/** A write by a response's header or a script (not the jar's account of a cookie), and when it happened. */
export interface WriteTime {
  at: number;
  by: 'header' | 'script';
}

/** What a visit covered, so "declared but not seen" can say how hard it looked. */
export interface VisitCoverage {
  site: string;
  startedAt: number;
  endedAt: number;
  pages: number;
  hosts: string[];
}

/** An item keeps at most this many write times: a page writing a cookie in a loop cannot grow its record. */
export const MAX_WRITE_TIMES = 32;

/**
 * The item's write times with `write` added, when a header or a script made it (otherwise unchanged). Past
 * MAX_WRITE_TIMES, the time whose removal leaves the smallest gap goes (never the first or the last): a burst of
 * writes thins out, a lone write between two changes of the consent state stays. Each time kept is a real write, so a
 * finding resting on one is never made up; only a page writing more often than that may hide one write in a burst.
 */
export function withWriteTime(writes: readonly WriteTime[] | undefined, write: CookieWrite): WriteTime[] | undefined {
  if (write.by !== 'header' && write.by !== 'script') return writes ? [...writes] : undefined;
  const times = (writes ?? []).filter((known) => !(known.at === write.at && known.by === write.by));
  const index = times.findIndex((known) => known.at > write.at);
  times.splice(index < 0 ? times.length : index, 0, { at: write.at, by: write.by });
  if (times.length > MAX_WRITE_TIMES) {
    let drop = 1;
    for (let i = 2; i < times.length - 1; i++) {
      if (times[i + 1]!.at - times[i - 1]!.at < times[drop + 1]!.at - times[drop - 1]!.at) drop = i;
    }
    times.splice(drop, 1);
  }
  return times;
}

/** Notes `write` in the item's write times; `restart`: the write replaces every one known (see VisitRecorder). */
export function noteWriteTime(item: ObservedItem, write: CookieWrite, restart = false): void {
  const writes = withWriteTime(restart ? undefined : item.writes, write);
  if (writes) item.writes = writes;
  else delete item.writes;
}

export type WriteLifetime = { kind: 'session' } | { kind: 'seconds'; seconds: number } | { kind: 'unknown' };

function lifetimeOf(expiry: Expiry | null, writtenAt: number): WriteLifetime {
  if (!expiry) return { kind: 'unknown' };
  if (expiry.session) return { kind: 'session' };
  return { kind: 'seconds', seconds: Math.max(0, (expiry.at - writtenAt) / 1000) };
}

/** The life a write asked for; what the browser stored where the request is unknown. */
export function requestedLifetime(write: CookieWrite): WriteLifetime {
  const requested = lifetimeOf(write.requested, write.at);
  return requested.kind === 'unknown' ? lifetimeOf(write.stored, write.at) : requested;
}

export function storedLifetime(write: CookieWrite): WriteLifetime {
  return lifetimeOf(write.stored, write.at);
}

/** The latest instant a write lets the cookie live to, requested or stored; null for session or unknown. */
export function latestEnd(write: CookieWrite): number | null {
  const ends = [write.requested, write.stored].flatMap((expiry) => (expiry && !expiry.session ? [expiry.at] : []));
  return ends.length > 0 ? Math.max(...ends) : null;
}

/** Orders writes by the life they ask for: session < shorter < longer; unknown counts as nothing. */
export function lifetimeRank(write: CookieWrite): number {
  const lifetime = requestedLifetime(write);
  if (lifetime.kind === 'seconds') return lifetime.seconds;
  return lifetime.kind === 'session' ? 0 : -1;
}

/**
 * What the findings and the evidence read of an item, as a string: a change of it is news worth writing at once. A
 * plain renewal (the same writer, query strings aside, asking for the same life, later) leaves it as it was; so do the
 * renewal count and the last-seen time. Lifetimes count to the nearest 1 %, well inside the tolerance, so that a fixed
 * Expires date renewed a moment later is the same fact; the stored lifetime is left out, as it follows the requested
 * one (the browser only caps it) and arrives a moment after the write.
 */
export function auditSignature(item: ObservedItem): string {
  const write = (w: CookieWrite) =>
    `${w.by},${w.url === undefined ? '' : withoutQuery(w.url)},${lifetimeBucket(requestedLifetime(w))}`;
  const a = item.attributes;
  return [
    item.removed ? 'removed' : '',
    item.party,
    item.firstDeposit,
    a ? `${a.secure},${a.httpOnly},${a.sameSite},${a.partitioned}` : '',
    write(item.firstWrite),
    write(item.longestWrite),
    write(item.lastWrite),
  ].join('|');
}

/**
 * The URL without its query and fragment: cut at the first "?" or "#" after the last line break (a real URL has none),
 * as /[?#].*$/ cuts, but without that regex's rescan up to the line break from each "?" of a long run. A page's
 * reports can name any script URL.
 */
function withoutQuery(url: string): string {
  // A signature names three writes, mostly by the same script: one URL is cut once.
  if (url === lastCut.url) return lastCut.cut;
  const lineStart =
    Math.max(url.lastIndexOf('\n'), url.lastIndexOf('\r'), url.lastIndexOf('\u2028'), url.lastIndexOf('\u2029')) + 1;
  const at = url.slice(lineStart).search(/[?#]/);
  const cut = at < 0 ? url : url.slice(0, lineStart + at);
  lastCut = { url, cut };
  return cut;
}
let lastCut = { url: '', cut: '' };

function lifetimeBucket(lifetime: WriteLifetime): string {
  if (lifetime.kind !== 'seconds') return lifetime.kind;
  return String(Math.round(Math.log1p(lifetime.seconds) * 100));
}
