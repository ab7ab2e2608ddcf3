import { findBrowser, launchFirefox as launch, type FirefoxSession } from '../../../cli/browsers';
import { E2E_TMP } from './tmp';

// A thin wrapper over the product's launcher (cli/browsers.ts): fixture hosts on 127.0.0.1, self-signed TLS accepted.

export { FIREFOX_ADDON_ID, FIREFOX_EXTENSION_UUID, type FirefoxSession } from '../../../cli/browsers';

export interface FirefoxOptions {
  extensionPath: string;
  /** Hosts to resolve to loopback (the fixture server's). */
  hosts: readonly string[];
  /** Wait until the background answers a ping before returning (default true). */
  waitForBackground?: boolean;
  /** Extra prefs, e.g. { 'extensions.background.idle.timeout': 1000 } to suspend the event page sooner. */
  prefs?: Record<string, unknown>;
}

export function launchFirefox(options: FirefoxOptions): Promise<FirefoxSession> {
  return launch({
    ...options,
    executablePath: findBrowser('firefox'),
    resolve: options.hosts.map((host) => ({ host, address: '127.0.0.1' })),
    insecure: true,
    tmpDir: E2E_TMP,
  });
}

/** The popup of tab `tabId`, opened as a page (`popup.html?tabId=`), once it has shown everything it knows. */
export async function openFirefoxPopup(firefox: FirefoxSession, tabId: number): ReturnType<FirefoxSession['openExtensionPage']> {
  const popup = await firefox.openExtensionPage(`popup.html?tabId=${tabId}`);
  await popup.waitForSelector('body[data-complete]');
  return popup;
}
