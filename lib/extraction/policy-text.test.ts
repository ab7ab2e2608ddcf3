import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledCatalogues } from '../catalogue/bundled';
import { validateCatalogue, type Catalogue } from '../catalogue/schema';
import { MONTH, YEAR } from '../audit/lifetime';
import { extractPolicyText } from './policy-text';

const SEEDS = join(__dirname, '../../../shared/seeds');
const SEED_OF: Record<string, string> = {
  'cnp-monespaceclient': '000_f2dd0101e5f31d62.txt',
  'europ-assistance-amex': '001_f8cfcfcc53a92002.txt',
  'europ-assistance-extranet-partenaires': '002_7288f3b59f30aac3.txt',
  'assurance-maladie-opendatasoft': '003_8e360ae828c07308.txt',
  'assu2000-protection-donnees': '004_65e0c4b9a194d754.txt',
};

interface Recovery {
  names: number;
  namesTotal: number;
  lifetimes: number;
  /** Bundled names whose declared lifetime is known (not `unknown`): the lifetimes there are to recover. */
  lifetimesTotal: number;
  rules: number;
  rulesTotal: number;
  missedNames: string[];
  wrongLifetimes: string[];
}

/** Compares a draft with the hand-made catalogue: printed names found, and for each, the lifetime parsed alike. */
function recovery(bundled: Catalogue, draft: Catalogue): Recovery {
  const drafted = new Map(draft.entries.flatMap((entry) => entry.names.map((name) => [name.printed, entry] as const)));
  const result: Recovery = {
    names: 0,
    namesTotal: 0,
    lifetimes: 0,
    lifetimesTotal: 0,
    rules: 0,
    rulesTotal: 0,
    missedNames: [],
    wrongLifetimes: [],
  };
  const ruleKey = (rule: Catalogue['rules'][number]) =>
    JSON.stringify([rule.appliesTo, rule.role, rule.lifetime.parsed]);
  const draftedRules = new Set(draft.rules.map(ruleKey));
  result.rulesTotal = bundled.rules.length;
  result.rules = bundled.rules.filter((rule) => draftedRules.has(ruleKey(rule))).length;
  for (const entry of bundled.entries) {
    for (const name of entry.names) {
      result.namesTotal++;
      const found = drafted.get(name.printed);
      if (found) result.names++;
      else result.missedNames.push(name.printed);
      if (entry.lifetime.parsed.kind === 'unknown') continue;
      result.lifetimesTotal++;
      if (found && JSON.stringify(found.lifetime.parsed) === JSON.stringify(entry.lifetime.parsed)) result.lifetimes++;
      else
        result.wrongLifetimes.push(
          `${name.printed}: "${found?.lifetime.text ?? '(no entry)'}" for "${entry.lifetime.text}"`,
        );
    }
  }
  return result;
}

// The floors are what the extractor achieves today (see docs/extraction.md); they must not regress.
const FLOORS: Record<string, { names: number; lifetimes: number; rules: number }> = {
  'cnp-monespaceclient': { names: 23, lifetimes: 20, rules: 4 },
  'europ-assistance-amex': { names: 16, lifetimes: 16, rules: 1 },
  'europ-assistance-extranet-partenaires': { names: 3, lifetimes: 3, rules: 1 },
  'assurance-maladie-opendatasoft': { names: 3, lifetimes: 0, rules: 1 },
  'assu2000-protection-donnees': { names: 0, lifetimes: 0, rules: 0 },
};

describe('extractPolicyText on the five seed policies, without help', () => {
  const figures: string[] = [];

  describe.each(bundledCatalogues().map((catalogue) => [catalogue.id, catalogue] as const))('%s', (id, bundled) => {
    const seed = SEED_OF[id]!;
    const result = extractPolicyText(readFileSync(join(SEEDS, seed), 'utf8'), { source: seed });

    it('makes a valid draft with provenance on every entry', () => {
      expect(validateCatalogue(result.catalogue).ok).toBe(true);
      expect(result.catalogue.id).toBe(`draft-${seed.replace('.txt', '').replace(/_/g, '-')}`);
      for (const entry of result.catalogue.entries) {
        expect(entry.provenance.source).toBe(seed);
        expect(entry.provenance.lines).toBeDefined();
      }
    });

    it('recovers the names and lifetimes of the hand-made catalogue', () => {
      const figure = recovery(bundled, result.catalogue);
      figures.push(
        `${seed} (${id}): names ${figure.names}/${figure.namesTotal}, lifetimes ${figure.lifetimes}/${figure.lifetimesTotal}, ` +
          `rules ${figure.rules}/${figure.rulesTotal}` +
          (figure.missedNames.length ? `; missed names: ${figure.missedNames.join(', ')}` : '') +
          (figure.wrongLifetimes.length ? `; lifetimes not recovered: ${figure.wrongLifetimes.join('; ')}` : ''),
      );
      console.log(figures.at(-1));
      expect(figure.names).toBeGreaterThanOrEqual(FLOORS[id]!.names);
      expect(figure.lifetimes).toBeGreaterThanOrEqual(FLOORS[id]!.lifetimes);
      expect(figure.rules).toBeGreaterThanOrEqual(FLOORS[id]!.rules);
      expect(result.catalogue.rules.length).toBe(figure.rulesTotal);
      // Nothing the hand-made catalogue lacks: every drafted name is one the policy declares.
      const declared = new Set(bundled.entries.flatMap((entry) => entry.names.map((name) => name.printed)));
      expect(
        result.catalogue.entries
          .flatMap((entry) => entry.names.map((name) => name.printed))
          .filter((name) => !declared.has(name)),
      ).toEqual([]);
    });
  });
});

describe('extractPolicyText', () => {
  const extract = (text: string) => extractPolicyText(text, { source: 'policy.txt' }).catalogue;
  const namesIn = (text: string) => extract(text).entries.flatMap((entry) => entry.names.map((name) => name.printed));

  it('reads names a sentence gives cookies, not a kind of cookies nor what a cookie "is"', () => {
    expect(namesIn('We store one cookie called csrftoken which protects forms.')).toEqual(['csrftoken']);
    expect(namesIn("We set a cookie called 'refdom' which records the last page.")).toEqual(['refdom']);
    expect(namesIn('Another cookie we store is sessionid , once you sign in.')).toEqual(['sessionid']);
    expect(namesIn('Your browser stores cookies called HTTP cookies for up to 2 years.')).toEqual([]);
    expect(namesIn('The only cookie we use is GDPR and lasts 1 year.')).toEqual([]);
  });

  it('takes no remark, banner or day of prose for a cookie or its lifetime', () => {
    expect(namesIn('NOTE This cookie banner remembers your choice for 6 months.')).toEqual([]);
    expect(
      namesIn('DYNSRV This cookie is used for load balancing. It expires after the current website session.'),
    ).toEqual(['DYNSRV']);
    expect(namesIn('The form sends three fields, with these names: first_name, last_name, email_address.')).toEqual([]);
    expect(namesIn('The analytics cookies have the following names: _ga, _gat.')).toEqual(['_ga', '_gat']);
    expect(namesIn('- Category: _Necessary_\n- Storage: localStorage_*\n')).toEqual([]);
    expect(namesIn('We issue a JWT-token, valid for 1 hour.')).toEqual([]);
    const sameDay = extract(
      'session_id: keeps you signed in until you close your browser. If you sign in again on the same day, a new one is set.',
    ).entries[0]!;
    expect(sameDay.lifetime.parsed).toEqual({ kind: 'session' });
  });

  it('rejoins a name a line break cut, keeping the text as extracted', () => {
    const text = [
      'Prestataires  Nom du cookie  Finalité  Durée de',
      '',
      'PIWIK PRO',
      '',
      'stg_traffic_source_p ',
      'riority  ',
      '',
      'Détermine comment',
      '1 jour',
      '',
      'PIWIK PRO',
      'stg_returning_visito r  ',
      'Identifiant',
      'Maximum 12 mois',
    ].join('\n');
    const names = extract(text).entries.flatMap((entry) => entry.names);
    expect(names).toEqual([
      expect.objectContaining({ printed: 'stg_traffic_source_priority', extracted: 'stg_traffic_source_p riority' }),
      expect.objectContaining({ printed: 'stg_returning_visitor', extracted: 'stg_returning_visito r' }),
    ]);
  });

  it('pairs lifetimes listed on separate lines with the names, in order', () => {
    const text = [
      'Nom Finalité Durée',
      ' dydu.*',
      '',
      ' DYDU_clientId ',
      '',
      ' DYDU_PUSH_session',
      'Chatbot 1 an',
      '',
      '1 minute',
      '',
      '2 mois',
    ].join('\n');
    const entries = extract(text).entries.map((entry) => [entry.names[0]!.printed, entry.lifetime.text]);
    expect(entries).toEqual([
      ['dydu.*', '1 an'],
      ['DYDU_clientId', '1 minute'],
      ['DYDU_PUSH_session', '2 mois'],
    ]);
  });

  it('reads "Cookies Storage period Purpose" as a header, a name followed by a value on its line', () => {
    const text = [
      'Cookies Storage period Purpose',
      'SVC-TOKEN Automatic value',
      'Deleted at the end of the session',
      'Protects the forms you send',
      'SVC.REMEMBER Automatic value',
      'Deleted after 30 days',
      'Remembers your user name',
    ].join('\n');
    const entries = extract(text).entries.map((entry) => [entry.names[0]!.printed, entry.lifetime.parsed.kind]);
    expect(entries).toEqual([
      ['SVC-TOKEN', 'session'],
      ['SVC.REMEMBER', 'duration'],
    ]);
  });

  it('does not take a purpose line\'s word "session" for the lifetime of the name above it', () => {
    const text = [
      'Name of cookie: chat_id',
      'Provider: Our chat supplier',
      "Purpose: Unique id that identifies the user's session.",
      'Expiry: Persistent',
      'Name of cookie: help_seen',
      'Purpose: Shows the help once. Expires after 1 year.',
    ].join('\n');
    const entries = extract(text).entries.map((entry) => [entry.names[0]!.printed, entry.lifetime.text]);
    expect(entries).toEqual([
      ['chat_id', 'Persistent'],
      ['help_seen', '1 year'],
    ]);
  });

  it('reads a name in brackets just after the word cookie, on a line stating a lifetime, and no other word in brackets', () => {
    const text = [
      'Le cookie de langue (choix_langue) est conservé 6 mois.',
      'The consent choice is stored in a cookie (consent_box) for 6 months.',
      'Our partner (ad_partner_x) keeps its data 2 years.',
    ].join('\n');
    const entries = extract(text).entries.map((entry) => [entry.names[0]!.printed, entry.lifetime.text]);
    expect(entries).toEqual([
      ['choix_langue', '6 mois'],
      ['consent_box', '6 months'],
    ]);
  });

  it('reads blanket and per-category rules', () => {
    const text = [
      ' Cookies fonctionnels :',
      'Ils facilitent la navigation. La durée de validité de ces',
      'cookies est de trois mois.',
      'Ces cookies ne sont pas conservés plus de 13 mois.',
    ].join('\n');
    expect(extract(text).rules.map((rule) => [rule.appliesTo, rule.role, rule.lifetime.parsed])).toEqual([
      ['functional', 'default', { kind: 'duration', seconds: Math.round(3 * MONTH), maximum: false }],
      ['functional', 'maximum', { kind: 'duration', seconds: Math.round(13 * MONTH), maximum: true }],
    ]);
  });

  it('reads names with a lifetime on the same line outside any table', () => {
    const entries = extract('Le cookie _ga_ABC123 est conservé 2 ans.\nNous utilisons des cookies.').entries;
    expect(entries.map((entry) => [entry.names[0]!.printed, entry.lifetime.parsed])).toEqual([
      ['_ga_ABC123', { kind: 'duration', seconds: 2 * YEAR, maximum: false }],
    ]);
  });

  const read = (text: string) =>
    extract(text).entries.flatMap((entry) => entry.names.map((name) => [name.printed, entry.lifetime.text]));

  it('gives the lifetime to every name a connector joins ("et", "and", "/"), not only to the last', () => {
    expect(read('_pk_ref et _pk_cvar : 6 mois\n_pk_id / _pk_idsite : 13 mois\na_b, c_d and e_f: 1 day')).toEqual([
      ['_pk_ref', '6 mois'],
      ['_pk_cvar', '6 mois'],
      ['_pk_id', '13 mois'],
      ['_pk_idsite', '13 mois'],
      ['a_b', '1 day'],
      ['c_d', '1 day'],
      ['e_f', '1 day'],
    ]);
  });

  it("reads a technical pair after a row name's first words as description, not as a second name", () => {
    const text = [
      'Cookie name Type Function Lifetime',
      'SHOPSESSID Technical Session ID : keeps you connected Session',
    ];
    expect(read(text.join('\n'))).toEqual([['SHOPSESSID', 'Session']]);
  });

  it('reads a line of names only, capitals and joined plain words included, with the lifetime a few lines below', () => {
    const text = [
      'JSESSIONID PORTAL_STATE_*',
      'Identifies you while you are signed in.',
      'Session: removed when the browser is closed',
      '',
      'user_referrer and referer',
      'Description: the site you came from.',
      'Expiration: 1 year',
      '',
      'WIDGETS',
      'A word in capitals alone on its line names nothing.',
      'They last 1 year.',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['JSESSIONID', 'Session'],
      ['PORTAL_STATE_*', 'Session'],
      ['user_referrer', '1 year'],
      ['referer', '1 year'],
    ]);
  });

  it('makes no cookie of a list of rights or data, of a field of data kept, or of words after a listed name', () => {
    const rights = [
      '• _ga : tells visitors apart.',
      '• _gid : tells visits apart.',
      '',
      'Your rights:',
      '• access : you may ask for a copy of your data.',
      '• erasure : you may ask us to delete it.',
    ];
    expect(read(rights.join('\n')).map(([name]) => name)).toEqual(['_ga', '_gid']);
    expect(read('- account: your name and email address\nRetention: 3 years after you close it')).toEqual([]);
    expect(read('Name Purpose Expiry\n_ga, google analytics identifier 2 years').map(([name]) => name)).toEqual([
      '_ga',
    ]);
    expect(read('We never do cross-site-tracking. Our cookies last 2 years at most.')).toEqual([]);
  });

  it('makes no cookie of data kept that a list, a bracketed list, a glossary or a retention label names', () => {
    const names = (text: string) => read(text).map(([name]) => name);
    expect(names('• IP retention: 30 days\n• logs retention: 90 days\n• consent duration: 6 months')).toEqual([]);
    expect(names('We collect:\n• user_id\n• device_id\n• email\n• country\n• newsletter')).not.toContain('email');
    expect(names('Retention: account (3 years), invoices (10 years), PHPSESSID (session).')).not.toContain('account');
    const glossary = [
      'KSESSIONID',
      'Keeps you signed in during your visit to the site.',
      'KDEVICEID',
      'Holds an identifier of your device for the sign-in.',
      'analytics',
      'These cookies help us understand how the site is used.',
    ];
    expect(names(glossary.join('\n'))).not.toContain('analytics');
    expect(names('Cookies set: shop_fbp, site_ga.')).toEqual(['shop_fbp', 'site_ga']);
  });

  it("gives names under a group item the group's kind, never a length said of data", () => {
    const data = ['• Analytics cookies: we keep the data they collect for 26 months.', '• _st_a', '• _st_b'];
    expect(read(data.join('\n'))).toEqual([
      ['_st_a', ''],
      ['_st_b', ''],
    ]);
    expect(read('sid_x: Keeps you signed in. Does not expire while you are active on the site.')).not.toEqual([
      ['sid_x', 'Does not expire'],
    ]);
  });

  it('reads no lifetime in "3D Secure" and no name in a cookie attribute set in code', () => {
    expect(read('__stripe_mid: used for 3D Secure. Expires after 1 year.')).toEqual([['__stripe_mid', '1 year']]);
    expect(read('All our cookies are `Secure` and `HttpOnly`, and no script reads `document.cookie`.')).toEqual([]);
    expect(read('Name Function Duration\n_shop_tw Used for privacy settings. 2w')).toEqual([['_shop_tw', '2w']]);
  });

  it('takes every word after a label naming cookies as a name, whatever its shape', () => {
    const text = [
      'Cookies déposés : didomi_token, euconsent-v2, uid',
      'Durée de vie : 6 mois',
      '',
      'Nom : Google Analytics',
      'Durée : 2 ans',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['didomi_token', '6 mois'],
      ['euconsent-v2', '6 mois'],
      ['uid', '6 mois'],
    ]);
  });

  it('reads a hyphenated name before a colon though it holds a category word, not a bare category', () => {
    expect(read('consent-id: keeps your choices (6 months)\nanalytics: 13 months')).toEqual([
      ['consent-id', '6 months'],
    ]);
  });

  it('pairs lifetimes listed "respectively" with the names in order', () => {
    expect(read('Its cookies _ga, _gid and _gat are kept for 2 years, 24 hours and 1 minute respectively.')).toEqual([
      ['_ga', '2 years'],
      ['_gid', '24 hours'],
      ['_gat', '1 minute'],
    ]);
    // Without "respectively", "1 an et 6 mois" is one lifetime.
    expect(read('Le cookie pref_x est conservé 1 an et 6 mois.')).toEqual([['pref_x', '1 an et 6 mois']]);
  });

  it('takes the one lifetime before the names when none follows them on the line', () => {
    expect(read('2 years – _ga – tells visitors apart\nSession – sess_token – keeps you signed in')).toEqual([
      ['_ga', '2 years'],
      ['sess_token', 'Session'],
    ]);
  });

  it('drafts names listed one per line above a description with no lifetime, the lifetime unknown', () => {
    const text = [
      '_utma',
      '_utmz*',
      'Collect information about how visitors use the site.',
      '',
      'exp_tracker',
      'Tracks the last pages viewed.',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['_utma', ''],
      ['_utmz*', ''],
      ['exp_tracker', ''],
    ]);
    // Names followed by nothing but names are drafted too, unknown, unless a later line declares them.
    expect(read('_pk_ref\n_pk_id\n\n_pk_id – 13 mois')).toEqual([
      ['_pk_ref', ''],
      ['_pk_id', '13 mois'],
    ]);
  });

  it('reads the word after a name label inside a line as a name, whatever its shape', () => {
    expect(read('Nom du cookie : uuid2 — Durée de conservation : 3 mois\nNom : Google — Durée : 1 an')).toEqual([
      ['uuid2', '3 mois'],
    ]);
  });

  it('reads the first word of a row as its name under a header starting with the name column', () => {
    const text = [
      'Name Description Expiration Type',
      'remember Signs you in again, with the last_login cookie. 2 weeks Strictly Necessary',
      'sessionkey Session id, links you to your data. 1-2 hours Strictly Necessary',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['remember', '2 weeks'],
      ['sessionkey', '1-2 hours'],
    ]);
    // Elsewhere an ordinary word starting a line is no name.
    expect(read('remember that cookies last 2 weeks')).toEqual([]);
  });

  it('does not read a name a description mentions as a name of its own', () => {
    expect(read('__vt_v 2 years Keeps data the site sets with the _setVisitorVar method.')).toEqual([
      ['__vt_v', '2 years'],
    ]);
    expect(read('Le cookie _ga_X est conservé 2 ans.')).toEqual([['_ga_X', '2 ans']]);
  });

  it('reads a lower-case word alone above field lines as a name, and keeps a description naming it', () => {
    const text = [
      'referral',
      'Description: The partner that sent you.',
      'Expiration: 30 days',
      '',
      '__edge_id',
      'The __edge_id cookie applies security settings.',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['referral', '30 days'],
      ['__edge_id', ''],
    ]);
    expect(read('remember\nProvider: the platform\nThe rest.')).toEqual([]);
  });

  it('reads a bulleted lower-case word above field lines as a name', () => {
    const text = [
      '- langue_site',
      'Fonction : mémorise la langue.',
      'Durée : 1 an',
      '- panier',
      'Fonction : garde le panier.',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['langue_site', '1 an'],
      ['panier', ''],
    ]);
  });

  it('reads Markdown escapes in names as the characters themselves', () => {
    expect(read('\\_hc\\_id – 13 mois\n\\_hc\\_ses\\* – 30 minutes')).toEqual([
      ['_hc_id', '13 mois'],
      ['_hc_ses*', '30 minutes'],
    ]);
  });

  it('puts back the line breaks a copied list lost: a name glued to a closing parenthesis or ending a line of prose', () => {
    const glued = ['_hc_id', '– 13 mois (identifiant du visiteur)_hc_ref', '– 6 mois (source de la visite)'];
    expect(read(glued.join('\n'))).toEqual([
      ['_hc_id', '13 mois'],
      ['_hc_ref', '6 mois'],
    ]);
    const items = [
      '_hc_a',
      ',_hc_b',
      ', lorsque vous refusez le suivi par la méthode du cookie .hc_nonce',
      ', lorsque vous utilisez la fonction de désactivation_hc_hsr',
      ', lorsque vous enregistrez une séance.',
    ];
    expect(read(items.join('\n'))).toEqual([
      ['_hc_a', ''],
      ['_hc_b', ''],
      ['hc_nonce', ''],
      ['_hc_hsr', ''],
    ]);
    // Restored lines are counted as the input's lines.
    expect(extract(glued.join('\n')).entries.map((entry) => entry.provenance.lines)).toEqual([
      [1, 2],
      [2, 3],
    ]);
    // A name ending prose with no comma-opened line after it stays unread, and so does a name glued to a word.
    expect(read('Lorsque vous utilisez la fonction de désactivation _hc_off\nAucune donnée n’est gardée.')).toEqual([]);
  });

  it('drafts quoted names opening a list item or following the word cookie, the lifetime unknown', () => {
    const text = [
      '- ‘hc_consent’, ‘hc_consent_removed’ et ‘hc_cookie_consent’ : quand vous donnez votre accord',
      '- ‘hc_ignore’, quand vous refusez le suivi',
      'Vous pouvez activer un cookie tiers ‘_hc_uid’ si vous le souhaitez.',
      '- ‘hc_ignore’ – 30 ans',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['hc_consent', ''],
      ['hc_consent_removed', ''],
      ['hc_cookie_consent', ''],
      ['_hc_uid', ''],
      ['hc_ignore', '30 ans'],
    ]);
    // A quoted word, or a quoted name in a sentence that does not call it a cookie, is no name here.
    expect(read('Le mot ‘session’ : voir plus bas.\nLa valeur ‘hc_x’ est envoyée au serveur.')).toEqual([]);
  });

  it('reads a plain word listed among names, each with its lifetime in brackets, as a name', () => {
    expect(read('Repères : jeton_acces (12h), panier (7 jours) et devise (30 jours).')).toEqual([
      ['jeton_acces', '12h'],
      ['panier', '7 jours'],
      ['devise', '30 jours'],
    ]);
    // Without a name before it on the line, or without a lifetime in the brackets, a plain word stays a word.
    expect(read('Le panier (7 jours) et la devise (30 jours) sont gardés.')).toEqual([]);
    expect(read('Repères : jeton_acces (12h), panier (voir plus bas).')).toEqual([['jeton_acces', '12h']]);
  });

  it('drafts a list item opening with a name shaped as one, then a colon and a description, the lifetime unknown', () => {
    const text = [
      '  • gc_auth_[empreinte] : À la connexion, garde vos identifiants.',
      '  • Chrome : menu, puis Paramètres.',
    ];
    expect(read(text.join('\n'))).toEqual([['gc_auth_[empreinte]', '']]);
    // Not outside a list item.
    expect(read('gc_auth_[empreinte] : À la connexion, garde vos identifiants.')).toEqual([]);
  });

  it('reads names after a "Cookies concernés" label, of unknown lifetime', () => {
    expect(read('Cookies concernés : boutique_session, boutique_panier, boutique_choix')).toEqual([
      ['boutique_session', ''],
      ['boutique_panier', ''],
      ['boutique_choix', ''],
    ]);
  });

  it('reads names opening a sentence that says they are cookies, a lone "*" after "_" their wildcard', () => {
    expect(read('  • SITE_SESSID, site_lang, _st_ * and the like are cookies set by the statistics tool.')).toEqual([
      ['SITE_SESSID', ''],
      ['site_lang', ''],
      ['_st_*', ''],
    ]);
    expect(read('_st_id et _st_ses sont des cookies de mesure.')).toEqual([
      ['_st_id', ''],
      ['_st_ses', ''],
    ]);
    expect(read('_st_x and _st_y - used by the statistics tool to count visits.')).toEqual([
      ['_st_x', ''],
      ['_st_y', ''],
    ]);
    // Names the sentence does not call cookies, or one name alone, are left to the other readings.
    expect(read('SITE_SESSID, site_lang are read by the server.')).toEqual([]);
    expect(read('JavaScript, PayPal are cookies of a kind.')).toEqual([]);
  });

  it('reads a name in brackets after the word cookie, its lifetime in the field on the next line', () => {
    const text = [
      '• Visitor session cookie (portal_user_state)',
      'Lifespan: for the duration of the user’s session',
      '• User session cookie that tracks whether a visitor is logged in',
      'Lifespan: for the duration of the user’s session',
      'Le cookie de langue (choix_langue)',
      'Durée : 6 mois',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['portal_user_state', 'session'],
      ['choix_langue', '6 mois'],
    ]);
    // A line below that is no lifetime field gives nothing.
    expect(read('Le cookie de langue (choix_langue)\nFinalité : garder la langue')).toEqual([]);
  });

  it("reads a name-shaped word inside a row's description as a mention, not as another cookie", () => {
    const text = [
      'Name Description Category Provider Duration',
      'shop_country Set from GeoIP by helping avoid GeoIP lookups later. Necessary Shop 30 minutes',
      '__st_mid __st_sid Payments. Necessary Shop Session',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['shop_country', '30 minutes'],
      ['__st_mid', 'Session'],
      ['__st_sid', 'Session'],
    ]);
    // A row opening with words, not with its name, may name two forms of one cookie.
    const forms = [
      'Name Data stored Purpose Expires',
      'Takes the format of LB_xxx.ab.cd. Most likely to be LB_wxyz.ab.cd A random number. Deleted when you close your web browser.',
    ];
    expect(read(forms.join('\n')).map(([name]) => name)).toEqual(['LB_xxx.ab.cd', 'LB_wxyz.ab.cd']);
  });

  it('reads a word of any shape between a "Name" label line and a "Purpose" or "Expires" one, blank lines apart', () => {
    const text = ['Name Purpose Expires', 'Name', '', 'site-consent', '', 'Purpose', '', 'Remembers it', '', 'Expires'];
    expect(read([...text, '', '1 year'].join('\n'))).toEqual([['site-consent', '1 year']]);
    // Below another label ("Provider"), the word is no name.
    const provider = ['Name Purpose Expires', 'Provider', '', 'site-consent', '', 'Purpose', '', 'It', '', 'Expires'];
    expect(read([...provider, '', '1 year'].join('\n'))).toEqual([]);
  });

  it('reads a hyphenated word or a capital code alone above list-item fields, a name in its purpose kept there', () => {
    const text = [
      'Cookies that measure website use',
      'page-view-count',
      '- Purpose: Counts the pages you read',
      '- Expiry: 90 days',
      'GWLB',
      '- Purpose: Lets the FeedbackDesk survey reach its server',
      '- Expiry: 5 minutes',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['page-view-count', '90 days'],
      ['GWLB', '5 minutes'],
    ]);
    expect(read('Contact us\n- Purpose: anything\n- Expiry: 1 day')).toEqual([]);
  });

  it('reads no name in a title above a table nor in a sentence below it about one of its cookies', () => {
    const text = [
      'Session ID',
      '',
      'About session identifiers',
      '',
      'Name Data stored Purpose Expires',
      'APPSESSID A random string. Follows your progress. 1 day',
      '',
      'Load balancer',
      '',
      'Name Data stored Purpose Expires',
      'lb_node Which server you use. 1 hour',
      'The lb_node cookie is set when the page loads.',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['APPSESSID', '1 day'],
      ['lb_node', '1 hour'],
    ]);
  });

  it('reads no name in a product the text speaks of as a service or an account, and pairs joined quantities', () => {
    const text =
      '_sa and _sb Statistics Tell visits apart. 2 years and 1 day __shr PageSharer Set by the PageSharer service. 6 months';
    expect(read(text)).toEqual([
      ['_sa', '2 years'],
      ['_sb', '1 day'],
      ['__shr', '6 months'],
    ]);
    expect(read('remember_me 1 year and 6 months')).toEqual([['remember_me', '1 year and 6 months']]);
  });

  it('keeps a sentence below a name that mentions other names as its description, not as another entry', () => {
    const text = [
      '_an_camp',
      'Holds the campaign that brought you. It is shared with AdPlanner when the accounts are linked.',
      '90 days',
      '_an_id',
      'Tells visitors apart',
      '2 years',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['_an_camp', '90 days'],
      ['_an_id', '2 years'],
    ]);
  });

  it('reads a hyphenated word between a "Name" label line and a "Purpose" label line as a name', () => {
    expect(read('Name\nforum-lang-choice\nPurpose\nKeeps your language\nExpiry\n6 months')).toEqual([
      ['forum-lang-choice', '6 months'],
    ]);
    expect(read('Contact\nforum-lang-choice\nPurpose\nKeeps your language\nExpiry\n6 months')).toEqual([]);
  });

  it('reads a capital code opening a row and a platform\'s "ASP.Net Session Id" under a name-first header', () => {
    const text = [
      'Cookie name Purpose Expires',
      'ASP.Net Session Id Keeps your booking together Session',
      'BOOKROUTE Sends you to the same server 1 day',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['ASP.Net Session Id', 'Session'],
      ['BOOKROUTE', '1 day'],
    ]);
    expect(read('See ASP.Net for more. 1 day')).toEqual([]);
  });

  it('reads a text with HTML tags left in it as the text without them', () => {
    expect(
      read('<p><strong>_pref_theme</strong>: keeps the theme, 1 year</p><p><b>_cart_id</b> – 30 days</p>'),
    ).toEqual([
      ['_pref_theme', '1 year'],
      ['_cart_id', '30 days'],
    ]);
  });

  it('gives a row of one name the duration it states rather than its type word', () => {
    const text = [
      'Name Category Type Source Retention Time Description',
      'bannerSeen Essential Persistent First-Party Up to 365 days Remembers it.',
    ];
    expect(read(text.join('\n'))).toEqual([['bannerSeen', 'Up to 365 days']]);
  });

  it('reads a capitalised word as a name when its line says it is a cookie, not when it names a category', () => {
    const text = [
      '- Tartempion : Cookie qui garde votre consentement. Durée : 12 mois.',
      '- Analytics : les cookies de mesure sont conservés 13 mois.',
      '- Bandeau: This cookie remembers the banner. Duration: 6 months.',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['Tartempion', '12 mois'],
      ['Bandeau', '6 months'],
    ]);
  });

  it('keeps a placeholder holding spaces in the name it belongs to', () => {
    const [entry] = extract('Cookie Name Purpose Lifespan\nPool.[User ID].idToken Account check 1year').entries;
    expect(entry?.names).toEqual([
      expect.objectContaining({ printed: 'Pool.[User ID].idToken', pattern: 'Pool.*.idToken' }),
    ]);
    expect(entry?.lifetime.parsed).toEqual({ kind: 'duration', seconds: YEAR, maximum: false });
  });

  it('reads Markdown list items opened by "*", their names in code, in bold code or technical, with no lifetime', () => {
    const text = [
      'Folgende Cookies werden gesetzt:',
      '',
      '* __`_pk_id`__  +  __`_pk_ses`__:',
      '  Matomo, nur anonyme Zahlen.',
      '* **`farbschema`**:',
      '  Merkt sich das Farbschema',
      '* `PHPSESSID`: hält die Sitzung',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['_pk_id', ''],
      ['_pk_ses', ''],
      ['farbschema', ''],
      ['PHPSESSID', ''],
    ]);
    // A list of words about something else names no cookie, nor a glossary of capitals in code.
    expect(read('Your rights:\n\n* access: ask for your data\n* erasure: have it deleted')).toEqual([]);
    expect(read('* `HTTPS`: an encrypted connection.\n* `GDPR`: the EU regulation.')).toEqual([]);
  });

  it('reads keys listed with their values under a sentence about storage, and a key named after "the key"', () => {
    const text = [
      'The following key-value pairs are kept in local storage:',
      '',
      'App/Store/Chat = {',
      '    "chatId": "<uuid>"',
      '}',
      'App/Store/Notice = notice-<id>',
      '',
      'Your choice is saved in local storage under the key site_consent_v2.',
    ];
    const entries = extract(text.join('\n')).entries;
    expect(entries.map((entry) => [entry.names.map((name) => name.printed), entry.storage])).toEqual([
      [['App/Store/Chat', 'App/Store/Notice'], 'localStorage'],
      [['site_consent_v2'], 'cookie'],
    ]);
    // Assignments in a text about something else, and one key alone, are none.
    expect(read('Settings:\n\nmode = fast\nlevel = 2')).toEqual([]);
    expect(read('Cookie attributes:\nSecure = yes\nHttpOnly = yes\nSameSite = Lax')).toEqual([]);
    expect(read('Cookies we use, by purpose:\nStatistics = Matomo\nMarketing = none')).toEqual([]);
    expect(read('Data in our storage is encrypted with the key AES_256.')).toEqual([]);
    expect(read('Stored in local storage:\n\nApp/Store/Chat = {}')).toEqual([]);
  });

  it("keeps a table's lifetime for names a sentence names again beside another retention, and drops a pattern mentioning them", () => {
    const text = [
      'Your choice is kept for 12 months in the cookie `tz_consent`; proof of it is kept on our servers up to 24 months.',
      '',
      '| Cookie | Purpose | Duration |',
      '|---|---|---|',
      '| `tz_consent` | Keeps your choice | 12 months |',
      '| `_ga` | Tells visitors apart | 2 years |',
      '',
      'Withdrawing consent deletes the cookies `_ga*` as well.',
      'Data Google collects with `_ga` is kept 14 months.',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['tz_consent', '12 months'],
      ['_ga', '2 years'],
    ]);
  });

  it('reads a line of one word in Markdown italics as the word when it cannot be a name of underscores', () => {
    const text = ['_app:v2:accessToken_', '', 'Keeps you signed in.', '', '_\\_gat_', '', 'Throttles requests.'];
    expect(read(text.join('\n')).map(([name]) => name)).toEqual(['app:v2:accessToken', '_gat']);
    expect(read('_gac_\n\nHolds the campaign of an ad click. 90 days').map(([name]) => name)).toEqual(['_gac_']);
    expect(read('_hjSession_\n\nDuration: 30 minutes').map(([name]) => name)).toEqual(['_hjSession_']);
  });

  it('reads no name in a capitalised lifetime value set as code, a lower-case code word still one', () => {
    expect(read('Any expiry other than `Session` means the cookie outlives the browser session.')).toEqual([]);
    expect(read('The `session` cookie keeps you signed in until you close your browser.')).toEqual([
      ['session', 'close your browser'],
    ]);
  });

  it('reads a record whose "Name:" label is glued to the sentence before it', () => {
    const text = [
      'Name: shop_cart_hash',
      'Duration: session',
      'Purpose: Tells the shop when the cart changesName: shop_items_in_cart',
      'Duration: session',
      'Purpose: Counts the items.Name: shop_session',
      'Duration: 2 days',
    ];
    expect(read(text.join('\n'))).toEqual([
      ['shop_cart_hash', 'session'],
      ['shop_items_in_cart', 'session'],
      ['shop_session', '2 days'],
    ]);
  });

  it('says clearly when a text names no cookie', () => {
    const result = extractPolicyText('Nous utilisons des cookies pour améliorer le site.', { source: 'x.txt' });
    expect(result.catalogue.entries).toEqual([]);
    expect(result.understood).toBe(0);
    expect(result.notUnderstood).toEqual([expect.objectContaining({ reason: 'no cookie name found in the text' })]);
  });

  describe('consent rules from the sentences that state them', () => {
    const consentRules = (text: string) =>
      (extract(text).consentRules ?? []).map((rule) => [rule.appliesTo, rule.basis, rule.provenance.lines]);

    it('reads a category named by its heading or its subject, and "all cookies" for all', () => {
      const text = [
        'Cookies strictement nécessaires :',
        '',
        'Ces cookies ne nécessitent pas votre consentement.',
        '',
        'Les cookies publicitaires ne sont déposés qu’avec votre consentement.',
        '',
        'All cookies other than these require your consent.',
        'Tous les cookies de ce site sont soumis à votre consentement.',
      ].join('\n');
      expect(consentRules(text)).toEqual([
        ['strictly-necessary', 'exempt', [3, 3]],
        ['advertising', 'required', [5, 5]],
        ['all', 'required', [8, 8]],
      ]);
      expect(extract(text).consentRules![0]!.provenance.excerpt).toBe(
        'Ces cookies ne nécessitent pas votre consentement.',
      );
    });

    it('reads nothing it is not sure of: a part of the cookies, both bases, no category', () => {
      expect(
        consentRules(
          [
            'Le dépôt de certains cookies nécessite le consentement, d’autres cookies sont exemptés de consentement.',
            'Ces cookies nécessitent votre consentement.',
            'These cookies may require your consent.',
            'Les cookies exemptés de consentement :',
            'Our partners require your consent.',
          ].join('\n\n'),
        ),
      ).toEqual([]);
    });

    it('finds in the AMEX policy its exempt navigation and audience cookies, as the bundled catalogue reads them', () => {
      const seed = SEED_OF['europ-assistance-amex']!;
      const draft = extractPolicyText(readFileSync(join(SEEDS, seed), 'utf8'), { source: seed }).catalogue;
      expect(draft.consentRules?.map((rule) => [rule.appliesTo, rule.basis, rule.provenance.excerpt])).toEqual([
        [
          'functional',
          'exempt',
          'Ces cookies de navigation sont placés automatiquement sans que l’accord de l’Utilisateur ne soit demandé.',
        ],
        ['audience-measurement', 'exempt', 'Ces cookies d’audience exemptés de consentement :'],
      ]);
      const bundled = bundledCatalogues().find((c) => c.id === 'europ-assistance-amex')!.consentRules!;
      for (const rule of draft.consentRules!)
        expect(bundled).toContainEqual(expect.objectContaining({ appliesTo: rule.appliesTo, basis: rule.basis }));
    });
  });
});
