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

  it('declares storage for purpose 1 required, and leaves special purposes and legitimate interest to the regulator', () => {
    const result = extractTcfDisclosures(fixture('tcf-device-storage.json'), {
      source: 'https://adtech123.example/deviceStorage.json',
    });
    expect(result.catalogue.entries.map((e) => [e.names[0]!.printed, e.consent?.basis])).toEqual([
      ['retarget-adtech123', 'required'],
      ['_adt_sess*', 'required'],
      ['id', 'required'],
      ['adt_optout', 'unspecified'],
    ]);
    expect(result.catalogue.entries[0]!.consent?.provenance.excerpt).toBe(
      '{"purposes":[1,3,4,5,6],"specialPurposes":[1]}',
    );
    expect(result.catalogue.entries[3]!.notes).toContainEqual(expect.stringMatching(/declared for no purpose/));

    const storage = (purposes: number[], specialPurposes: number[] = []) =>
      JSON.stringify({
        disclosures: [{ identifier: 'x', type: 'cookie', maxAgeSeconds: 60, purposes, specialPurposes }],
      });
    const legalBases = { purposes: [3, 4], legIntPurposes: [7, 8] };
    const read = (purposes: number[], specialPurposes: number[] = []) =>
      extractTcfDisclosures(storage(purposes, specialPurposes), { source: 's.json', legalBases }).catalogue.entries[0]!;
    expect(read([3]).consent?.basis).toBe('required');
    expect(read([7, 8])).toMatchObject({ consent: { basis: 'unspecified' } });
    expect(read([7, 8]).notes?.join(' ')).toMatch(/under legitimate interest only/);
    expect(read([], [1, 2]).notes?.join(' ')).toMatch(
      /special purposes only \(1, 2\), which the TCF processes without consent/,
    );
  });
});
