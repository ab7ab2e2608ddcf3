import { describe, expect, it } from 'vitest';
import { duration, fixture, session, summarize, unknown } from '../../../tests/fixtures/extraction/fixtures';
import { categoryFromPurposes, extractTcfDisclosures } from './tcf-disclosures';

describe('extractTcfDisclosures', () => {
  it('reads cookie and web disclosures: maxAgeSeconds, 0 as session, wildcards kept, purposes as categories', () => {
    const result = extractTcfDisclosures(fixture('tcf-device-storage.json'), {
      source: 'https://adtech123.example/deviceStorage.json',
      vendor: 'AdTech123',
    });
    expect(summarize(result.catalogue)).toEqual([
      {
        names: ['retarget-adtech123'],
        lifetime: duration(31_536_000),
        category: 'advertising',
        storage: 'cookie',
        party: 'unspecified',
        vendor: 'AdTech123',
      },
      {
        names: ['_adt_sess*'],
        lifetime: session,
        category: 'audience-measurement',
        storage: 'cookie',
        party: 'unspecified',
        vendor: 'AdTech123',
      },
      {
        names: ['id'],
        lifetime: unknown,
        category: 'advertising',
        storage: 'unknown',
        party: 'unspecified',
        vendor: 'AdTech123',
      },
      {
        names: ['adt_optout'],
        lifetime: duration(157_680_000),
        category: 'unknown',
        storage: 'cookie',
        party: 'unspecified',
        vendor: 'AdTech123',
      },
    ]);
    const [retarget, sessions] = result.catalogue.entries;
    expect(retarget!.notes).toContain(
      'cookieRefresh: the vendor renews the cookie, so it can outlive maxAgeSeconds counted from its first setting.',
    );
    expect(sessions!.notes).toContain('Domains: *.adtech123.example.');
    expect(result.notUnderstood.map((item) => item.reason)).toEqual([
      'app storage: outside a web browser, nothing Cookie Lens can observe',
      'identifier missing, or a wildcard alone (invalid in the TCF)',
    ]);
  });

  it('keeps the maxAgeSeconds of a web storage entry', () => {
    const disclosures = [
      { identifier: 'vendor_cache', type: 'web', maxAgeSeconds: 86_400, purposes: [1] },
      { identifier: 'vendor_flags', type: 'web', maxAgeSeconds: 0, purposes: [1] },
    ];
    expect(
      summarize(extractTcfDisclosures({ disclosures }, { source: 'x.json' }).catalogue).map((entry) => entry.lifetime),
    ).toEqual([duration(86_400), unknown]);
  });

  it('maps TCF purposes to categories', () => {
    expect(categoryFromPurposes([1, 9, 10])).toBe('audience-measurement');
    expect(categoryFromPurposes([1, 2])).toBe('advertising');
    expect(categoryFromPurposes([1], [1])).toBe('security');
    expect(categoryFromPurposes([1])).toBe('unknown');
  });

  it('says when a vendor declares no storage, or the JSON is not a disclosure', () => {
    expect(extractTcfDisclosures({ disclosures: [], domains: [] }, { source: 'x.json' }).notUnderstood[0]!.reason).toBe(
      'the vendor declares no client-side storage',
    );
    expect(extractTcfDisclosures({ vendors: {} }, { source: 'gvl.json' }).notUnderstood[0]!.reason).toBe(
      'no "disclosures" array in this JSON',
    );
  });
});
