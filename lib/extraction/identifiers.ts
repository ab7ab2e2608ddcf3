import { KNOWN_COOKIES } from '../vendors/known-cookies';
/**
 * Telling cookie names from the words around them, by their shape only (no list of known names: a policy's own
 * names must be found the same way whoever the vendor is).
 *
 * - strong: cannot be an ordinary word: an underscore (`_pk_id#`, `JWT_TOKEN`), a `*` or trailing `#` placeholder,
 *   a dot inside a name (`AspNetCore.Session`, `.ASPXANONYMOUS`), mixed case inside the word (`aReponduEnquete…`,
 *   `ARRAffinity`), or an upper-case part joined to a capitalised one (`XSRF-Token`);
 * - technical: an ordinary-looking word that is a technical compound (`Jsessionid`, `Csrf token`): a session, user,
 *   client, visitor, consent, CSRF… stem ending in id, key or token;
 * - caps: an all-capitals code (`WID`, `TCID`), accepted only where a table lists names one per line;
 * - none: anything else, including domains, file names, e-mail addresses, URLs and codes without letters.
 */
export type Strength = 'strong' | 'technical' | 'caps' | 'none';

const GLUED_LABEL =
  /^(?:names?|noms?|cookies?|keys?|cl[ée]s?|expiry|expires?|expiration|duration|dur[ée]e|lifetime|lifespan|retention|type|purpose|finalit[ée]|domain|domaine|provider|vendor|category|value|valeur|session|storage|local ?storage|session ?storage|http|https):/i;
const ALLOWED = /^[A-Za-z0-9_.\-#*$~]+(?::[A-Za-z0-9_.\-#*$~]+){0,4}$/;
const DOMAIN_OR_FILE =
  /^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.(fr|com|net|org|eu|io|de|uk|be|ch|info|gouv|gov|html?|php|aspx?|js|css|pdf|json|xml|png|jpe?g|gif|svg)$/i;
const HYPHENED_PART =
  /^(?:[a-z0-9]*cookies?[a-z0-9]*|consent|sess|token|auth|cart|prefs?|preferences?|settings|banner|notice|gdpr|rgpd|uid|sid|optout|accepted)$/;
const TECHNICAL =
  /(session|sess|user|client|visitor|visit|device|consent|csrf|xsrf|auth|login|cart|lang|locale)_?(id|key|token)$/;

/**
 * A part of a name a vendor fills in, as policies print it: `_ga_<container-id>`, `_hjSession_{site_id}`,
 * `Pool.[User ID].idToken`. At most four words of at most 40 characters, so that a bracketed phrase is not one.
 */
export const PLACEHOLDER = /<[\w-]+(?: [\w-]+){0,3}>|\{[\w-]+(?: [\w-]+){0,3}\}|\[[\w-]+(?: [\w-]+){0,3}\]/g;

export function identifierStrength(token: string): Strength {
  if (token.length <= 200 && /[<{[]/.test(token)) {
    // A name with a placeholder in it is a name when the rest is: `_ga_<container-id>` reads as `_ga_*`.
    const bare = token.replace(PLACEHOLDER, '*');
    if (bare !== token)
      return bare.replace(/\*/g, '').length >= 2 && identifierStrength(bare) !== 'none' ? 'strong' : 'none';
  }
  if (!ALLOWED.test(token)) return 'none';
  // "Name:_ga", "Expiry:2": a label glued to its value, no name holding a colon ("coral:v2:accessToken").
  if (token.includes(':') && GLUED_LABEL.test(token)) return 'none';
  // "URLs", "IDs", "APIs": a plural acronym, not a name.
  if (/^[A-Z]{2,}s$/.test(token)) return 'none';
  const letters = token.replace(/[^A-Za-z]/g, '').length;
  if (letters < 2) return 'none';
  if (DOMAIN_OR_FILE.test(token)) return 'none';
  // "session.Note": a sentence's last word glued to the next one's first, as a copy that lost the space leaves them.
  if (/^[a-z]{2,}\.[A-Z][a-z]+$/.test(token)) return 'none';
  if (
    token.includes('_') ||
    (token.includes('*') && token.length > 1) ||
    /[A-Za-z0-9]#$/.test(token) ||
    /[a-z][A-Z]/.test(token) ||
    // Two characters stand for "two or more" here: an open-ended run before a required character backtracks from
    // every start, quadratic on a long word.
    /[A-Z]{2}[a-z]/.test(token) ||
    /^[A-Z0-9]{2,}-[A-Z][a-z]/.test(token) ||
    // "XSRF-TOKEN": two capital words joined, the second a word of three letters or more ("E-MAIL" is none).
    /^[A-Z]{2,}-[A-Z]{3,}$/.test(token) ||
    /[A-Za-z0-9]{2}\.[A-Za-z0-9*]{2}/.test(token) ||
    /^\.[A-Za-z0-9]{4,}/.test(token) ||
    // "SESS636698fd…": a framework's prefix in capitals, then a hash (Drupal's session cookies).
    /^[A-Z]{2,8}[0-9a-f]{16,64}$/.test(token)
  ) {
    return 'strong';
  }
  // "met-cookie-consent", "wp-settings-time": three lower-case words or more joined by hyphens, one of the storage's
  // own ("up-to-date" is none); or two, a hyphen after them, as a prefix is printed ("wp-settings-").
  if (
    /^[a-z0-9]+(?:-[a-z0-9]+){2,}$|^[a-z0-9]+(?:-[a-z0-9]+)+-$/.test(token) &&
    token.split('-').some((part) => HYPHENED_PART.test(part))
  )
    return 'strong';
  if (gluedCookieWord(token)) return 'strong';
  if (/^[A-Za-z]+$/.test(token) && TECHNICAL.test(token.toLowerCase())) return 'technical';
  if (/^[A-Z][A-Z0-9]{2,}$/.test(token)) return 'caps';
  return 'none';
}

/**
 * One word with "cookie" glued inside it, as names are and words are not: in lower case ("cookielawinfo",
 * "cookiesconsentbanner"), or capitalised with more after it ("Epcookieconsent"); a German compound ending in it
 * ("Sitzungscookie"), "cookieless" and the consent platforms ("Cookiebot") are none.
 */
function gluedCookieWord(token: string): boolean {
  if (token.length > 60 || !/^[A-Za-z][a-z0-9]+$/.test(token) || VENDOR_NAMES.has(token.toLowerCase())) return false;
  if (/^[a-z]/.test(token))
    return /cookie/.test(token) && !/^cookies?$|cookies$|^cookie(?:less|wall)$|^(?:no|non|anti)cookie/.test(token);
  return /^[A-Z][a-z]+cookie[a-z]{3,}$/.test(token);
}

/** Shaped like a name, and no vendor's name ("PayPal" is strong by its shape). */
export const isStrong = (word: string) =>
  identifierStrength(word) === 'strong' && !VENDOR_NAMES.has(word.toLowerCase());

/** Two words forming one technical name as printed ("Csrf token", "Session ID"). */
export function isTechnicalPair(first: string, second: string): boolean {
  return /^[A-Za-z]+$/.test(first) && /^[A-Za-z]+$/.test(second) && TECHNICAL.test(`${first}${second}`.toLowerCase());
}

const SHORT_WORDS = new Set([
  'a',
  'à',
  'au',
  'aux',
  'de',
  'du',
  'des',
  'en',
  'et',
  'la',
  'le',
  'les',
  'ou',
  'un',
  'une',
  'par',
  'sur',
  'pour',
  'an',
  'and',
  'as',
  'at',
  'by',
  'for',
  'in',
  'is',
  'of',
  'on',
  'or',
  'the',
  'to',
]);

/** A lower-case scrap (`r`) a PDF left after a name it cut: one to three letters, not a word of its own. */
export function isTrailingScrap(token: string): boolean {
  return /^[a-z]{1,3}$/.test(token) && !SHORT_WORDS.has(token);
}

/**
 * The continuation of a name cut at a line break: a single token starting with a lower-case letter, e.g.
 * `riority` after `stg_traffic_source_p`, `gery.cdV5uW_Ejgc` after `AspNetCore.Antifor`.
 */
export function isContinuation(token: string): boolean {
  return /^[a-z][A-Za-z0-9_.\-#*]{0,40}$/.test(token) && !SHORT_WORDS.has(token);
}

const STOPWORDS =
  /^(de|du|des|la|le|les|au|aux|d|l|et|pour|par|sur|un|une|of|the|for|to|and|a|an|in|on|with|votre|vos|notre|nos|your|our|aucun|aucune|none)$/i;

/**
 * A code span shaped like a name ("sb-…-auth-token", "bemexo_admin_coach", "alldraw:lang"), not a word of the
 * cookie's own vocabulary ("`Secure` and `HttpOnly`", "`document.cookie`").
 */
export const codeNamed = (name: string): boolean =>
  !COOKIE_VOCABULARY.test(name) && (identifierStrength(name) !== 'none' || /[-_…]|\w:\w/.test(name));
const COOKIE_VOCABULARY =
  /^(?:document\.cookie|(?:window\.)?(?:local|session)Storage|secure|httponly|samesite|partitioned|max-age|expires|domain|path|set-cookie|cookie)$/i;

/**
 * Where a name is kept, or the host that sets it, said after it in brackets ("mage-messages (local storage)"): no part
 * of the name. Read from the
 * last bracket, not by a pattern with spaces before it, which would retry from each space of a long run.
 */
export function withoutStorageRemark(cell: string): string {
  const end = cell.trimEnd();
  const open = end.endsWith(')') ? end.lastIndexOf('(') : -1;
  const remark = open < 0 ? '' : end.slice(open + 1, -1);
  // "sessionid (open.win.example.ac.uk)": the host that sets it, said the same way.
  if (open < 0 || !(STORAGE_REMARK.test(remark) || HOST.test(remark.toLowerCase()))) return cell;
  return end.slice(0, open).trimEnd();
}
const STORAGE_REMARK =
  /^(?:local\s?storage|session\s?storage|stockage local|stockage de session|indexeddb|(?:http\s)?cookie)$/i;

/** A word of a cell listing names a space apart: shaped like one, or in capitals, and no vendor's or column's word. */
function spacedName(word: string): boolean {
  const strength = identifierStrength(word);
  return strength === 'strong' || (strength === 'caps' && !isNotACookieName(word) && !/^COOKIES?$/.test(word));
}

/**
 * The names a table cell lists: one per line, or separated by commas, semicolons, bullets or slashes; several
 * strong identifiers on one line are several names. A cell reading like a phrase (a stop word, more than three
 * words) describes an unnamed cookie instead: it is returned as the description.
 */
export function namesInCell(printed: string): { names: string[]; description: string | null } {
  const cell = withoutStorageRemark(printed);
  const bracketed = namesInBrackets(cell);
  if (bracketed) return bracketed;
  // "location[property] e.g. locationChicago": the example after the name is none.
  const example = /\s(?:e\.g\.|i\.e\.|ex\.|par ex(?:emple)?\b)/i.exec(cell);
  const pieces = (example && example.index > 0 ? cell.slice(0, example.index) : cell)
    .split(/\n|[,;|•▪◦]|\s\/\s/)
    .map((piece) => withoutClosingParenthesis(piece.replace(/^[\s\-–—*·]+(?=\S)/, '')).trim())
    .filter((piece) => piece !== '' && piece !== '-');
  const names: string[] = [];
  const described: string[] = [];
  for (const piece of pieces.flatMap(joinedNames)) {
    const words = piece.split(/\s+/);
    const labelled = afterCookieWord(words);
    if (labelled) names.push(labelled);
    // "doubleclick.net test_cookie": the host that sets it, then the name.
    else if (words.length === 2 && HOST.test(words[0]!.toLowerCase()) && identifierStrength(words[1]!) !== 'none')
      names.push(words[1]!);
    // "_session_id storefront", "_shopify_visit storefront and checkout.shopify.com": a name, then where it is set.
    else if (
      words.length > 1 &&
      isStrong(words[0]!) &&
      words.slice(1).every((word) => /^[a-z]+$/.test(word) || /^(?:[a-z0-9-]+\.)+[a-z]{2,24}$/i.test(word))
    ) {
      names.push(words[0]!);
      described.push(words.slice(1).join(' '));
    }
    // "__Secure-3PSID __Secure-3PAPISID", "SAPISID APISID SSID HSID": names a space apart, capitals ones too.
    else if (words.length > 1 && words.every(spacedName)) names.push(...words);
    // "Stripe Session", "Auth Firebase": words naming a vendor's service, not a cookie (no name holds a space and a
    // vendor's name); "Csrf token" stays a name.
    else if (words.length > 1 && words.some((word) => VENDOR_NAMES.has(word.toLowerCase())) && !words.some(isStrong))
      described.push(piece);
    // A cell of one letter is that letter ("d", the short name some payment scripts use), not a stopword.
    else if (
      words.length <= 3 &&
      ((pieces.length === 1 && /^[b-z]$/i.test(piece)) ||
        !words.some((word) => STOPWORDS.test(word.replace(/[’']/g, ''))))
    )
      names.push(piece);
    else described.push(piece);
  }
  return { names, description: described.length > 0 ? described.join(' ') : null };
}

/**
 * "Generic Session Cookie (JSESSIONID)", "KB5 Cookies (__KBCookie__ and __KBLoggedIn__)", "Google Analytics (_utma,
 * _utmb, _ga)": a label, then the names in the brackets that end the cell. Each word in the brackets must be one
 * word (joined by commas, "and", "or", "/"), none a vendor or column word, and one at least shaped like a name beyond
 * mixed case ("(DoYouDreamUp)" is a vendor); the label is the description. Read by hand, one pass: a regex over the
 * brackets backtracks on long runs.
 */
function namesInBrackets(cell: string): { names: string[]; description: string | null } | null {
  let end = cell.length;
  while (end > 0 && /\s/.test(cell[end - 1]!)) end--;
  if (cell[end - 1] !== ')') return null;
  const open = cell.lastIndexOf('(', end - 1);
  if (open < 1 || cell.indexOf(')', open) !== end - 1 || end - open > 2000) return null;
  const label = cell.slice(0, open).trim();
  if (label === '' || label.includes('(') || label.includes(')') || label.length > 80) return null;
  const words = cell
    .slice(open + 1, end - 1)
    .split(/[\s,;/]+/)
    .filter((word) => word !== '' && !/^(and|or|et|ou|&)$/i.test(word));
  if (words.length === 0 || words.length > 40) return null;
  const named = (word: string) => {
    const strength = identifierStrength(word);
    return strength === 'caps' || strength === 'technical' || (strength === 'strong' && /[_.#*$\d-]/.test(word));
  };
  const plain = (word: string) => /^[\w.\-*#$]+$/.test(word) && /\p{L}/u.test(word) && !isNotACookieName(word);
  if (!words.every(plain) || !words.some(named)) return null;
  // Plain words ("demographics") count beside names only when most of the list is shaped like names.
  if (words.filter(named).length * 2 < words.length) return null;
  return { names: words, description: label };
}

/**
 * "Cookie _ga", "Cookie de session PHPSESSID", "Cookie tarteaucitron": the word "cookie" labels the name after it, the
 * one word there shaped like a name, or the only word.
 */
function afterCookieWord(words: readonly string[]): string | null {
  if (words.length < 2 || words.length > 5 || !/^(cookies?|traceurs?|trackers?|témoins?)$/i.test(words[0]!))
    return null;
  const rest = words.slice(1);
  const shaped = rest.filter((word) => identifierStrength(word) !== 'none');
  if (shaped.length === 1) return shaped[0]!;
  return rest.length === 1 && /^[\w.\-*#$]+$/.test(rest[0]!) ? rest[0]! : null;
}

/** What follows a name to say there are more like it ("and variants", "etc."). */
const MORE_LIKE_IT =
  /^(?:(?:and|&|or|et|ou)\s+(?:variants|variations|similar|similar ones|others|more|the like|similaires|variantes|autres)|etc\.?|…)$/i;

/** "_pk_id et _pk_ref", "_ga and _ga_*", "_pk_ses ou _pk_hsr": names a connector joins, when each side is one word. */
function joinedNames(printed: string): string[] {
  // Words, then a test of each: a regex splitting on "\s+et\s+" backtracks over long runs of spaces.
  const all = printed.split(/\s+/).filter(Boolean);
  // "ph_phc_* and variants", "__cf_bm and similar", "_hj* etc.": the name, and a word saying there are more like it.
  const more = all.length >= 2 && all.length <= 4 && MORE_LIKE_IT.test(all.slice(1).join(' '));
  const words = more ? all.slice(0, 1) : all;
  const piece = words.join(' ');
  // "a_b/c_d": names a slash apart, each shaped as one (a path's words are none).
  if (words.length === 1 && piece.includes('/') && piece.length <= 200) {
    const parts = piece.split('/');
    if (parts.length <= 6 && parts.every((part) => part.length >= 3 && isStrong(part) && !HOST.test(part)))
      return parts;
  }
  if (words.length < 3 || words.length % 2 === 0) return [piece];
  const names = words.filter((_, w) => w % 2 === 0);
  const joined =
    words.every((word, w) => w % 2 === 0 || /^(et|and|ou|or|&)$/i.test(word)) &&
    names.every((name) => /^[\w.\-*#$<>{}[\]]+$/.test(name) && identifierStrength(name) !== 'none');
  return joined ? names : [piece];
}

/**
 * The text without the parenthesis that ends it ("_ga (Google)"), and the white space around it. By hand: the regex
 * /\s*\([^)]*\)\s*$/ scans from every "(" and every space to the end, quadratic on a long run of either.
 */
function withoutClosingParenthesis(text: string): string {
  const isSpace = (at: number) => /\s/.test(text[at] ?? '');
  let end = text.length;
  while (end > 0 && isSpace(end - 1)) end--;
  const close = end - 1;
  if (close < 1 || text[close] !== ')') return text;
  const open = text.indexOf('(', text.lastIndexOf(')', close - 1) + 1);
  if (open < 0 || open > close) return text;
  let start = open;
  while (start > 0 && isSpace(start - 1)) start--;
  return text.slice(0, start);
}

/**
 * Services and vendors policies name beside (or in place of) their cookies: never a cookie name, however name-like
 * their shape (`DoubleClick`, `reCAPTCHA`). The vendors of the known-cookies table are added to these.
 */
const VENDOR_NAMES = new Set(
  [
    'google',
    'google analytics',
    'google ads',
    'google tag manager',
    'doubleclick',
    'recaptcha',
    'youtube',
    'facebook',
    'meta',
    'instagram',
    'linkedin',
    'twitter',
    'x',
    'tiktok',
    'pinterest',
    'snapchat',
    'microsoft',
    'bing',
    'clarity',
    'hotjar',
    'matomo',
    'piwik pro',
    'at internet',
    'piano',
    'adobe',
    'criteo',
    'taboola',
    'outbrain',
    'vimeo',
    'dailymotion',
    'spotify',
    'soundcloud',
    'hubspot',
    'salesforce',
    'zendesk',
    'intercom',
    'cloudflare',
    'akamai',
    'amazon',
    'amazon web services',
    'aws',
    'stripe',
    'paypal',
    'firebase',
    'supabase',
    'shopify',
    'wordpress',
    'onetrust',
    'cookiebot',
    'cookieyes',
    'cookiehub',
    'cookiepro',
    'cookiefirst',
    'cookiescript',
    'complianz',
    'iubenda',
    'usercentrics',
    'termly',
    'osano',
    'trustarc',
    'didomi',
    'axeptio',
    'quantcast',
    'tagcommander',
    'commanders act',
    'yandex',
    'mixpanel',
    'segment',
    'amplitude',
    'optimizely',
    'abtasty',
    'ab tasty',
    'kameleoon',
    'contentsquare',
    'mouseflow',
    'crazy egg',
    'posthog',
    'plausible',
    'sentry',
    'mailchimp',
    'klaviyo',
    'fullstory',
    'logrocket',
    'smartlook',
    'woocommerce',
    'squarespace',
    'webflow',
    // Products and techniques a policy's prose names, CamelCase like some cookie names.
    'javascript',
    'typescript',
    'jquery',
    'github',
    'whatsapp',
    'iphone',
    'ipad',
    'macos',
    'ios',
    'powerpoint',
    'mysql',
    'postgresql',
    'localstorage',
    'sessionstorage',
    'indexeddb',
    // Laws CamelCased like names ("ePrivacy Directive").
    'eprivacy',
  ].concat(KNOWN_COOKIES.map((known) => known.vendor.toLowerCase())),
);

/** The one-word vendors' names, the longest first. */
const VENDOR_WORDS = [...VENDOR_NAMES].filter((name) => /^[a-z]{4,}$/.test(name)).sort((a, b) => b.length - a.length);

/** Whether a vendor's one-word name opens the text, a word's end after it ("PostHog analytics…", "GoogleAnalytics"). */
export function opensWithVendor(text: string): boolean {
  const start = text.slice(0, 40).toLowerCase();
  return VENDOR_WORDS.some((name) => start.startsWith(name) && !/^\p{Ll}/u.test(text.slice(name.length)));
}

const PARTY_WORDS =
  /^(first|third|1st|3rd|premi[eè]re|tierce)[ -]?part(y|ies|ie)$|^(cookies? )?(tiers|internes?|propri[eé]taires?|first[ -]party|third[ -]party)$/i;
const COLUMN_WORDS =
  /^(cookies?|names?|noms?|nom du cookie|cookie name|duration|dur[ée]e|expiry|expiration|lifespan|purpose|finalit[ée]|description|provider|prestataire|type|domain|domaine|session|persistent|persistant)$/i;
/**
 * "PostHog-cookies", "StatHive-data": a vendor's cookies or data, as Dutch joins them, the vendor's name in CamelCase
 * ("Consent-Cookie", "Session-cookie" stay: a name column may hold them).
 */
const VENDORS_COOKIES = /^\p{Lu}\p{Ll}+\p{Lu}[\p{L}\d]*-(?:cookies?|data|daten|gegevens|tracking)$/u;
const HOST =
  /^(?:\*\.|\.)?(?:[a-z0-9-]+\.)+(?:[a-z]{2}|com|net|org|info|biz|app|dev|io|co|eu|gouv|online|site|shop|cloud|cat|tech|store|digital|agency|studio)$/;
/** A template's placeholder left in a page ("{{ config('session.cookie') }}", "${name}", "<?= $cookie ?>"). */
const TEMPLATE = /\{\{|\}\}|\{%|%\}|<\?|\?>|\$\{/;

/**
 * Words a table's name cell or a list may hold that are not cookie names: a vendor or service (`YouTube`, the row's
 * own vendor cell), a party (`First party`, `Cookies tiers`), a host (`shop.example.org`) or a column label.
 */
export function isNotACookieName(word: string, vendor?: string | null): boolean {
  const folded = word.trim().toLowerCase();
  return (
    VENDOR_NAMES.has(folded) ||
    (vendor ?? '').trim().toLowerCase() === folded ||
    PARTY_WORDS.test(folded) ||
    COLUMN_WORDS.test(folded) ||
    HOST.test(folded) ||
    TEMPLATE.test(folded) ||
    VENDORS_COOKIES.test(word.trim()) ||
    COOKIE_VOCABULARY.test(folded) ||
    gluedColumnLabels(word.trim())
  );
}

/** A table's header copied glued, three labels or more ("CookiePurposeDuration", "NameExpiryDescription"). */
function gluedColumnLabels(word: string): boolean {
  if (word.length > 80) return false;
  const labels = word.split(/(?<=\p{Ll})(?=\p{Lu})/u);
  return labels.length >= 3 && labels.every((label) => COLUMN_WORDS.test(label));
}
