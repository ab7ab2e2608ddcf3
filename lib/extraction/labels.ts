import type { Category, ConsentBasis, Party, Storage } from '../catalogue/schema';

/**
 * The catalogue's categories, storages, parties and consent bases read from the labels sources print ("Cookies de mesure
 * d'audience", "Statistics", "Targeting Cookies", "HTML Local Storage", "Cookies tiers"), in French and English.
 * A label matching nothing is `unknown`: never a guess.
 */
function normalize(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`]/g, ' ')
    .replace(/\s+/g, ' ');
}

// Order matters: the first match wins ("cookies strictement necessaires" before a "cookie" of consent).
const CATEGORY_WORDS: ReadonlyArray<[RegExp, Category]> = [
  [/\b(unclassified|non classes?|non classifies?|pending|a classer)\b/, 'unknown'],
  [
    /\b(strictement necessaires?|strictly necessary|necessaires?|necessary|essentiels?|essential|required|indispensables?|techniques?|technical)\b/,
    'strictly-necessary',
  ],
  [/\b(consentement|consent|cmp)\b/, 'consent'],
  [/\b(securite|security|anti ?fraude|fraud|csrf|xsrf)\b/, 'security'],
  [/\b(chat ?bot|chat|aide en ligne|assistance en ligne|online help|support)\b/, 'support-chat'],
  [/\b(publicit\w*|advertis\w*|marketing|ciblage|targeting|targeted|retargeting|reciblage)\b/, 'advertising'],
  [/\b(reseaux sociaux|social|sociaux|partage)\b/, 'social'],
  [/\b(mesures? d audience|audience|statisti\w*|analytics?|analytiques?|analyse|analysis)\b/, 'audience-measurement'],
  [/\b(performances?|monitoring|supervision|apm)\b/, 'performance'],
  [
    /\b(fonctionnels?|fonctionnalite\w*|functional|functionality|preferences?|personnalisation|personalization|personalisation)\b/,
    'functional',
  ],
];

export function categoryFromLabel(label: string | null | undefined): Category {
  const normal = normalize(label ?? '');
  for (const [words, category] of CATEGORY_WORDS) if (words.test(normal)) return category;
  return 'unknown';
}

/** True when the label names a category at all (so a "Type" column holding categories is read as such). */
export function isCategoryLabel(label: string): boolean {
  return categoryFromLabel(label) !== 'unknown' || /\b(unclassified|non class)/.test(normalize(label));
}

export function storageFromLabel(label: string | null | undefined): Storage {
  const normal = normalize(label ?? '');
  if (/\b(session ?storage|stockage de session)\b/.test(normal)) return 'sessionStorage';
  if (/\b(local ?storage|stockage local|html local|web ?storage)\b/.test(normal)) return 'localStorage';
  if (/\b(cookies?|http|traceurs?)\b/.test(normal)) return 'cookie';
  return 'unknown';
}

export function partyFromLabel(label: string | null | undefined): Party {
  const normal = normalize(label ?? '');
  if (/\b(tiers|third|3rd|3eme|externes?)\b/.test(normal)) return 'third';
  if (/\b(internes?|first|1st|1er|propres?|premiere partie)\b/.test(normal)) return 'first';
  return 'unspecified';
}

// Said outright, the need for consent wins over the category words; a negation first ("do not require your consent"
// holds "require your consent"; "non essentiels" holds "essentiels", and says nothing sure).
const CONSENT_WORDS: ReadonlyArray<[RegExp, ConsentBasis | null]> = [
  [/\b(non|not|pas)[ -](strictement |strictly )?(essentiels?|essential|necessaires?|necessary)\b/, null],
  [
    /\b(exemptes? de consentement|exempts? de consentement|exempt(ed)? from consent|(ne )?(necessit\w{0,3}|requier\w{0,3}) pas (de |votre |le )?(consentement|accord)|(does|do) not require (your |any )?consent|(no|without) consent (needed|required)|sans (votre )?consentement)\b/,
    'exempt',
  ],
  [
    /\b(soumis (a|au) (votre |leur )?(consentement|accord)|(necessit\w{0,3}|requier\w{0,3}) (votre |le |leur )?(consentement|accord)|requires? (your |prior )?consent|subject to (your )?consent|consent required)\b/,
    'required',
  ],
  [/\b(strictement necessaires?|strictly necessary|essentiels?|essential)\b/, 'exempt'],
  [/^(cookies? )?(necessaires?|necessary)( cookies?)?$/, 'exempt'],
];

/**
 * What a category label says of the need for consent: "Strictement nécessaires", "Essentiels", "Exemptés de
 * consentement" are exempt; "Soumis à consentement", "Requires your consent" required. Any other label ("Analytics",
 * "Publicité") says nothing of it: null, and the regulator's rule decides later.
 */
export function consentBasisFromLabel(label: string | null | undefined): ConsentBasis | null {
  const normal = normalize(label ?? '').trim();
  for (const [words, basis] of CONSENT_WORDS) if (words.test(normal)) return basis;
  return null;
}
