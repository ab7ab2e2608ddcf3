// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { validateCatalogue } from '../../catalogue/schema';
import { DAY, MONTH, YEAR } from '../../audit/lifetime';
import { duration, fixture, persistent, session, summarize } from '../../../tests/fixtures/extraction/fixtures';
import { cdreportHtml, extractCookiebot } from './cookiebot';

const parseHtml = (html: string) => new DOMParser().parseFromString(html, 'text/html');

describe('extractCookiebot', () => {
  it('reads the data API JSON: categories by number, tracker types, # placeholders', () => {
    const result = extractCookiebot(fixture('cookiebot-api.json'), { source: 'cookiebot-api.json' });
    expect(validateCatalogue(result.catalogue).ok).toBe(true);
    expect(summarize(result.catalogue)).toEqual([
      {
        names: ['CookieConsent'],
        lifetime: duration(YEAR),
        category: 'strictly-necessary',
        storage: 'cookie',
        party: 'first',
        vendor: 'www.example.com',
      },
      {
        names: ['_ga_*'],
        lifetime: duration(2 * YEAR),
        category: 'audience-measurement',
        storage: 'cookie',
        party: 'first',
        vendor: 'Google',
      },
      {
        names: ['lastExternalReferrer'],
        lifetime: persistent,
        category: 'advertising',
        storage: 'localStorage',
        party: 'first',
        vendor: 'Meta Platforms, Inc.',
      },
      {
        names: ['ASP.NET_SessionId'],
        lifetime: session,
        category: 'strictly-necessary',
        storage: 'cookie',
        party: 'first',
        vendor: 'www.example.com',
      },
    ]);
    expect(result.catalogue.entries[1]!.names[0]).toEqual({
      printed: '_ga_#',
      pattern: '_ga_*',
      reading: '"#" stands for a site-specific part of the name',
    });
    expect(result.notUnderstood).toEqual([
      expect.objectContaining({ reason: 'Cookiebot cookie without a usable Name' }),
    ]);
  });

  it('reads the rendered declaration: one category per section, local storage from the type column', () => {
    const result = extractCookiebot(parseHtml(fixture('cookiebot-declaration.html')), {
      source: 'https://www.exemple.fr/cookies',
    });
    expect(
      summarize(result.catalogue).map(({ names, lifetime, category, storage }) => ({
        names,
        lifetime,
        category,
        storage,
      })),
    ).toEqual([
      { names: ['CookieConsent'], lifetime: duration(YEAR), category: 'strictly-necessary', storage: 'cookie' },
      { names: ['ASP.NET_SessionId'], lifetime: session, category: 'strictly-necessary', storage: 'cookie' },
      { names: ['_ga'], lifetime: duration(2 * YEAR), category: 'audience-measurement', storage: 'cookie' },
      { names: ['_ga_*'], lifetime: duration(2 * YEAR), category: 'audience-measurement', storage: 'cookie' },
      { names: ['_fbp'], lifetime: duration(3 * MONTH), category: 'advertising', storage: 'cookie' },
      { names: ['lastExternalReferrer'], lifetime: persistent, category: 'advertising', storage: 'localStorage' },
      { names: ['ctb_uuid'], lifetime: persistent, category: 'unknown', storage: 'localStorage' },
    ]);
    expect(result.catalogue.entries[0]!.provenance.excerpt).toBe(
      "CookieConsent Cookiebot Stocke l'autorisation d'utilisation de cookies pour le domaine actuel par l'utilisateur 1 an HTTP Cookie",
    );
  });

  it('decodes the HTML cdreport.js injects and reads it with the given parser', () => {
    const script = fixture('cookiebot-cdreport.js');
    expect(cdreportHtml(script)).toContain('<td class="CookieDeclarationTableCell">test_cookie</td>');
    const result = extractCookiebot(script, { source: 'cdreport.js', parseHtml });
    expect(summarize(result.catalogue).map((entry) => [entry.names, entry.lifetime, entry.category])).toEqual([
      [['CookieConsent'], duration(YEAR), 'strictly-necessary'],
      [['test_cookie'], duration(DAY), 'strictly-necessary'],
    ]);
    expect(result.catalogue.entries[1]!.purpose).toBe('Used to check if the user’s browser supports cookies.');
  });

  it('says what is missing', () => {
    expect(
      extractCookiebot(fixture('cookiebot-cdreport.js'), { source: 'cdreport.js' }).notUnderstood[0]!.reason,
    ).toContain('no parseHtml');
    expect(extractCookiebot(parseHtml('<p>nothing</p>'), { source: 'page.html' }).notUnderstood[0]!.reason).toContain(
      'no Cookiebot declaration',
    );
    expect(extractCookiebot('var x = 1;', { source: 'x.js' }).understood).toBe(0);
  });

  describe('the need for consent, from Cookiebot’s categories', () => {
    const bases = (result: ReturnType<typeof extractCookiebot>) =>
      result.catalogue.entries.map((e) => [e.names[0]?.printed, e.consent?.basis, e.consent?.provenance.excerpt]);

    it('Necessary is set without asking, the others wait for consent, Unclassified is not said', () => {
      const declared = extractCookiebot(parseHtml(fixture('cookiebot-declaration.html')), { source: 'page.html' });
      expect(bases(declared)).toEqual([
        ['CookieConsent', 'exempt', 'Nécessaires'],
        ['ASP.NET_SessionId', 'exempt', 'Nécessaires'],
        ['_ga', 'required', 'Statistiques'],
        ['_ga_#', 'required', 'Statistiques'],
        ['_fbp', 'required', 'Marketing'],
        ['lastExternalReferrer', 'required', 'Marketing'],
        ['ctb_uuid', 'unspecified', 'Non classés'],
      ]);
      expect(declared.catalogue.entries[6]!.notes?.join(' ')).toMatch(/regulator's rule decides/);
    });

    it('reads the data API’s category numbers the same way', () => {
      const api = extractCookiebot(fixture('cookiebot-api.json'), { source: 'cookiebot-api.json' });
      expect(bases(api)).toEqual([
        ['CookieConsent', 'exempt', '{"Category":"1"}'],
        ['_ga_#', 'required', '{"Category":"3"}'],
        ['lastExternalReferrer', 'required', '{"Category":"4"}'],
        ['ASP.NET_SessionId', 'exempt', '{"Category":"1"}'],
      ]);
      expect(api.catalogue.entries[1]!.notes).toContain(
        'Consent: Cookiebot holds the Cookiebot category "3 (Statistics)" back until the visitor accepts it.',
      );
    });
  });
});
