import type { Catalogue, Category, ConsentBasis, Entry, ParsedLifetime } from '../catalogue/schema';
import { DAY, declaredMaximumSeconds, MONTH } from '../audit/lifetime';
import { t, type Language, type MessageKey } from '../strings';
import type { EffectiveConsentBasis } from './consent-state';

/**
 * Which basis applies to a catalogue entry, and whose word it is. The site's word first: the entry's own, then a rule
 * of its policy for the entry's category, then one for all its cookies. Where the policy says nothing, the CNIL's
 * guidelines on article 82 of the French data protection act decide, and say so: the regulator's rule, never the
 * site's word. docs/findings.md lists the regulator's rule per category and the reasons.
 */
export function consentBasisOf(catalogue: Catalogue, entry: Entry): EffectiveConsentBasis {
  if (entry.consent && entry.consent.basis !== 'unspecified') {
    const { basis, provenance } = entry.consent;
    return {
      basis,
      from: 'entry',
      excerpt: provenance.excerpt,
      source: provenance.source,
      lines: provenance.lines ?? null,
    };
  }
  const rules = (catalogue.consentRules ?? []).filter((rule) => rule.basis !== 'unspecified');
  const rule = rules.find((r) => r.appliesTo === entry.category) ?? rules.find((r) => r.appliesTo === 'all') ?? null;
  if (rule) {
    const { provenance } = rule;
    return {
      basis: rule.basis,
      from: 'policy-rule',
      excerpt: provenance.excerpt,
      source: provenance.source,
      lines: provenance.lines ?? null,
    };
  }
  const { basis, wording } = regulatorRule(catalogue, entry);
  const language = languageOf(catalogue);
  return {
    basis,
    from: 'regulator',
    excerpt: t(language, wording),
    source: t(language, 'consentBasis_regulatorSource'),
    lines: null,
    regulatorRule: { fr: t('fr', wording), en: t('en', wording) },
  };
}

/** The audience-measurement exemption's lifetime limit: 13 months from the first deposit, a day for clocks. */
export const AUDIENCE_EXEMPTION_MAX_SECONDS = 13 * MONTH + DAY;

/** What the regulator's rule says of an entry, as the name of its wording in the messages. */
export interface RegulatorRule {
  basis: ConsentBasis;
  wording: RegulatorWording;
}
export type RegulatorWording = Extract<MessageKey, `consentBasis_regulator_${string}`>;

const EXEMPT_BY_CATEGORY: Partial<Record<Category, RegulatorWording>> = {
  consent: 'consentBasis_regulator_consentStorage',
  'strictly-necessary': 'consentBasis_regulator_strictlyNecessary',
  security: 'consentBasis_regulator_security',
  functional: 'consentBasis_regulator_interfacePreferences',
};

/**
 * The regulator's rule for an entry, from what the entry declares. Audience measurement is exempt only under the
 * exemption's conditions: a third party, or a lifetime over 13 months, declared by the entry, means consent is needed.
 * An `unknown` category gets `unspecified`: no consent finding is made on a guess.
 */
export function regulatorRule(catalogue: Catalogue, entry: Entry): RegulatorRule {
  const exempt = EXEMPT_BY_CATEGORY[entry.category];
  if (exempt) return { basis: 'exempt', wording: exempt };
  switch (entry.category) {
    case 'audience-measurement': {
      if (entry.party === 'third') return { basis: 'required', wording: 'consentBasis_regulator_audienceThirdParty' };
      const seconds = declaredSecondsOf(catalogue, entry);
      if (seconds !== null && seconds > AUDIENCE_EXEMPTION_MAX_SECONDS)
        return { basis: 'required', wording: 'consentBasis_regulator_audienceTooLong' };
      return { basis: 'exempt', wording: 'consentBasis_regulator_audienceExempt' };
    }
    case 'unknown':
      return { basis: 'unspecified', wording: 'consentBasis_regulator_unknownCategory' };
    default:
      return { basis: 'required', wording: 'consentBasis_regulator_required' };
  }
}

/** The entry's declared maximum in seconds, or its category's default where it declares none. */
export function declaredSecondsOf(catalogue: Catalogue, entry: Entry): number | null {
  const own: ParsedLifetime = entry.lifetime.parsed;
  if (own.kind !== 'unknown') return declaredMaximumSeconds(own);
  const fallback = catalogue.rules.find((r) => r.role === 'default' && r.appliesTo === entry.category);
  return fallback ? declaredMaximumSeconds(fallback.lifetime.parsed) : null;
}

/** The regulator's words are given in the policy's language, like the site's own excerpts. */
function languageOf(catalogue: Catalogue): Language {
  return catalogue.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** A basis in words, in one language: what it says, whose word it is, and the words it rests on. */
export interface ConsentBasisWords {
  basis: string;
  whose: string;
  excerpt: string;
}

export function describeConsentBasis(
  basis: Pick<EffectiveConsentBasis, 'basis' | 'from' | 'excerpt' | 'regulatorRule'>,
  language: Language,
): ConsentBasisWords {
  const whose: Record<EffectiveConsentBasis['from'], MessageKey> = {
    entry: 'consentBasis_fromEntry',
    'policy-rule': 'consentBasis_fromPolicyRule',
    regulator: 'consentBasis_fromRegulator',
  };
  return {
    basis: t(language, `consentBasis_${basis.basis}`),
    whose: t(language, whose[basis.from]),
    // The site's words stay in the policy's language; the regulator's rule is Cookie Lens's, worded in the reader's.
    excerpt: basis.from === 'regulator' && basis.regulatorRule ? basis.regulatorRule[language] : basis.excerpt,
  };
}
