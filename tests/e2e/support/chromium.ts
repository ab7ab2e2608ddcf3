import type { BrowserContext, Page } from 'playwright-core';
import { findBrowser, launchChromium as launch, type ChromiumSession as Session } from '../../../cli/browsers';
import { turnOnAuditMode } from './audit-mode';
import { E2E_TMP } from './tmp';

// A thin wrapper over the product's launcher (cli/browsers.ts): fixture hosts on 127.0.0.1, self-signed TLS accepted.

export interface ChromiumOptions {
  extensionPath: string;
  /** Hosts to resolve to 127.0.0.1 (the fixture server's). */
  hosts: readonly string[];
  /** Wait until the background answers a ping before returning (default true). */
  waitForBackground?: boolean;
  /** Accept third-party cookies, as Chrome does for most users (default true). */
  thirdPartyCookies?: boolean;
  /** Turn audit mode on before any page is visited (the page hook watches every page's writes). */
  auditMode?: boolean;
}

export interface ChromiumSession extends Session {
  /** Stops the service worker as Chrome does when idle; the next message to it restarts it. */
  stopServiceWorker(): Promise<void>;
}

export async function launchChromium(options: ChromiumOptions): Promise<ChromiumSession> {
  const session = await launch({
    ...options,
    executablePath: findBrowser('chromium'),
    resolve: options.hosts.map((host) => ({ host, address: '127.0.0.1' })),
    insecure: true,
    tmpDir: E2E_TMP,
  });
  const stopServiceWorker = async () =>
    stopWorker(session.context, await session.openExtensionPage('popup.html'), session.extensionId);
  if (options.auditMode) await turnOnAuditMode(session);
  return { ...session, stopServiceWorker };
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
