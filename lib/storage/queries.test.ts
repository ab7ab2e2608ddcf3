import { describe, expect, it } from 'vitest';
import { observed } from '../../tests/support/observed';
import { openDB } from 'idb';
import { DB_VERSION, openCookieLensDb, type VisitRecord } from './db';
import {
  allDeposits,
  DEPOSIT_KEPT_MS,
  loadVisit,
  pruneDeposits,
  pruneVisits,
  visitPage,
  visitsOfSite,
} from './queries';

let n = 0;
const visit = (id: string, startedAt: number, site = 'cnp.fr'): VisitRecord => ({
  id,
  tabId: 1,
  site,
  topHost: `www.${site}`,
  startedAt,
  endedAt: startedAt + 1000,
  pages: 1,
  pageUrls: [],
  hosts: [],
  storeId: null,
});

describe('the database', () => {
  it(`creates version ${DB_VERSION} with its stores and indexes from nothing`, async () => {
    const db = await openCookieLensDb(`q-${++n}`);
    expect([...db.objectStoreNames].sort()).toEqual(['catalogues', 'deposits', 'items', 'settings', 'visits']);
    expect([...db.transaction('visits').store.indexNames].sort()).toEqual(['bySite', 'byStart']);
    expect([...db.transaction('items').store.indexNames]).toEqual(['byVisit']);
    expect([...db.transaction('deposits').store.indexNames]).toEqual(['byLastSeen']);
    db.close();
  });

  it('upgrades a version 1 database, keeping every record, its deposits counting as seen at the upgrade', async () => {
    const name = `q-${++n}`;
    // Version 1 as it shipped.
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        const visits = db.createObjectStore('visits', { keyPath: 'id' });
        visits.createIndex('bySite', 'site');
        visits.createIndex('byStart', 'startedAt');
        db.createObjectStore('items', { keyPath: ['visitId', 'key'] }).createIndex('byVisit', 'visitId');
        db.createObjectStore('deposits', { keyPath: 'key' });
        db.createObjectStore('catalogues', { keyPath: 'id' });
        db.createObjectStore('settings', { keyPath: 'key' });
      },
    });
    await v1.put('visits', visit('a', 1000));
    await v1.put('items', { ...observed({ name: '_pk_id.1' }), visitId: 'a', key: 'k' });
    await v1.put('deposits', { key: 'cookie|_pk_id.1|.cnp.fr|/|', firstDeposit: 1000 });
    await v1.put('settings', { key: 'settings', value: { language: 'fr' } });
    await v1.put('catalogues', { id: 'mine', importedAt: 2000, catalogue: {} });
    v1.close();

    const upgradedAt = Date.UTC(2026, 10, 23);
    const db = await openCookieLensDb(name, () => upgradedAt);
    expect(db.version).toBe(DB_VERSION);
    expect((await loadVisit(db, 'a'))?.items.map((i) => i.name)).toEqual(['_pk_id.1']);
    expect(await db.getAll('deposits')).toEqual([
      { key: 'cookie|_pk_id.1|.cnp.fr|/|', firstDeposit: 1000, lastSeen: upgradedAt },
    ]);
    expect(await allDeposits(db)).toEqual([['cookie|_pk_id.1|.cnp.fr|/|', 1000]]);
    expect(await db.get('settings', 'settings')).toEqual({ key: 'settings', value: { language: 'fr' } });
    expect((await db.getAll('catalogues')).map((c) => c.id)).toEqual(['mine']);
    // Pruned 400 days after the upgrade, not before.
    const pruneAt = (now: number) => pruneDeposits(db, now - DEPOSIT_KEPT_MS);
    expect(await pruneAt(upgradedAt + DEPOSIT_KEPT_MS - 1)).toBe(0);
    expect(await pruneAt(upgradedAt + DEPOSIT_KEPT_MS + 1)).toBe(1);
    db.close();
  });

  it('upgrades a version 2 database, cutting its addresses and cookie paths down to evidence addresses, and keeps everything else', async () => {
    const name = `q-${++n}`;
    const v2 = await openDB(name, 2, {
      upgrade(db) {
        const visits = db.createObjectStore('visits', { keyPath: 'id' });
        visits.createIndex('bySite', 'site');
        visits.createIndex('byStart', 'startedAt');
        db.createObjectStore('items', { keyPath: ['visitId', 'key'] }).createIndex('byVisit', 'visitId');
        db.createObjectStore('deposits', { keyPath: 'key' }).createIndex('byLastSeen', 'lastSeen');
        db.createObjectStore('catalogues', { keyPath: 'id' });
        db.createObjectStore('settings', { keyPath: 'key' });
      },
    });
    const secret = 'VALUE-9c1e4b7a2f6d8e03';
    const site = 'https://www.cnp.fr';
    const pageUrls = [
      `${site}/app/;jsessionid=${secret}`,
      `${site}/app/`,
      `${site}/s/${secret}/account`,
      `${site}/contrats`,
    ];
    await v2.put('visits', { ...visit('a', 1000), pageUrls });
    await v2.put('visits', { ...visit('b', 2000), pageUrls: [`${site}/contrats`] });
    const item = observed({ name: 'sid' });
    const { url: _url, ...noUrl } = item.firstWrite;
    const withUrl = (url: string | undefined) => (url === undefined ? noUrl : { ...noUrl, url });
    await v2.put('items', {
      ...item,
      visitId: 'a',
      key: 'k',
      firstWrite: withUrl(`${site}/login?PHPSESSID=${secret}`),
      lastWrite: withUrl(`${site}/tag.js?token=${secret}#${secret}`),
      longestWrite: withUrl(undefined),
    });
    await v2.put('items', {
      ...item,
      visitId: 'b',
      key: 'k',
      firstWrite: withUrl(`${site}/contrats`),
      lastWrite: withUrl('/not/an/address'),
      longestWrite: withUrl(`${site}/contrats`),
    });
    // Cookies set without Path under an address with a session id in it: the same cookie twice, by that id.
    const dirCookie = (visitId: string, id: string, firstSeen: number) => {
      const path = `/s/${id}`;
      return {
        ...observed({ name: 'sid_dir', path }),
        firstSeen,
        visitId,
        key: `cookie|sid_dir|monespaceclient.cnp.fr|${path}|`,
      };
    };
    await v2.put('items', dirCookie('a', secret, 1000));
    await v2.put('items', dirCookie('a', 'VALUE-0123456789abcdef', 1500));
    const deposit = { key: 'cookie|sid|www.cnp.fr|/|', firstDeposit: 1000, lastSeen: 2000 };
    await v2.put('deposits', deposit);
    await v2.put('deposits', {
      key: `cookie|sid_dir|monespaceclient.cnp.fr|/s/${secret}|`,
      firstDeposit: 1000,
      lastSeen: 1000,
    });
    await v2.put('deposits', {
      key: 'cookie|sid_dir|monespaceclient.cnp.fr|/s/VALUE-0123456789abcdef|',
      firstDeposit: 900,
      lastSeen: 1500,
    });
    await v2.put('settings', { key: 'settings', value: { language: 'fr' } });
    v2.close();

    const db = await openCookieLensDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(
      JSON.stringify([await db.getAll('visits'), await db.getAll('items'), await db.getAll('deposits')]),
    ).not.toContain('VALUE-');
    expect(await db.get('visits', 'a')).toEqual({
      ...visit('a', 1000),
      pageUrls: [`${site}/app/`, `${site}/s/…/account`, `${site}/contrats`],
    });
    expect(await db.get('visits', 'b')).toEqual({ ...visit('b', 2000), pageUrls: [`${site}/contrats`] });
    expect(await db.get('items', ['a', 'k'])).toEqual({
      ...item,
      visitId: 'a',
      key: 'k',
      firstWrite: withUrl(`${site}/login`),
      lastWrite: withUrl(`${site}/tag.js`),
      longestWrite: withUrl(undefined),
    });
    expect(await db.get('items', ['b', 'k'])).toEqual({
      ...item,
      visitId: 'b',
      key: 'k',
      firstWrite: withUrl(`${site}/contrats`),
      lastWrite: withUrl(undefined),
      longestWrite: withUrl(`${site}/contrats`),
    });
    // The two become one, the first seen, and their first deposit the earliest.
    const kept = await db.get('items', ['a', 'cookie|sid_dir|monespaceclient.cnp.fr|/s/…|']);
    expect(kept).toMatchObject({ path: '/s/…', firstSeen: 1000 });
    expect((await db.getAllFromIndex('items', 'byVisit', 'a')).map((i) => i.name).sort()).toEqual(['sid', 'sid_dir']);
    expect(await db.getAll('deposits')).toEqual([
      { key: 'cookie|sid_dir|monespaceclient.cnp.fr|/s/…|', firstDeposit: 900, lastSeen: 1500 },
      deposit,
    ]);
    expect(await db.get('settings', 'settings')).toEqual({ key: 'settings', value: { language: 'fr' } });
    db.close();
  });

  it('forgets the first deposit of a cookie not seen for 400 days, and keeps the others', async () => {
    const db = await openCookieLensDb(`q-${++n}`);
    const now = Date.UTC(2026, 10, 23);
    await db.put('deposits', { key: 'gone', firstDeposit: now - 900 * 86_400_000, lastSeen: now - 401 * 86_400_000 });
    await db.put('deposits', { key: 'renewed', firstDeposit: now - 900 * 86_400_000, lastSeen: now - 10 * 86_400_000 });
    expect(await pruneDeposits(db, now - DEPOSIT_KEPT_MS)).toBe(1);
    expect((await allDeposits(db)).map(([key]) => key)).toEqual(['renewed']);
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
    expect((await visitPage(db, { offset: 0, limit: 10 })).visits.map((v) => v.id)).toEqual(['b', 'a']);
    expect((await visitsOfSite(db, 'cnp.fr')).map((v) => v.id)).toEqual(['b', 'a']);
    expect((await loadVisit(db, 'a'))?.items.map((i) => i.name)).toEqual(['ok']);
  });

  it('reads back a visit’s consent changes and problems, and a visit from before them, and skips damaged ones', async () => {
    const db = await openCookieLensDb(`q-${++n}`);
    const consent = [
      {
        at: 1500,
        choice: 'accepted-part' as const,
        granted: ['audience-measurement' as const],
        purposes: [1, 8],
        platformCategories: null,
        source: { kind: 'signal' as const, platform: 'tcf' as const, name: 'euconsent-v2' },
      },
      {
        at: 1200,
        choice: 'no-choice' as const,
        granted: null,
        purposes: null,
        platformCategories: null,
        source: { kind: 'platform-loaded' as const, platform: 'didomi' as const, host: 'sdk.privacy-center.org' },
      },
    ];
    const consentProblems = [
      {
        platform: 'onetrust' as const,
        name: 'OptanonConsent',
        reason: 'malformed' as const,
        count: 3,
        firstAt: 1100,
        lastAt: 1900,
      },
    ];
    await db.put('visits', { ...visit('with', 1000), consent, consentProblems });
    await db.put('visits', visit('before', 2000));
    await db.put('visits', { ...visit('damaged', 3000), consent: [{ ...consent[0], choice: 'maybe' }] } as never);
    await db.put('visits', { ...visit('damaged-problem', 4000), consentProblems: [{ name: 'x' }] } as never);
    expect((await visitsOfSite(db, 'cnp.fr')).map((v) => v.id)).toEqual(['before', 'with']);
    expect((await loadVisit(db, 'with'))?.record).toMatchObject({ consent, consentProblems });
    expect((await loadVisit(db, 'before'))?.record.consent).toBeUndefined();
  });

  it('pages through 100,000 visits newest first, with the true count of the history and of each site', async () => {
    const db = await openCookieLensDb(`q-${++n}`);
    const tx = db.transaction('visits', 'readwrite');
    // Visit i starts at i seconds; every other one is on big.example (50,000 visits).
    for (let i = 0; i < 100_000; i++)
      void tx.store.put(visit(`v${i}`, i * 1000, i % 2 === 0 ? 'big.example' : `site${i % 7}.example`));
    await tx.done;

    const first = await visitPage(db, { offset: 0, limit: 100 });
    expect(first.total).toBe(100_000);
    expect(first.visits.map((v) => v.id)).toEqual(Array.from({ length: 100 }, (_, i) => `v${99_999 - i}`));
    expect(first.siteCounts['big.example']).toBe(50_000);
    expect(Object.values(first.siteCounts).reduce((a, b) => a + b, 0)).toBe(100_000);

    const last = await visitPage(db, { offset: 99_950, limit: 100 });
    expect(last.visits.map((v) => v.id)).toEqual(Array.from({ length: 50 }, (_, i) => `v${49 - i}`));
    expect(last.total).toBe(100_000);

    const ofSite = await visitPage(db, { site: 'big.example', offset: 100, limit: 10 });
    expect(ofSite.total).toBe(50_000);
    expect(ofSite.visits.map((v) => v.id)).toEqual(Array.from({ length: 10 }, (_, i) => `v${99_998 - 2 * (100 + i)}`));
  }, 120_000);
});
