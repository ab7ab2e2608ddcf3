import type { Finding } from '../../lib/audit/findings';
import { refusalHarderThanAcceptance, type BannerEffort } from '../../lib/audit/refusal-effort';
import type { BannerMode, BannerOutcome } from '../../lib/consent/banner-outcome';
import { parseConsentRules } from '../../lib/consent/banner-rules';
import type { Language } from '../../lib/strings';
import { askBackground, type Evaluating } from '../browsers';

/**
 * Every call the consent audit makes to the other parts of the consent work, in one place: the banner engine's two
 * messages (answered by the background), the reading of a --consent-rules file, and the builder of the
 * `refusal-harder-than-acceptance` finding.
 */
export type { BannerMode, BannerOutcome };

/** `set-banner-mode` for the whole browser session, with the --consent-rules file's rules when there is one. */
export async function setBannerMode(
  page: Evaluating,
  mode: BannerMode,
  rules: unknown,
  language: Language,
): Promise<void> {
  const answer = await askBackground(page, {
    type: 'set-banner-mode',
    mode,
    language,
    ...(rules === undefined ? {} : { rules }),
  });
  if (!answer.ok) {
    const problems = 'problems' in answer ? answer.problems.slice(0, 10).map((p) => `\n  ${p}`) : [];
    throw new Error(`the background refused "set-banner-mode": ${answer.error}${problems.join('')}`);
  }
}

/** `get-banner-outcome` for a tab. */
export async function bannerOutcome(page: Evaluating, tabId: number): Promise<BannerOutcome> {
  const answer = await askBackground(page, { type: 'get-banner-outcome', tabId });
  if (!answer.ok) throw new Error(`the background refused "get-banner-outcome": ${answer.error}`);
  return answer.outcome;
}

/** Reads a --consent-rules file's text: the rules to hand to `set-banner-mode`, or what is wrong with it, in `language`. */
export function readRulesFile(text: string, language: Language): { rules: unknown } | { error: string } {
  const read = parseConsentRules(text, language);
  return read.ok ? { rules: read.rules } : { error: read.problems.join('\n  ') };
}

/** The `refusal-harder-than-acceptance` finding of a site (its registrable domain) whose banner took more to refuse. */
export function refusalHarderFinding(site: string, effort: BannerEffort): Finding {
  return refusalHarderThanAcceptance(site, effort);
}
