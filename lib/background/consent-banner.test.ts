/* eslint-disable @typescript-eslint/no-explicit-any -- the fake extension's replies come untyped */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startBackground } from '.';
import { openCookieLensDb } from '../storage/db';
import { contentScript, extensionPage, fakeExtension } from '../../tests/support/fake-extension';
import { AUTOCONSENT_RULES_FILE, BANNER_SCRIPT_ID } from './consent-banner';

const SITE = 'https://www.banniere.example/';
const rulesJson = readFileSync(
  createRequire(import.meta.url).resolve('@duckduckgo/autoconsent/rules/rules.json'),
  'utf8',
);
let dbCount = 0;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - start > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function background() {
  const fake = fakeExtension();
  const dbName = `banner-${++dbCount}`;
  startBackground(fake.browser, { isChrome: true, openDb: () => openCookieLensDb(dbName) });
  expect(await fake.send({ type: 'ping' })).toMatchObject({ ok: true });
  return fake;
}

function visitPage(fake: Awaited<ReturnType<typeof background>>, tabId: number, url: string) {
  fake.webRequest.onHeadersReceived.fire({ tabId, url, type: 'main_frame' });
  fake.fakeBrowser.webNavigation.onCommitted.trigger({ tabId, frameId: 0, url } as never);
}

/** A message of the banner engine's content script in the tab's frame (the top one by default). */
const engine = (fake: Awaited<ReturnType<typeof background>>, tabId: number, message: unknown, frameId = 0) =>
  fake.send({ type: 'banner-engine', message }, contentScript(tabId, { url: SITE, frameId }));

const consentOf = async (fake: Awaited<ReturnType<typeof background>>, tabId: number) =>
  (await fake.send({ type: 'get-tab-report', tabId })).report?.visit.consent ?? [];

beforeEach(() => {
  vi.stubGlobal('fetch', async (url: string) => {
    expect(url).toMatch(new RegExp(`/${AUTOCONSENT_RULES_FILE}$`));
    return new Response(rulesJson);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the banner engine', () => {
  it('is not registered while the setting is off, and only while the setting or an audit asks for it', async () => {
    const fake = await background();
    expect(fake.scripting.registered.size).toBe(0);

    expect(await fake.send({ type: 'put-settings', settings: { answerBanners: 'refuse' } })).toMatchObject({
      ok: true,
    });
    expect(fake.scripting.registered.get(BANNER_SCRIPT_ID)).toEqual({
      id: BANNER_SCRIPT_ID,
      js: ['consent-banner.js'],
      matches: ['<all_urls>'],
      allFrames: true,
      runAt: 'document_start',
      persistAcrossSessions: false,
    });
    // Asked again: still one.
    await fake.send({ type: 'put-settings', settings: { answerBanners: 'accept' } });
    expect(fake.scripting.registered.size).toBe(1);
    await fake.send({ type: 'put-settings', settings: { answerBanners: 'off' } });
    expect(fake.scripting.registered.size).toBe(0);

    expect(await fake.send({ type: 'set-banner-mode', mode: 'detect' })).toEqual({
      ok: true,
      mode: 'detect',
      rules: 0,
    });
    expect(fake.scripting.registered.size).toBe(1);
    expect(await fake.send({ type: 'set-banner-mode', mode: 'off' })).toMatchObject({ ok: true });
    expect(fake.scripting.registered.size).toBe(0);
  });

  it('answers init with the action the mode asks for, and with autoconsent’s rules for the frame', async () => {
    const fake = await background();
    visitPage(fake, 1, SITE);
    const init = async () => (await engine(fake, 1, { type: 'init', url: 'https://forged.example/' })).reply;

    // Off (a script left from before): autoconsent disabled.
    expect((await init()).config).toMatchObject({ enabled: false });

    await fake.send({ type: 'put-settings', settings: { answerBanners: 'refuse' } });
    const refusing = await init();
    expect(refusing.type).toBe('initResp');
    expect(refusing.config).toMatchObject({
      enabled: true,
      autoAction: 'optOut',
      enableCosmeticRules: false,
      enableHeuristicDetection: false,
    });
    const names = refusing.rules.autoconsent.map((rule: { name: string }) => rule.name);
    expect(names).toContain('didomi');
    // Only the top frame's rules, and no rule for another site.
    expect(refusing.rules.autoconsent.every((rule: any) => rule.runContext?.main !== false)).toBe(true);
    expect(refusing.rules.autoconsent.every((rule: any) => !rule.runContext?.urlPattern)).toBe(true);

    await fake.send({ type: 'put-settings', settings: { answerBanners: 'accept' } });
    expect((await init()).config).toMatchObject({ autoAction: 'optIn' });

    // The audit's mode wins over the setting; detecting, nothing is hidden.
    await fake.send({ type: 'set-banner-mode', mode: 'detect' });
    expect((await init()).config).toMatchObject({ enabled: true, autoAction: null, enablePrehide: false });
  });

  it('answers with the project’s rules while autoconsent’s cannot be loaded, and loads them for the next frame', async () => {
    let failing = true;
    vi.stubGlobal('fetch', async () => (failing ? Promise.reject(new Error('offline')) : new Response(rulesJson)));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const fake = await background();
    await fake.send({ type: 'set-banner-mode', mode: 'refuse' });
    const names = async () =>
      (await engine(fake, 1, { type: 'init' })).reply.rules.autoconsent.map((rule: { name: string }) => rule.name);
    expect(await names()).not.toContain('didomi');
    failing = false;
    expect(await names()).toContain('didomi');
  });

  it('answers only the extension’s content script in a tab, never an extension page', async () => {
    const fake = await background();
    await fake.send({ type: 'put-settings', settings: { answerBanners: 'refuse' } });
    expect(await fake.send({ type: 'banner-engine', message: { type: 'init' } }, extensionPage())).toEqual({
      ok: false,
      error: '"banner-engine" is not answered to a extension-page',
    });
    // Another extension's, or a sender the browser does not name as a content script.
    expect(
      await fake.send(
        { type: 'banner-engine', message: { type: 'popupFound', cmp: 'x' } },
        { ...contentScript(1), id: 'another-extension' },
      ),
    ).toMatchObject({ ok: false });
    expect(await fake.send({ type: 'set-banner-mode', mode: 'accept' }, contentScript(1))).toMatchObject({
      ok: false,
    });
    expect(fake.scripting.registered.size).toBe(1);
  });

  it('makes a recognised banner, then its refusal, consent changes of the sender’s tab’s visit', async () => {
    const fake = await background();
    visitPage(fake, 1, SITE);
    visitPage(fake, 2, 'https://other.example/');
    await fake.send({ type: 'put-settings', settings: { answerBanners: 'refuse' } });
    const outcome = async (tabId: number) => (await fake.send({ type: 'get-banner-outcome', tabId })).outcome;

    await engine(fake, 1, { type: 'init' });
    expect(await outcome(1)).toEqual({ status: 'pending', rule: null, action: null, clicks: null, at: null });
    await engine(fake, 1, { type: 'cmpDetected', cmp: 'didomi', url: 'https://other.example/' });
    await engine(fake, 1, { type: 'popupFound', cmp: 'didomi' });
    expect(await outcome(1)).toMatchObject({ status: 'pending', rule: 'didomi' });
    const beforeClicks = Date.now();
    await engine(fake, 1, { type: 'answerStarting', action: 'opt-out' });
    const afterClicksStarted = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await engine(fake, 1, { type: 'optOutResult', cmp: 'didomi', result: true, scheduleSelfTest: false });
    await engine(fake, 1, { type: 'autoconsentDone', cmp: 'didomi', totalClicks: 1, isCosmetic: false });

    expect(await outcome(1)).toMatchObject({ status: 'answered', rule: 'didomi', action: 'opt-out', clicks: 1 });
    const changes = await until(
      () => consentOf(fake, 1),
      (changes) => changes.length === 2,
    );
    expect(changes.map((c: any) => ({ choice: c.choice, source: c.source }))).toEqual([
      { choice: 'no-choice', source: { kind: 'banner', rule: 'didomi', action: 'detected', clicks: null } },
      { choice: 'refused', source: { kind: 'banner', rule: 'didomi', action: 'opt-out', clicks: 1 } },
    ]);
    // The refusal counts from the engine's first click, not from when autoconsent told its result.
    expect(changes[1].at).toBeGreaterThanOrEqual(beforeClicks);
    expect(changes[1].at).toBeLessThanOrEqual(afterClicksStarted);
    // What the message names counts for nothing: the other tab has no consent change.
    expect(await consentOf(fake, 2)).toEqual([]);
    expect(await outcome(2)).toMatchObject({ status: 'pending', rule: null });

    // The site's next page, where the platform is met again without its banner: still refused.
    await engine(fake, 1, { type: 'init' });
    await engine(fake, 1, { type: 'cmpDetected', cmp: 'didomi' });
    await engine(fake, 1, { type: 'detectionEnded' });
    expect((await consentOf(fake, 1)).map((c: any) => c.choice)).toEqual(['no-choice', 'refused']);
    expect(await outcome(1)).toMatchObject({ status: 'answered' });
  });

  it('records an acceptance, and tells a failed answer from a banner only detected', async () => {
    const fake = await background();
    visitPage(fake, 1, SITE);
    visitPage(fake, 2, SITE);
    visitPage(fake, 3, SITE);
    await fake.send({ type: 'set-banner-mode', mode: 'accept' });
    await engine(fake, 1, { type: 'popupFound', cmp: 'onetrust' });
    await engine(fake, 1, { type: 'optInResult', cmp: 'onetrust', result: true });
    expect((await fake.send({ type: 'get-banner-outcome', tabId: 1 })).outcome).toMatchObject({
      status: 'answered',
      action: 'opt-in',
      clicks: null,
    });
    expect((await consentOf(fake, 1)).at(-1)).toMatchObject({
      choice: 'accepted-all',
      source: { kind: 'banner', rule: 'onetrust', action: 'opt-in' },
    });

    await engine(fake, 2, { type: 'popupFound', cmp: 'onetrust' });
    await engine(fake, 2, { type: 'optInResult', cmp: 'onetrust', result: false });
    expect((await fake.send({ type: 'get-banner-outcome', tabId: 2 })).outcome).toMatchObject({
      status: 'failed',
      rule: 'onetrust',
      action: 'opt-in',
    });
    expect((await consentOf(fake, 2)).map((c: any) => c.choice)).toEqual(['no-choice']);

    await fake.send({ type: 'set-banner-mode', mode: 'detect' });
    await engine(fake, 3, { type: 'popupFound', cmp: 'onetrust' });
    expect((await fake.send({ type: 'get-banner-outcome', tabId: 3 })).outcome).toMatchObject({
      status: 'detected',
      rule: 'onetrust',
      action: null,
    });
  });

  it('says a banner was not recognised once the top frame’s detection ended without one', async () => {
    const fake = await background();
    visitPage(fake, 1, SITE);
    await fake.send({ type: 'set-banner-mode', mode: 'refuse' });
    await engine(fake, 1, { type: 'init' });
    await engine(fake, 1, { type: 'detectionEnded' }, 5);
    expect((await fake.send({ type: 'get-banner-outcome', tabId: 1 })).outcome.status).toBe('pending');
    await engine(fake, 1, { type: 'detectionEnded' });
    expect((await fake.send({ type: 'get-banner-outcome', tabId: 1 })).outcome.status).toBe('not-recognised');
    // A frame that finds one later.
    await engine(fake, 1, { type: 'popupFound', cmp: 'sourcepoint-frame' }, 5);
    expect((await fake.send({ type: 'get-banner-outcome', tabId: 1 })).outcome).toMatchObject({
      status: 'pending',
      rule: 'sourcepoint-frame',
    });
  });

  it('runs only autoconsent’s own snippets, by id, in the sender’s frame’s main world', async () => {
    const fake = await background();
    await fake.send({ type: 'set-banner-mode', mode: 'refuse' });
    expect(
      await engine(fake, 4, { type: 'eval', id: 'e1', code: 'steal()', snippetId: 'EVAL_DIDOMI_OPT_OUT' }, 7),
    ).toEqual({ ok: true, reply: { type: 'evalResp', id: 'e1', result: true } });
    expect(fake.scripting.executed).toHaveLength(1);
    expect(fake.scripting.executed[0]).toMatchObject({ target: { tabId: 4, frameIds: [7] }, world: 'MAIN' });
    expect(String(fake.scripting.executed[0].func)).toContain('setUserDisagreeToAll');

    expect(await engine(fake, 4, { type: 'eval', id: 'e2', code: 'steal()', snippetId: 'toString' })).toEqual({
      ok: true,
      reply: { type: 'evalResp', id: 'e2', result: false },
    });
    expect(await engine(fake, 4, { type: 'eval', id: 'e3', code: 'steal()' })).toMatchObject({
      reply: { result: false },
    });
    expect(fake.scripting.executed).toHaveLength(1);
  });

  it('takes an audit’s extra rules, and refuses wrong ones saying what is wrong, in the asker’s language', async () => {
    const fake = await background();
    visitPage(fake, 1, SITE);
    const rule = {
      name: 'fixture-platform',
      detectCmp: [{ exists: '#fixture-banner' }],
      detectPopup: [{ visible: '#fixture-banner' }],
      optIn: [{ waitForThenClick: '#fixture-accept' }],
      optOut: [{ waitForThenClick: '#fixture-refuse' }],
    };
    expect(await fake.send({ type: 'set-banner-mode', mode: 'refuse', rules: [rule] })).toEqual({
      ok: true,
      mode: 'refuse',
      rules: 1,
    });
    const reply = (await engine(fake, 1, { type: 'init' })).reply;
    expect(reply.rules.autoconsent[0]).toEqual(rule);

    const wrong = await fake.send({
      type: 'set-banner-mode',
      mode: 'accept',
      rules: [{ ...rule, optOut: [{ clik: '#fixture-refuse' }] }],
      language: 'fr',
    });
    expect(wrong).toMatchObject({ ok: false, error: 'Les règles de consentement ont été refusées.' });
    expect(wrong.problems).toEqual(['règle 1 (« fixture-platform ») › optOut.0.clik: clé inconnue "clik"']);
    // Refused: the mode and its rules are as they were.
    expect((await engine(fake, 1, { type: 'init' })).reply.config.autoAction).toBe('optOut');
  });
});
