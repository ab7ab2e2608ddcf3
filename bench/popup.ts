import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { startFixtureServer } from '../tests/e2e/fixtures/server';
import { CNP, MUTUELLE } from '../tests/e2e/fixtures/sites';
import { launchChromium, type ChromiumSession } from '../tests/e2e/support/chromium';
import { askBackground, buildExtension } from '../tests/e2e/support/extension';

/**
 * The popup with 1,000 cookies on its tab, in headless Chromium with the built extension, from navigating to
 * popup.html?tabId=N (the median of several openings, each in a new tab, after one that warms the caches):
 * - popupRenderMs1k: to the list's first screen laid out and painted (the popup's `cookie-lens:list-rendered` mark);
 * - popupRenderAllMs1k: to all 1,000 rows in the page (`cookie-lens:list-complete`; the popup adds them by slices);
 * - popupBlankMs: its floor, the same popup opened on a tab with no cookies, to its first paint (the same mark),
 *   each opening right after a 1k one, so that both see the machine alike; popupRenderRatio1k is the ratio of the
 *   two, steadier from one machine to another than the absolute time;
 * - popupJsGzipBytes: the gzipped JavaScript the popup loads when it opens (its entry chunk and the chunks it
 *   preloads; the exporters it loads on demand are not counted).
 */
const OPENINGS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The popup's script and the module chunks it preloads, as popup.html lists them. */
export function popupJsGzipBytes(extensionPath: string): number {
  const html = readFileSync(`${extensionPath}/popup.html`, 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  if (files.length === 0) throw new Error('popup.html lists no script');
  return files.reduce(
    (total, file) => total + gzipSync(readFileSync(`${extensionPath}/${file.replace(/^\//, '')}`), { level: 9 }).length,
    0,
  );
}

async function itemsOf(page: Page, tabId: number): Promise<number> {
  const answer = await askBackground(page, { type: 'get-tab-report', tabId });
  return answer.ok ? (answer.report?.items.length ?? 0) : 0;
}

/** The id of the tab showing `url`, as the extension sees it. */
function tabIdOf(page: Page, url: string): Promise<number> {
  return page.evaluate(async (url) => {
    const api = (
      globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<Array<{ id: number; url: string }>> } } }
    ).chrome;
    return (await api.tabs.query({})).find((tab) => tab.url.startsWith(url))!.id;
  }, url);
}

/** Opens the popup of `tabId` in a new tab, waits until `until` is painted, and returns its marks (ms) and rows. */
async function openPopup(chromium: ChromiumSession, tabId: number, until: 'rendered' | 'complete') {
  const page = await chromium.context.newPage();
  await page.setViewportSize({ width: 800, height: 600 });
  await page.goto(`chrome-extension://${chromium.extensionId}/popup.html?tabId=${tabId}`);
  await page.waitForSelector(`body[data-${until}]`, { timeout: 20_000 });
  const measured = await page.evaluate(() => ({
    first: performance.getEntriesByName('cookie-lens:list-rendered')[0]!.startTime,
    all: performance.getEntriesByName('cookie-lens:list-complete')[0]?.startTime ?? NaN,
    rows: document.querySelectorAll('[data-cookie]').length,
  }));
  await page.close();
  return measured;
}

export async function benchPopup(): Promise<Record<string, number>> {
  const extensionPath = buildExtension('chrome');
  const server = await startFixtureServer();
  const chromium = await launchChromium({ extensionPath, hosts: server.hosts });
  try {
    const site = await chromium.context.newPage();
    await site.goto(server.url(CNP, '/thousand'), { waitUntil: 'load' });
    // Any extension page will do to ask the background; this one is not measured.
    const popup = await chromium.openExtensionPage('popup.html');
    const tabId = await tabIdOf(popup, server.url(CNP, '/thousand'));
    // A page of a host that sets no cookie and has none in the jar.
    const blank = await chromium.context.newPage();
    await blank.goto(server.url(MUTUELLE, '/quiet-frame'), { waitUntil: 'load' });
    const blankTabId = await tabIdOf(popup, server.url(MUTUELLE, '/quiet-frame'));
    const deadline = Date.now() + 30_000;
    let seen = 0;
    while ((seen = await itemsOf(popup, tabId)) < 1000 && Date.now() < deadline) await popup.waitForTimeout(200);
    if (seen < 1000) throw new Error(`the tab's report holds ${seen} items, not 1,000`);
    if ((await itemsOf(popup, blankTabId)) > 0) throw new Error('the blank tab has cookies');

    const first: number[] = [];
    const all: number[] = [];
    const blankFirst: number[] = [];
    for (let i = 0; i <= OPENINGS; i++) {
      const measured = await openPopup(chromium, tabId, 'complete');
      if (measured.rows < 1000) throw new Error(`the popup shows ${measured.rows} rows, not 1,000`);
      const blankMeasured = await openPopup(chromium, blankTabId, 'rendered');
      if (blankMeasured.rows > 0) throw new Error(`the blank tab's popup shows ${blankMeasured.rows} rows`);
      if (i > 0) {
        first.push(measured.first);
        all.push(measured.all);
        blankFirst.push(blankMeasured.first);
      }
    }
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      popupRenderMs1k: round(median(first)),
      popupRenderAllMs1k: round(median(all)),
      popupBlankMs: round(median(blankFirst)),
      popupRenderRatio1k: Math.round((median(first) / median(blankFirst)) * 1000) / 1000,
      popupJsGzipBytes: popupJsGzipBytes(extensionPath),
    };
  } finally {
    await chromium.close();
    await server.close();
  }
}
