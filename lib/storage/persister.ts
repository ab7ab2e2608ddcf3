import type { Db, DepositRecord, ItemRecord, VisitRecord } from './db';

/**
 * Writes what the recorder reports as changed, as soon as it can: while one transaction runs, changes pile up and go
 * in the next, so under load writes batch by themselves and an idle background has nothing waiting. A failed write
 * (a full disk, an IndexedDB error) keeps its records for the next attempt and is reported; nothing stored is lost.
 */
export type StorageStatus = { ok: true } | { ok: false; error: string; since: number; pending: number };

const RETRY_MS = [500, 2000, 10_000, 30_000];

export class Persister {
  private visits = new Map<string, VisitRecord>();
  private items = new Map<string, ItemRecord>();
  private deposits = new Map<string, DepositRecord>();
  private running: Promise<void> | null = null;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private waiters: Array<() => void> = [];
  status: StorageStatus = { ok: true };

  constructor(
    private readonly db: () => Promise<Db>,
    private readonly onStatus: (status: StorageStatus) => void = () => {},
  ) {}

  visit(record: VisitRecord): void {
    this.visits.set(record.id, record);
    this.kick();
  }

  item(record: ItemRecord): void {
    this.items.set(`${record.visitId}\u0000${record.key}`, record);
    this.kick();
  }

  deposit(record: DepositRecord): void {
    this.deposits.set(record.key, record);
    this.kick();
  }

  get pending(): number {
    return this.visits.size + this.items.size + this.deposits.size;
  }

  /** Resolves once everything handed over so far is written (what page reports wait for before being answered). */
  flushed(): Promise<void> {
    if (this.pending === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.kick();
    });
  }

  private kick(): void {
    if (this.running || this.retryTimer) return;
    this.running = this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.pending > 0) {
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
        if (!this.status.ok) this.setStatus({ ok: true });
      } catch (error) {
        // Newer versions that arrived meanwhile win over the ones that failed.
        this.visits = new Map([...visits, ...this.visits]);
        this.items = new Map([...items, ...this.items]);
        this.deposits = new Map([...deposits, ...this.deposits]);
        this.failures++;
        this.setStatus({
          ok: false,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          since: this.status.ok ? Date.now() : this.status.since,
          pending: this.pending,
        });
        const delay = RETRY_MS[Math.min(this.failures - 1, RETRY_MS.length - 1)]!;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.kick();
        }, delay);
        return;
      }
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private setStatus(status: StorageStatus): void {
    this.status = status;
    this.onStatus(status);
  }
}
