import type { Catalogue, DeclaredName, Entry } from '../catalogue/schema';
import { hostMatches } from '../catalogue/sites';

/**
 * Finds the catalogue entry that declares an observed cookie (or Web Storage key), and says how it matched:
 * - `exact`: the name is a declared name, to the letter;
 * - `pattern`: the name fits a declared pattern (`_pk_id.*`, `dydu.*`);
 * - `case`: it does only when case is ignored ("Jsessionid" declares JSESSIONID);
 * - `variant`: it does only once spelling variants are folded too (a leading "." or "_", spaces, "-" for "_":
 *   "Csrf token" declares csrftoken, "pk_ses#" declares _pk_ses.1.a1b2, "AspNetCore.Session" .AspNetCore.Session).
 * Each catalogue gets an index once (a map for exact names, a map of patterns by their literal start, then by their
 * literal end or inner piece), so a lookup costs a few map reads, not a pass over the catalogue, however many patterns
 * share a start.
 */
export type MatchHow = 'exact' | 'pattern' | 'case' | 'variant';
const HOW_RANK: Record<MatchHow, number> = { exact: 0, pattern: 1, case: 2, variant: 3 };

export interface CookieIdentity {
  name: string;
  /** The cookie's domain (leading dot allowed) or the Web Storage origin's host. */
  domain: string;
  path?: string;
}

export interface Match {
  catalogue: Catalogue;
  entry: Entry;
  /** The declared name that matched. */
  name: DeclaredName;
  how: MatchHow;
}

type Fold = (text: string) => string;
const asPrinted: Fold = (text) => text;
const caseFolded: Fold = (text) => text.toLowerCase();
/** Folds the spelling variants policies use for one name: case, white space, "-" for "_", a leading "." or "_". */
export const variantFolded: Fold = (text) => foldLowerVariant(text.toLowerCase());

function foldLowerVariant(lower: string): string {
  const first = lower.charCodeAt(0);
  if (first !== 46 && first !== 95 && !/[\s-]/.test(lower)) return lower;
  return lower
    .replace(/\s+/g, '')
    .replace(/-/g, '_')
    .replace(/^[._]+/, '');
}

interface CompiledName {
  entry: Entry;
  name: DeclaredName;
  /** Declaration order in the catalogue: among patterns of one literal start, the first declared wins. */
  order: number;
  /** The pattern's literal pieces between its `*`s, folded for the tier. */
  pieces: string[];
  /** The entry's host restriction, or null: read here so the hot path touches one object shape. */
  hosts: string[] | null;
}

/** Patterns tested in full by lookups so far: what the index saves, for the tests. */
export const matcherWork = { patternTests: 0 };

/**
 * The patterns of one literal start. Those with a literal end are found by the name's end, those with inner pieces
 * only by one of them (the longest) found in the name, so a lookup tests in full only the few that can fit, even when
 * thousands of patterns share the start (`dydu.*.1.*`, `dydu.*.2.*`…).
 */
class StartBucket {
  /** `start*`: every name with the start fits. */
  private readonly plain: CompiledName[] = [];
  private readonly byEnd = new Map<string, CompiledName[]>();
  private endLengths: number[] = [];
  private readonly byInner = new Map<string, CompiledName[]>();
  private innerLengths: number[] = [];
  private best: CompiledName | undefined;

  constructor(private readonly startLength: number) {}

  add(compiled: CompiledName): void {
    const { pieces } = compiled;
    const end = pieces[pieces.length - 1]!;
    const inner = pieces.slice(1, -1).reduce((longest, piece) => (piece.length > longest.length ? piece : longest), '');
    if (end !== '') {
      listIn(this.byEnd, end).push(compiled);
      this.endLengths = withLength(this.endLengths, end.length);
    } else if (inner !== '') {
      listIn(this.byInner, inner).push(compiled);
      this.innerLengths = withLength(this.innerLengths, inner.length);
    } else {
      this.plain.push(compiled);
    }
  }

  /** The first declared pattern of this start that the name fits. */
  find(key: string, domain: string): CompiledName | undefined {
    if (this.endLengths.length === 0 && this.innerLengths.length === 0) {
      // The usual bucket: patterns of the start alone (`_pk_id.*`), nearly always one.
      for (const candidate of this.plain) {
        matcherWork.patternTests++;
        if (fitsPieces(key, candidate.pieces) && (candidate.hosts === null || allowedOn(candidate.entry, domain)))
          return candidate;
      }
      return undefined;
    }
    this.best = undefined;
    if (this.plain.length > 0) this.consider(this.plain, key, domain);
    const room = key.length - this.startLength;
    for (const length of this.endLengths) {
      if (length > room) continue;
      const list = this.byEnd.get(key.slice(key.length - length));
      if (list) this.consider(list, key, domain);
    }
    if (this.innerLengths.length > 0) {
      const seen = new Set<CompiledName[]>();
      for (const length of this.innerLengths) {
        for (let at = this.startLength; at + length <= key.length; at++) {
          const list = this.byInner.get(key.slice(at, at + length));
          if (list && !seen.has(list)) {
            seen.add(list);
            this.consider(list, key, domain);
          }
        }
      }
    }
    return this.best;
  }

  /** A list is in declaration order: its first fit is its best, and none after one declared later than the best. */
  private consider(list: readonly CompiledName[], key: string, domain: string): void {
    for (const candidate of list) {
      if (this.best && candidate.order > this.best.order) return;
      matcherWork.patternTests++;
      if (fitsPieces(key, candidate.pieces) && (candidate.hosts === null || allowedOn(candidate.entry, domain))) {
        this.best = candidate;
        return;
      }
    }
  }
}

function listIn<K, T>(map: Map<K, T[]>, key: K): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/** Patterns are bucketed by the first characters of their literal start. */
const HEAD = 2;

/** The first two characters of a text (it has at least two), as one number. */
function headOf(text: string): number {
  return text.charCodeAt(0) * 65_536 + text.charCodeAt(1);
}

/** A hash of `text`'s first `length` characters, the same whether computed at once or character by character. */
function startHash(text: string, length: number): number {
  let hash = length;
  for (let i = 0; i < length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * One fold of one catalogue. Exact names sit in a map. Patterns sit in a map keyed by a hash of their literal start;
 * for each head (first two characters) the start lengths in use are listed, longest first. A lookup hashes the
 * name's prefixes in one pass and reads the map once per length that could fit (a few), whatever the number of
 * patterns, and not at all when no pattern starts like the name. Candidates are then checked in full.
 */
class Tier {
  /** True while folding has changed no declared name: a name the fold leaves alone then finds nothing new here. */
  foldsNothing = true;
  private readonly exact = new Map<string, CompiledName[]>();
  private readonly byStart = new Map<number, StartBucket>();
  private readonly lengthsByHead = new Map<number, number[]>();
  /** Start lengths shorter than a head, e.g. a pattern "*_session". */
  private shortLengths: number[] = [];
  private longest = 0;
  /** Prefix hashes of the name being looked up, reused (no allocation on the hot path). */
  private prefixHashes = new Int32Array(64);

  constructor(private readonly fold: Fold) {}

  add(entry: Entry, name: DeclaredName, before: Fold, order: number): void {
    const pieces = name.pattern.split('*').map(this.fold);
    if (this.fold(name.pattern) !== before(name.pattern)) this.foldsNothing = false;
    const compiled: CompiledName = {
      entry,
      name,
      order,
      pieces,
      hosts: entry.hosts && entry.hosts.length > 0 ? entry.hosts : null,
    };
    const start = pieces[0]!;
    if (pieces.length === 1) {
      const list = this.exact.get(start);
      if (list) list.push(compiled);
      else this.exact.set(start, [compiled]);
      return;
    }
    const hash = startHash(start, start.length);
    let bucket = this.byStart.get(hash);
    if (!bucket) this.byStart.set(hash, (bucket = new StartBucket(start.length)));
    bucket.add(compiled);
    this.longest = Math.max(this.longest, start.length);
    if (this.prefixHashes.length <= this.longest) this.prefixHashes = new Int32Array(this.longest * 2);
    if (start.length < HEAD) {
      this.shortLengths = withLength(this.shortLengths, start.length);
    } else {
      const head = headOf(start);
      this.lengthsByHead.set(head, withLength(this.lengthsByHead.get(head) ?? [], start.length));
    }
  }

  findExact(key: string, domain: string): CompiledName | undefined {
    const list = this.exact.get(key);
    if (!list) return undefined;
    for (const candidate of list) if (candidate.hosts === null || allowedOn(candidate.entry, domain)) return candidate;
    return undefined;
  }

  /** The pattern with the longest literal start that the name fits. */
  findPattern(key: string, domain: string): CompiledName | undefined {
    const lengths = key.length >= HEAD ? this.lengthsByHead.get(headOf(key)) : undefined;
    if (!lengths && this.shortLengths.length === 0) return undefined;
    // hashes[n] is startHash(key, n) without the length mixed in; the length is mixed in below.
    const hashes = this.prefixHashes;
    const upTo = Math.min(
      key.length,
      lengths ? Math.max(lengths[0]!, this.shortLengths[0] ?? 0) : this.shortLengths[0]!,
    );
    hashes[0] = 0;
    for (let i = 0; i < upTo; i++) hashes[i + 1] = (Math.imul(hashes[i]!, 31) + key.charCodeAt(i)) | 0;
    return (lengths && this.findAmong(lengths, key, domain)) ?? this.findAmong(this.shortLengths, key, domain);
  }

  private findAmong(lengths: readonly number[], key: string, domain: string): CompiledName | undefined {
    for (let i = 0; i < lengths.length; i++) {
      const length = lengths[i]!;
      if (length > key.length) continue;
      const found = this.byStart.get(withStartLength(this.prefixHashes[length]!, length))?.find(key, domain);
      if (found) return found;
    }
    return undefined;
  }
}

/** startHash mixes the length in first: hash(length, c0..cn) = length·31ⁿ⁺¹ + hash(0, c0..cn). */
function withStartLength(prefixHash: number, length: number): number {
  return (Math.imul(length, powerOf31(length)) + prefixHash) | 0;
}

const powers: number[] = [1];
function powerOf31(n: number): number {
  while (powers.length <= n) powers.push(Math.imul(powers[powers.length - 1]!, 31));
  return powers[n]!;
}

function withLength(lengths: readonly number[], length: number): number[] {
  return lengths.includes(length) ? [...lengths] : [...lengths, length].sort((a, b) => b - a);
}

/** Whether `text` fits a pattern cut at its `*`s into `pieces` (at least two). */
export function fitsPieces(text: string, pieces: readonly string[]): boolean {
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = text.indexOf(pieces[i]!, at);
    if (found < 0 || found + pieces[i]!.length > end) return false;
    at = found + pieces[i]!.length;
  }
  return true;
}

function allowedOn(entry: Entry, domain: string): boolean {
  if (!entry.hosts || entry.hosts.length === 0) return true;
  const host = domain.replace(/^\./, '').toLowerCase();
  return entry.hosts.some((pattern) => hostMatches(pattern, host));
}

const TIERS: ReadonlyArray<[Fold, MatchHow, MatchHow]> = [
  [asPrinted, 'exact', 'pattern'],
  [caseFolded, 'case', 'case'],
  [variantFolded, 'variant', 'variant'],
];

/** The lookup structure of one catalogue. */
export class CatalogueIndex {
  private readonly tiers: Tier[];

  constructor(readonly catalogue: Catalogue) {
    this.tiers = TIERS.map(([fold]) => new Tier(fold));
    let order = 0;
    for (const entry of catalogue.entries) {
      for (const name of entry.names) {
        order++;
        this.tiers.forEach((tier, t) => tier.add(entry, name, TIERS[t - 1]?.[0] ?? asPrinted, order));
      }
    }
  }

  lookup(cookie: CookieIdentity): Match | null {
    const { name, domain } = cookie;
    const asPrinted = this.lookupIn(0, name, domain);
    if (asPrinted) return asPrinted;
    // A fold that changes neither the name nor any declared name cannot find what the previous tier did not.
    const lower = name.toLowerCase();
    const byCase = lower === name && this.tiers[1]!.foldsNothing ? null : this.lookupIn(1, lower, domain);
    if (byCase) return byCase;
    const variant = foldLowerVariant(lower);
    return variant === lower && this.tiers[2]!.foldsNothing ? null : this.lookupIn(2, variant, domain);
  }

  private lookupIn(t: number, key: string, domain: string): Match | null {
    const tier = this.tiers[t]!;
    const how = TIERS[t]!;
    const exact = tier.findExact(key, domain);
    if (exact) return { catalogue: this.catalogue, entry: exact.entry, name: exact.name, how: how[1] };
    const pattern = tier.findPattern(key, domain);
    if (pattern) return { catalogue: this.catalogue, entry: pattern.entry, name: pattern.name, how: how[2] };
    return null;
  }
}

const indexes = new WeakMap<Catalogue, CatalogueIndex>();

/** The index of a catalogue, built the first time it is asked for. */
export function indexOf(catalogue: Catalogue): CatalogueIndex {
  let index = indexes.get(catalogue);
  if (!index) {
    index = new CatalogueIndex(catalogue);
    indexes.set(catalogue, index);
  }
  return index;
}

/** The best match across the catalogues that apply to a site; the first catalogue wins a tie. */
export function matchCookie(cookie: CookieIdentity, catalogues: readonly Catalogue[]): Match | null {
  let best: Match | null = null;
  for (const catalogue of catalogues) {
    const match = indexOf(catalogue).lookup(cookie);
    if (match && (!best || HOW_RANK[match.how] < HOW_RANK[best.how])) best = match;
    if (best?.how === 'exact') break;
  }
  return best;
}

const scanLists = new WeakMap<Catalogue, Array<{ entry: Entry; name: DeclaredName; pieces: string[][] }>>();

/**
 * The same answer by trying every declared name in turn (each split at its `*`s once): the reference the index is
 * tested against, and the naive baseline `npm run bench` compares it with.
 */
export function scanMatch(cookie: CookieIdentity, catalogue: Catalogue): Match | null {
  let list = scanLists.get(catalogue);
  if (!list) {
    list = catalogue.entries.flatMap((entry) =>
      entry.names.map((name) => ({ entry, name, pieces: TIERS.map(([fold]) => name.pattern.split('*').map(fold)) })),
    );
    scanLists.set(catalogue, list);
  }
  for (let t = 0; t < TIERS.length; t++) {
    const [fold, exactHow, patternHow] = TIERS[t]!;
    const key = fold(cookie.name);
    let best: { entry: Entry; name: DeclaredName; how: MatchHow; start: number } | null = null;
    for (const { entry, name, pieces: byTier } of list) {
      const pieces = byTier[t]!;
      if (pieces.length === 1) {
        if (pieces[0] === key && (!best || best.start !== Infinity) && allowedOn(entry, cookie.domain)) {
          best = { entry, name, how: exactHow, start: Infinity };
        }
      } else if (
        (!best || (best.start !== Infinity && pieces[0]!.length > best.start)) &&
        fitsPieces(key, pieces) &&
        allowedOn(entry, cookie.domain)
      ) {
        best = { entry, name, how: patternHow, start: pieces[0]!.length };
      }
    }
    if (best) return { catalogue, entry: best.entry, name: best.name, how: best.how };
  }
  return null;
}
