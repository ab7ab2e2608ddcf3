import type { FindingKind } from '../audit/findings';
import { formatDuration } from '../audit/lifetime';
import { sayIn, t, type Language, type MessageKey } from '../strings';
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
