import { describe, expect, it } from 'vitest';
import { bundledCatalogues } from '../catalogue/bundled';
import { openCookieLensDb } from '../storage/db';
import { CatalogueStore } from './catalogues';

let dbCount = 0;

/** The Extranet catalogue as a person imported it before consent declarations: format version 1, another id. */
function savedInVersionOne(id: string): Record<string, unknown> {
  const { consentRules: _rules, ...rest } = structuredClone(
    bundledCatalogues().find((c) => c.id === 'europ-assistance-extranet-partenaires')!,
  );
  return {
    ...rest,
    formatVersion: 1,
    id,
    entries: rest.entries.map(({ consent: _consent, ...entry }) => entry),
  };
}

describe('CatalogueStore and older format versions', () => {
  it('still loads a version 1 catalogue stored before the upgrade, upgraded in memory and left as it was stored', async () => {
    const database = await openCookieLensDb(`catalogues-${++dbCount}`);
    const stored = savedInVersionOne('my-extranet');
    await database.put('catalogues', { id: 'my-extranet', importedAt: 1_700_000_000_000, catalogue: stored });
    const store = new CatalogueStore(async () => database);
    await store.load(database);
    const listed = store.listing().catalogues.find((c) => c.catalogue.id === 'my-extranet');
    expect(listed).toMatchObject({ origin: 'imported', importedAt: 1_700_000_000_000 });
    expect(listed?.catalogue).toMatchObject({ formatVersion: 2, entries: stored.entries, rules: stored.rules });
    expect(listed?.catalogue.notes?.at(-1)).toMatch(/^Read from catalogue format version 1/);
    expect((await database.get('catalogues', 'my-extranet'))?.catalogue).toEqual(stored);
  });

  it('imports a version 1 file, says it was upgraded, and keeps it as version 2', async () => {
    const database = await openCookieLensDb(`catalogues-${++dbCount}`);
    const store = new CatalogueStore(async () => database);
    await store.load(database);
    const answer = await store.import(JSON.stringify(savedInVersionOne('old-extranet')), 'fr');
    expect(answer).toEqual({ ok: true, id: 'old-extranet', replaced: false, upgradedFrom: 1 });
    const kept = (await database.get('catalogues', 'old-extranet'))?.catalogue as {
      formatVersion: number;
      notes: string[];
    };
    expect(kept.formatVersion).toBe(2);
    expect(kept.notes.at(-1)).toMatch(/^Lu depuis la version 1 du format de catalogue/);
    // Read back after a restart, it is not upgraded twice.
    const restarted = new CatalogueStore(async () => database);
    await restarted.load(database);
    const listed = restarted.listing().catalogues.find((c) => c.catalogue.id === 'old-extranet');
    expect(listed?.catalogue.notes?.filter((n) => /version 1/.test(n))).toHaveLength(1);
  });
});
