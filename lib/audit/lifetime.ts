import type { ParsedLifetime } from '../catalogue/schema';
import type { MessageKey, Say } from '../strings';

/**
 * Declared lifetimes, as policies word them, in French and English (and the units and session words of German,
 * Spanish, Italian and Dutch policies).
 * A month is a twelfth of the Gregorian year and a year is 365.2425 days, so "12 mois" and "1 an" are the same
 * length; calendar rules (the CNIL's 13 months from first deposit) use `addCalendarMonths` instead.
 */
export const SECOND = 1;
export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86_400;
export const WEEK = 7 * DAY;
export const YEAR = 31_556_952;
export const MONTH = YEAR / 12;

/**
 * The words of each unit, in French and English and as neighbouring countries' policies print them (German, Spanish,
 * Italian, Dutch); accents are optional so that one list serves the parser (accent-free text) and the extraction's
 * phrase finder (text as printed). One-letter forms stand here only where they are read beside a number ("24 h",
 * "13 j"); the parser's own short forms are added below.
 */
export const UNIT_WORDS: ReadonlyArray<readonly [words: string, seconds: number]> = [
  [String.raw`secondes?|seconds?|secs?|sekunden?|segundos?|secondi|secondo|seconden|sekunder|sekundy?`, SECOND],
  [String.raw`minutes?|mins?|mn|minuten|minuut|minutos?|minuti|minutter|minuter|minuty?`, MINUTE],
  [String.raw`heures?|hours?|hrs?|h|stunden?|horas?|ore|ora|uur|uren|timer|timmar|timme|godzin[ay]?`, HOUR],
  [
    String.raw`jours?|journ[ée]es?|days?|j|tage|tagen|d[íi]as?|giorni|giorno|dagen|dag|dager|dage|dagar|døgn|dni|dzie[ńn]`,
    DAY,
  ],
  [
    String.raw`semaines?|weeks?|wks?|wochen?|semanas?|settimane|settimana|weken|uker|uke|veckor|vecka|uger|uge|tygodni[ea]?|tydzie[ńn]`,
    WEEK,
  ],
  [
    String.raw`mois|months?|monat|monate|monaten|meses|mes|mesi|mese|maanden|maand|m[åa]neder|m[åa]ned|m[åa]nader|m[åa]nad|miesi[ęe]cy|miesi[ąa]ce|miesi[ąa]c`,
    MONTH,
  ],
  [
    String.raw`ans?|ann[ée]es?|years?|yrs?|jahr|jahre|jahren|a[ñn]os?|anni|anno|jaar|jaren|[åa]r|rok|roku|lat|lata`,
    YEAR,
  ],
];

// The parser also reads "30 s", "7 d", "6 mos" (written as one word with their number, or as a shop's cell prints them).
const PARSER_ONLY_WORDS: Readonly<Partial<Record<number, string>>> = { [SECOND]: 's', [DAY]: 'd', [MONTH]: 'mos?' };
const UNITS: ReadonlyArray<[RegExp, number]> = UNIT_WORDS.map(([words, seconds]) => [
  new RegExp(`^(?:${words}${PARSER_ONLY_WORDS[seconds] ? `|${PARSER_ONLY_WORDS[seconds]}` : ''})$`),
  seconds,
]);

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  un: 1,
  une: 1,
  one: 1,
  a: 1,
  an: 1,
  deux: 2,
  two: 2,
  trois: 3,
  three: 3,
  quatre: 4,
  four: 4,
  cinq: 5,
  five: 5,
  six: 6,
  sept: 7,
  seven: 7,
  huit: 8,
  eight: 8,
  neuf: 9,
  nine: 9,
  dix: 10,
  ten: 10,
  onze: 11,
  eleven: 11,
  douze: 12,
  twelve: 12,
  treize: 13,
  thirteen: 13,
  quinze: 15,
  fifteen: 15,
  quatorze: 14,
  fourteen: 14,
  seize: 16,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  vingt: 20,
  twenty: 20,
  trente: 30,
  thirty: 30,
  quarante: 40,
  forty: 40,
  cinquante: 50,
  fifty: 50,
  soixante: 60,
  sixty: 60,
  ninety: 90,
  // German, Spanish, Italian and Dutch numbers before a unit ("Ein Jahr", "zwei Jahre", "dos años", "due anni").
  ein: 1,
  eine: 1,
  einen: 1,
  zwei: 2,
  drei: 3,
  sechs: 6,
  zwolf: 12,
  dreizehn: 13,
  una: 1,
  uno: 1,
  dos: 2,
  tres: 3,
  seis: 6,
  doce: 12,
  trece: 13,
  due: 2,
  tre: 3,
  sei: 6,
  dodici: 12,
  tredici: 13,
  een: 1,
  twee: 2,
  drie: 3,
  zes: 6,
  twaalf: 12,
  dertien: 13,
  vier: 4,
  funf: 5,
  sieben: 7,
  acht: 8,
  neun: 9,
  zehn: 10,
  elf: 11,
  vierzehn: 14,
  funfzehn: 15,
  achtzehn: 18,
  zwanzig: 20,
  vierundzwanzig: 24,
  dreissig: 30,
  dreißig: 30,
  sechzig: 60,
  neunzig: 90,
  cuatro: 4,
  cinco: 5,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  catorce: 14,
  quince: 15,
  dieciocho: 18,
  veinte: 20,
  veinticuatro: 24,
  treinta: 30,
  sesenta: 60,
  noventa: 90,
  quattro: 4,
  cinque: 5,
  sette: 7,
  otto: 8,
  nove: 9,
  dieci: 10,
  undici: 11,
  quattordici: 14,
  quindici: 15,
  diciotto: 18,
  venti: 20,
  ventiquattro: 24,
  trenta: 30,
  sessanta: 60,
  novanta: 90,
  vijf: 5,
  zeven: 7,
  negen: 9,
  tien: 10,
  veertien: 14,
  vijftien: 15,
  achttien: 18,
  twintig: 20,
  dertig: 30,
  zestig: 60,
  negentig: 90,
  vierentwintig: 24,
};

/** The number words a lifetime may be written with, as their diacritics are left out ("funf" for "fünf"). */
export const NUMBER_WORD_LIST: readonly string[] = Object.keys(NUMBER_WORDS);

/** "vingt-quatre", "dix-huit", "trente-et-un", "twenty-four", "quatre-vingt-dix": tens and units joined by hyphens. */
function compoundNumber(word: string): number | undefined {
  if (word === 'quatre-vingt-dix') return 90;
  const parts = word.split('-').filter((part) => part !== 'et');
  if (parts.length !== 2) return undefined;
  const [tens, units] = parts.map((part) => NUMBER_WORDS[part]) as [number | undefined, number | undefined];
  if (tens === undefined || units === undefined || units >= 10 || tens < 10 || tens % 10 !== 0) return undefined;
  return tens + units;
}

const SESSION_PHRASES = [
  /\b(session|sessional)\b/,
  // German, Spanish, Italian, Dutch: the session, and the browser's closing.
  /\b(sitzung|sesion|sessione|sessie|sesjon|sesja|sesji)\b/,
  /\b(schliessen|schließen) des browsers\b/,
  /\b(cierra el|cerrar el|cierre del) navegador\b/,
  /\bchiusura del browser\b/,
  /\bfermeture du navigateur\b/,
  /\b(close of (the )?session|browser window is closed|exit of (the )?browser)\b/,
  // Web Storage's session: the tab's ("supprimé à la fermeture de l'onglet", "cleared when the tab is closed").
  /\bfermeture de l.onglet\b/,
  /\b(tab|onglet) (is )?(closed|ferm[ée])\b/,
  /\bferm\w* (votre |le )?navigateur\b/,
  /\b(until|when) (the |you close the |your )?browser (is |session )?(closed|ends|close)\b/,
  // "When you close your browser", "Session: removed when the browser is closed", "browser closes".
  /\bclos\w* (your |the |its |their )?(web )?browser\b/,
  /\bbrowser (is |gets )?(closed|closes)\b/,
  // "When you leave the site, the cookie is deleted", "quand vous quittez le site".
  /\b(when|once) you (leave|stop using) the (web)?site\b/,
  /\b(quand|lorsque|des que) vous quittez le site\b/,
  // "When user exits browser", "quand l'utilisateur quitte son navigateur".
  /\b(exits?|quits?|quitte|quittez|quittent) (the |their |your |his |her |le |son |votre )?(web )?(browser|navigateur)\b/,
  // A cell: "On site exit"; an expiry "Date not set": no Expires date, so the browser's session ("no expiration date"
  // is said of local storage too, which outlives it).
  /^(on |at )?(site|browser) exit$/,
  /^(expiry |expiration )?date not set$/,
];
const PERSISTENT_WORDS = /^(persistent|persistente|persistant|persistante|permanent|permanente)s?$|^persistenti$/;
// "Never expires", "Never deleted", "N'expire jamais". "Never" alone stays unknown: never set, or never expiring?
const NEVER_EXPIRES =
  /^(never expires|never deleted|never removed|does not expire|n expire jamais|n expire pas|jamais supprimee?s?)$/;

/**
 * "Same day", "expires at midnight", "supprimé à minuit": gone by the day's end, so a day at most; "at midnight the
 * next day", "le lendemain à minuit", two. The whole of a lifetime, read once normalised; the phrase finder finds it
 * in a text (`lifetime-phrases.ts`), where "the same day" and "midnight" of prose are no lifetime.
 */
const END_OF_DAY =
  /^(?:(?:expires?|expiry|expiring|deleted|removed|erased|cleared|lasts?|valid|until|at|on|the|supprimee?s?|expire|a|la)\s)*(?:same day|end of (?:the )?day|fin de (?:la )?journee|midnight(?: (?:of )?the (?:next|following) day)?|minuit(?: le lendemain)?|le lendemain a minuit)$/;
const NEXT_DAY = /next|following|lendemain/i;
// "Temporary" / "Temporaire" as a lifetime is the session cookie's other name.
const TEMPORARY_WORDS = /^(temporary|temporaires?)$/;
const MAXIMUM_MARKERS =
  /\b(maximum|max|au plus|jusqu a|up to|at most|no more than|not more than|plus de|n excede pas|ne depasse pas|no longer than|not exceeding|within|or after|bis zu|maximal|hasta|fino a)\b/;

type Quantity = { seconds: number; start: number; end: number; unit: number };

/** Lower case, no accents, apostrophes and punctuation as spaces, single spaces. */
function normalize(text: string): string {
  return (
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/(\d),(\d)/g, '$1.$2')
      .replace(/(\d)\s*-\s*(\d)/g, '$1 to $2')
      // "1 day – 13 months": a dash between two lengths.
      .replace(/\s[–—]\s/g, ' - ')
      // "half an hour", "une demi-heure": the half as a number the quantities read.
      .replace(/\bhalf an? (hour|day|year)\b/g, '0.5 $1')
      .replace(/\b(?:une )?demi-(heure|journee)\b/g, '0.5 $1')
      // "une heure et demie", "a year and a half": the half in the next smaller unit, where it is a whole number of it.
      .replace(/\b(heures?|hours?) (?:et demie?|and a half)\b/g, '$1 et 30 minutes')
      .replace(/\b(jours?|days?) (?:et demie?|and a half)\b/g, '$1 et 12 heures')
      .replace(/\b(ans?|annees?|years?) (?:et demie?|and a half)\b/g, '$1 et 6 mois')
      // "~3 months": about as long.
      .replace(/[’'`"«»()[\]:;,!?~]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** "2y", "2w": a one-letter year or week, read only written against its number (a shop platform's cells). */
const GLUED_UNITS: Readonly<Record<string, number>> = { y: YEAR, w: WEEK };

function unitSeconds(word: string): number | undefined {
  for (const [pattern, seconds] of UNITS) if (pattern.test(word)) return seconds;
  return undefined;
}

function numberValue(word: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(word)) return Number(word);
  return NUMBER_WORDS[word] ?? compoundNumber(word);
}

/** Every "<number> <unit>" in the words, with "1 an et 6 mois" read as one quantity. */
function quantities(words: string[]): Quantity[] {
  const found: Quantity[] = [];
  for (let i = 0; i < words.length; i++) {
    // "13mois", "30min", "24h": number and unit written together.
    const glued = /^(\d+(?:\.\d+)?)([a-z]+)$/.exec(words[i]!);
    let value: number | undefined;
    let unit: number | undefined;
    let end = i;
    if (glued) {
      value = Number(glued[1]);
      unit = unitSeconds(glued[2]!) ?? GLUED_UNITS[glued[2]!];
    } else {
      value = numberValue(words[i]!);
      if (value !== undefined && i + 1 < words.length) {
        unit = unitSeconds(words[i + 1]!);
        end = i + 1;
      }
    }
    if (value === undefined || unit === undefined) continue;
    // "a" and "an" are numbers only before a unit ("a year"); "an" alone is the French year.
    // "1 an et 6 mois" is one quantity: a larger unit, then a smaller one ("1 jour et 2 ans" is a range).
    const previous = found.at(-1);
    const adjacent =
      previous && (previous.end === i - 1 || (previous.end === i - 2 && /^(et|and)$/.test(words[i - 1]!)));
    if (previous && adjacent && previous.unit > unit) {
      previous.seconds += value * unit;
      previous.end = end;
      previous.unit = unit;
    } else {
      found.push({ seconds: value * unit, start: i, end, unit });
    }
    i = end;
  }
  return found;
}

/**
 * Reads a declared lifetime. Anything it cannot read with certainty is `unknown`: a guess would produce findings
 * the policy never supported.
 */
export function parseLifetime(text: string): ParsedLifetime {
  const normal = normalize(text);
  if (normal === '') return { kind: 'unknown' };
  const words = normal.split(' ');
  const found = quantities(words);
  // A half left over ("6 mois et demi"): not a whole number of a smaller unit, so not read rather than read short.
  if (words.some((word) => /^(demie?|half)$/.test(word))) return { kind: 'unknown' };
  const session = SESSION_PHRASES.some((phrase) => phrase.test(normal));

  if (found.length === 0) {
    if (session) return { kind: 'session' };
    if (words.length <= 2 && words.some((word) => PERSISTENT_WORDS.test(word))) return { kind: 'persistent' };
    if (NEVER_EXPIRES.test(normal)) return { kind: 'persistent' };
    if (END_OF_DAY.test(normal))
      return { kind: 'duration', seconds: NEXT_DAY.test(normal) ? 2 * DAY : DAY, maximum: true };
    if (words.length <= 2 && words.some((word) => TEMPORARY_WORDS.test(word))) return { kind: 'session' };
    return { kind: 'unknown' };
  }
  if (session) return { kind: 'unknown' };

  if (found.length === 2) {
    const [low, high] = found as [Quantity, Quantity];
    const between = words.slice(low.end + 1, high.start).join(' ');
    if (/^(a|to|-|et|and|ou|or)$/.test(between) || between === '') {
      if (between === 'ou' || between === 'or') return { kind: 'unknown' };
      return low.seconds <= high.seconds
        ? { kind: 'range', minSeconds: low.seconds, maxSeconds: high.seconds }
        : { kind: 'unknown' };
    }
    return { kind: 'unknown' };
  }
  // "1 à 13 mois", "1-13 months": a bare number before the quantity.
  if (found.length === 1) {
    const only = found[0]!;
    const unitWord = words[only.end]!;
    const unit = unitSeconds(unitWord) ?? unitSeconds(/^\d+(?:\.\d+)?([a-z]+)$/.exec(unitWord)?.[1] ?? '');
    const before = words.slice(Math.max(0, only.start - 2), only.start);
    const dashed = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(words[only.start]!);
    if (dashed && unit) {
      const [low, high] = [Number(dashed[1]) * unit, Number(dashed[2]) * unit];
      return low <= high ? { kind: 'range', minSeconds: low, maxSeconds: high } : { kind: 'unknown' };
    }
    if (before.length === 2 && /^(a|to|-|et|and)$/.test(before[1]!) && unit) {
      const low = numberValue(before[0]!);
      if (low !== undefined) {
        // "13 à 1 mois" bounds nothing: its minimum exceeds its maximum.
        return low * unit <= only.seconds
          ? { kind: 'range', minSeconds: low * unit, maxSeconds: only.seconds }
          : { kind: 'unknown' };
      }
    }
    return { kind: 'duration', seconds: Math.round(only.seconds), maximum: MAXIMUM_MARKERS.test(normal) };
  }
  return { kind: 'unknown' };
}

/** The longest a declared lifetime allows, in seconds: null when it allows no length (session) or says none. */
export function declaredMaximumSeconds(lifetime: ParsedLifetime): number | null {
  switch (lifetime.kind) {
    case 'duration':
      return lifetime.seconds;
    case 'range':
      return lifetime.maxSeconds;
    default:
      return null;
  }
}

/** The same day of the month, `months` later (clamped to the month's last day), in the UTC calendar. */
export function addCalendarMonths(epochMs: number, months: number): number {
  const date = new Date(epochMs);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.getTime();
}

/** Each unit, with the table's words for one of it (under 2) and for more. */
const SPOKEN_UNITS: ReadonlyArray<[number, [MessageKey, MessageKey]]> = [
  [YEAR, ['duration_year_one', 'duration_year_many']],
  [MONTH, ['duration_month_one', 'duration_month_many']],
  [DAY, ['duration_day_one', 'duration_day_many']],
  [HOUR, ['duration_hour_one', 'duration_hour_many']],
  [MINUTE, ['duration_minute_one', 'duration_minute_many']],
  [SECOND, ['duration_second_one', 'duration_second_many']],
];

/**
 * "1 month", "393 days", "2.5 years": a whole number of months or larger units when the duration is one, else years
 * from two years up, days from two days up, and so on down, to one decimal. `say` gives the words of a language (the
 * page's `t`, so that the popup does not bundle the whole table, or `sayIn(language)`).
 */
export function formatDuration(seconds: number, say: Say): string {
  const absolute = Math.abs(seconds);
  const fallback = [YEAR, DAY, HOUR, MINUTE].find((unit) => absolute / unit >= 2 - 1e-9) ?? SECOND;
  const whole = SPOKEN_UNITS.find(
    ([unit]) => unit >= fallback && absolute >= unit && Math.abs(absolute / unit - Math.round(absolute / unit)) < 0.005,
  );
  const [unit, names] = whole ?? SPOKEN_UNITS.find(([u]) => u === fallback)!;
  const value = Math.round((absolute / unit) * 10) / 10;
  const [one, many] = names;
  return say(value < 2 ? one : many, String(value).replace('.', say('decimalSeparator')));
}

/** A parsed lifetime in words, for explanations, in the language of `say` (as for `formatDuration`). */
export function describeLifetime(lifetime: ParsedLifetime, say: Say): string {
  switch (lifetime.kind) {
    case 'session':
      return say('lifeSessionUntilClosed');
    case 'persistent':
      return say('lifePersistentNoDuration');
    case 'unknown':
      return say('lifeNotStated');
    case 'duration':
      return lifetime.maximum
        ? say('lifeAtMost', formatDuration(lifetime.seconds, say))
        : formatDuration(lifetime.seconds, say);
    case 'range':
      return say('lifeRange', formatDuration(lifetime.minSeconds, say), formatDuration(lifetime.maxSeconds, say));
  }
}
