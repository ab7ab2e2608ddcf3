import type { Category, Storage } from '../../catalogue/schema';
import {
  asJson,
  buildDraft,
  declaredName,
  isRecord,
  jsonExcerpt,
  lifetimeFromNumber,
  lifetimeFromText,
  notFound,
  text,
  type DraftConsent,
  type DraftEntry,
  type ExtractionResult,
  type ExtractOptions,
  type NotUnderstood,
} from '../draft';
import { categoryFromLabel } from '../labels';
import { elementText, readCookieTables, rowEntries, type CookieTable } from '../tables';

/**
 * Cookiebot's cookie declaration, in the three forms a site exposes it:
 * - the rendered declaration (a Document): one `.CookieDeclarationType` block per category, headed
 *   `.CookieDeclarationTypeHeader` ("Necessary (4)", "Statistiques (2)"), each with a table
 *   Name / Provider / Purpose / Maximum Storage Duration / Type ("HTTP Cookie", "HTML Local Storage", "Pixel Tracker");
 * - `cdreport.js`, the script `cd.js` loads, which hands that HTML to `CookieDeclaration.InjectCookieDeclaration('…')`:
 *   the string is decoded and parsed with the `parseHtml` function the caller supplies;
 * - the data API's JSON (`consent.cookiebot.com/api/v1/<key>/json/domaingroup/…/cookies`): `{ cookies: [{ Name,
 *   Provider, Category ("1" necessary … "5" unclassified), ExpireDescription, ExpireSeconds, Persistent,
 *   TrackerTypeName, PurposeDescription, ThirdParty }] }`.
 * Cookiebot prints `#` for a site-specific part of a name (`_ga_#`); it becomes `*` in the pattern.
 */
const EXTRACTOR = 'Cookiebot cookie declaration';

const API_CATEGORIES: Record<string, Category> = {
  '1': 'strictly-necessary',
  '2': 'functional',
  '3': 'audience-measurement',
  '4': 'advertising',
  '5': 'unknown',
};

/**
 * Cookiebot sets its Necessary category without asking and holds back the others (Preferences, Statistics, Marketing)
 * until the visitor accepts them; its Unclassified cookies are in no category a visitor can accept, so whether they
 * wait for consent is not said. `excerpt` is the platform's own word for the category.
 */
function categoryConsent(category: Category, label: string, excerpt: string): { consent?: DraftConsent; note: string } {
  const what = `Cookiebot category "${label}"`;
  if (/\b(unclassified|non class)/i.test(label))
    return {
      consent: { basis: 'unspecified', excerpt },
      note: `Consent: not said. ${what} is no category a visitor can accept or refuse, so Cookiebot does not say whether it waits for consent; the regulator's rule decides.`,
    };
  if (category === 'strictly-necessary')
    return { consent: { basis: 'exempt', excerpt }, note: `Consent: Cookiebot sets the ${what} without asking.` };
  if (category === 'unknown')
    return { note: `Consent: ${what} is not one Cookie Lens knows; the regulator's rule decides.` };
  return {
    consent: { basis: 'required', excerpt },
    note: `Consent: Cookiebot holds the ${what} back until the visitor accepts it.`,
  };
}

const API_CATEGORY_NAMES: Record<string, string> = {
  '1': 'Necessary',
  '2': 'Preferences',
  '3': 'Statistics',
  '4': 'Marketing',
  '5': 'Unclassified',
};

export interface CookiebotOptions extends ExtractOptions {
  /** Parses HTML into a Document (e.g. DOMParser in the browser); needed for `cdreport.js` text only. */
  parseHtml?: (html: string) => Document;
}

function trackerStorage(type: string): Storage {
  const normal = type.toLowerCase();
  if (normal.includes('session storage')) return 'sessionStorage';
  if (normal.includes('local storage')) return 'localStorage';
  if (normal.includes('http') || normal === 'cookie') return 'cookie';
  return 'unknown';
}

function isDocument(input: unknown): input is Document {
  return isRecord(input) && typeof (input as { querySelectorAll?: unknown }).querySelectorAll === 'function';
}

function fromApi(json: Record<string, unknown>, options: ExtractOptions): ExtractionResult {
  const entries: DraftEntry[] = [];
  const notUnderstood: NotUnderstood[] = [];
  const cookies = Array.isArray(json.cookies) ? json.cookies.filter(isRecord) : [];
  for (const cookie of cookies) {
    const excerpt = jsonExcerpt(cookie, ['Name', 'Provider', 'Category', 'ExpireDescription', 'TrackerTypeName']);
    const name = declaredName(text(cookie.Name));
    if (!name) {
      notUnderstood.push({ text: excerpt, reason: 'Cookiebot cookie without a usable Name' });
      continue;
    }
    const described = lifetimeFromText(text(cookie.ExpireDescription));
    const lifetime =
      text(cookie.Persistent) === '0'
        ? lifetimeFromNumber(0, 'seconds')
        : described.parsed.kind !== 'unknown'
          ? described
          : text(cookie.ExpireSeconds)
            ? lifetimeFromNumber(Number(text(cookie.ExpireSeconds)), 'seconds')
            : described;
    const type = text(cookie.TrackerTypeName) || text(cookie.TrackerTypeAbbr);
    const category = API_CATEGORIES[text(cookie.Category)] ?? 'unknown';
    const categoryName = API_CATEGORY_NAMES[text(cookie.Category)];
    const { consent, note } = categoryName
      ? categoryConsent(category, `${text(cookie.Category)} (${categoryName})`, jsonExcerpt(cookie, ['Category']))
      : { consent: undefined, note: 'Consent: the cookie gives no Cookiebot category; the regulator’s rule decides.' };
    entries.push({
      names: [name],
      vendor: text(cookie.Provider) || null,
      purpose: text(cookie.PurposeDescription),
      category,
      lifetime,
      party: text(cookie.ThirdParty) === '1' ? 'third' : text(cookie.ThirdParty) === '0' ? 'first' : 'unspecified',
      storage: trackerStorage(type),
      excerpt,
      ...(consent ? { consent } : {}),
      notes: [`Cookiebot tracker type: ${type || 'not given'}.`, note],
    });
  }
  if (cookies.length === 0) notUnderstood.push({ text: 'cookies', reason: 'the Cookiebot data lists no cookie' });
  return buildDraft({ extractor: `${EXTRACTOR} (data API)`, entries, notUnderstood }, options);
}

function fromDocument(document: ParentNode, options: ExtractOptions): ExtractionResult {
  const sections = Array.from(document.querySelectorAll('.CookieDeclarationType'));
  if (sections.length === 0) {
    return notFound(EXTRACTOR, 'no Cookiebot declaration (.CookieDeclarationType) in this page', '', options);
  }
  // Each table is read once, for the section nearest it: read for each section around it, a table in nested sections
  // gave its cookies once per level, in time quadratic in the nesting.
  const tablesOf = new Map<Element, CookieTable[]>();
  for (const table of readCookieTables(document)) {
    const section = table.element.closest('.CookieDeclarationType');
    if (!section) continue;
    const list = tablesOf.get(section);
    if (list) list.push(table);
    else tablesOf.set(section, [table]);
  }
  const entries: DraftEntry[] = [];
  const notUnderstood: NotUnderstood[] = [];
  for (const section of sections) {
    const header = section.querySelector('.CookieDeclarationTypeHeader');
    const label = header
      ? elementText(header)
          .replace(/\(\d+\)\s*$/, '')
          .trim()
      : '';
    const category = categoryFromLabel(label);
    const { consent, note } = categoryConsent(category, label, label);
    for (const table of tablesOf.get(section) ?? []) {
      for (const row of table.rows) {
        const made = rowEntries(row, { category, where: `Cookiebot category "${label}".` });
        for (const entry of made.entries) {
          entry.storage = trackerStorage(row.cells.type ?? '');
          // The platform's category decides, whatever words the row holds.
          if (consent) entry.consent = consent;
          else delete entry.consent;
          entry.notes = [...(entry.notes ?? []), note];
        }
        entries.push(...made.entries);
        notUnderstood.push(...made.problems);
      }
    }
  }
  return buildDraft({ extractor: EXTRACTOR, entries, notUnderstood }, options);
}

/** The HTML string `cdreport.js` passes to `InjectCookieDeclaration`, decoded from its JavaScript literal. */
export function cdreportHtml(script: string): string | null {
  const call = /InjectCookieDeclaration\(\s*(['"])/.exec(script);
  if (!call) return null;
  const quote = call[1]!;
  let html = '';
  for (let i = call.index + call[0].length; i < script.length; i++) {
    const c = script[i]!;
    if (c === quote) return html;
    if (c !== '\\') {
      html += c;
      continue;
    }
    const next = script[++i] ?? '';
    if (next === 'n') html += '\n';
    else if (next === 't') html += '\t';
    else if (next === 'u') {
      html += String.fromCharCode(Number.parseInt(script.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (next === 'x') {
      html += String.fromCharCode(Number.parseInt(script.slice(i + 1, i + 3), 16));
      i += 2;
    } else html += next;
  }
  return null;
}

export function extractCookiebot(input: unknown, options: CookiebotOptions): ExtractionResult {
  if (isDocument(input)) return fromDocument(input, options);
  const json = asJson(input);
  if (isRecord(json)) {
    return Array.isArray(json.cookies)
      ? fromApi(json, options)
      : notFound(EXTRACTOR, 'no "cookies" list in this JSON', JSON.stringify(json).slice(0, 200), options);
  }
  if (typeof input === 'string') {
    const html = cdreportHtml(input);
    if (html === null)
      return notFound(EXTRACTOR, 'neither Cookiebot JSON nor a cdreport.js script', input.slice(0, 200), options);
    if (!options.parseHtml) {
      return notFound(
        EXTRACTOR,
        'cdreport.js found, but no parseHtml function was given to read its HTML',
        input.slice(0, 200),
        options,
      );
    }
    return fromDocument(options.parseHtml(html), options);
  }
  return notFound(EXTRACTOR, 'unsupported input', String(input), options);
}
