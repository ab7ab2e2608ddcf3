import { extractCookiebot } from './consent-platforms/cookiebot';
import { extractOneTrust } from './consent-platforms/onetrust';
import { extractTcfDisclosures } from './consent-platforms/tcf-disclosures';
import { asJson, isRecord, type ExtractionResult, type ExtractOptions } from './draft';
import { extractPolicyPage } from './policy-page';
import { extractPolicyText, withoutFrontMatter } from './policy-text';

/**
 * One input (a file's content, a pasted text) to one draft, whatever asks: the dashboard's paste box, the popup's
 * fallback on a page's text, and `npm run extract` all call this, so that the same input gives the same draft.
 */
export const INPUT_FORMATS = ['auto', 'html', 'text', 'markdown', 'onetrust', 'cookiebot', 'tcf'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export interface ExtractInputOptions extends ExtractOptions {
  format?: InputFormat;
  /** Parses HTML into a Document (DOMParser in a browser, happy-dom in Node). */
  parseHtml: (html: string) => Document;
}

const hasHtmlTable = (text: string) => /<table[\s>]/i.test(text) && /<t[dh][\s>]/i.test(text);

/** The format an input is in, from its content first, then its file name. */
export function detectFormat(content: string, source = ''): Exclude<InputFormat, 'auto'> {
  const start = content.trimStart().slice(0, 2000);
  if (start.startsWith('{') || start.startsWith('[')) {
    const json = asJson(content);
    if (isRecord(json) && Array.isArray(json.disclosures)) return 'tcf';
    if (isRecord(json) && Array.isArray(json.cookies)) return 'cookiebot';
    if (json !== undefined) return 'onetrust';
  }
  if (/CookieConsentDialog|CookieDeclaration|cdreport/i.test(start) && !/^<(!doctype|html)/i.test(start))
    return 'cookiebot';
  if (/^<(!doctype\s+html|html|head|body|table|div|section|main|article|p|h[1-6])\b/i.test(start)) return 'html';
  if (/\.(md|markdown)$/i.test(source)) return 'markdown';
  if (/\.html?$/i.test(source)) return 'html';
  return 'text';
}

export function extractInput(content: string, options: ExtractInputOptions): ExtractionResult {
  const { format = 'auto', parseHtml, ...rest } = options;
  const chosen = format === 'auto' ? detectFormat(content, rest.source) : format;
  switch (chosen) {
    case 'html':
      return extractPolicyPage(parseHtml(content), rest);
    case 'onetrust':
      return extractOneTrust(content, rest);
    case 'cookiebot':
      // Cookiebot's declaration as a saved page, or its API JSON / cdreport.js script as text.
      return extractCookiebot(/^\s*</.test(content) ? parseHtml(content) : content, { ...rest, parseHtml });
    case 'tcf':
      return extractTcfDisclosures(content, rest);
    case 'text':
    case 'markdown':
      // Markdown may hold its tables as HTML (a static site's page, a GOV.UK-style cookie page): read as a page then.
      if (hasHtmlTable(content)) return extractPolicyPage(parseHtml(content), rest, true);
      // A Markdown page's front matter ("tags: Cookies, Session") holds its settings, no declaration.
      return extractPolicyText(
        withCharacterReferences(chosen === 'markdown' ? withoutFrontMatter(content) : content, parseHtml),
        rest,
      );
  }
}

const CHARACTER_REFERENCE = /&(?:#\d{1,7}|#x[\da-f]{1,6}|[a-z][a-z\d]{1,31});/gi;
/** More distinct names than HTML has (2,231): the rest are no references, and parsing them would only cost time. */
const MOST_NAMED_REFERENCES = 2500;

/**
 * "Dur&eacute;e", "Jusqu&#39;&agrave;" in Markdown or in a text taken from a page's source, as a reader sees them
 * (CommonMark decodes them outside code; here everywhere: a cookie's name holds no "&…;"). Numbers are decoded here; names (and the numbers HTML reads as
 * Windows-1252, "&#146;") by the HTML parser itself, each distinct one parsed once.
 */
export function withCharacterReferences(text: string, parseHtml: (html: string) => Document): string {
  const references = new Set(text.match(CHARACTER_REFERENCE) ?? []);
  if (references.size === 0) return text;
  const decoded = new Map<string, string>();
  const parsed: string[] = [];
  for (const reference of references) {
    const code = referencedNumber(reference);
    if (code === null || (code >= 0x80 && code <= 0x9f)) {
      if (parsed.length < MOST_NAMED_REFERENCES) parsed.push(reference);
    } else {
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      decoded.set(reference, valid ? String.fromCodePoint(code) : '\ufffd');
    }
  }
  if (parsed.length > 0) {
    const cells = parseHtml(`<body>${parsed.map((reference) => `<i>${reference}</i>`).join('')}</body>`);
    [...cells.querySelectorAll('i')].forEach((cell, i) => decoded.set(parsed[i]!, cell.textContent ?? parsed[i]!));
  }
  return text.replace(CHARACTER_REFERENCE, (reference) => decoded.get(reference) ?? reference);
}

/** The number of "&#233;" or "&#xE9;", or null for a named reference. */
function referencedNumber(reference: string): number | null {
  if (reference[1] !== '#') return null;
  const hex = reference[2] === 'x' || reference[2] === 'X';
  return Number.parseInt(reference.slice(hex ? 3 : 2, -1), hex ? 16 : 10);
}

/**
 * The dashboard's paste box: a pasted text (or a dropped file) read in whatever format it is in. The file's name
 * titles the draft: a pasted text's first line is seldom its title.
 */
export function draftFromPaste(
  text: string,
  fileName: string,
  parseHtml: (html: string) => Document,
): ExtractionResult {
  const name = fileName.trim() || 'pasted text';
  return extractInput(text, { source: name, title: name, parseHtml });
}
