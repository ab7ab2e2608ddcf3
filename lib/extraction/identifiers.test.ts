import { describe, expect, it } from 'vitest';
import { identifierStrength, isNotACookieName, namesInCell } from './identifiers';

describe('identifierStrength', () => {
  it('reads a name with a placeholder as a name, the placeholder standing for a part of it', () => {
    expect(identifierStrength('_ga_<container-id>')).toBe('strong');
    expect(identifierStrength('_hjSession_{site_id}')).toBe('strong');
    expect(identifierStrength('Pool.[User ID].idToken')).toBe('strong');
    expect(identifierStrength('ga-disable-{UA CODE}')).toBe('strong');
  });

  it('does not make a name of a plural acronym', () => {
    expect(identifierStrength('URLs')).toBe('none');
    expect(identifierStrength('IDs')).toBe('none');
    expect(identifierStrength('XSRFtoken')).toBe('strong');
    expect(identifierStrength('XSRF-TOKEN')).toBe('strong');
    expect(identifierStrength('E-MAIL')).toBe('none');
    // A site's address in any case is no name.
    expect(identifierStrength('Modern.gov')).toBe('none');
    expect(identifierStrength('Example.COM')).toBe('none');
    expect(identifierStrength('dydu.*')).toBe('strong');
  });

  it('reads names a space apart in one cell, capitals ones too, but no shouted label', () => {
    expect(namesInCell('SAPISID APISID SSID HSID').names).toEqual(['SAPISID', 'APISID', 'SSID', 'HSID']);
    expect(namesInCell('__Secure-3PSID __Secure-3PAPISID').names).toEqual(['__Secure-3PSID', '__Secure-3PAPISID']);
    expect(namesInCell('GOOGLE COOKIES').names).toEqual([]);
  });

  it('leaves a storage remark in brackets out of the name', () => {
    expect(namesInCell('mage-messages (local storage)').names).toEqual(['mage-messages']);
    expect(namesInCell('_ga (cookie)').names).toEqual(['_ga']);
  });

  it('makes a name of three hyphened words one of which belongs to storage, not of other hyphened words', () => {
    expect(identifierStrength('met-cookie-consent')).toBe('strong');
    expect(identifierStrength('wp-settings-time')).toBe('strong');
    expect(identifierStrength('up-to-date')).toBe('none');
    expect(identifierStrength('end-to-end')).toBe('none');
    expect(identifierStrength('cookie-free')).toBe('none');
  });

  it("makes a name of a prefix printed with its hyphen ('wp-settings-')", () => {
    expect(identifierStrength('wp-settings-')).toBe('strong');
    expect(identifierStrength('well-known-')).toBe('none');
    // In prose, "a JWT-token" is no name: only a table's name cell makes one of it.
    expect(identifierStrength('JWT-token')).toBe('none');
  });

  it('takes a header copied glued for no name, nor a law written like one', () => {
    expect(isNotACookieName('CookiePurposeDuration')).toBe(true);
    expect(isNotACookieName('NameExpiryDescription')).toBe(true);
    expect(isNotACookieName('ePrivacy')).toBe(true);
    expect(isNotACookieName('CookieConsentStatus')).toBe(false);
  });

  it('makes a name of one word with "cookie" glued inside it, not of a German compound nor of a consent platform', () => {
    expect(identifierStrength('cookielawinfo')).toBe('strong');
    expect(identifierStrength('Epcookieconsent')).toBe('strong');
    expect(identifierStrength('cookielawinfo-checkbox-analytics')).toBe('strong');
    expect(identifierStrength('Sitzungscookie')).toBe('none');
    expect(identifierStrength('cookieless')).toBe('none');
    expect(identifierStrength('Cookiebot')).toBe('none');
    expect(isNotACookieName('CookieYes')).toBe(true);
  });

  it("does not take a vendor's cookies or data joined by a hyphen for a name ('PostHog-cookies')", () => {
    expect(isNotACookieName('PostHog-cookies')).toBe(true);
    expect(isNotACookieName('Consent-Cookie')).toBe(false);
    expect(isNotACookieName('PostHog-data')).toBe(true);
    // Lower case, or another word after it: a name.
    expect(isNotACookieName('wp-settings-cookie')).toBe(false);
    expect(isNotACookieName('tpe-cookie-consent')).toBe(false);
    // A label glued to its value is no name with a colon in it.
    expect(identifierStrength('Name:_ga')).toBe('none');
    expect(identifierStrength('coral:v2:accessToken')).toBe('strong');
  });

  it('does not make a name of a bracketed word alone or of a phrase in brackets', () => {
    expect(identifierStrength('<b>')).toBe('none');
    expect(identifierStrength('[1]')).toBe('none');
    expect(identifierStrength('{see the full list of our partners}')).toBe('none');
  });
});

describe('namesInCell', () => {
  it('reads names a connector joins as several names, and a phrase as a description', () => {
    expect(namesInCell('_pk_id et _pk_ref').names).toEqual(['_pk_id', '_pk_ref']);
    expect(namesInCell('_ga and _ga_*').names).toEqual(['_ga', '_ga_*']);
    expect(namesInCell('la session et le panier')).toEqual({ names: [], description: 'la session et le panier' });
  });

  it('reads names a slash apart as names, and "and variants" after a name as no part of it', () => {
    expect(namesInCell('ck-banner-seen/ck-banner-closed').names).toEqual(['ck-banner-seen', 'ck-banner-closed']);
    expect(namesInCell('ph_phc_* and variants').names).toEqual(['ph_phc_*']);
    expect(namesInCell('__cf_bm and similar').names).toEqual(['__cf_bm']);
    expect(namesInCell('/account/orders').names).not.toEqual(['account', 'orders']);
  });

  it("reads a few words naming a vendor's service as a description, not a name", () => {
    expect(namesInCell('Stripe Session')).toEqual({ names: [], description: 'Stripe Session' });
    expect(namesInCell('Auth Firebase')).toEqual({ names: [], description: 'Auth Firebase' });
    expect(namesInCell('Csrf token').names).toEqual(['Csrf token']);
  });

  it('reads the name after the word "cookie" in a name cell, not the word', () => {
    expect(namesInCell('Cookie _ga (mesure d’audience)').names).toEqual(['_ga']);
    expect(namesInCell('Cookie de session PHPSESSID').names).toEqual(['PHPSESSID']);
    expect(namesInCell('Cookie tarteaucitron').names).toEqual(['tarteaucitron']);
  });

  it('reads the names in the brackets after a label, not the label nor a vendor in brackets', () => {
    expect(namesInCell('Generic Session Cookie (JSESSIONID)')).toEqual({
      names: ['JSESSIONID'],
      description: 'Generic Session Cookie',
    });
    expect(namesInCell('Shop Cookies (__ShopCart__ and __ShopStep__)').names).toEqual(['__ShopCart__', '__ShopStep__']);
    expect(namesInCell('Video (SID, HSID, use_hotbox, demographics)').names).toEqual([
      'SID',
      'HSID',
      'use_hotbox',
      'demographics',
    ]);
    expect(namesInCell('Chatbot (DoYouDreamUp)').names).toEqual(['Chatbot']);
    expect(namesInCell('_ga (Google)').names).toEqual(['_ga']);
    expect(namesInCell('Statistics (see below)').names).not.toContain('see');
  });
});
