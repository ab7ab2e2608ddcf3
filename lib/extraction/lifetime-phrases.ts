import type { DeclaredLifetime } from '../catalogue/schema';
import { NUMBER_WORD_LIST, parseLifetime, UNIT_WORDS } from '../audit/lifetime';

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

// Tens joined to units by hyphens first ("vingt-quatre", "dix-huit", "twenty-four"), so that no part is read alone.
// Then the other words, the longest first ("dreizehn" before "drei"), each with its diacritics or without ("zwölf").
const NUMBER_WORD = `(?:${String.raw`(?:dix|vingt|trente|quarante|cinquante|soixante|twenty|thirty|forty|fifty|sixty|ninety)-(?:et-)?(?:une?|deux|trois|quatre|cinq|six|sept|huit|neuf|one|two|three|four|five|six|seven|eight|nine)|quatre-vingt-dix`}|${NUMBER_WORD_LIST.filter(
  (word) => word !== 'a' && word !== 'an',
)
  .sort((a, b) => b.length - a.length)
  .map((word) => word.replace(/[aou]/g, (vowel) => `[${vowel}${{ a: 'ä', o: 'ö', u: 'ü' }[vowel]}]`))
  .join('|')})`;
const NUMBER = String.raw`(?:\d+(?:[.,]\d+)?|${NUMBER_WORD})`;
const UNIT = `(?:${UNIT_WORDS.map(([words]) => words).join('|')})`;
// "Removed when you log out or after 21 days": whichever comes first, so at most 21 days.
const BEFORE = String.raw`(?:(?:maximum|max\.?|au plus|(?:pas |ne )?plus de|jusqu['’ ]?[àa]|up to|no more than|not more than|at most|or after|bis zu|maximal|hasta|fino a)\s+)?`;
const AFTER = String.raw`(?:\s+(?:maximum|max|au plus|at most))?`;
// "10 years ago" is a date, "24 hours a day" a rate: neither is a lifetime.
// "2y", "30d", "2w" (Shopify's cookie tables): a one-letter unit only glued to its number ("2 d'entre eux" is none),
// and ending its cell or line ("3D Secure", "section 2d of the Act" are none).
const QUANTITY = String.raw`(?:${NUMBER}\s*${UNIT}|\d+(?:y|yrs?|d|w|wks?)(?=\s*(?:$|[|,;)\n])))(?![\p{L}\d_'’])(?!\s+(?:ago|auparavant|plus t[ôo]t|(?:a|per|par)\s+(?:day|week|jour|semaine)\b|sur\s+\d))`;
const DURATION = new RegExp(
  String.raw`(?<![\p{L}\d_.])(?<!\p{L}-)${BEFORE}(?:(?:de\s+|from\s+|between\s+)?${NUMBER}\s*(?:${UNIT}\s*)?(?:[àa]|[-–—]|to|and|et)\s*)?${QUANTITY}(?:\s+(?:et|and)\s+(?:${QUANTITY}|demie?(?![\p{L}\d_])|a\s+half\b))?${AFTER}`,
  'giu',
);
// "1 year 1 month", "1 year 1 month 4 days", "1 an 6 mois": larger units then smaller ones, on one line, read as one duration (a separate pass:
// "365 Days 180 Days" is two lifetimes, each read by DURATION).
const COMPOUND = new RegExp(
  String.raw`(?<![\p{L}\d_.])(?<!\p{L}-)${BEFORE}${QUANTITY}(?:(?:[ \t]+|,[ \t]*)${QUANTITY}){0,2}(?:[ \t]*,)?[ \t]+(?:and|et)[ \t]+${QUANTITY}|(?<![\p{L}\d_.])${BEFORE}${QUANTITY}(?:[ \t]+${QUANTITY}){1,2}`,
  'giu',
);
// "a day", "an hour", "half an hour", "une demi-heure": a unit after an article, not after a rate ("24 hours a day",
// "once a week") nor inside a longer phrase ("a day of"). "an" is the French year alone: here only before a unit.
const ARTICLE_QUANTITY =
  /(?<![\p{L}\d_.])(?:(?:up to|jusqu['’ ]?[àa]|at most|no more than)\s+)?(?:half an?|an?|une demi-)\s*(?:hour|day|week|month|year|heure|journée)(?![\p{L}\d_])(?!\s+(?:ago|of|or|and a half))/giu;
const RATE_BEFORE = /(?:\d|\b(?:hours?|days?|weeks?|months?|years?|times?|once|twice|per|heures?|jours?|fois))\s*$/iu;
// "expir" takes a bounded ending: an open one (\w*) ran to the end of the word from each "expir" inside it.
const CLOSING =
  /(?:expir\w{0,12}\s+)?(?:[àa]\s+la\s+|at\s+the\s+)?(?:schlie(?:ß|ss)en\s+des\s+browsers|(?:se\s+)?cierra\s+el\s+navegador|chiusura\s+del\s+browser|fine\s+della\s+sessione|fin\s+de\s+la\s+sesi[óo]n|(?:al\s+)?finalizar\s+la\s+sesi[óo]n|(?:on|at)\s+(?:site|browser)\s+exit|(?:al|hasta)\s+(?:cerrar\s+el|cierre\s+del)\s+navegador|ende\s+der\s+sitzung|einde\s+van\s+de\s+sessie|fermeture\s+du\s+navigateur|fermeture\s+de\s+l['’]onglet|(?:the\s+)?tab\s+(?:is\s+)?closed|browser\s+(?:is\s+)?closed?|clos(?:e|es|ing)\s+(?:your\s+|the\s+|their\s+)?(?:web\s+)?browser|(?:when|once)\s+you\s+(?:leave|stop\s+using)\s+the\s+(?:web)?site|(?:quand|lorsque|d[èe]s\s+que)\s+vous\s+quittez\s+le\s+site|fin\s+de\s+(?:la\s+)?session|close\s+of\s+(?:the\s+)?session|(?:the\s+)?browser\s+window\s+is\s+closed|exit\s+of\s+(?:the\s+)?browser|(?:when|once|until)\s+(?:the\s+|your\s+)?(?:browser\s+|browsing\s+)?(?:(?:tab|window)\s+or\s+)?session\s+(?:ends|is\s+over)|(?:the\s+)?end\s+of\s+(?:the\s+|your\s+|a\s+|this\s+|their\s+)?(?:browsing\s+|browser(?:['’]s)?\s+)?session|after\s+the\s+(?:current\s+)?(?:web\s?site\s+|browsing\s+|browser\s+)session)/giu;
const OUTLIVES =
  /\b(?:even after|even when|even if|m[êe]me apr[èe]s|m[êe]me (?:quand|lorsque|si)|beyond|survive\w*)\s+(?:you\s+|vous\s+|the\s+)?$/i;
/**
 * "When user exits browser", "when the visitor quits the browser", "quand l'utilisateur quitte son navigateur": the
 * session ends with the browser, whoever leaves it (kept apart from CLOSING, which says "close" and "leave the site").
 */
const EXITING_BROWSER =
  /(?:(?:when|once|until)\s+(?:the\s+)?(?:user|visitor|you)\s+|(?:quand|lorsque|d[èe]s\s+que)\s+(?:l['’]\s?utilisateur|le\s+visiteur|vous)\s+)?(?:exits?|quits?|quitt(?:e|ez|ent))\s+(?:the\s+|their\s+|your\s+|his\s+|her\s+|le\s+|son\s+|votre\s+)?(?:web\s+)?(?:browser|navigateur)(?![\p{L}\d_])/giu;
const MONTH_NAME = String.raw`(?:janv\.?(?:ier)?|f[ée]vr\.?(?:ier)?|mars|avr\.?(?:il)?|mai|juin|juil\.?(?:let)?|ao[ûu]t|sept\.?(?:embre)?|oct\.?(?:obre)?|nov\.?(?:embre)?|d[ée]c\.?(?:embre)?|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)`;
const DATE = String.raw`(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:er|st|nd|rd|th)?\s+${MONTH_NAME}\s+\d{4}|${MONTH_NAME}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})`;
/**
 * "Expires 31/12/2030", "expire le 31 décembre 2027", "jusqu'au 01/09/2026": a date is no length (how long the cookie
 * lasts depends on the day it is set), so it is kept as printed and read as unknown, never turned into a duration.
 */
const EXPIRY_DATE = new RegExp(
  String.raw`(?<![\p{L}\d_.])(?:expir\w{0,12}|valable|valid|jusqu['’ ]?au|until|till)\s+(?:(?:le|on|the|au)\s+)?${DATE}(?![\p{L}\d])`,
  'giu',
);
const DATE_ALONE = new RegExp(String.raw`^\s*${DATE}\s*$`, 'iu');

/** Whether a lifetime's text is an expiry date: a date, alone or after "expires", "jusqu'au", "until". */
export function isExpiryDate(text: string): boolean {
  return DATE_ALONE.test(text) || new RegExp(EXPIRY_DATE.source, 'iu').test(text);
}

/**
 * "Expires at midnight", "deleted at the end of the day", "supprimé à minuit", "le lendemain à minuit", and "Same day"
 * as a cell says it: the day's end, after a word saying the cookie goes then ("Orders placed before midnight ship the
 * same day" says nothing of a cookie). Not a midnight a remark qualifies ("Expires midnight (relative to the visitor) of
 * the next day" stays whole).
 */
const END_OF_DAY =
  /(?<![\p{L}\d_])(?:(?:[Ee]xpir(?:es|e|y|ing)|[Dd]eleted|[Rr]emoved|[Ee]rased|[Cc]leared|[Ll]asts?|[Vv]alid|[Ss]upprim[ée]e?s?)\s+(?:at\s+|until\s+|on\s+|[àa]\s+)?(?:the\s+|la\s+)?(?:same\s+day|end\s+of\s+(?:the\s+)?day|fin\s+de\s+(?:la\s+)?journ[ée]e|midnight(?:\s+(?:of\s+)?the\s+(?:next|following)\s+day)?(?!\s*\()|minuit(?:\s+le\s+lendemain)?)|Same\s+day|(?:at\s+)?midnight\s+(?:of\s+)?the\s+(?:next|following)\s+day|(?:[Ll]e\s+)?lendemain\s+[àa]\s+minuit)(?![\p{L}\d_])/gu;

/** "Does not expire", "n'expire jamais": a cookie kept until it is deleted, persistent with no length said. */
// Not "does not expire while you are active": a condition after it says the cookie does expire.
const NEVER_EXPIRES =
  /(?<![\p{L}])(?:never\s+(?:expires|deleted|removed)|does\s+not\s+expire|n['’]expire\s+(?:jamais|pas)|jamais\s+supprim[ée]e?s?)(?![\p{L}])(?![ \t]+(?:while|until|as\s+long|unless|before|if|when|tant|avant|sauf|si|lorsque)\b)/giu;
/** "This is a session cookie", "c'est un cookie de session": one cookie said to be a session's, in a sentence. */
const SAID_SESSION_COOKIE =
  /(?<![\p{L}])(?:is|est)\s+(?:a|un)\s+(?:session\s+cookie|cookie\s+de\s+session)(?![\p{L}\d_])/giu;
const STANDALONE =
  // Not inside a hyphened name or word ("intercom-session", "non-persistent", "session-id").
  /(?<![\p{L}\d_.-])(session|sessional|sitzung|sesi[óo]n|sessione|sessie|sesjon|sesja|sesji|persistente?s?|persistante?s?|permanente?s?|temporary|temporaires?)(?![\p{L}\d_]|-\p{L})/giu;
/** A word that says a cookie outlives the session, or not, without saying how long: a duration beside it says more. */
const KIND_WORD = /^(?:persist|perman|tempor)/i;
/** What may part such a word from the duration beside it ("Persistent, 2 years", "Persistant – 13 mois", "(90 days)"). */
const BESIDE = /^[\s,;:()–—-]*$/;
const ARTICLE =
  /(?:^|\s)(?:la|le|une?|de|du|sa|ta|votre|notre|leur|cette|chaque|par|the|a|an|per|of|your|our|each|this|same|current|active|entire|whole|der|die|das|den|dem|einer|eines|ihrer|jeder|el|los|las|il|lo|het|een|uw)$/iu;
/** Longer than any article with the space before it. */
const ARTICLE_WINDOW = 12;

/** Whether an article stands just before `start`: read in the last few characters, not in all the text before. */
function articleBefore(text: string, start: number): boolean {
  let end = start;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  // Cut at the window, "^" marks the window's start, where no article of the window's length can begin.
  return ARTICLE.test(text.slice(Math.max(0, end - ARTICLE_WINDOW), end));
}

/**
 * A word of prose before "session." ("in a particular session."), in a line that is no field ("Expires: with session."):
 * the browser's session, or a word saying when ("after", "until", "with", "single"), still ends one.
 */
function proseBefore(text: string, start: number): boolean {
  // Within a window: looking back to the line's start from each "session." of a long line would be quadratic.
  const window = text.slice(Math.max(0, start - 200), start);
  const line = window.slice(window.lastIndexOf('\n') + 1);
  if (line.includes(':')) return false;
  const before = line.slice(-12);
  return (
    /\p{Ll}[ \t]+$/u.test(before) &&
    !/(?:browser|browsing|navigateur|navigation|with|after|until|on|only|single|per|one|each|end|expires?)[ \t]+$/iu.test(
      before,
    )
  );
}

function standaloneValue(text: string, start: number, end: number): boolean {
  if (articleBefore(text, start)) return false;
  // A closing quote first: "Session" as a quoted cell (a CSV row, a reStructuredText csv-table).
  const after = text.slice(end, end + 1) === '"' ? text.slice(end + 1) : text.slice(end);
  // "Session ID", "Session IDs", "Session Token": the thing the session names, no lifetime.
  if (/^[ \t]+(?:ids?|identifiers?|tokens?|keys?)\b/i.test(after.slice(0, 20))) return false;
  // Or before a dash, a colon or a bar that parts it from the next field ("Session – sess_token – …", "Session: …").
  return (
    /^[ \t]*(\n|$)/.test(after) ||
    // "Session duration." as a whole cell or list item, as "365 days duration." is.
    /^[ \t]+duration(?:\.[ \t]*(?:\n|$|[•\p{Lu}])|[ \t]*(?:\n|$))/iu.test(after) ||
    /^[ \t]*[\p{Lu}]/u.test(after) ||
    // "Lifetime: session only."
    /^[ \t]+only\b/i.test(after) ||
    // "Session ou 30 jours si « Se souvenir de moi »": one of two lifetimes offered.
    /^[ \t]+(?:or|ou|oder|o)[ \t]+(?:\d|up to|jusqu)/i.test(after) ||
    /^[ \t]{2,}/.test(after) ||
    // "Session." as a cell or a field's value, not ending a sentence of prose ("…in a particular session.").
    (/^\s*[.;)]/.test(after) && !proseBefore(text, start)) ||
    /^[ \t]*[–—:|/]/.test(after) ||
    /^[ \t]+-[ \t]/.test(after)
  );
}

function openRange(text: string, index: number, end: number): boolean {
  return (
    /\b(?:between|entre)\s+$/i.test(text.slice(Math.max(0, index - 10), index)) &&
    /^\s+(?:and|et)\s/i.test(text.slice(end, end + 6))
  );
}

export function findLifetimes(text: string): FoundLifetime[] {
  const found: FoundLifetime[] = [];
  // The stretches taken by earlier passes, in order and apart. A pass's matches come in order too, so one cursor
  // walks the stretches as it goes: checking every stretch for each match was quadratic in the lifetimes found.
  let taken: Array<[number, number]> = [];
  const pass = (
    matches: Iterable<RegExpMatchArray>,
    accept: (index: number, end: number) => boolean = () => true,
    keepUnknown = false,
  ) => {
    const added: Array<[number, number]> = [];
    let next = 0;
    for (const match of matches) {
      const index = match.index!;
      const end = index + match[0].length;
      while (next < taken.length && taken[next]![1] <= index) next++;
      if ((next < taken.length && taken[next]![0] < end) || !accept(index, end)) continue;
      const folded = match[0].replace(/\s+/g, ' ').trim();
      const parsed = parseLifetime(folded);
      if (parsed.kind === 'unknown' && !keepUnknown) continue;
      added.push([index, end]);
      found.push({ index, text: folded, lifetime: { text: folded, parsed } });
    }
    taken = mergeStretches(taken, added);
  };
  pass(text.matchAll(EXPIRY_DATE), undefined, true);
  // "remain on your device even after you close your browser": what outlives the session, not its end.
  pass(text.matchAll(CLOSING), (index) => !OUTLIVES.test(text.slice(Math.max(0, index - 24), index)));
  pass(text.matchAll(EXITING_BROWSER));
  pass(text.matchAll(SAID_SESSION_COOKIE));
  pass(text.matchAll(NEVER_EXPIRES));
  pass(text.matchAll(END_OF_DAY));
  pass(text.matchAll(COMPOUND), (index, end) => parseLifetime(text.slice(index, end)).kind === 'duration');
  // "between 30 minutes and several months": one end of a range the text leaves open is no lifetime.
  pass(text.matchAll(DURATION), (index, end) => !openRange(text, index, end));
  pass(text.matchAll(ARTICLE_QUANTITY), (index) => !RATE_BEFORE.test(text.slice(Math.max(0, index - 12), index)));
  pass(text.matchAll(STANDALONE), (index, end) => standaloneValue(text, index, end));
  return withoutKindBesideDuration(
    text,
    found.sort((a, b) => a.index - b.index),
  );
}

/** "Persistent, 2 years": the duration says more than the word beside it, which is dropped. */
function withoutKindBesideDuration(text: string, found: FoundLifetime[]): FoundLifetime[] {
  const isDuration = (other: FoundLifetime | undefined) =>
    other !== undefined && (other.lifetime.parsed.kind === 'duration' || other.lifetime.parsed.kind === 'range');
  return found.filter((one, i) => {
    if (!KIND_WORD.test(one.text)) return true;
    const next = found[i + 1];
    const previous = found[i - 1];
    const stop = one.index + one.text.length;
    if (isDuration(next) && BESIDE.test(text.slice(stop, next!.index))) return false;
    if (isDuration(previous) && BESIDE.test(text.slice(previous!.index + previous!.text.length, one.index)))
      return false;
    return true;
  });
}

function mergeStretches(
  a: ReadonlyArray<[number, number]>,
  b: ReadonlyArray<[number, number]>,
): Array<[number, number]> {
  const merged: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length)
    merged.push(j >= b.length || (i < a.length && a[i]![0] < b[j]![0]) ? a[i++]! : b[j++]!);
  return merged;
}
