import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { CNP, cnp } from './fixtures/sites';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { buildExtension, replyOf, type Evaluating } from './support/extension';

/**
 * A page whose renderer is compromised can run anything in the relay's isolated world, with its
 * `chrome.runtime.sendMessage`. Chromium's DevTools protocol does just that here: it evaluates in the relay's world of
 * a fixture site's tab, and the background must refuse all but that frame's reports.
 */

let server: FixtureServer;
let chromium: ChromiumSession;
beforeAll(async () => {
  server = await startFixtureServer();
  chromium = await launchChromium({ extensionPath: buildExtension('chrome'), hosts: server.hosts });
});
afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

/** Sends `message` from the extension's content script in the page's top frame (its isolated world) and returns the answer. */
async function sendFromContentScript(page: Page, extensionId: string, message: unknown): Promise<unknown> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: Array<{ id: number; origin: string; auxData?: { isDefault?: boolean; frameId?: string } }> = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => void contexts.push(context));
  // Runtime.enable tells of every context that exists already.
  await cdp.send('Runtime.enable');
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const relay = await poll(
    async () =>
      contexts.find(
        (c) =>
          c.origin === `chrome-extension://${extensionId}` &&
          c.auxData?.isDefault === false &&
          c.auxData.frameId === frameTree.frame.id,
      ),
    (found) => found !== undefined,
  );
  expect(relay, 'the relay’s isolated world in the top frame').toBeDefined();
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    contextId: relay!.id,
    expression: `chrome.runtime.sendMessage(${JSON.stringify(message)}).then((answer) => JSON.stringify(answer ?? null))`,
    awaitPromise: true,
    returnByValue: true,
  });
  await cdp.detach();
  expect(exceptionDetails).toBeUndefined();
  return JSON.parse(result.value as string);
}

describe('chromium: what a content script may ask', () => {
  it('refuses a page’s content script everything but its own reports, and the data stays', async () => {
    const page = await chromium.context.newPage();
    await page.goto(server.url(CNP), { waitUntil: 'load' });
    const ext: Evaluating & { close(): Promise<void> } = await chromium.openExtensionPage('popup.html');
    const visits = await poll(
      async () => (await replyOf(ext, { type: 'list-visits' })).visits,
      (v) => v.some((visit) => visit.topHost === CNP),
    );
    const visit = visits.find((v) => v.topHost === CNP)!;
    const report = async () => (await replyOf(ext, { type: 'get-tab-report', tabId: visit.tabId })).report;
    const before = await poll(
      report,
      (r) => (r?.items.filter((i) => i.store === 'cookie').length ?? 0) >= cnp.cookies.length,
    );

    // The relay's world can talk to the background: its reports are taken.
    expect(
      await sendFromContentScript(page, chromium.extensionId, { type: 'page-reports', reports: [] }),
    ).toMatchObject({ ok: true });
    for (const message of [
      { type: 'clear-data' },
      { type: 'get-tab-report', tabId: visit.tabId },
      { type: 'list-visits' },
      { type: 'put-settings', settings: { retentionDays: 1 } },
      { type: 'ping' },
    ]) {
      expect(await sendFromContentScript(page, chromium.extensionId, message)).toEqual({
        ok: false,
        error: `"${message.type}" is not answered to a content-script`,
      });
    }

    // The popup, opened as a tab, is still answered; nothing was cleared or changed.
    expect((await replyOf(ext, { type: 'list-visits' })).visits.map((v) => v.id)).toContain(visit.id);
    expect((await report())!.items.map((i) => i.name)).toEqual(
      expect.arrayContaining(before!.items.map((i) => i.name)),
    );
    expect((await replyOf(ext, { type: 'get-settings' })).settings.retentionDays).toBe(30);
    await page.close();
    await ext.close();
  });
});
