import * as v from 'valibot';
import { siteOf } from '../../lib/audit/party';

/** A link of a page, as the page's document gives it (the page controls it: it is checked and bounded). */
export interface Anchor {
  href: string;
  /** A `download` attribute: a file, not a page. */
  download: boolean;
}

/** At most this many anchors are read from a page, each address at most this long. */
export const MAX_ANCHORS = 2000;
const MAX_HREF = 4096;

export const PageLinksSchema = v.object({
  url: v.pipe(v.string(), v.maxLength(MAX_HREF)),
  anchors: v.pipe(
    v.array(v.object({ href: v.pipe(v.string(), v.maxLength(MAX_HREF)), download: v.boolean() })),
    v.maxLength(MAX_ANCHORS),
  ),
});
export type PageLinks = v.InferOutput<typeof PageLinksSchema>;

/** Run in the page: its address and its links in document order, as JSON (a page may have redefined anything else). */
export function readPageLinks(max: number): string {
  const anchors = Array.prototype.slice.call(document.querySelectorAll('a[href]'), 0, max) as HTMLAnchorElement[];
  return JSON.stringify({
    url: String(location.href).slice(0, 4096),
    anchors: anchors.map((a) => ({ href: String(a.href).slice(0, 4096), download: a.hasAttribute('download') })),
  });
}

/** Signing out would end the session a scenario is about. */
const LOGOUT = /(log|sign)[-_ ]?(out|off)|d[ée]connexion|deconnect|disconnect/i;
/** Paths ending like a file that is not a page. */
const NOT_A_PAGE =
  /\.(pdf|zip|gz|tgz|bz2|rar|7z|jpe?g|png|gif|svg|webp|avif|ico|bmp|tiff?|mp[34]|m4a|webm|avi|mov|wav|ogg|docx?|xlsx?|pptx?|od[tsp]|rtf|csv|json|xml|txt|css|m?js|woff2?|ttf|otf|eot|exe|dmg|apk|msi|iso|ics|vcf)$/i;

/**
 * The first `count` links worth following from `page`: same-site http(s) pages, in document order, each once, without
 * the page itself (fragments aside), links that sign out, and files (`download`, or a path ending like one).
 */
export function linksToFollow(anchors: readonly Anchor[], page: string, count: number): string[] {
  const site = siteOf(page);
  const here = withoutFragment(page);
  const chosen: string[] = [];
  for (const anchor of anchors) {
    if (chosen.length >= count) break;
    if (anchor.download || !URL.canParse(anchor.href)) continue;
    const url = new URL(anchor.href);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    const address = withoutFragment(url.href);
    if (site === null || siteOf(address) !== site || address === here || chosen.includes(address)) continue;
    if (LOGOUT.test(decodeSafely(url.pathname + url.search)) || NOT_A_PAGE.test(url.pathname)) continue;
    chosen.push(address);
  }
  return chosen;
}

function withoutFragment(address: string): string {
  return address.replace(/#.*$/s, '');
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
