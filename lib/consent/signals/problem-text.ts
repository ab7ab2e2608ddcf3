import type { Say } from '../../strings';
import type { ConsentPlatform } from '../consent-state';
import type { ConsentProblem } from './reading';

/** The consent platforms' names, as they write them (the same in every language). */
export const CONSENT_PLATFORM_NAMES: Record<ConsentPlatform, string> = {
  'commanders-act': 'Commanders Act',
  onetrust: 'OneTrust',
  cookiebot: 'Cookiebot',
  didomi: 'Didomi',
  axeptio: 'Axeptio',
  tarteaucitron: 'tarteaucitron',
  tcf: 'IAB TCF',
};

/** A visit's consent problem in words: which cookie could not be read, and why (never its value). */
export function consentProblemText(say: Say, problem: Pick<ConsentProblem, 'platform' | 'name' | 'reason'>): string {
  const key = problem.reason === 'too-long' ? 'consentSignal_problemTooLong' : 'consentSignal_problemMalformed';
  return say(key, problem.name, CONSENT_PLATFORM_NAMES[problem.platform]);
}
