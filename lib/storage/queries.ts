import * as v from 'valibot';
import { ConsentChangeSchema, ConsentProblemSchema } from '../consent/consent-schema';
import type { ObservedItem } from '../observation/observed';
import type { Db, ItemRecord, VisitRecord } from './db';

/**
 * Reads of the database. Records come back through a light check: one damaged by an old bug or another tool is
 * skipped and counted, not allowed to break the extension.
 */
const VisitRecordSchema = v.looseObject({
  id: v.string(),
  tabId: v.number(),
  site: v.string(),
  topHost: v.string(),
  startedAt: v.number(),
  endedAt: v.number(),
  pages: v.number(),
  pageUrls: v.array(v.string()),
  hosts: v.array(v.string()),
  storeId: v.nullable(v.string()),
  // Absent from the records of versions before 0.2, which stay valid.
  consent: v.optional(v.array(ConsentChangeSchema)),
  consentProblems: v.optional(v.array(ConsentProblemSchema)),
});
const WriteSchema = v.looseObject({ at: v.number(), by: v.string() });
const ItemRecordSchema = v.looseObject({
  visitId: v.string(),
  key: v.string(),
  store: v.picklist(['cookie', 'localStorage', 'sessionStorage']),
  name: v.string(),
  domain: v.string(),
  path: v.string(),
  party: v.picklist(['first', 'third']),
  firstSeen: v.number(),
  lastSeen: v.number(),
  firstDeposit: v.number(),
  renewals: v.number(),
  firstWrite: WriteSchema,
  lastWrite: WriteSchema,
  longestWrite: WriteSchema,
});

function valid<T>(schema: v.GenericSchema, records: unknown[]): T[] {
  return records.filter((record) => v.is(schema, record)) as T[];
}

export async function visitsOfSite(db: Db, site: string): Promise<VisitRecord[]> {
  const visits = valid<VisitRecord>(VisitRecordSchema, await db.getAllFromIndex('visits', 'bySite', site));
  return visits.sort((a, b) => b.startedAt - a.startedAt);
}

/** One page of a list of visits, newest first, with how many visits the list has and each of the page's sites has. */
export interface VisitPage {
  visits: VisitRecord[];
  total: number;
  siteCounts: Record<string, number>;
}

/**
 * The visits from the `offset`-th newest on, at most `limit` of them, of all sites or of one. The page is read by
 * a cursor that skips to it, and the counts are the indexes' counts: with 100,000 visits, the cost is one page's.
 */
export async function visitPage(
  db: Db,
  { site, offset, limit }: { site?: string; offset: number; limit: number },
): Promise<VisitPage> {
  const store = db.transaction('visits').store;
  const visits: VisitRecord[] = [];
  let total: number;
  if (site === undefined) {
    total = await store.count();
    let cursor = await store.index('byStart').openCursor(null, 'prev');
    if (cursor && offset > 0) cursor = await cursor.advance(offset);
    while (cursor && visits.length < limit) {
      if (v.is(VisitRecordSchema, cursor.value)) visits.push(cursor.value);
      cursor = await cursor.continue();
    }
  } else {
    total = await store.index('bySite').count(site);
    // One site's visits are indexed by site only: sorted here (a site has far fewer than the whole history).
    visits.push(...(await visitsOfSite(db, site)).slice(offset, offset + limit));
  }
  const siteCounts: Record<string, number> = {};
  const bySite = db.transaction('visits').store.index('bySite');
  for (const visit of visits) siteCounts[visit.site] ??= await bySite.count(visit.site);
  return { visits, total, siteCounts };
}

export async function loadVisit(
  db: Db,
  visitId: string,
): Promise<{ record: VisitRecord; items: ObservedItem[] } | null> {
  const record = await db.get('visits', visitId);
  if (!record || !v.is(VisitRecordSchema, record)) return null;
  const items = valid<ItemRecord>(ItemRecordSchema, await db.getAllFromIndex('items', 'byVisit', visitId));
  return { record, items: items.map(({ visitId: _visit, key: _key, ...item }) => item) };
}

/** The latest visit of each tab still open, to carry on after the background slept. */
export async function openVisits(
  db: Db,
  tabs: ReadonlyArray<{ id: number; site: string | null }>,
): Promise<Array<{ record: VisitRecord; items: ObservedItem[] }>> {
  const result: Array<{ record: VisitRecord; items: ObservedItem[] }> = [];
  for (const tab of tabs) {
    if (!tab.site) continue;
    const latest = (await visitsOfSite(db, tab.site)).find((visit) => visit.tabId === tab.id);
    const loaded = latest && (await loadVisit(db, latest.id));
    if (loaded) result.push(loaded);
  }
  return result;
}

export async function allDeposits(db: Db): Promise<Array<[string, number]>> {
  return (await db.getAll('deposits'))
    .filter((d) => typeof d.firstDeposit === 'number')
    .map((d) => [d.key, d.firstDeposit]);
}

/** Deletes visits started before `before`, with their items; returns how many visits went. */
export async function pruneVisits(db: Db, before: number): Promise<number> {
  const tx = db.transaction(['visits', 'items'], 'readwrite');
  let removed = 0;
  let cursor = await tx.objectStore('visits').index('byStart').openCursor(IDBKeyRange.upperBound(before, true));
  while (cursor) {
    const visitId = cursor.value.id;
    let itemCursor = await tx.objectStore('items').index('byVisit').openCursor(visitId);
    while (itemCursor) {
      await itemCursor.delete();
      itemCursor = await itemCursor.continue();
    }
    await cursor.delete();
    removed++;
    cursor = await cursor.continue();
  }
  await tx.done;
  return removed;
}

/**
 * Browsers keep a cookie at most 400 days after it was last written (Chrome since 104, Firefox since 103): a first
 * deposit not seen for longer belongs to a cookie that is gone, and a new sighting is a new deposit.
 */
export const DEPOSIT_KEPT_MS = 400 * 86_400_000;

/** Deletes the first deposits of cookies last seen before `before`; returns how many went. */
export async function pruneDeposits(db: Db, before: number): Promise<number> {
  const tx = db.transaction('deposits', 'readwrite');
  let removed = 0;
  for (
    let cursor = await tx.store.index('byLastSeen').openCursor(IDBKeyRange.upperBound(before, true));
    cursor;
    cursor = await cursor.continue()
  ) {
    await cursor.delete();
    removed++;
  }
  await tx.done;
  return removed;
}

/** A stored setting as its schema reads it (defaults filled in for fields added since it was written), or `fallback`. */
export async function getSetting<T>(db: Db, key: string, fallback: T, schema: v.GenericSchema<unknown, T>): Promise<T> {
  const record = await db.get('settings', key);
  if (!record) return fallback;
  const read = v.safeParse(schema, record.value);
  return read.success ? read.output : fallback;
}

export async function putSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db.put('settings', { key, value });
}
