// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { validateCatalogue, type Catalogue } from '../catalogue/schema';
import { DAY, MINUTE, MONTH, YEAR } from '../audit/lifetime';
import { duration, fixture, persistent, session, summarize } from '../../tests/fixtures/extraction/fixtures';
import { extractPolicyPage } from './policy-page';

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');

describe('extractPolicyPage', () => {
  it('reads a French policy: headings as categories, rowspan vendors, several names per cell, a spanning label row', () => {
    const result = extractPolicyPage(parse(fixture('policy-fr.html')), {
      source: 'https://www.mutuelle-exemple.fr/politique-cookies',
    });
    expect(validateCatalogue(result.catalogue).ok).toBe(true);
    expect(result.catalogue).toMatchObject({
      id: 'draft-www-mutuelle-exemple-fr',
      language: 'fr',
      title: 'Politique de gestion des cookies',
    });
    expect(summarize(result.catalogue)).toEqual([
      {
        names: ['PHPSESSID'],
        lifetime: session,
        category: 'strictly-necessary',
        storage: 'cookie',
        party: 'unspecified',
        vendor: 'Mutuelle Exemple',
      },
      {
        names: ['csrf_token', 'XSRF-TOKEN'],
        lifetime: session,
        category: 'strictly-necessary',
        storage: 'cookie',
        party: 'unspecified',
        vendor: 'Mutuelle Exemple',
      },
      {
        names: [],
        lifetime: duration(3 * MONTH),
        category: 'strictly-necessary',
        storage: 'cookie',
        party: 'unspecified',
        vendor: 'Mutuelle Exemple',
      },
      {
        names: ['_pk_id.*'],
        lifetime: duration(13 * MONTH),
        category: 'audience-measurement',
        storage: 'cookie',
        party: 'third',
        vendor: 'Matomo',
      },
      {
        names: ['_pk_ses.*'],
        lifetime: duration(30 * MINUTE),
        category: 'audience-measurement',
        storage: 'cookie',
        party: 'third',
        vendor: 'Matomo',
      },
      {
        names: ['_pk_ref.*'],
        lifetime: duration(6 * MONTH),
        category: 'audience-measurement',
        storage: 'cookie',
        party: 'third',
        vendor: 'Matomo',
      },
      {
        names: ['ppms_webstorage'],
        lifetime: persistent,
        category: 'audience-measurement',
        storage: 'localStorage',
        party: 'unspecified',
        vendor: 'Piwik PRO',
      },
      {
        names: ['dydu.*'],
        lifetime: duration(YEAR),
        category: 'support-chat',
        storage: 'localStorage',
        party: 'unspecified',
        vendor: 'DoYouDreamUp',
      },
      {
        names: ['DYDU_clientId'],
        lifetime: duration(MINUTE),
        category: 'support-chat',
        storage: 'localStorage',
        party: 'unspecified',
        vendor: 'DoYouDreamUp',
      },
    ]);
    const unnamed = result.catalogue.entries[2]!;
    expect(unnamed).toMatchObject({ unnamed: true, purpose: "Mémorise l'identifiant saisi si vous le demandez" });
    expect(unnamed.notes).toContain('Described, not named: "Identifiant de connexion au site".');
    expect(result.catalogue.entries[3]!.provenance.excerpt).toBe(
      'Matomo _pk_id.* Identifiant du visiteur 13 mois Cookie tiers',
    );
    expect(result.catalogue.rules.map((rule) => [rule.appliesTo, rule.role, rule.lifetime.text])).toEqual([
      ['all', 'maximum', 'plus de 13 mois'],
    ]);
  });

  it('reads an English policy: party from label rows, categories from a column, placeholders as patterns', () => {
    const result = extractPolicyPage(parse(fixture('policy-en.html')), { source: 'policy-en.html' });
    expect(summarize(result.catalogue)).toEqual([
      {
        names: ['ASP.NET_SessionId'],
        lifetime: session,
        category: 'strictly-necessary',
        storage: 'cookie',
        party: 'first',
        vendor: 'Example Insurance',
      },
      {
        names: ['.AspNetCore.Antiforgery.x7Yz'],
        lifetime: session,
        category: 'security',
        storage: 'cookie',
        party: 'first',
        vendor: 'Example Insurance',
      },
      {
        names: ['cookie_preferences'],
        lifetime: duration(YEAR),
        category: 'functional',
        storage: 'cookie',
        party: 'first',
        vendor: 'Example Insurance',
      },
      {
        names: ['_ga', '_ga_*'],
        lifetime: duration(2 * YEAR),
        category: 'audience-measurement',
        storage: 'cookie',
        party: 'third',
        vendor: 'Google Analytics',
      },
      {
        names: ['_gcl_au'],
        lifetime: duration(90 * DAY),
        category: 'advertising',
        storage: 'cookie',
        party: 'third',
        vendor: 'Google Ads',
      },
      {
        names: ['_hjSessionUser_*'],
        lifetime: duration(YEAR, true),
        category: 'audience-measurement',
        storage: 'cookie',
        party: 'third',
        vendor: 'Hotjar',
      },
    ]);
    expect(result.notUnderstood).toEqual([
      { text: 'Vimeo Varies Functional', reason: 'table row without a cookie name or description' },
    ]);
    expect(result.catalogue.rules.map((rule) => rule.lifetime.text)).toEqual(['no more than 13 months']);
    expect(result.catalogue.policy).toEqual({ url: null, document: 'policy-en.html' });
  });

  it('drafts the cookies a page declares beside its tables, once each', () => {
    const html = `<h2>Analytics</h2><table><tr><th>Name</th><th>Expiry</th></tr><tr><td>_ga</td><td>2 years</td></tr></table>
      <p>We also set:</p><ul><li>site_session: keeps you signed in (session)</li><li>_ga: see above (2 years)</li></ul>`;
    const { catalogue } = extractPolicyPage(parse(html), { source: 'page.html' });
    expect(catalogue.entries.map((entry) => [entry.names.map((name) => name.printed), entry.lifetime.text])).toEqual([
      [['_ga'], '2 years'],
      [['site_session'], 'session'],
    ]);
  });

  it('falls back to free text on a page without a cookie table', () => {
    const page = parse(
      '<html lang="en"><body><h1>Cookies</h1><p>We set <b>_ga</b> for 2 years and <b>_gid</b> for 24 hours.</p></body></html>',
    );
    const result = extractPolicyPage(page, { source: 'https://example.org/cookies' });
    expect(summarize(result.catalogue).map((entry) => [entry.names, entry.lifetime])).toEqual([
      [['_ga'], duration(2 * YEAR)],
      [['_gid'], duration(DAY)],
    ]);
    expect(result.catalogue.notes?.[0]).toContain('no cookie table: read as free text');
  });

  describe('the need for consent, where the table’s words say it', () => {
    const bases = (catalogue: Catalogue) =>
      catalogue.entries.map((entry) => [entry.names[0]?.printed ?? entry.purpose, entry.consent?.basis ?? null]);

    it('from a heading above the table, and from a category column; a category alone says nothing of it', () => {
      const french = extractPolicyPage(parse(fixture('policy-fr.html')), { source: 'policy-fr.html' }).catalogue;
      expect(bases(french).slice(0, 4)).toEqual([
        ['PHPSESSID', 'exempt'],
        ['csrf_token', 'exempt'],
        ["Mémorise l'identifiant saisi si vous le demandez", 'exempt'],
        ['_pk_id.*', null],
      ]);
      expect(french.entries[0]!.consent?.provenance).toEqual({
        source: 'policy-fr.html',
        excerpt: 'Cookies strictement nécessaires',
      });
      const english = extractPolicyPage(parse(fixture('policy-en.html')), { source: 'policy-en.html' }).catalogue;
      expect(bases(english).slice(0, 4)).toEqual([
        ['ASP.NET_SessionId', 'exempt'],
        ['.AspNetCore.Antiforgery.x7Yz', null],
        ['cookie_preferences', null],
        ['_ga', null],
      ]);
      expect(english.entries[0]!.consent?.provenance.excerpt).toBe('Strictly necessary');
    });

    it('reads "soumis à consentement" as required and "exemptés de consentement" as exempt', () => {
      const html = `<table><tr><th>Nom du cookie</th><th>Finalité</th><th>Durée</th><th>Catégorie</th></tr>
        <tr><td>_pk_id</td><td>Mesure d'audience</td><td>13 mois</td><td>Exemptés de consentement</td></tr>
        <tr><td>_fbp</td><td>Publicité</td><td>3 mois</td><td>Soumis à consentement</td></tr>
        <tr><td>lang</td><td>Langue</td><td>1 an</td><td>Préférences</td></tr></table>`;
      const result = extractPolicyPage(parse(html), { source: 'https://www.exemple.fr/cookies' });
      expect(validateCatalogue(result.catalogue).ok).toBe(true);
      expect(bases(result.catalogue)).toEqual([
        ['_pk_id', 'exempt'],
        ['_fbp', 'required'],
        ['lang', null],
      ]);
      expect(result.catalogue.entries[1]!.consent?.provenance.excerpt).toBe('Soumis à consentement');
    });
  });
});
