// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { validateCatalogue } from '../../catalogue/schema';
import { MONTH } from '../../audit/lifetime';
import { duration, fixture, persistent, session, summarize } from '../../../tests/fixtures/extraction/fixtures';
import { extractTagCommander } from './tagcommander';

describe('extractTagCommander', () => {
  it('reads the HTML cookie notice, storage type and party from the type column, "Illimité" as persistent', () => {
    const document = new DOMParser().parseFromString(fixture('tagcommander-cookies-fr.html'), 'text/html');
    const result = extractTagCommander(document, {
      source: 'https://cdn.tagcommander.com/cookie-scanner/1234/v1/cookies-fr.html',
      language: 'fr',
    });
    expect(validateCatalogue(result.catalogue).ok).toBe(true);
    expect(summarize(result.catalogue)).toEqual([
      {
        names: ['TC_PRIVACY'],
        lifetime: duration(13 * MONTH),
        category: 'strictly-necessary',
        storage: 'cookie',
        party: 'first',
        vendor: 'Commanders Act',
      },
      {
        names: ['TC_PRIVACY_CENTER'],
        lifetime: duration(13 * MONTH),
        category: 'strictly-necessary',
        storage: 'cookie',
        party: 'first',
        vendor: 'Commanders Act',
      },
      {
        names: ['_ga'],
        lifetime: duration(13 * MONTH),
        category: 'audience-measurement',
        storage: 'cookie',
        party: 'first',
        vendor: 'Google',
      },
      {
        names: ['IDE'],
        lifetime: duration(13 * MONTH),
        category: 'advertising',
        storage: 'cookie',
        party: 'third',
        vendor: 'Google',
      },
      {
        names: ['tC_Sync'],
        lifetime: persistent,
        category: 'strictly-necessary',
        storage: 'localStorage',
        party: 'unspecified',
        vendor: 'Commanders Act',
      },
      {
        names: ['WID'],
        lifetime: session,
        category: 'audience-measurement',
        storage: 'cookie',
        party: 'third',
        vendor: 'Commanders Act',
      },
    ]);
    expect(result.catalogue.entries[3]!.notes).toContain('Domain given: .doubleclick.net.');
  });

  it('reads the JSON notice by its documented field names', () => {
    const result = extractTagCommander(fixture('tagcommander-cookies-en.json'), { source: 'cookies-en.json' });
    expect(
      summarize(result.catalogue).map((entry) => [entry.names[0], entry.lifetime, entry.category, entry.storage]),
    ).toEqual([
      ['TC_PRIVACY', duration(13 * MONTH), 'strictly-necessary', 'cookie'],
      ['_hjSessionUser_1234567', duration(12 * MONTH), 'audience-measurement', 'cookie'],
      ['tC_Sync', persistent, 'strictly-necessary', 'localStorage'],
    ]);
    expect(result.notUnderstood).toEqual([
      expect.objectContaining({ reason: 'no cookie name among the fields of this TagCommander item' }),
    ]);
  });

  it('reports input without a cookie list', () => {
    expect(extractTagCommander({ categories: [] }, { source: 'privacy.json' }).notUnderstood[0]!.reason).toBe(
      'no cookie list in this TagCommander input',
    );
  });
});
