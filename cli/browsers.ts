import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page as PlaywrightPage, type Worker } from 'playwright-core';
import puppeteer, { type Browser, type Page as PuppeteerPage } from 'puppeteer-core';
import { FIREFOX_ADDON_ID } from '../lib/firefox-addon-id';
import type { Answer, RequestInput, Response } from '../lib/messages';
import { MAX_ANCHORS, PageLinksSchema, readPageLinks, type PageLinks } from './consent/links';
import { withPrintedAddresses } from './printed-address';
import * as v from 'valibot';

/**
 * Finds and launches a browser with the extension loaded: Chromium (or Chrome) through playwright-core, Firefox
 * through puppeteer-core over WebDriver BiDi. The audit command and the end-to-end tests share this one launcher.
 */
export type BrowserKind = 'chromium' | 'firefox';

/** A problem with the setup (no browser, a failed launch): the audit command exits with 2. */
export class SetupError extends Error {}

export { FIREFOX_ADDON_ID };
/** Pinned by pref so moz-extension:// URLs are known before install. */
export const FIREFOX_EXTENSION_UUID = 'c00c1e5e-1e25-4b0c-9d1e-e2e000000001';

export interface Platform {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  isFile(file: string): boolean;
}

const hostPlatform: Platform = {
  platform: process.platform,
  env: process.env,
  isFile: (file) => statSync(file, { throwIfNoEntry: false })?.isFile() ?? false,
};

const LINUX_NAMES: Record<BrowserKind, string[]> = {
  chromium: ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'],
  firefox: ['firefox-esr', 'firefox'],
};
const MAC_APPS: Record<BrowserKind, string[]> = {
  chromium: ['Chromium.app/Contents/MacOS/Chromium', 'Google Chrome.app/Contents/MacOS/Google Chrome'],
  firefox: ['Firefox.app/Contents/MacOS/firefox'],
};
const WINDOWS_EXES: Record<BrowserKind, string[]> = {
  chromium: ['Chromium\\Application\\chrome.exe', 'Google\\Chrome\\Application\\chrome.exe'],
  firefox: ['Mozilla Firefox\\firefox.exe'],
};
const INSTALL: Record<BrowserKind, Partial<Record<NodeJS.Platform, string>> & { other: string }> = {
  chromium: {
    linux: 'Debian/Ubuntu: sudo apt-get install chromium',
    darwin: 'brew install --cask chromium, or install Google Chrome',
    win32: 'install Google Chrome from https://www.google.com/chrome/',
    other: 'install Chromium or Google Chrome',
  },
  firefox: {
    linux: 'Debian: sudo apt-get install firefox-esr',
    darwin: 'brew install --cask firefox',
    win32: 'install Firefox from https://www.mozilla.org/firefox/',
    other: 'install Firefox',
  },
};

/** Where a browser usually is, most likely first: Chromium before Chrome, Firefox ESR before Firefox. */
export function browserCandidates(
  kind: BrowserKind,
  { platform, env }: Pick<Platform, 'platform' | 'env'> = hostPlatform,
): string[] {
  if (platform === 'darwin') {
    const homeApps = env.HOME ? [`${env.HOME}/Applications`] : [];
    return ['/Applications', ...homeApps].flatMap((dir) => MAC_APPS[kind].map((app) => `${dir}/${app}`));
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    return roots.flatMap((root) => WINDOWS_EXES[kind].map((exe) => path.win32.join(root, exe)));
  }
  const dirs = [...new Set([...(env.PATH ?? '').split(':').filter(Boolean), '/usr/bin', '/snap/bin'])];
  return LINUX_NAMES[kind].flatMap((name) => dirs.map((dir) => `${dir}/${name}`));
}

/** The browser to run: `given` (--browser-path) if it exists, else the first candidate found. */
export function findBrowser(kind: BrowserKind, given?: string, host: Platform = hostPlatform): string {
  if (given !== undefined) {
    if (!host.isFile(given)) throw new SetupError(`--browser-path ${given}: no such file.`);
    return given;
  }
  const found = browserCandidates(kind, host).find((file) => host.isFile(file));
  if (found) return found;
  const name = kind === 'chromium' ? 'Chromium (or Google Chrome)' : 'Firefox';
  const install = INSTALL[kind][host.platform] ?? INSTALL[kind].other;
  return fail(`No ${name} found. Install it (${install}) or pass --browser-path.`);
}

function fail(message: string): never {
  throw new SetupError(message);
}

/** `--resolve host=address`: requests to `host` go to `address`, whatever DNS says. */
export interface HostMapping {
  host: string;
  address: string;
}

/** Firefox maps hosts only to loopback, through network.dns.localDomains. */
export const FIREFOX_RESOLVE_ADDRESS = '127.0.0.1';

export interface LaunchOptions {
  extensionPath: string;
  executablePath: string;
  resolve?: readonly HostMapping[];
  /** Accept invalid TLS certificates (a staging or local server's). */
  insecure?: boolean;
  /** Where the temporary profile goes (default: the system's temp dir); it is removed on close. */
  tmpDir?: string;
  /** Wait until the background answers a ping before returning (default true): before that, events are missed. */
  waitForBackground?: boolean;
}

/** Anything with Playwright's or Puppeteer's `page.evaluate(fn, arg)`. */
export interface Evaluating {
  evaluate(fn: (arg: unknown) => Promise<unknown>, arg: unknown): Promise<unknown>;
}

export interface ExtensionPage extends Evaluating {
  close(): Promise<void>;
}

export interface Tab {
  /** Loads `url` until its load event; throws on a network error or timeout. */
  goto(url: string, timeoutMs: number): Promise<void>;
  /** Resolves when the page has had no network request for 500 ms; throws after `timeoutMs`. */
  networkIdle(timeoutMs: number): Promise<void>;
  /** The page's address and its links in document order, as its document says (checked: the page controls it). */
  links(): Promise<PageLinks>;
  close(): Promise<void>;
}

/** What the audit needs of either browser. */
export interface BrowserSession {
  kind: BrowserKind;
  info: { name: string; version: string };
  /** The host of the extension's own URLs. */
  extensionId: string;
  openExtensionPage(path: string): Promise<ExtensionPage>;
  newTab(): Promise<Tab>;
  close(): Promise<void>;
}

export function launchBrowser(kind: BrowserKind, options: LaunchOptions): Promise<BrowserSession> {
  return kind === 'chromium' ? launchChromium(options) : launchFirefox(options);
}

function profileDir(prefix: string, parent = tmpdir()): { dir: string; remove(): void } {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, `cookie-lens-${prefix}-`));
  // Browsers may still be flushing the profile when they exit.
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }) };
}

/** Closes on failure, so that no browser outlives a failed launch. */
async function guarded<T>(close: () => Promise<void>, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

export interface ChromiumOptions extends LaunchOptions {
  /** Accept third-party cookies, as Chrome does for most users (default true). */
  thirdPartyCookies?: boolean;
}

export interface ChromiumSession extends BrowserSession {
  context: BrowserContext;
  serviceWorker: Worker;
  openExtensionPage(path: string): Promise<PlaywrightPage>;
}

export async function launchChromium(options: ChromiumOptions): Promise<ChromiumSession> {
  const profile = profileDir('chromium', options.tmpDir);
  // Headless Chromium blocks third-party cookies unless the profile says otherwise (0 = allow all).
  mkdirSync(`${profile.dir}/Default`);
  const cookieControlsMode = (options.thirdPartyCookies ?? true) ? 0 : 2;
  writeFileSync(
    `${profile.dir}/Default/Preferences`,
    JSON.stringify({ profile: { cookie_controls_mode: cookieControlsMode } }),
  );
  const mappings = (options.resolve ?? []).map(
    ({ host, address }) => `MAP ${host} ${address.includes(':') ? `[${address}]` : address}`,
  );
  const context = await chromium
    .launchPersistentContext(profile.dir, {
      executablePath: options.executablePath,
      headless: true,
      ignoreHTTPSErrors: options.insecure ?? false,
      // Extensions are loaded through CDP below: Google Chrome 137+ ignores --load-extension.
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [
        '--enable-unsafe-extension-debugging',
        '--disable-gpu',
        // Without these Chromium floods a closed network with refused connections.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        ...(options.insecure ? ['--ignore-certificate-errors'] : []),
        ...(mappings.length ? [`--host-resolver-rules=${mappings.join(',')}`] : []),
      ],
    })
    .catch((error: unknown) => {
      profile.remove();
      throw new SetupError(`${options.executablePath} did not start: ${firstLine(error)}`);
    });
  const close = async (): Promise<void> => {
    await context.close();
    profile.remove();
  };
  return guarded(close, async () => {
    const browser = context.browser()!;
    const cdp = await browser.newBrowserCDPSession();
    const loaded = await cdp
      .send('Extensions.loadUnpacked', { path: options.extensionPath })
      .catch((error: unknown) => {
        throw new SetupError(
          `${options.executablePath} ${browser.version()} could not load the extension (${firstLine(error)}). Chromium or Chrome 126 or later is needed.`,
        );
      });
    const extensionId = loaded.id;
    const ours = (worker: Worker) => worker.url().startsWith(`chrome-extension://${extensionId}/`);
    const serviceWorker =
      context.serviceWorkers().find(ours) ??
      (await context.waitForEvent('serviceworker', { predicate: ours, timeout: 10_000 }));
    const openExtensionPage = async (file: string): Promise<PlaywrightPage> => {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${file.replace(/^\//, '')}`);
      return page;
    };
    const session: ChromiumSession = {
      kind: 'chromium',
      info: {
        name:
          /chrome/i.test(path.basename(options.executablePath)) && !/chromium/i.test(options.executablePath)
            ? 'Google Chrome'
            : 'Chromium',
        version: browser.version(),
      },
      extensionId,
      context,
      serviceWorker,
      openExtensionPage,
      newTab: async () => {
        const page = await context.newPage();
        return {
          goto: async (url, timeout) => {
            await page.goto(url, { timeout, waitUntil: 'load' }).catch((error: unknown) => {
              throw new Error(
                firstLine(error)
                  .replace(/^page\.goto: /, '')
                  .replace(/ at \S+$/, ''),
              );
            });
          },
          networkIdle: (timeout) => page.waitForLoadState('networkidle', { timeout }),
          links: async () => checkedLinks(await page.evaluate(readPageLinks, MAX_ANCHORS)),
          close: () => page.close(),
        };
      },
      close,
    };
    if (options.waitForBackground ?? true) await pingFrom(session);
    return session;
  });
}

export interface FirefoxOptions extends LaunchOptions {
  /** Extra prefs, e.g. { 'extensions.background.idle.timeout': 1000 } to suspend the event page sooner. */
  prefs?: Record<string, unknown>;
}

export interface FirefoxSession extends BrowserSession {
  browser: Browser;
  /** Opens moz-extension://UUID/<path> in a new tab and waits until it has loaded. */
  openExtensionPage(path: string): Promise<PuppeteerPage>;
}

export async function launchFirefox(options: FirefoxOptions): Promise<FirefoxSession> {
  const mapped = options.resolve ?? [];
  const elsewhere = mapped.find((m) => m.address !== FIREFOX_RESOLVE_ADDRESS);
  if (elsewhere) throw new SetupError(firefoxResolveMessage(elsewhere));
  const profile = profileDir('firefox', options.tmpDir);
  const browser = await puppeteer
    .launch({
      browser: 'firefox',
      executablePath: options.executablePath,
      headless: true,
      acceptInsecureCerts: options.insecure ?? false,
      userDataDir: profile.dir,
      // Needed to open moz-extension:// pages over WebDriver BiDi.
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'network.dns.localDomains': mapped.map((m) => m.host).join(','),
        'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_EXTENSION_UUID }),
        ...options.prefs,
      },
    })
    .catch((error: unknown) => {
      profile.remove();
      throw new SetupError(`${options.executablePath} did not start: ${firstLine(error)}`);
    });
  const close = async (): Promise<void> => {
    await browser.close();
    profile.remove();
  };
  return guarded(close, async () => {
    await browser.installExtension(options.extensionPath);
    const session: FirefoxSession = {
      kind: 'firefox',
      info: { name: 'Firefox', version: (await browser.version()).replace(/^firefox\//i, '') },
      extensionId: FIREFOX_EXTENSION_UUID,
      browser,
      openExtensionPage: async (file) => {
        const url = `moz-extension://${FIREFOX_EXTENSION_UUID}/${file.replace(/^\//, '')}`;
        const page = await browser.newPage();
        // page.goto to a moz-extension:// URL never resolves: start it, then wait for the document.
        page.goto(url).catch(() => {});
        await loaded(page, url);
        return page;
      },
      newTab: async () => {
        const page = await browser.newPage();
        return {
          goto: async (url, timeout) => {
            await page.goto(url, { timeout, waitUntil: 'load' }).catch((error: unknown) => {
              // "Protocol error (browsingContext.navigate): unknown error Error: NS_ERROR_… #stack" → "NS_ERROR_…"
              throw new Error(
                firstLine(error)
                  .replace(/^Protocol error \([^)]*\): (unknown error )?(Error: )?/, '')
                  .replace(/ #\S+$/, ''),
              );
            });
          },
          networkIdle: (timeout) => page.waitForNetworkIdle({ idleTime: 500, timeout }),
          links: async () => checkedLinks(await page.evaluate(readPageLinks, MAX_ANCHORS)),
          close: () => page.close(),
        };
      },
      close,
    };
    if (options.waitForBackground ?? true) await pingFrom(session);
    return session;
  });
}

function checkedLinks(json: unknown): PageLinks {
  let parsed: unknown = null;
  try {
    parsed = typeof json === 'string' ? JSON.parse(json) : null;
  } catch {
    // A page that replaced JSON.stringify: said below.
  }
  const links = v.safeParse(PageLinksSchema, parsed);
  if (!links.success) throw new Error('the page gave its links in an unexpected shape');
  return links.output;
}

export function firefoxResolveMessage({ host, address }: HostMapping): string {
  return `--resolve ${host}=${address}: Firefox can map a host only to ${FIREFOX_RESOLVE_ADDRESS} (network.dns.localDomains). Use Chromium (the default) for other addresses.`;
}

/** Polls instead of page.waitForFunction, which fails outright when its evaluation races the navigation. */
async function loaded(page: PuppeteerPage, url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await page
      .evaluate((u) => location.href === u && document.readyState === 'complete', url)
      .catch(() => false);
    if (ready) return;
    await sleep(50);
  }
  throw new Error(`${url} did not load in ${timeoutMs} ms`);
}

/**
 * Sends `message` to the background from an extension page and returns the answer, typed by the protocol map. The
 * answer crosses as JSON: WebDriver BiDi serializes an object met twice as a reference that Puppeteer does not resolve.
 */
export async function askBackground<R extends RequestInput>(page: Evaluating, message: R): Promise<Answer<R['type']>> {
  const json = await page.evaluate(async (m) => {
    type Api = { runtime: { sendMessage(m: unknown): Promise<unknown> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    return JSON.stringify((await (g.browser ?? g.chrome)!.runtime.sendMessage(m)) ?? null);
  }, message);
  return JSON.parse(json as string) as Answer<R['type']>;
}

/** The background's reply to `message`; its refusal (an `ErrorResponse`) is thrown. */
export async function replyOf<R extends RequestInput>(page: Evaluating, message: R): Promise<Response<R['type']>> {
  const answer = await askBackground(page, message);
  // An import's refusal is a reply: it says what is wrong with the file.
  if (answer.ok === false && !('issues' in answer))
    throw new Error(`the background refused "${message.type}": ${answer.error}`);
  return answer as Response<R['type']>;
}

/** The ids of the tabs `query` finds (tabs.query: `{}` for all, `{ url: pattern }`), as the extension sees them. */
export async function tabIds(page: Evaluating, query: { url?: string } = {}): Promise<number[]> {
  return (await page.evaluate(async (q) => {
    type Api = { tabs: { query(q: unknown): Promise<Array<{ id?: number }>> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    return (await (g.browser ?? g.chrome)!.tabs.query(q)).map((tab) => tab.id);
  }, query)) as number[];
}

/** Resolves once the background answers `{ type: 'ping' }` with `{ ok: true }`. */
export async function waitForBackground(page: Evaluating, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const answer = (await askBackground(page, { type: 'ping' })) as Answer<'ping'> | null;
      if (answer?.ok === true) return;
      last = answer;
    } catch (error) {
      last = error;
    }
    await sleep(100);
  }
  throw new SetupError(
    `the extension's background did not answer in ${timeoutMs} ms; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`,
  );
}

async function pingFrom(session: BrowserSession): Promise<void> {
  const page = await session.openExtensionPage('popup.html');
  await waitForBackground(page);
  await page.close();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An error's first line, as the command prints and reports it, each web address in it cut to its evidence address: a
 * browser's navigation error names the URL it failed on, query and fragment included.
 */
export function firstLine(error: unknown): string {
  return withPrintedAddresses((error instanceof Error ? error.message : String(error)).split('\n')[0]!);
}
