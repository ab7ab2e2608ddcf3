import { describe, expect, it } from 'vitest';
import { sayIn } from '../../strings';
import { consentProblemText } from './problem-text';

describe('a consent problem in words', () => {
  it('names the cookie and its platform, in English and French', () => {
    const problem = { platform: 'onetrust', name: 'OptanonConsent', reason: 'malformed' } as const;
    expect(consentProblemText(sayIn('en'), problem)).toBe(
      'The consent cookie OptanonConsent (OneTrust) could not be read: its value is not in the format OneTrust writes. The consent it records is unknown.',
    );
    expect(consentProblemText(sayIn('fr'), { ...problem, reason: 'too-long' })).toMatch(
      /^Le cookie de consentement OptanonConsent \(OneTrust\) n’a pas pu être lu : sa valeur est plus longue/,
    );
  });
});
