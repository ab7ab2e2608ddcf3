// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fixture } from '../../tests/fixtures/extraction/fixtures';
import { collectPageSources, extractFromPage } from './page-sources';

const parseHtml = (html: string) => new DOMParser().parseFromString(html, 'text/html');

describe('reading a catalogue from the page the user is on', () => {
  it('gathers the page and the consent platforms’ data as plain data', () => {
    document.documentElement.innerHTML = '<head><title>Cookies</title></head><body><p>Politique cookies</p></body>';
    document.documentElement.lang = 'fr';
    (window as unknown as { OneTrust: unknown }).OneTrust = { GetDomainData: () => ({ Groups: [], fn: () => 1 }) };
    const sources = collectPageSources();
    expect(sources).toMatchObject({ title: 'Cookies', language: 'fr', oneTrust: { Groups: [] }, didomi: null });
    expect(sources.html).toContain('Politique cookies');
    expect(JSON.parse(JSON.stringify(sources))).toEqual(sources);
    delete (window as unknown as { OneTrust?: unknown }).OneTrust;
  });

  it('holds everything it uses, as scripting.executeScript sends it to the page as source text', () => {
    document.documentElement.innerHTML = '<head><title>Cookies</title></head><body><p>Texte</p></body>';
    const alone = new Function(`return (${collectPageSources.toString()})();`) as () => unknown;
    expect(alone()).toMatchObject({ title: 'Cookies', oneTrust: null });
  });

  it('turns a policy page with a cookie table into a draft, and a page with none into a text reading', () => {
    const base = {
      url: 'https://www.example.fr/cookies',
      title: 'Politique cookies',
      language: 'fr',
      oneTrust: null,
      didomi: null,
    };
    const [best] = extractFromPage({ ...base, html: fixture('policy-fr.html'), text: '' }, parseHtml);
    expect(best!.understood).toBeGreaterThan(2);
    expect(best!.catalogue.entries.every((e) => e.provenance.source === base.url)).toBe(true);
    const fallback = extractFromPage(
      { ...base, html: '<p>Rien</p>', text: 'Le cookie _ga est conservé 13 mois.' },
      parseHtml,
    );
    expect(fallback).toHaveLength(1);
    expect(fallback[0]!.catalogue.entries.map((e) => e.names.map((n) => n.printed))).toEqual([['_ga']]);
  });

  it('reads OneTrust’s domain data when the page exposes it', () => {
    const base = {
      url: 'https://shop.example/',
      title: 'Shop',
      language: 'en',
      html: '<p></p>',
      text: '',
      didomi: null,
    };
    const results = extractFromPage({ ...base, oneTrust: JSON.parse(fixture('onetrust-domaindata.json')) }, parseHtml);
    expect(results[0]!.understood).toBeGreaterThan(0);
    expect(results[0]!.source).toBe('https://shop.example/');
  });
});
