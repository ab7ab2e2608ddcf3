import type { FindingKind, Severity } from '../audit/findings';
import { formatDuration } from '../audit/lifetime';
import type { ReportFinding, ReportWriteLifetime } from './report-schema';

/** What the CSV and HTML reports say alike, in French and English. */
export type Language = 'fr' | 'en';

export const SEVERITY_LABELS: Record<Severity, Record<Language, string>> = {
  high: { fr: 'Élevée', en: 'High' },
  medium: { fr: 'Moyenne', en: 'Medium' },
  low: { fr: 'Faible', en: 'Low' },
  info: { fr: 'Information', en: 'Info' },
};

export const KIND_LABELS: Record<FindingKind, Record<Language, string>> = {
  undeclared: { fr: 'Non déclaré', en: 'Undeclared' },
  'lifetime-exceeds-declared': { fr: 'Vit plus longtemps que déclaré', en: 'Lives longer than declared' },
  'persistent-declared-session': { fr: 'Déclaré de session, conservé au-delà', en: 'Declared session, kept longer' },
  'session-declared-persistent': { fr: 'Déclaré persistant, déposé pour la session', en: 'Declared persistent, set for the session' },
  'exceeds-policy-maximum': { fr: 'Au-delà du maximum de la politique', en: 'Beyond the policy’s own maximum' },
  'exceeds-cnil-13-months': { fr: 'Au-delà des 13 mois de la CNIL', en: 'Beyond the CNIL’s 13 months' },
  'third-party-declared-first-party': { fr: 'Déclaré interne, déposé par un tiers', en: 'Declared first-party, set by a third party' },
  'matched-by-variant': { fr: 'Reconnu par une variante d’écriture', en: 'Matched by a spelling variant' },
  'declared-not-seen': { fr: 'Déclaré, non observé', en: 'Declared, not seen' },
  'policy-lists-no-cookies': { fr: 'La politique ne nomme aucun cookie', en: 'The policy names no cookie' },
  'vendor-default-contradiction': { fr: 'Contredit la documentation de l’éditeur', en: 'Contradicts the vendor’s documentation' },
};

export function lifetimeText(lifetime: ReportWriteLifetime, language: Language): string {
  if (lifetime.kind === 'session') return 'session';
  if (lifetime.kind === 'unknown') return language === 'fr' ? 'inconnue' : 'unknown';
  return formatDuration(lifetime.seconds, language);
}

/** The life the finding judged: its measurement where there is one, else the one the judged write asked for. */
export function actualLifetimeText(finding: ReportFinding, language: Language): string {
  const actual = finding.measurement?.actualSeconds;
  if (actual != null) return formatDuration(actual, language);
  return finding.cookie.observed ? lifetimeText(finding.cookie.requested, language) : '';
}

/** The policy's words a finding rests on: the rule it invokes where there is one, else the entry. */
export function declarationOf(finding: ReportFinding): NonNullable<ReportFinding['rule'] | ReportFinding['entry']> | null {
  return finding.rule ?? finding.entry;
}

/** "policy.txt:209-335", or the source alone when it has no lines. */
export function sourceText(declaration: { source: string; lines: [number, number] | null }): string {
  const { source, lines } = declaration;
  if (!lines) return source;
  return lines[0] === lines[1] ? `${source}:${lines[0]}` : `${source}:${lines[0]}-${lines[1]}`;
}
