import { describe, expect, it } from 'vitest';
import { bundledCatalogues } from '../catalogue/bundled';
import type { Catalogue, Entry } from '../catalogue/schema';
import { CatalogueIndex, matchCookie, matcherWork, scanMatch } from './matching';

const catalogue = (id: string) => bundledCatalogues().find((c) => c.id === id)!;
const cnp = catalogue('cnp-monespaceclient');
const amex = catalogue('europ-assistance-amex');
const ameli = catalogue('assurance-maladie-opendatasoft');

const lookup = (name: string, catalogues: Catalogue[], domain = 'example.test') => {
  const match = matchCookie({ name, domain }, catalogues);
  return match && { entry: match.entry.id, how: match.how, printed: match.name.printed };
};

describe('matching observed names to declared ones', () => {
  it.each([
    // name, catalogue, entry, how
    ['JWT_TOKEN', cnp, 'jwt-token', 'exact'],
    ['ADRUM_BT1', cnp, 'adrum', 'exact'],
    ['.ASPXANONYMOUS', cnp, 'quantalys-anonymous', 'exact'],
    ['_pk_id.1.a1b2', cnp, 'piwik-matomo', 'pattern'],
    ['_pk_ses.1.a1b2', cnp, 'piwik-matomo', 'pattern'],
    ['cookies_INFV_ASTER_home', cnp, 'info-banner', 'pattern'],
    ['dydu.lastVisit', cnp, 'dydu-local-storage', 'pattern'],
    ['DYDU_clientId_abc123', cnp, 'dydu-client-id', 'pattern'],
    ['JSESSIONID', cnp, 'jsessionid', 'case'],
    ['XSRF-TOKEN', cnp, 'xsrf-token', 'case'],
    ['_pk_id.5.c3d4', amex, 'piwik-pro-pk-id', 'pattern'],
    ['_pk_ses.5.c3d4', amex, 'piwik-pro-pk-ses', 'variant'],
    ['.AspNetCore.Session', amex, 'aspnetcore-session-antiforgery', 'variant'],
    ['.AspNetCore.Antiforgery.cdV5uW_Ejgc', amex, 'aspnetcore-session-antiforgery', 'variant'],
    ['stg_returning_visitor', amex, 'stg-returning-visitor', 'exact'],
    ['sessionid', ameli, 'sessionid', 'case'],
    ['csrftoken', ameli, 'csrf-token', 'variant'],
  ] as const)('%s is declared by %s', (name, cat, entry, how) => {
    expect(lookup(name, [cat])).toMatchObject({ entry, how });
  });

  it.each([
    ['marketing_id', cnp],
    ['_ga', amex],
    ['ADRUM_BTs', cnp],
    ['pk_id', cnp],
    ['', cnp],
    ['<img src=x onerror=alert(1)>', cnp],
  ] as const)('%j is undeclared', (name, cat) => {
    expect(lookup(name, [cat])).toBeNull();
  });

  it('prefers the longest literal start among patterns, and an exact name over any pattern', () => {
    const entry = (id: string, pattern: string): Entry => ({
      id,
      vendor: null,
      names: [{ printed: pattern, pattern }],
      unnamed: false,
      purpose: '',
      category: 'unknown',
      lifetime: { text: '', parsed: { kind: 'unknown' } },
      party: 'unspecified',
      storage: 'cookie',
      controller: null,
      dataCollected: null,
      provenance: { source: 't', excerpt: pattern },
    });
    const cat = {
      ...cnp,
      entries: [
        entry('short', '_pk_*'),
        entry('long', '_pk_id.*'),
        entry('exact', '_pk_id.1'),
        entry('infix', 'a*b*c'),
      ],
    };
    expect(lookup('_pk_id.1', [cat])?.entry).toBe('exact');
    expect(lookup('_pk_id.2', [cat])?.entry).toBe('long');
    expect(lookup('_pk_ref.2', [cat])?.entry).toBe('short');
    expect(lookup('aXbYc', [cat])?.entry).toBe('infix');
    expect(lookup('abc', [cat])?.entry).toBe('infix');
    expect(lookup('aXcYb', [cat])).toBeNull();
  });

  it('honours an entry restricted to hosts', () => {
    const restricted = {
      ...cnp,
      entries: cnp.entries.map((e) => (e.id === 'adrum' ? { ...e, hosts: ['*.appdynamics.com'] } : e)),
    };
    expect(lookup('ADRUM_BT1', [restricted], 'monespaceclient.cnp.fr')).toBeNull();
    expect(lookup('ADRUM_BT1', [restricted], '.eum.appdynamics.com')).toMatchObject({ entry: 'adrum' });
  });

  it('takes the better match across several catalogues', () => {
    expect(lookup('ASP.NET_SessionId', [amex, cnp])).toMatchObject({ entry: 'aspnet-sessionid', how: 'exact' });
    expect(lookup('JSESSIONID', [amex, cnp])).toMatchObject({ entry: 'jsessionid', how: 'case' });
  });

  it.each([
    ['the same start, each its own end', (i: number) => `_pk_id.*_${i}`],
    ['the same start, each its own inner piece', (i: number) => `dydu.*.${i}.*`],
    ['the same start, each its own inner and end pieces', (i: number) => `tc_*${i}*x${i % 10}`],
    ['starts of every length', (i: number) => `_pk_${'s'.repeat(i % 300)}${i}*`],
  ])('tests in full at most two of 1,700 patterns per lookup when they share a literal start: %s', (_, patternOf) => {
    const entry = (i: number): Entry => ({
      id: `e${i}`,
      vendor: null,
      names: [{ printed: patternOf(i), pattern: patternOf(i) }],
      unnamed: false,
      purpose: '',
      category: 'unknown',
      lifetime: { text: '', parsed: { kind: 'unknown' } },
      party: 'unspecified',
      storage: 'cookie',
      controller: null,
      dataCollected: null,
      provenance: { source: 't', excerpt: 'x' },
    });
    const cat = { ...cnp, entries: Array.from({ length: 1700 }, (_, i) => entry(i)) };
    const index = new CatalogueIndex(cat);
    const names = Array.from(
      { length: 303 },
      (_, i) => patternOf(i * 5).replaceAll('*', i % 2 ? 'ab' : '') + (i % 3 === 0 ? '_more' : ''),
    );
    names.push('_pk_id.', 'dydu.', '_PK_ID.X_7', 'DYDU.X.12.Y', 's'.repeat(4000));
    let most = 0;
    for (const name of names) {
      const before = matcherWork.patternTests;
      const found = index.lookup({ name, domain: 'example.test' });
      most = Math.max(most, matcherWork.patternTests - before);
      expect([name, found?.entry.id, found?.how]).toEqual([
        name,
        ...((m) => [m?.entry.id, m?.how])(scanMatch({ name, domain: 'example.test' }, cat)),
      ]);
    }
    // Three tiers (as printed, case, variants): at most two full tests in each.
    expect(most).toBeLessThanOrEqual(6);
  });

  it('answers as a scan of every declared name would, on the bundled catalogues and random names', () => {
    const names = [
      ...bundledCatalogues().flatMap((c) => c.entries.flatMap((e) => e.names.map((n) => n.pattern))),
      'JSESSIONID',
      '_PK_ID.1.x',
      'pk_ses.1',
      ' csrf token',
      'dydu.',
      'DYDU_CLIENTID',
      'x_pk_id.1',
      'TC_PRIVACY_CENTERX',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const base = names[Math.floor(random() * names.length)]!;
      const cut = Math.floor(random() * (base.length + 1));
      names.push(base.slice(0, cut).replace('*', random() < 0.5 ? 'x.y' : '') + (random() < 0.5 ? '.7.ab' : ''));
    }
    for (const cat of bundledCatalogues()) {
      const index = new CatalogueIndex(cat);
      for (const name of names) {
        const fromIndex = index.lookup({ name, domain: 'example.test' });
        const fromScan = scanMatch({ name, domain: 'example.test' }, cat);
        expect([name, fromIndex?.entry.id, fromIndex?.how]).toEqual([name, fromScan?.entry.id, fromScan?.how]);
      }
    }
  });
});
