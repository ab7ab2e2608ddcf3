/* eslint-disable @typescript-eslint/no-explicit-any -- the fake extension's replies come untyped (its tests send malformed
   messages too), so the callbacks that read them say so */
import { describe, expect, it, vi } from 'vitest';
import { startBackground } from '.';
import { bundledCatalogues } from '../catalogue/bundled';
import { openCookieLensDb } from '../storage/db';
import { REQUEST_SENDERS, RequestSchema, type RequestInput } from '../messages';
import wxtConfig from '../../wxt.config';
import { fixture } from '../../tests/fixtures/extraction/fixtures';
import { contentScript, extensionPage, fakeExtension } from '../../tests/support/fake-extension';

const CNP = 'https://monespaceclient.cnp.fr/';
let dbCount = 0;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - start > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function background(
  dbName: string,
  openTabs: Array<{ id: number; url: string }> = [],
  jar: Array<Record<string, unknown>> = [],
) {
  const fake = fakeExtension(jar);
  for (const tab of openTabs) await fake.fakeBrowser.tabs.create({ url: tab.url });
  startBackground(fake.browser, { isChrome: true, openDb: () => openCookieLensDb(dbName) });
  expect(await fake.send({ type: 'ping' })).toMatchObject({ ok: true });
  return fake;
}

function visitPage(
  fake: Awaited<ReturnType<typeof background>>,
  tabId: number,
  url: string,
  setCookies: string[] = [],
) {
  fake.webRequest.onHeadersReceived.fire({ tabId, url, type: 'main_frame' });
  fake.webRequest.onHeadersReceived.fire({
    tabId,
    url,
    type: 'main_frame',
    responseHeaders: setCookies.map((value) => ({ name: 'Set-Cookie', value })),
  });
  fake.fakeBrowser.webNavigation.onCommitted.trigger({ tabId, frameId: 0, url } as never);
}

/** A page hook's report of a script's cookie write. */
function scriptWrite(name: string, frameUrl: string, at: number) {
  return {
    kind: 'cookie-write',
    api: 'document.cookie',
    name,
    attributes: 'path=/',
    deleted: false,
    at,
    scriptUrl: null,
    frameUrl,
  };
}

/** A script-readable cookie of the CNP site as the browser's jar holds it: a session cookie unless given an expiry (s). */
function jarCookie(name: string, expirationDate?: number) {
  return {
    name,
    value: 'VALUE',
    domain: 'monespaceclient.cnp.fr',
    path: '/',
    hostOnly: true,
    secure: true,
    httpOnly: false,
    sameSite: 'lax',
    session: expirationDate === undefined,
    ...(expirationDate === undefined ? {} : { expirationDate }),
    storeId: '0',
  };
}

/** The names of the tab's items, once it has any. */
async function namesOnceReported(fake: Awaited<ReturnType<typeof background>>, tabId: number): Promise<string[]> {
  const items = await until(
    async () => (await fake.send({ type: 'get-tab-report', tabId })).report.items,
    (items) => items.length > 0,
  );
  return items.map((i: { name: string }) => i.name);
}

describe('the background', () => {
  it('stores every one of 10,000 cookie events of a tab', async () => {
    const db = `bg-${++dbCount}`;
    const fake = await background(db);
    visitPage(fake, 1, CNP);
    for (let i = 0; i < 10_000; i++) {
      fake.webRequest.onHeadersReceived.fire({
        tabId: 1,
        url: `${CNP}api/${i}`,
        type: 'xmlhttprequest',
        responseHeaders: [{ name: 'set-cookie', value: `c${i}=VALUE-${i}; Max-Age=${i + 1}; Path=/` }],
      });
    }
    const report = (await fake.send({ type: 'get-tab-report', tabId: 1 })).report;
    expect(report.items).toHaveLength(10_000);
    const visitId = report.visit.id;
    const stored = await until(
      async () => (await fake.send({ type: 'get-visit-report', visitId })).report,
      (r) => r?.items.length === 10_000,
    );
    expect(stored.items).toHaveLength(10_000);
    expect(new Set(stored.items.map((i: { name: string }) => i.name)).size).toBe(10_000);
    expect(JSON.stringify(stored)).not.toMatch(/VALUE-\d/);
  }, 60_000);

  it('answers page reports only once they are written, and attributes them to the sending tab', async () => {
    const db = `bg-${++dbCount}`;
    const fake = await background(db);
    visitPage(fake, 4, CNP);
    const answer = await fake.send(
      {
        type: 'page-reports',
        reports: [
          {
            kind: 'cookie-write',
            api: 'document.cookie',
            name: 'XSRF-TOKEN',
            attributes: 'path=/',
            deleted: false,
            at: Date.now(),
            scriptUrl: null,
            frameUrl: CNP,
          },
        ],
      },
      4,
    );
    expect(answer).toEqual({ ok: true, stored: true });
    const visitId = (await fake.send({ type: 'get-tab-report', tabId: 4 })).report.visit.id;
    const database = await openCookieLensDb(db);
    expect((await database.getAllFromIndex('items', 'byVisit', visitId)).map((i) => i.name)).toEqual(['XSRF-TOKEN']);
  });

  it('carries on a visit after the background was stopped and woken', async () => {
    const db = `bg-${++dbCount}`;
    const first = await background(db);
    // The fake browser has a blank tab 0: the tab opened below on the site gets id 1.
    visitPage(first, 1, CNP, ['JSESSIONID=VALUE-A; Path=/; HttpOnly']);
    const visitId = (await first.send({ type: 'get-tab-report', tabId: 1 })).report.visit.id;
    await until(
      async () => (await first.send({ type: 'get-visit-report', visitId })).report,
      (r) => r?.items.length === 1,
    );

    // A new service on the same database: what a restarted worker is. The tab is still open on the site.
    const second = await background(db, [{ id: 1, url: CNP }]);
    const tabId = (await second.fakeBrowser.tabs.query({ url: CNP }))[0]!.id!;
    expect(tabId).toBe(1);
    second.webRequest.onHeadersReceived.fire({
      tabId,
      url: `${CNP}next`,
      type: 'xmlhttprequest',
      responseHeaders: [{ name: 'set-cookie', value: 'after=VALUE-B; Max-Age=60' }],
    });
    const report = (await second.send({ type: 'get-tab-report', tabId })).report;
    expect(report.visit.id).toBe(visitId);
    expect(report.items.map((i: { name: string }) => i.name).sort()).toEqual(['JSESSIONID', 'after']);
  });

  it('recovers from the jar, on waking, what a background stopped before writing it lost, each with what can be known of its source', async () => {
    const db = `bg-${++dbCount}`;
    const first = await background(db);
    visitPage(first, 1, CNP, ['JSESSIONID=VALUE-A; Path=/; HttpOnly']);
    const visitId = (await first.send({ type: 'get-tab-report', tabId: 1 })).report.visit.id;
    await until(
      async () => (await first.send({ type: 'get-visit-report', visitId })).report,
      (r) => r?.items.length === 1,
    );
    // A cookie met in an earlier visit: its first deposit is older than this visit.
    const database = await openCookieLensDb(db);
    await database.put('deposits', {
      key: 'cookie|_pk_id.1|.cnp.fr|/|',
      firstDeposit: Date.now() - 86_400_000,
      lastSeen: Date.now() - 86_400_000,
    });
    // And one that another tab's visit of the site recorded since: that visit's, not this one's.
    await database.put('deposits', {
      key: 'cookie|marketing_id|monespaceclient.cnp.fr|/|',
      firstDeposit: Date.now() + 1000,
      lastSeen: Date.now() + 1000,
    });

    // The worker was stopped with these cookies' events received and not written: the jar has them, storage not.
    const inAYear = Date.now() / 1000 + 365 * 86_400;
    const cookie = (name: string, domain: string, httpOnly: boolean) => ({
      name,
      value: 'VALUE',
      domain,
      path: '/',
      hostOnly: !domain.startsWith('.'),
      secure: true,
      httpOnly,
      sameSite: 'lax',
      session: false,
      expirationDate: inAYear,
      storeId: '0',
    });
    const second = fakeExtension([
      cookie('JSESSIONID', 'monespaceclient.cnp.fr', true),
      cookie('ADRUM_BT1', 'monespaceclient.cnp.fr', true),
      cookie('XSRF-TOKEN', 'monespaceclient.cnp.fr', false),
      cookie('_pk_id.1', '.cnp.fr', false),
      cookie('marketing_id', 'monespaceclient.cnp.fr', false),
    ]);
    await second.fakeBrowser.tabs.create({ url: CNP });
    startBackground(second.browser, { isChrome: true, openDb: () => openCookieLensDb(db) });
    const sources = (report: any) => report?.items.map((i: any) => `${i.name}:${i.firstWrite.by}`).sort();
    const report = await until(
      async () => (await second.send({ type: 'get-tab-report', tabId: 1 })).report,
      (r) => r?.items.length === 4,
    );
    expect(report.visit.id).toBe(visitId);
    expect(sources(report)).toEqual(['ADRUM_BT1:header', 'JSESSIONID:header', 'XSRF-TOKEN:unknown', '_pk_id.1:jar']);
    // The page's relay sends its report of the script write again: it takes the place of the unknown source.
    const write = {
      kind: 'cookie-write',
      api: 'document.cookie',
      name: 'XSRF-TOKEN',
      attributes: 'path=/',
      deleted: false,
      at: Date.now() - 1000,
      scriptUrl: null,
      frameUrl: CNP,
    };
    expect(await second.send({ type: 'page-reports', reports: [write] }, 1)).toEqual({ ok: true, stored: true });
    const stored = (await second.send({ type: 'get-visit-report', visitId })).report;
    expect(sources(stored)).toEqual(['ADRUM_BT1:header', 'JSESSIONID:header', 'XSRF-TOKEN:script', '_pk_id.1:jar']);
    expect(stored.items.find((i: any) => i.name === 'XSRF-TOKEN').renewals).toBe(0);
  }, 30_000);

  it('computes the findings of the tab against the policy of its site', async () => {
    const fake = await background(`bg-${++dbCount}`);
    visitPage(fake, 2, CNP, ['_pk_id.1.a1b2=VALUE; Max-Age=33955200; Path=/', 'marketing_id=VALUE; Max-Age=63072000']);
    const report = (await fake.send({ type: 'get-tab-report', tabId: 2 })).report;
    expect(report.catalogues.map((c: { id: string }) => c.id)).toEqual(['cnp-monespaceclient']);
    const kinds = report.findings
      .filter((f: any) => f.cookie)
      .map((f: any) => `${f.cookie.name}:${f.kind}`)
      .sort();
    expect(kinds).toEqual([
      '_pk_id.1.a1b2:lifetime-exceeds-declared',
      '_pk_id.1.a1b2:vendor-default-contradiction',
      'marketing_id:exceeds-cnil-13-months',
      'marketing_id:undeclared',
    ]);
  });

  it('gives the popup the tab’s rows in the interface’s language, and a row’s evidence when it is opened', async () => {
    const fake = await background(`bg-${++dbCount}`);
    visitPage(fake, 2, CNP, ['_pk_id.1.a1b2=VALUE; Max-Age=33955200; Path=/', 'marketing_id=VALUE; Max-Age=63072000']);
    const view = (await fake.send({ type: 'get-tab-rows', tabId: 2 })).view;
    expect(view.counts).toMatchObject({ seen: 2, declared: 1, undeclared: 1 });
    const marketing = view.rows.find((row: any) => row.name === 'marketing_id');
    expect(marketing.findings.map((f: any) => f.kind)).toEqual(['exceeds-cnil-13-months', 'undeclared']);
    expect(marketing.findings[1].explanation).toMatch(/is not declared in the policy/);
    expect(JSON.stringify(view)).not.toContain('VALUE');
    expect(JSON.stringify(view.rows)).not.toMatch(/excerpt|attributes/);

    await fake.send({ type: 'put-settings', settings: { language: 'fr' } });
    const answer = await fake.send({ type: 'get-tab-rows', tabId: 2 });
    // The popup paints in the language set without asking for the settings.
    expect(answer.language).toBe('fr');
    const french = answer.view;
    expect(french.rows.find((row: any) => row.name === 'marketing_id').findings[1].explanation).toMatch(
      /n’est pas déclaré/,
    );

    const { store, name, domain, path, partitionKey } = view.rows.find((row: any) => row.name === '_pk_id.1.a1b2');
    const cookie = { store, name, domain, path, partitionKey };
    const details = (await fake.send({ type: 'get-cookie-details', tabId: 2, visitId: view.visit.id, cookie })).details;
    expect(details.item).toMatchObject({ name: '_pk_id.1.a1b2', renewals: 0, attributes: expect.any(Object) });
    expect(details.entry.excerpt).toMatch(/Matomo|Piwik/i);
    expect(details.findings.map((f: any) => f.kind)).toContain('lifetime-exceeds-declared');
    expect(
      (
        await fake.send({
          type: 'get-cookie-details',
          tabId: 2,
          visitId: view.visit.id,
          cookie: { ...cookie, name: 'gone' },
        })
      ).details,
    ).toBeNull();
    expect((await fake.send({ type: 'get-tab-rows', tabId: 9 })).view).toBeNull();
  });

  it('reads a row’s evidence from storage once the tab has moved on to another visit', async () => {
    const fake = await background(`bg-${++dbCount}`);
    visitPage(fake, 3, CNP, ['marketing_id=VALUE; Max-Age=63072000']);
    const view = (await fake.send({ type: 'get-tab-rows', tabId: 3 })).view;
    await fake.send({ type: 'page-reports', reports: [] }, 3);
    visitPage(fake, 3, 'https://www.example.org/');
    expect((await fake.send({ type: 'get-tab-rows', tabId: 3 })).view.visit.id).not.toBe(view.visit.id);
    const { store, name, domain, path, partitionKey } = view.rows[0];
    const details = (
      await fake.send({
        type: 'get-cookie-details',
        tabId: 3,
        visitId: view.visit.id,
        cookie: { store, name, domain, path, partitionKey },
      })
    ).details;
    expect(details.item.name).toBe('marketing_id');
    expect(details.findings.map((f: any) => f.kind)).toContain('undeclared');
  });

  it('answers from each tab’s last computed report, and recomputes it after any change, the jar’s included', async () => {
    const fake = await background(`bg-${++dbCount}`);
    await fake.send({ type: 'put-settings', settings: { auditMode: true } });
    visitPage(fake, 8, CNP, ['marketing_id=VALUE; Path=/']);
    const first = (await fake.send({ type: 'get-tab-report', tabId: 8 })).report;
    expect(first.items[0].lastWrite.stored).toBeNull();
    const inTwoYears = Date.now() / 1000 + 730 * 86_400;
    fake.cookies.onChanged.fire({
      removed: false,
      cause: 'explicit',
      cookie: jarCookie('marketing_id', inTwoYears),
    });
    const second = (await fake.send({ type: 'get-tab-report', tabId: 8 })).report;
    expect(second.items[0].lastWrite.stored).toEqual({ session: false, at: Math.round(inTwoYears * 1000) });
    expect(second.findings.map((f: any) => f.kind)).toContain('exceeds-cnil-13-months');
  });

  it('in everyday mode follows no jar change, reading the jar after a page’s writes and when a report is asked', async () => {
    const jar: Array<Record<string, unknown>> = [];
    const fake = await background(`bg-${++dbCount}`, [], jar);
    expect(fake.cookies.onChanged.hasListeners()).toBe(false);
    const inFourHundredDays = Date.now() / 1000 + 400 * 86_400;
    // The browser keeps the 2-year request 400 days.
    jar.push(jarCookie('marketing_id', inFourHundredDays));
    visitPage(fake, 8, CNP, ['marketing_id=VALUE; Max-Age=63072000; Path=/']);
    const visits = await until(
      async () => (await fake.send({ type: 'list-visits' })).visits,
      (list: any[]) => list.length === 1,
    );
    // Then a service worker sets a cookie, which no write tells of, and the page sets another by header.
    jar.push(jarCookie('sw_id', inFourHundredDays));
    fake.webRequest.onHeadersReceived.fire({
      tabId: 8,
      url: `${CNP}api`,
      type: 'xmlhttprequest',
      responseHeaders: [{ name: 'Set-Cookie', value: 'api_id=VALUE; Path=/' }],
    });
    // A moment after the writes, the jar is read without anyone asking: what is stored says what the jar kept.
    const stored = await until(
      async () => (await fake.send({ type: 'get-visit-report', visitId: visits[0].id })).report,
      (r) => r?.items.find((i: any) => i.name === 'marketing_id')?.lastWrite.stored !== null,
    );
    expect(stored.items.find((i: any) => i.name === 'marketing_id').lastWrite.stored).toEqual({
      session: false,
      at: Math.round(inFourHundredDays * 1000),
    });
    expect(stored.items.find((i: any) => i.name === 'sw_id').firstWrite.by).toBe('unknown');
    // Asking for the report reads the jar first: a cookie gone from it is removed.
    jar.splice(0, 1);
    const report = (await fake.send({ type: 'get-tab-report', tabId: 8 })).report;
    expect(report.items.find((i: any) => i.name === 'marketing_id').removed).toBe(true);
    // Audit mode follows the jar as it changes, and everyday mode again stops.
    await fake.send({ type: 'put-settings', settings: { auditMode: true } });
    expect(fake.cookies.onChanged.hasListeners()).toBe(true);
    await fake.send({ type: 'put-settings', settings: { auditMode: false } });
    expect(fake.cookies.onChanged.hasListeners()).toBe(false);
  }, 30_000);

  it('registers the page hook and its relay only in audit mode, for the pages loaded from then on', async () => {
    const dbName = `bg-${++dbCount}`;
    const fake = await background(dbName);
    expect(fake.scripting.registered.size).toBe(0);
    await fake.send({ type: 'put-settings', settings: { auditMode: true } });
    // Registered before the answer: the audit command visits its first page as soon as it has it.
    expect([...fake.scripting.registered.keys()].sort()).toEqual(['cookie-lens-page-hook', 'cookie-lens-page-relay']);
    expect(fake.scripting.registered.get('cookie-lens-page-hook')).toMatchObject({
      js: ['page-hook.js'],
      world: 'MAIN',
      matches: ['<all_urls>'],
      allFrames: true,
      matchOriginAsFallback: true,
      runAt: 'document_start',
    });
    expect(fake.scripting.registered.get('cookie-lens-page-relay')).not.toHaveProperty('world');
    await fake.send({ type: 'put-settings', settings: { auditMode: false } });
    expect(fake.scripting.registered.size).toBe(0);

    // A background woken with audit mode on and half a registration left (a wake cut short) registers both again.
    await fake.send({ type: 'put-settings', settings: { auditMode: true } });
    fake.scripting.registered.delete('cookie-lens-page-hook');
    const registered = fake.scripting.registered;
    const woken = fakeExtension();
    for (const [id, script] of registered) woken.scripting.registered.set(id, script);
    startBackground(woken.browser, { isChrome: true, openDb: () => openCookieLensDb(dbName) });
    expect(await woken.send({ type: 'ping' })).toMatchObject({ ok: true });
    await until(
      async () => woken.scripting.registered.size,
      (size) => size === 2,
    );
    expect([...woken.scripting.registered.keys()].sort()).toEqual(['cookie-lens-page-hook', 'cookie-lens-page-relay']);
  });

  it('in everyday mode takes a page’s first snapshot of the jar from before its request, so a script’s cookie is not taken for one already there', async () => {
    const jar: Array<Record<string, unknown>> = [];
    const fake = await background(`bg-${++dbCount}`, [], jar);
    jar.push(jarCookie('before_visit'));
    fake.fakeBrowser.webNavigation.onBeforeNavigate.trigger({ tabId: 5, frameId: 0, url: CNP } as never);
    // The jar's answer is asked for at once; the page's scripts then run before its response is handed over.
    await new Promise((resolve) => setTimeout(resolve, 50));
    jar.push(jarCookie('set_by_script'));
    visitPage(fake, 5, CNP);
    const report = await until(
      async () => (await fake.send({ type: 'get-tab-report', tabId: 5 })).report,
      (r) => r?.items.length === 2,
    );
    expect(report.items.map((i: any) => [i.name, i.firstWrite.by]).sort()).toEqual([
      ['before_visit', 'jar'],
      ['set_by_script', 'unknown'],
    ]);
  });

  it('in everyday mode reads the key names of the frames’ storages when a report is asked, and not in audit mode', async () => {
    const fake = await background(`bg-${++dbCount}`);
    visitPage(fake, 3, CNP);
    fake.scripting.storages.set(3, [
      { origin: 'https://monespaceclient.cnp.fr', localStorage: ['dydu.session', 'ai_user'], sessionStorage: [] },
      // A frame of another site, a sandboxed frame (opaque origin), a frame whose storage is blocked, a malformed answer.
      { origin: 'https://chat.example', localStorage: null, sessionStorage: ['chat_tab'] },
      { origin: 'null', localStorage: ['forged'], sessionStorage: null },
      { origin: 'https://blocked.example', localStorage: null, sessionStorage: null },
      { origin: 'https://monespaceclient.cnp.fr', localStorage: 'ai_user' },
      null,
    ]);
    const report = (await fake.send({ type: 'get-tab-report', tabId: 3 })).report;
    const storage = report.items
      .filter((i: any) => i.store !== 'cookie')
      .map((i: any) => [i.store, i.name, i.domain, i.firstWrite.by])
      .sort();
    expect(storage).toEqual([
      ['localStorage', 'ai_user', 'monespaceclient.cnp.fr', 'unknown'],
      ['localStorage', 'dydu.session', 'monespaceclient.cnp.fr', 'unknown'],
      ['sessionStorage', 'chat_tab', 'chat.example', 'unknown'],
    ]);
    expect(report.visit.hosts).toContain('chat.example');
    // The popup's two requests share a read; a key gone from a later read is not taken as removed.
    const reads = fake.scripting.storageReads;
    await fake.send({ type: 'get-tab-rows', tabId: 3 });
    expect(fake.scripting.storageReads).toBe(reads);

    // The next visit of the site finds the keys already there.
    visitPage(fake, 3, `${CNP}contrats`);
    fake.webRequest.onHeadersReceived.fire({ tabId: 3, url: 'https://www.example.org/', type: 'main_frame' });
    fake.fakeBrowser.webNavigation.onCommitted.trigger({
      tabId: 3,
      frameId: 0,
      url: 'https://www.example.org/',
    } as never);
    visitPage(fake, 3, CNP);
    fake.scripting.storages.set(3, [
      { origin: 'https://monespaceclient.cnp.fr', localStorage: ['dydu.session'], sessionStorage: null },
    ]);
    const next = await until(
      async () => (await fake.send({ type: 'get-tab-report', tabId: 3 })).report,
      (r) => r.visit.id !== report.visit.id && r.items.length > 0,
    );
    expect(next.items.map((i: any) => [i.name, i.firstWrite.by])).toEqual([['dydu.session', 'jar']]);

    // In audit mode the page hook tells of storages as they change: no read.
    await fake.send({ type: 'put-settings', settings: { auditMode: true } });
    const before = fake.scripting.storageReads;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await fake.send({ type: 'get-tab-report', tabId: 3 });
    expect(fake.scripting.storageReads).toBe(before);
  });

  it('attributes every jar change no write claims, the last of a burst included, however long nothing follows', async () => {
    const fake = await background(`bg-${++dbCount}`);
    await fake.send({ type: 'put-settings', settings: { auditMode: true } });
    visitPage(fake, 2, CNP);
    await fake.send({ type: 'get-tab-report', tabId: 2 });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const changed = (name: string) =>
        fake.cookies.onChanged.fire({
          removed: false,
          cause: 'explicit',
          cookie: {
            name,
            value: 'VALUE',
            domain: '.cnp.fr',
            path: '/',
            hostOnly: false,
            secure: true,
            httpOnly: false,
            sameSite: 'lax',
            session: true,
            storeId: '0',
          },
        });
      changed('_pk_ses.1');
      await vi.advanceTimersByTimeAsync(1500);
      changed('_pk_ref.1');
      // Then nothing, for a minute: no other event comes to settle the second change.
      await vi.advanceTimersByTimeAsync(60_000);
    } finally {
      vi.useRealTimers();
    }
    const report = (await fake.send({ type: 'get-tab-report', tabId: 2 })).report;
    expect(report.items.map((i: any) => `${i.name}:${i.firstWrite.by}`).sort()).toEqual([
      '_pk_ref.1:unknown',
      '_pk_ses.1:unknown',
    ]);
  });

  it('shows on the tab’s badge the findings needing attention, telling the browser only when the count changes', async () => {
    const fake = await background(`bg-${++dbCount}`);
    const badge: Array<{ tabId?: number; text: string }> = [];
    (fake.browser.action as { setBadgeText: unknown }).setBadgeText = async (details: {
      tabId?: number;
      text: string;
    }) => void badge.push(details);
    visitPage(fake, 2, CNP, ['marketing_id=VALUE; Max-Age=63072000; Path=/']);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(badge).toEqual([{ tabId: 2, text: '2' }]); // undeclared, over the CNIL's 13 months
    // The same cookie again, as on every page: nothing new to show.
    fake.webRequest.onHeadersReceived.fire({
      tabId: 2,
      url: `${CNP}api`,
      type: 'xmlhttprequest',
      responseHeaders: [{ name: 'Set-Cookie', value: 'marketing_id=VALUE; Max-Age=63072000; Path=/' }],
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(badge).toHaveLength(1);
    // A new page clears a tab's badge in the browser: it is shown again.
    visitPage(fake, 2, CNP, ['marketing_id=VALUE; Max-Age=63072000; Path=/']);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(badge).toEqual([
      { tabId: 2, text: '2' },
      { tabId: 2, text: '2' },
    ]);
  });

  it('counts the cookies the jar already holds for the hosts the tab reaches, partitioned under its site included, not under others', async () => {
    const inAYear = Date.now() / 1000 + 365 * 86_400;
    const cookie = (name: string, domain: string, partitionKey?: { topLevelSite: string }) => ({
      name,
      value: 'VALUE',
      domain,
      path: '/',
      hostOnly: false,
      secure: true,
      httpOnly: false,
      sameSite: 'no_restriction',
      session: false,
      expirationDate: inAYear,
      storeId: '0',
      ...(partitionKey ? { partitionKey } : {}),
    });
    const fake = fakeExtension([
      cookie('_pk_id.1', '.cnp.fr'),
      cookie('chat_id', '.chat-vendor.example', { topLevelSite: 'https://cnp.fr' }),
      cookie('elsewhere_id', '.chat-vendor.example', { topLevelSite: 'https://amex.fr' }),
    ]);
    startBackground(fake.browser, { isChrome: true, openDb: () => openCookieLensDb(`bg-${++dbCount}`) });
    visitPage(fake, 5, CNP);
    // The vendor's frame: Firefox may tell of its commit before its request.
    const frame = 'https://widget.chat-vendor.example/frame';
    fake.fakeBrowser.webNavigation.onCommitted.trigger({ tabId: 5, frameId: 7, url: frame } as never);
    fake.webRequest.onHeadersReceived.fire({ tabId: 5, url: frame, type: 'sub_frame' });
    const report = await until(
      async () => (await fake.send({ type: 'get-tab-report', tabId: 5 })).report,
      (r) => r?.items.length >= 2,
    );
    expect(report.items.map((i: any) => `${i.name}|${i.partitionKey ?? ''}|${i.firstWrite.by}`).sort()).toEqual([
      '_pk_id.1||jar',
      'chat_id|cnp.fr|jar',
    ]);
  });

  it('writes nothing of a private window’s tab, even one the browser tells of only after its first requests', async () => {
    const db = `bg-${++dbCount}`;
    const fake = await background(db);
    visitPage(fake, 1, CNP, ['JSESSIONID=VALUE-A; Path=/; HttpOnly']);
    // Tab 9 is in a private window; the browser tells of it after its requests, as Firefox may.
    fake.privateTabs.add(9);
    visitPage(fake, 9, 'https://amex.europ-assistance.fr/', ['ai_user=VALUE-B; Max-Age=31536000; Path=/']);
    const report = {
      type: 'page-reports',
      reports: [
        {
          kind: 'cookie-write',
          api: 'document.cookie',
          name: 'XSRF-TOKEN',
          attributes: 'path=/',
          deleted: false,
          at: Date.now(),
          scriptUrl: null,
          frameUrl: 'https://amex.europ-assistance.fr/',
        },
      ],
    };
    expect(await fake.send(report, 9)).toEqual({ ok: true, stored: true });
    await fake.fakeBrowser.tabs.onCreated.trigger({
      id: 9,
      index: 1,
      windowId: 1,
      highlighted: false,
      active: true,
      pinned: false,
      incognito: true,
    } as never);

    // Shown in the popup as a private window's, with all it saw.
    const privateReport = (await fake.send({ type: 'get-tab-report', tabId: 9 })).report;
    expect(privateReport.isPrivate).toBe(true);
    expect(privateReport.items.map((i: { name: string }) => i.name).sort()).toEqual(['XSRF-TOKEN', 'ai_user']);
    // The normal tab's visit, told of late too, is written whole; nothing of the private one is.
    const database = await openCookieLensDb(db);
    await until(
      async () => (await database.getAll('items')).length,
      (n) => n >= 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await database.getAll('visits')).map((visit) => visit.site)).toEqual(['cnp.fr']);
    expect((await database.getAll('items')).map((item) => item.name)).toEqual(['JSESSIONID']);
    expect((await database.getAll('deposits')).map((deposit) => deposit.key)).toEqual([
      expect.stringContaining('JSESSIONID'),
    ]);
  });

  it('leaves out of a new site’s visit what the page the tab left still sends, however the browser tells of it', async () => {
    const fake = await background(`bg-${++dbCount}`);
    const CNP_PAGE = `${CNP}leaving`;
    visitPage(fake, 3, CNP_PAGE);
    visitPage(fake, 3, 'https://amex.europ-assistance.fr/');
    const beacon = (name: string, from: Record<string, unknown>) => {
      const request = { tabId: 3, url: `https://cdn.tagcommander.com/${name}`, type: 'beacon', frameId: 0, ...from };
      fake.webRequest.onHeadersReceived.fire(request);
      fake.webRequest.onHeadersReceived.fire({
        ...request,
        responseHeaders: [{ name: 'Set-Cookie', value: `${name}=VALUE; Max-Age=86400; Path=/` }],
      });
    };
    beacon('firefox_document', { documentUrl: CNP_PAGE });
    beacon('firefox_frame', {
      frameId: 5,
      documentUrl: 'https://widget.quantalys.com/frame',
      frameAncestors: [{ url: CNP_PAGE }],
    });
    beacon('chrome_initiator', { initiator: 'https://monespaceclient.cnp.fr' });
    beacon('chrome_unloading', {
      frameId: 5,
      documentLifecycle: 'pending_deletion',
      initiator: 'https://widget.quantalys.com',
    });
    // The new page's own requests count.
    beacon('amex_own', {
      documentUrl: 'https://amex.europ-assistance.fr/',
      initiator: 'https://amex.europ-assistance.fr',
      documentLifecycle: 'active',
    });
    const report = (await fake.send({ type: 'get-tab-report', tabId: 3 })).report;
    expect(report.items.map((i: { name: string }) => i.name)).toEqual(['amex_own']);
    expect(report.visit.hosts).toEqual(['amex.europ-assistance.fr', 'cdn.tagcommander.com']);
  });

  it('refuses a malformed message with a reason, and keeps working', async () => {
    const fake = await background(`bg-${++dbCount}`);
    expect(await fake.send({ type: 'get-tab-report', tabId: 'one' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('tabId'),
    });
    // A forged report among page reports is dropped on its own; the batch is still answered.
    visitPage(fake, 1, CNP);
    expect(await fake.send({ type: 'page-reports', reports: [{ kind: 'cookie-write', name: 'x' }] }, 1)).toEqual({
      ok: true,
      stored: true,
    });
    expect((await fake.send({ type: 'get-tab-report', tabId: 1 })).report.items).toEqual([]);
    expect(await fake.send({ type: 'page-reports', reports: 'many' }, 1)).toMatchObject({ ok: false });
    expect(await fake.send('hello')).toMatchObject({ ok: false });
    expect(await fake.send({ type: 'ping' })).toMatchObject({ ok: true });
  });

  it('keeps observing and says so when the database fails, losing nothing it holds', async () => {
    const fake = fakeExtension();
    startBackground(fake.browser, {
      isChrome: true,
      openDb: () => Promise.reject(new DOMException('The disk is full', 'QuotaExceededError')),
    });
    visitPage(fake, 3, CNP, ['JSESSIONID=VALUE; Path=/']);
    const ping = await until(
      () => fake.send({ type: 'ping' }),
      (p) => p.storage.ok === false,
    );
    expect(ping.storage).toMatchObject({ ok: false, error: 'QuotaExceededError: The disk is full' });
    const report = (await fake.send({ type: 'get-tab-report', tabId: 3 })).report;
    expect(report.items.map((i: { name: string }) => i.name)).toEqual(['JSESSIONID']);
    expect(report.storage.ok).toBe(false);
  });

  describe('catalogues and settings', () => {
    const extranet = () =>
      structuredClone(bundledCatalogues().find((c) => c.id === 'europ-assistance-extranet-partenaires')!);

    it('refuses a broken catalogue file with what is wrong, and changes nothing', async () => {
      const fake = await background(`bg-${++dbCount}`);
      const before = await fake.send({ type: 'list-catalogues' });
      expect(await fake.send({ type: 'import-catalogue', text: '{ "id": ' })).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^The file is not JSON/),
      });
      const broken = {
        ...extranet(),
        id: 'my-extranet',
        entries: [{ ...extranet().entries[0], category: 'tracking' }],
      };
      const refused = await fake.send({ type: 'import-catalogue', text: JSON.stringify(broken) });
      expect(refused).toMatchObject({ ok: false, issues: [{ path: 'entries.0.category' }] });
      expect(await fake.send({ type: 'import-catalogue', text: JSON.stringify(extranet()) })).toMatchObject({
        ok: false,
        issues: [{ path: 'id' }],
      });
      expect(await fake.send({ type: 'list-catalogues' })).toEqual(before);
    });

    it('answers a file of millions of wrong entries with its first problems and their count, not a message too large to send', async () => {
      const fake = await background(`bg-${++dbCount}`);
      const text = JSON.stringify({ ...extranet(), id: 'huge', entries: Array.from({ length: 2_000_000 }, () => 1) });
      expect(text.length).toBeGreaterThan(4_000_000);
      const refused = await fake.send({ type: 'import-catalogue', text, language: 'fr' });
      expect(refused).toMatchObject({
        ok: false,
        total: 2_000_000,
        error: 'The file is not a valid catalogue (2000000 problem(s)).',
      });
      expect(refused.issues).toHaveLength(100);
      expect(JSON.stringify(refused).length).toBeLessThan(20_000);
      const header =
        'ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match';
      const ocd = await fake.send({ type: 'import-open-cookie-database', text: `${header}\n${'x\n'.repeat(500_000)}` });
      expect(ocd).toMatchObject({ ok: false, total: 500_000 });
      expect(ocd.issues).toHaveLength(100);
      const good =
        'id-1,Google Analytics,Analytics,_ga,google.com,Counts visits,2 years,Google,https://policies.google.com,0';
      const kept = await fake.send({
        type: 'import-open-cookie-database',
        text: `${header}\n${good}\n${'x\n'.repeat(500_000)}`,
      });
      expect(kept).toMatchObject({ ok: true, count: 1, problemCount: 500_000 });
      expect(kept.problems).toHaveLength(100);
      expect((await fake.send({ type: 'get-open-cookie-database' })).info).toMatchObject({
        count: 1,
        problemCount: 500_000,
        problems: expect.any(Array),
      });
    }, 60_000);

    it('imports a catalogue, binds it to a site, and computes that site’s findings with it', async () => {
      const fake = await background(`bg-${++dbCount}`);
      const mine = { ...extranet(), id: 'my-extranet', title: 'Extranet (imported)' };
      expect(await fake.send({ type: 'import-catalogue', text: JSON.stringify(mine) })).toEqual({
        ok: true,
        id: 'my-extranet',
        replaced: false,
      });
      expect(
        await fake.send({ type: 'bind-catalogue', site: '*.partenaires.example', catalogueId: 'my-extranet' }),
      ).toEqual({ ok: true });
      visitPage(fake, 5, 'https://extranet.partenaires.example/', [
        'ARRAffinity=VALUE; Path=/',
        'tracker=VALUE; Max-Age=86400',
      ]);
      const report = (await fake.send({ type: 'get-tab-report', tabId: 5 })).report;
      expect(report.catalogues.map((c: { id: string }) => c.id)).toEqual(['my-extranet']);
      expect(report.findings.filter((f: any) => f.kind === 'undeclared').map((f: any) => f.cookie.name)).toEqual([
        'tracker',
      ]);
      const listing = await fake.send({ type: 'list-catalogues' });
      expect(listing.catalogues.find((c: any) => c.catalogue.id === 'my-extranet')).toMatchObject({
        origin: 'imported',
      });
      expect(await fake.send({ type: 'remove-catalogue', id: 'my-extranet' })).toEqual({ ok: true });
      expect((await fake.send({ type: 'list-catalogues' })).bindings).toEqual([]);
      expect(await fake.send({ type: 'remove-catalogue', id: 'cnp-monespaceclient' })).toMatchObject({ ok: false });
    });

    it('applies the lifetime tolerance the user sets', async () => {
      const fake = await background(`bg-${++dbCount}`);
      visitPage(fake, 6, CNP, ['cookies_INFV_ASTER_x=VALUE; Max-Age=8500000']); // 3 months and 8 %
      const kinds = async () =>
        (await fake.send({ type: 'get-tab-report', tabId: 6 })).report.findings.map((f: any) => f.kind);
      expect(await kinds()).toContain('lifetime-exceeds-declared');
      expect(await fake.send({ type: 'put-settings', settings: { tolerancePercent: 10 } })).toMatchObject({
        ok: true,
        settings: { tolerancePercent: 10, retentionDays: 30 },
      });
      expect(await kinds()).not.toContain('lifetime-exceeds-declared');
      expect(await fake.send({ type: 'put-settings', settings: { tolerancePercent: -1 } })).toMatchObject({
        ok: false,
      });
    });

    it('keeps a setting as it was when writing it fails, and says so', async () => {
      const name = `bg-${++dbCount}`;
      let failSettings = false;
      const fake = fakeExtension();
      const openDb = async () => {
        const database = await openCookieLensDb(name);
        const put = database.put.bind(database);
        database.put = ((store: string, ...rest: unknown[]) =>
          failSettings && store === 'settings'
            ? Promise.reject(new DOMException('The disk is full', 'QuotaExceededError'))
            : (put as (...args: unknown[]) => Promise<IDBValidKey>)(store, ...rest)) as typeof database.put;
        return database;
      };
      startBackground(fake.browser, { isChrome: true, openDb });
      expect(await fake.send({ type: 'put-settings', settings: { tolerancePercent: 10 } })).toMatchObject({ ok: true });
      failSettings = true;
      expect(
        await fake.send({ type: 'put-settings', settings: { tolerancePercent: 50, language: 'fr' } }),
      ).toMatchObject({ ok: false, error: expect.stringContaining('disk is full') });
      expect((await fake.send({ type: 'get-settings' })).settings).toMatchObject({
        tolerancePercent: 10,
        language: 'auto',
      });
      expect(
        await fake.send({ type: 'bind-catalogue', site: 'example.test', catalogueId: 'cnp-monespaceclient' }),
      ).toMatchObject({ ok: false });
      expect((await fake.send({ type: 'list-catalogues' })).bindings).toEqual([]);
    });

    it('lists the history a page at a time, with the true count of the history and of each site', async () => {
      const db = `bg-${++dbCount}`;
      const database = await openCookieLensDb(db);
      const tx = database.transaction('visits', 'readwrite');
      for (let i = 0; i < 1500; i++) {
        void tx.store.put({
          id: `v${i}`,
          tabId: 1,
          site: i < 1200 ? 'big.example' : 'small.example',
          topHost: 'www.example',
          startedAt: i * 1000,
          endedAt: i * 1000 + 1,
          pages: 1,
          pageUrls: [],
          hosts: [],
          storeId: null,
        });
      }
      await tx.done;
      const fake = await background(db);
      const first = await fake.send({ type: 'list-visits', limit: 100 });
      expect(first).toMatchObject({ ok: true, total: 1500, siteCounts: { 'small.example': 300 } });
      expect(first.visits.map((v: { id: string }) => v.id).slice(0, 2)).toEqual(['v1499', 'v1498']);
      const later = await fake.send({ type: 'list-visits', offset: 1400, limit: 1000 });
      expect(later).toMatchObject({ total: 1500, siteCounts: { 'big.example': 1200 } });
      expect(later.visits).toHaveLength(100);
      expect(later.visits.at(-1).id).toBe('v0');
      expect(await fake.send({ type: 'list-visits', offset: -1 })).toMatchObject({ ok: false });
    });

    it('clears every observation when asked, and keeps catalogues and settings', async () => {
      const fake = await background(`bg-${++dbCount}`);
      visitPage(fake, 7, CNP, ['a=VALUE; Path=/']);
      await fake.send({ type: 'page-reports', reports: [] }, 7);
      expect((await fake.send({ type: 'list-visits' })).visits).toHaveLength(1);
      expect(await fake.send({ type: 'clear-data' })).toEqual({ ok: true });
      expect((await fake.send({ type: 'list-visits' })).visits).toEqual([]);
      expect((await fake.send({ type: 'get-tab-report', tabId: 7 })).report).toBeNull();
      expect((await fake.send({ type: 'list-catalogues' })).catalogues).toHaveLength(5);
    });
  });
});

describe('who the background answers', () => {
  it('has decided, for every request type, who may send it', () => {
    const types = RequestSchema.options.map((option) => option.entries.type.literal);
    expect(Object.keys(REQUEST_SENDERS).sort()).toEqual([...types].sort());
    for (const type of types) expect(REQUEST_SENDERS[type].length).toBeGreaterThan(0);
    // Only the relay's reports and the banner engine's messages are taken from a web page's frame.
    expect(types.filter((type) => REQUEST_SENDERS[type].includes('content-script'))).toEqual([
      'page-reports',
      'banner-engine',
    ]);
  });

  it('offers pages no other way in: no page or other extension may message it, nor frame its pages', async () => {
    for (const browser of ['chrome', 'firefox']) {
      const manifest = (wxtConfig.manifest as (env: { browser: string }) => Record<string, unknown>)({ browser });
      // Content scripts are registered by the background, and only while a setting needs them.
      expect(manifest).not.toHaveProperty('content_scripts');
      expect(manifest).not.toHaveProperty('externally_connectable');
      expect(manifest).not.toHaveProperty('web_accessible_resources');
    }
  });

  it('refuses every request but page reports and the banner engine’s from a content script, and acts on none', async () => {
    const fake = await background(`bg-${++dbCount}`);
    const extranet = bundledCatalogues().find((c) => c.id === 'europ-assistance-extranet-partenaires')!;
    // What the user has: a visit stored, a catalogue imported and bound, the Open Cookie Database, a setting.
    visitPage(fake, 1, CNP, ['JSESSIONID=VALUE; Path=/']);
    // A hostile page in another tab, whose renderer sends what its content script could.
    visitPage(fake, 2, 'https://hostile.example/');
    const hostile = contentScript(2, { url: 'https://hostile.example/' });
    // Answered once written: both visits are stored.
    expect(await fake.send({ type: 'page-reports', reports: [] }, hostile)).toEqual({ ok: true, stored: true });
    expect(
      await fake.send({ type: 'import-catalogue', text: JSON.stringify({ ...extranet, id: 'my-extranet' }) }),
    ).toMatchObject({ ok: true });
    expect(
      await fake.send({ type: 'bind-catalogue', site: 'extranet.example.fr', catalogueId: 'my-extranet' }),
    ).toEqual({ ok: true });
    expect(
      await fake.send({ type: 'import-open-cookie-database', text: fixture('open-cookie-database.csv') }),
    ).toMatchObject({ ok: true });
    expect(await fake.send({ type: 'put-settings', settings: { retentionDays: 90 } })).toMatchObject({ ok: true });
    const state = async () => ({
      visits: (await fake.send({ type: 'list-visits' })).visits,
      report: (await fake.send({ type: 'get-tab-report', tabId: 1 })).report?.items.map(
        (i: { name: string }) => i.name,
      ),
      catalogues: await fake.send({ type: 'list-catalogues' }),
      settings: (await fake.send({ type: 'get-settings' })).settings,
      ocd: (await fake.send({ type: 'get-open-cookie-database' })).info,
    });
    const before = await state();
    expect(before.visits).toHaveLength(2);
    expect(before.report).toEqual(['JSESSIONID']);
    const visitId = before.visits.find((visit: { tabId: number }) => visit.tabId === 1).id;

    const requests: {
      [T in Exclude<RequestInput['type'], 'page-reports' | 'banner-engine'>]: RequestInput & { type: T };
    } = {
      ping: { type: 'ping' },
      'get-tab-report': { type: 'get-tab-report', tabId: 1 },
      'get-tab-rows': { type: 'get-tab-rows', tabId: 1 },
      'get-cookie-details': {
        type: 'get-cookie-details',
        tabId: 1,
        visitId,
        cookie: {
          store: 'cookie',
          name: 'JSESSIONID',
          domain: 'monespaceclient.cnp.fr',
          path: '/',
          partitionKey: null,
        },
      },
      'get-visit-report': { type: 'get-visit-report', visitId },
      'list-visits': { type: 'list-visits' },
      'list-catalogues': { type: 'list-catalogues' },
      'import-catalogue': { type: 'import-catalogue', text: JSON.stringify({ ...extranet, id: 'planted' }) },
      'remove-catalogue': { type: 'remove-catalogue', id: 'my-extranet' },
      'bind-catalogue': { type: 'bind-catalogue', site: 'hostile.example', catalogueId: 'cnp-monespaceclient' },
      'unbind-catalogue': { type: 'unbind-catalogue', site: 'extranet.example.fr', catalogueId: 'my-extranet' },
      'get-settings': { type: 'get-settings' },
      'put-settings': { type: 'put-settings', settings: { retentionDays: 1 } },
      'clear-data': { type: 'clear-data' },
      'import-open-cookie-database': {
        type: 'import-open-cookie-database',
        text: fixture('open-cookie-database.csv'),
        fileName: 'planted.csv',
      },
      'get-open-cookie-database': { type: 'get-open-cookie-database', name: '_ga' },
      'remove-open-cookie-database': { type: 'remove-open-cookie-database' },
      'set-banner-mode': { type: 'set-banner-mode', mode: 'accept' },
      'get-banner-outcome': { type: 'get-banner-outcome', tabId: 1 },
    };
    for (const request of Object.values(requests)) {
      expect(await fake.send(request, hostile)).toEqual({
        ok: false,
        error: `"${request.type}" is not answered to a content-script`,
      });
    }
    // The same from a content script in the very tab asked about, and from one in a frame of it.
    expect(await fake.send({ type: 'get-tab-report', tabId: 1 }, contentScript(1, { url: CNP }))).toMatchObject({
      ok: false,
    });
    expect(await fake.send({ type: 'clear-data' }, contentScript(1, { url: CNP, frameId: 3 }))).toMatchObject({
      ok: false,
    });
    expect(await state()).toEqual(before);
  });

  it('takes a content script’s page reports for its own tab, whatever the message says', async () => {
    const fake = await background(`bg-${++dbCount}`);
    visitPage(fake, 1, CNP);
    visitPage(fake, 2, 'https://hostile.example/');
    const write = {
      kind: 'cookie-write',
      api: 'document.cookie',
      name: 'planted',
      attributes: 'path=/',
      deleted: false,
      at: Date.now(),
      scriptUrl: null,
      frameUrl: CNP,
    };
    const forged = { type: 'page-reports', tabId: 1, tab: { id: 1 }, reports: [write] };
    expect(await fake.send(forged, contentScript(2, { url: 'https://hostile.example/' }))).toMatchObject({ ok: true });
    expect((await fake.send({ type: 'get-tab-report', tabId: 1 })).report.items).toEqual([]);
  });

  it('takes from a frame only the reports of its own origin, as the browser tells it', async () => {
    const fake = await background(`bg-${++dbCount}`);
    visitPage(fake, 1, CNP);
    const at = Date.now();
    const write = (name: string, frameUrl: string) => scriptWrite(name, frameUrl, at);
    const storage = (origin: string) => ({
      kind: 'storage',
      area: 'localStorage',
      op: 'set',
      keys: ['planted_key'],
      origin,
      at,
      scriptUrl: null,
      frameUrl: CNP,
    });
    // A third-party frame of the tab (what a compromised renderer of it could send) names the top site, or another.
    const frame = contentScript(1, { url: 'https://widget.quantalys.com/frame', frameId: 2 });
    const forged = [
      write('planted_top', CNP),
      write('planted_elsewhere', 'https://elsewhere.example/'),
      storage('https://monespaceclient.cnp.fr'),
    ];
    expect(
      await fake.send(
        { type: 'page-reports', reports: [...forged, write('own', 'https://widget.quantalys.com/frame')] },
        frame,
      ),
    ).toMatchObject({ ok: true });
    const names = await namesOnceReported(fake, 1);
    expect(names).toEqual(['own']);
  });

  it('takes no report from a frame whose origin is opaque, and takes one from a frame of no told origin only for the tab’s own', async () => {
    const fake = await background(`bg-${++dbCount}`);
    visitPage(fake, 1, CNP);
    const at = Date.now();
    const write = (name: string, frameUrl: string) => scriptWrite(name, frameUrl, at);
    // A sandboxed frame (Chrome tells its opaque origin), and a Firefox about:blank frame (whose origin it does not tell).
    const sandboxed = { ...contentScript(1, { frameId: 4 }), url: 'about:srcdoc', origin: 'null' };
    const blank = { ...contentScript(1, { frameId: 5 }), url: 'about:blank' };
    expect(await fake.send({ type: 'page-reports', reports: [write('from_sandbox', CNP)] }, sandboxed)).toMatchObject({
      ok: true,
    });
    expect(
      await fake.send(
        { type: 'page-reports', reports: [write('elsewhere', 'https://elsewhere.example/'), write('blank_own', CNP)] },
        blank,
      ),
    ).toMatchObject({ ok: true });
    const names = await namesOnceReported(fake, 1);
    expect(names).toEqual(['blank_own']);
  });

  it('answers the extension’s pages, in a tab or not, and no one else', async () => {
    const fake = await background(`bg-${++dbCount}`);
    // The dashboard, and the popup opened as a page (as the CLI and the end-to-end tests do): senders with a tab.
    for (const page of [
      extensionPage('popup.html'),
      extensionPage('dashboard.html', 4),
      extensionPage('popup.html', 5),
    ]) {
      expect(await fake.send({ type: 'ping' }, page)).toMatchObject({ ok: true });
      expect(await fake.send({ type: 'get-settings' }, page)).toMatchObject({ ok: true });
      // An extension page has no page hook: reports come from content scripts only.
      expect(await fake.send({ type: 'page-reports', reports: [] }, page)).toMatchObject({ ok: false });
    }
    const popup = extensionPage('popup.html');
    const strangers = [
      {},
      { ...popup, id: 'another-extension' },
      { id: popup.id, url: 'https://hostile.example/' },
      { ...contentScript(2, { url: `${popup.url}.hostile.example/` }), origin: 'https://hostile.example' },
      { ...popup, url: popup.url!.replace('test-extension-id', 'test-extension-id.hostile.example') },
      { ...popup, origin: 'https://hostile.example' },
    ];
    for (const sender of strangers)
      expect(await fake.send({ type: 'clear-data' }, sender)).toMatchObject({ ok: false });
    expect((await fake.send({ type: 'list-catalogues' })).catalogues).toHaveLength(5);
  });
});
