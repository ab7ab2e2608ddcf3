import * as v from 'valibot';
import type { Category, DeclaredLifetime } from '../catalogue/schema';
import type { Language } from '../i18n';
import { parseLifetime } from '../audit/lifetime';
import { t } from '../strings';
import { problemMessage, ProblemList, validationIn } from '../validation-language';
import { knownCookie, type KnownCookie } from './known-cookies';

/**
 * The Open Cookie Database (github.com/jkwakman/Open-Cookie-Database, Apache-2.0): a community list of ~2,300
 * cookies, as CSV (`ID, Platform, Category, Cookie / Data Key name, Domain, Description, Retention period,
 * Data Controller, User Privacy & GDPR Rights Portals, Wildcard match`) or as its JSON export, keyed by platform
 * (`{ "<Platform>": [{ id, category, cookie, domain, description, retentionPeriod, dataController, privacyLink,
 * wildcardMatch }] }`). Rows are validated one by one; a bad row is reported with its line and skipped.
 * A wildcard row (`Wildcard match` 1) names a prefix: `_ga_` covers `_ga_ABC123`.
 */
const OCD_CATEGORIES = ['Functional', 'Analytics', 'Marketing', 'Security'] as const;
const CATEGORY: Record<(typeof OCD_CATEGORIES)[number], Category> = {
  Functional: 'functional',
  Analytics: 'audience-measurement',
  Marketing: 'advertising',
  Security: 'security',
};

const nonEmpty = v.pipe(v.string(), v.trim(), v.minLength(1, problemMessage('problem_empty')));

const OcdRowSchema = v.object({
  id: nonEmpty,
  platform: nonEmpty,
  category: v.picklist(OCD_CATEGORIES, problemMessage('problem_notOneOf', OCD_CATEGORIES.join(', '))),
  name: nonEmpty,
  domain: v.string(),
  description: v.string(),
  retention: v.string(),
  controller: v.string(),
  privacyLink: v.string(),
  wildcard: v.picklist(['0', '1'], problemMessage('problem_notZeroOrOne')),
});
type OcdRow = v.InferOutput<typeof OcdRowSchema>;

export interface OcdEntry {
  id: string;
  platform: string;
  category: Category;
  /** The name as the database prints it, without its "[x4]" count annotations. */
  name: string;
  /** A wildcard row matches every name starting with `name`. */
  wildcard: boolean;
  domain: string;
  description: string;
  /** Free text ("2 years", "End of session (browser)"): unknown when the lifetime parser cannot read it. */
  retention: DeclaredLifetime;
  controller: string;
  privacyLink: string;
}

export interface OcdProblem {
  /** 1-based line of the CSV (the row's first line), or the platform and index in the JSON export. */
  where: string;
  message: string;
}

export interface OpenCookieDatabase {
  entries: OcdEntry[];
  problems: OcdProblem[];
}

/** A file read: its good rows, its first problems (`LISTED_PROBLEMS`), and how many problems it has in all. */
export interface ParsedOpenCookieDatabase extends OpenCookieDatabase {
  problemCount: number;
}

interface Reading {
  entries: OcdEntry[];
  problems: ProblemList<OcdProblem>;
}

const newReading = (): Reading => ({ entries: [], problems: new ProblemList() });

function readingDone({ entries, problems }: Reading): ParsedOpenCookieDatabase {
  return { entries, problems: problems.listed, problemCount: problems.total };
}

export const OCD_COLUMNS = [
  'ID',
  'Platform',
  'Category',
  'Cookie / Data Key name',
  'Domain',
  'Description',
  'Retention period',
  'Data Controller',
  'User Privacy & GDPR Rights Portals',
  'Wildcard match',
] as const;

/**
 * RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. Each record keeps its first line.
 * A field is taken in slices of the text, not a character at a time: a string grown by one character per step is
 * many times slower once a field is long.
 */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  // The field so far is `field` followed by the text from `from` up to the current character.
  let field = '';
  let from = 0;
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += text.slice(from, i + 1);
        i++;
        from = i + 1;
      } else if (c === '"') {
        field += text.slice(from, i);
        from = i + 1;
        quoted = false;
      } else if (c === '\n') line++;
    } else if (c === '"' && field === '' && from === i) {
      quoted = true;
      from = i + 1;
    } else if (c === ',') {
      fields.push(field + text.slice(from, i));
      field = '';
      from = i + 1;
    } else if (c === '\n' || c === '\r') {
      fields.push(field + text.slice(from, i));
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (fields.some((f) => f !== '')) records.push({ line: start, fields });
      fields = [];
      field = '';
      from = i + 1;
      line++;
      start = line;
    }
  }
  fields.push(field + text.slice(from));
  if (fields.some((f) => f !== '')) records.push({ line: start, fields });
  return records;
}

/**
 * The name without the "[x3]" count some rows end with, and the white space around it. The count is found first and
 * the space before it walked back by hand: /\s*\[x\d+\]\s*$/ rescans a run of spaces from each of them.
 */
function withoutCount(name: string): string {
  const count = /\[x\d+\]\s*$/i.exec(name);
  if (!count) return name;
  let start = count.index;
  while (start > 0 && /\s/.test(name[start - 1]!)) start--;
  return name.slice(0, start);
}

function toEntry(row: OcdRow): OcdEntry {
  const retention = row.retention.replace(/\s+/g, ' ').trim();
  return {
    id: row.id,
    platform: row.platform,
    category: CATEGORY[row.category],
    name: withoutCount(row.name),
    wildcard: row.wildcard === '1',
    domain: row.domain.trim(),
    description: row.description.trim(),
    retention: { text: retention, parsed: parseLifetime(retention) },
    controller: row.controller.trim(),
    privacyLink: row.privacyLink.trim(),
  };
}

function validate(candidate: Record<string, unknown>, where: string, out: Reading, language: Language): void {
  const result = v.safeParse(OcdRowSchema, candidate, validationIn(language));
  if (result.success) out.entries.push(toEntry(result.output));
  else
    out.problems.add({
      where,
      message: result.issues
        .map((issue) => `${v.getDotPath(issue) ?? t(language, 'problem_row')} ${issue.message}`)
        .join('; '),
    });
}

function fromCsv(text: string, language: Language, out: Reading): void {
  const lineNumber = (line: number) => t(language, 'problem_line', line);
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  const columns = header?.fields.map((field) => field.trim()) ?? [];
  const missing = OCD_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    out.problems.add({
      where: lineNumber(1),
      message: t(language, 'problem_notOcdHeader', missing.join(', ')),
    });
    return;
  }
  const at = (fields: string[], column: (typeof OCD_COLUMNS)[number]) => fields[columns.indexOf(column)];
  for (const { line, fields } of rows) {
    if (fields.length !== columns.length) {
      out.problems.add({
        where: lineNumber(line),
        message: t(language, 'problem_fieldCount', fields.length, columns.length),
      });
      continue;
    }
    validate(
      {
        id: at(fields, 'ID'),
        platform: at(fields, 'Platform'),
        category: at(fields, 'Category'),
        name: at(fields, 'Cookie / Data Key name'),
        domain: at(fields, 'Domain'),
        description: at(fields, 'Description'),
        retention: at(fields, 'Retention period'),
        controller: at(fields, 'Data Controller'),
        privacyLink: at(fields, 'User Privacy & GDPR Rights Portals'),
        wildcard: at(fields, 'Wildcard match')?.trim(),
      },
      lineNumber(line),
      out,
      language,
    );
  }
}

function fromJson(json: unknown, language: Language, out: Reading): void {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    out.problems.add({
      where: t(language, 'problem_root'),
      message: t(language, 'problem_notOcdJson'),
    });
    return;
  }
  for (const [platform, rows] of Object.entries(json)) {
    if (!Array.isArray(rows)) {
      out.problems.add({ where: platform, message: t(language, 'problem_notCookieList') });
      continue;
    }
    rows.forEach((row: unknown, i) => {
      const r = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>;
      validate(
        {
          id: r.id,
          platform,
          category: r.category,
          name: r.cookie,
          domain: r.domain,
          description: r.description,
          retention: r.retentionPeriod,
          controller: r.dataController,
          privacyLink: r.privacyLink,
          wildcard: String(r.wildcardMatch ?? ''),
        },
        `${platform}[${i}]`,
        out,
        language,
      );
    });
  }
}

/** Reads the database from its CSV or its JSON export; problems are worded in `language`. */
export function parseOpenCookieDatabase(text: string, language: Language = 'en'): ParsedOpenCookieDatabase {
  const out = newReading();
  const trimmed = text.trimStart().replace(/^\uFEFF/, '');
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      const reason = (error as Error).message;
      out.problems.add({ where: t(language, 'problem_root'), message: t(language, 'problem_invalidJson', reason) });
      return readingDone(out);
    }
    fromJson(json, language, out);
  } else {
    fromCsv(text, language, out);
  }
  return readingDone(out);
}

/** The database row for a name: an exact name (then ignoring case), else the wildcard row with the longest prefix. */
export function lookupOpenCookieDatabase(name: string, database: OpenCookieDatabase): OcdEntry | null {
  const exact = database.entries.filter((entry) => !entry.wildcard);
  const found =
    exact.find((entry) => entry.name === name) ??
    exact.find((entry) => entry.name.toLowerCase() === name.toLowerCase());
  if (found) return found;
  let best: OcdEntry | null = null;
  for (const entry of database.entries) {
    if (entry.wildcard && name.startsWith(entry.name) && (!best || entry.name.length > best.name.length)) best = entry;
  }
  return best;
}

export type CookieDocumentation =
  | { source: 'vendor-documentation'; label: { fr: string; en: string }; known: KnownCookie }
  | { source: 'open-cookie-database'; label: { fr: string; en: string }; entry: OcdEntry };

/**
 * What is known about a cookie name, labelled with where it comes from: the vendor's own documentation when there is
 * any (it wins), else the Open Cookie Database's community row, else null.
 */
export function cookieDocumentation(
  name: string,
  sources: { known?: (name: string) => KnownCookie | null; openCookieDb?: OpenCookieDatabase | null } = {},
): CookieDocumentation | null {
  const known = (sources.known ?? knownCookie)(name);
  if (known) {
    return {
      source: 'vendor-documentation',
      label: { fr: t('fr', 'vendorDocsLabel', known.vendor), en: t('en', 'vendorDocsLabel', known.vendor) },
      known,
    };
  }
  const entry = sources.openCookieDb ? lookupOpenCookieDatabase(name, sources.openCookieDb) : null;
  return entry
    ? {
        source: 'open-cookie-database',
        label: { fr: t('fr', 'ocdLabel'), en: t('en', 'ocdLabel') },
        entry,
      }
    : null;
}
