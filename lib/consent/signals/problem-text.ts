import type { Say } from '../../strings';
import { CONSENT_PLATFORM_NAMES } from '../consent-state';
import type { ConsentProblem } from './reading';

/** A visit's consent problem in words: which cookie could not be read, and why (never its value). */
export function consentProblemText(say: Say, problem: Pick<ConsentProblem, 'platform' | 'name' | 'reason'>): string {
  const key = problem.reason === 'too-long' ? 'consentSignal_problemTooLong' : 'consentSignal_problemMalformed';
  return say(key, problem.name, CONSENT_PLATFORM_NAMES[problem.platform]);
}
