import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../messages';
import type { Db } from '../storage/db';
import { DEPOSIT_KEPT_MS, getSetting, pruneDeposits, pruneVisits, putSetting } from '../storage/queries';

/** The settings (language, retention, lifetime tolerance), kept in memory once written. */
export class SettingsStore {
  current: Settings = DEFAULT_SETTINGS;

  constructor(private readonly db: () => Promise<Db>) {}

  async load(database: Db): Promise<void> {
    this.current = await getSetting(database, 'settings', DEFAULT_SETTINGS, SettingsSchema);
  }

  /** Kept in memory only once written: a failed write leaves the settings as they were, and says so. */
  async put(changes: Partial<Settings>): Promise<Settings> {
    const next = { ...this.current, ...changes };
    await putSetting(await this.db(), 'settings', next);
    this.current = next;
    return next;
  }
}

/** Forgets the visits older than the retention the settings give, and the deposits no longer needed. */
export async function prune(database: Db, settings: Settings): Promise<void> {
  await pruneVisits(database, Date.now() - settings.retentionDays * 86_400_000);
  await pruneDeposits(database, Date.now() - DEPOSIT_KEPT_MS);
}

/** Clears every visit, item and deposit stored (catalogues and settings stay). */
export async function clearData(database: Db): Promise<void> {
  const tx = database.transaction(['visits', 'items', 'deposits'], 'readwrite');
  await Promise.all([
    tx.objectStore('visits').clear(),
    tx.objectStore('items').clear(),
    tx.objectStore('deposits').clear(),
    tx.done,
  ]);
}
