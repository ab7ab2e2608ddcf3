import type { browser as wxtBrowser } from 'wxt/browser';
import { openCookieLensDb, type Db, type VisitRecord } from '../storage/db';
import { Persister } from '../storage/persister';
import { CatalogueStore } from './catalogues';
import { ConsentBanner } from './consent-banner';
import { Observation } from './observation';
import { OpenCookieDatabaseStore } from './open-cookie-database';
import { PageHookScripts } from './page-hook-scripts';
import { listenForMessages, messageHandlers } from './router';
import { prune, SettingsStore } from './settings';
import { TabReports } from './tab-reports';
import { holdUntilReady } from './when-ready';

type Browser = typeof wxtBrowser;

/**
 * Starts the background: every listener registered synchronously (an MV3 service worker or event page is woken by
 * the event itself), then the state rebuilt from storage, with the events that arrive meanwhile held and replayed in
 * order. Each concern is its own module: observation (where browser events enter), tab reports and the badge,
 * catalogues and bindings, the Open Cookie Database, settings and retention, and the message router.
 */
export function startBackground(browser: Browser, options: { isChrome: boolean; openDb?: () => Promise<Db> }): void {
  /** When this background started: a stopped worker or suspended event page starts again on the next event. */
  const startedAt = Date.now();
  let dbPromise: Promise<Db> | null = null;
  const db = () => (dbPromise ??= (options.openDb ?? openCookieLensDb)());
  const persister = new Persister(db);
  const settings = new SettingsStore(db);
  const catalogues = new CatalogueStore(db);
  const openCookieDatabase = new OpenCookieDatabaseStore(db);
  const observation = new Observation(
    browser,
    persister,
    {
      changed: (tabId, news) => reports.changed(tabId, news),
      pageCommitted: (tabId) => reports.pageCommitted(tabId),
      tabClosed: (tabId) => reports.tabClosed(tabId),
    },
    options,
  );
  const reports = new TabReports(browser, { recorder: observation.recorder, persister, catalogues, settings, db });
  const consentBanner = new ConsentBanner({ browser, recorder: observation.recorder, settings });
  const pageHook = new PageHookScripts(browser);

  const { whenReady, ready } = holdUntilReady();

  // --- listeners, registered before anything asynchronous ---

  observation.listen(whenReady);
  consentBanner.listen();
  listenForMessages(
    browser,
    messageHandlers({
      browser,
      startedAt,
      db,
      persister,
      observation,
      reports,
      catalogues,
      settings,
      openCookieDatabase,
      consentBanner,
      pageHook,
    }),
    whenReady,
  );
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === 'prune') whenReady(() => void (async () => prune(await db(), settings.current))());
  });

  // --- waking up ---

  void (async () => {
    let restored: VisitRecord[] = [];
    try {
      const open = await browser.tabs.query({});
      observation.tabsOpen(open);
      const database = await db();
      restored = await observation.restore(database, open);
      await settings.load(database);
      await catalogues.load(database);
    } catch (error) {
      console.error('Cookie Lens could not restore its state; it goes on with what it can observe.', error);
    } finally {
      // Before the banner engine's first message is answered: the audit's mode of this session, if any.
      await consentBanner.load();
      observation.followJar(settings.current.auditMode);
      await pageHook.sync(settings.current.auditMode);
      ready();
    }
    // A background stopped in the middle of a visit loses what it had not written yet: the jar still has it.
    void observation.recoverLost(restored);
    void browser.alarms.create('prune', { periodInMinutes: 24 * 60, delayInMinutes: 1 });
    void browser.action.setBadgeBackgroundColor({ color: '#b3261e' }).catch(() => {});
  })();
}
