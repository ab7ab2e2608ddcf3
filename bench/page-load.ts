import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFixtureServer, type FixtureServer } from '../tests/e2e/fixtures/server';
import { CNP } from '../tests/e2e/fixtures/sites';
import { launchChromium } from '../tests/e2e/support/chromium';
import { buildExtension } from '../tests/e2e/support/extension';
import { makeTmpDir, removeTmpDir } from '../tests/e2e/support/tmp';

/**
 * Page-load time of the fixture page that sets 50 cookies (25 by header, 25 by script), in headless Chromium with
 * and without the extension, as the ratio of the medians. Chromium is started directly, with no DevTools client
 * attached to the page (a client's instrumentation slows every script world a page creates, which would be counted
 * against the extension): the page times its own loads (navigation timing) and posts them to the fixture server,
 * reloading itself until it has done them all. Short rounds alternate between the browsers so that machine noise
 * hits them all alike: with 12 rounds of 10 loads, the shell's ratio stayed between 1.25 and 1.26 in three runs;
 * with 6 rounds of 20, it went from 1.04 to 1.32. With the peers each browser's turn takes about 7.4 s here (most of
 * it the warm start below), and the sweep's 40 sites take about 4.5 minutes, so 8 rounds keep the whole bench under
 * 15 minutes on a 2-core machine.
 *
 * Load times on a 30 ms local page move by tens of percent with whatever else the machine does, so the bench also
 * prints the CPU time all the browser's processes spend per load (Linux's /proc, after the warm-up loads): the
 * steadier measure of what the extension costs, and the one to compare changes by. Two more browsers give floors:
 * Cookie Lens's shell doing nothing (noOpExtension), for any extension that watches cookies this way, and an
 * extension with nothing but an empty Set-Cookie listener (setCookieListenerExtension), the one listener Chrome
 * needs to show a response's Set-Cookie headers at all.
 *
 * Peers, other extensions a person might run instead (the unpacked builds in ../shared/peers, see its README.md),
 * take their turn in the same rounds, so that every change is judged against them in one run. Each browser is timed
 * warm: its first page waits a few seconds and the first loads are not counted, so that a peer's install-time work
 * (Privacy Badger seeds its list of domains, uBlock Origin Lite sets up its rulesets) is not taken for everyday cost.
 * Every browser gets the same wait and warm-up, so the ratios stay comparable.
 */
const ROUNDS = 8;
const LOADS_PER_ROUND = 10;
const WARM_UP = 6;
/** How long the browser's first (blank) page waits before the timed page: the extension's install-time work. */
const START_DELAY_MS = 4_000;
/** A browser whose loads stop coming is started again, at most this many times a round. */
const STALL_MS = 15_000;
const RESTARTS = 2;
/** BENCH_EXTENSION_PATH measures another build of the extension (e.g. to compare changes). */
const extensionPath = () => process.env.BENCH_EXTENSION_PATH ?? buildExtension('chrome');
/** The peers' folder: `../shared/peers` from the project's root, or BENCH_PEERS_PATH. */
const peersPath = () =>
  process.env.BENCH_PEERS_PATH ?? resolve(fileURLToPath(new URL('..', import.meta.url)), '../shared/peers');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface TimedLoads {
  /** Each load's time, ms. */
  times: number[];
  /** CPU time of all the browser's processes per load, ms. */
  cpuMsPerLoad: number;
}

/** CPU time (ms) of every process of a process group so far, from /proc (Linux). */
function groupCpuMs(group: number): number {
  const ticksPerMs = 100 / 1000; // USER_HZ: 100 on Linux
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // After the command's closing parenthesis: state, ppid, pgrp, … utime (12th), stime (13th).
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(fields[2]) === group) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks / ticksPerMs;
}

/** Chromium on the self-timing page: the load times it posted and the CPU they took (after the warm-up loads). */
export async function timedLoads(server: FixtureServer, extension: string | null): Promise<TimedLoads> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await launchAndTime(server, extension);
    } catch (error) {
      if (!(error instanceof StalledError) || attempt >= RESTARTS) throw error;
      console.error(`page load: ${error.message}; starting the browser again`);
    }
  }
}

class StalledError extends Error {}

async function launchAndTime(server: FixtureServer, extension: string | null): Promise<TimedLoads> {
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
    // The browser starts on a blank page that moves to the timed one a few seconds later: a first navigation that
    // races the loading of an unpacked extension sometimes never completes (Chromium 156, about one start in ten),
    // and the extension has done its install-time work by then.
    `data:text/html,<script>setTimeout(() => location.replace(${JSON.stringify(`${server.url(CNP, '/fifty')}?runs=${loads}`)}), ${START_DELAY_MS})</script>`,
  ];
  // Its own process group: /usr/bin/chromium is a wrapper script, and the browser must go with it.
  const browser = spawn('/usr/bin/chromium', args, { stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  try {
    let seen = 0;
    let progressAt = Date.now();
    let cpuAfterWarmUp: { ms: number; loads: number } | null = null;
    while (seen < loads) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const now = server.timings.length - from;
      if (now > seen) [seen, progressAt] = [now, Date.now()];
      else if (Date.now() - progressAt > STALL_MS + (seen === 0 ? START_DELAY_MS : 0))
        throw new StalledError(`${seen} of ${loads} timed loads, then none for ${STALL_MS / 1000} s`);
      if (!cpuAfterWarmUp && seen >= WARM_UP) cpuAfterWarmUp = { ms: groupCpuMs(browser.pid!), loads: seen };
    }
    const cpuMs = groupCpuMs(browser.pid!) - cpuAfterWarmUp!.ms;
    return {
      times: server.timings.slice(from + WARM_UP, from + loads),
      cpuMsPerLoad: cpuMs / (seen - cpuAfterWarmUp!.loads),
    };
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

interface Peer {
  /** Its folder's name, made identifier-safe, for the figures' names. */
  name: string;
  path: string;
}

/**
 * The peers to time: every folder of the peers' folder with a manifest, that Chromium loads (its service worker
 * starts). Each one left out is said, with why. Each is loaded from a writable copy in `scratch`: Chromium writes into
 * an unpacked extension's folder (`_metadata`, its indexed rulesets), and the peers' folder is not the bench's to change.
 */
export async function loadablePeers(folder: string, hosts: readonly string[], scratch: string): Promise<Peer[]> {
  if (!existsSync(folder)) {
    console.error(`page load: no peers: ${folder} is missing (BENCH_PEERS_PATH names another folder)`);
    return [];
  }
  const peers: Peer[] = [];
  for (const name of readdirSync(folder).sort()) {
    const original = resolve(folder, name);
    if (!statSync(original).isDirectory()) continue;
    if (!existsSync(`${original}/manifest.json`)) {
      console.error(`page load: peer ${name} skipped: no manifest.json`);
      continue;
    }
    const path = resolve(scratch, name);
    cpSync(original, path, { recursive: true, dereference: true });
    makeWritable(path);
    try {
      const session = await launchChromium({ extensionPath: path, hosts, waitForBackground: false });
      await session.close();
    } catch (error) {
      console.error(`page load: peer ${name} skipped: it did not load (${String(error).split('\n')[0]})`);
      continue;
    }
    peers.push({ name: name.replace(/[^A-Za-z0-9]+/g, '_'), path });
  }
  return peers;
}

function makeWritable(path: string): void {
  const stat = statSync(path);
  chmodSync(path, stat.mode | 0o200);
  if (stat.isDirectory()) for (const entry of readdirSync(path)) makeWritable(resolve(path, entry));
}

export async function benchPageLoad(): Promise<Record<string, number>> {
  const server = await startFixtureServer();
  const extension = extensionPath();
  const noOp = noOpExtension(extension);
  const setCookieListener = setCookieListenerExtension();
  const runs = {
    with: [] as TimedLoads[],
    noOp: [] as TimedLoads[],
    setCookieListener: [] as TimedLoads[],
    without: [] as TimedLoads[],
  };
  const peerRuns = new Map<Peer, TimedLoads[]>();
  const peerCopies = makeTmpDir('bench-peers');
  try {
    for (const peer of await loadablePeers(peersPath(), server.hosts, peerCopies)) peerRuns.set(peer, []);
    for (let round = 0; round < ROUNDS; round++) {
      runs.with.push(await timedLoads(server, extension));
      runs.noOp.push(await timedLoads(server, noOp));
      runs.setCookieListener.push(await timedLoads(server, setCookieListener));
      for (const [peer, timed] of peerRuns) {
        try {
          timed.push(await timedLoads(server, peer.path));
        } catch (error) {
          console.error(`page load: peer ${peer.name} dropped in round ${round + 1}: ${String(error).split('\n')[0]}`);
          peerRuns.delete(peer);
        }
      }
      runs.without.push(await timedLoads(server, null));
    }
  } finally {
    await server.close();
    removeTmpDir(noOp);
    removeTmpDir(setCookieListener);
    removeTmpDir(peerCopies);
  }
  const ms = (of: TimedLoads[]) => median(of.flatMap((run) => run.times));
  const cpuMs = (of: TimedLoads[]) => median(of.map((run) => run.cpuMsPerLoad));
  const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  const peerFigures: Record<string, number> = {};
  for (const [peer, timed] of peerRuns) {
    peerFigures[`pageLoadRatioPeer_${peer.name}50`] = round(ms(timed) / ms(runs.without), 3);
    peerFigures[`pageLoadCpuRatioPeer_${peer.name}50`] = round(cpuMs(timed) / cpuMs(runs.without), 3);
  }
  return {
    pageLoadMsWith50: round(ms(runs.with), 1),
    pageLoadMsWithout50: round(ms(runs.without), 1),
    pageLoadRatio50: round(ms(runs.with) / ms(runs.without), 3),
    pageLoadRatioNoOp50: round(ms(runs.noOp) / ms(runs.without), 3),
    pageLoadRatioSetCookieListener50: round(ms(runs.setCookieListener) / ms(runs.without), 3),
    pageLoadCpuMsWith50: round(cpuMs(runs.with), 1),
    pageLoadCpuMsNoOp50: round(cpuMs(runs.noOp), 1),
    pageLoadCpuMsSetCookieListener50: round(cpuMs(runs.setCookieListener), 1),
    pageLoadCpuMsWithout50: round(cpuMs(runs.without), 1),
    pageLoadCpuRatio50: round(cpuMs(runs.with) / cpuMs(runs.without), 3),
    pageLoadCpuRatioNoOp50: round(cpuMs(runs.noOp) / cpuMs(runs.without), 3),
    pageLoadCpuRatioSetCookieListener50: round(cpuMs(runs.setCookieListener) / cpuMs(runs.without), 3),
    ...peerFigures,
  };
}

/**
 * Cookie Lens's shell doing nothing, as everyday mode runs it: its permissions, its listeners (every response's
 * headers, every navigation; audit mode's live account of the jar is not one) and the content scripts its manifest
 * declares, all empty (none since the page hook and its relay became audit mode's). What the browser charges any
 * extension built this way, against which Cookie Lens's own work can be read.
 */
function noOpExtension(from: string): string {
  const ours = JSON.parse(readFileSync(`${from}/manifest.json`, 'utf8')) as {
    permissions: string[];
    host_permissions: string[];
    content_scripts?: Array<Record<string, unknown> & { js: string[] }>;
  };
  const contentScripts = (ours.content_scripts ?? []).map((script, i) => ({ ...script, js: [`empty-${i}.js`] }));
  return emptyExtension(
    'Cookie Lens doing nothing',
    {
      permissions: ours.permissions,
      host_permissions: ours.host_permissions,
      ...(contentScripts.length > 0 ? { content_scripts: contentScripts } : {}),
    },
    [
      "const all = { urls: ['<all_urls>'] };",
      "chrome.webRequest.onHeadersReceived.addListener(() => {}, all, ['responseHeaders', 'extraHeaders']);",
      'chrome.webNavigation.onCommitted.addListener(() => {});',
      'chrome.webNavigation.onBeforeNavigate.addListener(() => {});',
      'chrome.webNavigation.onCompleted.addListener(() => {});',
    ],
    contentScripts.map((script) => script.js[0]!),
  );
}

/**
 * Nothing but an empty listener for responses' headers with 'extraHeaders', without which Chrome hides Set-Cookie
 * (issue #3 asks for it: only the raw header tells a requested lifetime beyond the 400 days browsers keep).
 */
function setCookieListenerExtension(): string {
  return emptyExtension(
    'An empty Set-Cookie listener',
    { permissions: ['webRequest'], host_permissions: ['<all_urls>'] },
    [
      "chrome.webRequest.onHeadersReceived.addListener(() => {}, { urls: ['<all_urls>'] }, ['responseHeaders', 'extraHeaders']);",
    ],
  );
}

/** A throwaway MV3 extension in a temporary folder: its manifest's other keys, its worker's lines, empty files. */
function emptyExtension(
  name: string,
  manifest: Record<string, unknown>,
  worker: string[],
  emptyFiles: string[] = [],
): string {
  const dir = makeTmpDir('bench-extension');
  writeFileSync(
    `${dir}/manifest.json`,
    JSON.stringify({
      manifest_version: 3,
      name,
      version: '1.0',
      background: { service_worker: 'background.js' },
      ...manifest,
    }),
  );
  writeFileSync(`${dir}/background.js`, `${worker.join('\n')}\n`);
  for (const file of emptyFiles) writeFileSync(`${dir}/${file}`, '');
  return dir;
}
