import { describe, expect, it } from 'vitest';
import { consentCookiePlatform, MAX_CONSENT_VALUE_LENGTH, readConsentCookie } from '.';

describe('readConsentCookie', () => {
  it('reads each platform’s consent cookie by its name', () => {
    expect(readConsentCookie('TC_PRIVACY', '1@012|26|4221@@4@1,2,3')).toEqual({
      platform: 'commanders-act',
      name: 'TC_PRIVACY',
      consent: { choice: 'refused', granted: null, purposes: null, platformCategories: null },
    });
    expect(readConsentCookie('TC_PRIVACY_CENTER', '2')).toMatchObject({ consent: { choice: 'accepted-part' } });
    expect(readConsentCookie('CookieConsent', '-2')).toMatchObject({ platform: 'cookiebot' });
    expect(readConsentCookie('didomi_token', btoa('{"purposes":{"disabled":["analytics"]}}'))).toMatchObject({
      platform: 'didomi',
      consent: { choice: 'refused' },
    });
    expect(readConsentCookie('axeptio_cookies', '{"hotjar":true}')).toMatchObject({ platform: 'axeptio' });
    expect(readConsentCookie('tarteaucitron', '!gtag=false')).toMatchObject({ platform: 'tarteaucitron' });
    expect(readConsentCookie('euconsent-v2', 'not one')).toMatchObject({ platform: 'tcf', problem: 'malformed' });
  });

  it('gives OneTrust’s two cookies as parts to put together', () => {
    expect(readConsentCookie('OptanonConsent', 'interactionCount=1&groups=C0001%3A1%2CC0002%3A0')).toEqual({
      platform: 'onetrust',
      name: 'OptanonConsent',
      oneTrust: {
        ifAnswered: { choice: 'refused', granted: null, purposes: null, platformCategories: null },
        interacted: true,
      },
    });
    expect(readConsentCookie('OptanonAlertBoxClosed', '2026-11-30T10:00:00.000Z')).toEqual({
      platform: 'onetrust',
      name: 'OptanonAlertBoxClosed',
      oneTrust: 'closed',
    });
  });

  it('is null for every other cookie, whatever its value, and knows names exactly', () => {
    expect(readConsentCookie('_ga', 'GA1.2.3.4')).toBeNull();
    expect(readConsentCookie('optanonconsent', 'groups=')).toBeNull();
    expect(readConsentCookie('__proto__', '{}')).toBeNull();
    expect(consentCookiePlatform('constructor')).toBeNull();
    expect(consentCookiePlatform('euconsent-v2')).toBe('tcf');
  });

  it('says why a value could not be read, never the value itself', () => {
    const secret = 'SECRET-VALUE-1234';
    for (const name of [
      'TC_PRIVACY',
      'OptanonConsent',
      'CookieConsent',
      'didomi_token',
      'axeptio_cookies',
      'tarteaucitron',
      'euconsent-v2',
    ]) {
      const read = readConsentCookie(name, `{{${secret}`);
      expect(read).toMatchObject({ name, problem: 'malformed' });
      expect(JSON.stringify(read)).not.toContain(secret);
    }
  });

  it('does not parse a value longer than a browser keeps', () => {
    expect(readConsentCookie('tarteaucitron', '!a=true'.repeat(MAX_CONSENT_VALUE_LENGTH))).toEqual({
      platform: 'tarteaucitron',
      name: 'tarteaucitron',
      problem: 'too-long',
    });
  });
});
