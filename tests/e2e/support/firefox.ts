import { FIREFOX_ADDON_ID, findBrowser, launchFirefox as launch, type FirefoxSession } from '../../../cli/browsers';
import { turnOnAuditMode } from './audit-mode';
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
  /** Turn audit mode on before any page is visited (the page hook watches every page's writes). */
  auditMode?: boolean;
}

export async function launchFirefox(options: FirefoxOptions): Promise<FirefoxSession> {
  const session = await launch({
    ...options,
    executablePath: findBrowser('firefox'),
    resolve: options.hosts.map((host) => ({ host, address: '127.0.0.1' })),
    insecure: true,
    tmpDir: E2E_TMP,
  });
  if (options.auditMode) await turnOnAuditMode(session);
  return session;
}

/** The popup of tab `tabId`, opened as a page (`popup.html?tabId=`), once it has shown everything it knows. */
export async function openFirefoxPopup(
  firefox: FirefoxSession,
  tabId: number,
): ReturnType<FirefoxSession['openExtensionPage']> {
  const popup = await firefox.openExtensionPage(`popup.html?tabId=${tabId}`);
  await popup.waitForSelector('body[data-complete]');
  return popup;
}

/**
 * Terminates the extension's background at once, whatever it is doing, as about:debugging's "Terminate background
 * script" does (a privileged script in the browser's own window, which --remote-allow-system-access allows over
 * WebDriver BiDi); its next event starts it again. Firefox ignores the request while the background is starting: it is
 * made again until the background has gone from running.
 */
export async function terminateBackground(firefox: FirefoxSession, timeoutMs = 15_000): Promise<void> {
  /** The BiDi replies this function reads: a browsing-context tree, and a script's result. */
  type BidiResult = { contexts: Array<{ context: string }>; type: string; result: { value: unknown } };
  type Bidi = { send(method: string, params: unknown): Promise<{ result: BidiResult }> };
  const connection = (firefox.browser as unknown as { connection: Bidi }).connection;
  const tree = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const context = tree.result.contexts[0]!.context;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { result } = await connection.send('script.evaluate', {
      expression: `(async () => {
        const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
        const extension = ExtensionParent.GlobalManager.getExtension(${JSON.stringify(FIREFOX_ADDON_ID)});
        if (extension.backgroundState !== 'running') return 'not running';
        await extension.terminateBackground();
        return extension.backgroundState;
      })()`,
      target: { context },
      awaitPromise: true,
    });
    if (result.type !== 'success') throw new Error(`the background could not be terminated: ${JSON.stringify(result)}`);
    const state = result.result.value as string;
    if (state !== 'not running' && state !== 'running') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the background was not terminated in ${timeoutMs} ms`);
}
