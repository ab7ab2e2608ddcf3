import { describe, expect, it } from 'vitest';
import { consentPlatformOfHost, isTarteaucitronScript } from './platform-scripts';

describe('the consent platforms’ scripts', () => {
  it('knows the platforms’ script hosts exactly', () => {
    expect(consentPlatformOfHost('cdn.cookielaw.org')).toBe('onetrust');
    expect(consentPlatformOfHost('consent.cookiebot.com')).toBe('cookiebot');
    expect(consentPlatformOfHost('sdk.privacy-center.org')).toBe('didomi');
    expect(consentPlatformOfHost('cdn.trustcommander.net')).toBe('commanders-act');
    expect(consentPlatformOfHost('static.axept.io')).toBe('axeptio');
    expect(consentPlatformOfHost('cookielaw.org.example.com')).toBeNull();
    expect(consentPlatformOfHost('www.cnp.fr')).toBeNull();
  });

  it('knows tarteaucitron by its script’s file name, wherever the site serves it', () => {
    expect(isTarteaucitronScript('https://www.example.fr/js/tarteaucitron/tarteaucitron.js?v=1.19')).toBe(true);
    expect(isTarteaucitronScript('https://cdn.example.net/tarteaucitron.min.js')).toBe(true);
    expect(isTarteaucitronScript('https://www.example.fr/js/tarteaucitron/tarteaucitron.services.js')).toBe(false);
    expect(isTarteaucitronScript('https://www.example.fr/app.js?from=tarteaucitron.js')).toBe(false);
  });
});
