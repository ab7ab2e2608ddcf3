import { spawn } from 'node:child_process';
import { startFixtureServer, type FixtureServer } from '../tests/e2e/fixtures/server';
import { CNP } from '../tests/e2e/fixtures/sites';
import { buildExtension } from '../tests/e2e/support/extension';
import { makeTmpDir, removeTmpDir } from '../tests/e2e/support/tmp';

/**
 * Page-load time of the fixture page that sets 50 cookies (25 by header, 25 by script), in headless Chromium with
 * and without the extension, as the ratio of the medians. Chromium is started directly, with no DevTools client
 * attached to the page (a client's instrumentation slows every script world a page creates, which would be counted
 * against the extension): the page times its own loads (navigation timing) and posts them to the fixture server,
 * reloading itself until it has done them all. Rounds alternate between the two browsers so that machine noise hits
 * both alike.
 */
const ROUNDS = 3;
const LOADS_PER_ROUND = 12;
const WARM_UP = 2;
/** BENCH_EXTENSION_PATH measures another build of the extension (e.g. to compare changes). */
const extensionPath = () => process.env.BENCH_EXTENSION_PATH ?? buildExtension('chrome');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Starts Chromium on the self-timing page and returns the load times it posted (after the warm-up loads). */
async function timedLoads(server: FixtureServer, extension: string | null): Promise<number[]> {
  const profile = makeTmpDir('bench-page-load');
  const from = server.timings.length;
  const loads = WARM_UP + LOADS_PER_ROUND;
  const args = [
    '--headless',
    '--no-first-run',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--ignore-certificate-errors',
    // Chromium refuses to start as root with its sandbox on (Playwright turns it off the same way).
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    `--user-data-dir=${profile}`,
    `--host-resolver-rules=${server.hosts.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`,
    ...(extension ? [`--disable-extensions-except=${extension}`, `--load-extension=${extension}`] : []),
    // The first page load waits a moment for the extension's worker, as the end-to-end tests do.
    `${server.url(CNP, '/fifty')}?runs=${loads}`,
  ];
  // Its own process group: /usr/bin/chromium is a wrapper script, and the browser must go with it.
  const browser = spawn('/usr/bin/chromium', args, { stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  try {
    const deadline = Date.now() + 60_000;
    while (server.timings.length - from < loads) {
      if (Date.now() > deadline) throw new Error(`only ${server.timings.length - from} of ${loads} timed loads in 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return server.timings.slice(from + WARM_UP, from + loads);
  } finally {
    try {
      process.kill(-browser.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
    await exited;
    await new Promise((resolve) => setTimeout(resolve, 300)); // its renderers flush the profile as they go
    removeTmpDir(profile);
  }
}

export async function benchPageLoad(): Promise<Record<string, number>> {
  const server = await startFixtureServer();
  const extension = extensionPath();
  const times = { with: [] as number[], without: [] as number[] };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      times.with.push(...(await timedLoads(server, extension)));
      times.without.push(...(await timedLoads(server, null)));
    }
  } finally {
    await server.close();
  }
  const withMs = median(times.with);
  const withoutMs = median(times.without);
  return {
    pageLoadMsWith50: Math.round(withMs * 10) / 10,
    pageLoadMsWithout50: Math.round(withoutMs * 10) / 10,
    pageLoadRatio50: Math.round((withMs / withoutMs) * 1000) / 1000,
  };
}
