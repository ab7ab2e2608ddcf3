import { describe, expect, it } from 'vitest';
import { fixture, summarize, unknown } from '../../../tests/fixtures/extraction/fixtures';
import { extractDidomi } from './didomi';

describe('extractDidomi', () => {
  it('declares the consent storage the configuration names, and lists vendors without cookie names', () => {
    const result = extractDidomi(fixture('didomi-config.json'), {
      source: 'https://www.exemple.fr/didomi-config.json',
    });
    expect(summarize(result.catalogue)).toEqual([
      {
        names: ['exemple_consent'],
        lifetime: unknown,
        category: 'consent',
        storage: 'cookie',
        party: 'first',
        vendor: 'Didomi',
      },
      {
        names: ['euconsent-v2'],
        lifetime: unknown,
        category: 'consent',
        storage: 'cookie',
        party: 'first',
        vendor: 'Didomi',
      },
    ]);
    expect(result.notUnderstood.map((item) => item.text)).toEqual([
      'app.vendors.iab',
      'app.vendors.didomi: google',
      'app.vendors.didomi: facebook',
      'app.vendors.custom: Chat Widget',
      'app.vendors.custom: AdTech123',
    ]);
    expect(result.notUnderstood[4]!.reason).toContain('https://adtech123.example/deviceStorage.json');
  });

  it('falls back to the default names, in cookies and local storage', () => {
    const result = extractDidomi({ didomiConfig: { app: { apiKey: 'k' } } }, { source: 'page.html' });
    expect(summarize(result.catalogue).map((entry) => [entry.names[0], entry.storage])).toEqual([
      ['didomi_token', 'cookie'],
      ['didomi_token', 'localStorage'],
      ['euconsent-v2', 'cookie'],
      ['euconsent-v2', 'localStorage'],
    ]);
  });

  it('reports input that is not a Didomi configuration', () => {
    expect(extractDidomi({ foo: 1 }, { source: 'x.json' }).understood).toBe(0);
  });

  it('says which custom vendors’ cookies need consent by their purposes, and which are claimed under legitimate interest', () => {
    const result = extractDidomi(
      {
        app: {
          vendors: {
            custom: [
              { id: 'a', name: 'Chat Widget', purposeIds: ['cookies', 'improve_products'] },
              { id: 'b', name: 'Fraud Shield', legIntPurposeIds: ['security'] },
            ],
          },
        },
      },
      { source: 'didomi.json' },
    );
    expect(result.notUnderstood.map((item) => item.reason)).toEqual([
      'custom vendor: the configuration names no cookie for it; its cookies need consent: Didomi asks it for purposes cookies, improve_products',
      "custom vendor: the configuration names no cookie for it; declared under legitimate interest only (purposes security): whether its cookies need consent is the regulator's rule",
    ]);
    // Its own consent storage: Didomi's configuration says nothing of its need for consent.
    expect(result.catalogue.entries.every((e) => e.consent === undefined)).toBe(true);
  });
});
