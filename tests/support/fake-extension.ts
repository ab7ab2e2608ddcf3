import type { browser as wxtBrowser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { domainMatches } from '../../lib/observation/visit-recorder';

type Listener = (...args: any[]) => unknown;

/** An event like the browser's, that a test can fire. */
function event() {
  const listeners: Listener[] = [];
  return {
    addListener: (listener: Listener) => void listeners.push(listener),
    removeListener: (listener: Listener) => void listeners.splice(listeners.indexOf(listener), 1),
    hasListener: (listener: Listener) => listeners.includes(listener),
    fire: (...args: unknown[]) => listeners.map((listener) => listener(...args)),
  };
}

/**
 * WXT's fake browser, plus the APIs it leaves unimplemented (cookies, webRequest), for driving the background in a
 * unit test exactly as the browser would: through its listeners.
 */
export function fakeExtension(jar: Array<Record<string, unknown>> = []) {
  fakeBrowser.reset();
  // As browsers do: the cookies sent to the URL's host; without a partition key, unpartitioned ones; with a
  // top-level site, that partition's only.
  const getAll = async (details: { url: string; partitionKey?: { topLevelSite?: string } }) =>
    jar.filter(
      (cookie) =>
        domainMatches(new URL(details.url).hostname, cookie.domain as string) &&
        (cookie.partitionKey as { topLevelSite?: string } | undefined)?.topLevelSite === details.partitionKey?.topLevelSite,
    );
  const cookies = { onChanged: event(), getAll };
  const webRequest = { onBeforeRequest: event(), onHeadersReceived: event() };
  const onMessage = event();
  /** Tabs in a private window; any other tab a test names is a normal one the browser knows. */
  const privateTabs = new Set<number>();
  const getTab = async (tabId: number) =>
    (await fakeBrowser.tabs.get(tabId)) ?? { id: tabId, index: 0, windowId: 0, highlighted: false, active: false, pinned: false, incognito: privateTabs.has(tabId) };
  const browser = Object.assign(Object.create(fakeBrowser), {
    cookies,
    webRequest,
    tabs: Object.assign(Object.create(fakeBrowser.tabs), { get: getTab }),
    runtime: Object.assign(Object.create(fakeBrowser.runtime), { onMessage }),
    action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {} },
    // An English browser: the locale the interface falls back on.
    i18n: { getMessage: (key: string) => (key === 'languageCode' ? 'en' : '') },
  }) as unknown as typeof wxtBrowser;

  /** Sends a message as an extension page (or a tab's content script) would, and returns the answer. */
  const send = async (message: unknown, tabId?: number): Promise<any> =>
    (await Promise.all(onMessage.fire(message, tabId === undefined ? {} : { tab: { id: tabId } })))[0];

  return { browser, fakeBrowser, cookies, webRequest, send, privateTabs };
}
