/**
 * The address Cookie Lens keeps of a page, a response or a script, as evidence of where a cookie came from. Sites put
 * session ids and tokens in addresses (`/app/;jsessionid=…`, `?PHPSESSID=…`, `tag.js?token=…`), and those are cookie
 * values: what is kept is the scheme, the host, the port and the readable part of the path, nothing else.
 *
 * - http, https, ws, wss: no user name or password, no query, no fragment. Each path segment loses its path
 *   parameters (from the first `;`), and a segment that looks like a value (see `valueShaped`) is replaced by `…`.
 * - blob: `blob:` and the origin that made it.
 * - any other scheme (data:, about:, javascript:…): the scheme alone, e.g. `data:`.
 * - not an absolute address: null.
 *
 * The host is kept whole. A value that reads like a word in the path (`/fr/abcd/`) is kept too: no rule can tell it
 * from a word. Cookie paths go through the same rule (evidencePath).
 */

/** What stands in the path for a segment that was dropped. */
export const DROPPED_SEGMENT = '…';

const WEB_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);

/** UUIDs, with or without their dashes. */
const UUID = /[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/i;

/** A piece of a path word: lower-case, Capitalized or UPPER-CASE letters, or a short number. */
const PLAIN_PIECE = /^(?:[a-z]+|[A-Z][a-z]*|[A-Z]+|\d{1,5})$/;

/**
 * Whether a path segment (without its parameters) looks like a value rather than a word of the site's paths. It does
 * when, once percent-decoded, it holds
 * - a `=` (a `name=value` pair written in the path);
 * - a UUID;
 * - a run of 6 or more digits (ids, timestamps; a year or a page number is kept);
 * - a run of 16 or more letters and digits (hex, base64 and other tokens; a long word too, which is rare);
 * - a run of 8 or more letters, digits, `-`, `_`, `+` and `~` in which a piece of 3 or more characters between those
 *   signs is not plain (see PLAIN_PIECE): `a1b2c3d4`, `3f9a1c2e`, `9jcwv-rH3-CPG_Sq`, and also `MyAccount`.
 * So `mon-espace-client`, `jquery-3.7.1.min.js`, `XSRF-Token` or `api-v2-docs` are kept.
 */
export function valueShaped(segment: string): boolean {
  let text = segment;
  try {
    text = decodeURIComponent(segment);
  } catch {
    // Malformed escapes: judge the segment as written.
  }
  if (text.includes('=') || UUID.test(text) || /\d{6,}/.test(text) || /[A-Za-z0-9]{16,}/.test(text)) return true;
  return (text.match(/[A-Za-z0-9_+~-]{8,}/g) ?? []).some((run) =>
    run.split(/[_+~-]/).some((piece) => piece.length >= 3 && !PLAIN_PIECE.test(piece)),
  );
}

/** The address to keep as evidence of `address` (see above); null when it is not an absolute address. */
export function evidenceAddress(address: string): string | null {
  // A page's writes mostly come from one script, or one page: its address is read once.
  if (address === lastRead.address) return lastRead.kept;
  const kept = keptAddress(address);
  lastRead = { address, kept };
  return kept;
}
let lastRead: { address: string; kept: string | null } = { address: '', kept: null };

function keptAddress(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (url.protocol === 'blob:') return url.origin === 'null' ? 'blob:' : `blob:${url.origin}`;
  if (!WEB_SCHEMES.has(url.protocol)) return url.protocol;
  return `${url.protocol}//${url.host}${evidencePath(url.pathname)}`;
}

/**
 * A path as kept: each segment without its parameters, and `…` for one that looks like a value. Cookie paths are kept
 * so too: a cookie set without Path takes the directory of its response's address, session id included.
 */
export function evidencePath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      const bare = segment.split(';', 1)[0]!;
      return valueShaped(bare) ? DROPPED_SEGMENT : bare;
    })
    .join('/');
}
