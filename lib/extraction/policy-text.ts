import type { DeclaredLifetime, DeclaredName, Party } from '../catalogue/schema';
import { parseLifetime } from '../audit/lifetime';
import {
  buildDraft,
  declaredName,
  excerptOf,
  guessLanguage,
  UNKNOWN_LIFETIME,
  type DraftConsentRule,
  type DraftEntry,
  type DraftRule,
  type ExtractionResult,
  type ExtractOptions,
  type NotUnderstood,
} from './draft';
import {
  identifierStrength,
  codeNamed,
  isContinuation,
  isNotACookieName,
  isStrong,
  isTechnicalPair,
  namesInCell,
  isTrailingScrap,
  type Strength,
} from './identifiers';
import { categoryFromLabel, partyFromLabel, storageFromLabel } from './labels';
import { findLifetimes, type FoundLifetime } from './lifetime-phrases';
import { classifyHeader, rowEntries } from './tables';
import { readTextTables } from './text-tables';

/**
 * A cookie policy as plain text, pasted or extracted from a PDF (tables come out as interleaved lines).
 *
 * 1. Table regions: from a line of column headers ("Prestataires Nom du cookie Finalité Durée de") to the next
 *    numbered heading, table header or sentence about the cookies in general. Inside, names are read by shape (see
 *    identifiers.ts), plus all-capital codes alone on a line (`WID`); outside, only names on a line that also states
 *    a lifetime. A short line "Cookies tiers" / "Cookies internes" inside a table sets the party of the rows below.
 * 2. Names a line break cut are rejoined when the pieces form one identifier (`stg_returning_visito r`,
 *    `stg_traffic_source_p` + `riority`); `extracted` keeps the text as it came.
 * 3. Names printed together (one per line, bullets) form a group; the row that follows, up to the next group's line,
 *    gives the group its lifetimes: one for all, one per name in order, or one per equal block of names. Names listed
 *    with no lifetime (one per line, quoted at the start of an item or after the word cookie, a bulleted name before a
 *    colon) are drafted with an unknown lifetime, unless another line declares them. Line breaks a copied list lost
 *    are put back first (a name glued to a closing parenthesis, or ending a line whose next line opens with a comma).
 * 4. Sentences whose subject is the cookies and that state a lifetime ("Ces cookies ne sont pas conservés plus de 13
 *    mois") become rules: a maximum, or a default; for the category named by a heading just above, else for all.
 * 5. Sentences whose subject is the cookies and that say outright whether they need consent ("Ces cookies ne
 *    nécessitent pas votre consentement", "These cookies require your consent") become consent rules, for the category
 *    the subject or a heading just above names; "all cookies" for all.
 */
const EXTRACTOR = 'policy text';

interface Token {
  line: number;
  text: string;
  name?: { printed: string; extracted?: string; endLine: number };
}

interface Region {
  header: number;
  end: number;
}

const HEADER_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/^(nom|noms|name|names|cookie|cookies|traceur|traceurs|identifiant|key)$/, 'name'],
  [
    /^(finalite|finalites|purpose|purposes|objet|objectif|description|utilisation|usage|fonction|function|utilite)$/,
    'purpose',
  ],
  [
    /^(duree|durees|duration|expiration|expiry|expires|lifetime|lifespan|conservation|validite|retention|echeance|length|period|periode|life)$/,
    'lifetime',
  ],
  [
    /^(prestataire|prestataires|provider|providers|vendor|vendors|editeur|editeurs|fournisseur|fournisseurs|origin|origine)$/,
    'vendor',
  ],
  [/^(categorie|categories|category|type|types)$/, 'category'],
  [/^(responsable|controller|donnees|collectees|data|collected)$/, 'other'],
  [
    /^(de|du|des|la|le|les|et|and|of|the|service|emplacement|traitement|max|maximum|vie|storage|stockage|span)$/,
    'filler',
  ],
];

const RULE_SUBJECT =
  /^(?:ces|les|nos|tous les|these|the|our|all)\s+(?:cookies|traceurs)\b|^(?:la|the)\s+(?:duree|lifetime|retention)\b.{0,40}\b(?:ces|des|these|the)\s+cookies\b/;
const RULE_VERB =
  /\b(conserv\w*|duree|expir\w*|se terminer|validite|kept|stored for|retained|lasts?|lifetime|retention)\b/;
// A rule read from a whole sentence (no duration in it) must say that the cookies end with the session.
const SESSION_END = /\b(expir\w*|ferm\w*|clos\w*|fin de|end of|ends?)\b/;

// The subject of a consent sentence: the cookies, with at most a few words naming their category ("Ces cookies
// d'audience", "Les cookies strictement nécessaires"), or all of them ("Tous les cookies", "All cookies").
const CONSENT_SUBJECT = /^(ces|les|nos|tous les|these|the|our|all|all our|all the)\s+(cookies|traceurs)\b/;
const ALL_SUBJECT = /^(tous les|all|all our|all the)\s/;
// Said of a part only ("certains cookies", "d'autres cookies", "may"): no rule for a whole category.
const PARTIAL = /\b(certains|d autres|autres|some|other|others|most|la plupart|peuvent|peut|may|might)\b/;
const CONSENT_EXEMPT =
  /\b(ne (necessit\w{0,3}|requier\w{0,3}) pas (de |votre |le |leur |son )?(consentement|accord)|exemptes? de consentement|(do|does) not require (your |any |prior )?consent|exempt(ed)? from consent|(sont|are) (deposes|places|set) (automatiquement |automatically )?sans (que )?(votre |l |leur )?(accord|consentement)|without (asking )?(your )?consent)\b/;
const CONSENT_REQUIRED =
  /\b((necessit\w{0,3}|requier\w{0,3}) (votre |le |leur |son )?(consentement|accord)( prealable)?|soumis (a|au) (votre |leur |son )?(consentement|accord)|requires? (your |prior )?consent|(only|uniquement) (with|avec) (your |votre )?(prior |prealable )?(consent|consentement|accord)|qu avec (votre |son |leur )?(accord|consentement))\b/;
const CONSENT_WORDS = new RegExp(`${CONSENT_EXEMPT.source}|${CONSENT_REQUIRED.source}`, 'g');
const withoutConsentWords = (normal: string) => normal.replace(CONSENT_WORDS, ' ');
/** A subject longer than this is no subject: the sentence speaks of something else first. */
const SUBJECT_MAX = 80;

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function normalWords(line: string): string[] {
  return line
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
}

/**
 * A line of column headers: header words only (one stray word allowed), naming the cookie column and another one,
 * or both the purpose and the lifetime columns. A phrase ("La durée de conservation des cookies") is not a header.
 */
function isHeaderLine(line: string): boolean {
  // A Markdown heading ("#### Cookie purpose and data collected") titles a section, it heads no columns.
  if (/^\s*#{1,6}\s/.test(line)) return false;
  const words = normalWords(line);
  if (words.length < 2 || words.length > 14 || /^(la|le|les|l|the|des|ces|un|une)$/.test(words[0]!)) return false;
  const kinds = new Set<string>();
  let strays = 0;
  for (const word of words) {
    const kind = HEADER_WORDS.find(([pattern]) => pattern.test(word))?.[1];
    if (kind === undefined) strays++;
    else if (kind !== 'filler') kinds.add(kind);
  }
  const described = kinds.has('purpose') || kinds.has('lifetime') || kinds.has('vendor');
  if (strays <= 1) return (kinds.has('name') && described) || (kinds.has('lifetime') && kinds.has('purpose'));
  // "Cookie Purpose Logged-in Users Only?": a name and a description label first, then a column no label here knows.
  const kindOf = (word: string | undefined) => HEADER_WORDS.find(([pattern]) => pattern.test(word ?? ''))?.[1];
  return (
    strays <= 4 &&
    words.length <= 8 &&
    !/[.,;]/.test(line) &&
    kindOf(words[0]) === 'name' &&
    ['purpose', 'lifetime'].includes(kindOf(words[1]) ?? '')
  );
}

const UNIT_WORD =
  /^(secondes?|seconds?|minutes?|heures?|hours?|jours?|days?|semaines?|weeks?|mois|months?|ans?|annees?|years?)$/;

/** "4 Comment accepter…", "10.4. Comment gérer…", "2.2 …", "5/ Quels…": not "30 secondes". */
function isSectionHeading(line: string): boolean {
  const match = /^\s*(?:\d{1,2}(?:\.\d{1,2})*(?:[.)/]|\s+[-–])?|[IVX]{1,4}[.)])\s+(\p{L}+)/u.exec(line);
  if (!match) return false;
  return !UNIT_WORD.test(normalWords(match[1]!)[0] ?? '');
}

/** Where a table ends: a numbered heading, another table's header, or a sentence about the cookies in general. */
function endsTable(line: string): boolean {
  return (
    isSectionHeading(line) ||
    isHeaderLine(line) ||
    RULE_SUBJECT.test(fold(line)) ||
    MENTION_SENTENCE.test(line) ||
    HEADING_RULE.test(line)
  );
}

/** A heading's underline ("=====", "-----", reStructuredText and Markdown's setext headings), or a rule. */
const HEADING_RULE = /^\s*(?:={3,}|-{3,}|~{3,}|\^{3,})\s*$/;

/**
 * A technical pair or a capital code with no lifetime, a table header within a few lines below it: the next table's
 * title ("Session ID" above "Name Data stored Purpose Expires"), no row of this one.
 */
function titleOfNextTable(lines: readonly string[], group: Group, entries: readonly DraftEntry[]): boolean {
  if (entries.some((entry) => entry.lifetime?.parsed.kind !== 'unknown')) return false;
  if (group.names.some((token) => identifierStrength(token.name?.printed ?? '') === 'strong')) return false;
  let seen = 0;
  for (let k = group.names.at(-1)!.line + 1; k < lines.length && seen < 4; k++) {
    if (lines[k]!.trim() === '') continue;
    seen++;
    if (isHeaderLine(lines[k]!)) return true;
  }
  return false;
}

/**
 * Words in capitalised camel case the text uses as a product's name, before "service", "account", "widget",
 * "plugin"… ("the ShareThis service", "a ShareThis account"): never a cookie name.
 */
function productWords(text: string): Set<string> {
  const words = new Set<string>();
  const product =
    /(?<![\p{L}\d_])([A-Z][a-z]{1,20}(?:[A-Z][a-z]{1,20}){1,3})\s+(?:service|account|widget|plugin|plug-in|platform|tool|button|player|app)s?(?![\p{L}\d_])/gu;
  for (const match of text.matchAll(product)) words.add(match[1]!);
  return words;
}

/** "The has_js cookie is set as soon as the page loads.": a sentence below a table about one of its cookies. */
const MENTION_SENTENCE = /^\s*(?:the|this|le|ce)\s+[\w.\-*#$]{2,80}\s+(?:cookies?|traceurs?)\s+\p{L}/iu;

function tableRegions(lines: readonly string[]): Region[] {
  const regions: Region[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!isHeaderLine(lines[i]!)) continue;
    let end = i + 1;
    while (end < lines.length && end - i < 600 && !endsTable(lines[end]!)) end++;
    regions.push({ header: i, end });
    i = end - 1;
  }
  return regions;
}

// Bullets, and Markdown's heading and quote marks.
const BULLET = /^(?:[•▪◦✓\-–—·>]|#{1,6})$/;

// A word, its placeholders kept whole though they hold spaces (`Pool.[User ID].idToken`, `ga-disable-{UA CODE}`).
const RAW_TOKEN =
  /(?:[^\s\u00a0[{<]|\[[\w-]+(?: [\w-]+){0,3}\]|\{[\w-]+(?: [\w-]+){0,3}\}|<[\w-]+(?: [\w-]+){0,3}>|[[{<])+/g;

function rawTokens(line: string): string[] {
  // Markdown's "* " opens a list item: the bullet, not a wildcard name.
  const tokens = line.match(RAW_TOKEN) ?? [];
  const item = tokens[0] === '*' && /^\s*\*\s/.test(line) ? 1 : 0;
  return tokens
    .slice(item)
    .filter((token) => !BULLET.test(token))
    .flatMap(slashPair);
}

/** "__utmb/__utmc": two names a slash apart, read as "__utmb / __utmc" (a path or an address stays whole). */
function slashPair(token: string): string[] {
  const slash = token.indexOf('/');
  if (slash <= 0 || slash !== token.lastIndexOf('/')) return [token];
  const [first, second] = [token.slice(0, slash), token.slice(slash + 1)];
  const named = (word: string) => identifierStrength(core(word)) === 'strong';
  return named(first) && named(second) ? [first, '/', second] : [token];
}

const CLOSING_PUNCTUATION = new Set(['»', '"', '”', '’', "'", ')', ',', ';', ':', '!', '?', '`']);

/**
 * Markdown's code span: `name`, maybe followed by punctuation, maybe in brackets ("(`sb-…-auth-token`,"); "…" stands
 * for a part the page leaves out, as "*" does.
 */
const CODE_SPAN = /^\(?`[A-Za-z0-9_.\-#*$…]+`[,;:.)]{0,2}$/;
/** "Any duration other than `Session`…": a capitalised lifetime value set as code (Flask's `session` is a name). */
const VALUE_IN_CODE = /^(?:Session|Persistent|Persistant|Permanent|Temporary)$/;

/** Words a line may start with before a colon that are labels, not cookie names ("Duration: 6 months"). */
const LABEL_WORDS =
  /^(expires?|expiry|expiration|duration|duree|lifetime|retention|note|notes|example|exemple|remarque)$/;

/**
 * A word before a colon starting a line that states a lifetime ("bcookie: 1 year", "NID : 6 mois"): a name when it
 * has a name's shape (one word of name characters) and is no label, column word, vendor or party.
 */
function isLeadingLabelName(word: string): boolean {
  return (
    (/^[a-z][a-z0-9_.\-#*]{2,}$/.test(word) || identifierStrength(word) !== 'none') &&
    !LABEL_WORDS.test(fold(word)) &&
    !HEADER_WORDS.some(([pattern]) => pattern.test(fold(word))) &&
    // "analytics: 13 months" gives a category's lifetime, not a cookie's; "consent-id" is a name all the same.
    (!/^\p{L}+$/u.test(word) || categoryFromLabel(word) === 'unknown') &&
    partyFromLabel(word) === 'unspecified' &&
    !isNotACookieName(word)
  );
}

/**
 * "Tarteaucitron : Cookie qui garde…", "Bandeau: This cookie remembers…": a capitalised word labelling a line whose
 * text says it is a cookie is that cookie's name ("Analytics : les cookies de mesure…" is a category: plural).
 */
function namedCookieLabel(raw: readonly string[], word: string): boolean {
  const after = raw[0]!.endsWith(':') ? raw.slice(1, 3) : raw.slice(2, 4);
  const said = after.map((token) => fold(core(token))).join(' ');
  return (
    /^\p{Lu}[\p{Ll}\d_-]{2,}$/u.test(word) &&
    /^(cookie|ce cookie|le cookie|this cookie|a cookie|un cookie)\b/.test(said) &&
    categoryFromLabel(word) === 'unknown' &&
    !isNotACookieName(word) &&
    !HEADER_WORDS.some(([pattern]) => pattern.test(fold(word)))
  );
}

function core(token: string): string {
  // Closing punctuation is cut by a loop: /[…]+$/ would scan from each mark of a long run to its end.
  // ",mtm_consent_removed": a list's comma glued to the name after it, as a copied HTML list leaves it.
  const opened = token.replace(/^[«"“‘'•`,;]+/, '');
  let end = opened.length;
  while (end > 0 && CLOSING_PUNCTUATION.has(opened[end - 1]!)) end--;
  const word = opened.slice(0, end).replace(/\.$/, '');
  // Markdown's bold (**_ga**, and "**Google" opening a bold phrase) marks the text; a lone "*" stays a wildcard.
  if (/^\*\*[^*]+\*\*$/.test(word)) return word.slice(2, -2);
  // "**_ga, _gat:**": the colon inside the bold ends the label, no part of the name either.
  return word.replace(/^\*\*(?=[^*])/, '').replace(/(?<=[\p{L}\d])(?::\*\*|\*\*[.:]?)$/u, '');
}

const FIELD_SEPARATOR = /^[—–|;]$|^-$/;

/**
 * Whether the words of the field before `j` are a label naming the cookie ("Nom du cookie :", "Name:"): the word
 * after it is a name whatever its shape ("uuid2"). A label is a few words: a long field is no label.
 */
function afterNameLabel(raw: readonly string[], fieldStart: number, j: number): boolean {
  if (j === fieldStart || j - fieldStart > 5 || !raw[j - 1]!.endsWith(':')) return false;
  return classifyHeader(raw.slice(fieldStart, j).join(' ').replace(/\s*:$/, '')) === 'name';
}

/** A word after a comma in the short list of names a name label opens ("Cookie Name: CFID, CFTOKEN"). */
function inNameList(raw: readonly string[], fieldStart: number, j: number): boolean {
  let k = j;
  while (k > fieldStart && k > j - 10 && raw[k - 1]!.endsWith(',')) k--;
  return k < j && afterNameLabel(raw, fieldStart, k);
}

function nextNonBlank(lines: readonly string[], from: number, limit: number): number {
  for (let k = from; k < lines.length && k <= from + limit; k++) if (lines[k]!.trim() !== '') return k;
  return -1;
}

/**
 * A name another row's description mentions ("read with the last_login cookie", "the _setVar method"): after an
 * article and before a word saying what it is, once the line has named its own cookie.
 */
const COOKIE_WORD = /^(cookies?|traceurs?|t[ée]moins?)$/i;
const MENTION_BEFORE =
  /^(the|a|an|this|that|existing|same|few|several|some|other|le|la|les|du|de|des|ce|cet|cette|au|aux|quelques|autres)$/i;
const MENTION_COOKIE = /^(cookies?|traceurs?|names?)$/i;
/** Words after which a name is what a description mentions ("used with __utmb", "set by _ga", "comme _pk_id"). */
const MENTION_AFTER = /^(with|by|from|than|like|as|avec|par|comme|que)$/i;
/** What a code span in a sentence may be, besides a cookie: "the `server.properties` file", "property, `a.b`". */
const CODE_THING =
  /^(?:propert(?:y|ies)|settings?|parameters?|options?|variables?|files?|headers?|methods?|functions?|attributes?|fields?|directives?|class|modules?|packages?|flags?)$/i;
/** Words naming a thing of code, not a cookie: "the deprecated _setVar method". */
const MENTION_THING =
  /^(method|m[ée]thode|function|fonction|parameter|param[èe]tre|variable|item|key|cl[ée]|value|valeur|script|library|tag|api)$/i;

/** One label alone on its line (a colon after it or not): the column it names, else null. */
function labelLine(line: string | undefined): string | null {
  const text = (line ?? '').trim().replace(/\s*:$/, '');
  return text !== '' && text.split(/\s+/).length <= 3 ? classifyHeader(text) : null;
}

/**
 * A line between a "Name" label line above it and a "Purpose" or "Expires" label line below it, blank lines apart:
 * a table copied one labelled field per line ("Name", "ARRAffinity", "Purpose", "Helps…", "Expires", "1 year").
 */
function betweenLabels(lines: readonly string[], i: number, from: number, to: number): boolean {
  let above = i - 1;
  while (above >= from - 1 && above > i - 3 && lines[above]?.trim() === '') above--;
  const below = nextNonBlank(lines, i + 1, 1);
  if (above < 0 || below < 0 || below >= to || labelLine(lines[above]) !== 'name') return false;
  const next = labelLine(lines[below]);
  return next === 'purpose' || next === 'lifetime';
}

/**
 * In a table whose rows open with the name, in a row that does ("_shopify_country Used for … set from GeoIP by helping
 * avoid GeoIP lookups … 30 minutes"), a word shaped like a name after a lower-case word of the row's description is
 * what the description mentions, not another cookie: names the row lists stand together at its start, or joined by a
 * comma or "and". A row opening with words ("Takes the format of NSC_xxx. Most likely to be NSC_tubhjoh…") is not
 * one.
 */
function describedInRow(rowNames: boolean, before: string, previous: Token | undefined): boolean {
  return rowNames && !previous?.name && /^\p{Ll}+$/u.test(before) && !CONNECTOR.test(before);
}

/**
 * The tokens of some lines, names marked. `loose` (inside a table region) also accepts all-capital codes alone on
 * their line and technical word pairs starting a line; `rowNames` (a region whose header starts with the name
 * column) takes the first word of a row stating a lifetime as its name whatever its shape ("remember … 2 weeks").
 */
function tokenize(
  lines: readonly string[],
  from: number,
  to: number,
  loose: boolean,
  rowNames = false,
  timeless = false,
  rowNameAt = 0,
): Token[] {
  const tokens: Token[] = [];
  const consumed = new Set<number>();
  // The line of the last row named by its first word, under a header starting with the name column.
  let lastRowNamed = -1;
  for (let i = from; i < to; i++) {
    if (consumed.has(i)) continue;
    const raw = rawTokens(lines[i]!);
    // Asked once per line at most: a line of many "name:" labels would read itself again for each.
    let statesLifetime: boolean | undefined;
    const lineStatesLifetime = () => (statesLifetime ??= findLifetimes(lines[i]!).length > 0);
    // Whether the line has named a cookie yet (its own): a name after that may be one its description mentions.
    let lineHasName = false;
    // The line's first token: a row opened by its name ("shop_country Used for …").
    const lineStart = tokens.length;
    let bulletedLine: boolean | undefined;
    const bulleted = () => (bulletedLine ??= BULLETED.test(lines[i]!));
    // Where the line's current field starts ("Nom du cookie : uuid2 — Durée : 3 mois" has two).
    let fieldStart = 0;
    for (let j = 0; j < raw.length; j++) {
      if (j > 0 && tokens.at(-1)?.name && tokens.at(-1)?.line === i) lineHasName = true;
      if (j > 0 && FIELD_SEPARATOR.test(raw[j - 1]!)) fieldStart = j;
      const token = raw[j]!;
      const inBrackets = /^\([^()\s]+\)[,;:.]?$/.test(token);
      // "Cookies Google Analytics (_ga, _gid, _gat) :": the first and last of a list in brackets, no brackets of theirs.
      const bracketList =
        /^\([^()\s]+,$/.test(token) || (/^[^()\s]+\)[,;:.]?$/.test(token) && /,$/.test(raw[j - 1] ?? ''));
      const word = CODE_SPAN.test(token)
        ? codeSpanName(token)
        : inBrackets || /^\(/.test(token)
          ? core(token).slice(1)
          : core(token);
      // "ASP.Net Session Id": a platform's dotted name before a technical pair, one cookie name as printed.
      if (
        /^[A-Z][A-Za-z]{1,20}\.[A-Z][A-Za-z]{1,20}$/.test(word) &&
        raw[j + 2] !== undefined &&
        isTechnicalPair(core(raw[j + 1]!), core(raw[j + 2]!))
      ) {
        const printed = `${word} ${core(raw[j + 1]!)} ${core(raw[j + 2]!)}`;
        tokens.push({ line: i, text: `${token} ${raw[j + 1]} ${raw[j + 2]}`, name: { printed, endLine: i } });
        j += 2;
        continue;
      }
      const label = token.endsWith(':') || raw[j + 1] === ':';
      // A quoted name closing a bracket ("(… cookie « wineater_consent »)") is quoted, not bracketed.
      // "editor_draft_[id]" ends with its placeholder, no bracket closing a remark.
      const placeholderEnd = /[\w.-]\[[\w-]+\]$/.test(token);
      const parenthesised =
        !bracketList &&
        (/^[([]/.test(token) || (/[)\]]$/.test(token) && !/[»”’'"`][)\]]$/.test(token) && !placeholderEnd));
      const shape = identifierStrength(word);
      // "le cookie de langue (choix_langue)", "stored in a cookie (consent_box)": a name in brackets after the word.
      const bracketedName =
        inBrackets &&
        shape === 'strong' &&
        raw.slice(Math.max(0, j - 4), j).some((before) => COOKIE_WORD.test(core(before)));
      const after = core(raw[j + 1] ?? '');
      const mention =
        lineHasName &&
        j > 0 &&
        (MENTION_THING.test(after) ||
          (MENTION_BEFORE.test(raw[j - 1]!) && MENTION_COOKIE.test(after)) ||
          (tokens[lineStart]?.name !== undefined && describedInRow(rowNames, raw[j - 1]!, tokens.at(-1))) ||
          // "• __utmc Used in conjunction with __utmb to…": a list item opening with its name mentions another.
          (tokens[lineStart]?.name !== undefined && MENTION_AFTER.test(raw[j - 1]!) && bulleted()));
      // "session_id (24h), csrf_token (24h), locale (30 jours)": a plain word listed among names, each with its
      // lifetime in brackets after it, is one of them.
      const listedPlain =
        lineHasName &&
        j > 0 &&
        /^[a-z][a-z0-9_-]{1,40}$/.test(token) &&
        /(,|^(et|and|ou|or))$/i.test(raw[j - 1]!) &&
        /^\(/.test(raw[j + 1] ?? '') &&
        findLifetimes(
          raw
            .slice(j + 1, j + 4)
            .join(' ')
            .replace(/\).*$/, ')'),
        ).length > 0 &&
        plainName(word);
      // Its lifetime may stand on the row's next lines ("CART Shows when…" / "Cookie" / "Two weeks").
      const rowStatesLifetime = () =>
        lineStatesLifetime() ||
        (i + 2 < to && findLifetimes(`${lines[i + 1]!.slice(0, 200)}\n${lines[i + 2]!.slice(0, 200)}`).length > 0);
      const rowName =
        rowNames &&
        j === rowNameAt &&
        raw.length >= 3 + rowNameAt &&
        // "(where x is replaced with…)": a remark under the row above.
        !/^[([]/.test(token) &&
        // "To delete Facebook cookies please visit…" under "Origin Cookie name…": a sentence, no provider's row.
        (rowNameAt === 0 || !SENTENCE_OPENER.test(core(raw[0]!))) &&
        // "remember … 2 weeks", "WEBNODE Routes you to a server 1 day", "Commerce-checkout-state Stores…",
        // "X-Mapping-kgibjjhc Load balancer… Session".
        (/^[a-z][a-z0-9_.:-]*$/.test(word) ||
          shape === 'caps' ||
          // "Crumb Session Prevents…": a capitalised word, its lifetime cell right after it.
          (/^[A-Z][a-z]{2,30}$/.test(word) && lifetimeNext(lines[i]!, token)) ||
          /^[A-Z][a-z0-9]*(?:-[a-z0-9]+){2,}$/.test(word) ||
          /^[A-Z](?:-[A-Za-z][A-Za-z0-9]*){2,}$/.test(word)) &&
        plainName(word) &&
        // Under a header with no lifetime column (`timeless`), or as the row after a named one (the last row, its
        // lifetime left blank: "sclid Rate limiting (…)"), a row's description opens with a capital after it.
        (rowStatesLifetime() || ((timeless || lastRowNamed === i - 1) && /^\p{Lu}\p{Ll}/u.test(raw[j + 1] ?? '')));
      // "SAPISID HTTP (pending) persistent", "collect Pixel Registers…": a copied declaration's row, its name first,
      // then the kind of storage.
      // The row's domain may come first ("google.com 1P_JAR HTTP …").
      const afterDomain = j === 1 && /^\.?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$/i.test(raw[0]!);
      const typedRow =
        (j === 0 || afterDomain) &&
        /^(?:HTTP|HTML|Pixel|IDB|IndexedDB|localStorage|sessionStorage)$/.test(core(raw[j + 1] ?? '')) &&
        plainName(word);
      // "AWSALB, AWSALBCORS Used by…": a code in capitals listed after a name, a comma between.
      // In a table, a plain word so listed too ("c_user, csm, datr, locale, lu, s, xs").
      const listedPlain2 =
        loose &&
        /^[a-z][a-z0-9_-]{0,30},?$/.test(token) &&
        NAME_WORD.test(word) &&
        // Among three names at least ("c_user, csm, datr"): "_ga, google analytics identifier" lists none.
        (/,$/.test(token) || /,$/.test(raw[j - 2] ?? ''));
      const listedCaps =
        (shape === 'caps' || listedPlain2) &&
        j > 0 &&
        tokens.at(-1)?.name !== undefined &&
        tokens.at(-1)?.line === i &&
        /,$/.test(raw[j - 1]!) &&
        !STOP_WORD.test(word);
      // "• SS Expiry 10 years", "• NID Expiry 6 months": a list item opening with a code in capitals (or a plain word),
      // then its lifetime's label with no colon ("• IP retention: 30 days" is data kept).
      const itemRowName =
        j === 0 &&
        bulleted() &&
        (shape === 'caps' || /^[A-Z]{2}$|^[a-z][a-z0-9_-]{1,30}$/.test(word)) &&
        /^(?:expiry|expires|expiration|lifetime)$/i.test(raw[j + 1] ?? '') &&
        plainName(word) &&
        lineStatesLifetime();
      // "- payload-token — session authentication… expires after 7 days": a list item opening with a word written as
      // code, a dash after it.
      const dashItemName =
        j === 0 &&
        // The dash is a bullet's shape, left out of the tokens: read in the line.
        /^\s*[•▪◦*·–—-]\s+\S+\s+[—–]\s/.test(lines[i]!) &&
        /[-_.\d]/.test(word) &&
        itemName(word) &&
        lineStatesLifetime();
      // "SESSION This cookie is used… When you close the browser": in a name-first table, a row opening with a code in
      // capitals that is also a lifetime word, its lifetime stated after it.
      const wordRowName =
        rowNames &&
        j === 0 &&
        raw.length >= 3 &&
        /^[A-Z]{4,}$/.test(word) &&
        findLifetimes(lines[i]!.slice(lines[i]!.indexOf(token) + token.length)).length > 0;
      // "Name" / "nhsuk-cookie-consent" / "Purpose" on lines of their own: the word between the labels is the name.
      const labelled = loose && j === 0 && raw.length === 1 && plainName(word) && betweenLabels(lines, i, from, to);
      // "ASPXAUTH - this cookie is only stored if…", "DYNSRV This cookie is used for…": a code in capitals opening a
      // line, described as a cookie.
      const dashNamed =
        j === 0 &&
        shape === 'caps' &&
        (/^\s*\S+\s+[-–—]\s/.test(lines[i]!)
          ? raw.slice(1, 5).some((w) => COOKIE_WORD.test(core(w)))
          : THIS_COOKIE.test(`${raw[1] ?? ''} ${raw[2] ?? ''}`) &&
            // "NOTE This cookie banner remembers…": a remark's label, on the banner or the policy.
            !ITEM_LABEL.test(word) &&
            !/^(?:banners?|policy|notice|statement|bar|settings|preferences)\b/i.test(raw[3] ?? '')) &&
        plainName(word);
      // "We set a cookie called 'refdom' which…": the sentence names it.
      const calledName = j > 0 && calledAt(raw, j);
      // "- SID y AuthToken: …": a code in capitals opening a line, joined to a name by "and", a colon or a dash after.
      const joinedCaps =
        j === 0 &&
        shape === 'caps' &&
        CONNECTOR.test(raw[1] ?? '') &&
        isStrong(core(raw[2] ?? '')) &&
        (/:$/.test(raw[2] ?? '') || /^[:–—-]$/.test(raw[3] ?? '')) &&
        plainName(word);
      const strength: Strength = mention
        ? 'none'
        : calledName ||
            joinedCaps ||
            rowName ||
            listedPlain ||
            labelled ||
            dashNamed ||
            typedRow ||
            listedCaps ||
            wordRowName ||
            itemRowName ||
            dashItemName
          ? 'strong'
          : (CODE_SPAN.test(token) && !VALUE_IN_CODE.test(word)) || bracketedName
            ? 'strong'
            : !label &&
                (afterNameLabel(raw, fieldStart, j) || (shape === 'caps' && inNameList(raw, fieldStart, j))) &&
                plainName(word)
              ? 'strong'
              : parenthesised
                ? 'none'
                : label
                  ? // "_ga: … 2 years", "bcookie: 1 year": a name; "TagCommander :" above a list of names: a vendor.
                    (shape === 'strong' ||
                      shape === 'technical' ||
                      (j === 0 && (isLeadingLabelName(word) || namedCookieLabel(raw, word)))) &&
                    !isNotACookieName(word) &&
                    lineStatesLifetime()
                    ? 'strong'
                    : 'none'
                  : shape === 'strong' && (isNotACookieName(word) || products.has(word))
                    ? 'none'
                    : shape;
      const next = raw[j + 1] ? core(raw[j + 1]!) : '';
      if (strength === 'strong' && rowNames && j === rowNameAt) lastRowNamed = i;
      if (strength === 'strong') {
        if (j === raw.length - 2 && isTrailingScrap(raw[j + 1]!)) {
          tokens.push({
            line: i,
            text: token,
            name: { printed: word + raw[j + 1]!, extracted: `${word} ${raw[j + 1]}`, endLine: i },
          });
          j++;
          continue;
        }
        const k = j === raw.length - 1 ? nextNonBlank(lines, i + 1, 3) : -1;
        const continuation = k >= 0 && k < to ? rawTokens(lines[k]!) : [];
        if (continuation.length === 1 && isContinuation(core(continuation[0]!))) {
          const rest = core(continuation[0]!);
          tokens.push({
            line: i,
            text: token,
            name: { printed: word + rest, extracted: `${word} ${rest}`, endLine: k },
          });
          consumed.add(k);
          continue;
        }
        tokens.push({ line: i, text: token, name: { printed: word, endLine: i } });
      } else if (strength === 'technical' || (strength === 'caps' && loose && raw.length === 1)) {
        tokens.push({ line: i, text: token, name: { printed: word, endLine: i } });
      } else if (
        !label &&
        !parenthesised &&
        next &&
        (loose ? j === 0 : raw.length === 2) &&
        isTechnicalPair(word, next)
      ) {
        tokens.push({ line: i, text: `${token} ${raw[j + 1]}`, name: { printed: `${word} ${next}`, endLine: i } });
        j++;
      } else {
        tokens.push({ line: i, text: token });
      }
    }
  }
  return tokens;
}

/** Tokens as text, one line of text per source line. */
function textOf(tokens: readonly Token[]): string {
  const lines: string[] = [];
  let last = -1;
  for (const token of tokens) {
    if (token.line !== last) lines.push(token.text);
    else lines[lines.length - 1] += ` ${token.text}`;
    last = token.line;
  }
  return lines.join('\n');
}

interface Group {
  names: Token[];
  /** The row after the names: where their lifetimes are. */
  row: Token[];
  /** Words before the names on their first line, or the short line just above: a vendor, maybe. */
  before: string | null;
  /** The words before the names on their line when no other group precedes them there ("2 years – _ga – …"). */
  lead: Token[];
}

/**
 * A word joining two names of one group: "_pk_ref et _pk_cvar", "_pk_id / _pk_idsite", "a, b and c", and in Spanish,
 * German, Italian and Dutch ("SessionID y LtpaToken").
 */
const CONNECTOR = /^(et|and|&|\/|\+|ou|or|y|und|e|en)$/i;
/** Those after which a plain word is a name too ("user_referrer and referer"): not "_ga, _gid e altri". */
const PLAIN_CONNECTOR = /^(et|and|&|\/|\+|ou|or)$/i;

/** Whether tokens[i] joins the name before it to a name after it, on the same line. */
function joinsNames(tokens: readonly Token[], i: number): boolean {
  const token = tokens[i]!;
  const next = tokens[i + 1];
  return !token.name && CONNECTOR.test(token.text) && next?.name !== undefined && next.line === token.line;
}

function groups(tokens: readonly Token[], lines: readonly string[], floor: number): Group[] {
  const found: Group[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!tokens[i]!.name) {
      i++;
      continue;
    }
    const start = i;
    while (i < tokens.length && (tokens[i]!.name || joinsNames(tokens, i))) i++;
    const names = tokens.slice(start, i).filter((token) => token.name);
    let end = i;
    while (end < tokens.length && !tokens[end]!.name) end++;
    const nextLine = end < tokens.length ? tokens[end]!.line : Infinity;
    const lastLine = names[names.length - 1]!.name!.endLine;
    const row = tokens.slice(i, end).filter((token) => token.line < nextLine || nextLine === lastLine);
    const firstLine = names[0]!.line;
    const sameLine = tokens.slice(Math.max(0, start - 8), start).filter((token) => token.line === firstLine);
    const previous = found.at(-1);
    const firstOnLine = !previous || previous.names[0]!.line !== firstLine;
    const lead = firstOnLine ? sameLine : [];
    found.push({ names, row, before: vendorBefore(sameLine, lines, firstLine, floor), lead });
  }
  return found;
}

function vendorBefore(
  sameLine: readonly Token[],
  lines: readonly string[],
  line: number,
  floor: number,
): string | null {
  const plausible = (words: string[]) =>
    words.length >= 1 &&
    words.length <= 3 &&
    /^[\p{Lu}.]/u.test(words[0]!) &&
    findLifetimes(words.join(' ')).length === 0;
  const here = sameLine.map((token) => token.text);
  if (here.length > 0) return plausible(here) ? here.join(' ').replace(/\s*:$/, '') : null;
  for (let k = line - 1; k > floor; k--) {
    const text = lines[k]!.trim();
    if (text === '') continue;
    const label = text.endsWith(':');
    const words = rawTokens(text.replace(/\s*:$/, ''));
    const hasName = words.some((word) => ['strong', 'technical'].includes(identifierStrength(core(word))));
    return plausible(words) && (label || !hasName) ? words.join(' ') : null;
  }
  return null;
}

/**
 * Lifetimes for a group's names: as many as names (in order), one for all, or one per equal block of names
 * (4 names, 2 lifetimes: the first two names take the first). Anything else stays unknown, with a note.
 */
function pairLifetimes(
  count: number,
  found: readonly FoundLifetime[],
): { lifetimes: FoundLifetime[] | null; note?: string } {
  const k = found.length;
  if (k === 0) return { lifetimes: null, note: 'No lifetime found in the row that follows the name.' };
  if (count === 1 || k === 1) return { lifetimes: Array.from({ length: count }, () => found[0]!) };
  if (k === count)
    return { lifetimes: [...found], note: 'The row lists one lifetime per name: paired in the order printed.' };
  if (k < count && count % k === 0) {
    const size = count / k;
    return {
      lifetimes: Array.from({ length: count }, (_, i) => found[Math.floor(i / size)]!),
      note: `The row lists ${k} lifetimes for ${count} names: each lifetime taken for ${size} names, in the order printed.`,
    };
  }
  return {
    lifetimes: null,
    note: `The row lists ${k} lifetimes (${found.map((f) => f.text).join(', ')}) for ${count} names: not paired.`,
  };
}

/** Lifetimes a sentence lists "respectively": "2 years, 24 hours and 1 minute" are three, not "24 hours and 1 minute". */
function respectiveLifetimes(text: string): FoundLifetime[] {
  // Same length replacement: the indexes found still point into the text.
  return findLifetimes(text.replace(/\s(?:et|and)\s/gi, (joint) => `,${' '.repeat(joint.length - 1)}`));
}

function groupEntries(group: Group, party: Party): { entries: DraftEntry[]; unused: FoundLifetime[] } {
  const rowText = textOf(group.row);
  let found = /\brespecti/i.test(rowText) ? respectiveLifetimes(rowText) : findLifetimes(rowText);
  // "2 years – _ga – tells visitors apart": the one lifetime before the names, when none follows them.
  if (found.length === 0 && group.lead.length > 0) {
    const before = findLifetimes(textOf(group.lead));
    if (before.length === 1) found = [{ ...before[0]!, index: rowText.length }];
  }
  const names = group.names
    .map((token) => declaredName(token.name!.printed, token.name!.extracted))
    .filter((name): name is DeclaredName => name !== null);
  // One name, several lifetimes ("Essential Persistent First-Party Up to 365 days"): the duration wins over a type word.
  const duration =
    names.length === 1 ? found.find((f) => ['duration', 'range'].includes(f.lifetime.parsed.kind)) : null;
  if (duration && found[0] !== duration) found = [duration, ...found.filter((f) => f !== duration)];
  // "_ga and _gid … 2 years and 2 hours": as many quantities joined as names, one each, in order.
  if (names.length >= 2 && found.length === 1) {
    const parts = respectiveLifetimes(found[0]!.text);
    if (parts.length === names.length) found = parts.map((part) => ({ ...part, index: found[0]!.index + part.index }));
  }
  const { lifetimes, note } = pairLifetimes(names.length, found);
  const used = new Set(lifetimes ?? []);
  const first = group.names[0]!.line;
  // A loop, not Math.max(...): spreading a row of a hundred thousand tokens overflows the stack.
  let last = first;
  for (const token of group.row) last = Math.max(last, token.line);
  for (const token of group.names) last = Math.max(last, token.name!.endLine);
  const purposeEnd = found[0]?.index ?? rowText.length;
  const base = {
    // "Cookie Name: wp-settings …": the field's label before the name is no vendor.
    vendor: group.before !== null && classifyHeader(group.before.replace(/:$/, '')) === 'name' ? null : group.before,
    purpose: rowText.slice(0, purposeEnd).replace(/\s+/g, ' ').trim(),
    party,
    storage: 'cookie' as const,
    excerpt: `${group.names.map((token) => token.text).join(' ')} ${rowText}`,
    lines: [first + 1, last + 1] as [number, number],
  };
  const notes = [
    ...(note ? [note] : []),
    ...(group.before ? ['Vendor read from the words printed beside the name.'] : []),
  ];
  // One entry per lifetime, found by a map: a search of the entries made for each name was quadratic in the names.
  const byLifetime = new Map<DeclaredLifetime, DraftEntry>();
  names.forEach((name, i) => {
    const lifetime = lifetimes?.[i]?.lifetime ?? UNKNOWN_LIFETIME;
    const same = byLifetime.get(lifetime);
    if (same) same.names.push(name);
    else byLifetime.set(lifetime, { ...base, names: [name], lifetime, notes: [...notes] });
  });
  return { entries: [...byLifetime.values()], unused: found.filter((lifetime) => !used.has(lifetime)) };
}

interface Sentence {
  text: string;
  from: number;
  to: number;
}

function sentences(lines: readonly string[]): Sentence[] {
  const out: Sentence[] = [];
  let words: string[] = [];
  let from = -1;
  let blankBefore = false;
  let shortBefore = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      blankBefore = true;
      return;
    }
    // A capitalised line after a blank one, or after a short line (a heading, a table cell), starts a new sentence.
    if (
      (blankBefore || shortBefore) &&
      words.length > 0 &&
      /^\s*\p{Lu}/u.test(line) &&
      !/[,;(-]$/.test(words.at(-1)!)
    ) {
      out.push({ text: words.join(' '), from, to: i - 1 });
      words = [];
      from = -1;
    }
    blankBefore = false;
    shortBefore = line.trim().split(/\s+/).length <= 6;
    for (const word of line.split(/\s+/).filter(Boolean)) {
      if (from < 0) from = i;
      words.push(word);
      if (/[.!?:]$/.test(word) && !/^(n°|art|p|cf|m|mr|st)\.$/i.test(word)) {
        out.push({ text: words.join(' '), from, to: i });
        words = [];
        from = -1;
      }
    }
  });
  if (words.length > 0) out.push({ text: words.join(' '), from, to: lines.length - 1 });
  return out;
}

/** The label of a short heading line ending with ":" a few lines above, if any. */
function headingAbove(lines: readonly string[], line: number): string | null {
  for (let k = line; k >= 0 && k >= line - 10; k--) {
    const text = lines[k]!.trim();
    if (text.endsWith(':') && text.split(/\s+/).length <= 8) return text.replace(/\s*:$/, '');
  }
  return null;
}

function rules(lines: readonly string[]): DraftRule[] {
  const found: DraftRule[] = [];
  // Many sentences can start on one line: its heading is looked for once, not once per sentence.
  const headings = new Map<number, string | null>();
  for (const sentence of sentences(lines)) {
    const normal = fold(sentence.text);
    if (!RULE_SUBJECT.test(normal) || !RULE_VERB.test(normal)) continue;
    const phrase = findLifetimes(sentence.text).find((found) => found.lifetime.parsed.kind !== 'unknown');
    const text = phrase ? phrase.text : sentence.text.replace(/[.:]$/, '');
    const parsed = parseLifetime(text);
    if (parsed.kind === 'unknown' || parsed.kind === 'persistent') continue;
    if (!phrase && !SESSION_END.test(normal)) continue;
    let heading = headings.get(sentence.from);
    if (heading === undefined) headings.set(sentence.from, (heading = headingAbove(lines, sentence.from)));
    const category = heading ? categoryFromLabel(heading) : 'unknown';
    found.push({
      appliesTo: category === 'unknown' ? 'all' : category,
      role: (parsed.kind === 'duration' && parsed.maximum) || parsed.kind === 'range' ? 'maximum' : 'default',
      lifetime: { text, parsed },
      excerpt: sentence.text,
      lines: [sentence.from + 1, sentence.to + 1],
    });
  }
  return found;
}

/**
 * Consent rules from sentences that say of a whole category, or of every cookie, whether it needs consent. Only a
 * sentence that says one thing (not "certains cookies nécessitent… d'autres sont exemptés"), of the cookies as its
 * subject, with the category in the subject or a heading just above (or "all cookies"), counts; anything less sure is
 * left to the regulator's rule.
 */
function consentRules(lines: readonly string[]): DraftConsentRule[] {
  const found: DraftConsentRule[] = [];
  const headings = new Map<number, string | null>();
  for (const sentence of sentences(lines)) {
    const normal = fold(sentence.text);
    const subject = CONSENT_SUBJECT.exec(normal);
    if (!subject || PARTIAL.test(normal)) continue;
    const exempt = CONSENT_EXEMPT.exec(normal);
    const required = exempt ? null : CONSENT_REQUIRED.exec(normal);
    // "ne nécessitent pas votre consentement" holds "nécessitent votre consentement" only once the negation is read:
    // a sentence that also states the other basis elsewhere is not one thing.
    if (exempt && CONSENT_REQUIRED.test(normal.slice(0, exempt.index) + normal.slice(exempt.index + exempt[0].length)))
      continue;
    const said = exempt ?? required;
    if (!said || said.index > SUBJECT_MAX) continue;
    const category = categoryFromLabel(normal.slice(subject[0].length, said.index));
    let appliesTo: DraftConsentRule['appliesTo'] | null = category !== 'unknown' ? category : null;
    if (!appliesTo && ALL_SUBJECT.test(normal)) appliesTo = 'all';
    if (!appliesTo) {
      let heading = headings.get(sentence.from);
      if (heading === undefined) headings.set(sentence.from, (heading = headingAbove(lines, sentence.from)));
      // A heading that is itself the consent sentence ("Les cookies exemptés de consentement :") names no category:
      // its "consentement" is not the consent category.
      const fromHeading = heading ? categoryFromLabel(withoutConsentWords(fold(heading))) : 'unknown';
      if (fromHeading === 'unknown') continue;
      appliesTo = fromHeading;
    }
    found.push({
      appliesTo,
      basis: exempt ? 'exempt' : 'required',
      excerpt: sentence.text,
      lines: [sentence.from + 1, sentence.to + 1],
    });
  }
  return found;
}

/** How far below a name standing alone on its line its lifetime may be (a description in between). */
const HEADING_REACH = 4;

/** One word that may be a cookie name once something says it is one (a "Nom :" label, a list of names). */
const NAME_WORD = /^[A-Za-z0-9_.\-*#$<>{}[\]:]+$/;

function plainName(word: string): boolean {
  return (
    NAME_WORD.test(word) &&
    /\p{L}/u.test(word) &&
    !STOP_WORD.test(word) &&
    !isNotACookieName(word) &&
    !HEADER_WORDS.some(([pattern]) => pattern.test(fold(word)))
  );
}

/**
 * Whether a lifetime opens what follows the token on its line, a description after it ("Crumb Session Prevents…"):
 * not a lifetime's own phrase on a line of its own ("Deleted at the end of the session").
 */
function lifetimeNext(line: string, token: string): boolean {
  if (LIFETIME_VERB.test(token)) return false;
  const at = line.indexOf(token) + token.length;
  const next = findLifetimes(line.slice(at, at + 60))[0];
  return next?.index === 1 && /\p{L}{2}/u.test(line.slice(at + 1 + next.text.length));
}
const LIFETIME_VERB = /^(?:deleted|expires?|expiry|removed|erased|kept|stored|valid|until|after|lasts?|cleared)$/i;

/** Words that open a sentence, never a provider's name. */
const SENTENCE_OPENER =
  /^(?:to|if|for|you|we|our|this|these|those|in|on|when|please|see|more|pour|si|nous|vous|ce|ces|cette|um|wenn|sie|wir|para|per|om|als)$/i;

/** "This cookie", "Ce cookie", "Dieser Cookie": the words opening a cookie's description. */
const THIS_COOKIE = /^(?:this|ce|dieser|este|questo|deze) (?:cookie|traceur)$/i;

const STOP_WORD =
  /^(de|du|des|la|le|les|un|une|et|ou|the|a|an|and|or|of|other|others|autres|all|tous|more|plus|cookies?|traceurs?|altri|otros|otras|andere|anderen|weitere|meer|overige)$/i;

/**
 * The names a line holds when it holds nothing else: "_ga", "JSESSIONID PORTAL_STATE_*", "a_b, c_d and e_f",
 * "user_referrer and referer", or after a label naming them ("Nom : _pk_id", "Cookies déposés : didomi_token,
 * euconsent-v2"), where any word shaped like a name is one. All-capital codes and plain words count beside a name
 * only; a line with any other word gives none.
 */
function namesOfLine(lines: readonly string[], i: number, terms?: ReadonlySet<number>): DeclaredName[] {
  const all = tokenize(lines, i, i + 1, false);
  if (terms?.has(i) && all.length === 1 && !all[0]!.name) {
    const name = declaredName(core(all[0]!.text));
    return name ? [name] : [];
  }
  // "Name: auth_session", "Nom du cookie : _pk_id": the label before the name is no part of it.
  const labelEnd = all.findIndex((token) => token.text.endsWith(':'));
  const label = labelEnd >= 0 && labelEnd < 4 ? textOf(all.slice(0, labelEnd + 1)).replace(/\s*:$/, '') : null;
  let printed: Array<{ printed: string; extracted?: string }>;
  if (label !== null && classifyHeader(label) === 'name') {
    const cell = namesInCell(textOf(all.slice(labelEnd + 1)));
    if (cell.description) return [];
    // "Cookie name: er or er3": after the label, plain names joined by a word are names too.
    const names =
      cell.names.length === 1 && /\s(?:or|and|ou|et)\s/.test(cell.names[0]!)
        ? cell.names[0]!.split(/\s(?:or|and|ou|et)\s/).map((name) => name.trim())
        : cell.names;
    // "Name: ‘_ga’", "Cookies: a_b, c_d.": the quotes around the name and the sentence's full stop are no part of it.
    printed = names
      .map((name) => (/^[‘'"“«`]|\.$/.test(name) ? core(name) : name))
      .filter(plainName)
      .map((name) => ({ printed: name }));
  } else {
    if (!all.some((token) => token.name)) return [];
    printed = [];
    for (let t = 0; t < all.length; t++) {
      const token = all[t]!;
      const word = core(token.text);
      // ", mtm_consent_removed": a list's comma (or a lone dash) on the name's line says nothing against it.
      if (!token.name && /^[,;.–—-]+$/.test(token.text)) continue;
      if (token.name) printed.push(token.name);
      else if (CONNECTOR.test(word) && t > 0 && t < all.length - 1) continue;
      else if (
        identifierStrength(word) === 'caps' ||
        (PLAIN_CONNECTOR.test(core(all[t - 1]?.text ?? '')) && plainName(word))
      )
        printed.push({ printed: word });
      else return [];
    }
  }
  return printed
    .map((name) => declaredName(name.printed, name.extracted))
    .filter((name): name is DeclaredName => name !== null);
}

/**
 * One lower-case word alone on its line, above a field line ("Description: …", "Expiration: …", "Finalité : …"):
 * the name of the cookie the fields describe ("referral", "device").
 */
function nameAboveFields(lines: readonly string[], i: number): DeclaredName[] | null {
  // "- langue" above "Fonction : …": the list's bullet is no part of the name.
  const bare = lines[i]!.trim().replace(/^[•▪◦\-–—*·]\s+/, '');
  // A name in code alone on its line ("`isPrimaryDomain`") is marked as one, whatever its case.
  const coded = /^`[^`\s]+`$/.test(bare);
  const line = coded ? bare.slice(1, -1) : bare;
  // A lower-case word ("referral", "ccc-dismissed-alerts") or an all-capital code ("AWSELB"), or a few of them a comma
  // apart ("cosign, cosign-<sitename>").
  const words = line.length <= 200 ? line.split(/\s*,\s*/) : [];
  const named = (word: string) =>
    (/^(?:[a-z][a-z0-9_.-]{1,40}|[A-Z][A-Z0-9_]{2,40})$/.test(word) && plainName(word)) ||
    ((words.length > 1 || coded) && identifierStrength(word) === 'strong');
  if (words.length === 0 || words.length > 8 || !words.every(named)) return null;
  const names = () => words.map((word) => declaredName(word)).filter((name): name is DeclaredName => name !== null);
  const k = nextNonBlank(lines, i + 1, 1);
  // The field line may be a list item ("- Purpose: …", "• Expiry: …").
  const field = k < 0 ? null : fieldLabel(lines[k]!);
  const column = field ? classifyHeader(field) : null;
  if (column === 'purpose' || column === 'lifetime') return names();
  // Labels on lines of their own: "Name" above the word, "Purpose" or "Expiry" below it.
  const above = previousNonBlank(lines, i - 1);
  // A label may be a Markdown heading ("#### Cookie purpose and data collected").
  const label = (line: string | undefined) => {
    const text = (line ?? '')
      .trim()
      .replace(/^#{1,6}\s+/, '')
      .replace(/\s*:$/, '');
    return text.split(/\s+/).length <= (text === (line ?? '').trim() ? 3 : 5) ? classifyHeader(text) : null;
  };
  const below = k < 0 ? null : label(lines[k]);
  if (above < 0 || label(lines[above]) !== 'name') return null;
  if (below !== null && below !== 'name') return names();
  // A label of its own first ("Data stored"), then the description, then "When does it expire?".
  for (let n = k + 1; below === null && k >= 0 && n < lines.length && n <= k + 6; n++) {
    // A question may label it ("When does it expire?").
    const text = lines[n]!.trim().replace(/[\s:?]+$/, '');
    const next = text.split(/\s+/).length <= 5 ? classifyHeader(text) : null;
    if (next === 'name') return null;
    if (next === 'purpose' || next === 'lifetime') return names();
  }
  return null;
}

function previousNonBlank(lines: readonly string[], from: number): number {
  for (let k = from; k >= 0 && k >= from - 1; k--) if (lines[k]!.trim() !== '') return k;
  return -1;
}

// The label opens with a letter: spaces before it are no part of it (else they and the label's retry each other).
const FIELD_LABEL = /^\s*(?:[-–•*·]\s*)?(\p{L}[^:=]{0,29}?)\s*:/u;
const FIELD_LABEL_OR_EQUALS = /^\s*(?:[-–•*·]\s*)?(\p{L}[^:=]{0,29}?)\s*[:=]/u;

/**
 * The label of a field line ("Purpose: …", "- Expiry: …", "Expiry = 2 years"): the words before its first colon (or
 * equals sign, where `equals` allows it), after a list mark.
 */
function fieldLabel(line: string, equals = false): string | null {
  const label = (equals ? FIELD_LABEL_OR_EQUALS : FIELD_LABEL).exec(line)?.[1];
  return label ?? null;
}

/** "Purpose: …", "- Expiry: …", "Type: First party": a line giving one field of the cookie named above it. */
function isFieldLine(line: string): boolean {
  const label = fieldLabel(line);
  const column = label === null ? null : classifyHeader(label);
  return column !== null && column !== 'name';
}

/**
 * The lifetimes a field line below a name states; a "Purpose:" line's single word ("identifies the user's session.")
 * is its description's, not a lifetime: a phrase there still is one ("Expires after 1 year").
 */
function fieldLifetimes(line: string): FoundLifetime[] {
  const label = fieldLabel(line, true);
  const purpose = label !== null && classifyHeader(label) === 'purpose';
  return findLifetimes(line).filter((found) => !purpose || /\s/.test(found.text));
}

/**
 * A lifetime field offering two lifetimes for one cookie ("Expires after: 365 days (can be changed), 30 minutes (for
 * anonymous tracking)", "Session or 24 days"): a choice the policy does not settle, kept as printed and unknown.
 */
function offeredChoice(line: string, found: readonly FoundLifetime[]): DeclaredLifetime | null {
  const label = fieldLabel(line);
  if (label === null || classifyHeader(label) !== 'lifetime' || !differ(found) || conditionAfterFirst(line, found))
    return null;
  return { text: line.slice(line.indexOf(':') + 1).trim(), parsed: { kind: 'unknown' } };
}

function wordCount(line: string): number {
  return line.length > 400 ? 100 : (line.match(/\S+/g) ?? []).length;
}

/** Whether lifetimes found say more than one length ("Session" and "when the browser is closed" say one). */
function differ(found: readonly FoundLifetime[]): boolean {
  return new Set(found.map((each) => JSON.stringify(each.lifetime.parsed))).size > 1;
}

/**
 * Whether a later lifetime of a line is a condition's ("…a default expiration of 3 days. If “remember me” is selected,
 * it extends to 14 days."): a sentence opening with "If" or "When" between the first lifetime and the next.
 */
function conditionAfterFirst(line: string, found: readonly FoundLifetime[]): boolean {
  if (found.length < 2) return false;
  const between = line.slice(found[0]!.index + found[0]!.text.length, found[1]!.index);
  return /[.;]\s+(?:if|when|unless|si|lorsque|sauf)\b/i.test(between.slice(0, 400));
}

/**
 * A line of names only (a definition list's term, a heading per cookie, "### `consent_state`", "a, b and c"), with
 * the name lines right below it (names listed one per line share what follows), then the first line within a few
 * lines below stating a lifetime ("Expires after 30 days", "Durée : 6 mois", "Valid for 1 year"): one entry for them.
 * Names followed by a description that states no lifetime, up to the next name, are drafted with an unknown lifetime,
 * and so are names followed by nothing but other names (a list of names): a later line declaring them wins.
 */
function nameHeadingEntry(
  lines: readonly string[],
  i: number,
  terms: ReadonlySet<number>,
): { entries: DraftEntry[]; last: number } | null {
  const names = namesOfLine(lines, i, terms);
  if (names.length === 0) {
    const labelled = nameAboveFields(lines, i);
    if (!labelled || labelled.length === 0) return null;
    names.push(...labelled);
  }
  const own = new Set(names.map((name) => name.printed));
  let k = i + 1;
  for (; k < lines.length; k++) {
    if (lines[k]!.trim() === '') continue;
    if (findLifetimes(lines[k]!).length > 0) break;
    const more = namesOfLine(lines, k, terms);
    // "* `hm-recording`" then "* `hm-widget` (only when the widget is on)": a sibling item with a remark names one too.
    const sibling = more.length === 0 && CODE_ITEM.test(lines[i]!) ? CODE_ITEM.exec(lines[k]!)?.[1] : undefined;
    const siblingName = sibling && codeNamed(sibling) ? declaredName(sibling) : null;
    if (siblingName) more.push(siblingName);
    if (more.length === 0) break;
    names.push(...more);
  }
  const namesEnd = k;
  // "• Session Cookies: … erased when you close your browser." above a list of names: the group's lifetime is theirs.
  const above = previousNonBlank(lines, i - 1);
  const group = above >= 0 ? GROUP_ITEM.exec(lines[above]!) : null;
  if (group && BULLETED.test(lines[i]!)) {
    const said = findLifetimes(lines[above]!);
    // The group's kind only ("Session Cookies: … erased when you close your browser"): a length there may be data's
    // ("Analytics cookies: we keep the data they collect for 26 months").
    const groupKind =
      said.length > 0 && !differ(said) && ['session', 'persistent'].includes(said[0]!.lifetime.parsed.kind);
    const lifetime = groupKind ? said[0]!.lifetime : UNKNOWN_LIFETIME;
    const note = groupKind ? 'Lifetime read from the group the list is under.' : LISTED_NOTE;
    return {
      entries: [listedEntry(names, lifetime, lines.slice(above, namesEnd).join(' '), [i + 1, namesEnd], note)],
      last: namesEnd - 1,
    };
  }
  let seen = 0;
  let described = -1;
  for (; k < lines.length && seen < HEADING_REACH; k++) {
    if (lines[k]!.trim() === '') continue;
    // A sentence wrapped over lines ("…you have" / "logged in, what…") is counted once; so many lines at most, though.
    if (k === namesEnd || !/[a-z,]$/.test(lines[k - 1]!.trim()) || k - namesEnd >= 3 * HEADING_REACH) seen++;
    // "The __cfduid cookie is used to…" below "__cfduid" describes it; another name starts another entry.
    // A name in a field line ("- Purpose: Allows the GovMetric feedback…") is its description's word.
    // Another name starts another entry: at the line's start, or on a line stating a lifetime; one a sentence
    // mentions ("This information is shared with Google AdWords", "using the _setCustomVar method") describes.
    const words = tokenize(lines, k, k + 1, false);
    const other = (t: Token | undefined) => Boolean(t?.name && !own.has(t.name.printed));
    const sentence = words.length >= 6 && !other(words[0]) && findLifetimes(lines[k]!).length === 0;
    if (!isFieldLine(lines[k]!) && !sentence && words.some(other)) break;
    // A table's header below the name: the name was the table's title ("Session ID" above "Name Purpose Expires").
    if (isHeaderLine(lines[k]!)) return null;
    // The next group's heading item ("• Persistent Cookies: …") says nothing of the names above it.
    if (BULLETED.test(lines[i]!) && GROUP_ITEM.test(lines[k]!)) break;
    // "ccc-dismissed-alerts" above its own "Purpose:" line, however plain its shape.
    if (nameAboveFields(lines, k)) break;
    described = k;
    let found = fieldLifetimes(lines[k]!);
    if (found.length === 0) continue;
    // A description's sentence stating a length ("…remains for 3 months if you use Remember Me…"), then a line of
    // the lifetime alone ("Expires on exit of browser"): that line is the lifetime's own field.
    const field = nextNonBlank(lines, k + 1, 1);
    if (field >= 0 && wordCount(lines[k]!) >= 8 && wordCount(lines[field]!) <= 6) {
      const own = fieldLifetimes(lines[field]!);
      if (own.length > 0 && namesOfLine(lines, field).length === 0) {
        found = own;
        k = field;
      }
    }
    const between = lines.slice(namesEnd, k + 1).join(' ');
    const entry: DraftEntry = {
      names,
      vendor: null,
      purpose: between.slice(0, between.indexOf(found[0]!.text)).replace(/\s+/g, ' ').trim(),
      party: 'unspecified',
      storage: 'cookie',
      lifetime: found[0]!.lifetime,
      excerpt: lines.slice(i, k + 1).join(' '),
      lines: [i + 1, k + 1],
      notes: ['Name printed alone on its line; lifetime read from the lines below it.'],
    };
    // "Cookies: _gid, _ga, _gat" over "Expiry: 24 hours; 2 years; 1 minute respectively": one lifetime per name, in
    // order; one name offered two lifetimes has neither.
    if (names.length > 1 && found.length === names.length && differ(found) && !conditionAfterFirst(lines[k]!, found)) {
      const note = `The field lists ${found.length} lifetimes for ${names.length} names: paired in the order printed.`;
      return {
        entries: names.map((name, n) => ({
          ...entry,
          names: [name],
          lifetime: found[n]!.lifetime,
          notes: [...entry.notes!, note],
        })),
        last: k,
      };
    }
    const choice = names.length === 1 ? offeredChoice(lines[k]!, found) : null;
    return { entries: [choice ? { ...entry, lifetime: choice } : entry], last: k };
  }
  // Names listed with nothing said of them (the next line names another cookie, or the text ends): drafted with an
  // unknown lifetime, each left out at the end if a later line declares it (see `withoutRedeclared`).
  if (described < 0) {
    return {
      entries: [
        listedEntry(names, UNKNOWN_LIFETIME, lines.slice(i, namesEnd).join(' '), [i + 1, namesEnd], LISTED_NOTE),
      ],
      last: namesEnd - 1,
    };
  }
  return {
    entries: [
      {
        names,
        vendor: null,
        purpose: lines
          .slice(namesEnd, described + 1)
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim(),
        party: 'unspecified',
        storage: 'cookie',
        lifetime: UNKNOWN_LIFETIME,
        excerpt: lines.slice(i, described + 1).join(' '),
        lines: [i + 1, described + 1],
        notes: ['Name printed alone on its line, described below it without a lifetime.'],
      },
    ],
    last: described,
  };
}

const OPENING_NAME = /^\s*(?:[•▪◦*·–—-]\s+)?([^\s:=(]{1,100})\s*(?:\(\s*)?[:=–—]\s+\S/;

/**
 * A name opening a line that describes it ("_ga: Registers a unique ID…", "m ( = Determines the device…"), then a field
 * line giving its lifetime ("Expiry = 2 years", "Durée : 13 mois"): the field says the line is a cookie's, so a plain
 * or one-letter name ("m") is taken as printed.
 */
function describedAboveLifetimeField(lines: readonly string[], i: number): { entry: DraftEntry; last: number } | null {
  const open = OPENING_NAME.exec(lines[i]!);
  const word = open ? core(open[1]!) : '';
  // A plain word in lower case ("vuid", "m"); a capitalised one is a label ("About: …").
  const plain = /^[a-z][a-z0-9_.-]*$/.test(word) && (word.length === 1 || plainName(word));
  if (!/\p{L}/u.test(word) || (identifierStrength(word) === 'none' && !plain)) return null;
  const k = nextNonBlank(lines, i + 1, 1);
  const field = k < 0 ? null : fieldLabel(lines[k]!, true);
  if (field === null || classifyHeader(field) !== 'lifetime') return null;
  // A plain word above "Retention: 3 years" is data kept ("account", "invoices"); above "Expiry = …", a cookie.
  if (identifierStrength(word) === 'none' && !/expir|lifetime|lifespan|dur[ée]e de vie/i.test(field)) return null;
  const found = fieldLifetimes(lines[k]!.replace('=', ':'))[0];
  const name = declaredName(word);
  if (!found || !name) return null;
  return {
    entry: {
      names: [name],
      vendor: null,
      purpose: lines[i]!.slice(open![0].length - 1).trim(),
      party: 'unspecified',
      storage: 'cookie',
      lifetime: found.lifetime,
      excerpt: `${lines[i]!.trim()} ${lines[k]!.trim()}`,
      lines: [i + 1, k + 1],
      notes: ['Name opening the line that describes it; lifetime read from the field line below.'],
    },
    last: k,
  };
}

// One run of spaces before the end: two in a row ("\s*[,;.]?\s*$") retry each other, quadratic on a long run.
const CODE_ITEM = /^\s*[*•\-–]\s+`([^`\s]+)`(?:\s*\([^()]*\))?(?:[ \t]*[,;.])?[ \t]*$/;

/**
 * A list of code spans under a sentence about storage ("…three keys in the browser's local storage:", then
 * "* `lo-session`", "* `lo-messenger` (only with chat)"): each item one name, with a remark in brackets at most.
 */
function codeList(lines: readonly string[], i: number): { entry: DraftEntry; last: number } | null {
  const leadIn = previousNonBlank(lines, i - 1);
  if (!CODE_ITEM.test(lines[i]!) || leadIn < 0 || CODE_ITEM.test(lines[leadIn]!)) return null;
  if (!STORAGE_WORDS.test(lines[leadIn]!)) return null;
  const names: DeclaredName[] = [];
  let last = i;
  for (let k = i; k < lines.length; k++) {
    if (lines[k]!.trim() === '') continue;
    const item = CODE_ITEM.exec(lines[k]!);
    const name = item && codeNamed(item[1]!) ? declaredName(item[1]!) : null;
    if (!name) break;
    names.push(name);
    last = k;
  }
  if (names.length === 0) return null;
  return {
    entry: storedKeysEntry(names, lines[leadIn]!, lines.slice(leadIn, last + 1).join(' '), [i + 1, last + 1]),
    last,
  };
}

/** Names a sentence about storage lists, kept where it says ("…in the browser's local storage:"), cookies else. */
function storedKeysEntry(names: DeclaredName[], leadIn: string, excerpt: string, span: [number, number]): DraftEntry {
  const said = storageFromLabel(leadIn);
  return {
    ...listedEntry(names, UNKNOWN_LIFETIME, excerpt, span, LISTED_NOTE),
    storage: said === 'unknown' ? 'cookie' : said,
  };
}

const LISTED_NOTE = 'Name listed without a lifetime: none is stated beside it.';

const ASSIGNED_KEY = /^([^\s=]{2,200}) = \S/;
/** A sentence saying that what follows is kept in the browser's storage, as keys. */
const KEYS_LEAD_IN =
  /\b(?:local ?storage|session ?storage|web storage|stockage local|key-value|cl[ée]-valeur|keys|cl[ée]s)\b/i;
const ASSIGNED_VALUE_GOES_ON = /^(?:\s|[}\]])/;

/**
 * Keys listed with the values they hold under a sentence about storage ("…the following key-value pairs are stored in
 * the browser's local storage:", then "Apps/External/Store = {", its value's lines indented, "Store/Notice = …"): two
 * keys at least, each opening its line.
 */
function assignedKeys(lines: readonly string[], i: number): { entry: DraftEntry; last: number } | null {
  if (!ASSIGNED_KEY.test(lines[i]!)) return null;
  const leadIn = previousNonBlank(lines, i - 1);
  if (leadIn < 0 || !lines[leadIn]!.trimEnd().endsWith(':') || !KEYS_LEAD_IN.test(lines[leadIn]!)) return null;
  const names: DeclaredName[] = [];
  let last = i;
  for (let k = i; k < lines.length && k - last <= 50; k++) {
    const line = lines[k]!;
    if (line.trim() === '' || ASSIGNED_VALUE_GOES_ON.test(line)) continue;
    const key = ASSIGNED_KEY.exec(line)?.[1];
    const shaped = key && /\p{L}/u.test(key) && (/[/:]/.test(key) || identifierStrength(key) === 'strong');
    const name = shaped && !isNotACookieName(key) ? declaredName(key) : null;
    if (!name) break;
    names.push(name);
    last = k;
  }
  if (names.length < 2) return null;
  return { entry: storedKeysEntry(names, lines[leadIn]!, lines[leadIn]!, [i + 1, last + 1]), last };
}

/** Names a text lists with nothing said of them but their lifetime, if that: no vendor, purpose, party or storage. */
function listedEntry(
  names: DeclaredName[],
  lifetime: DeclaredLifetime,
  excerpt: string,
  lines: [number, number],
  note: string,
): DraftEntry {
  return {
    names,
    vendor: null,
    purpose: '',
    party: 'unspecified',
    storage: 'cookie',
    lifetime,
    excerpt,
    lines,
    notes: [note],
  };
}

/**
 * Names drafted with an unknown lifetime because nothing beside them says more (a list of names, a name described
 * without a lifetime) are left out where another entry of the text declares them: "_pk_id" in a list of Matomo's
 * cookies, then "_pk_id – 13 mois" further down, is one cookie, of 13 months. The first such mention is kept otherwise.
 */
function withoutRedeclared(entries: readonly DraftEntry[], tentative: ReadonlySet<DraftEntry>): DraftEntry[] {
  const declared = new Set(
    entries.filter((entry) => !tentative.has(entry)).flatMap((entry) => entry.names.map((name) => name.printed)),
  );
  // "the cookies `_ga*`" once `_ga` and `_ga_<container>` are declared: the pattern names those, no other cookie.
  const sorted = [...declared].sort();
  const coversDeclared = (name: string) => {
    if (!name.endsWith('*')) return false;
    const prefix = name.slice(0, -1);
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle]! < prefix) low = middle + 1;
      else high = middle;
    }
    return prefix.length >= 2 && (sorted[low]?.startsWith(prefix) ?? false);
  };
  const kept: DraftEntry[] = [];
  for (const entry of entries) {
    if (!tentative.has(entry)) {
      kept.push(entry);
      continue;
    }
    const names = entry.names.filter((name) => !declared.has(name.printed));
    // Alone, a pattern covering names declared is a mention of them; among other names, one more of the list.
    if (names.every((name) => coversDeclared(name.printed))) continue;
    for (const name of names) declared.add(name.printed);
    if (names.length > 0) kept.push(names.length === entry.names.length ? entry : { ...entry, names });
  }
  return kept;
}

/** The name between a code span's backticks. */
const codeSpanName = (token: string): string => token.slice(token.indexOf('`') + 1, token.lastIndexOf('`'));

const STORAGE_WORDS = /\b(?:cookies?|traceurs?|stockage|storage|localStorage|sessionStorage)\b/i;

const STORAGE_KEY_WORD = /^(?:key|clé|cle|schlüssel|clave|chiave|sleutel)$/i;

/** A quote or a code span around a name: it marks the name as one. */
const QUOTED = /^[‘'"“«`][^\s]+[’'"”»`][,;:.)]{0,2}$/;

/** How many lines apart sibling lists (one under each vendor's heading) stand at most. */
const SIBLING_LIST_GAP = 8;

/**
 * The lines of lists that name cookies as "• name : what it does" items (two items or more, one opening with a name
 * shaped as one): there an item opening with a code in capitals or a plain word ("• JSESSIONID : …", "• route : …")
 * names one too. A list of rights or of data ("• access : …", "• email : …") names none.
 */
function namedItemLines(lines: readonly string[]): Set<number> {
  const named = new Set<number>();
  // "• name : …", and "- name — …" with a dash between.
  const item = (line: string) => /^\s*[•▪◦*·–—-]\s+([^\s:]{2,100})(?:\s?:|\s[—–])\s/.exec(line)?.[1];
  let list: number[] = [];
  let strong = false;
  // Lists under one vendor heading each ("Canny:" over "• __canny_userID : …", "Intercom:" over "• intercom-session :
  // …"): a list shortly after one naming cookies names them too, though none of its items is shaped as a name, when
  // each item's word is written as code is ("intercom-session", not "access").
  let lastNamed = -Infinity;
  let coded = true;
  const close = () => {
    if ((list.length >= 2 && strong) || (list.length > 0 && coded && list[0]! - lastNamed <= SIBLING_LIST_GAP)) {
      for (const k of list) named.add(k);
      lastNamed = list.at(-1)!;
    }
    list = [];
    strong = false;
    coded = true;
  };
  lines.forEach((line, k) => {
    if (line.trim() === '') return;
    const first = item(line);
    if (first === undefined) return close();
    list.push(k);
    const word = core(first);
    strong ||= identifierStrength(word) === 'strong';
    coded &&= /[-_.\d]|[a-z][A-Z]/.test(word);
  });
  close();
  return named;
}

const BRACKETED_ITEM = /([A-Za-z0-9_.\-*#$~]{1,100})[ \t]?\(([^()]{1,40})\)[ \t]*(?:[,;.]|(?:and|et)(?=[ \t])|$)/gy;

/**
 * A line listing cookies each with its lifetime in brackets ("Functional cookies: lang (1 year), theme (6 months),
 * PHPSESSID (session)."): two items or more, each bracket a lifetime and nothing else, one name at least shaped as one;
 * there a plain word ("lang") is a name too. Empty when the line is no such list, or names no plain word.
 */
function bracketedLifetimeList(line: string, i: number): DraftEntry[] {
  const start = /^\s*(?:[^:()]{1,60}:)?\s*/.exec(line)![0].length;
  // "Functional cookies: …": a label saying the items are cookies ("Retention: account (3 years)…" lists data).
  if (line.length > 2000 || !STORAGE_WORDS.test(line.slice(0, start))) return [];
  const items: Array<{ name: string; lifetime: FoundLifetime }> = [];
  BRACKETED_ITEM.lastIndex = start;
  for (let match = BRACKETED_ITEM.exec(line); match; match = BRACKETED_ITEM.exec(line)) {
    const inside = match[2]!.trim();
    const found = findLifetimes(inside);
    if (found.length !== 1 || found[0]!.text.length < inside.length - 2) return [];
    items.push({ name: core(match[1]!), lifetime: found[0]! });
    while (BRACKETED_ITEM.lastIndex < line.length && /\s/.test(line[BRACKETED_ITEM.lastIndex]!))
      BRACKETED_ITEM.lastIndex++;
    if (BRACKETED_ITEM.lastIndex >= line.length) break;
  }
  if (items.length < 2 || BRACKETED_ITEM.lastIndex < line.trimEnd().length) return [];
  const shaped = (name: string) => ['strong', 'technical', 'caps'].includes(identifierStrength(name));
  // Names all shaped as names are read by the line's groups already, with the vendor a label before them gives.
  if (items.every((item) => shaped(item.name)) || !items.some((item) => shaped(item.name))) return [];
  if (!items.every((item) => shaped(item.name) || plainName(item.name))) return [];
  return items.flatMap(({ name, lifetime }) => {
    const declared = declaredName(name);
    const note = 'Listed with its lifetime in brackets, among other names so listed.';
    return declared ? [listedEntry([declared], lifetime.lifetime, line.trim(), [i + 1, i + 1], note)] : [];
  });
}

const BULLETED = /^\s*[•▪◦*·–—-]\s/;
/** A list item naming a group of cookies and what they are ("• Session Cookies: These cookies are temporary…"). */
const GROUP_ITEM = /^\s*[•▪◦*·–—-]\s+[^:]{0,40}\b(?:cookies|traceurs)\s*:/i;

/** A list item of one word ("• PHPSESSID", "• ga48t5th"). */
const ITEM_WORD = /^\s*[•▪◦*·–—-]\s+([A-Za-z0-9_.\-*#$~]{2,60})\s*$/;

/**
 * The items of lists naming one cookie each ("• PHPSESSID", "• SID", "• ga48t5th"): where two items or more of a list
 * are shaped as names, an item in capitals or a plain lower-case word is a name too; beside one, an item in capitals.
 * Under a label saying the list is of cookies ("Cookies pour conserver l'état actif : " / "- contrast"), every plain
 * word is one.
 */
function listedNameLines(lines: readonly string[]): Set<number> {
  const listed = new Set<number>();
  let run: Array<{ line: number; named: boolean; caps: boolean; plain: boolean }> = [];
  let labelled = false;
  // Codes in capitals beside one name ("• HSID", "• __Secure-1PSID"); plain words beside two.
  const close = () => {
    const named = run.filter((item) => item.named).length;
    for (const item of run) {
      if (item.named) continue;
      if ((item.plain && (named >= 2 || (named === 1 && item.caps))) || labelled) listed.add(item.line);
    }
    run = [];
  };
  let lastText = '';
  for (let k = 0; k < lines.length; k++) {
    if (lines[k]!.trim() === '') continue;
    const word = ITEM_WORD.exec(lines[k]!)?.[1];
    const shape = word === undefined ? 'none' : identifierStrength(word);
    const named = shape === 'strong' || shape === 'technical';
    // A plain word written as code ("ga48t5th", "x-ref"), not a word of data kept ("email", "country").
    const plain =
      word !== undefined && (shape === 'caps' || /^[a-z](?=.*[\d_-])[a-z0-9_-]{2,30}$/.test(word)) && plainName(word);
    const anyPlain = word !== undefined && /^[a-z][a-z0-9_-]{1,30}$/.test(word) && plainName(word);
    if (!named && !plain && !anyPlain) {
      close();
      lastText = lines[k]!;
      continue;
    }
    if (run.length === 0) labelled = lastText.length <= 300 && COOKIES_LIST_LABEL.test(lastText);
    run.push({ line: k, named, caps: shape === 'caps', plain });
    lastText = lines[k]!;
  }
  close();
  return listed;
}

/**
 * A line introducing a list of cookies: it opens with the word and ends with a colon ("Cookies pour conserver… :"),
 * not a sentence about what cookies do ("Les cookies nous permettent de :").
 */
const COOKIES_LIST_LABEL = /^\s*(?:[#*]+\s*)?(?:cookies?|traceurs?|t[ée]moins?)\b[^.:]{0,120}:\s*$/i;

/**
 * Lines each opening with a cookie's name, its description after it, with no header and no lifetime (".ASPXANONYMOUS
 * Informasjonskapsel nyttast av ASP.NET…", "lang Informasjonskapsel inneheldt…"): two lines or more in a row, each its
 * name then a capitalised word and more, half the names at least strongly shaped as ones (no vendor's), the others
 * plain words or codes in capitals. The name of each line, by line.
 */
function nameOpenedLines(lines: readonly string[]): Map<number, DeclaredName> {
  const found = new Map<number, DeclaredName>();
  let run: Array<{ line: number; name: string; strong: boolean }> = [];
  const close = () => {
    const strong = run.filter((item) => item.strong).length;
    if (run.length >= 2 && strong * 2 >= run.length) {
      for (const item of run) {
        const name = declaredName(item.name);
        if (name) found.set(item.line, name);
      }
    }
    run = [];
  };
  for (let k = 0; k < lines.length; k++) {
    const opened = /^\s*(\S{2,80}) (\p{Lu}\p{Ll}+)(?: \S+){2,}/u.exec(lines[k]!.slice(0, 400));
    // The word as it stands, no punctuation or Markdown around it ("**Chrome:** Settings → …" is a label).
    const name = opened && core(opened[1]!) === opened[1] && !opened[1]!.endsWith(':') ? opened[1] : undefined;
    const strong = name !== undefined && isStrong(name) && !isNotACookieName(name);
    const plain =
      name !== undefined &&
      (/^[a-z][a-z0-9_-]{1,30}$/.test(name) || identifierStrength(name) === 'caps') &&
      plainName(name);
    if (!strong && !plain) close();
    else run.push({ line: k, name: name!, strong });
  }
  close();
  return found;
}

/** A line holding one word, then a sentence describing it: a term of a definition list, its word the term. */
const TERM_WORD = /^\s*([A-Za-z0-9_.\-*#$~]{2,60})\s*$/;
const DESCRIPTION_OPENING_ARTICLE =
  /^\s*(?:a|an|the|these|this|those|it|they|we|our|un|une|le|la|les|ces|ce|cette|il|ils|elle|nous)\b/i;
/** How far apart, in lines, the terms of one definition list stand at most (a term, its description, a heading). */
const TERM_SPACING = 8;

/**
 * The lines of a text that describes cookies as a definition list, each name alone on its line above a sentence
 * ("KSESSIONID" / "Keeps you signed in…", "timezone" / "Stores your browser's timezone…"): near terms shaped as
 * names (two or more in the list), a term in capitals or a plain lower-case word ("KREMEMBERME", "timezone") names
 * one too. A word ending a wrapped title ("…DE LA CHARTE DE" / "CONFIDENTIALITE"), a capitalised word ("Overview")
 * and the text's own vocabulary are never terms.
 */
function termLines(lines: readonly string[]): Set<number> {
  const terms = listedNameLines(lines);
  let list: Array<{ line: number; named: boolean }> = [];
  const close = () => {
    if (list.filter((term) => term.named).length >= 2) for (const term of list) if (!term.named) terms.add(term.line);
    list = [];
  };
  for (let k = 0; k < lines.length; k++) {
    const word = TERM_WORD.exec(lines[k]!)?.[1];
    if (word === undefined) continue;
    const next = nextNonBlank(lines, k + 1, 1);
    if (next < 0 || (lines[next]!.match(/\p{L}+/gu) ?? []).length < 4) continue;
    // A cookie's description says what it does ("Stores…", "Keeps…"); a glossary's opens with an article ("A way of…").
    const describes = !DESCRIPTION_OPENING_ARTICLE.test(lines[next]!);
    const before = previousNonBlank(lines, k - 1);
    const opens =
      before < 0 || /[.!?:;)"”»]\s*$/.test(lines[before]!) || lines[before]!.trim().split(/\s+/).length <= 3;
    if (!opens) continue;
    const shape = identifierStrength(word);
    const named = shape === 'strong' || shape === 'technical';
    if (!named && !(describes && (shape === 'caps' || /^[a-z][a-z0-9_-]{2,30}$/.test(word)) && plainName(word)))
      continue;
    if (list.length > 0 && k - list.at(-1)!.line > TERM_SPACING) close();
    list.push({ line: k, named });
  }
  close();
  return terms;
}

/** A word a list of named items names a cookie by, though not shaped as one ("JSESSIONID", "route", "X-Uaa-Csrf"). */
function itemName(word: string): boolean {
  const shape = identifierStrength(word);
  return (
    (shape === 'caps' ||
      shape === 'technical' ||
      /^[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+$/.test(word) ||
      /^[a-z][a-z0-9_-]{2,30}$/.test(word)) &&
    plainName(word) &&
    !ITEM_LABEL.test(word)
  );
}
const ITEM_LABEL =
  /^(?:note|nota|important|attention|warning|info|remarque|exemple|example|email|e-mail|nom|name|adresse)$/i;

/**
 * Names a line marks by quoting them, though it states no lifetime: opening the line and followed by what they do
 * ("‘matomo_ignore’, quand vous refusez le suivi", "‘a’, ‘b’ et ‘c’ : quand…"), or after the word cookie ("un
 * cookie tiers ‘_pk_uid’"). Shaped like names all the same (a quoted word is no name).
 */
function quotedNames(line: string, namedItems = false): DeclaredName[] {
  const raw = rawTokens(line);
  const shaped = (token: string) => QUOTED.test(token) && identifierStrength(core(token)) === 'strong';
  const found: string[] = [];
  let j = 0;
  while (j < raw.length && (shaped(raw[j]!) || (found.length > 0 && CONNECTOR.test(raw[j]!)))) {
    if (shaped(raw[j]!)) found.push(core(raw[j]!));
    j++;
  }
  // "• wordpress_[hash] : On login, …", "- _utmb and _utmc - These cookies…": a list item opening with names shaped as
  // ones, then a colon or a dash and what they do.
  let listItem = false;
  // "_pk_cvar – These are only used when…": a line opening with a name strongly shaped as one, a dash after it, is
  // such an item too.
  // So is one opening with such a name and a colon ("_gat: Used to limit…"), or with a code in capitals its
  // description says is a cookie ("PHPSSESID: This is the session cookie…").
  const first = core(raw[0] ?? '');
  const dashed =
    (/^\s*[^\s•▪◦*·–—-]\S*\s+[–—-]\s+\S/.test(line) && isStrong(first)) ||
    (/^\s*[^\s•▪◦*·–—-][^\s:]*:\s+\S/.test(line) &&
      (isStrong(first) ||
        (['caps', 'technical'].includes(identifierStrength(first)) &&
          raw.slice(1, 8).some((word) => COOKIE_WORD.test(core(word))))) &&
      !isNotACookieName(first));
  if (found.length === 0 && (/^\s*[•▪◦*·–—-]\s/.test(line) || dashed) && raw.length > 2) {
    const listed: string[] = [];
    let k = 0;
    let separated = false;
    for (; k < raw.length && !separated; k++) {
      const word = raw[k]!.replace(/:$/, '');
      // In code, a technical word is one too ("* `PHPSESSID`: …"); capitals alone may be a glossary's ("`GDPR`").
      const coded =
        k === 0 &&
        QUOTED.test(word) &&
        word.startsWith('`') &&
        ['strong', 'technical'].includes(identifierStrength(core(word)));
      const named =
        identifierStrength(core(word)) === 'strong' ||
        coded ||
        (k === 0 && dashed) ||
        (namedItems && k === 0 && itemName(core(word)));
      if (/^[^\s:]+$/.test(word) && named) listed.push(core(word));
      else if (!(listed.length > 0 && CONNECTOR.test(word))) break;
      separated = raw[k]!.endsWith(':');
    }
    // A colon is a token of its own; a dash, a bullet's shape, is none: it is read in the line after the last name.
    if (!separated && listed.length > 0 && raw[k] === ':') {
      separated = true;
      k++;
    } else if (!separated && listed.length > 0) {
      const last = raw[k - 1]!;
      separated = /^\s+[–—-]\s+\S/.test(line.slice(line.indexOf(last) + last.length));
    }
    if (separated && k < raw.length) {
      found.push(...listed);
      j = k;
      listItem = true;
    }
  }
  // "MATOMO_SESSID, matomo_lang, _pk_ * and the like are cookies set by Matomo": names listed at the start of a
  // sentence saying they are cookies.
  if (found.length === 0) {
    const listed = namesSaidCookies(raw);
    if (listed.length > 0) return listed;
    const labelled = namesAfterCookiesLabel(raw);
    if (labelled.length > 0) return labelled;
    const itemised = namesAfterItemLabel(line);
    if (itemised.length > 0) return itemised;
    const called = namesCalled(raw);
    if (called.length > 0) return called;
  }
  // The names open the line and something follows them: a colon, or a comma then words.
  const opened =
    listItem ||
    (found.length > 0 &&
      j < raw.length - 1 &&
      (raw[j] === ':' || /[,:]$/.test(raw[j - 1]!) || raw[j] === '–' || raw[j - 1] === ':'));
  const names = opened ? [...found] : [];
  // A code span anywhere in a sentence about cookies or storage ("session de connexion (`sb-…-auth-token`, …)").
  const aboutStorage = STORAGE_WORDS.test(line);
  raw.forEach((token, k) => {
    if (k < (opened ? j : 0)) return;
    if (shaped(token) && raw.slice(Math.max(0, k - 3), k).some((w) => COOKIE_WORD.test(core(w))))
      names.push(core(token));
    // "saved in localStorage … under the key qtt_consent_v1": a storage key named as one.
    else if (
      aboutStorage &&
      k > 2 &&
      STORAGE_KEY_WORD.test(core(raw[k - 1]!)) &&
      /^(?:the|la|le|der|dem|den)$/i.test(raw[k - 2]!) &&
      /^(?:under|sous|unter|bajo|sotto|onder)$/i.test(raw[k - 3]!) &&
      identifierStrength(core(token)) === 'strong'
    )
      names.push(core(token));
    else if (
      aboutStorage &&
      CODE_SPAN.test(token) &&
      codeNamed(codeSpanName(token)) &&
      !(opened && found.includes(codeSpanName(token))) &&
      // "the property, `com.example.shardName`", "the `server.properties` file": code naming some other thing.
      !CODE_THING.test(core(raw[k - 1] ?? '')) &&
      !CODE_THING.test(core(raw[k + 1] ?? ''))
    )
      names.push(codeSpanName(token));
  });
  return names
    .filter((name) => !isNotACookieName(name))
    .map((name) => declaredName(name))
    .filter((name): name is DeclaredName => name !== null);
}

/**
 * "• Visitor session cookie (joomla_user_state)" then "Lifespan: for the duration of the user’s session": a name in
 * brackets after the word cookie, its lifetime on the next line's lifetime field ("Lifespan:", "Durée :", "Expiry:").
 */
function bracketedNameAboveLifetime(lines: readonly string[], i: number): { entry: DraftEntry; last: number } | null {
  const raw = rawTokens(lines[i]!);
  const at = raw.findIndex(
    (token, j) =>
      /^\([^()\s]+\)[,;:.]?$/.test(token) &&
      raw.slice(Math.max(0, j - 4), j).some((before) => COOKIE_WORD.test(core(before))),
  );
  if (at < 0) return null;
  const name = core(raw[at]!).slice(1);
  if (identifierStrength(name) !== 'strong' || isNotACookieName(name)) return null;
  const k = nextNonBlank(lines, i + 1, 1);
  const label = k < 0 ? undefined : /^\s*([\p{L}][\p{L} ]{0,30}?)\s*:/u.exec(lines[k]!)?.[1];
  if (label === undefined || classifyHeader(label) !== 'lifetime') return null;
  const found = fieldLifetimes(lines[k]!);
  const declared = declaredName(name);
  if (found.length === 0 || !declared) return null;
  return {
    entry: {
      names: [declared],
      vendor: null,
      purpose: lines[i]!.replace(raw[at]!, '')
        .replace(/^[\s•▪◦*·–—-]+/, '')
        .replace(/\s+/g, ' ')
        .trim(),
      party: 'unspecified',
      storage: 'cookie',
      lifetime: found[0]!.lifetime,
      excerpt: `${lines[i]!.trim()} ${lines[k]!.trim()}`,
      lines: [i + 1, k + 1],
      notes: ['Name in brackets after the word cookie; lifetime read from the field on the next line.'],
    },
    last: k,
  };
}

/**
 * What follows a list of names to say they are cookies ("… are cookies set by Matomo", "… sont des cookies de…"), or
 * who sets them, after a dash ("… - used by Google Analytics to…").
 */
const SAID_COOKIES =
  /^(?:(?:(?:and|et) (?:the like|similar|similaires|autres) )?(?:are|sont) (?:(?:des|the|all|tous) )?(?:cookies|traceurs)\b|(?:[-–—:] )?(?:used|set|placed|utilis[ée]s|d[ée]pos[ée]s) (?:by|par)\b)/i;

/**
 * Two names or more opening a line, a comma or "and" between them, that the rest of the sentence says are cookies
 * ("MATOMO_SESSID, matomo_lang, _pk_ * and the like are cookies set by Matomo"): names of unknown lifetime. A lone
 * "*" after a name ending in "_" or "." is its wildcard, a space apart ("_pk_ *").
 */
function namesSaidCookies(raw: readonly string[]): DeclaredName[] {
  const names: string[] = [];
  let j = 0;
  while (j < raw.length && names.length < 50) {
    let word = core(raw[j]!);
    let last = raw[j]!;
    if (/[_.]$/.test(word) && /^\*[,;]?$/.test(raw[j + 1] ?? '')) {
      word += '*';
      last = raw[++j]!;
    }
    if (identifierStrength(word) !== 'strong' || isNotACookieName(word)) break;
    names.push(word);
    j++;
    if (/,$/.test(last)) continue;
    if (CONNECTOR.test(raw[j] ?? '') && identifierStrength(core(raw[j + 1] ?? '')) === 'strong') {
      j++;
      continue;
    }
    break;
  }
  if (names.length < 2 || !SAID_COOKIES.test(raw.slice(j, j + 6).join(' '))) return [];
  return names.map((name) => declaredName(name)).filter((name): name is DeclaredName => name !== null);
}

/** "called", "named", "nommé", "genannt", "llamada": a word naming what the cookie before it is called. */
const CALLED = /^(?:called|named|nomm[ée]e?s?|appel[ée]e?s?|genannt|llamad[ao]s?|denominad[ao]s?|chiamat[oi])$/i;

/**
 * Whether the sentence gives raw[j] as a cookie's name, unquoted or quoted ("one cookie called csrftoken which…",
 * "Another cookie we store is sessionid ,", "a cookie called 'refdom'"): after "cookie called" or "cookie we store is",
 * shaped as a name (a technical word or a code in capitals will do, a plain word quoted), not a kind of cookies
 * ("cookies called HTTP cookies").
 */
function calledAt(raw: readonly string[], j: number): boolean {
  const before = core(raw[j - 1] ?? '').toLowerCase();
  const said =
    (CALLED.test(before) && COOKIE_WORD.test(core(raw[j - 2] ?? ''))) ||
    (before === 'is' &&
      COOKIE_WORD.test(core(raw[j - 4] ?? '')) &&
      /^we$/i.test(raw[j - 3] ?? '') &&
      /^(?:store|set|use|place)$/i.test(raw[j - 2] ?? ''));
  if (!said || COOKIE_WORD.test(core(raw[j + 1] ?? ''))) return false;
  const name = core(raw[j]!);
  const quoted = QUOTED.test(raw[j]!) && plainName(name);
  // After "is", a code in capitals may be what the cookie is ("The only cookie we use is GDPR-compliant").
  const shape = identifierStrength(name);
  const shaped = before === 'is' ? shape === 'strong' || shape === 'technical' : shape !== 'none';
  return (shaped || quoted) && !isNotACookieName(name);
}

/** The name a sentence gives a cookie ("one cookie called csrftoken which…"), as `calledAt` reads it. */
function namesCalled(raw: readonly string[]): DeclaredName[] {
  for (let j = 2; j < raw.length; j++) {
    if (!calledAt(raw, j)) continue;
    const declared = declaredName(core(raw[j]!));
    return declared ? [declared] : [];
  }
  return [];
}

// "…have the following names: _ga, _gat.": the names a sentence about cookies announces.
const COOKIES_LABEL =
  /^(?:(?:cookies?|traceurs?)(?:\s+(?:set|used|placed|dropped|stored|d[ée]pos[ée]s|utilis[ée]s))?|looks like|following names|names|noms suivants):$/i;

/**
 * The names after a "Cookies set:" label inside a line ("…loaded from connect.example.net. Cookies set: _fbp, …"):
 * the label says what the names are, so one is enough; the names shaped as ones, a comma or "and" apart.
 */
function namesAfterCookiesLabel(raw: readonly string[]): DeclaredName[] {
  for (let k = 0; k < raw.length - 1; k++) {
    const label = /:$/.test(raw[k]!) ? raw[k]! : null;
    const pair = k > 0 && label ? `${raw[k - 1]} ${label}` : null;
    if (!label || !(COOKIES_LABEL.test(label) || (pair !== null && COOKIES_LABEL.test(pair)))) continue;
    // "…have the following names:" of cookies only, the sentence saying so ("the fields, with these names:" are data).
    if (/^names?:$/i.test(label) && !raw.slice(0, k).some((word) => COOKIE_WORD.test(core(word)))) return [];
    const names: DeclaredName[] = [];
    for (let j = k + 1; j < raw.length && names.length < 50; j++) {
      const word = core(raw[j]!);
      if (names.length > 0 && CONNECTOR.test(word)) continue;
      const name = identifierStrength(word) === 'strong' && !isNotACookieName(word) ? declaredName(word) : null;
      if (!name) break;
      names.push(name);
      // "__utmz Or this; _ga, _gid": another list of names offered after the first.
      if (CONNECTOR.test(raw[j + 1] ?? '') && /^\p{L}+[;:]$/u.test(raw[j + 2] ?? '')) j += 2;
      else if (!/,$/.test(raw[j]!) && !CONNECTOR.test(raw[j + 1] ?? '')) break;
    }
    return names;
  }
  return [];
}

const LABELLED_ITEM = /^\s*[•▪◦*·–—-]\s+[^:]{2,60}:\s+(\S.{0,2000})$/;

/**
 * A list item whose label is followed by names only, a comma apart ("• Security and fraud detection: XSRF-TOKEN, HS,
 * TS* cookies"): two at least, most shaped as names, none a word of prose; "cookies" may end the list. One alone is a
 * name when written as code only is, an underscore or a wildcard in it ("• Site experiments: _wixAB3*."), never a
 * word a capital inside makes strong ("• Provider: DoubleClick").
 */
function namesAfterItemLabel(line: string): DeclaredName[] {
  const listed = LABELLED_ITEM.exec(line)?.[1];
  if (!listed) return [];
  const words = listed
    .replace(/[.;]?\s*$/, '')
    .replace(/\s+(?:cookies?|traceurs?)$/i, '')
    .split(/\s*,\s*|\s+(?:and|et|&)\s+/);
  // Not a word in Markdown's emphasis ("- Category: _Necessary_"), nor a field of some other column ("- Purpose: …",
  // "- Storage: localStorage_*").
  const label = /^\s*[•▪◦*·–—-]\s+([^:]{2,60}):/.exec(line)![1]!;
  const single =
    words.length === 1 &&
    /[_*]/.test(words[0]!) &&
    !/^([_*]).*\1$/.test(words[0]!) &&
    !['purpose', 'category', 'type', 'lifetime', 'vendor', 'other'].includes(classifyHeader(label) ?? '') &&
    !/\b(?:storage|stockage|speicher)\b/i.test(label) &&
    isStrong(words[0]!) &&
    !isNotACookieName(words[0]!);
  if (single) return [declaredName(words[0]!)].filter((name): name is DeclaredName => name !== null);
  if (words.length < 2 || words.length > 50) return [];
  const strong = words.filter((word) => identifierStrength(word) === 'strong').length;
  const shaped = (word: string) =>
    /^[A-Za-z0-9_.\-*#$~]+$/.test(word) &&
    (identifierStrength(word) !== 'none' ||
      /^[A-Z]{2,}$/.test(word) ||
      /\*$/.test(word) ||
      /^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)+$/.test(word)) &&
    !isNotACookieName(word);
  if (strong * 2 < words.length || !words.every(shaped)) return [];
  return words.map((word) => declaredName(word)).filter((name): name is DeclaredName => name !== null);
}

const ITALIC_WORD_LINE = /^(\s*)_(?!_)(\S{1,200}?)(?<!\\)_(?=\s*(?::\s*)?$)/;

/**
 * Markdown's italics around a line of one word ("_\\_\\_Host-auth.csrf-token_", "_app:v2:token_"): the word. Only where
 * it shows it is no name of underscores ("_gac_", "_hjSession_", "_BEAMER_USER_ID_" are ones): an escape or a colon
 * in the word, or a source escaping its underscores elsewhere (`escaping`), whose names of underscores are escaped.
 */
function withoutItalicWordLine(line: string, escaping: boolean): string {
  if (line.length > 250) return line;
  return line.replace(ITALIC_WORD_LINE, (whole, space: string, word: string) =>
    escaping || /[\\:]/.test(word) ? `${space}${word}` : whole,
  );
}

/** Markdown's escapes (`\_ga`, `_ga\_\*`): the character itself. "\|" stays, a bar inside a table's cell. */
function withoutMarkdownEscapes(line: string): string {
  return line.includes('\\') ? line.replace(/\\([_*`#[\]<>{}()\-.!~+])/g, '$1') : line;
}

/** A name glued to a French word before it ("désactivation_pk_hsr"): a cookie name has no accented letter. */
const ACCENTED_HEAD = /^(\p{L}*[\u00C0-\u024F]\p{L}*)(_[A-Za-z0-9_.\-*#$]+)$/u;

const GLUED_NAME_LABEL = /[\p{Ll}.)](?=(?:Name|Nom|Cookie name|Nom du cookie): \S)/u;

/**
 * Line breaks a copy lost between the items of a list, put back: a name glued to the parenthesis closing the item
 * before it ("…du visiteur)_pk_ref", then "– 6 mois" on the next line), and a name ending a line of prose whose next
 * line opens with a comma (", lorsque vous…"): that line is the name's own item ("…iframe opt-out .matomo_sessid",
 * then ", lorsque vous utilisez…"). `origin` gives each line's line in the input.
 */
function restoreListBreaks(input: readonly string[]): { lines: string[]; origin: number[] } {
  const lines: string[] = [];
  const origin: number[] = [];
  const push = (line: string, at: number) => {
    lines.push(line);
    origin.push(at);
  };
  // The next line with text after each line, found once from the end: a search from each line was quadratic.
  const next: Array<string | undefined> = [];
  for (let at = input.length - 1, seen: string | undefined; at >= 0; at--) {
    next[at] = seen;
    if (input[at]!.trim() !== '') seen = input[at];
  }
  input.forEach((line, at) => {
    // "…when the cart changesName: woocommerce_items_in_cart": a record's "Name:" glued to the sentence before it.
    const glued = line.length <= 5000 ? GLUED_NAME_LABEL.exec(line) : null;
    if (glued && glued.index > 0) {
      push(line.slice(0, glued.index + 1), at);
      push(line.slice(glued.index + 1), at);
      return;
    }
    // By hand: /^(.*\S\))(name)$/ would try the rest of the line from every ")" of it.
    const trimmed = line.trimEnd();
    const close = trimmed.lastIndexOf(')');
    const tail = trimmed.slice(close + 1);
    if (
      close > 0 &&
      /\S/.test(trimmed[close - 1]!) &&
      /^[A-Za-z_][A-Za-z0-9_.\-*#$]*$/.test(tail) &&
      identifierStrength(tail) === 'strong'
    ) {
      push(trimmed.slice(0, close + 1), at);
      push(tail, at);
      return;
    }
    const words = next[at] !== undefined && /^\s*[,;]/.test(next[at]!) ? line.trim().split(/\s+/) : [];
    if (words.length >= 4) {
      const last = words.at(-1)!;
      const accented = last.length <= 200 ? ACCENTED_HEAD.exec(last) : null;
      const name = accented ? accented[2]! : last.replace(/^\.(?=[a-z][a-z0-9]*_)/, '');
      if (identifierStrength(name) === 'strong' && !isNotACookieName(name)) {
        push(line.slice(0, line.lastIndexOf(last)) + (accented ? accented[1]! : ''), at);
        push(name, at);
        return;
      }
    }
    push(line, at);
  });
  return { lines, origin };
}

/** Line numbers (1-based) of the restored lines, as lines of the input. */
function inputLines(span: [number, number] | undefined, origin: readonly number[]): [number, number] | undefined {
  return span ? [origin[span[0] - 1]! + 1, origin[span[1] - 1]! + 1] : undefined;
}

/** A line naming which cookies follow ("Cookies tiers", "Cookies internes nécessaires et fonctionnels"). */
function partyLabel(line: string): Party | null {
  const words = line.trim().split(/\s+/);
  if (words.length > 6 || !/^cookies?$/i.test(words[0] ?? '')) return null;
  const party = partyFromLabel(line);
  return party === 'unspecified' ? null : party;
}

/** What a policy text declares, before it becomes a draft (the policy-page extractor reuses it for prose). */
export interface PolicyTextReading {
  entries: DraftEntry[];
  rules: DraftRule[];
  consentRules: DraftConsentRule[];
  notUnderstood: NotUnderstood[];
  title: string | undefined;
  language: string;
  notes: string[];
}

export function readPolicyText(input: string): PolicyTextReading {
  products = productWords(input);
  try {
    return readRestored(withoutTags(input));
  } finally {
    products = new Set();
  }
}

/**
 * A Markdown page's front matter ("---" / "title: Cookies" / "tags: Cookies, Session" / "---"): its fields are the
 * page's settings, no declaration, and are left out, line for line. Their nested lines stay: a block of text a field
 * holds ("body: |" then indented lines) or data ("cookies:" / "  - name: site_session") is the page's own. Only where every line between the fences is a field (its key in
 * lower case), a field's nested line, or an item of a field's list: records a rule apart ("---" / "Name: _ga") and a
 * list after a rule ("- _ga: …") are text.
 */
export function withoutFrontMatter(input: string): string {
  if (!/^---[ \t]*\r?\n/.test(input)) return input;
  const lines = input.split('\n');
  const close = lines.findIndex((line, k) => k > 0 && /^---[ \t]*\r?$/.test(line));
  if (close < 0) return input;
  let listed = false;
  for (let k = 1; k < close; k++) {
    const line = lines[k]!;
    const indent = line.length - line.trimStart().length;
    const field = /^[a-z_][\w.-]*:(?:\s|$)/.test(line);
    const item = /^\s*- /.test(line) && (listed || indent > 0);
    if (!field && !item && indent === 0 && line.trim() !== '') return input;
    if (field) listed = /:\s*$/.test(line);
    // Nested lines stay: they may be the page's data ("cookies:" / "  - name: site_session" / "    expiry: session").
    if (indent === 0) lines[k] = '';
  }
  lines[0] = '';
  lines[close] = '';
  return lines.join('\n');
}

/**
 * Markdown's italics around a phrase of words ("*Profil → Vider le cache*") without their stars; a star of a name
 * ("_ga_*", "*_session") stays. By one pass from star to star: a regex's lazy runs rescan a long line.
 */
function withoutItalics(line: string): string {
  if (!line.includes('*')) return line;
  const word = (char: string | undefined) => char !== undefined && /[\w*]/.test(char);
  let out = '';
  let from = 0;
  for (let open = line.indexOf('*'); open >= 0;) {
    const close = line.indexOf('*', open + 1);
    if (close < 0) break;
    const inner = line.slice(open + 1, close);
    const italics =
      !word(line[open - 1]) &&
      !word(line[close + 1]) &&
      /^\S/.test(inner) &&
      /\S$/.test(inner) &&
      /\s/.test(inner) &&
      !inner.includes('\n');
    if (italics) {
      out += line.slice(from, open) + inner;
      from = close + 1;
      open = line.indexOf('*', close + 1);
    } else open = close;
  }
  return out + line.slice(from);
}

/** Without the spaces inside guillemets: by trimming each part, as a regex over a long run of spaces backtracks. */
function tightGuillemets(line: string): string {
  if (!line.includes('«') && !line.includes('»')) return line;
  const closed = line
    .split('»')
    .map((part, k, all) => (k < all.length - 1 ? part.trimEnd() : part))
    .join('»');
  return closed
    .split('«')
    .map((part, k) => (k > 0 ? part.trimStart() : part))
    .join('«');
}

/**
 * "Cookie Name - CFID, CFTOKEN Description - These… Expiry - 30 years": a row's fields labelled with a dash, as a
 * colon labels them elsewhere. Read with colons when the line has two such labels at least, one naming the cookie.
 */
function withColonLabels(line: string): string {
  if (line.length > 5000 || !/\s[-–—]\s/.test(line)) return line;
  const parts = line.split(/\s[-–—]\s/);
  const labelled: boolean[] = [];
  let named = false;
  for (let k = 0; k < parts.length - 1; k++) {
    const words = parts[k]!.trim().split(/\s+/);
    let column: string | null = null;
    for (let n = 1; n <= Math.min(3, words.length) && column === null; n++)
      column = classifyHeader(words.slice(-n).join(' '));
    labelled.push(column !== null && column !== 'other');
    if (column === 'name') named = true;
  }
  if (!named || labelled.filter(Boolean).length < 2) return line;
  return parts.reduce((text, part, k) => `${text}${labelled[k - 1] ? ' : ' : ' - '}${part}`);
}

/** The text read with the line breaks a copied list lost put back, each entry's lines those of the input. */
function readRestored(input: string): PolicyTextReading {
  const escaping = input.includes('\\_');
  const { lines, origin } = restoreListBreaks(
    input
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => withoutItalicWordLine(line, escaping))
      .map(withoutMarkdownEscapes)
      .map(withColonLabels)
      // "2. PHPSESSID", "3) _ga", "#1) swpm_session": a numbered list's item reads as a bulleted one.
      .map((line) => line.replace(/^(\s*)#?\d{1,3}[.)][ \t]+(?=\S)/, '$1• '))
      // Markdown's italics around words ("*Profil → Vider le cache*"): a leading "*" would read as a wildcard name.
      .map(withoutItalics)
      // Markdown's bold around a code span ("__`_ga`__", "**`PHPSESSID`**"): the code span is the name.
      .map((line) => (line.includes('`') ? line.replace(/(\*\*|__)(`[^`\s]{1,100}`)\1/g, '$2') : line))
      // French typography spaces its guillemets ("« _ga »"): the quoted word is one token, as "«_ga»" is.
      .map(tightGuillemets),
  );
  const read = readLines(lines, input, origin);
  const remap = <T extends { lines?: [number, number] }>(item: T): T => {
    const span = inputLines(item.lines, origin);
    return span ? { ...item, lines: span } : item;
  };
  return {
    ...read,
    entries: read.entries.map((entry) => {
      const mapped = remap(entry);
      return entry.consent ? { ...mapped, consent: remap(entry.consent) } : mapped;
    }),
    rules: read.rules.map(remap),
    consentRules: read.consentRules.map(remap),
  };
}

/**
 * HTML tags left in a pasted text ("<b>_ga</b>: 2 years</p>"): inline ones dropped, block ones ending the line; a
 * "<br>" in a line of bars stays (a Markdown cell's line break).
 */
function withoutTags(input: string): string {
  if (!input.includes('<')) return input;
  return withoutScripts(input)
    .replace(/<\/?(?:b|strong|i|em|span|a|u|code|small|mark|abbr)(?:\s[^<>]{0,300})?>/gi, '')
    .replace(/<\/?(?:p|div|li|ul|ol|h[1-6]|section|article|tr|table|tbody|thead)(?:\s[^<>]{0,300})?>/gi, '\n')
    .replace(/^[^|\n]*$/gm, (line) => line.replace(/<br\s*\/?>/gi, '\n'));
}

/**
 * A page's scripts and styles in a text or Markdown source ("<script>… const nameEQ = name + '=' …</script>"): code, no
 * declaration; blanked line for line. By searching from each opening to its closing once: a lazy regex rescans the
 * rest of the text from each unclosed opening.
 */
function withoutScripts(input: string): string {
  const lower = input.toLowerCase();
  const opening = /<(?:script|style)\b/g;
  let out = '';
  let from = 0;
  for (let found = opening.exec(lower); found; found = opening.exec(lower)) {
    const close = lower.indexOf(lower.startsWith('<script', found.index) ? '</script' : '</style', found.index);
    if (close < 0) break;
    const end = lower.indexOf('>', close);
    const stop = end < 0 ? lower.length : end + 1;
    out += input.slice(from, found.index) + input.slice(found.index, stop).replace(/[^\n]/g, '');
    from = opening.lastIndex = stop;
  }
  return out + input.slice(from);
}

/**
 * Words the text being read uses as a product's name ("the ShareThis service"), set while it is read: tokenize, deep
 * in the readings, leaves them out of the names.
 */
let products = new Set<string>();

/** The reading of the restored lines; `origin` gives each one's line in the input. */
function readLines(lines: string[], input: string, origin: readonly number[]): PolicyTextReading {
  const entries: DraftEntry[] = [];
  const tentative = new Set<DraftEntry>();
  const notUnderstood: NotUnderstood[] = [];
  // Tables with " | " between cells or one cell per line are read row by row, then left out of the other readings.
  const textTables = readTextTables(lines);
  for (const table of textTables) {
    for (const row of table.rows) {
      const made = rowEntries(row);
      const span: [number, number] = [table.from + 1, table.to + 1];
      entries.push(
        ...made.entries.map((entry) => ({
          ...entry,
          lines: span,
          ...(entry.consent ? { consent: { ...entry.consent, lines: span } } : {}),
        })),
      );
      notUnderstood.push(...made.problems);
    }
    lines.fill('', table.from, table.to + 1);
  }
  const regions = tableRegions(lines);
  const namedItems = namedItemLines(lines);
  const terms = termLines(lines);
  const describedRows = nameOpenedLines(lines);

  for (const region of regions) {
    // "Name Description Expiration": each row starts with its name; "Provider Cookie name Cookie type Expiration
    // Purpose": its second word is the name, after the provider's one word ("Avokaado t Performance 30 days…").
    const kinds = normalWords(lines[region.header]!)
      .map((word) => HEADER_WORDS.find(([pattern]) => pattern.test(word))?.[1])
      .filter((kind) => kind !== 'filler');
    const rowNameAt = kinds[0] === 'vendor' && kinds[1] === 'name' ? 1 : 0;
    const rowNames = kinds[rowNameAt] === 'name';
    const timeless = !kinds.includes('lifetime');
    const tokens = tokenize(lines, region.header + 1, region.end, true, rowNames, timeless, rowNameAt);
    const firstName = tokens.findIndex((token) => token.name);
    if (firstName < 0) {
      notUnderstood.push({
        text: lines[region.header]!.trim(),
        reason: 'a cookie table header, but no cookie name recognised in the rows below it',
      });
      continue;
    }
    for (const lifetime of findLifetimes(textOf(tokens.slice(0, firstName)))) {
      notUnderstood.push({ text: lifetime.text, reason: 'lifetime in the cookie table in a row that names no cookie' });
    }
    let party: Party = 'unspecified';
    let partyFrom = region.header;
    for (const group of groups(tokens, lines, region.header)) {
      for (let k = partyFrom; k < group.names[0]!.line; k++) party = partyLabel(lines[k]!) ?? party;
      partyFrom = group.names[0]!.line;
      const made = groupEntries(group, party);
      if (titleOfNextTable(lines, group, made.entries)) continue;
      entries.push(...made.entries);
      for (const lifetime of made.unused) {
        notUnderstood.push({
          text: lifetime.text,
          reason: 'lifetime in the cookie table not attached to any name (a row that names no cookie?)',
        });
      }
    }
  }

  // Names a table gives a lifetime: a sentence of prose naming them again ("…kept 12 months in the cookie
  // `ars_consent`… proof of consent kept up to 26 months") restates them, or speaks of something else's retention.
  const tabled = new Set(
    entries
      .filter((entry) => entry.lifetime && entry.lifetime.parsed.kind !== 'unknown')
      .flatMap((entry) => entry.names.map((name) => name.printed)),
  );
  const untabled = (entry: DraftEntry) => !entry.names.every((name) => tabled.has(name.printed));

  // Outside tables: a line naming cookie-like identifiers and stating a lifetime.
  // Marked once: a search of the regions for each line was quadratic in a text of many table headers.
  const inRegion = new Uint8Array(lines.length);
  for (const region of regions) inRegion.fill(1, region.header, region.end);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inRegion[i]) continue;
    if (findLifetimes(line).length === 0) {
      const heading = nameHeadingEntry(lines, i, terms);
      if (!heading) {
        const bracketed = bracketedNameAboveLifetime(lines, i);
        if (bracketed) {
          entries.push(bracketed.entry);
          i = bracketed.last;
          continue;
        }
        const described = describedAboveLifetimeField(lines, i);
        if (described) {
          entries.push(described.entry);
          i = described.last;
          continue;
        }
        const listed = codeList(lines, i) ?? assignedKeys(lines, i);
        if (listed) {
          entries.push(listed.entry);
          tentative.add(listed.entry);
          i = listed.last;
          continue;
        }
        const opening = describedRows.get(i);
        const quoted = opening ? [opening] : quotedNames(line, namedItems.has(i));
        if (quoted.length === 0) continue;
        const entry: DraftEntry = {
          names: quoted,
          vendor: null,
          purpose: '',
          party: 'unspecified',
          storage: 'cookie',
          lifetime: UNKNOWN_LIFETIME,
          excerpt: line,
          lines: [i + 1, i + 1],
          notes: [LISTED_NOTE],
        };
        entries.push(entry);
        tentative.add(entry);
        continue;
      }
      for (const entry of heading.entries) {
        entries.push(entry);
        if (entry.lifetime?.parsed.kind === 'unknown') tentative.add(entry);
      }
      // The lines its names and lifetime came from are read: a name list below the first name is not read again.
      i = heading.last;
      continue;
    }
    const tokens = tokenize(lines, i, i + 1, false);
    // "Session ID" alone: the lifetime word is the name's own, and the line states none beside it.
    let bare = line;
    for (const token of tokens) if (token.name) bare = bare.split(token.name.printed).join(' ');
    if (findLifetimes(bare).length === 0) {
      const heading = nameHeadingEntry(lines, i, terms);
      if (heading) entries.push(...heading.entries);
      if (heading) i = heading.last;
      continue;
    }
    const listed = bracketedLifetimeList(line, i);
    if (listed.length > 0) {
      entries.push(...listed);
      continue;
    }
    for (const group of groups(tokens, lines, i)) {
      for (const entry of groupEntries(group, 'unspecified').entries) if (untabled(entry)) entries.push(entry);
    }
  }

  const title = lines.map((line) => line.trim()).find((line) => (line.match(/\p{L}{2,}/gu) ?? []).length >= 3);
  const declared = withoutRedeclared(entries, tentative);
  entries.length = 0;
  // One at a time: spread into push, a text of a hundred thousand names overflows the call stack.
  for (const entry of declared) entries.push(entry);
  if (entries.length === 0) {
    notUnderstood.push({ text: excerptOf(title ?? input.slice(0, 200)), reason: 'no cookie name found in the text' });
  }
  return {
    entries,
    rules: rules(lines),
    consentRules: consentRules(lines),
    notUnderstood,
    title,
    language: guessLanguage(input),
    notes:
      regions.length > 0
        ? [`Cookie table(s) read from line(s) ${regions.map((r) => origin[r.header]! + 1).join(', ')}.`]
        : [],
  };
}

export function extractPolicyText(input: string, options: ExtractOptions): ExtractionResult {
  return buildDraft({ extractor: EXTRACTOR, ...readPolicyText(input) }, options);
}
