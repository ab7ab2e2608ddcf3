import * as v from 'valibot';
import {
  CATALOGUE_FORMAT_VERSION,
  EntrySchema,
  validateCatalogue,
  type Catalogue,
  type Category,
  type ConsentBasis,
  type ConsentRule,
  type DeclaredLifetime,
  type DeclaredName,
  type Entry,
  type LifetimeRule,
  type Party,
  type Storage,
} from '../catalogue/schema';
import { parseLifetime } from '../audit/lifetime';
import { isExpiryDate } from './lifetime-phrases';

/**
 * What every extractor returns: a draft catalogue (valid against the schema, provenance on every entry), how many
 * entries and rules it understood, and what it could not understand, listed for the user to finish by hand.
 */
export interface ExtractionResult {
  catalogue: Catalogue;
  understood: number;
  notUnderstood: NotUnderstood[];
  source: string;
}

export interface NotUnderstood {
  text: string;
  reason: string;
}

export interface ExtractOptions {
  /** The address or file name the input came from: the provenance of every entry. */
  source: string;
  /** BCP 47 tag of the policy's language; guessed from the text when absent. */
  language?: string;
  publisher?: string;
  title?: string;
  /** Host patterns the draft applies to. Empty by default: the user binds the draft to a site. */
  sites?: string[];
}

/** An entry before it gets its id and provenance. */
export interface DraftEntry {
  names: DeclaredName[];
  vendor?: string | null;
  purpose?: string;
  category?: Category;
  lifetime?: DeclaredLifetime;
  party?: Party;
  storage?: Storage;
  controller?: string | null;
  dataCollected?: string | null;
  /** The source's own words (or a JSON excerpt) the entry comes from. */
  excerpt: string;
  lines?: [number, number];
  /** What the source says of this cookie's need for consent, with the words that say it. */
  consent?: DraftConsent;
  notes?: string[];
}

export interface DraftConsent {
  basis: ConsentBasis;
  excerpt: string;
  lines?: [number, number];
}

/** A sentence or a category of the source saying whether a category, or every cookie, needs consent. */
export interface DraftConsentRule extends DraftConsent {
  appliesTo: ConsentRule['appliesTo'];
  notes?: string[];
}

export interface DraftRule {
  appliesTo: LifetimeRule['appliesTo'];
  role: LifetimeRule['role'];
  lifetime: DeclaredLifetime;
  excerpt: string;
  lines?: [number, number];
}

export interface DraftInput {
  /** Which extractor made the draft, for the catalogue's note ("OneTrust cookie list"). */
  extractor: string;
  entries: DraftEntry[];
  rules?: DraftRule[];
  consentRules?: DraftConsentRule[];
  notUnderstood?: NotUnderstood[];
  notes?: string[];
  /** Title and language the input itself gives, used unless the options override them. */
  title?: string;
  language?: string;
}

export const EXPIRY_DATE_NOTE =
  'The lifetime is an expiry date, not a duration: how long the cookie lasts depends on the day it is set, so it is left unknown.';

export const UNKNOWN_LIFETIME: DeclaredLifetime = { text: '', parsed: { kind: 'unknown' } };
const EXCERPT_MAX = 280;

/** Lower-case ASCII letters, digits and single dashes. */
export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

function sourceUrl(source: string): URL | null {
  if (!/^https?:\/\//i.test(source)) return null;
  try {
    return new URL(source);
  } catch {
    return null;
  }
}

/** `draft-<slug of the host or file name>`. */
export function draftId(source: string): string {
  const url = sourceUrl(source);
  const base = url ? url.hostname : (source.split(/[\\/]/).pop() ?? source).replace(/\.[a-z0-9]{1,5}$/i, '');
  return `draft-${slug(base) || 'policy'}`;
}

/** White space folded to single spaces; long texts cut with a trailing " …". */
export function excerptOf(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > EXCERPT_MAX ? `${folded.slice(0, EXCERPT_MAX - 2).trimEnd()} …` : folded;
}

/** A declared lifetime read from the source's words: the parser never guesses, so an unclear text stays unknown. */
export function lifetimeFromText(text: string | null | undefined): DeclaredLifetime {
  const folded = (text ?? '').replace(/\s+/g, ' ').trim();
  return { text: folded, parsed: parseLifetime(folded) };
}

/**
 * A lifetime given as a number of seconds (or days): zero or less is a session cookie, as in `Max-Age`; null or
 * absent is unknown. The text is written so that the lifetime parser reads the same value back.
 */
export function lifetimeFromNumber(value: number | null | undefined, unit: 'seconds' | 'days'): DeclaredLifetime {
  if (value === null || value === undefined || !Number.isFinite(value)) return UNKNOWN_LIFETIME;
  if (value <= 0) return { text: 'session', parsed: { kind: 'session' } };
  return lifetimeFromText(`${value} ${unit}`);
}

const PLACEHOLDERS: ReadonlyArray<[RegExp, string]> = [
  [/#/g, '"#" stands for a site-specific part of the name'],
  [
    /<[\w-]+(?: [\w-]+){0,3}>|\{[\w-]+(?: [\w-]+){0,3}\}|\[[\w-]+(?: [\w-]+){0,3}\]/g,
    'the bracketed part stands for an identifier the vendor fills in',
  ],
];

/**
 * A declared name as the source prints it. `*` is kept as a wildcard; the placeholders consent platforms print
 * (`_ga_#`, `_ga_<container-id>`, `_hjSession_{site_id}`) become `*` in the pattern, with the reading saying so.
 * Returns null for a name that cannot be a pattern (`*` alone).
 */
export function declaredName(printed: string, extracted?: string): DeclaredName | null {
  const name = printed.trim();
  let pattern = name;
  const readings: string[] = [];
  for (const [placeholder, reading] of PLACEHOLDERS) {
    const replaced = pattern.replace(placeholder, '*');
    if (replaced !== pattern) readings.push(reading);
    pattern = replaced;
  }
  pattern = pattern.replace(/\*{2,}/g, '*');
  if (name === '' || pattern === '*' || pattern.replace(/\*/g, '').trim() === '') return null;
  const raw = extracted?.replace(/\s+/g, ' ').trim();
  if (raw && raw !== name) readings.unshift('the source split the name across a line break');
  return {
    printed: name,
    pattern,
    ...(raw && raw !== name ? { extracted: raw } : {}),
    ...(readings.length > 0 ? { reading: readings.join('; ') } : {}),
  };
}

/** Guesses the language from its most frequent short words: French or English, else the fallback. */
export function guessLanguage(text: string, fallback = 'en'): string {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  let fr = 0;
  let en = 0;
  for (const word of words) {
    if (/^(le|la|les|des|du|est|et|une|pour|nous|vous|sont)$/.test(word)) fr++;
    else if (/^(the|and|of|is|are|we|you|for|with|this)$/.test(word)) en++;
  }
  if (fr === 0 && en === 0) return fallback;
  return fr >= en ? 'fr' : 'en';
}

/**
 * Ids handed out: for a base, the first free one of slug, slug-2, slug-3… Each slug keeps the lowest number that may
 * be free, so that many entries of one name do not count up from 2 each (quadratic in the entries of that name).
 */
class Ids {
  private readonly taken = new Set<string>();
  private readonly lowest = new Map<string, number>();

  /** The first free id for `base`, and how to reserve it. */
  free(base: string): { id: string; take: () => void } {
    const root = slug(base) || 'entry';
    const idOf = (n: number) => (n === 1 ? root : `${root}-${n}`);
    let n = this.lowest.get(root) ?? 1;
    while (this.taken.has(idOf(n))) n++;
    const id = idOf(n);
    return {
      id,
      take: () => {
        this.taken.add(id);
        this.lowest.set(root, n + 1);
      },
    };
  }

  take(base: string): string {
    const { id, take } = this.free(base);
    take();
    return id;
  }
}

/**
 * A name the text mentions again without a lifetime ("utmexit, sha, __utma, __utmz" in a later list) is the cookie an
 * entry with a lifetime declares: the repeat is left out (its entry too when it names nothing else and says nothing of
 * consent), so that the draft holds each name once, with what the policy says of it.
 */
function withoutUntimedRepeats(drafts: readonly DraftEntry[]): DraftEntry[] {
  const timed = new Set(
    drafts.filter((draft) => draft.lifetime?.text.trim()).flatMap((draft) => draft.names.map((name) => name.printed)),
  );
  const kept: DraftEntry[] = [];
  for (const draft of drafts) {
    if (draft.lifetime?.text.trim() || draft.consent || !draft.names.some((name) => timed.has(name.printed))) {
      kept.push(draft);
      continue;
    }
    const names = draft.names.filter((name) => !timed.has(name.printed));
    if (names.length > 0) kept.push({ ...draft, names });
  }
  return kept;
}

/**
 * Assembles a draft catalogue. Each entry is checked on its own first: one the schema refuses is listed as not
 * understood instead of spoiling the draft. The whole catalogue is then validated; failing that is a bug here.
 */
export function buildDraft(input: DraftInput, options: ExtractOptions): ExtractionResult {
  const { source } = options;
  const url = sourceUrl(source);
  const notUnderstood = [...(input.notUnderstood ?? [])];
  const entryIds = new Ids();
  const entries: Entry[] = [];
  for (const draft of withoutUntimedRepeats(input.entries)) {
    const names = draft.names;
    const id = entryIds.free(names[0]?.printed ?? draft.vendor ?? draft.purpose ?? 'entry');
    const lifetime = draft.lifetime ?? UNKNOWN_LIFETIME;
    // A date kept as printed is a lifetime not understood, said so on the entry and in the list to finish by hand.
    const dated = lifetime.parsed.kind === 'unknown' && isExpiryDate(lifetime.text);
    if (dated) notUnderstood.push({ text: lifetime.text, reason: EXPIRY_DATE_NOTE });
    const notes = [...(draft.notes ?? []), ...(dated ? [EXPIRY_DATE_NOTE] : [])];
    const candidate = {
      id: id.id,
      vendor: draft.vendor?.trim() || null,
      names,
      unnamed: names.length === 0,
      purpose: (draft.purpose ?? '').replace(/\s+/g, ' ').trim(),
      category: draft.category ?? 'unknown',
      lifetime,
      party: draft.party ?? 'unspecified',
      storage: draft.storage ?? 'unknown',
      controller: draft.controller?.trim() || null,
      dataCollected: draft.dataCollected?.trim() || null,
      provenance: {
        source,
        ...(draft.lines ? { lines: draft.lines } : {}),
        excerpt: excerptOf(draft.excerpt) || names.map((n) => n.printed).join(', ') || '(empty)',
      },
      ...(draft.consent ? { consent: consentDeclaration(draft.consent, source) } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    };
    const checked = v.safeParse(EntrySchema, candidate);
    if (checked.success) {
      id.take();
      entries.push(checked.output);
    } else {
      notUnderstood.push({
        text: excerptOf(draft.excerpt),
        reason: `not a valid entry: ${checked.issues[0]?.message}`,
      });
    }
  }
  const ruleIds = new Ids();
  const rules: LifetimeRule[] = (input.rules ?? []).map((rule) => ({
    id: ruleIds.take(`${rule.appliesTo}-${rule.role}-${rule.lifetime.text}`),
    appliesTo: rule.appliesTo,
    role: rule.role,
    lifetime: rule.lifetime,
    provenance: { source, ...(rule.lines ? { lines: rule.lines } : {}), excerpt: excerptOf(rule.excerpt) },
  }));
  const consentRuleIds = new Ids();
  const consentRules: ConsentRule[] = (input.consentRules ?? []).map((rule) => ({
    id: consentRuleIds.take(`${rule.appliesTo}-${rule.basis}`),
    appliesTo: rule.appliesTo,
    ...consentDeclaration(rule, source),
    ...(rule.notes && rule.notes.length > 0 ? { notes: rule.notes } : {}),
  }));
  const host = url?.hostname;
  const catalogue = {
    formatVersion: CATALOGUE_FORMAT_VERSION,
    id: draftId(source),
    publisher: options.publisher ?? host ?? 'Publisher not identified',
    title: (options.title ?? input.title ?? '').trim() || `Draft from ${source}`,
    language: options.language ?? input.language ?? 'en',
    policy: { url: url ? url.href : null, document: url ? null : source },
    date: null,
    sites: options.sites ?? [],
    rules,
    ...(consentRules.length > 0 ? { consentRules } : {}),
    entries,
    notes: [
      `Draft made by Cookie Lens from the ${input.extractor} (${source}); review it before relying on it.`,
      ...(input.notes ?? []),
    ],
  };
  const validation = validateCatalogue(catalogue);
  if (!validation.ok) {
    throw new Error(
      `draft catalogue is invalid: ${validation.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
  return {
    catalogue: validation.catalogue,
    understood: entries.length + rules.length + consentRules.length,
    notUnderstood,
    source,
  };
}

function consentDeclaration(consent: DraftConsent, source: string): Pick<ConsentRule, 'basis' | 'provenance'> {
  return {
    basis: consent.basis,
    provenance: {
      source,
      ...(consent.lines ? { lines: consent.lines } : {}),
      excerpt: excerptOf(consent.excerpt) || '(empty)',
    },
  };
}

/** The result for an input in which the expected format was not found at all. */
export function notFound(extractor: string, reason: string, text: string, options: ExtractOptions): ExtractionResult {
  return buildDraft(
    {
      extractor,
      entries: [],
      notUnderstood: [{ text: excerptOf(text) || '(empty input)', reason }],
      notes: [`Not found: ${reason}`],
    },
    options,
  );
}

/** Parses JSON text, or passes an already parsed value through; undefined when the text is not JSON. */
export function asJson(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/** A short JSON excerpt of an object, limited to the fields that matter. */
export function jsonExcerpt(value: Record<string, unknown>, fields: readonly string[]): string {
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (value[field] !== undefined && value[field] !== '') picked[field] = value[field];
  return JSON.stringify(picked);
}

/** Strips tags from the HTML some platforms put in descriptions. */
export function plainText(html: string): string {
  return withoutTags(html)
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Every "<…>" replaced by a space, by hand: /<[^>]*>/g scans from each "<" to the end when no ">" follows, quadratic
 * in a run of "<".
 */
function withoutTags(html: string): string {
  const parts: string[] = [];
  let from = 0;
  for (let open = html.indexOf('<'); open >= 0; open = html.indexOf('<', from)) {
    const close = html.indexOf('>', open + 1);
    if (close < 0) break;
    parts.push(html.slice(from, open), ' ');
    from = close + 1;
  }
  parts.push(html.slice(from));
  return parts.join('');
}
