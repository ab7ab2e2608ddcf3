import type { Db, DepositRecord, ItemRecord, VisitRecord } from './db';

/**
 * Writes what the recorder reports as changed. News (a new visit, host or item, a changed fact) is written as soon as
 * it can be: while one transaction runs, changes pile up and go in the next, so under load writes batch by themselves.
 * Bookkeeping (a page count, a plain renewal: the same cookie from the same writer for the same life, later) waits up
 * to DEFER_MS so that a site renewing its cookies on every page costs one write per cookie every ten seconds, not one
 * per page: rewriting a page's 50 cookie records was over 40 % of the background's work per page load, measured with
 * a CPU profile of the worker (README, "Benchmarks"). Ten seconds is well within the half-minute a browser lets an idle
 * extension worker live, so the timer fires before the worker is stopped; what reads stored visits (the history, a
 * past visit's report) asks for everything first (`flushed({ all: true })`). A background stopped before the timer
 * fires loses only that bookkeeping. A failed write (a full disk, an IndexedDB error) keeps its
 * records for the next attempt and is reported; nothing stored is lost.
 */
export type StorageStatus = { ok: true } | { ok: false; error: string; since: number; pending: number };

const RETRY_MS = [500, 2000, 10_000, 30_000];
export const DEFER_MS = 10_000;

export class Persister {
  private visits = new Map<string, VisitRecord>();
  private items = new Map<string, ItemRecord>();
  private deposits = new Map<string, DepositRecord>();
  private running: Promise<void> | null = null;
  /** Pending records that are news: while there are any, the next transaction starts at once. */
  private news = 0;
  private deferTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private waiters: Array<() => void> = [];
  status: StorageStatus = { ok: true };

  constructor(
    private readonly db: () => Promise<Db>,
    private readonly options: { deferMs?: number } = {},
  ) {}

  visit(record: VisitRecord, news = true): void {
    this.visits.set(record.id, record);
    this.handed(news);
  }

  item(record: ItemRecord, news = true): void {
    this.items.set(`${record.visitId}\u0000${record.key}`, record);
    this.handed(news);
  }

  deposit(record: DepositRecord): void {
    this.deposits.set(record.key, record);
    this.handed(true);
  }

  private handed(news: boolean): void {
    if (news) {
      this.news++;
      this.kick();
    } else {
      this.defer();
    }
  }

  private defer(): void {
    this.deferTimer ??= setTimeout(() => {
      this.deferTimer = null;
      this.kick();
    }, this.options.deferMs ?? DEFER_MS);
  }

  get pending(): number {
    return this.visits.size + this.items.size + this.deposits.size;
  }

  /**
   * Resolves once the news handed over so far is written (what page reports wait for before being answered); `all`
   * writes the bookkeeping too, without waiting for its delay.
   */
  flushed(options: { all?: boolean } = {}): Promise<void> {
    if (options.all && this.pending > 0) this.news++;
    if (this.news === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (this.news > 0) this.kick();
    });
  }

  private kick(): void {
    if (this.running || this.retryTimer) return;
    // Started once the recorder's change is handed whole: an item and its first deposit go in the same transaction,
    // so that a background stopped between two transactions never keeps one without the other.
    this.running = Promise.resolve()
      .then(() => this.drain())
      .finally(() => {
        this.running = null;
        // News that came in after the last transaction started goes now; otherwise whoever waited is done.
        if (this.news > 0) this.kick();
        else if (!this.retryTimer) this.release();
      });
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** One transaction with everything pending, bookkeeping included; another follows while news keeps coming. */
  private async drain(): Promise<void> {
    do {
      const news = this.news;
      this.news = 0;
      if (this.deferTimer) clearTimeout(this.deferTimer);
      this.deferTimer = null;
      const visits = this.visits;
      const items = this.items;
      const deposits = this.deposits;
      this.visits = new Map();
      this.items = new Map();
      this.deposits = new Map();
      try {
        const db = await this.db();
        const tx = db.transaction(['visits', 'items', 'deposits'], 'readwrite');
        // Records are cloned by IndexedDB when put: later changes to them go in a later batch.
        for (const record of visits.values()) void tx.objectStore('visits').put(record);
        for (const record of items.values()) void tx.objectStore('items').put(record);
        for (const record of deposits.values()) void tx.objectStore('deposits').put(record);
        await tx.done;
        this.failures = 0;
        if (!this.status.ok) this.status = { ok: true };
      } catch (error) {
        // Newer versions that arrived meanwhile win over the ones that failed.
        this.visits = new Map([...visits, ...this.visits]);
        this.items = new Map([...items, ...this.items]);
        this.deposits = new Map([...deposits, ...this.deposits]);
        this.news += news;
        this.failures++;
        this.status = {
          ok: false,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          since: this.status.ok ? Date.now() : this.status.since,
          pending: this.pending,
        };
        const delay = RETRY_MS[Math.min(this.failures - 1, RETRY_MS.length - 1)]!;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.kick();
        }, delay);
        return;
      }
    } while (this.news > 0);
    // Bookkeeping that came in during the last transaction waits its turn.
    if (this.pending > 0) this.defer();
  }
}
