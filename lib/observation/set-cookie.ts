import { etldPlusOne } from '../audit/party';

/**
 * Parsing of Set-Cookie lines (RFC 6265bis §5.7) and of the attribute text the page hook reports for script writes.
 * A cookie's value is read past and dropped: it is never returned, stored or logged.
 */

export type SameSite = 'no_restriction' | 'lax' | 'strict' | 'unspecified';

export interface CookieContext {
  /** When the response (or the script write) was seen, ms since the epoch. */
  receivedAt: number;
  /** The response's Date header, ms since the epoch, to cancel the server's clock skew on Expires. */
  serverDate?: number | null;
  /** Host of the response's URL (or of the frame that wrote document.cookie). */
  requestHost: string;
}

export interface ParsedCookieString {
  name: string;
  /** Domain attribute, lower-cased, leading dot stripped; null for a host-only cookie. */
  domain: string | null;
  hostOnly: boolean;
  path: string | null;
  /** The expiry the site asked for, not capped at the 400 days browsers store at most. */
  requested: { session: true } | { session: false; at: number };
  /** Max-Age <= 0 or Expires in the past. */
  deletion: boolean;
  secure: boolean;
  httpOnly: boolean;
  sameSite: SameSite;
  partitioned: boolean;
}

const MAX_NAME_VALUE_OCTETS = 4096;
const MAX_ATTRIBUTE_VALUE_OCTETS = 1024;
const MAX_TIME = 8.64e15; // the latest (and, negated, the earliest) time a Date can hold
// Control characters other than HTAB make browsers ignore the whole line.
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL = /[\x00-\x08\x0A-\x1F\x7F]/;
const SAME_SITE: Partial<Record<string, SameSite>> = { none: 'no_restriction', lax: 'lax', strict: 'strict' };

/** Firefox's webRequest joins several Set-Cookie headers with "\n"; Chrome gives one header per cookie. */
export function splitSetCookieHeader(headerValue: string): string[] {
  // Never split on commas: Expires dates hold one.
  return headerValue.split(/\r?\n/).filter((line) => trimWsp(line) !== '');
}

/** Parse one Set-Cookie line; null when a browser would ignore it entirely (see `withAttributes` for Domain). */
export function parseSetCookie(line: string, context: CookieContext): ParsedCookieString | null {
  if (CONTROL.test(line)) return null;
  const semicolon = line.indexOf(';');
  const pair = semicolon === -1 ? line : line.slice(0, semicolon);
  const equals = pair.indexOf('=');
  // Without "=", RFC 6265bis reads the whole pair as the value of a nameless cookie.
  const name = equals === -1 ? '' : trimWsp(pair.slice(0, equals));
  const valueOctets = octets(trimWsp(pair.slice(equals + 1)));
  if (name === '' && valueOctets === 0) return null;
  if (octets(name) + valueOctets > MAX_NAME_VALUE_OCTETS) return null;
  return withAttributes(name, semicolon === -1 ? '' : line.slice(semicolon + 1), context);
}

/**
 * Parse a script write as the page hook reports it: the cookie's name and the attribute text after its value,
 * e.g. "expires=Thu, 01 Jan 2026 00:00:00 GMT; path=/; secure".
 */
export function parseCookieAttributes(
  name: string,
  attributes: string,
  context: CookieContext,
): ParsedCookieString | null {
  if (CONTROL.test(name) || CONTROL.test(attributes)) return null;
  return withAttributes(trimWsp(name), attributes, context);
}

function withAttributes(name: string, attributes: string, context: CookieContext): ParsedCookieString | null {
  let domainAttribute: string | null = null;
  let path: string | null = null;
  let maxAge: number | null = null;
  let expires: number | null = null;
  let secure = false;
  let httpOnly = false;
  let partitioned = false;
  let sameSite: SameSite = 'unspecified';

  // The last occurrence of an attribute wins; one that fails to parse is ignored.
  for (const av of attributes.split(';')) {
    const equals = av.indexOf('=');
    const key = trimWsp(equals === -1 ? av : av.slice(0, equals)).toLowerCase();
    const value = equals === -1 ? '' : trimWsp(av.slice(equals + 1));
    if (octets(value) > MAX_ATTRIBUTE_VALUE_OCTETS) continue;
    switch (key) {
      case 'expires':
        expires = parseCookieDate(value) ?? expires;
        break;
      case 'max-age':
        if (/^-?\d+$/.test(value)) maxAge = Number(value);
        break;
      case 'domain':
        if (value !== '') domainAttribute = value.replace(/^\./, '').toLowerCase();
        break;
      case 'path':
        path = value.startsWith('/') ? value : null;
        break;
      case 'secure':
        secure = true;
        break;
      case 'httponly':
        httpOnly = true;
        break;
      case 'partitioned':
        partitioned = true;
        break;
      case 'samesite':
        sameSite = SAME_SITE[value.toLowerCase()] ?? 'unspecified';
        break;
    }
  }

  const domain = scopeDomain(domainAttribute, context.requestHost);
  if (domain === undefined) return null;

  const { receivedAt, serverDate } = context;
  let at: number | null = null;
  if (maxAge !== null)
    at = receivedAt + maxAge * 1000; // Max-Age wins over Expires, wherever each stands
  else if (expires !== null)
    at = typeof serverDate === 'number' && Number.isFinite(serverDate) ? receivedAt + (expires - serverDate) : expires;
  if (at !== null) at = Math.min(Math.max(at, -MAX_TIME), MAX_TIME);

  return {
    name,
    domain,
    hostOnly: domain === null,
    path,
    requested: at === null ? { session: true } : { session: false, at },
    deletion: at !== null && at <= receivedAt,
    secure,
    httpOnly,
    sameSite,
    partitioned,
  };
}

/**
 * The Domain attribute as browsers apply it (RFC 6265bis §5.8.3 steps 5–6, public suffixes per the PSL): null for a
 * host-only cookie, undefined when the browser rejects the cookie because the request host may not set that domain.
 * This decides whose cookie it is, so a cookie set for another site is not counted against this one.
 */
function scopeDomain(domain: string | null, requestHost: string): string | null | undefined {
  if (domain === null) return null;
  const host = requestHost.toLowerCase();
  // An IP address, localhost or a public suffix can only name itself, which makes a host-only cookie.
  if (etldPlusOne(host) === null) return domain === host ? null : undefined;
  const domainMatches = host === domain || host.endsWith(`.${domain}`);
  return domainMatches && etldPlusOne(domain) !== null ? domain : undefined;
}

const TIME = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D|$)/;
const DAY_OF_MONTH = /^(\d{1,2})(?:\D|$)/;
const MONTH = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;
const YEAR = /^(\d{2,4})(?:\D|$)/;
// eslint-disable-next-line no-control-regex -- RFC 6265's date delimiters include HTAB
const DELIMITERS = /[\x09\x20-\x2F\x3B-\x40\x5B-\x60\x7B-\x7E]+/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The cookie-date algorithm of RFC 6265 §5.1.1 (ms since the epoch, or null); it takes RFC 1123, RFC 850 and asctime. */
export function parseCookieDate(text: string): number | null {
  let time: number[] | null = null;
  let day: number | null = null;
  let month: number | null = null;
  let year: number | null = null;
  for (const token of text.split(DELIMITERS)) {
    if (token === '') continue;
    let match: RegExpExecArray | null;
    if (time === null && (match = TIME.exec(token))) time = match.slice(1, 4).map(Number);
    else if (day === null && (match = DAY_OF_MONTH.exec(token))) day = Number(match[1]);
    else if (month === null && (match = MONTH.exec(token))) month = MONTHS.indexOf(match[1]!.toLowerCase());
    else if (year === null && (match = YEAR.exec(token))) year = Number(match[1]);
  }
  if (time === null || day === null || month === null || year === null) return null;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year <= 69) year += 2000;
  const [hour = 0, minute = 0, second = 0] = time;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month, day, hour, minute, second);
  return new Date(ms).getUTCDate() === day ? ms : null; // no 31 April
}

/**
 * RFC whitespace is SP and HTAB only: other spaces belong to the name. A loop, not /^[ \t]+|[ \t]+$/: that regex
 * tries `[ \t]+$` from every space of a run, quadratic in the run (240,000 spaces kept a worker busy for a minute).
 */
function trimWsp(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isWsp(text.charCodeAt(start))) start++;
  while (end > start && isWsp(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isWsp(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** The text's length in UTF-8, counted without encoding it (this runs for every Set-Cookie header). */
export function octets(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) count += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count += 2; // a pair: 4 octets for 2 units
      i++;
    } else count += 2; // 3 octets (a lone surrogate is encoded as U+FFFD, also 3)
  }
  return count;
}
