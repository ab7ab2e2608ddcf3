import { buildDraft, type DraftEntry, type ExtractionResult, type ExtractOptions, type NotUnderstood } from './draft';
import { categoryFromLabel } from './labels';
import { readPolicyText } from './policy-text';
import { elementText, readCookieTables, rowEntries } from './tables';

/**
 * A cookie-policy page as an HTML Document (parsed by the caller: this module uses no browser global).
 * Its cookie tables are read row by row (see tables.ts): a cell listing several names gives several names,
 * `rowspan` cells count for every row they cover, a heading above the table or a spanning row gives the category.
 * The page's prose supplies the lifetime rules ("Ces cookies ne sont pas conservés plus de 13 mois") and the cookies it
 * declares outside the tables. A page with no cookie table is read as free text, like a pasted policy (policy-text.ts).
 */
const EXTRACTOR = 'policy page';

function pageLanguage(document: Document): string | undefined {
  const lang = document.documentElement?.getAttribute('lang')?.trim().toLowerCase();
  return lang && /^[a-z]{2,3}(-|$)/.test(lang) ? lang.split('-')[0] : undefined;
}

function pageTitle(document: Document): string | undefined {
  const h1 = document.querySelector('h1');
  const title = (h1 ? elementText(h1) : '') || document.title || '';
  return title.replace(/\s+/g, ' ').trim() || undefined;
}

/** `textSource`: the page is a text (Markdown) holding HTML, whose line breaks are its structure, not the source's layout. */
export function extractPolicyPage(document: Document, options: ExtractOptions, textSource = false): ExtractionResult {
  const body = document.body ?? document.documentElement;
  const tables = readCookieTables(document);
  const language = pageLanguage(document);
  const title = pageTitle(document);

  if (tables.length === 0) {
    const prose = readPolicyText(body ? elementText(body, { keepLineBreaks: textSource, markNames: true }) : '');
    return buildDraft(
      {
        extractor: `${EXTRACTOR} (no cookie table: read as free text)`,
        ...prose,
        ...(title ? { title } : {}),
        language: language ?? prose.language,
      },
      options,
    );
  }

  const entries: DraftEntry[] = [];
  const notUnderstood: NotUnderstood[] = [];
  tables.forEach((table, t) => {
    const category = categoryFromLabel(table.heading);
    const where = `Row of cookie table ${t + 1}${table.heading ? ` (under "${table.heading}")` : ''}.`;
    for (const row of table.rows) {
      const made = rowEntries(row, { category, storage: 'cookie', where, heading: table.heading });
      entries.push(...made.entries);
      notUnderstood.push(...made.problems);
    }
  });
  // The page's text without its tables, those drawn with other elements (ARIA roles, definition lists) included.
  const read = new Set<Node>(tables.map((table) => table.element));
  const prose = readPolicyText(
    body ? elementText(body, { skip: ['table'], skipped: read, keepLineBreaks: textSource, markNames: true }) : '',
  );
  // Cookies the page declares outside its tables ("We also set: site_session (session)…"), each name once.
  const tabled = new Set(entries.flatMap((entry) => entry.names.map((name) => name.printed)));
  const besides = prose.entries
    .map((entry) => ({ ...entry, names: entry.names.filter((name) => !tabled.has(name.printed)) }))
    .filter((entry) => entry.names.length > 0);
  return buildDraft(
    {
      extractor: EXTRACTOR,
      entries: [...entries, ...besides],
      rules: prose.rules,
      // Lines of the page's text, not of its HTML: the sentence itself is the provenance.
      consentRules: prose.consentRules.map(({ lines: _lines, ...rule }) => rule),
      notUnderstood,
      ...(title ? { title } : {}),
      language: language ?? prose.language,
      notes: [`${tables.length} cookie table(s) read.`],
    },
    options,
  );
}
