import type { DeclaredLifetime } from '../catalogue/schema';
import { parseLifetime } from '../lifetime';

/**
 * Finds the lifetimes a stretch of policy text states ("13 mois", "Maximum 12 mois", "plus de 13 mois", "30 secondes",
 * "Session", "Persistent", "expirent à la fermeture du navigateur"), in order, each with the words that carry it.
 * "session" counts only where it stands as a value (end of a line, or before a capitalised word, as in a flattened
 * table cell), not in prose ("la session de navigation").
 */
export interface FoundLifetime {
  index: number;
  text: string;
  lifetime: DeclaredLifetime;
}

const NUMBER =
  String.raw`(?:\d+(?:[.,]\d+)?|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quinze|trente|one|two|three|four|five|seven|eight|nine|ten|eleven|twelve|thirteen|fifteen|thirty)`;
const UNIT =
  String.raw`(?:secondes?|seconds?|secs?|minutes?|mins?|mn|heures?|hours?|hrs?|h|jours?|days?|semaines?|weeks?|mois|months?|ans|an|ann[ée]es?|years?)`;
const BEFORE = String.raw`(?:(?:maximum|max\.?|au plus|(?:pas |ne )?plus de|jusqu['’ ]?[àa]|up to|no more than|not more than|at most)\s+)?`;
const AFTER = String.raw`(?:\s+(?:maximum|max|au plus|at most))?`;
const QUANTITY = String.raw`${NUMBER}\s*${UNIT}(?![\p{L}\d_])`;
const DURATION = new RegExp(
  String.raw`(?<![\p{L}\d_.])${BEFORE}(?:(?:de\s+|from\s+|between\s+)?${NUMBER}\s*(?:${UNIT}\s*)?(?:[àa]|-|to|and|et)\s*)?${QUANTITY}(?:\s+(?:et|and)\s+${QUANTITY})?${AFTER}`,
  'giu',
);
const CLOSING = /(?:expir\w*\s+)?(?:[àa]\s+la\s+|at\s+the\s+)?(?:fermeture\s+du\s+navigateur|browser\s+(?:is\s+)?closed?|closing\s+the\s+browser|fin\s+de\s+(?:la\s+)?session)/giu;
const STANDALONE = /(?<![\p{L}\d_.])(session|persistente?s?|persistante?s?|permanente?s?)(?![\p{L}\d_])/giu;
const ARTICLE = /(?:^|\s)(?:la|le|une?|de|du|sa|ta|votre|notre|leur|cette|chaque|par|the|a|an|per|of|your|our|each|this|same)\s*$/iu;

function standaloneValue(text: string, start: number, end: number): boolean {
  if (ARTICLE.test(text.slice(0, start))) return false;
  const after = text.slice(end);
  return /^[ \t]*(\n|$)/.test(after) || /^[ \t]*[\p{Lu}]/u.test(after) || /^[ \t]{2,}/.test(after) || /^\s*[.;)]/.test(after);
}

export function findLifetimes(text: string): FoundLifetime[] {
  const found: FoundLifetime[] = [];
  const taken: Array<[number, number]> = [];
  const add = (index: number, words: string) => {
    const end = index + words.length;
    if (taken.some(([from, to]) => index < to && end > from)) return;
    const folded = words.replace(/\s+/g, ' ').trim();
    const parsed = parseLifetime(folded);
    if (parsed.kind === 'unknown') return;
    taken.push([index, end]);
    found.push({ index, text: folded, lifetime: { text: folded, parsed } });
  };
  for (const match of text.matchAll(CLOSING)) add(match.index, match[0]);
  for (const match of text.matchAll(DURATION)) add(match.index, match[0]);
  for (const match of text.matchAll(STANDALONE)) {
    if (standaloneValue(text, match.index, match.index + match[0].length)) add(match.index, match[0]);
  }
  return found.sort((a, b) => a.index - b.index);
}
