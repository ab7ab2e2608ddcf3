/* eslint-disable @typescript-eslint/no-explicit-any -- the fake extension's replies come untyped */
import { describe, expect, it } from 'vitest';
import { startBackground } from '.';
import { openCookieLensDb } from '../storage/db';
import { fakeExtension } from '../../tests/support/fake-extension';

const CNP = 'https://monespaceclient.cnp.fr/';
let dbCount = 0;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - start > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A cookie as the jar tells of it, its value included. */
const jarCookie = (name: string, value: string, domain = '.cnp.fr') => ({
  name,
  value,
  domain,
  path: '/',
  hostOnly: false,
  secure: true,
  httpOnly: false,
  sameSite: 'lax',
  session: false,
  expirationDate: Date.now() / 1000 + 390 * 86_400,
  storeId: '0',
});

/** Most tests tell the jar's changes as they happen: audit mode. Everyday mode reads the jar (`jar`, the test's to change). */
async function background(
  db: string,
  jar: Array<Record<string, unknown>> = [],
  openTabs: string[] = [],
  mode: 'audit' | 'everyday' = 'audit',
) {
  const fake = fakeExtension(jar);
  for (const url of openTabs) await fake.fakeBrowser.tabs.create({ url });
  startBackground(fake.browser, { isChrome: true, openDb: () => openCookieLensDb(db) });
  expect(await fake.send({ type: 'ping' })).toMatchObject({ ok: true });
  if (mode === 'audit')
    expect(await fake.send({ type: 'put-settings', settings: { auditMode: true } })).toMatchObject({ ok: true });
  const changed = (cookie: ReturnType<typeof jarCookie>, removed = false, cause = 'explicit') =>
    fake.cookies.onChanged.fire({ removed, cause, cookie });
  return { ...fake, changed };
}

function visitPage(fake: ReturnType<typeof fakeExtension>, tabId: number, url: string) {
  fake.webRequest.onHeadersReceived.fire({ tabId, url, type: 'main_frame' });
  fake.fakeBrowser.webNavigation.onCommitted.trigger({ tabId, frameId: 0, url } as never);
}

const visitOf = async (fake: ReturnType<typeof fakeExtension>, tabId: number) =>
  (await fake.send({ type: 'get-tab-report', tabId })).report?.visit;

/** The tab's visit once its consent changes are `count` long. */
const consentOnce = (fake: ReturnType<typeof fakeExtension>, tabId: number, count: number) =>
  until(
    () => visitOf(fake, tabId),
    (visit) => (visit?.consent?.length ?? 0) >= count,
  );

/** Everything stored, as text: to look for a value in it. */
async function storedText(db: string): Promise<string> {
  const database = await openCookieLensDb(db);
  const text = JSON.stringify([await database.getAll('visits'), await database.getAll('items')]);
  database.close();
  return text;
}

const YEAR = 31_536_000;
/** The page hook's report of CNP's page writing its consent cookie (TC_PRIVACY) for a year, at `at`. */
const yearLongConsentWrite = (at: number) => ({
  kind: 'cookie-write',
  api: 'document.cookie',
  name: 'TC_PRIVACY',
  deleted: false,
  at,
  attributes: `domain=.cnp.fr; path=/; max-age=${YEAR}`,
  scriptUrl: null,
  frameUrl: CNP,
});

const TC_ACCEPTED_PART = '0@002|12|3441@1%2C3@4@1592900933049,1592900933049,1624436933049';
const TC_REFUSED = '1@012|26|4221@@4@1592900933049,1592900933049,1624436933049';

describe('the consent platforms’ signals, in the background', () => {
  it('gives a tab’s visit the consent its site’s consent cookie says, as the jar changes, and keeps no value', async () => {
    const db = `consent-${++dbCount}`;
    const fake = await background(db);
    visitPage(fake, 1, CNP);
    await visitOf(fake, 1);
    const before = Date.now();
    fake.changed(jarCookie('TC_PRIVACY', TC_ACCEPTED_PART));
    const visit = await consentOnce(fake, 1, 1);
    expect(visit.consent).toEqual([
      {
        at: expect.any(Number),
        choice: 'accepted-part',
        granted: null,
        purposes: null,
        platformCategories: ['1', '3'],
        source: { kind: 'signal', platform: 'commanders-act', name: 'TC_PRIVACY' },
      },
    ]);
    expect(visit.consent[0].at).toBeGreaterThanOrEqual(before);

    fake.changed(jarCookie('TC_PRIVACY', TC_REFUSED));
    expect((await consentOnce(fake, 1, 2)).consent[1]).toMatchObject({ choice: 'refused' });

    const stored = await until(
      () => storedText(db),
      (text) => text.includes('"refused"'),
    );
    expect(stored).toContain('"accepted-part"');
    for (const value of [TC_ACCEPTED_PART, TC_REFUSED, '1592900933049', '3441', '4221'])
      expect(stored).not.toContain(value);
  });

  it('forgets the choice when the consent cookie is removed, not when it is overwritten', async () => {
    const fake = await background(`consent-${++dbCount}`);
    visitPage(fake, 1, CNP);
    await visitOf(fake, 1);
    const consent = jarCookie('tarteaucitron', '!gtag=false!facebook=false');
    fake.changed(consent);
    await consentOnce(fake, 1, 1);
    fake.changed(consent, true, 'overwrite');
    fake.changed(consent, true, 'explicit');
    const visit = await consentOnce(fake, 1, 2);
    expect(visit.consent.map((c: any) => `${c.choice}:${c.source.kind}:${c.source.name}`)).toEqual([
      'refused:signal:tarteaucitron',
      'no-choice:signal:tarteaucitron',
    ]);
  });

  it('counts a consent cookie it cannot read as a problem of the visit, with no change and no value', async () => {
    const db = `consent-${++dbCount}`;
    const fake = await background(db);
    visitPage(fake, 1, CNP);
    await visitOf(fake, 1);
    const hostile = 'eyJ1c2VyX2lkIjoiU0VDUkVULTQyIn0-not-json-SECRET-99';
    fake.changed(jarCookie('didomi_token', hostile));
    fake.changed(jarCookie('didomi_token', hostile));
    const visit = await until(
      () => visitOf(fake, 1),
      (v) => v?.consentProblems?.[0]?.count === 2,
    );
    expect(visit.consentProblems).toEqual([
      {
        platform: 'didomi',
        name: 'didomi_token',
        reason: 'malformed',
        count: 2,
        firstAt: expect.any(Number),
        lastAt: expect.any(Number),
      },
    ]);
    expect(visit.consent ?? []).toEqual([]);
    const stored = await until(
      () => storedText(db),
      (text) => text.includes('"count":2'),
    );
    expect(stored).not.toContain('SECRET');
    expect(stored).not.toContain('eyJ1c2VyX2lkIjoi');
  });

  it('reads a consent cookie for the visits of its own site only', async () => {
    const fake = await background(`consent-${++dbCount}`);
    visitPage(fake, 1, CNP);
    visitPage(fake, 2, 'https://www.amex.fr/');
    await visitOf(fake, 2);
    fake.changed(jarCookie('tarteaucitron', '!gtag=true', '.amex.fr'));
    expect((await consentOnce(fake, 2, 1)).consent[0]).toMatchObject({ choice: 'accepted-all' });
    fake.changed(jarCookie('tarteaucitron', '!gtag=false', 'www.cnp.fr'));
    expect((await consentOnce(fake, 1, 1)).consent[0]).toMatchObject({ choice: 'refused' });
    expect((await visitOf(fake, 2)).consent).toHaveLength(1);
  });

  it('puts OneTrust’s two cookies together, whichever the jar reports first', async () => {
    const fake = await background(`consent-${++dbCount}`);
    visitPage(fake, 1, CNP);
    await visitOf(fake, 1);
    fake.changed(jarCookie('OptanonAlertBoxClosed', '2026-11-30T10:00:00.000Z'));
    fake.changed(
      jarCookie('OptanonConsent', 'interactionCount=0&consentId=abc-123&groups=C0001%3A1%2CC0002%3A1%2CC0004%3A0'),
    );
    const visit = await consentOnce(fake, 1, 1);
    expect(visit.consent).toHaveLength(1);
    expect(visit.consent[0]).toMatchObject({
      choice: 'accepted-part',
      granted: ['audience-measurement', 'performance'],
      source: { kind: 'signal', platform: 'onetrust', name: 'OptanonConsent' },
    });
  });

  it('in everyday mode reads a consent cookie the page wrote from the jar, as holding from the page’s write, reported late or not', async () => {
    const jar: Array<Record<string, unknown>> = [];
    const fake = await background(`consent-${++dbCount}`, jar, [], 'everyday');
    visitPage(fake, 1, CNP);
    await visitOf(fake, 1);
    const wroteAt = Date.now() - 500;
    jar.push(jarCookie('TC_PRIVACY', TC_REFUSED));
    // Read before the page's report of the write came: the choice waits for it rather than be placed at the read.
    expect((await visitOf(fake, 1)).consent ?? []).toEqual([]);
    const write = { kind: 'cookie-write', api: 'document.cookie', name: 'TC_PRIVACY', deleted: false, at: wroteAt };
    const report = { ...write, attributes: 'domain=.cnp.fr; path=/', scriptUrl: null, frameUrl: CNP };
    expect(await fake.send({ type: 'page-reports', reports: [report] }, 1)).toMatchObject({ ok: true });
    // Nobody asks: the jar read a moment after the write says the choice.
    const visit = await until(
      async () => (await fake.send({ type: 'get-tab-rows', tabId: 1, first: 1 })).view?.visit,
      (v) => (v?.consent?.length ?? 0) >= 1,
    );
    expect(visit.consent[0]).toMatchObject({
      at: wroteAt,
      choice: 'refused',
      source: { kind: 'signal', platform: 'commanders-act', name: 'TC_PRIVACY' },
    });
  }, 30_000);

  it('in everyday mode never pins a consent cookie read from the jar on an earlier write of it', async () => {
    const jar: Array<Record<string, unknown>> = [];
    const fake = await background(`consent-${++dbCount}`, jar, [], 'everyday');
    visitPage(fake, 1, CNP);
    await visitOf(fake, 1);
    // The page wrote its consent cookie on load (reported), then the visitor refused: the jar holds the refusal's
    // write (its expiry a year from the click) before the page reports it.
    const loadedAt = Date.now() - 10_000;
    const refusedAt = Date.now() - 100;
    jar.push({ ...jarCookie('TC_PRIVACY', TC_REFUSED), expirationDate: refusedAt / 1000 + YEAR });
    expect(await fake.send({ type: 'page-reports', reports: [yearLongConsentWrite(loadedAt)] }, 1)).toMatchObject({
      ok: true,
    });
    expect((await visitOf(fake, 1)).consent ?? []).toEqual([]);
    expect(await fake.send({ type: 'page-reports', reports: [yearLongConsentWrite(refusedAt)] }, 1)).toMatchObject({
      ok: true,
    });
    const visit = await until(
      () => visitOf(fake, 1),
      (v) => (v?.consent?.length ?? 0) >= 1,
    );
    expect(visit.consent).toHaveLength(1);
    expect(visit.consent[0]).toMatchObject({ at: refusedAt, choice: 'refused' });
  }, 30_000);

  it('in everyday mode moves a choice read from the jar to the page’s later write of it, reported after the read', async () => {
    const jar: Array<Record<string, unknown>> = [];
    const fake = await background(`consent-${++dbCount}`, jar, [], 'everyday');
    visitPage(fake, 1, CNP);
    await visitOf(fake, 1);
    // The page wrote its consent cookie on load, and the visitor refused a moment later: both writes ask for a year,
    // so the jar's expiry cannot tell them apart. The read comes before the refusal's report.
    const loadedAt = Date.now() - 800;
    const refusedAt = Date.now() - 300;
    expect(await fake.send({ type: 'page-reports', reports: [yearLongConsentWrite(loadedAt)] }, 1)).toMatchObject({
      ok: true,
    });
    jar.push({ ...jarCookie('TC_PRIVACY', TC_REFUSED), expirationDate: refusedAt / 1000 + YEAR });
    await visitOf(fake, 1);
    expect(await fake.send({ type: 'page-reports', reports: [yearLongConsentWrite(refusedAt)] }, 1)).toMatchObject({
      ok: true,
    });
    const visit = await until(
      () => visitOf(fake, 1),
      (v) => v?.consent?.[0]?.at === refusedAt,
    );
    expect(visit.consent).toHaveLength(1);
    expect(visit.consent[0]).toMatchObject({ at: refusedAt, choice: 'refused' });
  }, 30_000);

  it('reads the consent cookies the jar already holds when the visit starts, as holding from its first request', async () => {
    const db = `consent-${++dbCount}`;
    const didomi = Buffer.from(
      JSON.stringify({ user_id: 'visitor-SECRET-777', purposes: { enabled: [], disabled: ['analytics'] } }),
    ).toString('base64url');
    const fake = await background(db, [jarCookie('didomi_token', didomi)]);
    visitPage(fake, 1, CNP);
    // The platform's script is requested before the jar has answered: the cookie, read then, says the choice.
    fake.webRequest.onHeadersReceived.fire({
      tabId: 1,
      url: 'https://sdk.privacy-center.org/loader.js',
      type: 'script',
    });
    const visit = await consentOnce(fake, 1, 1);
    expect(visit.consent[0]).toMatchObject({
      choice: 'refused',
      source: { kind: 'signal', platform: 'didomi', name: 'didomi_token' },
    });
    expect(visit.consent[0].at).toBe(visit.startedAt);
    // Time for a wrong "no choice" to come, if it were to.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await visitOf(fake, 1)).consent).toHaveLength(1);
    const stored = await until(
      () => storedText(db),
      (text) => text.includes('"refused"'),
    );
    expect(stored).not.toContain(didomi);
    expect(stored).not.toContain('SECRET');
  });

  it('says no choice yet once a tab loads a consent platform’s script and no consent cookie said one', async () => {
    const fake = await background(`consent-${++dbCount}`);
    visitPage(fake, 1, CNP);
    await visitOf(fake, 1);
    const script = { tabId: 1, url: 'https://cdn.cookielaw.org/scripttemplates/otSDKStub.js', type: 'script' };
    fake.webRequest.onHeadersReceived.fire(script);
    fake.webRequest.onHeadersReceived.fire({ ...script, url: 'https://cdn.cookielaw.org/consent/abc/abc.json' });
    fake.webRequest.onHeadersReceived.fire({ ...script, url: `${CNP}js/tarteaucitron/tarteaucitron.js` });
    const visit = await consentOnce(fake, 1, 1);
    expect(visit.consent).toEqual([
      {
        at: expect.any(Number),
        choice: 'no-choice',
        granted: null,
        purposes: null,
        platformCategories: null,
        source: { kind: 'platform-loaded', platform: 'onetrust', host: 'cdn.cookielaw.org' },
      },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await visitOf(fake, 1)).consent).toHaveLength(1);
    // The choice, then, comes from the platform's cookies.
    fake.changed(jarCookie('OptanonAlertBoxClosed', '2026-11-30T10:00:00.000Z'));
    fake.changed(jarCookie('OptanonConsent', 'interactionCount=1&groups=C0001%3A1%2CC0002%3A0'));
    expect((await consentOnce(fake, 1, 2)).consent[1]).toMatchObject({ choice: 'refused' });
  });

  it('gives a report asked while the jar is slow to answer the platform’s "no choice yet"', async () => {
    const fake = await background(`consent-${++dbCount}`);
    visitPage(fake, 1, CNP);
    await visitOf(fake, 1);
    // A busy machine: the jar answers the script host's snapshot only after the report is asked.
    const answer = fake.cookies.getAll;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    fake.cookies.getAll = async (details) => {
      await released;
      return answer(details);
    };
    fake.webRequest.onHeadersReceived.fire({
      tabId: 1,
      url: 'https://cdn.cookielaw.org/scripttemplates/otSDKStub.js',
      type: 'script',
    });
    const report = fake.send({ type: 'get-tab-report', tabId: 1 });
    setTimeout(release, 0);
    expect((await report).report.visit.consent).toMatchObject([
      { choice: 'no-choice', source: { kind: 'platform-loaded', platform: 'onetrust' } },
    ]);
  });

  it('keeps a visit’s consent when the background is stopped and woken, and goes on from it', async () => {
    const db = `consent-${++dbCount}`;
    const first = await background(db);
    visitPage(first, 1, CNP);
    await visitOf(first, 1);
    first.changed(jarCookie('tarteaucitron', '!gtag=false'));
    const visitId = (await consentOnce(first, 1, 1)).id;
    await until(
      () => storedText(db),
      (text) => text.includes('"refused"'),
    );

    // A new service on the same database, the tab still open on the site, the jar now holding the acceptance.
    const second = await background(db, [jarCookie('tarteaucitron', '!gtag=true')], [CNP]);
    const visit = await consentOnce(second, 1, 2);
    expect(visit.id).toBe(visitId);
    expect(visit.consent.map((c: any) => c.choice)).toEqual(['refused', 'accepted-all']);
  });

  it('carries OneTrust’s state across a stopped and woken worker without repeating it', async () => {
    const db = `consent-${++dbCount}`;
    const groups = jarCookie('OptanonConsent', 'interactionCount=0&groups=C0001%3A1%2CC0002%3A0%2CC0004%3A0');
    const closed = jarCookie('OptanonAlertBoxClosed', '2026-11-30T10:00:00.000Z');
    const first = await background(db);
    visitPage(first, 1, CNP);
    await visitOf(first, 1);
    first.changed(groups);
    first.changed(closed);
    await consentOnce(first, 1, 2);
    await until(
      () => storedText(db),
      (text) => text.includes('"refused"'),
    );

    const second = await background(db, [closed, groups], [CNP]);
    await consentOnce(second, 1, 2);
    // Time for the jar's account on waking to come in, and for a repeat, if there were to be one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const visit = await visitOf(second, 1);
    expect(visit.consent.map((c: any) => `${c.choice}:${c.source.name}`)).toEqual([
      'no-choice:OptanonConsent',
      'refused:OptanonAlertBoxClosed',
    ]);
  });
});
