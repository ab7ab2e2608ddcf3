import type { browser as wxtBrowser } from 'wxt/browser';
import type { ConsentPlatform } from '../consent/consent-state';
import { evidencePath } from '../observation/evidence-address';
import { hostOf, webOriginOf } from '../observation/host';
import { reportingOrigin, reportsOfOrigin, validReports } from '../observation/page-write';
import { VisitRecorder, PAIRING_WINDOW_MS, type JarCookie } from '../observation/visit-recorder';
import { siteOf } from '../audit/party';
import type { Db, VisitRecord } from '../storage/db';
import type { Persister } from '../storage/persister';
import { allDeposits, openVisits } from '../storage/queries';
import { ConsentSignals, consentCookieSeen, type ConsentCookieSeen } from './consent-signals';
import type { WhenReady } from './when-ready';

type Browser = typeof wxtBrowser;

/** What the rest of the background hears of the tabs. */
export interface ObservationHooks {
  /** A tab's visit, or one of its items, changed. */
  changed(tabId: number): void;
  /** A tab's top frame committed a new page (heard at once, not held while waking). */
  pageCommitted(tabId: number): void;
  /** A tab was closed. */
  tabClosed(tabId: number): void;
}

/**
 * Where browser events enter: the webRequest, webNavigation, cookies and tabs listeners, each doing almost nothing
 * but hand the event to the `VisitRecorder`; the jar snapshots taken when a tab first talks to a host; and the
 * lookup of a tab's window (its cookie store, whether it is private).
 */
export class Observation {
  readonly recorder: VisitRecorder;
  private readonly consent: ConsentSignals;
  private readonly tabs = new Map<number, TabInfo>();
  /** Each tab's top-level origin: the origin of its frames' reports where the browser tells none. */
  private readonly topOrigins = new Map<number, string>();
  private readonly tabOfVisit = new Map<string, number>();
  private readonly askingWindow = new Map<number, Promise<TabInfo | null>>();
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  /** Each tab's jar snapshots not answered yet: a platform's script waits for them before it may say "no choice". */
  private readonly snapshotting = new Map<number, Promise<void>>();

  constructor(
    private readonly browser: Browser,
    persister: Persister,
    private readonly hooks: ObservationHooks,
    private readonly options: { isChrome: boolean },
  ) {
    this.recorder = new VisitRecorder(
      {
        visitChanged: (visit, isPrivate, news) => {
          if (!isPrivate) persister.visit(visit, news);
          this.tabOfVisit.set(visit.id, visit.tabId);
          hooks.changed(visit.tabId);
        },
        itemChanged: (item, isPrivate, news) => {
          if (!isPrivate) persister.item(item, news);
          const tabId = this.tabOfVisit.get(item.visitId);
          if (tabId !== undefined) hooks.changed(tabId);
        },
        depositSeen: (key, firstDeposit, lastSeen, isPrivate) => {
          if (!isPrivate) persister.deposit({ key, firstDeposit, lastSeen });
        },
      },
      undefined,
      { unaskedPartitions: !options.isChrome },
    );
    this.consent = new ConsentSignals(this.recorder);
  }

  /** Registers the listeners: called synchronously as the background starts, before anything asynchronous. */
  listen(whenReady: WhenReady): void {
    const { browser, recorder } = this;
    browser.webRequest.onBeforeRequest.addListener(
      (details) => {
        if (details.tabId < 0) return undefined;
        const at = Date.now();
        whenReady(() => {
          if (details.type === 'main_frame') this.navigate(details.tabId, details.url, at, false);
          else if (!this.fromPageLeft(details.tabId, details)) this.contact(details.tabId, details.url, at);
        });
        return undefined;
      },
      { urls: ['<all_urls>'] },
    );

    const headerOptions = ['responseHeaders', ...(this.options.isChrome ? ['extraHeaders'] : [])] as Parameters<
      typeof browser.webRequest.onHeadersReceived.addListener
    >[2];
    browser.webRequest.onHeadersReceived.addListener(
      (details) => {
        if (details.tabId < 0) return undefined;
        const at = Date.now();
        const cookies: string[] = [];
        let serverDate: number | null = null;
        for (const header of details.responseHeaders ?? []) {
          const name = header.name.toLowerCase();
          // The raw header goes to the Set-Cookie parser, which keeps names and attributes and drops every value.
          if (name === 'set-cookie' && header.value) cookies.push(header.value);
          else if (name === 'date' && header.value) serverDate = Date.parse(header.value) || null;
        }
        if (cookies.length === 0 && details.type !== 'main_frame') return undefined;
        whenReady(() => {
          if (details.type === 'main_frame') this.navigate(details.tabId, details.url, at, false);
          if (cookies.length > 0 && (details.type === 'main_frame' || !this.fromPageLeft(details.tabId, details))) {
            recorder.headerCookies(details.tabId, details.url, cookies, at, serverDate);
          }
        });
        return undefined;
      },
      { urls: ['<all_urls>'] },
      headerOptions,
    );

    browser.webNavigation.onCommitted.addListener((details) => {
      const at = Date.now();
      if (details.frameId === 0) this.hooks.pageCommitted(details.tabId);
      whenReady(() => {
        if (details.frameId === 0) this.navigate(details.tabId, details.url, at, true);
        else this.contact(details.tabId, details.url, at);
      });
    });

    browser.cookies.onChanged.addListener(({ cookie, removed, cause }) => {
      const at = Date.now();
      const jarCookie = toJarCookie(cookie);
      // A consent cookie's value is read here, while the jar hands it over, and goes with the event.
      const consent = consentCookieSeen(cookie, removed);
      // An overwrite's removal is followed by the new value's event: not a choice forgotten.
      const replaced = removed && (cause === 'overwrite' || cause === 'expired_overwrite');
      whenReady(() => {
        recorder.jarChanged(jarCookie, removed, cause, at);
        if (consent && !replaced) this.consent.cookieChanged(consent, removed, at);
        this.scheduleSettle();
      });
    });

    browser.tabs.onCreated.addListener((tab) => {
      if (tab.id === undefined) return;
      const tabId = tab.id;
      this.tabs.set(tabId, tabInfo(tab));
      whenReady(() => recorder.tabKnown(tabId, tabInfo(tab)));
    });

    browser.tabs.onRemoved.addListener((tabId) => {
      const at = Date.now();
      whenReady(() => {
        recorder.closeTab(tabId, at);
        this.consent.tabClosed(tabId);
        this.hooks.tabClosed(tabId);
        this.tabs.delete(tabId);
        this.topOrigins.delete(tabId);
      });
    });
  }

  /** The tabs open as the background wakes. */
  tabsOpen(open: Array<{ id?: number; cookieStoreId?: string; incognito: boolean }>): void {
    for (const tab of open) if (tab.id !== undefined) this.tabs.set(tab.id, tabInfo(tab));
  }

  /** Gives the recorder the visits of the open tabs, as stored; returns them. */
  async restore(database: Db, open: Array<{ id?: number; url?: string; incognito: boolean }>): Promise<VisitRecord[]> {
    const visits = await openVisits(
      database,
      open.flatMap((tab) =>
        tab.id !== undefined && !tab.incognito ? [{ id: tab.id, site: siteOf(tab.url ?? '') }] : [],
      ),
    );
    this.recorder.restore(visits, await allDeposits(database));
    for (const tab of open) {
      const origin = tab.id !== undefined && tab.url ? webOriginOf(tab.url) : null;
      if (origin) this.topOrigins.set(tab.id!, origin);
    }
    const restored = visits.map((visit) => visit.record);
    for (const visit of restored) this.tabOfVisit.set(visit.id, visit.tabId);
    return restored;
  }

  /** A content script's page reports, counted for its tab and under its frame's own origin, as the browser tells both. */
  pageReports(
    tabId: number,
    sender: RequestingPage & { url?: string; origin?: string },
    reports: readonly unknown[],
  ): void {
    if (!this.fromPageLeft(tabId, { ...sender, documentUrl: sender.url })) {
      const origin = reportingOrigin(sender, this.topOrigins.get(tabId) ?? null);
      this.recorder.pageReports(tabId, reportsOfOrigin(validReports(reports), origin), Date.now());
    }
  }

  private navigate(tabId: number, url: string, at: number, committed: boolean): void {
    const info = this.tabs.get(tabId);
    if (!info) void this.windowOf(tabId);
    const origin = webOriginOf(url);
    if (origin) this.topOrigins.set(tabId, origin);
    else this.topOrigins.delete(tabId);
    const newAddress = this.recorder.navigate(tabId, url, at, {
      committed,
      storeId: info?.storeId ?? null,
      isPrivate: info ? info.isPrivate : null,
    });
    if (newAddress) void this.snapshot(tabId, url, at);
  }

  /**
   * The window of a tab whose first request came before the browser told of the tab: asked for, and given to the
   * recorder, which kept the visit in memory meanwhile. A tab gone before the answer stays unknown, and unstored.
   */
  windowOf(tabId: number): Promise<TabInfo | null> {
    const known = this.tabs.get(tabId);
    if (known) return Promise.resolve(known);
    let asking = this.askingWindow.get(tabId);
    if (!asking) {
      // Asked once, however many events of the tab come before the answer.
      asking = this.browser.tabs
        .get(tabId)
        .then(
          (tab) => {
            if (!tab) return null;
            const info = tabInfo(tab);
            this.tabs.set(tabId, info);
            this.recorder.tabKnown(tabId, info);
            return info;
          },
          () => null,
        )
        .finally(() => this.askingWindow.delete(tabId));
      this.askingWindow.set(tabId, asking);
    }
    return asking;
  }

  /**
   * Whether a request (or a page hook's report) comes from a page the tab has left for another site: that page still
   * sends requests as it goes (its last beacons, on pagehide), and what they set is not the new site's.
   */
  private fromPageLeft(tabId: number, from: RequestingPage): boolean {
    if (from.documentLifecycle !== undefined && from.documentLifecycle !== 'active') return true;
    const top =
      from.frameAncestors?.at(-1)?.url ?? (from.frameId === 0 ? (from.documentUrl ?? from.initiator) : undefined);
    const site = top ? siteOf(top) : null;
    const visitSite = this.recorder.siteOfTab(tabId);
    return site !== null && visitSite !== null && site !== visitSite;
  }

  /**
   * A request or frame of the tab reached `url`. Whichever event tells of a host first takes the snapshot: Firefox
   * can report a frame's commit before its request.
   */
  private contact(tabId: number, url: string, at: number): void {
    const newHost = this.recorder.contact(tabId, url, at) ? hostOf(url) : null;
    if (newHost !== null) void this.snapshot(tabId, url, at);
    const platform = this.consent.scriptPlatform(url, newHost);
    if (platform) void this.platformLoaded(tabId, platform, newHost ?? hostOf(url) ?? '', at);
  }

  /** A consent platform's script loading says "no choice yet" only once the jar's consent cookies had their say. */
  private async platformLoaded(tabId: number, platform: ConsentPlatform, host: string, at: number): Promise<void> {
    const visitId = this.recorder.visitIdOf(tabId);
    if (visitId === null) return;
    await this.snapshotting.get(tabId);
    this.consent.platformLoaded(tabId, visitId, platform, host, at);
  }

  /**
   * Cookies the jar already holds for a host the tab now talks to: its requests send them, the unpartitioned ones
   * and those partitioned under the tab's top-level site (CHIPS cookies; in Firefox, whose Total Cookie Protection
   * partitions them unasked, every third-party cookie).
   */
  private snapshot(tabId: number, url: string, requestedAt: number): Promise<void> {
    const taking = this.takeSnapshot(tabId, url, requestedAt);
    const all = Promise.allSettled([this.snapshotting.get(tabId), taking]).then(() => undefined);
    this.snapshotting.set(tabId, all);
    void all.then(() => {
      if (this.snapshotting.get(tabId) === all) this.snapshotting.delete(tabId);
    });
    return taking;
  }

  private async takeSnapshot(tabId: number, url: string, requestedAt: number): Promise<void> {
    const visitId = this.recorder.visitIdOf(tabId);
    if (visitId === null) return;
    const { cookies, consent } = await this.jarCookies(tabId, url);
    this.recorder.snapshot(tabId, visitId, cookies, Date.now());
    if (consent.length > 0) this.consent.found(tabId, visitId, consent, requestedAt);
  }

  /** The cookies the tab's requests to `url` send, from the tab's own jar (a private window's, a container's). */
  private async jarCookies(
    tabId: number,
    url: string,
  ): Promise<{ cookies: JarCookie[]; consent: ConsentCookieSeen[] }> {
    const topLevelSite = this.recorder.topLevelSiteOf(tabId);
    // A snapshot waits to know which jar is the tab's.
    const storeId = (await this.windowOf(tabId))?.storeId ?? undefined;
    const query = { url, ...(storeId ? { storeId } : {}) };
    const [unpartitioned, partitioned] = await Promise.all([
      // A URL the cookies API refuses (e.g. a data: frame) has no cookies to send.
      this.browser.cookies.getAll(query).catch(() => []),
      topLevelSite ? this.browser.cookies.getAll({ ...query, partitionKey: { topLevelSite } }).catch(() => []) : [],
    ]);
    const found = [...unpartitioned, ...partitioned];
    // The consent cookies among them are read before their values go.
    const consent = found.flatMap((cookie) => consentCookieSeen(cookie, false) ?? []);
    return { cookies: found.map(toJarCookie), consent };
  }

  /** What the jar holds for the visits restored on waking, that they lack (see VisitRecorder.recover). */
  async recoverLost(restored: VisitRecord[]): Promise<void> {
    // Not a visit whose tab has gone to another site meanwhile (events held while waking).
    const current = restored.filter((visit) => this.recorder.visitIdOf(visit.tabId) === visit.id);
    if (current.length === 0) return;
    const found = await Promise.all(
      current.flatMap((visit) =>
        visitUrls(visit).map(async (url) => ({ visit, ...(await this.jarCookies(visit.tabId, url)) })),
      ),
    );
    const now = Date.now();
    this.recorder.recover(
      current.map((visit) => visit.id),
      found.flatMap(({ cookies }) => cookies),
      now,
    );
    // What the consent cookies say now: they may have changed while the background slept.
    for (const { visit, consent } of found) this.consent.found(visit.tabId, visit.id, consent, now);
  }

  /** Settles the jar changes no write claimed, again and again while some still wait (see VisitRecorder.settle). */
  private scheduleSettle(delayMs = PAIRING_WINDOW_MS + 100): void {
    this.settleTimer ??= setTimeout(() => {
      this.settleTimer = null;
      const now = Date.now();
      const next = this.recorder.settle(now);
      if (next !== null) this.scheduleSettle(Math.max(next - now, 0) + 100);
    }, delayMs);
  }
}

/**
 * What browsers tell of the page a request or message comes from: Chrome its document's lifecycle and, for a top
 * frame's request, its origin (`initiator`); Firefox its document and the frame's ancestors, the top one last.
 */
export interface RequestingPage {
  frameId?: number;
  initiator?: string;
  documentUrl?: string;
  documentLifecycle?: string;
  frameAncestors?: Array<{ url: string }>;
}

/** What the background needs to know of a tab's window: its cookie store, and whether it is private. */
interface TabInfo {
  storeId: string | null;
  isPrivate: boolean;
}

function tabInfo(tab: { cookieStoreId?: string; incognito: boolean }): TabInfo {
  return { storeId: tab.cookieStoreId ?? null, isPrivate: tab.incognito };
}

/** The browser's cookie (its value included) as the jar cookie the recorder keeps. */
function toJarCookie(cookie: JarCookie & { value?: string }): JarCookie {
  // Copied field by field: the value stays behind.
  return {
    name: cookie.name,
    domain: cookie.domain,
    path: evidencePath(cookie.path),
    hostOnly: cookie.hostOnly,
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    sameSite: cookie.sameSite,
    session: cookie.session,
    ...(cookie.expirationDate !== undefined ? { expirationDate: cookie.expirationDate } : {}),
    storeId: cookie.storeId,
    partitionKey: cookie.partitionKey ?? null,
  };
}

/** The addresses whose cookies a visit's requests were sent with, as far as it kept them: its pages, and its hosts. */
function visitUrls(visit: VisitRecord): string[] {
  const scheme = visit.pageUrls[0]?.startsWith('http:') ? 'http' : 'https';
  return [...new Set([...visit.pageUrls, ...visit.hosts.map((host) => `${scheme}://${host}/`)])];
}
