import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { waitForBackground } from './extension';
import { makeTmpDir, removeTmpDir } from './tmp';

export interface ChromiumOptions {
  extensionPath: string;
  /** Hosts to resolve to 127.0.0.1 (the fixture server's). */
  hosts: readonly string[];
  /** Wait until the background answers a ping before returning (default true). */
  waitForBackground?: boolean;
  /** Accept third-party cookies, as Chrome does for most users (default true). */
  thirdPartyCookies?: boolean;
}

export interface ChromiumSession {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** Opens chrome-extension://ID/<path> in a new tab. */
  openExtensionPage(path: string): Promise<Page>;
  /** Stops the service worker as Chrome does when idle; the next message to it restarts it. */
  stopServiceWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function launchChromium(options: ChromiumOptions): Promise<ChromiumSession> {
  const profile = makeTmpDir('chromium');
  // Headless Chromium 156 blocks third-party cookies unless the profile says otherwise (0 = allow all).
  const cookieControlsMode = (options.thirdPartyCookies ?? true) ? 0 : 2;
  mkdirSync(`${profile}/Default`);
  writeFileSync(`${profile}/Default/Preferences`, JSON.stringify({ profile: { cookie_controls_mode: cookieControlsMode } }));
  const ext = options.extensionPath;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    args: [
      `--disable-extensions-except=${ext}`,
      `--load-extension=${ext}`,
      '--disable-gpu',
      // Without these Chromium floods the closed network with refused connections.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--ignore-certificate-errors',
      `--host-resolver-rules=${options.hosts.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`,
    ],
  });
  const close = async (): Promise<void> => {
    await context.close();
    removeTmpDir(profile);
  };
  try {
    return await attach(context, options.waitForBackground ?? true, close);
  } catch (error) {
    await close();
    throw error;
  }
}

async function attach(context: BrowserContext, ping: boolean, close: () => Promise<void>): Promise<ChromiumSession> {
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 10_000 }));
  const extensionId = new URL(serviceWorker.url()).host;
  const openExtensionPage = async (path: string): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/${path.replace(/^\//, '')}`);
    return page;
  };
  if (ping) {
    const page = await openExtensionPage('popup.html');
    await waitForBackground(page);
    await page.close();
  }
  const stopServiceWorker = async () => stopWorker(context, await openExtensionPage('popup.html'), extensionId);
  return { context, extensionId, serviceWorker, openExtensionPage, stopServiceWorker, close };
}

/** The CDP recipe: ServiceWorker.enable on an extension page, find the running version, stop it. */
async function stopWorker(context: BrowserContext, page: Page, extensionId: string): Promise<void> {
  const cdp = await context.newCDPSession(page);
  const ours = `chrome-extension://${extensionId}/`;
  const versions: { versionId: string; runningStatus: string }[] = [];
  let changed = () => {};
  cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
    versions.push(...event.versions.filter((v) => v.scriptURL.startsWith(ours)));
    changed();
  });
  const until = (status: string) =>
    new Promise<string>((resolve) => {
      changed = () => {
        const v = versions.findLast((x) => x.runningStatus === status);
        if (v) resolve(v.versionId);
      };
      changed();
    });
  await cdp.send('ServiceWorker.enable');
  const versionId = await until('running');
  versions.length = 0;
  await cdp.send('ServiceWorker.stopWorker', { versionId });
  await until('stopped');
  await cdp.detach();
  await page.close();
}
