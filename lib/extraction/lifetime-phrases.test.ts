import { describe, expect, it } from 'vitest';
import { DAY, MONTH, YEAR } from '../audit/lifetime';
import { findLifetimes } from './lifetime-phrases';

describe('findLifetimes', () => {
  it('reads a larger unit then a smaller one as one duration ("1 year 1 month", "1 an 6 mois")', () => {
    expect(findLifetimes('remember_me – 1 year 1 month').map((found) => found.lifetime.parsed)).toEqual([
      { kind: 'duration', seconds: Math.round(YEAR + MONTH), maximum: false },
    ]);
    expect(findLifetimes('1 an 6 mois').map((found) => found.text)).toEqual(['1 an 6 mois']);
    expect(findLifetimes('_ga 1 year 1 month 4 days').map((found) => found.text)).toEqual(['1 year 1 month 4 days']);
  });

  it('keeps lifetimes of the same unit side by side apart: one per cookie', () => {
    expect(findLifetimes('365 Days 180 Days').map((found) => found.lifetime.parsed)).toEqual([
      { kind: 'duration', seconds: 365 * DAY, maximum: false },
      { kind: 'duration', seconds: 180 * DAY, maximum: false },
    ]);
  });

  it('reads the end of the session however it is said, and "Session" as a value before a colon or a dash', () => {
    expect(findLifetimes('Until browser is closed').map((found) => found.lifetime.parsed.kind)).toEqual(['session']);
    expect(findLifetimes('It is deleted when you close your browser.').map((found) => found.text)).toEqual([
      'close your browser',
    ]);
    expect(findLifetimes('Session: removed').map((found) => found.text)).toEqual(['Session']);
    expect(findLifetimes('Session – sess_token').map((found) => found.text)).toEqual(['Session']);
    expect(findLifetimes('during the session – then').map((found) => found.text)).toEqual([]);
  });

  it('does not read a date in the past as a lifetime', () => {
    expect(findLifetimes('the site acts as if you came 10 years ago')).toEqual([]);
    expect(findLifetimes('valable 2 ans, créé 3 jours auparavant').map((found) => found.text)).toEqual(['2 ans']);
    expect(findLifetimes('open 24 hours a day, 7 days a week')).toEqual([]);
    expect(findLifetimes('ouvert 24 heures sur 24, 7 jours sur 7')).toEqual([]);
  });

  it('reads the French abbreviations of days and hours', () => {
    expect(findLifetimes('panier_id : 30 j\nderniere_page : 24 h').map((found) => found.lifetime.parsed)).toEqual([
      { kind: 'duration', seconds: 30 * DAY, maximum: false },
      { kind: 'duration', seconds: DAY, maximum: false },
    ]);
  });
});
