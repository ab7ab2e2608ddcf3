import type { ConsentChange } from '../consent/consent-state';
import type { ConsentProblem } from '../consent/signals/reading';
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { evidenceAddress, evidencePath } from '../observation/evidence-address';
import type { CookieWrite, ObservedItem } from '../observation/observed';

/**
 * Cookie Lens's IndexedDB database. Version history (each upgrade step is kept, so any older database upgrades):
 * 1: visits, items (observed cookies and storage keys per visit), deposits (first deposit per cookie across visits),
 *    catalogues (imported), settings.
 * 2: deposits also keep when the cookie was last seen (indexed), so that they can be pruned once it cannot be in
 *    the browser any more; version 1's deposits count as seen at the upgrade.
 * 3: addresses and cookie paths are kept as evidence addresses only (lib/observation/evidence-address.ts); those of
 *    older records, which could hold session ids and tokens, are cut down to that at the upgrade.
 */
export const DB_NAME = 'cookie-lens';
export const DB_VERSION = 3;

export interface VisitRecord {
  id: string;
  tabId: number;
  /** Registrable domain of the top-level page. */
  site: string;
  topHost: string;
  startedAt: number;
  endedAt: number;
  /** Pages (top-level navigations) seen, and the first of their addresses without query or fragment. */
  pages: number;
  pageUrls: string[];
  /** Every host a request or frame of the tab contacted. */
  hosts: string[];
  /** Firefox container or Chrome cookie store the tab uses. */
  storeId: string | null;
  /** How the visitor's consent changed during the visit, in order (at most MAX_CONSENT_CHANGES); absent before 0.2. */
  consent?: ConsentChange[];
  /** Consent cookies of the site that could not be read (at most MAX_CONSENT_PROBLEMS); absent when none was. */
  consentProblems?: ConsentProblem[];
}

export type ItemRecord = ObservedItem & { visitId: string; key: string };

export interface DepositRecord {
  key: string;
  firstDeposit: number;
  /** When the latest visit that met the cookie first saw it. */
  lastSeen: number;
}

export interface CookieLensDb extends DBSchema {
  visits: { key: string; value: VisitRecord; indexes: { bySite: string; byStart: number } };
  items: { key: [string, string]; value: ItemRecord; indexes: { byVisit: string } };
  deposits: { key: string; value: DepositRecord; indexes: { byLastSeen: number } };
  catalogues: { key: string; value: { id: string; importedAt: number; catalogue: unknown } };
  settings: { key: string; value: { key: string; value: unknown } };
}

export type Db = IDBPDatabase<CookieLensDb>;

export function openCookieLensDb(name = DB_NAME, now: () => number = Date.now): Promise<Db> {
  return openDB<CookieLensDb>(name, DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, transaction) {
      if (oldVersion < 1) {
        const visits = db.createObjectStore('visits', { keyPath: 'id' });
        visits.createIndex('bySite', 'site');
        visits.createIndex('byStart', 'startedAt');
        const items = db.createObjectStore('items', { keyPath: ['visitId', 'key'] });
        items.createIndex('byVisit', 'visitId');
        db.createObjectStore('deposits', { keyPath: 'key' });
        db.createObjectStore('catalogues', { keyPath: 'id' });
        db.createObjectStore('settings', { keyPath: 'key' });
      }
      if (oldVersion < 2) {
        const deposits = transaction.objectStore('deposits');
        const upgradedAt = now();
        for (let cursor = await deposits.openCursor(); cursor; cursor = await cursor.continue()) {
          if (typeof cursor.value.lastSeen !== 'number') await cursor.update({ ...cursor.value, lastSeen: upgradedAt });
        }
        deposits.createIndex('byLastSeen', 'lastSeen');
      }
      if (oldVersion < 3) await keepEvidenceAddressesOnly(transaction);
    },
  });
}

type UpgradeTransaction = IDBPTransaction<CookieLensDb, Array<StoreNames<CookieLensDb>>, 'versionchange'>;

/**
 * Version 3: the page addresses of visits, the writers' addresses and the cookie paths of items, and the deposits'
 * keys (which hold the path) as evidence addresses and paths keep them. Two items of a visit, or two deposits, that
 * differed only by a value in their path become one: the item first seen; the earliest deposit and latest sighting.
 * A deposit whose items are all gone (pruned with their visit) cannot be told apart from its key alone, and is kept.
 */
async function keepEvidenceAddressesOnly(transaction: UpgradeTransaction): Promise<void> {
  const visits = transaction.objectStore('visits');
  for (let cursor = await visits.openCursor(); cursor; cursor = await cursor.continue()) {
    const pageUrls = scrubbedPageUrls(cursor.value.pageUrls);
    if (pageUrls) await cursor.update({ ...cursor.value, pageUrls });
  }
  /** Old key of a cookie (an item's, a deposit's) to its key with the path kept. */
  const rekeyed = new Map<string, string>();
  const items = transaction.objectStore('items');
  for (let cursor = await items.openCursor(); cursor; cursor = await cursor.continue()) {
    const item = cursor.value;
    const [firstWrite, lastWrite, longestWrite] = [item.firstWrite, item.lastWrite, item.longestWrite].map(
      scrubbedWrite,
    );
    const path = typeof item.path === 'string' && typeof item.key === 'string' ? evidencePath(item.path) : item.path;
    if (
      path === item.path &&
      firstWrite === item.firstWrite &&
      lastWrite === item.lastWrite &&
      longestWrite === item.longestWrite
    )
      continue;
    let key = item.key;
    if (path !== item.path) {
      const cookieKey = (p: string) => [item.store, item.name, item.domain, p, item.partitionKey ?? ''].join('|');
      key = item.key === cookieKey(item.path) ? cookieKey(path) : item.key.replace(`|${item.path}|`, `|${path}|`);
      rekeyed.set(cookieKey(item.path), cookieKey(path)).set(item.key, key);
    }
    const scrubbed = {
      ...item,
      path,
      key,
      firstWrite: firstWrite!,
      lastWrite: lastWrite!,
      longestWrite: longestWrite!,
    };
    if (key === item.key) {
      await cursor.update(scrubbed);
    } else {
      await cursor.delete();
      const known = await items.get([item.visitId, key]);
      if (!known || item.firstSeen < known.firstSeen) await items.put(scrubbed);
    }
  }
  const deposits = transaction.objectStore('deposits');
  for (let cursor = await deposits.openCursor(); cursor; cursor = await cursor.continue()) {
    const deposit = cursor.value;
    const key = rekeyed.get(deposit.key);
    if (key === undefined || key === deposit.key) continue;
    await cursor.delete();
    const known = await deposits.get(key);
    await deposits.put(
      known
        ? {
            key,
            firstDeposit: Math.min(known.firstDeposit, deposit.firstDeposit),
            lastSeen: Math.max(known.lastSeen, deposit.lastSeen),
          }
        : { ...deposit, key },
    );
  }
}

/** A stored visit's page addresses as evidence addresses; null when they are already so (or not a list to mend). */
function scrubbedPageUrls(pageUrls: unknown): string[] | null {
  if (!Array.isArray(pageUrls)) return null;
  const kept = [
    ...new Set(
      pageUrls.flatMap((url) => (typeof url === 'string' ? [evidenceAddress(url) ?? ''] : [])).filter(Boolean),
    ),
  ];
  return kept.length === pageUrls.length && kept.every((url, i) => url === pageUrls[i]) ? null : kept;
}

/** A stored write with its address as an evidence address (or none); the same object when nothing changes. */
function scrubbedWrite(write: CookieWrite): CookieWrite {
  if (typeof write !== 'object' || write === null || !('url' in write)) return write;
  const url = typeof write.url === 'string' ? evidenceAddress(write.url) : null;
  if (url === write.url) return write;
  const { url: _old, ...rest } = write;
  return url ? { ...rest, url } : rest;
}
