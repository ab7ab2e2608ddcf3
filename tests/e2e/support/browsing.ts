import { launchChromium } from './chromium';
import { buildExtension, type Evaluating } from './extension';
import { launchFirefox } from './firefox';

/** A page of a tab that the tests opened. */
export interface BrowsingPage extends Evaluating {
  goto(url: string): Promise<unknown>;
  close(): Promise<void>;
}

/** A browser with the built extension, as the scenario tests use it. */
export interface Browsing {
  /** Opens a tab on `url` and waits for its load. */
  visit(url: string): Promise<BrowsingPage>;
  /** An extension page to talk to the background from: the popup's, or the one `path` names (`popup.html?tabId=3`). */
  extensionPage(path?: string): Promise<Evaluating & { close(): Promise<void> }>;
  close(): Promise<void>;
}

/**
 * Chromium or Firefox with the built extension, the fixture hosts mapped to this machine. `navigationTimeoutMs`
 * lengthens the wait for a page's load (a loaded machine); `auditMode` turns audit mode on before the first page.
 */
export async function openBrowsing(
  browser: 'chromium' | 'firefox',
  hosts: readonly string[],
  { navigationTimeoutMs, auditMode }: { navigationTimeoutMs?: number; auditMode?: boolean } = {},
): Promise<Browsing> {
  if (browser === 'chromium') {
    const chromium = await launchChromium({ extensionPath: buildExtension('chrome'), hosts, auditMode });
    if (navigationTimeoutMs !== undefined) chromium.context.setDefaultTimeout(navigationTimeoutMs);
    return {
      visit: async (url) => {
        const page = await chromium.context.newPage();
        await page.goto(url, { waitUntil: 'load' });
        return page;
      },
      extensionPage: (path = 'popup.html') => chromium.openExtensionPage(path),
      close: () => chromium.close(),
    };
  }
  const firefox = await launchFirefox({ extensionPath: buildExtension('firefox'), hosts, auditMode });
  return {
    visit: async (url) => {
      const page = await firefox.browser.newPage();
      await page.goto(url, {
        waitUntil: 'load',
        ...(navigationTimeoutMs !== undefined ? { timeout: navigationTimeoutMs } : {}),
      });
      return page;
    },
    extensionPage: (path = 'popup.html') => firefox.openExtensionPage(path),
    close: () => firefox.close(),
  };
}
