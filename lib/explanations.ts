import type { Finding } from './findings';
import { describeLifetime, formatDuration } from './lifetime';
import type { WriteLifetime } from './observed';
import { sayIn, t, type Language } from './strings';
import { vendorDefaultContradiction } from './vendors/known-cookies';

type Draft = Omit<Finding, 'id' | 'explanation'>;

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
  const declared = f.rule ? describeLifetime(f.rule.lifetime.parsed, say) : f.entry ? describeLifetime(f.entry.lifetime.parsed, say) : '';
  const measured = f.measurement?.actualSeconds != null ? formatDuration(f.measurement.actualSeconds, say) : actualText(f.cookie?.requested, language);
  const provisional = f.notes.includes('provisional-consent-expiry') ? ` ${say('explainProvisional')}` : '';

  switch (f.kind) {
    case 'undeclared': {
      const thirdParty = f.cookie?.party === 'third';
      const thing = f.cookie?.store === 'cookie'
        ? say(thirdParty ? 'explainThing_thirdPartyCookie' : 'explainThing_cookie')
        : say(thirdParty ? 'explainThing_thirdPartyStorageKey' : 'explainThing_storageKey');
      return say('explain_undeclared', thing, name, f.cookie?.domain ?? '');
    }
    case 'lifetime-exceeds-declared':
      return say('explain_lifetimeExceedsDeclared', name, measured, declared, provisional);
    case 'persistent-declared-session':
      return f.cookie?.store === 'localStorage'
        ? say('explain_persistentDeclaredSessionInLocalStorage', name)
        : say('explain_persistentDeclaredSession', name, measured, provisional);
    case 'session-declared-persistent':
      return say('explain_sessionDeclaredPersistent', name, declared);
    case 'exceeds-policy-maximum':
      return say('explain_exceedsPolicyMaximum', name, measured, declared, provisional);
    case 'exceeds-cnil-13-months': {
      const limit = f.measurement?.limitAt ? day(f.measurement.limitAt) : '';
      const ends = f.measurement?.endsAt ? day(f.measurement.endsAt) : '';
      return say('explain_exceedsCnil13Months', name, ends, limit, provisional);
    }
    case 'third-party-declared-first-party':
      return say('explain_thirdPartyDeclaredFirstParty', name, f.cookie?.domain ?? '');
    case 'matched-by-variant':
      return say(f.match === 'case' ? 'explain_matchedIgnoringCase' : 'explain_matchedByVariant', name, quote(f.entry?.printedName ?? ''));
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
  }
}
