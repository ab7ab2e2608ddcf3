import { chromium as playwright } from 'playwright-core';
import { startFixtureServer } from '../tests/e2e/fixtures/server';
import { CNP } from '../tests/e2e/fixtures/sites';
import { launchChromium } from '../tests/e2e/support/chromium';
import { buildExtension } from '../tests/e2e/support/extension';
import { makeTmpDir, removeTmpDir } from '../tests/e2e/support/tmp';

/**
 * Page-load time of the fixture page that sets 50 cookies (25 by header, 25 by script), in headless Chromium with
 * and without the extension, as the ratio of the medians. Loads alternate between the two browsers so that
 * machine noise hits both alike; each load is a fresh tab with the jar emptied first.
 */
const LOADS = 25;
/** BENCH_EXTENSION_PATH measures another build of the extension (e.g. to compare changes). */
const extensionPath = () => process.env.BENCH_EXTENSION_PATH ?? buildExtension('chrome');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchPageLoad(): Promise<Record<string, number>> {
  const server = await startFixtureServer();
  const url = server.url(CNP, '/fifty');
  const withExtension = await launchChromium({ extensionPath: extensionPath(), hosts: server.hosts });
  const profile = makeTmpDir('bench-plain');
  const plain = await playwright.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--ignore-certificate-errors', `--host-resolver-rules=${server.hosts.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`],
  });
  const times: Record<'with' | 'without', number[]> = { with: [], without: [] };
  try {
    for (let i = 0; i < LOADS + 2; i++) {
      for (const [label, context] of [['with', withExtension.context], ['without', plain]] as const) {
        await context.clearCookies();
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'load' });
        const ms = await page.evaluate(() => {
          const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
          return nav!.loadEventEnd - nav!.startTime;
        });
        await page.close();
        if (i >= 2) times[label].push(ms); // the first loads warm caches and the worker
      }
    }
  } finally {
    await withExtension.close();
    await plain.close();
    removeTmpDir(profile);
    server.close();
  }
  const withMs = median(times.with);
  const withoutMs = median(times.without);
  return {
    pageLoadMsWith50: Math.round(withMs * 10) / 10,
    pageLoadMsWithout50: Math.round(withoutMs * 10) / 10,
    pageLoadRatio50: Math.round((withMs / withoutMs) * 1000) / 1000,
  };
}
