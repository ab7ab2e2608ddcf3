import type { DeclaredLifetime } from '../../catalogue/schema';
import {
  asJson,
  buildDraft,
  declaredName,
  isRecord,
  lifetimeFromText,
  notFound,
  text,
  type DraftEntry,
  type ExtractionResult,
  type ExtractOptions,
  type NotUnderstood,
} from '../draft';
import { categoryFromLabel, partyFromLabel, storageFromLabel } from '../labels';
import { readCookieTables, rowEntries } from '../tables';

/**
 * TagCommander (Commanders Act): the cookie notice its Cookie Scanner / Realtime Cookie Scanner publishes, where the
 * site's cookie names are: `cdn.tagcommander.com/cookie-scanner/<site_id>/v1/cookies-<lang>.html` (a semantic table,
 * also what the "TRUST | Install Cookie Notice" tag inserts) or `…/cookies-<lang>.json`.
 * Its documented fields per cookie: Name, Vendor (label), Category (label), Storage Type / Location ("1st Party Cookie
 * (www.example.fr)", "HttpOnly 3rd Party Cookie (…)", "localStorage (…)", "sessionStorage (…)"), Storage Domain,
 * Storage Duration ("Session", "7 days", "13 months", "5 years", "Unlimited" for local storage and beyond 100 years),
 * Description. The JSON's exact keys are not published, so keys are matched by those field names (case, spaces,
 * `_` and "label" ignored); an unrecognised shape is reported as not understood rather than guessed.
 * The consent banner itself (`TC_PRIVACY`) publishes categories and vendors, not cookie names.
 */
const EXTRACTOR = 'TagCommander cookie notice';

type Field = 'name' | 'vendor' | 'category' | 'storage' | 'domain' | 'duration' | 'description';

const FIELDS: ReadonlyArray<[RegExp, Field]> = [
  [/^(name|cookie|cookiename|key)$/, 'name'],
  [/^(vendor|vendorname|provider)$/, 'vendor'],
  [/^(category|categoryname)$/, 'category'],
  [/^(storagetype|storagelocation|type|cookietype)$/, 'storage'],
  [/^(storagedomain|domain)$/, 'domain'],
  [/^(storageduration|duration|expiration|lifetime)$/, 'duration'],
  [/^(description|purpose)$/, 'description'],
];

function field(key: string): Field | undefined {
  const normal = key
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .replace(/label$/, '');
  return FIELDS.find(([pattern]) => pattern.test(normal))?.[1];
}

/** TagCommander's "Unlimited" (local storage, or beyond 100 years) outlives the session with no duration given. */
function duration(value: string): DeclaredLifetime {
  return /^(unlimited|illimit[ée]e?)$/i.test(value.trim())
    ? { text: value.trim(), parsed: { kind: 'persistent' } }
    : lifetimeFromText(value);
}

function cookieList(json: unknown): Record<string, unknown>[] | null {
  if (Array.isArray(json)) return json.filter(isRecord);
  if (!isRecord(json)) return null;
  for (const key of ['cookies', 'items', 'data']) {
    const value = json[key];
    if (Array.isArray(value)) return value.filter(isRecord);
  }
  return null;
}

function fromJson(cookies: Record<string, unknown>[], options: ExtractOptions): ExtractionResult {
  const entries: DraftEntry[] = [];
  const notUnderstood: NotUnderstood[] = [];
  for (const cookie of cookies) {
    const values: Partial<Record<Field, string>> = {};
    for (const [key, value] of Object.entries(cookie)) {
      const which = field(key);
      if (which && values[which] === undefined && text(value)) values[which] = text(value);
    }
    const excerpt = JSON.stringify(cookie).slice(0, 240);
    const name = declaredName(values.name ?? '');
    if (!name) {
      notUnderstood.push({ text: excerpt, reason: 'no cookie name among the fields of this TagCommander item' });
      continue;
    }
    entries.push({
      names: [name],
      vendor: values.vendor ?? null,
      purpose: values.description ?? '',
      category: categoryFromLabel(values.category),
      lifetime: values.duration ? duration(values.duration) : lifetimeFromText(''),
      party: partyFromLabel(values.storage),
      storage: values.storage ? storageFromLabel(values.storage) : 'cookie',
      excerpt,
      notes: values.domain ? [`Storage domain: ${values.domain}.`] : [],
    });
  }
  return buildDraft({ extractor: `${EXTRACTOR} (JSON)`, entries, notUnderstood }, options);
}

function fromDocument(document: ParentNode, options: ExtractOptions): ExtractionResult {
  const tables = readCookieTables(document);
  if (tables.length === 0) return notFound(EXTRACTOR, 'no cookie table in this notice', '', options);
  const entries: DraftEntry[] = [];
  const notUnderstood: NotUnderstood[] = [];
  for (const table of tables) {
    for (const row of table.rows) {
      const made = rowEntries(row, { where: 'TagCommander cookie notice row.' });
      for (const entry of made.entries)
        if (entry.lifetime?.parsed.kind === 'unknown') entry.lifetime = duration(entry.lifetime.text);
      entries.push(...made.entries);
      notUnderstood.push(...made.problems);
    }
  }
  return buildDraft({ extractor: EXTRACTOR, entries, notUnderstood }, options);
}

export function extractTagCommander(input: unknown, options: ExtractOptions): ExtractionResult {
  if (isRecord(input) && typeof (input as { querySelectorAll?: unknown }).querySelectorAll === 'function') {
    return fromDocument(input as unknown as ParentNode, options);
  }
  const json = asJson(input);
  const cookies = json === undefined ? null : cookieList(json);
  if (!cookies)
    return notFound(
      EXTRACTOR,
      'no cookie list in this TagCommander input',
      String(typeof input === 'string' ? input : JSON.stringify(input)).slice(0, 200),
      options,
    );
  return fromJson(cookies, options);
}
