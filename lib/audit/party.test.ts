import { describe, expect, it } from 'vitest';
import { etldPlusOne, partyOf, registrableDomain, siteOf } from './party';

describe('registrableDomain', () => {
  it.each([
    ['monespaceclient.cnp.fr', 'cnp.fr'],
    ['.cnp.fr', 'cnp.fr'],
    ['WWW.CNP.FR', 'cnp.fr'],
    ['amex.europ-assistance.fr', 'europ-assistance.fr'],
    ['www.bbc.co.uk', 'bbc.co.uk'],
    ['bbc.co.uk', 'bbc.co.uk'],
    ['co.uk', 'co.uk'],
    ['foo.github.io', 'foo.github.io'],
    ['a.b.foo.github.io', 'foo.github.io'],
    ['github.io', 'github.io'],
    ['192.168.1.10', '192.168.1.10'],
    ['[::1]', '[::1]'],
    ['localhost', 'localhost'],
    ['intranet', 'intranet'],
  ])('%s → %s', (host, expected) => {
    expect(registrableDomain(host)).toBe(expected);
  });
});

describe('etldPlusOne', () => {
  it('is null for hosts with no registrable domain', () => {
    for (const host of ['co.uk', 'github.io', '127.0.0.1', '[::1]', 'localhost', 'fr'])
      expect(etldPlusOne(host)).toBeNull();
    expect(etldPlusOne('.www.cnp.fr')).toBe('cnp.fr');
  });
});

describe('partyOf', () => {
  it.each([
    ['.cnp.fr', 'monespaceclient.cnp.fr', 'first'],
    ['monespaceclient.cnp.fr', 'www.cnp.fr', 'first'],
    ['europ-assistance.fr', 'amex.europ-assistance.fr', 'first'],
    ['.AMEX.Europ-Assistance.FR', 'europ-assistance.fr', 'first'],
    ['www.quantalys.com', 'www.cnp.fr', 'third'], // a Quantalys iframe on cnp.fr
    ['.doubleclick.net', 'www.cnp.fr', 'third'],
    ['shop.bbc.co.uk', '.bbc.co.uk', 'first'],
    ['bbc.co.uk', 'itv.co.uk', 'third'],
    ['co.uk', 'bbc.co.uk', 'third'],
    ['foo.github.io', 'bar.github.io', 'third'],
    ['a.foo.github.io', 'foo.github.io', 'first'],
    ['127.0.0.1', '127.0.0.1', 'first'],
    ['127.0.0.1', '127.0.0.2', 'third'],
    ['localhost', 'localhost', 'first'],
    ['localhost', 'example.com', 'third'],
  ] as const)('%s on %s → %s', (cookieDomain, topLevelHost, expected) => {
    expect(partyOf(cookieDomain, topLevelHost)).toBe(expected);
  });
});

describe('siteOf', () => {
  it.each([
    ['https://monespaceclient.cnp.fr/espace/accueil?x=1#top', 'cnp.fr'],
    ['http://www.bbc.co.uk:8080/news', 'bbc.co.uk'],
    ['https://foo.github.io/', 'foo.github.io'],
    ['http://192.168.1.10/admin', '192.168.1.10'],
    ['http://[::1]:3000/', '[::1]'],
    ['http://localhost:5173/', 'localhost'],
    ['HTTPS://WWW.Quantalys.COM/Fonds', 'quantalys.com'],
  ])('%s → %s', (url, expected) => {
    expect(siteOf(url)).toBe(expected);
  });

  it.each([
    'chrome-extension://abcdef/popup.html',
    'moz-extension://1234/x',
    'about:blank',
    'file:///etc/hosts',
    'data:text/html,hi',
    'ftp://example.com/',
    'not a url',
    '',
  ])('is null for %j', (url) => {
    expect(siteOf(url)).toBeNull();
  });
});
