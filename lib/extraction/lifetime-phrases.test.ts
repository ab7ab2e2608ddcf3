import { describe, expect, it } from 'vitest';
import { DAY, MONTH, YEAR } from '../audit/lifetime';
import { findLifetimes } from './lifetime-phrases';

describe('findLifetimes', () => {
  it('reads a larger unit then a smaller one as one duration ("1 year 1 month", "1 an 6 mois")', () => {
    expect(findLifetimes('remember_me – 1 year 1 month').map((found) => found.lifetime.parsed)).toEqual([
      { kind: 'duration', seconds: Math.round(YEAR + MONTH), maximum: false },
    ]);
    expect(findLifetimes('1 an 6 mois').map((found) => found.text)).toEqual(['1 an 6 mois']);
  });

  it('keeps lifetimes of the same unit side by side apart: one per cookie', () => {
    expect(findLifetimes('365 Days 180 Days').map((found) => found.lifetime.parsed)).toEqual([
      { kind: 'duration', seconds: 365 * DAY, maximum: false },
      { kind: 'duration', seconds: 180 * DAY, maximum: false },
    ]);
  });

  it('reads the end of the session however it is said', () => {
    for (const text of ['Until browser is closed', 'Session: removed when the browser is closed'])
      expect(findLifetimes(text).map((found) => found.lifetime.parsed.kind)).toEqual(['session']);
  });
});
