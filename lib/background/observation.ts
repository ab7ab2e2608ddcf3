import type { browser as wxtBrowser } from 'wxt/browser';
import type { ConsentChange, ConsentPlatform } from '../consent/consent-state';
import { evidencePath } from '../observation/evidence-address';
import { hostOf, webOriginOf } from '../observation/host';
import { reportingOrigin, reportsOfOrigin, validReports } from '../observation/page-write';
import { readFrameStorage, storagesFound } from '../observation/storage-read';
import { jarHoldsWrite, VisitRecorder, PAIRING_WINDOW_MS, type JarCookie } from '../observation/visit-recorder';
import { siteOf } from '../audit/party';
import type { Db, VisitRecord } from '../storage/db';
import type { Persister } from '../storage/persister';
import { allDeposits, openVisits } from '../storage/queries';
import { ConsentSignals, consentCookieSeen, type ConsentCookieSeen } from './consent-signals';
import type { WhenReady } from './when-ready';

type Browser = typeof wxtBrowser;
/** A cookie as the browser hands it over: its value included, which only the consent signals read. */
type BrowserCookie = JarCookie & { value?: string };
/** A consent cookie a jar read found: its reading, and the cookie as the jar keeps it (its value gone). */
type ConsentSeenInJar = { seen: ConsentCookieSeen; cookie: JarCookie };
type ConsentPin = {
  tabId: number;
  name: string;
  domain: string;
  cookie: JarCookie;
  askedAt: number;
  /** The write the reading was pinned on; null when no write told of it and it holds from a read. */
  writeAt: number | null;
  change: ConsentChange;
};
/** A read of the jar as the recorder and the consent signals take it: no value left. */
type JarRead = { cookies: JarCookie[]; consent: ConsentCookieSeen[] };
type JarChange = Parameters<Parameters<Browser['cookies']['onChanged']['addListener']>[0]>[0];

/** How long after a tab's writes everyday mode reads the jar: one read for a page's burst of writes. */
const JAR_READ_DELAY_MS = 1000;
/** Everyday mode: reports asked for within this time of a read of a tab's storages share it (a popup asks twice). */
const STORAGE_READ_REUSE_MS = 1000;
/** A read of the jar as a navigation began serves as the snapshot of its host's first response within this time. */
const JAR_BEFORE_MAX_AGE_MS = 30_000;
/** A frame that does not answer a read of its storages (a page stuck in a loop) does not hold the report up longer. */
const STORAGE_READ_TIMEOUT_MS = 2000;
/** How long a report waits at most for the tab's pending jar reads: a browser whose jar never answers holds no report. */
const PENDING_WAIT_MS = 5000;

/** What the rest of the background hears of the tabs. */
export interface ObservationHooks {
  /** A tab's visit, or one of its items, changed. */
  /** `news`: a new visit, host or item, or a changed fact; otherwise bookkeeping (a renewal, a page count). */
  changed(tabId: number, news: boolean): void;
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
  /**
   * Each tab's work not finished yet: its jar snapshots, which a platform's script waits for before it may say "no
   * choice", and those platforms' scripts. A report waits for it: what the tab's requests told is in it however slowly
   * the jar answers.
   */
  private readonly pending = new Map<number, Promise<void>>();
  /** Everyday mode: each tab's sites whose cookies the jar is to be read for, and when. */
  private readonly jarReads = new Map<number, { sites: Set<string>; timer: ReturnType<typeof setTimeout> }>();
  /**
   * Everyday mode: the jar as each frame's navigation began, by tab and host, before its request went out: nothing its
   * page's scripts set can be in it (see takeSnapshot).
   */
  private readonly jarBefore = new Map<number, Map<string, { at: number; read: Promise<JarRead> }>>();
  /** Everyday mode: each tab's last read of its frames' storages, for its visit (see readJar). */
  private readonly storageReads = new Map<number, { visitId: string; at: number; reading: Promise<void> }>();
  /** Audit mode: every change of the jar is followed as it happens (see followJar). */
  private following = false;
  private whenReady: WhenReady = (work) => work();
  /** Everyday mode: the write of each consent cookie (by visit) whose reading was applied, and readings waiting. */
  private readonly consentWrites = new Map<string, number>();
  private readonly consentWaiting = new Map<string, number>();
  /** The latest change each consent cookie's reading made, and what it was pinned on (see repinConsent). */
  private readonly consentPinned = new Map<string, ConsentPin>();

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
          hooks.changed(visit.tabId, news);
        },
        itemChanged: (item, isPrivate, news) => {
          if (!isPrivate) persister.item(item, news);
          const tabId = this.tabOfVisit.get(item.visitId);
          if (tabId !== undefined) hooks.changed(tabId, news);
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
        whenReady(() => {
          if (details.type === 'main_frame') this.navigate(details.tabId, details.url, at, false);
          else if (this.fromPageLeft(details.tabId, details)) return;
          else this.contact(details.tabId, details.url, at);
          if (cookies.length === 0) return;
          recorder.headerCookies(details.tabId, details.url, cookies, at, serverDate);
          this.readJarSoon(details.tabId, details.url);
        });
        return undefined;
      },
      { urls: ['<all_urls>'] },
      headerOptions,
    );

    // Not held while waking: the jar is to be read before the page's response comes, whatever else waits.
    browser.webNavigation.onBeforeNavigate.addListener((details) => {
      if (!this.following) this.readJarBefore(details.tabId, details.frameId, details.url);
    });

    browser.webNavigation.onCommitted.addListener((details) => {
      const at = Date.now();
      whenReady(() => {
        if (details.frameId === 0) {
          this.navigate(details.tabId, details.url, at, true);
          this.hooks.pageCommitted(details.tabId);
        } else this.contact(details.tabId, details.url, at);
        // What a page's load set without any write told of (a script's, a service worker's) is read a moment later.
        this.readJarSoon(details.tabId, details.url);
      });
    });
    // And again once it has loaded: everyday mode hears of no script's write (the page hook is audit mode's).
    browser.webNavigation.onCompleted.addListener((details) => {
      whenReady(() => this.readJarSoon(details.tabId, details.url));
    });

    this.whenReady = whenReady;

    browser.tabs.onCreated.addListener((tab) => {
      if (tab.id === undefined) return;
      const tabId = tab.id;
      this.tabs.set(tabId, tabInfo(tab));
      whenReady(() => recorder.tabKnown(tabId, tabInfo(tab)));
    });

    browser.tabs.onRemoved.addListener((tabId) => {
      const at = Date.now();
      whenReady(() => {
        this.forgetConsentReads(this.recorder.visitIdOf(tabId));
        recorder.closeTab(tabId, at);
        this.consent.tabClosed(tabId);
        this.hooks.tabClosed(tabId);
        this.tabs.delete(tabId);
        this.topOrigins.delete(tabId);
        this.cancelJarRead(tabId);
        this.storageReads.delete(tabId);
        this.jarBefore.delete(tabId);
      });
    });
  }

  /**
   * Audit mode follows every change of the jar as it happens (cookies.onChanged); everyday mode does not, because
   * Chrome then wakes the extension for each cookie any page sets, a page load's largest cost after the Set-Cookie
   * headers themselves (README, "Benchmarks"). Everyday mode reads the jar instead, for the sites a tab wrote to, a
   * moment after the writes and when a report is asked for (readJarSoon, readJar). What only the live account gives:
   * when a cookie that no header or script write told of was set or removed (a service worker's, another
   * extension's), to the millisecond rather than by the next read; and a value changed and changed back between reads
   * of a consent cookie.
   */
  followJar(on: boolean): void {
    if (on === this.following) return;
    this.following = on;
    if (on) this.browser.cookies.onChanged.addListener(this.jarChanged);
    else this.browser.cookies.onChanged.removeListener(this.jarChanged);
    if (on) for (const tabId of [...this.jarReads.keys()]) this.cancelJarRead(tabId);
  }

  private readonly jarChanged = ({ cookie, removed, cause }: JarChange): void => {
    const at = Date.now();
    const jarCookie = toJarCookie(cookie);
    // A consent cookie's value is read here, while the jar hands it over, and goes with the event.
    const consent = consentCookieSeen(cookie, removed);
    // An overwrite's removal is followed by the new value's event: not a choice forgotten.
    const replaced = removed && (cause === 'overwrite' || cause === 'expired_overwrite');
    this.whenReady(() => {
      this.recorder.jarChanged(jarCookie, removed, cause, at);
      if (consent && !replaced) this.consent.cookieChanged(consent, removed, at);
      this.scheduleSettle();
    });
  };

  /** Everyday mode: the jar is read for the site of `url` a moment after the tab wrote to it (one read for a burst). */
  private readJarSoon(tabId: number, url: string): void {
    if (this.following) return;
    const site = siteOf(url);
    if (site === null) return;
    const pending = this.jarReads.get(tabId);
    if (pending) {
      pending.sites.add(site);
      return;
    }
    const sites = new Set([site]);
    const timer = setTimeout(() => {
      this.jarReads.delete(tabId);
      void this.readJar(tabId, [...sites]);
    }, JAR_READ_DELAY_MS);
    this.jarReads.set(tabId, { sites, timer });
  }

  /** Whether the tab wrote since the jar was last read for it (everyday mode): a report made now may lack the jar's word. */
  jarReadDue(tabId: number): boolean {
    return this.jarReads.has(tabId);
  }

  private cancelJarRead(tabId: number): void {
    const pending = this.jarReads.get(tabId);
    if (pending) clearTimeout(pending.timer);
    this.jarReads.delete(tabId);
  }

  /**
   * Everyday mode: what a report of the tab is to tell, read before it is made: the jar for every site the visit met,
   * and, unless `storages` is false (the popup's first screen, which does not wait for the frames), the key names of
   * its frames' storages. In audit mode the live account and the page hook already have it. Either mode first waits
   * for the tab's pending work (snapshots, consent platforms' scripts): a busy machine's slow jar loses nothing.
   */
  async readForReport(tabId: number, storages = true): Promise<void> {
    const pending = this.pending.get(tabId);
    if (pending) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(resolve, PENDING_WAIT_MS)))]);
      clearTimeout(timer);
    }
    if (this.following) return;
    const visitId = this.recorder.visitIdOf(tabId);
    if (visitId === null) return;
    await Promise.all([this.readJar(tabId), storages ? this.readStorage(tabId, visitId) : null]);
  }

  /**
   * Everyday mode: what the jar holds now for `sites` of the tab's visit (all the sites it met, by default), given to
   * the recorder and to the consent signals.
   */
  async readJar(tabId: number, sites?: readonly string[]): Promise<void> {
    if (this.following) return;
    const visitId = this.recorder.visitIdOf(tabId);
    if (visitId === null) return;
    if (!sites) this.cancelJarRead(tabId);
    const reading = sites ?? this.recorder.sitesOf(tabId);
    const askedAt = Date.now();
    const found = await Promise.all(reading.map((site) => this.askJar(tabId, { domain: site })));
    const cookies = found.flat();
    this.recorder.reconcile(tabId, visitId, reading, cookies.map(toJarCookie), askedAt);
    const consent = cookies.flatMap((cookie) => {
      const seen = consentCookieSeen(cookie, false);
      return seen ? [{ seen, cookie: toJarCookie(cookie) }] : [];
    });
    if (consent.length > 0) this.consentRead(tabId, visitId, consent, askedAt);
  }

  /**
   * Everyday mode: the key names the storages of the tab's frames hold, read in each frame's isolated world (no value
   * is read). A frame that cannot be scripted (a browser page, one gone meanwhile) tells nothing.
   */
  private readStorage(tabId: number, visitId: string): Promise<void> {
    const last = this.storageReads.get(tabId);
    const at = Date.now();
    if (last?.visitId === visitId && at - last.at < STORAGE_READ_REUSE_MS) return last.reading;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reading = Promise.race([
      Promise.resolve()
        .then(() =>
          this.browser.scripting.executeScript({
            target: { tabId, allFrames: true },
            func: readFrameStorage,
            injectImmediately: true,
          }),
        )
        .then((results) => results.map((result) => result.result as unknown)),
      new Promise<unknown[]>((resolve) => (timer = setTimeout(() => resolve([]), STORAGE_READ_TIMEOUT_MS))),
    ])
      .catch(() => [])
      .then((answers) => {
        clearTimeout(timer);
        this.recorder.storageRead(tabId, visitId, storagesFound(answers), at);
      });
    this.storageReads.set(tabId, { visitId, at, reading });
    return reading;
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
      const valid = reportsOfOrigin(validReports(reports), origin);
      this.recorder.pageReports(tabId, valid, Date.now());
      if (this.consentPinned.size > 0) this.repinConsent(tabId);
      // One read for a frame's batch, however many writes it holds.
      const frames = new Set(valid.flatMap((report) => (report.kind === 'cookie-write' ? [report.frameUrl] : [])));
      for (const frameUrl of frames) this.readJarSoon(tabId, frameUrl);
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
    if (platform) this.track(tabId, this.platformLoaded(tabId, platform, newHost ?? hostOf(url) ?? '', at));
  }

  /** A consent platform's script loading says "no choice yet" only once the jar's consent cookies had their say. */
  private async platformLoaded(tabId: number, platform: ConsentPlatform, host: string, at: number): Promise<void> {
    const visitId = this.recorder.visitIdOf(tabId);
    if (visitId === null) return;
    await this.pending.get(tabId);
    this.consent.platformLoaded(tabId, visitId, platform, host, at);
  }

  /** Adds `work` to the tab's pending work (see `pending`). */
  private track(tabId: number, work: Promise<void>): void {
    const all = Promise.allSettled([this.pending.get(tabId), work]).then(() => undefined);
    this.pending.set(tabId, all);
    void all.then(() => {
      if (this.pending.get(tabId) === all) this.pending.delete(tabId);
    });
  }

  /**
   * Cookies the jar already holds for a host the tab now talks to: its requests send them, the unpartitioned ones
   * and those partitioned under the tab's top-level site (CHIPS cookies; in Firefox, whose Total Cookie Protection
   * partitions them unasked, every third-party cookie).
   */
  private snapshot(tabId: number, url: string, requestedAt: number): Promise<void> {
    const taking = this.takeSnapshot(tabId, url, requestedAt);
    this.track(tabId, taking);
    return taking;
  }

  /**
   * Everyday mode: what the jar holds for `url` as a frame's navigation to it begins. A snapshot taken when the response
   * comes races the page's scripts, and with no page hook to tell of their writes, a cookie they set before the answer
   * would be taken for one already there.
   */
  private readJarBefore(tabId: number, frameId: number, url: string): void {
    const host = hostOf(url);
    if (tabId < 0 || host === null) return;
    const topLevelSite = frameId === 0 ? topLevelSiteOf(url) : this.recorder.topLevelSiteOf(tabId);
    let tab = this.jarBefore.get(tabId);
    if (!tab) this.jarBefore.set(tabId, (tab = new Map()));
    if (frameId === 0) tab.clear();
    // Only where the response will have the jar read (a page or host new to the visit): not on every reload.
    if (!this.recorder.snapshotDue(tabId, url, frameId === 0)) return;
    // The values go as soon as the jar answers: a read no response ever uses may wait here until the tab moves on.
    tab.set(host, { at: Date.now(), read: this.askJar(tabId, { url }, topLevelSite).then(readCookies) });
  }

  private async takeSnapshot(tabId: number, url: string, requestedAt: number): Promise<void> {
    const visitId = this.recorder.visitIdOf(tabId);
    if (visitId === null) return;
    const host = hostOf(url);
    const before = host === null ? undefined : this.jarBefore.get(tabId)?.get(host);
    if (host !== null) this.jarBefore.get(tabId)?.delete(host);
    const { cookies, consent } =
      before && !this.following && requestedAt - before.at < JAR_BEFORE_MAX_AGE_MS
        ? await before.read
        : await this.jarCookies(tabId, url);
    this.recorder.snapshot(tabId, visitId, cookies, Date.now());
    if (consent.length > 0) this.consent.found(tabId, visitId, consent, requestedAt);
  }

  /** The cookies the tab's requests to `url` send, from the tab's own jar (a private window's, a container's). */
  private async jarCookies(tabId: number, url: string): Promise<JarRead> {
    return readCookies(await this.askJar(tabId, { url }));
  }

  /**
   * The tab's own jar (a private window's, a container's) for `query`: the unpartitioned cookies, and those
   * partitioned under the tab's top-level site (CHIPS cookies; in Firefox, whose Total Cookie Protection partitions
   * them unasked, every third-party cookie). Values included: the caller reads the consent cookies' and drops them.
   */
  private async askJar(
    tabId: number,
    query: { url: string } | { domain: string },
    topLevelSite = this.recorder.topLevelSiteOf(tabId),
  ): Promise<BrowserCookie[]> {
    // A read waits to know which jar is the tab's.
    const storeId = (await this.windowOf(tabId))?.storeId ?? undefined;
    const asked = { ...query, ...(storeId ? { storeId } : {}) };
    const [unpartitioned, partitioned] = await Promise.all([
      // A URL the cookies API refuses (e.g. a data: frame) has no cookies to send.
      this.browser.cookies.getAll(asked).catch(() => []),
      topLevelSite ? this.browser.cookies.getAll({ ...asked, partitionKey: { topLevelSite } }).catch(() => []) : [],
    ]);
    return [...unpartitioned, ...partitioned];
  }

  /**
   * Everyday mode: the consent cookies a read found. A choice holds from the page's write of its cookie, which the
   * page's report may tell after the read: a reading is applied at a write not applied yet, and otherwise waits for
   * one. A cookie no write tells of (a service worker's) is applied, after a pairing window, from the read that first
   * found it in that state; readings that change nothing are dropped by the consent signals.
   */
  private consentRead(tabId: number, visitId: string, consent: readonly ConsentSeenInJar[], askedAt: number): void {
    let waiting = false;
    for (const { seen, cookie } of consent) {
      const k = `${visitId}|${seen.name}|${seen.domain}`;
      const write = this.recorder.lastWriteOf(tabId, seen.name, seen.domain);
      // A write not reported yet may have left what the jar holds: its reading waits for the report.
      if (write && write.at <= askedAt && jarHoldsWrite(write, cookie) && this.consentWrites.get(k) !== write.at) {
        this.consentWrites.set(k, write.at);
        this.consentWaiting.delete(k);
        this.pin(k, tabId, seen, cookie, askedAt, write.at, this.consent.found(tabId, visitId, [seen], write.at));
        continue;
      }
      const since = this.consentWaiting.get(k) ?? askedAt;
      if (askedAt - since < PAIRING_WINDOW_MS) {
        this.consentWaiting.set(k, since);
        waiting = true;
        continue;
      }
      this.consentWaiting.delete(k);
      this.pin(k, tabId, seen, cookie, askedAt, null, this.consent.found(tabId, visitId, [seen], since));
    }
    if (waiting) {
      const site = this.recorder.siteOfTab(tabId);
      if (site) setTimeout(() => void this.readJar(tabId, [site]), PAIRING_WINDOW_MS + 100);
    }
  }

  private pin(
    k: string,
    tabId: number,
    seen: ConsentCookieSeen,
    cookie: JarCookie,
    askedAt: number,
    writeAt: number | null,
    [change]: ConsentChange[],
  ): void {
    if (change)
      this.consentPinned.set(k, { tabId, name: seen.name, domain: seen.domain, cookie, askedAt, writeAt, change });
    else this.consentPinned.delete(k);
  }

  /**
   * The jar holds what the last write before the read left. A reading pinned on an earlier write, or on the read
   * itself, moves to the page's later write of the cookie when that write's report comes after the read (a page's
   * reports can come late; both writes may ask for the same lifetime).
   */
  private repinConsent(tabId: number): void {
    for (const [k, pin] of this.consentPinned) {
      if (pin.tabId !== tabId) continue;
      const write = this.recorder.lastWriteOf(tabId, pin.name, pin.domain);
      if (!write || write.at > pin.askedAt || (pin.writeAt !== null && write.at <= pin.writeAt)) continue;
      if (!jarHoldsWrite(write, pin.cookie)) continue;
      pin.writeAt = write.at;
      this.consentWrites.set(k, write.at);
      this.recorder.consentMoved(tabId, pin.change, write.at);
    }
  }

  private forgetConsentReads(visitId: string | null): void {
    if (visitId === null) return;
    for (const reads of [this.consentWrites, this.consentWaiting, this.consentPinned])
      for (const k of reads.keys()) if (k.startsWith(`${visitId}|`)) reads.delete(k);
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

/** The top-level site a page at `url` keys partitioned cookies under: scheme and registrable domain. */
function topLevelSiteOf(url: string): string | null {
  const site = siteOf(url);
  return site === null ? null : `${url.startsWith('http:') ? 'http' : 'https'}://${site}`;
}

/** The cookies found, as the recorder keeps them, and the readings of the consent cookies among them (before their values go). */
function readCookies(found: readonly BrowserCookie[]): JarRead {
  const consent = found.flatMap((cookie) => consentCookieSeen(cookie, false) ?? []);
  return { cookies: found.map(toJarCookie), consent };
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
