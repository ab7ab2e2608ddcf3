import { MAX_CONSENT_PROBLEMS } from '../consent/signals/reading';
import { describe, expect, it } from 'vitest';
import type { ItemRecord, VisitRecord } from '../storage/db';
import type { PageWrite } from './page-write';
import { jarHoldsWrite, PAIRING_WINDOW_MS, VisitRecorder, type JarCookie } from './visit-recorder';

const T0 = Date.UTC(2026, 10, 23, 10);
const CNP = 'https://monespaceclient.cnp.fr/';

function recorder(options: { unaskedPartitions?: boolean } = {}) {
  const visits: VisitRecord[] = [];
  const items = new Map<string, ItemRecord>();
  const deposits = new Map<string, { firstDeposit: number; lastSeen: number }>();
  /** Each item change, in order, and whether the recorder called it news. */
  const changes: Array<{ name: string; news: boolean }> = [];
  let n = 0;
  const rec = new VisitRecorder(
    {
      visitChanged: (visit, isPrivate) => !isPrivate && visits.push(structuredClone(visit)),
      itemChanged: (item, isPrivate, news) => {
        changes.push({ name: item.name, news });
        if (!isPrivate) items.set(`${item.visitId}|${item.key}`, structuredClone(item));
      },
      depositSeen: (key, at, seenAt, isPrivate) =>
        !isPrivate && deposits.set(key, { firstDeposit: at, lastSeen: seenAt }),
    },
    () => `visit-${++n}`,
    options,
  );
  const item = (tabId: number, name: string) => rec.visitOf(tabId)?.items.find((i) => i.name === name);
  return { rec, visits, items, deposits, item, changes };
}

function jar(name: string, domain: string, expiresInSeconds: number | null, extra: Partial<JarCookie> = {}): JarCookie {
  return {
    name,
    domain,
    path: '/',
    hostOnly: !domain.startsWith('.'),
    secure: true,
    httpOnly: false,
    sameSite: 'lax',
    session: expiresInSeconds === null,
    ...(expiresInSeconds === null ? {} : { expirationDate: T0 / 1000 + expiresInSeconds }),
    storeId: '0',
    ...extra,
  };
}

const scriptWrite = (name: string, attributes: string, at = T0): PageWrite => ({
  kind: 'cookie-write',
  api: 'document.cookie',
  name,
  attributes,
  deleted: false,
  at,
  scriptUrl: 'https://monespaceclient.cnp.fr/app.js',
  frameUrl: CNP,
});

describe('VisitRecorder', () => {
  it('starts a visit per top-level site, counts pages, and ends it when the tab goes elsewhere', () => {
    const { rec } = recorder();
    rec.navigate(1, CNP, T0, { committed: false });
    rec.navigate(1, CNP, T0 + 10, { committed: true });
    rec.navigate(1, 'https://monespaceclient.cnp.fr/contrats?id=42', T0 + 20, { committed: true });
    const first = rec.visitOf(1)!.record;
    expect(first).toMatchObject({
      site: 'cnp.fr',
      topHost: 'monespaceclient.cnp.fr',
      pages: 2,
      pageUrls: [CNP, 'https://monespaceclient.cnp.fr/contrats'],
    });
    rec.navigate(1, 'https://amex.europ-assistance.fr/', T0 + 30, { committed: true });
    expect(rec.visitOf(1)!.record).toMatchObject({ id: 'visit-2', site: 'europ-assistance.fr', pages: 1 });
    rec.navigate(1, 'chrome://newtab/', T0 + 40, { committed: true });
    expect(rec.visitOf(1)!.record.id).toBe('visit-2');
  });

  it('asks for a jar snapshot once per page address of a visit', () => {
    const { rec } = recorder();
    expect(rec.navigate(1, `${CNP}fifty?runs=3`, T0, { committed: false })).toBe(true);
    expect(rec.navigate(1, `${CNP}fifty?runs=3`, T0 + 1, { committed: true })).toBe(false);
    expect(rec.navigate(1, `${CNP}fifty?runs=2`, T0 + 50, { committed: false })).toBe(false);
    expect(rec.navigate(1, `${CNP}contrats/`, T0 + 90, { committed: false })).toBe(true);
    expect(rec.navigate(1, 'https://amex.europ-assistance.fr/fifty', T0 + 99, { committed: false })).toBe(true);
  });

  it('calls news what changes a finding or its evidence, and not a plain renewal or the stored expiry arriving', () => {
    const { rec, changes } = recorder();
    const news = () => changes.splice(0).map((c) => c.news);
    rec.navigate(1, CNP, T0, { committed: false });
    rec.headerCookies(1, `${CNP}?t=1`, ['_pk_id.1=VALUE; Max-Age=2592000; Path=/; Secure; SameSite=Lax'], T0, null);
    rec.jarChanged(jar('_pk_id.1', 'monespaceclient.cnp.fr', 2592000), false, 'explicit', T0 + 5);
    expect(news()).toEqual([true, false]);
    // Reloaded a minute later (another cache-busting query): the same cookie for the same 30 days.
    rec.headerCookies(
      1,
      `${CNP}?t=2`,
      ['_pk_id.1=VALUE; Max-Age=2592000; Path=/; Secure; SameSite=Lax'],
      T0 + 60_000,
      null,
    );
    rec.pageReports(1, [scriptWrite('_pk_ses.1', 'max-age=1800; path=/', T0 + 60_000)], T0 + 60_100);
    rec.pageReports(1, [scriptWrite('_pk_ses.1', 'max-age=1800; path=/', T0 + 120_000)], T0 + 120_100);
    expect(news()).toEqual([false, true, false]);
    // Thirteen months asked for, a different writer, a removal: each changes what an audit reads.
    rec.headerCookies(1, CNP, ['_pk_id.1=VALUE; Max-Age=34214400; Path=/; Secure; SameSite=Lax'], T0 + 180_000, null);
    rec.headerCookies(
      1,
      'https://monespaceclient.cnp.fr/login',
      ['_pk_id.1=VALUE; Max-Age=34214400; Path=/; Secure; SameSite=Lax'],
      T0 + 190_000,
      null,
    );
    rec.jarChanged(jar('_pk_id.1', 'monespaceclient.cnp.fr', 34214400), true, 'explicit', T0 + 200_000);
    expect(news()).toEqual([true, true, true]);
    expect(rec.visitOf(1)!.items.find((i) => i.name === '_pk_id.1')).toMatchObject({ renewals: 3, removed: true });
  });

  it('keeps the times of the writes by headers and scripts, not of the jar finding a cookie there', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.snapshot(1, 'visit-1', [jar('ad_id', 'monespaceclient.cnp.fr', 3600)], T0 + 5);
    rec.headerCookies(1, CNP, ['ad_id=VALUE; Max-Age=3600; Path=/'], T0 + 10, null);
    rec.pageReports(1, [scriptWrite('ad_id', 'max-age=3600; path=/', T0 + 20)], T0 + 25);
    rec.headerCookies(1, CNP, ['ad_id=VALUE; Max-Age=3600; Path=/'], T0 + 30, null);
    // The jar's account gives way to the header's write; each write is kept by its time, the jar's account is not one.
    expect(item(1, 'ad_id')!.writes).toEqual([
      { at: T0 + 10, by: 'header' },
      { at: T0 + 20, by: 'script' },
      { at: T0 + 30, by: 'header' },
    ]);
    rec.snapshot(1, 'visit-1', [jar('found', 'monespaceclient.cnp.fr', 3600)], T0 + 40);
    expect(item(1, 'found')!.writes).toBeUndefined();
  });

  it('keeps a Partitioned cookie under the top-level site, first or third party, and pairs the jar’s report of it', () => {
    const { rec } = recorder();
    rec.navigate(1, CNP, T0, { committed: false });
    rec.headerCookies(1, CNP, ['own=VALUE; Secure; Path=/; SameSite=None; Partitioned; Max-Age=60'], T0, null);
    rec.headerCookies(
      1,
      'https://chat.doyoudreamup.com/frame',
      ['embed=VALUE; Secure; Path=/; SameSite=None; Partitioned; Max-Age=60'],
      T0,
      null,
    );
    const partition = { topLevelSite: 'https://cnp.fr' };
    rec.jarChanged(
      jar('own', 'monespaceclient.cnp.fr', 60, { sameSite: 'no_restriction', partitionKey: partition }),
      false,
      'explicit',
      T0 + 5,
    );
    rec.jarChanged(
      jar('embed', 'chat.doyoudreamup.com', 60, { sameSite: 'no_restriction', partitionKey: partition }),
      false,
      'explicit',
      T0 + 5,
    );
    rec.settle(T0 + PAIRING_WINDOW_MS + 10);
    const items = rec.visitOf(1)!.items.map((i) => ({
      name: i.name,
      party: i.party,
      partitionKey: i.partitionKey,
      by: i.firstWrite.by,
      stored: i.lastWrite.stored !== null,
    }));
    expect(items).toEqual([
      { name: 'own', party: 'first', partitionKey: 'cnp.fr', by: 'header', stored: true },
      { name: 'embed', party: 'third', partitionKey: 'cnp.fr', by: 'header', stored: true },
    ]);
  });

  it('makes one record of a third-party cookie Firefox partitions unasked, whichever source reports it first', () => {
    const { rec } = recorder();
    rec.navigate(1, CNP, T0, { committed: false });
    const partition = { topLevelSite: 'https://cnp.fr' };
    const quantalys = (name: string, extra: Partial<JarCookie> = {}) =>
      jar(name, 'widget.quantalys.com', 60, { sameSite: 'no_restriction', partitionKey: partition, ...extra });
    // The jar first (Firefox's order), then the header that set it, without a Partitioned attribute.
    rec.jarChanged(quantalys('ASP.NET_SessionId', { httpOnly: true }), false, 'explicit', T0);
    rec.headerCookies(
      1,
      'https://widget.quantalys.com/frame',
      ['ASP.NET_SessionId=VALUE; Secure; HttpOnly; SameSite=None; Path=/; Max-Age=60'],
      T0 + 80,
      null,
    );
    // The header first, then the jar; then the jar again (a renewal), and a snapshot of the partition.
    rec.headerCookies(
      1,
      'https://widget.quantalys.com/frame',
      ['.ASPXANONYMOUS=VALUE; Secure; SameSite=None; Path=/; Max-Age=60'],
      T0 + 90,
      null,
    );
    rec.jarChanged(quantalys('.ASPXANONYMOUS'), false, 'explicit', T0 + 95);
    rec.jarChanged(quantalys('.ASPXANONYMOUS'), false, 'explicit', T0 + 500);
    rec.snapshot(
      1,
      rec.visitIdOf(1)!,
      [quantalys('ASP.NET_SessionId', { httpOnly: true }), quantalys('.ASPXANONYMOUS')],
      T0 + 600,
    );
    rec.settle(T0 + 10 * PAIRING_WINDOW_MS);
    const items = rec
      .visitOf(1)!
      .items.map((i) => ({ name: i.name, by: i.firstWrite.by, stored: i.lastWrite.stored !== null }));
    expect(items).toEqual([
      { name: 'ASP.NET_SessionId', by: 'header', stored: true },
      { name: '.ASPXANONYMOUS', by: 'header', stored: true },
    ]);
  });

  it("keeps one record of a third-party cookie found in the tab's Firefox partition, then renewed by its header", () => {
    const partition = { topLevelSite: 'https://cnp.fr' };
    const quantalys = (name: string) =>
      jar(name, 'widget.quantalys.com', 60, { sameSite: 'no_restriction', partitionKey: partition });
    const returning = (options: { unaskedPartitions?: boolean }) => {
      const { rec } = recorder(options);
      rec.navigate(1, CNP, T0, { committed: false });
      // A return visit: the snapshot finds the cookie in the tab's partition before the iframe's response renews it.
      rec.snapshot(1, rec.visitIdOf(1)!, [quantalys('.ASPXANONYMOUS')], T0 + 10);
      rec.headerCookies(
        1,
        'https://widget.quantalys.com/frame',
        ['.ASPXANONYMOUS=VALUE; Secure; SameSite=None; Path=/; Max-Age=60'],
        T0 + 2000,
        null,
      );
      rec.jarChanged(quantalys('.ASPXANONYMOUS'), false, 'explicit', T0 + 2005);
      rec.settle(T0 + 10 * PAIRING_WINDOW_MS);
      return rec.visitOf(1)!.items.map((i) => ({
        partitionKey: i.partitionKey,
        first: i.firstWrite.by,
        last: i.lastWrite.by,
        renewals: i.renewals,
      }));
    };
    // Firefox: the write without Partitioned is that cookie, the visit's first write of it.
    expect(returning({ unaskedPartitions: true })).toEqual([
      { partitionKey: 'cnp.fr', first: 'header', last: 'header', renewals: 0 },
    ]);
    // Chrome partitions only cookies that ask for it: the same name outside the partition is another cookie.
    expect(returning({})).toEqual([
      { partitionKey: 'cnp.fr', first: 'jar', last: 'jar', renewals: 0 },
      { partitionKey: null, first: 'header', last: 'header', renewals: 0 },
    ]);
  });

  describe('makes the same record of a cookie whatever order the jar change, the snapshot and the write are told in', () => {
    /** Every order of `events`. */
    const orders = <T>(events: T[]): T[][] =>
      events.length <= 1
        ? [events]
        : events.flatMap((first, i) =>
            orders([...events.slice(0, i), ...events.slice(i + 1)]).map((rest) => [first, ...rest]),
          );
    /** An event that happened at `at`, told to the recorder by `tell`. */
    type Told = { name: string; at: number; tell: (rec: VisitRecorder, visitId: string) => void };
    /**
     * Tells the events in `order`, the first when the last has happened and each `gapMs` after the one before (the
     * background settles the jar changes due before each), and returns the tab's cookie, and what storage last got of it.
     */
    const record = (order: Told[], gapMs: number) => {
      const { rec, items } = recorder({ unaskedPartitions: true });
      rec.navigate(1, CNP, T0, { committed: true });
      const visitId = rec.visitIdOf(1)!;
      let now = Math.max(...order.map((event) => event.at));
      for (const event of order) {
        rec.settle(now);
        event.tell(rec, visitId);
        now += gapMs;
      }
      rec.settle(now + 10 * PAIRING_WINDOW_MS);
      const [item] = rec.visitOf(1)!.items;
      return {
        item,
        stored: [...items.values()].at(-1) && { ...[...items.values()].at(-1)!, visitId: undefined, key: undefined },
      };
    };
    const check = (events: Told[]) => {
      const results = orders(events).flatMap((order) =>
        [0, 3 * PAIRING_WINDOW_MS].map((gap) => ({
          order: `${order.map((e) => e.name).join(', ')} (${gap} ms apart)`,
          ...record(order, gap),
        })),
      );
      const [first] = results;
      for (const result of results) {
        expect(result.item, result.order).toEqual(first!.item);
        expect(result.stored, result.order).toEqual({ ...result.item, visitId: undefined, key: undefined });
      }
      return first!.item!;
    };

    it('a cookie a script sets (the AMEX page’s _fbp)', () => {
      const fbp = jar('_fbp', '.cnp.fr', 90 * 86400);
      const item = check([
        { name: 'jar change', at: T0 + 120, tell: (rec) => rec.jarChanged(fbp, false, 'explicit', T0 + 120) },
        { name: 'snapshot', at: T0 + 150, tell: (rec, visitId) => rec.snapshot(1, visitId, [fbp], T0 + 150) },
        {
          name: 'page report',
          at: T0 + 100,
          tell: (rec) =>
            rec.pageReports(1, [scriptWrite('_fbp', 'max-age=7776000; domain=.cnp.fr; path=/', T0 + 100)], T0 + 5000),
        },
      ]);
      expect(item).toMatchObject({
        renewals: 0,
        firstSeen: T0 + 100,
        firstDeposit: T0 + 100,
        attributes: { sameSite: 'lax', secure: true },
        firstWrite: {
          by: 'script',
          at: T0 + 100,
          url: 'https://monespaceclient.cnp.fr/app.js',
          requested: { session: false, at: T0 + 100 + 7776000_000 },
          stored: { session: false, at: T0 + 7776000_000 },
        },
      });
    });

    it('a cookie a header sets, that Firefox’s jar reports first', () => {
      const session = jar('JSESSIONID', 'monespaceclient.cnp.fr', null);
      const item = check([
        { name: 'jar change', at: T0 + 100, tell: (rec) => rec.jarChanged(session, false, 'explicit', T0 + 100) },
        { name: 'snapshot', at: T0 + 150, tell: (rec, visitId) => rec.snapshot(1, visitId, [session], T0 + 150) },
        {
          name: 'header',
          at: T0 + 110,
          tell: (rec) => rec.headerCookies(1, CNP, ['JSESSIONID=VALUE; Path=/; Secure; SameSite=Lax'], T0 + 110, null),
        },
      ]);
      expect(item).toMatchObject({
        renewals: 0,
        firstSeen: T0 + 100,
        firstWrite: { by: 'header', url: CNP, requested: { session: true }, stored: { session: true } },
      });
    });

    it('a cookie already in the jar that the page writes again, with a new lifetime', () => {
      const old = jar('_pk_id.1', 'monespaceclient.cnp.fr', 86400);
      const rewritten = jar('_pk_id.1', 'monespaceclient.cnp.fr', 2 * 86400);
      const item = check([
        {
          name: 'snapshot of the old cookie',
          at: T0 + 50,
          tell: (rec, visitId) => rec.snapshot(1, visitId, [old], T0 + 50),
        },
        { name: 'jar change', at: T0 + 4000, tell: (rec) => rec.jarChanged(rewritten, false, 'explicit', T0 + 4000) },
        {
          name: 'page report',
          at: T0 + 3990,
          tell: (rec) => rec.pageReports(1, [scriptWrite('_pk_id.1', 'max-age=172800; path=/', T0 + 3990)], T0 + 9000),
        },
      ]);
      expect(item).toMatchObject({
        renewals: 0,
        firstSeen: T0 + 50,
        firstWrite: { by: 'script', at: T0 + 3990, stored: { session: false, at: T0 + 2 * 86400_000 } },
      });
    });
  });

  it('records header cookies with the lifetime requested, then what the jar stored (Chrome order)', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: false });
    rec.headerCookies(
      1,
      CNP,
      ['JSESSIONID=VALUE-1; Path=/; HttpOnly', 'marketing_id=VALUE-2; Max-Age=63072000; Path=/'],
      T0,
      null,
    );
    rec.jarChanged(jar('marketing_id', 'monespaceclient.cnp.fr', 400 * 86400), false, 'explicit', T0 + 5);
    expect(item(1, 'JSESSIONID')).toMatchObject({
      domain: 'monespaceclient.cnp.fr',
      path: '/',
      party: 'first',
      renewals: 0,
      firstWrite: { by: 'header', url: CNP, requested: { session: true } },
    });
    const marketing = item(1, 'marketing_id')!;
    expect(marketing.longestWrite.requested).toEqual({ session: false, at: T0 + 63072000 * 1000 });
    expect(marketing.longestWrite.stored).toEqual({ session: false, at: T0 + 400 * 86400 * 1000 });
  });

  it('pairs a jar change that arrives before its header (Firefox order), and several cookies in one joined header', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: false });
    rec.jarChanged(jar('a', 'monespaceclient.cnp.fr', 3600), false, 'explicit', T0);
    rec.headerCookies(1, CNP, ['a=1; Max-Age=3600\nb=2; Max-Age=60\nc=3'], T0 + 3, null);
    expect(
      rec
        .visitOf(1)!
        .items.map((i) => i.name)
        .sort(),
    ).toEqual(['a', 'b', 'c']);
    expect(item(1, 'a')!.lastWrite).toMatchObject({ by: 'header', stored: { session: false, at: T0 + 3600_000 } });
  });

  it('records script writes from the page hook, with the script that made them, and deletions', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.pageReports(
      1,
      [scriptWrite('_pk_id.1.a1b2', 'expires=Wed, 23 Dec 2026 10:00:00 GMT; path=/; SameSite=Lax')],
      T0 + 1,
    );
    expect(item(1, '_pk_id.1.a1b2')).toMatchObject({
      firstWrite: {
        by: 'script',
        url: 'https://monespaceclient.cnp.fr/app.js',
        requested: { session: false, at: Date.UTC(2026, 11, 23, 10) },
      },
      attributes: { sameSite: 'lax' },
    });
    rec.pageReports(
      1,
      [scriptWrite('_pk_id.1.a1b2', 'expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/', T0 + 50)],
      T0 + 51,
    );
    expect(item(1, '_pk_id.1.a1b2')!.removed).toBe(true);
  });

  it('gives a script write reported late the cookie the jar had recorded without a source, not a renewal', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.jarChanged(jar('_pk_ses.1.a1b2', '.cnp.fr', 1800), false, 'explicit', T0 + 5);
    rec.settle(T0 + 5 + PAIRING_WINDOW_MS);
    expect(item(1, '_pk_ses.1.a1b2')).toMatchObject({ renewals: 0, firstWrite: { by: 'unknown' } });
    // The page's report of the write, made just before the jar change, arrives seconds later.
    rec.pageReports(
      1,
      [scriptWrite('_pk_ses.1.a1b2', 'max-age=1800; domain=.cnp.fr; path=/')],
      T0 + 4 * PAIRING_WINDOW_MS,
    );
    expect(item(1, '_pk_ses.1.a1b2')).toMatchObject({
      renewals: 0,
      firstWrite: {
        by: 'script',
        url: 'https://monespaceclient.cnp.fr/app.js',
        requested: { session: false, at: T0 + 1800_000 },
        stored: { session: false },
      },
    });
    // A later write by the script is a renewal.
    rec.pageReports(
      1,
      [scriptWrite('_pk_ses.1.a1b2', 'max-age=1800; domain=.cnp.fr; path=/', T0 + 60_000)],
      T0 + 60_001,
    );
    expect(item(1, '_pk_ses.1.a1b2')).toMatchObject({ renewals: 1, lastWrite: { by: 'script', at: T0 + 60_000 } });
  });

  it('counts a page’s report told again (its relay sends a batch the background had not answered) once', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    const batch = [
      scriptWrite('_pk_ses.1', 'max-age=1800; path=/', T0 + 10),
      scriptWrite('_pk_ses.1', 'max-age=1800; path=/', T0 + 20),
    ];
    rec.pageReports(1, batch, T0 + 30);
    rec.pageReports(1, batch, T0 + 5000);
    expect(item(1, '_pk_ses.1')).toMatchObject({ renewals: 1, lastWrite: { at: T0 + 20 } });
  });

  it('counts renewals and keeps the longest write apart from the latest', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.headerCookies(1, CNP, ['TC_PRIVACY=x; Max-Age=630720000'], T0, null);
    rec.headerCookies(1, CNP, ['TC_PRIVACY=y; Max-Age=34186698'], T0 + 1000, null);
    const consent = item(1, 'TC_PRIVACY')!;
    expect(consent.renewals).toBe(1);
    expect(consent.longestWrite.at).toBe(T0);
    expect(consent.lastWrite.at).toBe(T0 + 1000);
  });

  it('keeps Web Storage keys (present at load, set, removed) by origin, never values', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    const storage = (op: 'present' | 'set' | 'remove', keys: string[]): PageWrite => ({
      kind: 'storage',
      area: 'localStorage',
      op,
      keys,
      origin: 'https://monespaceclient.cnp.fr',
      at: T0,
      scriptUrl: null,
      frameUrl: CNP,
    });
    rec.pageReports(
      1,
      [
        storage('present', ['dydu.lastVisit']),
        storage('set', ['DYDU_clientId_abc123']),
        storage('present', ['DYDU_clientId_abc123']),
      ],
      T0,
    );
    expect(item(1, 'dydu.lastVisit')).toMatchObject({
      store: 'localStorage',
      domain: 'monespaceclient.cnp.fr',
      firstWrite: { by: 'jar' },
    });
    expect(item(1, 'DYDU_clientId_abc123')).toMatchObject({ renewals: 0, firstWrite: { by: 'script' } });
    rec.pageReports(1, [storage('remove', ['dydu.lastVisit'])], T0 + 1);
    expect(item(1, 'dydu.lastVisit')!.removed).toBe(true);
  });

  it('counts cookies already in the jar that the tab sends, and lets a racing write claim its own cookie', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: false });
    rec.snapshot(1, rec.visitIdOf(1)!, [jar('old', '.cnp.fr', 86400), jar('racing', 'monespaceclient.cnp.fr', 60)], T0);
    rec.headerCookies(1, CNP, ['racing=1; Max-Age=60'], T0 + 100, null);
    expect(item(1, 'old')).toMatchObject({ renewals: 0, firstWrite: { by: 'jar', requested: null } });
    expect(item(1, 'racing')).toMatchObject({ renewals: 0, firstWrite: { by: 'header', stored: { session: false } } });
  });

  it('gives a jar snapshot to the visit it was asked for, not to the site the tab went to before the answer', () => {
    const { rec } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    const asked = rec.visitIdOf(1)!;
    rec.navigate(1, 'https://amex.europ-assistance.fr/', T0 + 10, { committed: false });
    rec.snapshot(1, asked, [jar('JSESSIONID', 'monespaceclient.cnp.fr', null)], T0 + 20);
    expect(rec.visitOf(1)!.items).toEqual([]);
  });

  it('gives a jar change no write claimed to the tabs that contacted its domain, once the pairing window passed', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.contact(1, 'https://widget.quantalys.com/frame', T0);
    rec.navigate(2, 'https://amex.europ-assistance.fr/', T0, { committed: true });
    rec.jarChanged(jar('ASP.NET_SessionId', 'widget.quantalys.com', null, { httpOnly: true }), false, 'explicit', T0);
    rec.settle(T0 + PAIRING_WINDOW_MS - 1);
    expect(item(1, 'ASP.NET_SessionId')).toBeUndefined();
    rec.settle(T0 + PAIRING_WINDOW_MS);
    expect(item(1, 'ASP.NET_SessionId')).toMatchObject({ party: 'third', firstWrite: { by: 'header' } });
    expect(item(2, 'ASP.NET_SessionId')).toBeUndefined();
  });

  it('gives a jar change no write claimed to the visit open when it happened, not to the one the tab is on when it settles', () => {
    const { rec, items } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.contact(1, 'https://widget.quantalys.com/frame', T0);
    const cnpVisit = rec.visitIdOf(1)!;
    rec.jarChanged(
      jar('ASP.NET_SessionId', 'widget.quantalys.com', null, { httpOnly: true }),
      false,
      'explicit',
      T0 + 100,
    );
    // The tab goes to another site, which embeds the same vendor, before the change settles.
    rec.navigate(1, 'https://amex.europ-assistance.fr/', T0 + 500, { committed: true });
    rec.contact(1, 'https://widget.quantalys.com/frame', T0 + 600);
    expect(rec.settle(T0 + 1000)).toBe(T0 + 100 + PAIRING_WINDOW_MS);
    expect(rec.settle(T0 + 100 + PAIRING_WINDOW_MS)).toBeNull();
    expect(rec.visitOf(1)!.items).toEqual([]);
    expect([...items.values()].map((i) => [i.visitId, i.name, i.firstWrite.by])).toEqual([
      [cnpVisit, 'ASP.NET_SessionId', 'header'],
    ]);
  });

  it('remembers the first deposit across visits, for the 13 months, and when a visit last met the cookie', () => {
    const { rec, item, deposits } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.headerCookies(1, CNP, ['TC_PRIVACY=x; Max-Age=100'], T0, null);
    rec.closeTab(1, T0 + 10);
    const later = T0 + 300 * 86_400_000;
    rec.navigate(3, CNP, later, { committed: true });
    rec.headerCookies(3, CNP, ['TC_PRIVACY=x; Max-Age=100'], later, null);
    expect(item(3, 'TC_PRIVACY')!.firstDeposit).toBe(T0);
    expect([...deposits.values()]).toEqual([{ firstDeposit: T0, lastSeen: later }]);
  });

  it('keeps a private window’s visit in memory and hands nothing to storage', () => {
    const { rec, visits, items, deposits } = recorder();
    rec.navigate(9, CNP, T0, { committed: true, isPrivate: true });
    rec.headerCookies(9, CNP, ['secret=1; Max-Age=100'], T0, null);
    expect(rec.visitOf(9)!.items).toHaveLength(1);
    expect([visits.length, items.size, deposits.size]).toEqual([0, 0, 0]);
  });

  it('keeps a private window’s first deposits apart: its jar is another, and a later normal visit starts its own', () => {
    const { rec, deposits, item } = recorder();
    rec.navigate(9, CNP, T0, { committed: true, isPrivate: true });
    rec.headerCookies(9, CNP, ['JSESSIONID=1; Path=/'], T0, null);
    rec.navigate(1, CNP, T0 + 60_000, { committed: true });
    rec.headerCookies(1, CNP, ['JSESSIONID=1; Path=/'], T0 + 60_000, null);
    expect(item(1, 'JSESSIONID')!.firstDeposit).toBe(T0 + 60_000);
    expect([...deposits.values()]).toEqual([{ firstDeposit: T0 + 60_000, lastSeen: T0 + 60_000 }]);
  });

  it('holds a visit whose window is not known yet in memory, then hands it whole to storage unless private', () => {
    const { rec, visits, items, deposits } = recorder();
    rec.navigate(1, CNP, T0, { committed: true, isPrivate: null });
    rec.headerCookies(1, CNP, ['JSESSIONID=1; Path=/'], T0, null);
    rec.navigate(9, CNP, T0, { committed: true, isPrivate: null });
    rec.headerCookies(9, CNP, ['secret=1; Max-Age=100'], T0, null);
    expect([visits.length, items.size, deposits.size]).toEqual([0, 0, 0]);
    expect(rec.visitOf(1)!.isPrivate).toBe(true);

    rec.tabKnown(1, { storeId: '0', isPrivate: false });
    rec.tabKnown(9, { storeId: '1', isPrivate: true });
    expect(rec.visitOf(1)!.isPrivate).toBe(false);
    expect(visits.map((v) => [v.tabId, v.storeId])).toEqual([[1, '0']]);
    expect([...items.values()].map((i) => i.name)).toEqual(['JSESSIONID']);
    expect(deposits.size).toBe(1);
    // Told again (the tab's creation event arriving late): nothing changes.
    rec.tabKnown(9, { storeId: '1', isPrivate: false });
    expect([visits.length, items.size, rec.visitOf(9)!.isPrivate]).toEqual([1, 1, true]);
  });

  it('restores open visits after the background slept and goes on counting', () => {
    const first = recorder();
    first.rec.navigate(1, CNP, T0, { committed: true });
    first.rec.headerCookies(1, CNP, ['a=1; Max-Age=100'], T0, null);
    const record = first.rec.visitOf(1)!.record;
    const second = recorder();
    second.rec.restore(
      [{ record: structuredClone(record), items: structuredClone(first.rec.visitOf(1)!.items) }],
      [...first.deposits].map(([key, d]) => [key, d.firstDeposit] as [string, number]),
    );
    second.rec.headerCookies(1, CNP, ['a=1; Max-Age=100', 'b=2'], T0 + 10, null);
    expect(second.item(1, 'a')!.renewals).toBe(1);
    expect(second.rec.visitOf(1)!.record.id).toBe(record.id);
    expect(second.rec.visitOf(1)!.items).toHaveLength(2);
  });

  it('recovers, on waking, a cookie no visit recorded into the restored visit last active on its domain, not one started since', () => {
    const { rec } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.navigate(2, CNP, T0 + 100, { committed: true });
    const [older, latest] = [rec.visitOf(1)!, rec.visitOf(2)!];
    const woken = recorder();
    woken.rec.restore(
      [
        { record: structuredClone(older.record), items: [] },
        { record: structuredClone(latest.record), items: [] },
      ],
      [],
    );
    woken.rec.recover(
      [older.record.id, latest.record.id],
      [jar('lost', 'monespaceclient.cnp.fr', 60, { httpOnly: true }), jar('lost_too', '.cnp.fr', 60)],
      T0 + 5000,
    );
    expect(woken.rec.visitOf(1)!.items).toEqual([]);
    expect(woken.rec.visitOf(2)!.items.map((i) => [i.name, i.firstWrite.by])).toEqual([
      ['lost', 'header'],
      ['lost_too', 'unknown'],
    ]);

    // A tab that opened the site while the background slept has its own events to tell of its cookies.
    const again = recorder();
    again.rec.restore([{ record: { ...structuredClone(older.record), id: 'restored' }, items: [] }], []);
    again.rec.navigate(3, CNP, T0 + 4000, { committed: true });
    again.rec.recover(['restored'], [jar('new_tab', 'monespaceclient.cnp.fr', 60)], T0 + 5000);
    expect([again.rec.visitOf(1)!.items, again.rec.visitOf(3)!.items]).toEqual([[], []]);
  });

  it('never lets a value into what it hands to storage', () => {
    const { rec, items, visits } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.headerCookies(1, CNP, ['a=VALUE-SECRET-1; Max-Age=100', 'b=VALUE-SECRET-2'], T0, null);
    rec.pageReports(1, [scriptWrite('c', 'path=/')], T0);
    expect(JSON.stringify([...items.values(), ...visits])).not.toContain('VALUE-SECRET');
  });

  it('keeps of every address only what evidenceAddress keeps: no session id or token of a query, fragment or path', () => {
    const { rec, items, visits } = recorder();
    const secret = (n: number) => `VALUE-${n}f3a9c2e7b1d4a6f8`;
    rec.navigate(1, `${CNP}login?PHPSESSID=${secret(1)}`, T0, { committed: false });
    rec.headerCookies(1, `${CNP}login?PHPSESSID=${secret(1)}`, ['PHPSESSID=x; Path=/'], T0, null);
    rec.navigate(1, `${CNP}app/;jsessionid=${secret(2)}#${secret(3)}`, T0 + 1, { committed: true });
    rec.headerCookies(1, `${CNP}app/;jsessionid=${secret(2)}`, ['JSESSIONID=x; Path=/'], T0 + 1, null);
    const frameUrl = `${CNP}app/;jsessionid=${secret(2)}#${secret(3)}`;
    rec.pageReports(
      1,
      [
        {
          kind: 'cookie-write',
          api: 'document.cookie',
          name: 'api_token',
          attributes: 'path=/',
          deleted: false,
          at: T0 + 2,
          scriptUrl: `${CNP}app/tag.js?token=${secret(4)}`,
          frameUrl,
        },
        {
          kind: 'cookie-write',
          api: 'document.cookie',
          name: 'frag_state',
          attributes: 'path=/',
          deleted: false,
          at: T0 + 2,
          scriptUrl: null,
          frameUrl,
        },
        {
          kind: 'storage',
          area: 'localStorage',
          op: 'set',
          keys: ['api_cache'],
          origin: 'https://monespaceclient.cnp.fr',
          at: T0 + 2,
          scriptUrl: `${CNP}app/tag.js?token=${secret(4)}`,
          frameUrl,
        },
      ],
      T0 + 3,
    );
    rec.navigate(1, `${CNP}s/${secret(5).slice(6)}/account`, T0 + 4, { committed: true });
    rec.headerCookies(1, `${CNP}s/${secret(5).slice(6)}/account`, ['sid=x; Path=/', 'sid_dir=x'], T0 + 4, null);

    expect(JSON.stringify([...items.values(), ...visits])).not.toMatch(/f3a9c2e7b1d4a6f8/);
    expect(rec.visitOf(1)!.record.pageUrls).toEqual([`${CNP}app/`, `${CNP}s/…/account`]);
    const writers = Object.fromEntries(rec.visitOf(1)!.items.map((i) => [i.name, i.firstWrite.url]));
    expect(writers).toEqual({
      PHPSESSID: `${CNP}login`,
      JSESSIONID: `${CNP}app/`,
      api_token: `${CNP}app/tag.js`,
      frag_state: `${CNP}app/`,
      api_cache: `${CNP}app/tag.js`,
      sid: `${CNP}s/…/account`,
      sid_dir: `${CNP}s/…/account`,
    });
    // Set without Path, the cookie takes the directory of its address as its path: kept as such a path is.
    expect(rec.visitOf(1)!.items.find((i) => i.name === 'sid_dir')!.path).toBe('/s/…');
  });
});

describe('the jar read a moment after the writes (everyday mode, no live account of the jar)', () => {
  it('gives the written cookies what the jar kept, and marks one the jar no longer holds as removed', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.headerCookies(1, CNP, ['marketing_id=VALUE; Max-Age=63072000; Path=/; Secure'], T0 + 10, null);
    rec.pageReports(1, [scriptWrite('_pk_ses.1', 'max-age=1800; path=/', T0 + 20)], T0 + 30);
    expect(item(1, 'marketing_id')!.lastWrite.stored).toBeNull();
    // The browser keeps a 2-year request 400 days; the script cookie is as asked.
    const kept = jar('marketing_id', 'monespaceclient.cnp.fr', 400 * 86_400, { httpOnly: true });
    rec.reconcile(1, 'visit-1', ['cnp.fr'], [kept, jar('_pk_ses.1', 'monespaceclient.cnp.fr', 1800)], T0 + 1000);
    expect(item(1, 'marketing_id')).toMatchObject({
      lastWrite: { by: 'header', stored: { session: false, at: T0 + 400 * 86_400_000 } },
      attributes: { httpOnly: true },
    });
    expect(item(1, '_pk_ses.1')!.lastWrite).toMatchObject({ by: 'script', stored: { session: false } });
    // The next read finds the script cookie gone (expired, or removed by something no write told of).
    rec.reconcile(1, 'visit-1', ['cnp.fr'], [kept], T0 + 5000);
    expect(item(1, '_pk_ses.1')).toMatchObject({ removed: true, lastSeen: T0 + 5000 });
    expect(item(1, 'marketing_id')!.removed).toBeFalsy();
  });

  it('calls a cookie no write explains set by an unseen source, until the write is reported', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.reconcile(
      1,
      'visit-1',
      ['cnp.fr'],
      [jar('sw_set', 'monespaceclient.cnp.fr', 3600), jar('hidden', '.cnp.fr', 3600, { httpOnly: true })],
      T0 + 1000,
    );
    expect(item(1, 'sw_set')!.firstWrite.by).toBe('unknown');
    expect(item(1, 'hidden')!.firstWrite.by).toBe('header');
    // A busy page's report comes after the read: the script's write takes the unknown account's place.
    rec.pageReports(1, [scriptWrite('sw_set', 'max-age=3600; path=/', T0 + 400)], T0 + 2000);
    expect(item(1, 'sw_set')!.firstWrite).toMatchObject({ by: 'script', at: T0 + 400 });
    expect(item(1, 'sw_set')!.firstSeen).toBe(T0 + 400);
  });

  it('leaves alone what was written after the read was asked, refused writes, other sites, and another visit', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.pageReports(1, [scriptWrite('late', 'max-age=60; path=/', T0 + 2000)], T0 + 2100);
    // A write the browser refused (never in the jar) was never there to be removed.
    rec.pageReports(1, [scriptWrite('refused', 'max-age=60; path=/', T0 + 10)], T0 + 20);
    rec.contact(1, 'https://cdn.tagcommander.com/tc.js', T0 + 30);
    rec.headerCookies(1, 'https://cdn.tagcommander.com/tc.js', ['TCID=VALUE; Max-Age=60'], T0 + 30, null);
    rec.reconcile(1, 'visit-1', ['tagcommander.com'], [jar('TCID', 'cdn.tagcommander.com', 60)], T0 + 500);
    // Asked before the write: the answer could not hold it.
    rec.reconcile(1, 'visit-1', ['cnp.fr', 'tagcommander.com'], [jar('TCID', 'cdn.tagcommander.com', 60)], T0 + 1000);
    expect(item(1, 'late')!.removed).toBeFalsy();
    expect(item(1, 'refused')).toMatchObject({ lastWrite: { by: 'script', stored: null } });
    expect(item(1, 'refused')!.removed).toBeFalsy();
    // A site not read says nothing of its cookies; a read for another visit is dropped.
    rec.reconcile(1, 'visit-1', ['cnp.fr'], [], T0 + 3000);
    expect(item(1, 'TCID')!.removed).toBeFalsy();
    rec.reconcile(1, 'visit-0', ['tagcommander.com'], [], T0 + 3000);
    expect(item(1, 'TCID')!.removed).toBeFalsy();
    rec.reconcile(1, 'visit-1', ['tagcommander.com'], [], T0 + 3000);
    expect(item(1, 'TCID')!.removed).toBe(true);
  });

  it('counts a cookie deposited before the visit as found in the jar', () => {
    const { rec, item } = recorder();
    rec.navigate(1, CNP, T0, { committed: true });
    rec.headerCookies(1, CNP, ['old=VALUE; Max-Age=86400'], T0 + 10, null);
    rec.navigate(1, 'https://amex.europ-assistance.fr/', T0 + 100, { committed: true });
    rec.navigate(1, CNP, T0 + 200, { committed: true });
    rec.reconcile(1, 'visit-3', ['cnp.fr'], [jar('old', 'monespaceclient.cnp.fr', 86400)], T0 + 1000);
    expect(item(1, 'old')!.firstWrite.by).toBe('jar');
  });
});

describe('jarHoldsWrite', () => {
  it('tells whether the jar’s cookie can be what a write left, by the expiry it asked for', () => {
    const write = (at: number, seconds: number | null) => ({
      at,
      by: 'script' as const,
      requested: seconds === null ? ({ session: true } as const) : { session: false as const, at: at + seconds * 1000 },
      stored: null,
    });
    const kept = { session: false, expirationDate: (T0 + 365 * 86_400_000) / 1000 };
    expect(jarHoldsWrite(write(T0, 365 * 86_400), kept)).toBe(true);
    // Written again a minute later for the same year: the jar holds the later write, not this one.
    expect(jarHoldsWrite(write(T0 - 60_000, 365 * 86_400), kept)).toBe(false);
    // Two years asked, 400 days kept.
    expect(jarHoldsWrite(write(T0, 730 * 86_400), { session: false, expirationDate: T0 / 1000 + 400 * 86_400 })).toBe(
      true,
    );
    // A session cookie cannot tell.
    expect(jarHoldsWrite(write(T0 - 60_000, null), { session: true })).toBe(true);
  });
});

describe('the consent problems of a visit', () => {
  it('counts each unreadable consent cookie once per reason, and keeps at most MAX_CONSENT_PROBLEMS', () => {
    const { rec, visits } = recorder();
    rec.navigate(1, CNP, T0, { committed: true, storeId: '0', isPrivate: false });
    rec.consentProblem(1, { platform: 'onetrust', name: 'OptanonConsent', reason: 'malformed' }, T0 + 10);
    rec.consentProblem(1, { platform: 'onetrust', name: 'OptanonConsent', reason: 'malformed' }, T0 + 20);
    expect(visits.at(-1)!.consentProblems).toEqual([
      {
        platform: 'onetrust',
        name: 'OptanonConsent',
        reason: 'malformed',
        count: 2,
        firstAt: T0 + 10,
        lastAt: T0 + 20,
      },
    ]);
    for (let i = 0; i < 3 * MAX_CONSENT_PROBLEMS; i++)
      rec.consentProblem(1, { platform: 'tcf', name: `euconsent-v2-${i}`, reason: 'too-long' }, T0 + 30);
    expect(rec.visitOf(1)!.record.consentProblems).toHaveLength(MAX_CONSENT_PROBLEMS);
  });

  it('finds the tabs whose visit is of a site and sees a jar', () => {
    const { rec } = recorder();
    rec.navigate(1, CNP, T0, { committed: true, storeId: '0', isPrivate: false });
    rec.navigate(2, 'https://www.cnp.fr/', T0, { committed: true, storeId: 'firefox-container-1', isPrivate: false });
    rec.navigate(3, 'https://www.amex.fr/', T0, { committed: true, storeId: '0', isPrivate: false });
    expect(rec.tabsOnSite('cnp.fr', '0')).toEqual([1]);
    expect(rec.tabsOnSite('cnp.fr', 'firefox-container-1')).toEqual([2]);
    expect(rec.tabsOnSite('amex.fr', '0')).toEqual([3]);
  });
});
