import type { FindingKind } from '../audit/findings';
import { formatDuration } from '../audit/lifetime';
import { sayIn, t, type Language, type MessageKey } from '../strings';
import { describeConsentBasis } from '../consent/basis';
import type { ReportFinding, ReportWriteLifetime } from './report-schema';

/** A kind of finding in words, from the table the popup reads too (`kind_<kind>`). */
export function kindLabel(kind: FindingKind, language: Language): string {
  return t(language, `kind_${kind.replaceAll('-', '_') as KindKey}`);
}
type KindKey = MessageKey extends `kind_${infer K}` ? K : never;

export function lifetimeText(lifetime: ReportWriteLifetime, language: Language): string {
  if (lifetime.kind === 'session') return t(language, 'lifeSession');
  if (lifetime.kind === 'unknown') return t(language, 'lifeUnknown');
  return formatDuration(lifetime.seconds, sayIn(language));
}

/** The life the finding judged: its measurement where there is one, else the one the judged write asked for. */
export function actualLifetimeText(finding: ReportFinding, language: Language): string {
  const actual = finding.measurement?.actualSeconds;
  if (actual != null) return formatDuration(actual, sayIn(language));
  return finding.cookie.observed ? lifetimeText(finding.cookie.requested, language) : '';
}

/** The policy's words a finding rests on: the rule it invokes where there is one, else the entry. */
export function declarationOf(
  finding: ReportFinding,
): NonNullable<ReportFinding['rule'] | ReportFinding['entry']> | null {
  return finding.rule ?? finding.entry;
}

/** "policy.txt:209-335", or the source alone when it has no lines. */
export function sourceText(declaration: { source: string; lines: [number, number] | null }): string {
  const { source, lines } = declaration;
  if (!lines) return source;
  return lines[0] === lines[1] ? `${source}:${lines[0]}` : `${source}:${lines[0]}-${lines[1]}`;
}

type ReportConsent = NonNullable<ReportFinding['consent']>;
type ReportConsentChange = NonNullable<ReportConsent['state']>;
type ReportConsentBasis = NonNullable<ReportConsent['basis']>;

const CHOICE_KEYS: Record<ReportConsent['choice'], MessageKey> = {
  unknown: 'explainConsentChoice_unknown',
  'no-choice': 'explainConsentChoice_noChoice',
  refused: 'explainConsentChoice_refused',
  'accepted-all': 'explainConsentChoice_acceptedAll',
  'accepted-part': 'explainConsentChoice_acceptedPart',
};

/** Where a change of the consent state came from: Cookie Lens's banner answer, a site's signal, a platform loaded. */
export function consentSourceText(change: ReportConsentChange, language: Language): string {
  const { source } = change;
  if (source.kind === 'banner') return t(language, 'explainConsentSource_banner', source.rule);
  if (source.kind === 'signal') return t(language, 'explainConsentSource_signal', source.name, source.platform);
  return t(language, 'explainConsentSource_platformLoaded', source.platform, source.host);
}

/** The consent state at the judged write: the choice, and the change that made it hold, with when. */
export function consentStateText(consent: ReportFinding['consent'], language: Language): string {
  if (!consent || consent.banner) return '';
  const granted = consent.choice === 'accepted-part' && consent.state?.granted;
  const choice = `${t(language, CHOICE_KEYS[consent.choice])}${granted ? ` (${granted.join(', ')})` : ''}`;
  return consent.state ? `${choice} — ${consentSourceText(consent.state, language)}, ${consent.state.at}` : choice;
}

/** The basis a finding applies (its consent evidence's, else its entry's), and whose word it is. */
export function consentBasisOfFinding(finding: ReportFinding): ReportConsentBasis | null {
  return finding.consent?.basis ?? finding.entry?.consent ?? null;
}

export function consentBasisText(basis: ReportConsentBasis | null, language: Language): string {
  if (!basis) return '';
  const words = describeConsentBasis(basis, language);
  return `${words.basis}, ${words.whose}`;
}

/** The words the basis rests on: the policy's excerpt, or the regulator's rule in the reader's language. */
export function consentExcerptText(basis: ReportConsentBasis | null, language: Language): string {
  return basis ? describeConsentBasis(basis, language).excerpt : '';
}
