import { describe, expect, it } from 'vitest';
import { fixture } from '../../tests/fixtures/extraction/fixtures';
import { measureLinearTime } from '../../tests/support/linear-time';
import { knownCookie } from './known-cookies';
import {
  cookieDocumentation,
  lookupOpenCookieDatabase,
  parseCsv,
  parseOpenCookieDatabase,
} from './open-cookie-database';

const database = parseOpenCookieDatabase(fixture('open-cookie-database.csv'));

describe('parseOpenCookieDatabase', () => {
  it('reads valid rows and reports bad ones with their line', () => {
    expect(database.entries).toHaveLength(11);
    expect(database.problems).toEqual([
      // Line 15, not 13: the AMP_TOKEN row's quoted description spans three lines.
      { where: 'line 15', message: 'category is not one of Functional, Analytics, Marketing, Security' },
      { where: 'line 16', message: '7 fields where the header has 10' },
    ]);
  });

  it('reads quoted multi-line fields, count annotations, wildcards and retention texts', () => {
    const byName = (name: string) => database.entries.find((entry) => entry.name === name)!;
    expect(byName('AMP_TOKEN').description).toContain(
      '\n\nReference: https://support.google.com/analytics/answer/7486764?hl=en',
    );
    expect(byName('AMP_TOKEN').retention).toEqual({ text: '30 seconds till 1 year', parsed: { kind: 'unknown' } });
    expect(byName('CookieConsent')).toMatchObject({ platform: 'Cookiebot', category: 'functional', wildcard: false });
    expect(byName('_ga_')).toMatchObject({ wildcard: true, category: 'audience-measurement' });
    expect(byName('__utmc').retention.parsed).toEqual({ kind: 'session' });
    expect(byName('_gid').retention.parsed).toEqual({ kind: 'duration', seconds: 86400, maximum: false });
    expect(byName('demdex')).toMatchObject({ category: 'advertising', retention: { parsed: { kind: 'unknown' } } });
  });

  it('reads the JSON export keyed by platform', () => {
    const json = JSON.stringify({
      Hotjar: [
        {
          id: 'x1',
          category: 'Analytics',
          cookie: '_hjSession_',
          domain: '',
          description: 'Session data',
          retentionPeriod: '30 minutes',
          dataController: 'Hotjar',
          privacyLink: '',
          wildcardMatch: '1',
        },
      ],
      Broken: [{ id: 'x2', category: 'Analytics', cookie: '', wildcardMatch: '0' }],
    });
    const parsed = parseOpenCookieDatabase(json);
    expect(parsed.entries).toEqual([
      expect.objectContaining({ platform: 'Hotjar', name: '_hjSession_', wildcard: true }),
    ]);
    expect(parsed.problems).toEqual([{ where: 'Broken[0]', message: expect.stringContaining('name is empty') }]);
  });

  it('words its problems in French for a French reader', () => {
    expect(parseOpenCookieDatabase(fixture('open-cookie-database.csv'), 'fr').problems).toEqual([
      { where: 'ligne 15', message: 'category n’est pas l’une de Functional, Analytics, Marketing, Security' },
      { where: 'ligne 16', message: '7 champs là où l’en-tête en a 10' },
    ]);
    expect(parseOpenCookieDatabase('{ "Hotjar": ', 'fr').problems).toEqual([
      { where: 'racine', message: expect.stringMatching(/^JSON invalide : /) },
    ]);
    expect(parseOpenCookieDatabase('{ "Hotjar": 1 }', 'fr').problems).toEqual([
      { where: 'Hotjar', message: 'pas une liste de cookies' },
    ]);
  });

  it('lists the first 100 problems of a file of a million bad rows and counts them all', () => {
    const header =
      'ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match';
    const csv = `${header}\n${'x\n'.repeat(1_000_000)}`;
    const parsed = parseOpenCookieDatabase(csv, 'fr');
    expect(parsed.entries).toEqual([]);
    expect(parsed.problemCount).toBe(1_000_000);
    expect(parsed.problems).toHaveLength(100);
    expect(parsed.problems[0]).toEqual({ where: 'ligne 2', message: '1 champs là où l’en-tête en a 10' });
    expect(JSON.stringify(parsed).length).toBeLessThan(20_000);
    const json = parseOpenCookieDatabase(JSON.stringify({ Broken: Array.from({ length: 200_000 }, () => ({})) }));
    expect([json.problems.length, json.problemCount]).toEqual([100, 200_000]);
    // A million rows take a second alone and several on a loaded machine: what is checked is the answer, not the time.
  }, 30_000);

  it('refuses a CSV without the database header', () => {
    expect(parseOpenCookieDatabase('name,lifetime\n_ga,2 years').problems[0]!.message).toContain(
      'missing ID, Platform',
    );
    expect(parseCsv('a,"b ""c"", d"\r\n1,2\n')).toEqual([
      { line: 1, fields: ['a', 'b "c", d'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });
});

describe('parseOpenCookieDatabase on a hostile file', () => {
  const HEADER =
    'ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match';
  const csv = (name: string) => `${HEADER}\nx1,Matomo,Analytics,"${name}",,Visits,13 months,Matomo,,0\n`;

  // Strings of a megabyte cost more per KB to copy than small ones: the looser bound (see measureLinearTime).
  it('reads names with long runs of spaces in time linear in their length', () => {
    expect(parseOpenCookieDatabase(csv(`_pk_id${' '.repeat(1000)}[x2]  `)).entries[0]!.name).toBe('_pk_id');
    expect(parseOpenCookieDatabase(csv(`_pk${' '.repeat(1000)}id`)).entries[0]!.name).toBe(`_pk${' '.repeat(1000)}id`);
    expect(
      measureLinearTime(
        (size) => {
          const text = csv(`_pk${' '.repeat(size)}id`);
          return () => parseOpenCookieDatabase(text);
        },
        { factor: 8 },
      ),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('cookieDocumentation', () => {
  it('prefers the vendor documentation, else the database row, each labelled with its source', () => {
    const ga = cookieDocumentation('_ga_X1Y2', { openCookieDb: database });
    expect(ga).toMatchObject({ source: 'vendor-documentation', known: { pattern: '_ga_*' } });
    expect(ga?.label.en).toBe("Google Analytics documentation (not the site's declaration)");
    const demdex = cookieDocumentation('demdex', { openCookieDb: database });
    expect(demdex).toMatchObject({ source: 'open-cookie-database', entry: { platform: 'Adobe Audience Manager' } });
    expect(demdex?.label.en).toBe('Open Cookie Database (community, Apache-2.0)');
    expect(cookieDocumentation('exv_uid', { openCookieDb: database })).toBeNull(); // its row is malformed
    expect(cookieDocumentation('demdex', { known: () => null, openCookieDb: null })).toBeNull();
  });

  it('matches a wildcard row as a name prefix, the longest first', () => {
    expect(lookupOpenCookieDatabase('_ga_ABC', database)?.name).toBe('_ga_');
    expect(lookupOpenCookieDatabase('_pk_id.1.abc', database)?.platform).toBe('Matomo');
    expect(cookieDocumentation('_GRECAPTCHA', { known: knownCookie, openCookieDb: database })).toMatchObject({
      source: 'open-cookie-database',
    });
  });
});
