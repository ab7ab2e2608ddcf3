import { describe, expect, it } from 'vitest';
import { observed } from '../../tests/support/observed';
import { DB_VERSION, openCookieLensDb, type VisitRecord } from './db';
import { loadVisit, pruneVisits, recentVisits, visitsOfSite } from './queries';

let n = 0;
const visit = (id: string, startedAt: number, site = 'cnp.fr'): VisitRecord => ({
  id, tabId: 1, site, topHost: `www.${site}`, startedAt, endedAt: startedAt + 1000, pages: 1, pageUrls: [], hosts: [], storeId: null,
});

describe('the database', () => {
  it(`creates version ${DB_VERSION} with its stores and indexes from nothing`, async () => {
    const db = await openCookieLensDb(`q-${++n}`);
    expect([...db.objectStoreNames].sort()).toEqual(['catalogues', 'deposits', 'items', 'settings', 'visits']);
    expect([...db.transaction('visits').store.indexNames].sort()).toEqual(['bySite', 'byStart']);
    expect([...db.transaction('items').store.indexNames]).toEqual(['byVisit']);
    db.close();
  });

  it('prunes visits older than the retention, with their items, and keeps the rest', async () => {
    const db = await openCookieLensDb(`q-${++n}`);
    await db.put('visits', visit('old', 1000));
    await db.put('visits', visit('new', 5000));
    await db.put('items', { ...observed({ name: 'a' }), visitId: 'old', key: 'a' });
    await db.put('items', { ...observed({ name: 'b' }), visitId: 'new', key: 'b' });
    expect(await pruneVisits(db, 2000)).toBe(1);
    expect((await db.getAll('visits')).map((v) => v.id)).toEqual(['new']);
    expect((await db.getAll('items')).map((i) => i.visitId)).toEqual(['new']);
  });

  it('lists visits newest first, and skips a damaged record instead of failing', async () => {
    const db = await openCookieLensDb(`q-${++n}`);
    await db.put('visits', visit('a', 1000));
    await db.put('visits', visit('b', 3000));
    await db.put('visits', { ...visit('broken', 2000), pages: 'many' } as never);
    await db.put('items', { ...observed({ name: 'ok' }), visitId: 'a', key: 'ok' });
    await db.put('items', { visitId: 'a', key: 'damaged', name: 42 } as never);
    expect((await recentVisits(db, 10)).map((v) => v.id)).toEqual(['b', 'a']);
    expect((await visitsOfSite(db, 'cnp.fr')).map((v) => v.id)).toEqual(['b', 'a']);
    expect((await loadVisit(db, 'a'))?.items.map((i) => i.name)).toEqual(['ok']);
  });
});
