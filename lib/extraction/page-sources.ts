import { extractCookiebot } from './consent-platforms/cookiebot';
import { extractDidomi } from './consent-platforms/didomi';
import { extractOneTrust } from './consent-platforms/onetrust';
import { extractTagCommander } from './consent-platforms/tagcommander';
import type { ExtractionResult, ExtractOptions } from './draft';
import { extractInput } from './extract-input';

/**
 * Reading a catalogue from the page a user is on, on request: what the page publishes is gathered in the page itself
 * (its HTML and text, and the cookie lists consent platforms keep in the page), then every extractor that finds
 * something there gives a draft, the richest first.
 */
export interface PageSources {
  url: string;
  title: string;
  language: string;
  html: string;
  text: string;
  /** What consent platforms expose in the page, as plain data (null when absent). */
  oneTrust: unknown;
  didomi: unknown;
}

/**
 * Runs in the page's own world (scripting.executeScript with world MAIN), so it must hold everything it uses, its
 * limits included: it is sent to the page as source text. Whatever it returns is turned into plain data first.
 */
export function collectPageSources(): PageSources {
  const maxHtml = 3_000_000;
  const maxText = 1_000_000;
  const plain = (read: () => unknown): unknown => {
    try {
      const value = read();
      return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
    } catch {
      return null;
    }
  };
  const page = window as unknown as {
    OneTrust?: { GetDomainData?: () => unknown };
    Didomi?: { getConfig?: () => unknown };
    didomiConfig?: unknown;
  };
  return {
    url: location.href,
    title: document.title,
    language: document.documentElement.lang || navigator.language || '',
    html: document.documentElement.outerHTML.slice(0, maxHtml),
    text: (document.body?.innerText ?? '').slice(0, maxText),
    oneTrust: plain(() => page.OneTrust?.GetDomainData?.()),
    didomi: plain(() => page.Didomi?.getConfig?.() ?? page.didomiConfig),
  };
}

/** Every draft the page's sources give, the richest first; at least the text reading's. */
export function extractFromPage(sources: PageSources, parseHtml: (html: string) => Document): ExtractionResult[] {
  const options: ExtractOptions = {
    source: sources.url,
    ...(sources.title ? { title: sources.title } : {}),
    ...(/^[a-z]{2}\b/i.test(sources.language) ? { language: sources.language.slice(0, 2).toLowerCase() } : {}),
  };
  const document = parseHtml(sources.html);
  const attempts: Array<() => ExtractionResult> = [
    () => extractOneTrust(sources.oneTrust, options),
    () => extractDidomi(sources.didomi, options),
    () => extractCookiebot(document, { ...options, parseHtml }),
    () => extractInput(sources.html, { ...options, format: 'html', parseHtml: () => document }),
    () => extractTagCommander(document, options),
  ];
  const found: ExtractionResult[] = [];
  for (const attempt of attempts) {
    try {
      const result = attempt();
      if (result.understood > 0) found.push(result);
    } catch {
      // An extractor that cannot read this page has nothing to say about it.
    }
  }
  if (found.length === 0) found.push(extractInput(sources.text, { ...options, format: 'text', parseHtml }));
  // Between drafts that understood as much, the one that says more of each entry (its category) first.
  const categorised = (r: ExtractionResult) => r.catalogue.entries.filter((e) => e.category !== 'unknown').length;
  return found.sort((a, b) => b.understood - a.understood || categorised(b) - categorised(a));
}
