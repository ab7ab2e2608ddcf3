import type { browser as wxtBrowser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { readFrameStorage } from '../../lib/observation/storage-read';
import { domainMatches } from '../../lib/observation/visit-recorder';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- listeners of every event kind, each with its own arguments
type Listener = (...args: any[]) => unknown;

/** An event like the browser's, that a test can fire. */
function event() {
  const listeners: Listener[] = [];
  return {
    addListener: (listener: Listener) => void listeners.push(listener),
    removeListener: (listener: Listener) => void listeners.splice(listeners.indexOf(listener), 1),
    hasListener: (listener: Listener) => listeners.includes(listener),
    hasListeners: () => listeners.length > 0,
    fire: (...args: unknown[]) => listeners.map((listener) => listener(...args)),
  };
}

/**
 * WXT's fake browser, plus the APIs it leaves unimplemented (cookies, webRequest), for driving the background in a
 * unit test exactly as the browser would: through its listeners.
 */
export function fakeExtension(jar: Array<Record<string, unknown>> = []) {
  fakeBrowser.reset();
  // As browsers do: the cookies sent to the URL's host, or those of a domain and its subdomains; without a partition
  // key, unpartitioned ones; with a top-level site, that partition's only. `jar` is the test's to change.
  const getAll = async (details: { url?: string; domain?: string; partitionKey?: { topLevelSite?: string } }) =>
    jar.filter(
      (cookie) =>
        (details.url !== undefined
          ? domainMatches(new URL(details.url).hostname, cookie.domain as string)
          : domainMatches((cookie.domain as string).replace(/^\./, ''), details.domain!)) &&
        (cookie.partitionKey as { topLevelSite?: string } | undefined)?.topLevelSite ===
          details.partitionKey?.topLevelSite,
    );
  const cookies = { onChanged: event(), getAll };
  const webRequest = { onHeadersReceived: event() };
  const onMessage = event();
  /** Tabs in a private window; any other tab a test names is a normal one the browser knows. */
  const privateTabs = new Set<number>();
  const getTab = async (tabId: number) =>
    (await fakeBrowser.tabs.get(tabId)) ?? {
      id: tabId,
      index: 0,
      windowId: 0,
      highlighted: false,
      active: false,
      pinned: false,
      incognito: privateTabs.has(tabId),
    };
  const scripting = fakeScripting();
  const browser = Object.assign(Object.create(fakeBrowser), {
    cookies,
    webRequest,
    scripting: scripting.api,
    tabs: Object.assign(Object.create(fakeBrowser.tabs), { get: getTab }),
    runtime: Object.assign(Object.create(fakeBrowser.runtime), { onMessage }),
    action: { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {} },
    // An English browser: the locale the interface falls back on.
    i18n: { getMessage: (key: string) => (key === 'languageCode' ? 'en' : '') },
  }) as unknown as typeof wxtBrowser;

  /**
   * Sends a message and returns the answer: as the popup would (an extension page), or, given a tab, as that tab's
   * content script in its top frame would; or from the sender given, as a browser describes it.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests send malformed messages too, and read whatever comes back
  const send = async (message: unknown, from?: number | MessageSender): Promise<any> =>
    (
      await Promise.all(
        onMessage.fire(
          message,
          typeof from === 'object' ? from : from === undefined ? extensionPage() : contentScript(from),
        ),
      )
    )[0];

  return { browser, fakeBrowser, cookies, webRequest, scripting, send, privateTabs };
}

/**
 * The scripting API as both browsers give it: the content scripts registered, the scripts run. A read of a tab's
 * frames' storages (lib/observation/storage-read.ts) is answered from `storages`, the test's to fill, one answer a frame.
 */
function fakeScripting() {
  const registered = new Map<string, Record<string, unknown>>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- what the code under test asked to run, as it asked
  const executed: any[] = [];
  const storages = new Map<number, unknown[]>();
  let storageReads = 0;
  return {
    registered,
    executed,
    storages,
    get storageReads() {
      return storageReads;
    },
    api: {
      getRegisteredContentScripts: async ({ ids }: { ids?: string[] } = {}) =>
        [...registered.values()].filter((script) => !ids || ids.includes(script.id as string)),
      registerContentScripts: async (scripts: Array<Record<string, unknown>>) => {
        for (const script of scripts) {
          if (registered.has(script.id as string)) throw new Error(`Duplicate script ID '${String(script.id)}'`);
          registered.set(script.id as string, script);
        }
      },
      unregisterContentScripts: async ({ ids }: { ids: string[] }) => void ids.forEach((id) => registered.delete(id)),
      executeScript: async (injection: { target: { tabId: number }; func?: unknown }) => {
        if (injection.func === readFrameStorage) {
          storageReads++;
          return (storages.get(injection.target.tabId) ?? []).map((result, frameId) => ({ frameId, result }));
        }
        executed.push(injection);
        return [{ frameId: 0, result: true }];
      },
    },
  };
}

/** What browsers tell of a message's sender. */
export interface MessageSender {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id: number };
  frameId?: number;
  documentId?: string;
}

/** An extension page (the popup by default), as Chrome tells of it: in a tab when `tabId` is given. */
export function extensionPage(path = 'popup.html', tabId?: number): MessageSender {
  const base = fakeBrowser.runtime.getURL('');
  return {
    id: fakeBrowser.runtime.id,
    url: base + path,
    origin: base.replace(/\/$/, ''),
    ...(tabId === undefined ? {} : { tab: { id: tabId }, frameId: 0 }),
  };
}

/** The relay content script in a tab's frame (the top one by default), as the browser tells of it. */
export function contentScript(tabId: number, options: { url?: string; frameId?: number } = {}): MessageSender {
  const url = options.url;
  return {
    id: fakeBrowser.runtime.id,
    tab: { id: tabId },
    frameId: options.frameId ?? 0,
    ...(url === undefined ? {} : { url, origin: new URL(url).origin }),
  };
}
