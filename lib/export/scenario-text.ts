import { t, type Language } from '../strings';
import type { ReportConsentChange, ReportScenario } from './report-schema';

/** A consent scenario's name, and what its banner came to, in words (the HTML report and the demo's summary). */
export function scenarioLabel(scenario: Pick<ReportScenario, 'name'>, language: Language): string {
  return t(language, `scenario_name_${scenario.name}`);
}

export function bannerText(scenario: ReportScenario, language: Language): string {
  const { banner } = scenario;
  if (scenario.status === 'banner-not-recognised') return t(language, 'scenario_notRecognised');
  if (scenario.status === 'failed') return t(language, 'scenario_failed', scenario.error ?? '');
  if (banner === null) return t(language, 'scenario_noOutcome');
  if (banner.status === 'not-recognised') return t(language, 'scenario_noBanner');
  const rule = banner.rule ?? '?';
  if (scenario.name === 'none') return t(language, 'scenario_detected', rule);
  if (banner.clicks === null) return t(language, 'scenario_answeredUncounted', rule);
  return banner.clicks === 1
    ? t(language, 'scenario_answeredOnce', rule)
    : t(language, 'scenario_answered', rule, banner.clicks);
}

/** "2026-11-23T10:00:01.000Z refused (onetrust OptanonConsent)". */
export function consentChangeText(change: ReportConsentChange, language: Language): string {
  const { source } = change;
  const from =
    source.kind === 'signal'
      ? `${source.platform} ${source.name}`
      : source.kind === 'banner'
        ? `${source.rule} ${source.action}`
        : `${source.platform} ${source.host}`;
  // The platform's own ids only when nothing else says what was allowed, as the popup does.
  const named = [...(change.granted ?? []), ...(change.purposes ?? []).map((p) => `TCF ${p}`)];
  const parts = named.length > 0 ? named : (change.platformCategories ?? []);
  const choice = t(language, `scenario_choice_${change.choice.replaceAll('-', '_') as ChoiceKey}`);
  const allowing = parts.length > 0 ? t(language, 'scenario_choiceAllowing', choice, parts.join(', ')) : choice;
  return `${change.at} ${allowing} (${from})`;
}
type ChoiceKey = 'no_choice' | 'refused' | 'accepted_all' | 'accepted_part';
