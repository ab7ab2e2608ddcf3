import type { Catalogue, DeclaredName, Entry } from './catalogue/schema';
import { hostMatches } from './catalogue/sites';

/**
 * Finds the catalogue entry that declares an observed cookie (or Web Storage key), and says how it matched:
 * - `exact`: the name is a declared name, to the letter;
 * - `pattern`: the name fits a declared pattern (`_pk_id.*`, `dydu.*`);
 * - `case`: it does only when case is ignored ("Jsessionid" declares JSESSIONID);
 * - `variant`: it does only once spelling variants are folded too (a leading "." or "_", spaces, "-" for "_":
 *   "Csrf token" declares csrftoken, "pk_ses#" declares _pk_ses.1.a1b2, "AspNetCore.Session" .AspNetCore.Session).
 * Each catalogue gets an index once (a map for exact names, a trie over the literal start of patterns), so a lookup
 * costs the length of the name, not the size of the catalogue.
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
/** Folds the spelling variants policies use for one name. */
export const variantFolded: Fold = (text) =>
  text.toLowerCase().replace(/\s+/g, '').replace(/-/g, '_').replace(/^[._]+/, '');

interface CompiledName {
  entry: Entry;
  name: DeclaredName;
  /** The pattern's literal pieces between its `*`s, folded for the tier. */
  pieces: string[];
}

interface TrieNode {
  children: Map<number, TrieNode>;
  patterns: CompiledName[];
}

/** One fold of one catalogue: exact names in a map, patterns in a trie keyed by their literal start. */
class Tier {
  private readonly exact = new Map<string, CompiledName[]>();
  private readonly root: TrieNode = { children: new Map(), patterns: [] };
  private readonly path: TrieNode[] = [];

  constructor(private readonly fold: Fold) {}

  add(entry: Entry, name: DeclaredName): void {
    const pieces = name.pattern.split('*').map(this.fold);
    const compiled: CompiledName = { entry, name, pieces };
    if (pieces.length === 1) {
      const key = pieces[0]!;
      const list = this.exact.get(key);
      if (list) list.push(compiled);
      else this.exact.set(key, [compiled]);
      return;
    }
    let node = this.root;
    const start = pieces[0]!;
    for (let i = 0; i < start.length; i++) {
      const code = start.charCodeAt(i);
      let child = node.children.get(code);
      if (!child) {
        child = { children: new Map(), patterns: [] };
        node.children.set(code, child);
      }
      node = child;
    }
    node.patterns.push(compiled);
  }

  findExact(key: string, domain: string): CompiledName | undefined {
    const list = this.exact.get(key);
    if (!list) return undefined;
    for (const candidate of list) if (allowedOn(candidate.entry, domain)) return candidate;
    return undefined;
  }

  /** The pattern with the longest literal start that the name fits. */
  findPattern(key: string, domain: string): CompiledName | undefined {
    const path = this.path;
    path.length = 0;
    let node: TrieNode | undefined = this.root;
    if (node.patterns.length > 0) path.push(node);
    for (let i = 0; i < key.length && node; i++) {
      node = node.children.get(key.charCodeAt(i));
      if (node && node.patterns.length > 0) path.push(node);
    }
    for (let n = path.length - 1; n >= 0; n--) {
      for (const candidate of path[n]!.patterns) {
        if (fitsPieces(key, candidate.pieces) && allowedOn(candidate.entry, domain)) return candidate;
      }
    }
    return undefined;
  }
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
    for (const entry of catalogue.entries) {
      for (const name of entry.names) for (const tier of this.tiers) tier.add(entry, name);
    }
  }

  lookup(cookie: CookieIdentity): Match | null {
    for (let t = 0; t < TIERS.length; t++) {
      const [fold, exactHow, patternHow] = TIERS[t]!;
      const tier = this.tiers[t]!;
      const key = fold(cookie.name);
      const exact = tier.findExact(key, cookie.domain);
      if (exact) return { catalogue: this.catalogue, entry: exact.entry, name: exact.name, how: exactHow };
      const pattern = tier.findPattern(key, cookie.domain);
      if (pattern) return { catalogue: this.catalogue, entry: pattern.entry, name: pattern.name, how: patternHow };
    }
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

/**
 * The same answer by trying every declared name in turn: the reference the index is tested against, and the
 * baseline `npm run bench` compares it with.
 */
export function scanMatch(cookie: CookieIdentity, catalogue: Catalogue): Match | null {
  for (const [fold, exactHow, patternHow] of TIERS) {
    const key = fold(cookie.name);
    let best: { entry: Entry; name: DeclaredName; how: MatchHow; start: number } | null = null;
    for (const entry of catalogue.entries) {
      if (!allowedOn(entry, cookie.domain)) continue;
      for (const name of entry.names) {
        const pieces = name.pattern.split('*').map(fold);
        if (pieces.length === 1) {
          if (pieces[0] === key && (!best || best.start !== Infinity)) best = { entry, name, how: exactHow, start: Infinity };
        } else if (fitsPieces(key, pieces) && (!best || (best.start !== Infinity && pieces[0]!.length > best.start))) {
          best = { entry, name, how: patternHow, start: pieces[0]!.length };
        }
      }
    }
    if (best) return { catalogue, entry: best.entry, name: best.name, how: best.how };
  }
  return null;
}
