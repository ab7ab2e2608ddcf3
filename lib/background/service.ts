import * as v from 'valibot';
import type { browser as wxtBrowser } from 'wxt/browser';
import { bundledCatalogues } from '../catalogue/bundled';
import { CatalogueSchema, validateCatalogue, type Catalogue } from '../catalogue/schema';
import { cataloguesForSite, type SiteBinding } from '../catalogue/sites';
import { summarize } from '../findings';
import { languageOf, type Language } from '../i18n';
import { t } from '../strings';
import {
  DEFAULT_SETTINGS,
  REQUEST_SENDERS,
  RequestSchema,
  senderKind,
  SettingsSchema,
  summarizeCatalogue,
  type CatalogueListing,
  type ErrorResponse,
  type OpenCookieDatabaseInfo,
  type Request,
  type Settings,
  type VisitReport,
} from '../messages';
import { assessVisit, DEFAULT_TOLERANCE, entryEvidence } from '../mismatches';
import type { ObservedItem } from '../observed';
import { evidencePath } from '../observation/evidence-address';
import { reportsOfOrigin, senderOrigin, validReports } from '../observation/page-report';
import { VisitRecorder, PAIRING_WINDOW_MS, type JarCookie } from '../observation/visit-recorder';
import { siteOf } from '../party';
import { rowDetails, tabRows } from '../report-rows';
import { openCookieLensDb, type Db, type VisitRecord } from '../storage/db';
import { Persister } from '../storage/persister';
import { lookupOpenCookieDatabase, parseOpenCookieDatabase, type OcdEntry, type OpenCookieDatabase } from '../vendors/open-cookie-database';
import { allDeposits, DEPOSIT_KEPT_MS, getSetting, loadVisit, openVisits, pruneDeposits, pruneVisits, putSetting, visitPage } from '../storage/queries';

type Browser = typeof wxtBrowser;

const BADGE_DELAY_MS = 300;
const ACK_TIMEOUT_MS = 5000;

/**
 * The background's work: listeners registered synchronously (an MV3 service worker or event page is woken by the
 * event itself), each doing almost nothing but hand the event to the recorder; state rebuilt from storage on wake,
 * with events that arrive meanwhile held and replayed in order.
 */
export function startBackground(browser: Browser, options: { isChrome: boolean; openDb?: () => Promise<Db> }): void {
  /** When this background started: a stopped worker or suspended event page starts again on the next event. */
  const startedAt = Date.now();
  let dbPromise: Promise<Db> | null = null;
  const db = () => (dbPromise ??= (options.openDb ?? openCookieLensDb)());
  const persister = new Persister(db);
  const recorder = new VisitRecorder({
    visitChanged: (visit, isPrivate, news) => {
      if (!isPrivate) persister.visit(visit, news);
      tabOfVisit.set(visit.id, visit.tabId);
      changed(visit.tabId);
    },
    itemChanged: (item, isPrivate, news) => {
      if (!isPrivate) persister.item(item, news);
      const tabId = tabOfVisit.get(item.visitId);
      if (tabId !== undefined) changed(tabId);
    },
    depositSeen: (key, firstDeposit, lastSeen, isPrivate) => {
      if (!isPrivate) persister.deposit({ key, firstDeposit, lastSeen });
    },
  }, undefined, { unaskedPartitions: !options.isChrome });
  const tabs = new Map<number, TabInfo>();
  /** Each tab's report, computed once per change (for its badge) and reused by whoever asks until the next one. */
  const reports = new Map<number, VisitReport | null>();
  const tabOfVisit = new Map<string, number>();
  let catalogues: Catalogue[] = bundledCatalogues();
  let imported = new Map<string, number>();
  let bindings: SiteBinding[] = [];
  let settings: Settings = DEFAULT_SETTINGS;

  let ready = false;
  const held: Array<() => void> = [];
  const whenReady = (work: () => void) => (ready ? work() : held.push(work));

  // --- listeners, registered before anything asynchronous ---

  browser.webRequest.onBeforeRequest.addListener(
    (details) => {
      if (details.tabId < 0) return undefined;
      const at = Date.now();
      whenReady(() => {
        if (details.type === 'main_frame') navigate(details.tabId, details.url, at, false);
        else if (!fromPageLeft(details.tabId, details)) contact(details.tabId, details.url, at);
      });
      return undefined;
    },
    { urls: ['<all_urls>'] },
  );

  const headerOptions = ['responseHeaders', ...(options.isChrome ? ['extraHeaders'] : [])] as Parameters<
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
        if (details.type === 'main_frame') navigate(details.tabId, details.url, at, false);
        if (cookies.length > 0 && (details.type === 'main_frame' || !fromPageLeft(details.tabId, details))) {
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
    // A new page clears the tab's badge.
    if (details.frameId === 0) badgeTexts.delete(details.tabId);
    whenReady(() => {
      if (details.frameId === 0) navigate(details.tabId, details.url, at, true);
      else contact(details.tabId, details.url, at);
    });
  });

  browser.cookies.onChanged.addListener(({ cookie, removed, cause }) => {
    const at = Date.now();
    const jarCookie = toJarCookie(cookie);
    whenReady(() => {
      recorder.jarChanged(jarCookie, removed, cause, at);
      scheduleSettle();
    });
  });

  browser.tabs.onCreated.addListener((tab) => {
    if (tab.id === undefined) return;
    const tabId = tab.id;
    tabs.set(tabId, tabInfo(tab));
    whenReady(() => recorder.tabKnown(tabId, tabInfo(tab)));
  });

  browser.tabs.onRemoved.addListener((tabId) => {
    const at = Date.now();
    whenReady(() => {
      recorder.closeTab(tabId, at);
      reports.delete(tabId);
      badgeTexts.delete(tabId);
      tabs.delete(tabId);
    });
  });

  // Messages only (no runtime.onConnect, no runtime.onMessageExternal, no externally_connectable): each answered
  // only to the senders the protocol map names for it.
  const extension = { id: browser.runtime.id, baseUrl: browser.runtime.getURL('') };
  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    const kind = senderKind(sender, extension);
    if (kind === null) return Promise.resolve<ErrorResponse>({ ok: false, error: 'messages are answered only to the extension\'s pages and its content scripts' });
    const parsed = v.safeParse(RequestSchema, message);
    if (!parsed.success) return Promise.resolve<ErrorResponse>({ ok: false, error: `unknown or malformed message: ${v.summarize(parsed.issues)}` });
    const request = parsed.output;
    if (!REQUEST_SENDERS[request.type].includes(kind)) return Promise.resolve<ErrorResponse>({ ok: false, error: `"${request.type}" is not answered to a ${kind}` });
    return new Promise((resolve) => whenReady(() => resolve(answer(request, sender.tab?.id, sender))));
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === 'prune') whenReady(() => void prune());
  });

  // --- waking up ---

  void (async () => {
    let restored: VisitRecord[] = [];
    try {
      const open = await browser.tabs.query({});
      for (const tab of open) if (tab.id !== undefined) tabs.set(tab.id, tabInfo(tab));
      const database = await db();
      const visits = await openVisits(
        database,
        open.flatMap((tab) => (tab.id !== undefined && !tab.incognito ? [{ id: tab.id, site: siteOf(tab.url ?? '') }] : [])),
      );
      recorder.restore(visits, await allDeposits(database));
      restored = visits.map((visit) => visit.record);
      for (const visit of restored) tabOfVisit.set(visit.id, visit.tabId);
      settings = await getSetting(database, 'settings', DEFAULT_SETTINGS, SettingsSchema);
      bindings = await getSetting(database, 'bindings', [], BindingsSchema);
      await loadImportedCatalogues(database);
    } catch (error) {
      console.error('Cookie Lens could not restore its state; it goes on with what it can observe.', error);
    } finally {
      ready = true;
      for (const work of held.splice(0)) work();
    }
    // A background stopped in the middle of a visit loses what it had not written yet: the jar still has it.
    void recoverLost(restored);
    void browser.alarms.create('prune', { periodInMinutes: 24 * 60, delayInMinutes: 1 });
    void browser.action.setBadgeBackgroundColor({ color: '#b3261e' }).catch(() => {});
  })();

  // --- work ---

  function navigate(tabId: number, url: string, at: number, committed: boolean): void {
    const info = tabs.get(tabId);
    if (!info) void windowOf(tabId);
    const newAddress = recorder.navigate(tabId, url, at, { committed, storeId: info?.storeId ?? null, isPrivate: info ? info.isPrivate : null });
    if (newAddress) void snapshot(tabId, url);
  }

  /**
   * The window of a tab whose first request came before the browser told of the tab: asked for, and given to the
   * recorder, which kept the visit in memory meanwhile. A tab gone before the answer stays unknown, and unstored.
   */
  const askingWindow = new Map<number, Promise<TabInfo | null>>();
  function windowOf(tabId: number): Promise<TabInfo | null> {
    const known = tabs.get(tabId);
    if (known) return Promise.resolve(known);
    let asking = askingWindow.get(tabId);
    if (!asking) {
      // Asked once, however many events of the tab come before the answer.
      asking = browser.tabs.get(tabId).then(
        (tab) => {
          if (!tab) return null;
          const info = tabInfo(tab);
          tabs.set(tabId, info);
          recorder.tabKnown(tabId, info);
          return info;
        },
        () => null,
      ).finally(() => askingWindow.delete(tabId));
      askingWindow.set(tabId, asking);
    }
    return asking;
  }

  /**
   * Whether a request (or a page hook's report) comes from a page the tab has left for another site: that page still
   * sends requests as it goes (its last beacons, on pagehide), and what they set is not the new site's.
   */
  function fromPageLeft(tabId: number, from: RequestingPage): boolean {
    if (from.documentLifecycle !== undefined && from.documentLifecycle !== 'active') return true;
    const top = from.frameAncestors?.at(-1)?.url ?? (from.frameId === 0 ? (from.documentUrl ?? from.initiator) : undefined);
    const site = top ? siteOf(top) : null;
    const visitSite = recorder.siteOfTab(tabId);
    return site !== null && visitSite !== null && site !== visitSite;
  }

  /**
   * A request or frame of the tab reached `url`. Whichever event tells of a host first takes the snapshot: Firefox
   * can report a frame's commit before its request.
   */
  function contact(tabId: number, url: string, at: number): void {
    if (recorder.contact(tabId, url, at)) void snapshot(tabId, url);
  }

  /**
   * Cookies the jar already holds for a host the tab now talks to: its requests send them, the unpartitioned ones
   * and those partitioned under the tab's top-level site (CHIPS cookies; in Firefox, whose Total Cookie Protection
   * partitions them unasked, every third-party cookie).
   */
  async function snapshot(tabId: number, url: string): Promise<void> {
    const visitId = recorder.visitIdOf(tabId);
    if (visitId === null) return;
    recorder.snapshot(tabId, visitId, await jarCookies(tabId, url), Date.now());
  }

  /** The cookies the tab's requests to `url` send, from the tab's own jar (a private window's, a container's). */
  async function jarCookies(tabId: number, url: string): Promise<JarCookie[]> {
    const topLevelSite = recorder.topLevelSiteOf(tabId);
    // A snapshot waits to know which jar is the tab's.
    const storeId = (await windowOf(tabId))?.storeId ?? undefined;
    const query = { url, ...(storeId ? { storeId } : {}) };
    const [unpartitioned, partitioned] = await Promise.all([
      // A URL the cookies API refuses (e.g. a data: frame) has no cookies to send.
      browser.cookies.getAll(query).catch(() => []),
      topLevelSite ? browser.cookies.getAll({ ...query, partitionKey: { topLevelSite } }).catch(() => []) : [],
    ]);
    return [...unpartitioned, ...partitioned].map(toJarCookie);
  }

  /** What the jar holds for the visits restored on waking, that they lack (see VisitRecorder.recover). */
  async function recoverLost(restored: VisitRecord[]): Promise<void> {
    // Not a visit whose tab has gone to another site meanwhile (events held while waking).
    const current = restored.filter((visit) => recorder.visitIdOf(visit.tabId) === visit.id);
    if (current.length === 0) return;
    const found = await Promise.all(current.flatMap((visit) => visitUrls(visit).map((url) => jarCookies(visit.tabId, url))));
    recorder.recover(current.map((visit) => visit.id), found.flat(), Date.now());
  }

  /** Settles the jar changes no write claimed, again and again while some still wait (see VisitRecorder.settle). */
  let settleTimer: ReturnType<typeof setTimeout> | null = null;
  function scheduleSettle(delayMs = PAIRING_WINDOW_MS + 100): void {
    settleTimer ??= setTimeout(() => {
      settleTimer = null;
      const now = Date.now();
      const next = recorder.settle(now);
      if (next !== null) scheduleSettle(Math.max(next - now, 0) + 100);
    }, delayMs);
  }

  const badgeTimers = new Map<number, ReturnType<typeof setTimeout>>();
  /** What each tab's badge says, so that an unchanged count costs the browser nothing. */
  const badgeTexts = new Map<number, string>();
  function scheduleBadge(tabId: number): void {
    if (badgeTimers.has(tabId)) return;
    badgeTimers.set(
      tabId,
      setTimeout(() => {
        badgeTimers.delete(tabId);
        const report = tabReport(tabId);
        const count = report ? summarize(report.findings).needingAttention : 0;
        const text = count > 0 ? String(count) : '';
        if (badgeTexts.get(tabId) === text) return;
        badgeTexts.set(tabId, text);
        void browser.action.setBadgeText({ tabId, text }).catch(() => badgeTexts.delete(tabId));
      }, BADGE_DELAY_MS),
    );
  }

  function reportOf(visit: VisitRecord, items: ObservedItem[], isPrivate: boolean): VisitReport {
    const applied = cataloguesForSite(visit.topHost, catalogues, bindings);
    const assessed = assessVisit({
      catalogues: applied,
      observed: items,
      coverage: { site: visit.site, startedAt: visit.startedAt, endedAt: visit.endedAt, pages: visit.pages, hosts: visit.hosts },
      tolerance: { ...DEFAULT_TOLERANCE, ratio: settings.tolerancePercent / 100 },
    });
    const matches = assessed.matches.map((match) => match && { entry: entryEvidence(match.catalogue, match.entry, match), how: match.how });
    return { visit, items, catalogues: applied.map(summarizeCatalogue), findings: assessed.findings, isPrivate, storage: persister.status, matches };
  }

  function tabReport(tabId: number): VisitReport | null {
    let report = reports.get(tabId);
    if (report === undefined) {
      const visit = recorder.visitOf(tabId);
      report = visit ? reportOf(visit.record, visit.items, visit.isPrivate) : null;
      reports.set(tabId, report);
    }
    return report && { ...report, storage: persister.status };
  }

  async function storedReport(visitId: string): Promise<VisitReport | null> {
    const loaded = await loadVisit(await db(), visitId);
    return loaded ? reportOf(loaded.record, loaded.items, false) : null;
  }

  function changed(tabId: number): void {
    reports.delete(tabId);
    scheduleBadge(tabId);
  }

  async function answer(request: Request, senderTabId: number | undefined, sender: RequestingPage & { url?: string; origin?: string }): Promise<unknown> {
    try {
      switch (request.type) {
        case 'ping':
          return { ok: true, storage: persister.status, startedAt };
        case 'page-reports': {
          if (senderTabId === undefined) return { ok: false, error: 'page reports come from a tab' };
          if (!fromPageLeft(senderTabId, { ...sender, documentUrl: sender.url })) recorder.pageReports(senderTabId, reportsOfOrigin(validReports(request.reports), senderOrigin(sender)), Date.now());
          // Answered once written, so a relay whose batch is lost with a stopped worker sends it again (and a tab's
          // window must be known for its visit to be written).
          await windowOf(senderTabId);
          const stored = await Promise.race([persister.flushed().then(() => true), delay(ACK_TIMEOUT_MS).then(() => false)]);
          return { ok: true, stored };
        }
        case 'get-tab-report':
          return { ok: true, report: tabReport(request.tabId) };
        case 'get-tab-rows': {
          const report = tabReport(request.tabId);
          const language = languageOf(settings.language, browser.i18n.getMessage('languageCode'));
          return { ok: true, view: report && tabRows(report, language, request.first), language: settings.language };
        }
        case 'get-cookie-details': {
          const current = tabReport(request.tabId);
          const report = current?.visit.id === request.visitId ? current : await storedReport(request.visitId);
          return { ok: true, details: report && rowDetails(report, request.cookie) };
        }
        case 'get-visit-report':
          return { ok: true, report: await storedReport(request.visitId) };
        case 'list-visits':
          return { ok: true, ...(await visitPage(await db(), { site: request.site, offset: request.offset ?? 0, limit: request.limit ?? 200 })) };
        case 'list-catalogues':
          return { ok: true, ...listing() };
        case 'import-catalogue':
          return await importCatalogue(request.text, request.language);
        case 'remove-catalogue': {
          if (!imported.has(request.id)) return { ok: false, error: `no imported catalogue has the id "${request.id}"` };
          const database = await db();
          await database.delete('catalogues', request.id);
          await saveBindings(bindings.filter((b) => b.catalogueId !== request.id));
          await loadImportedCatalogues(database);
          refreshBadges();
          return { ok: true };
        }
        case 'bind-catalogue': {
          if (!catalogues.some((c) => c.id === request.catalogueId)) return { ok: false, error: `no catalogue has the id "${request.catalogueId}"` };
          const others = bindings.filter((b) => b.site !== request.site || b.catalogueId !== request.catalogueId);
          await saveBindings([...others, { site: request.site, catalogueId: request.catalogueId }]);
          refreshBadges();
          return { ok: true };
        }
        case 'unbind-catalogue':
          await saveBindings(bindings.filter((b) => b.site !== request.site || b.catalogueId !== request.catalogueId));
          refreshBadges();
          return { ok: true };
        case 'get-settings':
          return { ok: true, settings };
        case 'put-settings': {
          // Kept in memory only once written: a failed write leaves the settings as they were, and says so.
          const next = { ...settings, ...request.settings };
          await putSetting(await db(), 'settings', next);
          settings = next;
          refreshBadges();
          return { ok: true, settings };
        }
        case 'import-open-cookie-database':
          return await importOpenCookieDatabase(request.text, request.fileName ?? null, request.language);
        case 'get-open-cookie-database': {
          const stored = await openCookieDatabase();
          const entry = stored && request.name !== undefined ? lookupOpenCookieDatabase(request.name, stored.database) : null;
          return { ok: true, info: stored?.info ?? null, entry };
        }
        case 'remove-open-cookie-database':
          await putSetting(await db(), OCD_KEY, null);
          ocd = null;
          return { ok: true };
        case 'clear-data': {
          const database = await db();
          const tx = database.transaction(['visits', 'items', 'deposits'], 'readwrite');
          await Promise.all([tx.objectStore('visits').clear(), tx.objectStore('items').clear(), tx.objectStore('deposits').clear(), tx.done]);
          recorder.clear();
          refreshBadges();
          return { ok: true };
        }
      }
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  async function prune(): Promise<void> {
    const database = await db();
    await pruneVisits(database, Date.now() - settings.retentionDays * 86_400_000);
    await pruneDeposits(database, Date.now() - DEPOSIT_KEPT_MS);
  }

  function listing(): CatalogueListing {
    return {
      catalogues: catalogues.map((catalogue) => ({
        catalogue,
        origin: imported.has(catalogue.id) ? 'imported' : 'bundled',
        importedAt: imported.get(catalogue.id) ?? null,
      })),
      bindings,
    };
  }

  async function loadImportedCatalogues(database: Db): Promise<void> {
    const records = await database.getAll('catalogues');
    const valid = records.flatMap((record) => {
      const parsed = v.safeParse(CatalogueSchema, record.catalogue);
      return parsed.success ? [{ catalogue: parsed.output, importedAt: record.importedAt }] : [];
    });
    imported = new Map(valid.map(({ catalogue, importedAt }) => [catalogue.id, importedAt]));
    catalogues = [...bundledCatalogues(), ...valid.map(({ catalogue }) => catalogue)];
  }

  /** Validates a catalogue file whole; a bad one changes nothing and says what is wrong. */
  async function importCatalogue(text: string, language: Language): Promise<unknown> {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return { ok: false, error: `The file is not JSON: ${error instanceof Error ? error.message : String(error)}`, issues: [] };
    }
    const result = validateCatalogue(data, language);
    if (!result.ok) return { ok: false, error: `The file is not a valid catalogue (${result.total} problem(s)).`, issues: result.issues, total: result.total };
    const { catalogue } = result;
    if (bundledCatalogues().some((c) => c.id === catalogue.id)) {
      return { ok: false, error: `A bundled catalogue already has the id "${catalogue.id}": give the imported one another id.`, issues: [{ path: 'id', message: t(language, 'problem_idOfBundledCatalogue') }] };
    }
    const database = await db();
    const replaced = imported.has(catalogue.id);
    await database.put('catalogues', { id: catalogue.id, importedAt: Date.now(), catalogue });
    await loadImportedCatalogues(database);
    refreshBadges();
    return { ok: true, id: catalogue.id, replaced };
  }

  /** The stored Open Cookie Database, read once per wake. */
  let ocd: Promise<{ info: OpenCookieDatabaseInfo; database: OpenCookieDatabase } | null> | null = null;
  function openCookieDatabase(): Promise<{ info: OpenCookieDatabaseInfo; database: OpenCookieDatabase } | null> {
    ocd ??= (async () => {
      const stored = await getSetting<StoredOcd | null>(await db(), OCD_KEY, null, StoredOcdSchema);
      if (!stored) return null;
      const { entries, ...info } = stored;
      // A copy stored before problems were counted listed them all.
      return { info: { ...info, problemCount: info.problemCount ?? info.problems.length, count: entries.length }, database: { entries, problems: stored.problems } };
    })().catch(() => null);
    return ocd;
  }

  /** Parses an Open Cookie Database file: bad rows are reported and skipped; a file with no good row stores nothing. */
  async function importOpenCookieDatabase(text: string, fileName: string | null, language: Language): Promise<unknown> {
    const parsed = parseOpenCookieDatabase(text, language);
    const issues = parsed.problems.map((p) => ({ path: p.where, message: p.message }));
    if (parsed.entries.length === 0) {
      return { ok: false, error: `No valid row: the file is not in the Open Cookie Database's format (${parsed.problemCount} problem(s)).`, issues, total: parsed.problemCount };
    }
    const stored: StoredOcd = { entries: parsed.entries, problems: parsed.problems, problemCount: parsed.problemCount, importedAt: Date.now(), fileName };
    await putSetting(await db(), OCD_KEY, stored);
    ocd = null;
    return { ok: true, count: parsed.entries.length, problems: parsed.problems, problemCount: parsed.problemCount, importedAt: stored.importedAt, fileName };
  }

  async function saveBindings(next: SiteBinding[]): Promise<void> {
    await putSetting(await db(), 'bindings', next);
    bindings = next;
  }

  /** Catalogues, bindings, settings or data changed: every tab's findings may have. */
  function refreshBadges(): void {
    reports.clear();
    for (const tabId of recorder.openTabs()) scheduleBadge(tabId);
  }
}

const OCD_KEY = 'openCookieDatabase';
interface StoredOcd {
  entries: OcdEntry[];
  problems: Array<{ where: string; message: string }>;
  problemCount?: number;
  importedAt: number;
  fileName: string | null;
}
// Written by this background only: checked for its shape, not row by row again.
const StoredOcdSchema = v.object({
  entries: v.array(v.custom<OcdEntry>((x) => typeof x === 'object' && x !== null)),
  problems: v.array(v.object({ where: v.string(), message: v.string() })),
  problemCount: v.optional(v.number()),
  importedAt: v.number(),
  fileName: v.nullable(v.string()),
}) as unknown as v.GenericSchema<StoredOcd | null>;

const BindingsSchema = v.array(v.object({ site: v.string(), catalogueId: v.string() }));

/**
 * What browsers tell of the page a request or message comes from: Chrome its document's lifecycle and, for a top
 * frame's request, its origin (`initiator`); Firefox its document and the frame's ancestors, the top one last.
 */
interface RequestingPage {
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

function toJarCookie(cookie: {
  name: string; domain: string; path: string; hostOnly: boolean; secure: boolean; httpOnly: boolean;
  sameSite: string; session: boolean; expirationDate?: number; storeId: string; partitionKey?: { topLevelSite?: string } | null;
}): JarCookie {
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
