import type { Finding } from './findings';
import { describeLifetime, formatDuration } from './lifetime';
import type { WriteLifetime } from '../observation/observed';
import { sayIn, t, type Language, type MessageKey, type Say } from '../strings';
import { vendorDefaultContradiction } from '../vendors/known-cookies';

type Draft = Omit<Finding, 'id' | 'explanation'>;
/** The explanations that have a variant noting a provisional expiry (`<key>Provisional`). */
type ProvisionalKey = Extract<
  MessageKey,
  { [K in MessageKey]: K extends `${infer Base}Provisional` ? Base : never }[MessageKey]
>;

function actualText(lifetime: WriteLifetime | undefined, language: Language): string {
  if (!lifetime || lifetime.kind === 'unknown') return t(language, 'explainUnknownTime');
  if (lifetime.kind === 'session') return t(language, 'explainTheSession');
  return formatDuration(lifetime.seconds, sayIn(language));
}

function day(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** One line, in French and English, saying what a finding means for this cookie. */
export function explain(draft: Draft): { fr: string; en: string } {
  return { fr: line(draft, 'fr'), en: line(draft, 'en') };
}

function line(f: Draft, language: Language): string {
  const say = sayIn(language);
  const quote = (text: string) => say('quoted', text);
  const name = f.cookie ? quote(f.cookie.name) : f.entry?.printedName ? quote(f.entry.printedName) : '';
  const declared = f.rule
    ? describeLifetime(f.rule.lifetime.parsed, say)
    : f.entry
      ? describeLifetime(f.entry.lifetime.parsed, say)
      : '';
  const measured =
    f.measurement?.actualSeconds != null
      ? formatDuration(f.measurement.actualSeconds, say)
      : actualText(f.cookie?.requested, language);
  // A consent cookie's provisional expiry is noted at the end of the line, by the message's variant that takes it.
  const provisional = f.notes.includes('provisional-consent-expiry') ? say('explainProvisional') : null;
  const noting = (key: ProvisionalKey, ...substitutions: string[]) =>
    provisional === null ? say(key, ...substitutions) : say(`${key}Provisional`, ...substitutions, provisional);

  switch (f.kind) {
    case 'undeclared': {
      const thirdParty = f.cookie?.party === 'third';
      const thing =
        f.cookie?.store === 'cookie'
          ? say(thirdParty ? 'explainThing_thirdPartyCookie' : 'explainThing_cookie')
          : say(thirdParty ? 'explainThing_thirdPartyStorageKey' : 'explainThing_storageKey');
      return say('explain_undeclared', thing, name, f.cookie?.domain ?? '');
    }
    case 'lifetime-exceeds-declared':
      return noting('explain_lifetimeExceedsDeclared', name, measured, declared);
    case 'persistent-declared-session':
      return f.cookie?.store === 'localStorage'
        ? say('explain_persistentDeclaredSessionInLocalStorage', name)
        : noting('explain_persistentDeclaredSession', name, measured);
    case 'session-declared-persistent':
      return say('explain_sessionDeclaredPersistent', name, declared);
    case 'exceeds-policy-maximum':
      return noting('explain_exceedsPolicyMaximum', name, measured, declared);
    case 'exceeds-cnil-13-months': {
      const limit = f.measurement?.limitAt ? day(f.measurement.limitAt) : '';
      const ends = f.measurement?.endsAt ? day(f.measurement.endsAt) : '';
      return noting('explain_exceedsCnil13Months', name, ends, limit);
    }
    case 'third-party-declared-first-party':
      return say('explain_thirdPartyDeclaredFirstParty', name, f.cookie?.domain ?? '');
    case 'matched-by-variant':
      return say(
        f.match === 'case' ? 'explain_matchedIgnoringCase' : 'explain_matchedByVariant',
        name,
        quote(f.entry?.printedName ?? ''),
      );
    case 'declared-not-seen': {
      const minutes = f.coverage ? Math.max(0, Math.round((f.coverage.endedAt - f.coverage.startedAt) / 60000)) : 0;
      const pages = f.coverage?.pages ?? 0;
      return say('explain_declaredNotSeen', name, minutes, pages);
    }
    case 'vendor-default-contradiction':
      return f.vendor && f.entry
        ? vendorDefaultContradiction(f.entry.lifetime.parsed, f.vendor).explanation[language]
        : say('explain_vendorDefaultContradiction');
    case 'policy-lists-no-cookies':
      return say('explain_policyListsNoCookies');
    case 'set-before-consent':
      return withContradiction(f, say('explain_setBeforeConsent', name, basisWords(f, say)), say);
    case 'set-after-refusal': {
      const text =
        f.consent?.choice === 'accepted-part'
          ? say('explain_setAfterPartialRefusal', name, basisWords(f, say), quote(categoryWords(f, say)))
          : say('explain_setAfterRefusal', name, basisWords(f, say));
      return withContradiction(f, text, say);
    }
    case 'exemption-conditions-not-met':
      return f.notes.includes('exemption-third-party')
        ? say('explain_exemptionConditionsNotMetThirdParty', name, f.cookie?.domain ?? '')
        : f.measurement
          ? say('explain_exemptionConditionsNotMetLifetime', name, measured)
          : say(
              'explain_exemptionConditionsNotMetDeclaredLifetime',
              name,
              f.entry && f.entry.lifetime.parsed.kind !== 'unknown' ? quote(f.entry.lifetime.text) : declared,
            );
    case 'consent-state-unknown':
      return say('explain_consentStateUnknown', f.consent?.itemsNeedingConsent ?? 0);
    case 'refusal-harder-than-acceptance': {
      const banner = f.consent?.banner;
      return say(
        'explain_refusalHarderThanAcceptance',
        banner?.site ?? '',
        banner?.refuseClicks ?? 0,
        banner?.acceptClicks ?? 0,
      );
    }
  }
}

function categoryWords(f: Draft, say: Say): string {
  const category = f.entry?.category ?? 'unknown';
  return say(`category_${category.replaceAll('-', '_') as CategoryKey}`);
}
type CategoryKey = MessageKey extends `category_${infer K}` ? K : never;

/** Whose word says the cookie needs consent: the policy's, for the entry or its category, or the regulator's rule. */
function basisWords(f: Draft, say: Say): string {
  switch (f.consent?.basis?.from) {
    case 'entry':
      return say('consentBasis_fromEntry');
    case 'policy-rule':
      return say('consentBasis_fromPolicyRule');
    default:
      return say('consentBasis_fromRegulator');
  }
}

/** A site's signal said the opposite of Cookie Lens's own banner action: noted after the finding's line. */
function withContradiction(f: Draft, text: string, say: Say): string {
  return f.consent?.contradictedBy ? `${text} ${say('explain_consentBannerContradicted')}` : text;
}
