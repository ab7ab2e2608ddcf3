import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ObservedItem } from '../observation/observed';
import { openCookieLensDb, type Db, type ItemRecord } from './db';
import { Persister } from './persister';

const T0 = Date.UTC(2026, 10, 23, 10);
let dbCount = 0;

function item(name: string, renewals = 0): ItemRecord {
  const write = { at: T0, by: 'header', requested: { session: true }, stored: { session: true } } as const;
  const observed: ObservedItem = {
    store: 'cookie',
    name,
    domain: 'monespaceclient.cnp.fr',
    path: '/',
    party: 'first',
    firstSeen: T0,
    lastSeen: T0 + renewals,
    firstDeposit: T0,
    renewals,
    firstWrite: write,
    lastWrite: write,
    longestWrite: write,
  };
  return { ...observed, visitId: 'visit-1', key: `cookie|${name}` };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stored = async (db: Db) => (await db.getAll('items')).map((i) => `${i.name}:${i.renewals}`).sort();

async function setUp(deferMs = 300) {
  const db = await openCookieLensDb(`persister-${++dbCount}`);
  return { db, persister: new Persister(async () => db, { deferMs }) };
}

describe('Persister', () => {
  it('writes news at once', async () => {
    const { db, persister } = await setUp();
    persister.item(item('JSESSIONID'), true);
    await persister.flushed();
    expect(await stored(db)).toEqual(['JSESSIONID:0']);
  });

  it('writes a new item and its first deposit, handed one after the other, in one transaction', async () => {
    const { db, persister } = await setUp();
    let transactions = 0;
    const transaction = db.transaction.bind(db);
    db.transaction = ((...args: Parameters<Db['transaction']>) => (
      transactions++,
      transaction(...args)
    )) as Db['transaction'];
    // The recorder's order: the deposit as the item is made, then the item.
    persister.deposit({ key: 'cookie|JSESSIONID', firstDeposit: T0, lastSeen: T0 });
    persister.item(item('JSESSIONID'), true);
    await persister.flushed();
    expect(transactions).toBe(1);
    expect([await stored(db), (await db.getAll('deposits')).length]).toEqual([['JSESSIONID:0'], 1]);
  });

  it('holds plain renewals for a moment, keeping only the latest of each, then writes them', async () => {
    const { db, persister } = await setUp(300);
    persister.item(item('_pk_id'), true);
    await persister.flushed();
    for (let renewals = 1; renewals <= 20; renewals++) persister.item(item('_pk_id', renewals), false);
    // Page reports wait only for news: a renewal is answered at once.
    await persister.flushed();
    await sleep(100);
    expect(await stored(db)).toEqual(['_pk_id:0']);
    await sleep(400);
    expect(await stored(db)).toEqual(['_pk_id:20']);
    expect(persister.pending).toBe(0);
  });

  it('sends waiting renewals with the next news, and all of them when asked', async () => {
    const { db, persister } = await setUp(60_000);
    persister.item(item('a', 3), false);
    persister.item(item('b'), true);
    await persister.flushed();
    expect(await stored(db)).toEqual(['a:3', 'b:0']);
    persister.item(item('a', 4), false);
    await persister.flushed({ all: true });
    expect(await stored(db)).toEqual(['a:4', 'b:0']);
  });

  it('keeps what it could not write, says so, and writes it once the database works again', async () => {
    const db = await openCookieLensDb(`persister-${++dbCount}`);
    let broken = true;
    const persister = new Persister(async () => {
      if (broken) throw new DOMException('The disk is full', 'QuotaExceededError');
      return db;
    });
    persister.item(item('a'), true);
    persister.item(item('b', 2), false);
    await sleep(50);
    expect(persister.status).toMatchObject({ ok: false, error: 'QuotaExceededError: The disk is full', pending: 2 });
    broken = false;
    await persister.flushed(); // the retry comes after 500 ms
    expect(persister.status).toEqual({ ok: true });
    expect(await stored(db)).toEqual(['a:0', 'b:2']);
  });
});
