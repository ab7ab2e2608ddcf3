import { MAX_CONSENT_CHANGES, type ConsentChange, type ConsentSource } from '../consent/consent-state';
import { MAX_CONSENT_PROBLEMS, type ConsentProblem } from '../consent/signals/reading';
import {
  auditSignature,
  lifetimeRank,
  noteWriteTime,
  type CookieAttributes,
  type CookieWrite,
  type Expiry,
  type ObservedItem,
  type SetBy,
  type StoreKind,
} from './observed';
import { partyOf, registrableDomain, siteOf } from '../audit/party';
import type { ItemRecord, VisitRecord } from '../storage/db';
import { evidenceAddress, evidencePath } from './evidence-address';
import { hostOf } from './host';
import type { PageStorageWrite, PageWrite } from './page-write';
import type { StorageFound } from './storage-read';
import { parseCookieAttributes, parseSetCookie, splitSetCookieHeader, type ParsedCookieString } from './set-cookie';

/**
 * The per-tab record of what each visit met, fed by the three sources browsers give and reconciled here:
 * - response headers (webRequest): who asked for the cookie and for how long, with the tab;
 * - the page hook's reports: what scripts wrote to document.cookie, cookieStore and Web Storage, with the tab;
 * - the cookie jar (cookies.onChanged, cookies.getAll): what the browser really kept, without a tab.
 * A visit starts when a tab navigates to a new top-level site. Plain logic: the background wires browser events to
 * it and persists what it reports as changed. Addresses are taken in raw and kept only as evidenceAddress makes
 * them: what the recorder hands on never holds a query, a fragment or a value-shaped path segment.
 */

/** A cookie as the jar reports it (cookies.Cookie), never with its value. */
export interface JarCookie {
  name: string;
  domain: string;
  /** As evidencePath keeps it. */
  path: string;
  hostOnly: boolean;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string;
  session: boolean;
  /** Seconds since the epoch. */
  expirationDate?: number;
  storeId: string;
  partitionKey?: { topLevelSite?: string } | null;
}

/**
 * Where the recorder reports what changed. `news` says whether the change is worth writing at once: something new
 * (a visit, a host, an item, a changed fact of one) rather than bookkeeping (a page count, a plain renewal).
 */
export interface RecorderSink {
  visitChanged(visit: VisitRecord, isPrivate: boolean, news: boolean): void;
  itemChanged(item: ItemRecord, isPrivate: boolean, news: boolean): void;
  /** A visit met a cookie for the first time: its first deposit ever, kept across visits, and this sighting. */
  depositSeen(key: string, firstDeposit: number, seenAt: number, isPrivate: boolean): void;
}

interface Visit {
  record: VisitRecord;
  items: Map<string, ObservedItem>;
  hosts: Set<string>;
  /** Top-level addresses (without query) whose jar cookies were looked up, this wake. */
  snapshotted: Set<string>;
  /** The script writes recorded this wake, so that a page's batch told again counts once (see applyWrite). */
  scriptWrites: Set<string>;
  /** A private window's visit, or one whose window is not known yet: nothing of it leaves memory. */
  isPrivate: boolean;
  /** False until the tab's window is known (see tabKnown). */
  windowKnown: boolean;
}

/**
 * How long a jar change may wait for the header or script write it belongs to (Firefox reports the jar first), and
 * how far apart (by when each happened, not when it was reported) a write and the jar's account of it may be.
 */
export const PAIRING_WINDOW_MS = 2000;
const MAX_PAGE_URLS = 50;

const key = (store: StoreKind, name: string, domain: string, path: string, partitionKey: string | null | undefined) =>
  `${store}|${name}|${domain}|${path}|${partitionKey ?? ''}`;
/**
 * A jar change pairs with a write by name, domain and path: a write cannot always know the partition the browser
 * keeps its cookie in (Firefox's Total Cookie Protection partitions third-party cookies that never asked for it).
 */
const pairingKey = (name: string, domain: string, path: string) => `${name}|${domain}|${path}`;
/** Across visits, the first deposit is known per cookie, whatever the visit. */
const depositKey = (item: ObservedItem) => key(item.store, item.name, item.domain, item.path, item.partitionKey);

/** RFC 6265 default-path: the directory of the request path. */
function defaultPath(url: string): string {
  const path = new URL(url).pathname;
  if (!path.startsWith('/') || path.lastIndexOf('/') === 0) return '/';
  return path.slice(0, path.lastIndexOf('/'));
}

/** Whether the jar sends a cookie of `cookieDomain` to `host`. */
export function domainMatches(host: string, cookieDomain: string): boolean {
  const domain = cookieDomain.replace(/^\./, '');
  return host === domain || host.endsWith(`.${domain}`);
}

function jarExpiry(cookie: JarCookie): Expiry {
  return cookie.session || cookie.expirationDate === undefined
    ? { session: true }
    : { session: false, at: Math.round(cookie.expirationDate * 1000) };
}

function jarAttributes(cookie: JarCookie): CookieAttributes {
  const sameSite =
    cookie.sameSite === 'no_restriction' || cookie.sameSite === 'lax' || cookie.sameSite === 'strict'
      ? cookie.sameSite
      : 'unspecified';
  return {
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    sameSite,
    partitioned: Boolean(cookie.partitionKey?.topLevelSite),
  };
}

/** Browsers keep a cookie 400 days at most, whatever it asks for. */
const MAX_KEPT_MS = 400 * 86_400_000;

/**
 * Whether the jar's cookie can be what `write` left there: its expiry is the one the write asked for (within a
 * clock's tick; capped as browsers cap it). A session cookie, or a write that asked nothing, cannot tell: it can.
 */
export function jarHoldsWrite(write: CookieWrite, cookie: Pick<JarCookie, 'session' | 'expirationDate'>): boolean {
  const asked = write.requested;
  if (!asked || asked.session || cookie.session || cookie.expirationDate === undefined) return true;
  return Math.abs(Math.min(asked.at, write.at + MAX_KEPT_MS) - cookie.expirationDate * 1000) <= 2000;
}

/** Whether the item already holds what the jar says of the cookie: its stored expiry and attributes. */
function sameJarFacts(item: ObservedItem, cookie: JarCookie): boolean {
  const stored = item.lastWrite.stored;
  const expiry = jarExpiry(cookie);
  const sameExpiry =
    stored !== null &&
    stored.session === expiry.session &&
    (stored.session || stored.at === (expiry as { at: number }).at);
  return sameExpiry && JSON.stringify(item.attributes) === JSON.stringify(jarAttributes(cookie));
}

/** A write known only from the jar's account of the cookie: found there, or changed there by no write seen (yet). */
const isJarOnly = (write: CookieWrite) =>
  write.by === 'jar' || write.by === 'unknown' || (write.by === 'header' && write.url === undefined);

const sameWrite = (a: CookieWrite, b: CookieWrite) =>
  a.at === b.at && a.by === b.by && a.url === b.url && JSON.stringify(a.requested) === JSON.stringify(b.requested);

export class VisitRecorder {
  private readonly visits = new Map<number, Visit>();
  private readonly deposits = new Map<string, number>();
  /**
   * Jar changes not yet paired with a write, by name, domain and path (see pairingKey), with the visits open when the
   * change happened: a tab that has gone to another site by the time the change settles does not get it.
   */
  private readonly unpaired = new Map<string, { cookie: JarCookie; at: number; visits: Visit[] }>();

  constructor(
    private readonly sink: RecorderSink,
    private readonly newId: () => string = () => crypto.randomUUID(),
    /**
     * The jar puts cookies in partitions they never asked for (Firefox's Total Cookie Protection does so with
     * every third-party cookie): a write without Partitioned may then be the cookie found in the tab's partition.
     */
    private readonly options: { unaskedPartitions?: boolean } = {},
  ) {}

  /** Brings back, after the background slept, the open visits, their items and the known first deposits. */
  restore(visits: Array<{ record: VisitRecord; items: ObservedItem[] }>, deposits: Iterable<[string, number]>): void {
    for (const [k, at] of deposits) this.deposits.set(k, at);
    for (const { record, items } of visits) {
      this.visits.set(record.tabId, {
        record,
        items: new Map(
          items.map((item) => [key(item.store, item.name, item.domain, item.path, item.partitionKey), item]),
        ),
        hosts: new Set(record.hosts),
        snapshotted: new Set(),
        scriptWrites: new Set(),
        isPrivate: false,
        windowKnown: true,
      });
    }
  }

  visitOf(tabId: number): { record: VisitRecord; items: ObservedItem[]; isPrivate: boolean } | null {
    const visit = this.visits.get(tabId);
    return visit ? { record: visit.record, items: [...visit.items.values()], isPrivate: visit.isPrivate } : null;
  }

  /** The site of the tab's visit. */
  siteOfTab(tabId: number): string | null {
    return this.visits.get(tabId)?.record.site ?? null;
  }

  /** The id of the tab's visit. */
  visitIdOf(tabId: number): string | null {
    return this.visits.get(tabId)?.record.id ?? null;
  }

  /** The tab's top-level site as browsers key partitioned cookies: scheme and registrable domain. */
  topLevelSiteOf(tabId: number): string | null {
    const record = this.visits.get(tabId)?.record;
    if (!record) return null;
    const scheme = record.pageUrls[0]?.startsWith('http:') ? 'http' : 'https';
    return `${scheme}://${record.site}`;
  }

  /** The sites (registrable domains) of the hosts the tab's visit met. */
  sitesOf(tabId: number): string[] {
    const visit = this.visits.get(tabId);
    return visit ? [...new Set([...visit.hosts].map(registrableDomain))] : [];
  }

  /** The write of the tab's visit that last set the cookie `name` of `domain` (any path or partition), if one did. */
  lastWriteOf(tabId: number, name: string, domain: string): CookieWrite | null {
    let last: CookieWrite | null = null;
    for (const item of this.visits.get(tabId)?.items.values() ?? []) {
      if (item.store !== 'cookie' || item.name !== name || item.domain !== domain || isJarOnly(item.lastWrite))
        continue;
      if (!last || item.lastWrite.at > last.at) last = item.lastWrite;
    }
    return last;
  }

  openTabs(): number[] {
    return [...this.visits.keys()];
  }

  /**
   * A top-level document is loading in the tab: the same site continues the visit, another site starts a new one.
   * `committed` counts it as a page (a response alone may still be a download or a redirect). True when the address
   * is new to the visit: the jar sends cookies by host and path, so its cookies are worth a snapshot.
   */
  navigate(
    tabId: number,
    url: string,
    at: number,
    options: { committed: boolean; storeId?: string | null; isPrivate?: boolean | null },
  ): boolean {
    const host = hostOf(url);
    const site = siteOf(url);
    if (!host || !site) return false;
    let visit = this.visits.get(tabId);
    const started = !visit || visit.record.site !== site;
    if (!visit || visit.record.site !== site) {
      if (visit) this.endVisit(visit, at);
      visit = {
        record: {
          id: this.newId(),
          tabId,
          site,
          topHost: host,
          startedAt: at,
          endedAt: at,
          pages: 0,
          pageUrls: [],
          hosts: [],
          storeId: options.storeId ?? null,
        },
        items: new Map(),
        hosts: new Set(),
        snapshotted: new Set(),
        scriptWrites: new Set(),
        // isPrivate null: the window is not known yet, and the visit is kept as if it were private until tabKnown.
        isPrivate: options.isPrivate === null ? true : (options.isPrivate ?? false),
        windowKnown: options.isPrivate !== null,
      };
      this.visits.set(tabId, visit);
    }
    const page = url.replace(/[?#].*$/, '');
    if (options.committed) {
      visit.record.pages++;
      visit.record.topHost = host;
      const kept = evidenceAddress(url);
      if (kept && visit.record.pageUrls.length < MAX_PAGE_URLS && !visit.record.pageUrls.includes(kept))
        visit.record.pageUrls.push(kept);
    }
    const newHost = this.contactIn(visit, host, at);
    this.sink.visitChanged(visit.record, visit.isPrivate, started || newHost);
    if (visit.snapshotted.has(page)) return false;
    visit.snapshotted.add(page);
    return true;
  }

  /**
   * The tab's window is known at last (a browser may tell of a tab's first request before the tab): a visit kept in
   * memory meanwhile stays there if the window is private, and is handed to storage whole if it is not.
   */
  tabKnown(tabId: number, window: { storeId: string | null; isPrivate: boolean }): void {
    const visit = this.visits.get(tabId);
    if (!visit || visit.windowKnown) return;
    visit.windowKnown = true;
    visit.record.storeId = window.storeId;
    visit.isPrivate = window.isPrivate;
    if (visit.isPrivate) return;
    this.sink.visitChanged(visit.record, false, true);
    for (const [k, item] of visit.items) {
      this.deposit(item);
      this.emit(visit, k, item, null);
    }
  }

  /**
   * A cookie of a visit outside private windows met for the first time in it: its first deposit is the earliest known
   * across visits (a private window's cookies live in another jar, and stay out of this).
   */
  private deposit(item: ObservedItem): void {
    const dk = depositKey(item);
    const known = this.deposits.get(dk);
    if (known !== undefined && known <= item.firstDeposit) item.firstDeposit = known;
    else this.deposits.set(dk, item.firstDeposit);
    this.sink.depositSeen(dk, item.firstDeposit, item.lastSeen, false);
  }

  /**
   * The consent state of the tab's visit changed (a platform's signal, or the banner engine's answer). A change that
   * repeats the latest one of the same source is not kept, and a visit keeps at most MAX_CONSENT_CHANGES.
   */
  consentChanged(tabId: number, change: ConsentChange): ConsentChange | null {
    const visit = this.visits.get(tabId);
    if (!visit) return null;
    const changes = (visit.record.consent ??= []);
    if (changes.length >= MAX_CONSENT_CHANGES) return null;
    const sameSource = changes.findLast((earlier) => sameConsentSource(earlier.source, change.source));
    if (sameSource && sameConsentState(sameSource, change)) return null;
    changes.push(change);
    visit.record.endedAt = Math.max(visit.record.endedAt, change.at);
    this.sink.visitChanged(visit.record, visit.isPrivate, true);
    return change;
  }

  /**
   * A change of the tab's visit (as kept by consentChanged) held from another moment than first thought: the page's
   * write of the cookie that says it was reported after the jar was read. The changes stay in time order.
   */
  consentMoved(tabId: number, change: ConsentChange, at: number): void {
    const visit = this.visits.get(tabId);
    const changes = visit?.record.consent;
    if (!visit || !changes?.includes(change) || change.at === at) return;
    change.at = at;
    changes.sort((a, b) => a.at - b.at);
    visit.record.endedAt = Math.max(visit.record.endedAt, at);
    this.sink.visitChanged(visit.record, visit.isPrivate, true);
  }

  /**
   * The banner engine counted the clicks its answer took, after telling of the answer (`change`, as given to
   * consentChanged): the visit's change says so.
   */
  bannerClicks(tabId: number, change: ConsentChange, clicks: number): void {
    const visit = this.visits.get(tabId);
    if (!visit?.record.consent?.includes(change) || change.source.kind !== 'banner') return;
    change.source.clicks = clicks;
    this.sink.visitChanged(visit.record, visit.isPrivate, true);
  }

  /** The consent changes of the tab's visit so far (empty when it has none, or no visit). */
  consentOf(tabId: number): readonly ConsentChange[] {
    return this.visits.get(tabId)?.record.consent ?? [];
  }

  /**
   * A consent cookie of the tab's visit's site could not be read: counted per cookie and reason, at most
   * MAX_CONSENT_PROBLEMS of them, so that the report can say which one could not be read (never its value).
   */
  consentProblem(tabId: number, problem: Pick<ConsentProblem, 'platform' | 'name' | 'reason'>, at: number): void {
    const visit = this.visits.get(tabId);
    if (!visit) return;
    const problems = (visit.record.consentProblems ??= []);
    const known = problems.find(
      (p) => p.platform === problem.platform && p.name === problem.name && p.reason === problem.reason,
    );
    if (known) {
      known.count++;
      known.lastAt = Math.max(known.lastAt, at);
    } else if (problems.length < MAX_CONSENT_PROBLEMS) {
      problems.push({ ...problem, count: 1, firstAt: at, lastAt: at });
    } else {
      return;
    }
    visit.record.endedAt = Math.max(visit.record.endedAt, at);
    this.sink.visitChanged(visit.record, visit.isPrivate, !known);
  }

  /** The tabs whose visit is of `site` and sees the jar `storeId` (a visit whose store is not known yet sees any). */
  tabsOnSite(site: string, storeId: string): number[] {
    const tabs: number[] = [];
    for (const [tabId, visit] of this.visits)
      if (visit.record.site === site && (visit.record.storeId === null || visit.record.storeId === storeId))
        tabs.push(tabId);
    return tabs;
  }

  /** A request or frame of the tab reached `url`; true when its host is new to the visit (worth a jar snapshot). */
  contact(tabId: number, url: string, at: number): boolean {
    const visit = this.visits.get(tabId);
    const host = hostOf(url);
    if (!visit || !host || visit.hosts.has(host)) return false;
    this.contactIn(visit, host, at);
    this.sink.visitChanged(visit.record, visit.isPrivate, true);
    return true;
  }

  /** Returns whether the host is new to the visit. */
  private contactIn(visit: Visit, host: string, at: number): boolean {
    visit.record.endedAt = Math.max(visit.record.endedAt, at);
    if (visit.hosts.has(host)) return false;
    visit.hosts.add(host);
    visit.record.hosts.push(host);
    return true;
  }

  /** A response of the tab carried Set-Cookie headers (each value may hold several, newline-joined, in Firefox). */
  headerCookies(
    tabId: number,
    requestUrl: string,
    headerValues: string[],
    at: number,
    serverDate: number | null,
  ): void {
    const visit = this.visits.get(tabId);
    const requestHost = hostOf(requestUrl);
    if (!visit || !requestHost) return;
    const newHost = this.contactIn(visit, requestHost, at);
    for (const line of headerValues.flatMap(splitSetCookieHeader)) {
      const parsed = parseSetCookie(line, { receivedAt: at, serverDate, requestHost });
      if (parsed)
        this.recordCookieWrite(
          visit,
          parsed,
          requestHost,
          defaultPath(requestUrl),
          'header',
          evidenceAddress(requestUrl),
          at,
        );
    }
    this.sink.visitChanged(visit.record, visit.isPrivate, newHost);
  }

  /** What the page hook of one of the tab's frames reported. */
  pageReports(tabId: number, reports: readonly PageWrite[], receivedAt: number): void {
    const visit = this.visits.get(tabId);
    if (!visit) return;
    let newHost = false;
    for (const report of reports) {
      const frameHost = hostOf(report.frameUrl);
      if (!frameHost) continue;
      // Page clocks can be off; a report cannot come from the future.
      const at = Math.min(report.at, receivedAt);
      newHost = this.contactIn(visit, frameHost, at) || newHost;
      if (report.kind === 'cookie-write') {
        const parsed = parseCookieAttributes(report.name, report.attributes, {
          receivedAt: at,
          requestHost: frameHost,
        });
        if (!parsed) continue;
        if (report.deleted) parsed.deletion = true;
        const writer = evidenceAddress(report.scriptUrl ?? report.frameUrl);
        this.recordCookieWrite(visit, parsed, frameHost, defaultPath(report.frameUrl), 'script', writer, at);
      } else {
        this.recordStorage(visit, report, frameHost, at);
      }
    }
    this.sink.visitChanged(visit.record, visit.isPrivate, newHost);
  }

  /**
   * Everyday mode: the key names a read of the tab's frames found in their storages at `at` (no hook watched the
   * writes). A key the visit does not know yet was set by a source the read cannot name, unless it was first met before
   * the visit started (already there). A key no longer found is not taken as removed: the read may have missed a frame.
   */
  /** Whether a navigation of the tab's top frame (`topFrame`) or of a frame to `url` will have the jar read for it. */
  snapshotDue(tabId: number, url: string, topFrame: boolean): boolean {
    const host = hostOf(url);
    const site = siteOf(url);
    if (!host || !site) return false;
    const visit = this.visits.get(tabId);
    if (!visit) return true;
    if (!topFrame) return !visit.hosts.has(host);
    return visit.record.site !== site || !visit.snapshotted.has(url.replace(/[?#].*$/, ''));
  }

  storageRead(tabId: number, visitId: string, frames: readonly StorageFound[], at: number): void {
    const visit = this.visits.get(tabId);
    if (visit?.record.id !== visitId) return;
    let newHost = false;
    for (const frame of frames) {
      const frameHost = hostOf(frame.frameUrl);
      if (!frameHost || frame.keys.length === 0) continue;
      newHost = this.contactIn(visit, frameHost, at) || newHost;
      this.recordStorage(visit, { ...frame, kind: 'storage', op: 'read', scriptUrl: null, at }, frameHost, at);
    }
    // A read that met no new host changed nothing of the visit (each new key is told of as an item).
    if (newHost) this.sink.visitChanged(visit.record, visit.isPrivate, true);
  }

  private recordStorage(
    visit: Visit,
    report: Omit<PageStorageWrite, 'op'> & { op: PageStorageWrite['op'] | 'read' },
    host: string,
    at: number,
  ): void {
    for (const name of report.keys) {
      const k = key(report.area, name, host, '/', null);
      let item = visit.items.get(k);
      if (report.op === 'remove' || report.op === 'clear') {
        if (item && !item.removed) {
          item.removed = true;
          item.lastSeen = at;
          this.emit(visit, k, item, null);
        }
        continue;
      }
      if (item && (report.op === 'present' || report.op === 'read')) continue;
      const before = item ? auditSignature(item) : null;
      const deposited = this.deposits.get(k);
      const by: SetBy =
        report.op === 'present'
          ? 'jar'
          : report.op === 'read'
            ? deposited !== undefined && deposited < visit.record.startedAt
              ? 'jar'
              : 'unknown'
            : 'script';
      const writer = report.scriptUrl === null ? null : evidenceAddress(report.scriptUrl);
      const write: CookieWrite = { at, by, ...(writer ? { url: writer } : {}), requested: null, stored: null };
      item = this.applyWrite(
        visit,
        item,
        { store: report.area, name, domain: host, path: '/', partitionKey: null },
        write,
      );
      visit.items.set(k, item);
      this.emit(visit, k, item, before);
    }
  }

  /** `url`: the writer's address as evidence (see evidenceAddress), null when there is none to keep. */
  private recordCookieWrite(
    visit: Visit,
    parsed: ParsedCookieString,
    host: string,
    path: string,
    by: SetBy,
    url: string | null,
    at: number,
  ): void {
    const domain = parsed.domain ? `.${parsed.domain}` : host;
    // Kept as evidencePath keeps it, like the jar's paths (see JarCookie): a default path can hold a session id.
    const cookiePath = evidencePath(parsed.path ?? path);
    // A Partitioned (CHIPS) cookie is kept under the top-level site, first-party ones included.
    let partitionKey = parsed.partitioned ? visit.record.site : null;
    let k = key('cookie', parsed.name, domain, cookiePath, partitionKey);
    if (partitionKey === null && this.options.unaskedPartitions && !visit.items.has(k)) {
      const inPartition = key('cookie', parsed.name, domain, cookiePath, visit.record.site);
      if (visit.items.has(inPartition)) [k, partitionKey] = [inPartition, visit.record.site];
    }
    let item = visit.items.get(k);
    if (parsed.deletion) {
      if (item && !item.removed) {
        item.removed = true;
        item.lastSeen = at;
        this.emit(visit, k, item, null);
      }
      return;
    }
    const before = item ? auditSignature(item) : null;
    // The visit's first write of the cookie explains the jar's account of it, however long it took to be reported; and
    // what the jar kept says its attributes better than what the write asked for.
    const firstWrite = !item || isJarOnly(item.firstWrite);
    const jarAttributes = item && firstWrite ? item.attributes : undefined;
    const write: CookieWrite = { at, by, ...(url ? { url } : {}), requested: parsed.requested, stored: null };
    item = this.applyWrite(
      visit,
      item,
      { store: 'cookie', name: parsed.name, domain, path: cookiePath, partitionKey },
      write,
    );
    item.attributes = jarAttributes ?? {
      secure: parsed.secure,
      httpOnly: parsed.httpOnly,
      sameSite: parsed.sameSite,
      partitioned: parsed.partitioned,
    };
    visit.items.set(k, item);
    const jar = this.unpaired.get(pairingKey(parsed.name, domain, cookiePath));
    if (jar && (firstWrite || at - jar.at <= PAIRING_WINDOW_MS)) {
      this.unpaired.delete(pairingKey(parsed.name, domain, cookiePath));
      this.seen(visit, item, jar.at);
      this.applyJarFacts(item, jar.cookie);
    }
    this.emit(visit, k, item, before);
  }

  private applyWrite(
    visit: Visit,
    item: ObservedItem | undefined,
    identity: Pick<ObservedItem, 'store' | 'name' | 'domain' | 'path' | 'partitionKey'>,
    write: CookieWrite,
  ): ObservedItem {
    if (!item) {
      const fresh: ObservedItem = {
        ...identity,
        party: partyOf(identity.domain, visit.record.topHost),
        firstSeen: write.at,
        lastSeen: write.at,
        firstDeposit: write.at,
        renewals: 0,
        firstWrite: write,
        lastWrite: write,
        longestWrite: write,
      };
      noteWriteTime(fresh, write);
      if (!visit.isPrivate) this.deposit(fresh);
      return fresh;
    }
    this.seen(visit, item, write.at);
    if (item.removed) item.removed = false;
    if (write.by === 'jar') return item;
    // The same write told again: a page's batch its relay sent again, the background having been stopped or slow
    // before answering that it was written (what storage kept of it, or what this wake recorded).
    if ([item.firstWrite, item.lastWrite, item.longestWrite].some((known) => sameWrite(known, write))) return item;
    if (write.by === 'script') {
      const told = `${key(item.store, item.name, item.domain, item.path, item.partitionKey)}|${write.at}|${write.url}|${JSON.stringify(write.requested)}`;
      if (visit.scriptWrites.has(told)) return item;
      visit.scriptWrites.add(told);
    }
    if (item.renewals === 0 && isJarOnly(item.firstWrite)) {
      // The jar's account of the cookie came first; the write it tells of takes its place, whatever the delay.
      const stored = item.firstWrite.stored;
      item.firstWrite = item.lastWrite = item.longestWrite = { ...write, stored: write.stored ?? stored };
      noteWriteTime(item, write, true);
      return item;
    }
    item.renewals++;
    item.lastWrite = write;
    noteWriteTime(item, write);
    if (lifetimeRank(write) > lifetimeRank(item.longestWrite)) item.longestWrite = write;
    return item;
  }

  /**
   * The visit met the item at `at`: events are told out of order (the jar's, a page's report, a snapshot's answer),
   * so the first and last sightings are the earliest and latest of them, whichever was told first.
   */
  private seen(visit: Visit, item: ObservedItem, at: number): void {
    item.lastSeen = Math.max(item.lastSeen, at);
    item.firstSeen = Math.min(item.firstSeen, at);
    if (at < item.firstDeposit) {
      item.firstDeposit = at;
      if (!visit.isPrivate) this.deposit(item);
    }
  }

  /** The jar reports a cookie set, overwritten or removed. Its tab is found through the write it pairs with. */
  jarChanged(cookie: JarCookie, removed: boolean, cause: string, at: number): void {
    if (removed && (cause === 'overwrite' || cause === 'expired_overwrite')) return;
    let paired = false;
    for (const visit of this.visits.values()) {
      if (visit.record.storeId !== null && visit.record.storeId !== cookie.storeId) continue;
      const cookieKey = this.itemKeyOf(visit, cookie);
      const item = visit.items.get(cookieKey);
      if (!item) continue;
      paired = true;
      const before = auditSignature(item);
      if (removed) {
        item.removed = true;
        item.lastSeen = at;
      } else {
        this.seen(visit, item, at);
        this.applyJarFacts(item, cookie);
      }
      this.emit(visit, cookieKey, item, before);
    }
    if (!paired && !removed) {
      const visits = [...this.visits.values()].filter(
        (visit) => visit.record.storeId === null || visit.record.storeId === cookie.storeId,
      );
      this.unpaired.set(pairingKey(cookie.name, cookie.domain, cookie.path), { cookie, at, visits });
    }
  }

  /**
   * Jar changes that no write claimed within the pairing window: a visit open at the change, whose tab contacted the
   * cookie's domain, gets it, written by an unseen header (HttpOnly cookies cannot come from scripts) or by an
   * unknown source; the write, reported later, takes its place (see applyWrite). Returns when the changes still
   * waiting are due (and settle should be called again), or null when none waits.
   */
  settle(at: number): number | null {
    let next: number | null = null;
    for (const [k, { cookie, at: changedAt, visits }] of this.unpaired) {
      if (at - changedAt < PAIRING_WINDOW_MS) {
        next = Math.min(next ?? Infinity, changedAt + PAIRING_WINDOW_MS);
        continue;
      }
      this.unpaired.delete(k);
      for (const visit of visits) {
        if (![...visit.hosts].some((host) => domainMatches(host, cookie.domain))) continue;
        const itemKey = this.itemKeyOf(visit, cookie);
        const item = visit.items.get(itemKey);
        if (!item) {
          this.addFromJar(visit, cookie, cookie.httpOnly ? 'header' : 'unknown', changedAt);
        } else {
          // Recorded meanwhile from a snapshot: the change may be the jar's latest account of it.
          const before = auditSignature(item);
          this.seen(visit, item, changedAt);
          if (changedAt >= item.lastWrite.at) this.applyJarFacts(item, cookie);
          this.emit(visit, itemKey, item, before);
        }
      }
    }
    return next;
  }

  /**
   * Cookies already in the jar that the tab's requests to a host send: they count, as found in the jar. The jar is
   * asked for them when the host is met, in visit `visitId`; a tab gone to another site by the answer has another visit,
   * which they are not part of.
   */
  snapshot(tabId: number, visitId: string, cookies: readonly JarCookie[], at: number): void {
    const visit = this.visits.get(tabId);
    if (visit?.record.id !== visitId) return;
    for (const cookie of cookies) {
      if (visit.record.storeId !== null && visit.record.storeId !== cookie.storeId) continue;
      this.addFromJar(visit, cookie, 'jar', at);
    }
  }

  /**
   * What the jar held for the sites `sites` of the tab's visit `visitId` when it was asked at `askedAt`: the account of
   * the jar that everyday mode reads a moment after a page's writes, instead of following each change of the jar (see
   * Observation). A recorded cookie gets what the jar kept of it (lifetime, attributes); a cookie no write explains
   * was set by an unseen header (HttpOnly) or an unknown source (a service worker, another extension), unless it was
   * deposited before the visit (found in the jar) or by another visit since (that visit's), and a write reported later
   * takes its place (see applyWrite); a cookie the jar had
   * kept and no longer holds was removed. Writes recorded after `askedAt` are left as they are: the answer may predate
   * them.
   */
  reconcile(
    tabId: number,
    visitId: string,
    sites: readonly string[],
    cookies: readonly JarCookie[],
    askedAt: number,
  ): void {
    const visit = this.visits.get(tabId);
    if (visit?.record.id !== visitId) return;
    const held = new Set<string>();
    for (const cookie of cookies) {
      if (visit.record.storeId !== null && visit.record.storeId !== cookie.storeId) continue;
      if (![...visit.hosts].some((host) => domainMatches(host, cookie.domain))) continue;
      const k = this.itemKeyOf(visit, cookie);
      if (held.has(k)) continue;
      held.add(k);
      const item = visit.items.get(k);
      if (!item) {
        const partitionKey = cookie.partitionKey?.topLevelSite ? this.partitionSite(cookie) : null;
        const deposited = this.deposits.get(key('cookie', cookie.name, cookie.domain, cookie.path, partitionKey));
        // One another visit recorded since this one started is that visit's (a tab of the same site beside it).
        if (deposited !== undefined && deposited >= visit.record.startedAt) continue;
        this.addFromJar(
          visit,
          cookie,
          deposited !== undefined ? 'jar' : cookie.httpOnly ? 'header' : 'unknown',
          askedAt,
        );
        continue;
      }
      if (item.lastWrite.at > askedAt) continue;
      // What the jar already told of it: nothing to write again (a read comes every second a page writes).
      if (!item.removed && sameJarFacts(item, cookie)) continue;
      const before = auditSignature(item);
      item.removed = false;
      this.seen(visit, item, askedAt);
      this.applyJarFacts(item, cookie);
      this.emit(visit, k, item, before);
    }
    const read = new Set(sites);
    for (const [k, item] of visit.items) {
      if (item.store !== 'cookie' || item.removed || held.has(k) || item.lastWrite.at > askedAt) continue;
      // Only a cookie the jar is known to have kept: a write the browser refused was never there to be removed.
      if (item.lastWrite.stored === null || !read.has(registrableDomain(item.domain))) continue;
      item.removed = true;
      item.lastSeen = askedAt;
      this.emit(visit, k, item, null);
    }
  }

  /**
   * What the jar holds, on waking, for the hosts of the visits `visitIds` the background was stopped in the middle of.
   * A cookie no visit ever recorded (no first deposit) was written while the stopped background still held it
   * unwritten, its events gone with it: it goes to the visit most lately active among those that contacted its
   * domain, as written by an unseen header if HttpOnly, or by an unknown source until a page's report of the write
   * (sent again by its relay) takes its place; unless that visit is one started since, whose own events tell of it.
   * A cookie deposited before a visit started was found in its jar. One another visit recorded since is that
   * visit's, not these.
   */
  recover(visitIds: readonly string[], cookies: readonly JarCookie[], at: number): void {
    const meeting = (visit: Visit, cookie: JarCookie) =>
      (visit.record.storeId === null || visit.record.storeId === cookie.storeId) &&
      [...visit.hosts].some((host) => domainMatches(host, cookie.domain));
    const done = new Set<string>();
    for (const cookie of cookies) {
      const partitionKey = cookie.partitionKey?.topLevelSite ? this.partitionSite(cookie) : null;
      const dk = key('cookie', cookie.name, cookie.domain, cookie.path, partitionKey);
      if (done.has(dk)) continue;
      done.add(dk);
      const meets = [...this.visits.values()].filter((visit) => meeting(visit, cookie));
      const lacking = meets.filter(
        (visit) => visitIds.includes(visit.record.id) && !visit.items.has(this.itemKeyOf(visit, cookie)),
      );
      const deposited = this.deposits.get(dk);
      if (deposited !== undefined) {
        for (const visit of lacking) if (deposited < visit.record.startedAt) this.addFromJar(visit, cookie, 'jar', at);
        continue;
      }
      const latest = meets.reduce<Visit | null>((a, b) => (a && a.record.endedAt >= b.record.endedAt ? a : b), null);
      if (latest && lacking.includes(latest))
        this.addFromJar(latest, cookie, cookie.httpOnly ? 'header' : 'unknown', at);
    }
  }

  /**
   * The key of the visit's item a jar cookie is: under its partition, or, for a partitioned cookie that a write
   * recorded without one (see pairingKey), unpartitioned.
   */
  private itemKeyOf(visit: Visit, cookie: JarCookie): string {
    const partitionKey = cookie.partitionKey?.topLevelSite ? this.partitionSite(cookie) : null;
    const k = key('cookie', cookie.name, cookie.domain, cookie.path, partitionKey);
    if (partitionKey === null || visit.items.has(k)) return k;
    const unpartitioned = key('cookie', cookie.name, cookie.domain, cookie.path, null);
    return visit.items.has(unpartitioned) ? unpartitioned : k;
  }

  private addFromJar(visit: Visit, cookie: JarCookie, by: SetBy, at: number): void {
    const k = this.itemKeyOf(visit, cookie);
    const known = visit.items.get(k);
    if (known) {
      if (at >= known.firstSeen && at <= known.lastSeen) return;
      const before = auditSignature(known);
      this.seen(visit, known, at);
      this.emit(visit, k, known, before);
      return;
    }
    const partitionKey = cookie.partitionKey?.topLevelSite ? this.partitionSite(cookie) : null;
    const stored = jarExpiry(cookie);
    const write: CookieWrite = { at, by, requested: null, stored };
    const item = this.applyWrite(
      visit,
      undefined,
      { store: 'cookie', name: cookie.name, domain: cookie.domain, path: cookie.path, partitionKey },
      write,
    );
    item.attributes = jarAttributes(cookie);
    visit.items.set(k, item);
    this.emit(visit, k, item, null);
  }

  private partitionSite(cookie: JarCookie): string | null {
    return siteOf(cookie.partitionKey?.topLevelSite ?? '') ?? cookie.partitionKey?.topLevelSite ?? null;
  }

  private applyJarFacts(item: ObservedItem, cookie: JarCookie): void {
    const stored = jarExpiry(cookie);
    const last = item.lastWrite;
    const longestIsLast =
      item.longestWrite === last || (item.longestWrite.at === last.at && item.longestWrite.by === last.by);
    last.stored = stored;
    if (longestIsLast) item.longestWrite = last;
    item.attributes = jarAttributes(cookie);
  }

  /** Forgets everything observed (the user cleared the data); open tabs start afresh on their next page. */
  clear(): void {
    this.visits.clear();
    this.deposits.clear();
    this.unpaired.clear();
  }

  /** The tab closed: its visit ends. */
  closeTab(tabId: number, at: number): void {
    const visit = this.visits.get(tabId);
    if (!visit) return;
    this.endVisit(visit, at);
    this.visits.delete(tabId);
  }

  private endVisit(visit: Visit, at: number): void {
    visit.record.endedAt = Math.max(visit.record.endedAt, at);
    this.sink.visitChanged(visit.record, visit.isPrivate, true);
  }

  /** `before` is the item's audit signature before the change; null for a new item or a removal, which are news. */
  private emit(visit: Visit, k: string, item: ObservedItem, before: string | null): void {
    visit.record.endedAt = Math.max(visit.record.endedAt, item.lastSeen);
    this.sink.itemChanged(
      { ...item, visitId: visit.record.id, key: k },
      visit.isPrivate,
      before === null || before !== auditSignature(item),
    );
  }
}

function sameConsentSource(a: ConsentSource, b: ConsentSource): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'banner') return true;
  if (a.kind === 'signal' && b.kind === 'signal') return a.platform === b.platform && a.name === b.name;
  return a.kind === 'platform-loaded' && b.kind === 'platform-loaded' && a.platform === b.platform;
}

function sameConsentState(a: ConsentChange, b: ConsentChange): boolean {
  const same = (x: readonly unknown[] | null, y: readonly unknown[] | null) =>
    x === y || (x !== null && y !== null && x.length === y.length && x.every((v, i) => v === y[i]));
  const action = (c: ConsentChange) => (c.source.kind === 'banner' ? c.source.action : null);
  return (
    a.choice === b.choice &&
    action(a) === action(b) &&
    same(a.granted, b.granted) &&
    same(a.purposes, b.purposes) &&
    same(a.platformCategories, b.platformCategories)
  );
}
