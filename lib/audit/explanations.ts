import type { Finding } from './findings';
import { describeLifetime, formatDuration } from './lifetime';
import type { WriteLifetime } from '../observation/observed';
import { vendorDefaultContradiction } from '../vendors/known-cookies';

type Language = 'fr' | 'en';
type Draft = Omit<Finding, 'id' | 'explanation'>;

function actualText(lifetime: WriteLifetime | undefined, language: Language): string {
  if (!lifetime || lifetime.kind === 'unknown') return language === 'fr' ? 'une durée inconnue' : 'an unknown time';
  if (lifetime.kind === 'session') return language === 'fr' ? 'la session' : 'the session';
  return formatDuration(lifetime.seconds, language);
}

function day(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** One line, in French and English, saying what a finding means for this cookie. */
export function explain(draft: Draft): { fr: string; en: string } {
  return { fr: line(draft, 'fr'), en: line(draft, 'en') };
}

function line(f: Draft, language: Language): string {
  const fr = language === 'fr';
  const quote = (text: string) => (fr ? `« ${text} »` : `“${text}”`);
  const name = f.cookie ? quote(f.cookie.name) : f.entry?.printedName ? quote(f.entry.printedName) : '';
  const en = (text: string, french: string) => (fr ? french : text);
  const declared = f.rule ? describeLifetime(f.rule.lifetime.parsed, language) : f.entry ? describeLifetime(f.entry.lifetime.parsed, language) : '';
  const measured = f.measurement?.actualSeconds != null ? formatDuration(f.measurement.actualSeconds, language) : actualText(f.cookie?.requested, language);
  const provisional = f.notes.includes('provisional-consent-expiry')
    ? en(' (likely a consent placeholder until the visitor chooses)', ' (sans doute provisoire, en attendant le choix du visiteur)')
    : '';
  const party = f.cookie?.party === 'third' ? en('third-party ', 'tiers ') : '';

  switch (f.kind) {
    case 'undeclared':
      return en(
        `The ${party}${f.cookie?.store === 'cookie' ? 'cookie' : 'storage key'} ${name} set on ${f.cookie?.domain} is not declared in the policy.`,
        `Le ${f.cookie?.store === 'cookie' ? 'cookie' : 'stockage'} ${party}${name} déposé sur ${f.cookie?.domain} n’est pas déclaré dans la politique.`,
      );
    case 'lifetime-exceeds-declared':
      return en(
        `${name} lives ${measured}, longer than the declared ${declared}${provisional}.`,
        `${name} vit ${measured}, plus longtemps que la durée déclarée (${declared})${provisional}.`,
      );
    case 'persistent-declared-session':
      return f.cookie?.store === 'localStorage'
        ? en(
            `${name} is declared as a session cookie but kept in localStorage, which outlives the session.`,
            `${name} est déclaré comme cookie de session mais conservé en localStorage, qui survit à la session.`,
          )
        : en(
            `${name} is declared as a session cookie but is kept ${measured}${provisional}.`,
            `${name} est déclaré comme cookie de session mais est conservé ${measured}${provisional}.`,
          );
    case 'session-declared-persistent':
      return en(
        `${name} is declared to last ${declared} but was set as a session cookie.`,
        `${name} est déclaré pour ${declared} mais a été déposé comme cookie de session.`,
      );
    case 'exceeds-policy-maximum':
      return en(
        `${name} lives ${measured}, beyond the policy’s own maximum (${declared})${provisional}.`,
        `${name} vit ${measured}, au-delà du maximum fixé par la politique (${declared})${provisional}.`,
      );
    case 'exceeds-cnil-13-months': {
      const limit = f.measurement?.limitAt ? day(f.measurement.limitAt) : '';
      const ends = f.measurement?.endsAt ? day(f.measurement.endsAt) : '';
      return en(
        `${name} would live until ${ends}, past the CNIL’s 13 months from its first deposit (${limit})${provisional}.`,
        `${name} vivrait jusqu’au ${ends}, au-delà des 13 mois de la CNIL depuis son premier dépôt (${limit})${provisional}.`,
      );
    }
    case 'third-party-declared-first-party':
      return en(
        `${name} is declared as a first-party cookie but was set by a third party (${f.cookie?.domain}).`,
        `${name} est déclaré comme cookie interne mais a été déposé par un tiers (${f.cookie?.domain}).`,
      );
    case 'matched-by-variant':
      return en(
        `${name} matches the declared name ${quote(f.entry?.printedName ?? '')} only when ${f.match === 'case' ? 'case is ignored' : 'its spelling is loosened'}.`,
        `${name} ne correspond au nom déclaré ${quote(f.entry?.printedName ?? '')} qu’${f.match === 'case' ? 'en ignorant la casse' : 'en tolérant une variante d’écriture'}.`,
      );
    case 'declared-not-seen': {
      const minutes = f.coverage ? Math.max(0, Math.round((f.coverage.endedAt - f.coverage.startedAt) / 60000)) : 0;
      const pages = f.coverage?.pages ?? 0;
      return en(
        `${name} is declared but was not seen in ${minutes} min and ${pages} page(s) of this visit.`,
        `${name} est déclaré mais n’a pas été vu en ${minutes} min et ${pages} page(s) de cette visite.`,
      );
    }
    case 'vendor-default-contradiction':
      return f.vendor && f.entry
        ? vendorDefaultContradiction(f.entry.lifetime.parsed, f.vendor).explanation[language]
        : en('The declared lifetime contradicts the vendor’s documentation.', 'La durée déclarée contredit la documentation de l’éditeur.');
    case 'policy-lists-no-cookies':
      return en(
        'The policy names no cookie: every cookie the site sets is undeclared.',
        'La politique ne nomme aucun cookie : tout cookie déposé par le site est non déclaré.',
      );
  }
}
