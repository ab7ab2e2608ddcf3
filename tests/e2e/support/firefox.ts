import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { waitForBackground } from './extension';
import { makeTmpDir, removeTmpDir } from './tmp';

/** The gecko id in wxt.config.ts. */
export const FIREFOX_ADDON_ID = 'cookie-lens@cookie-lens.dev';
/** Pinned by pref so moz-extension:// URLs are known before install. */
export const FIREFOX_EXTENSION_UUID = 'c00c1e5e-1e25-4b0c-9d1e-e2e000000001';

export interface FirefoxOptions {
  extensionPath: string;
  /** Hosts to resolve to loopback (the fixture server's). */
  hosts: readonly string[];
  /** Wait until the background answers a ping before returning (default true). */
  waitForBackground?: boolean;
  /** Extra prefs, e.g. { 'extensions.background.idle.timeout': 1000 } to suspend the event page sooner. */
  prefs?: Record<string, unknown>;
}

export interface FirefoxSession {
  browser: Browser;
  /** The host of moz-extension:// URLs (the pinned UUID), like Chromium's extension id. */
  extensionId: string;
  /** Opens moz-extension://UUID/<path> in a new tab and waits until it has loaded. */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchFirefox(options: FirefoxOptions): Promise<FirefoxSession> {
  const profile = makeTmpDir('firefox');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless: true,
    acceptInsecureCerts: true,
    userDataDir: profile,
    // Needed to open moz-extension:// pages over WebDriver BiDi.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'network.dns.localDomains': options.hosts.join(','),
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_EXTENSION_UUID }),
      ...options.prefs,
    },
  });
  const close = async (): Promise<void> => {
    await browser.close();
    removeTmpDir(profile);
  };

  const openExtensionPage = async (path: string): Promise<Page> => {
    const url = `moz-extension://${FIREFOX_EXTENSION_UUID}/${path.replace(/^\//, '')}`;
    const page = await browser.newPage();
    // page.goto to a moz-extension:// URL never resolves: start it, then wait for the document.
    page.goto(url).catch(() => {});
    await loaded(page, url);
    return page;
  };

  try {
    await browser.installExtension(options.extensionPath);
    if (options.waitForBackground ?? true) {
      const page = await openExtensionPage('popup.html');
      await waitForBackground(page);
      await page.close();
    }
  } catch (error) {
    await close();
    throw error;
  }

  return { browser, extensionId: FIREFOX_EXTENSION_UUID, openExtensionPage, close };
}

/** Polls instead of page.waitForFunction, which fails outright when its evaluation races the navigation. */
async function loaded(page: Page, url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await page
      .evaluate((u) => location.href === u && document.readyState === 'complete', url)
      .catch(() => false);
    if (ready) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not load in ${timeoutMs} ms`);
}
