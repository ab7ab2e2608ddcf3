import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../../tests/support/linear-time';
import { decodeCookieConsent } from './cookiebot';

/** CookieConsent as Cookiebot writes it: an object literal with single quotes, URL-encoded. */
function cookieConsent(preferences: boolean, statistics: boolean, marketing: boolean) {
  const literal =
    `{stamp:'bXkgc3RhbXAgb2YgY29uc2VudA==',necessary:true,preferences:${preferences},statistics:${statistics},` +
    `marketing:${marketing},method:'explicit',ver:1,utc:1700000000000,region:'fr'}`;
  return encodeURIComponent(literal).replaceAll('%3A', ':');
}

describe('Cookiebot’s CookieConsent', () => {
  it('reads a refusal, an acceptance of all and one in part, with Cookie Lens’s categories', () => {
    expect(decodeCookieConsent(cookieConsent(false, false, false))).toEqual({
      ok: true,
      value: { choice: 'refused', granted: null, purposes: null, platformCategories: null },
    });
    expect(decodeCookieConsent(cookieConsent(true, true, true))).toEqual({
      ok: true,
      value: {
        choice: 'accepted-all',
        granted: null,
        purposes: null,
        platformCategories: ['necessary', 'preferences', 'statistics', 'marketing'],
      },
    });
    expect(decodeCookieConsent(cookieConsent(true, true, false))).toMatchObject({
      value: {
        choice: 'accepted-part',
        granted: ['functional', 'audience-measurement', 'performance'],
        platformCategories: ['necessary', 'preferences', 'statistics'],
      },
    });
  });

  it('reads the literal unencoded too, as older versions wrote it', () => {
    const literal = "{stamp:'abc',necessary:true,preferences:false,statistics:true,marketing:false,method:'explicit'}";
    expect(decodeCookieConsent(literal)).toMatchObject({ value: { choice: 'accepted-part' } });
  });

  it('reads -2, where the visitor’s region needs no consent, as the site acting on an acceptance', () => {
    expect(decodeCookieConsent('-2')).toMatchObject({ ok: true, value: { choice: 'accepted-all' } });
  });

  it('keeps nothing of the stamp', () => {
    expect(JSON.stringify(decodeCookieConsent(cookieConsent(true, false, false)))).not.toContain('bXkg');
  });

  it('calls malformed a value missing a category’s answer, or not an object', () => {
    for (const value of [
      '',
      '{}',
      "{stamp:'x',necessary:true,preferences:false}",
      "{stamp:'x',necessary:true,preferences:maybe,statistics:false,marketing:false}",
      'necessary:true,preferences:false,statistics:false,marketing:false',
      '%7B%E0%A4%A',
    ])
      expect(decodeCookieConsent(value)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('takes time in proportion to the value, however hostile', () => {
    for (const make of [
      (size: number) => `{${'statistics:true,'.repeat(size / 16)}preferences:false,marketing:false}`,
      (size: number) => `{${':'.repeat(size)}}`,
      (size: number) => `%7B${'%2C'.repeat(size / 3)}%7D`,
    ])
      expect(
        measureLinearTime((size) => {
          const value = make(size);
          return () => decodeCookieConsent(value);
        }),
      ).toMatchObject({ brokeAt: null });
  });
});
