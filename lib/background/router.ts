import * as v from 'valibot';
import type { browser as wxtBrowser } from 'wxt/browser';
import { languageOf } from '../i18n';
import {
  REQUEST_SENDERS,
  RequestSchema,
  senderKind,
  type Answer,
  type ErrorResponse,
  type Request,
  type RequestOf,
} from '../messages';
import { rowDetails, tabRows } from '../audit/report-rows';
import type { Db } from '../storage/db';
import type { Persister } from '../storage/persister';
import { visitPage } from '../storage/queries';
import type { CatalogueStore } from './catalogues';
import type { ConsentBanner } from './consent-banner';
import type { Observation, RequestingPage } from './observation';
import type { OpenCookieDatabaseStore } from './open-cookie-database';
import type { PageHookScripts } from './page-hook-scripts';
import { clearData, type SettingsStore } from './settings';
import type { TabReports } from './tab-reports';
import type { WhenReady } from './when-ready';

type Browser = typeof wxtBrowser;

const ACK_TIMEOUT_MS = 5000;

/** What the browser tells of a message's sender, as far as the handlers read it. */
export type Sender = RequestingPage & { url?: string; origin?: string; tab?: { id?: number } };

/** One handler per request type of the protocol map, each checked at compile time against its reply. */
export type Handlers = { [T in Request['type']]: (request: RequestOf<T>, sender: Sender) => Promise<Answer<T>> };

export interface RouterDeps {
  browser: Browser;
  startedAt: number;
  db: () => Promise<Db>;
  persister: Persister;
  observation: Observation;
  reports: TabReports;
  catalogues: CatalogueStore;
  settings: SettingsStore;
  openCookieDatabase: OpenCookieDatabaseStore;
  consentBanner: ConsentBanner;
  pageHook: PageHookScripts;
}

/** Where each message is answered. */
export function messageHandlers(deps: RouterDeps) {
  const {
    browser,
    db,
    persister,
    observation,
    reports,
    catalogues,
    settings,
    openCookieDatabase,
    consentBanner,
    pageHook,
  } = deps;
  /** Catalogues, bindings, settings or data changed: every tab's findings may have. */
  const refreshing = async <R extends { ok: boolean }>(reply: Promise<R>): Promise<R> => {
    const answer = await reply;
    if (answer.ok) reports.refreshAll();
    return answer;
  };
  /** Whatever waits to be written, written before stored visits are read; not waited for long when storage fails. */
  const allWritten = () =>
    persister.status.ok ? Promise.race([persister.flushed({ all: true }), delay(ACK_TIMEOUT_MS)]) : Promise.resolve();
  const storedReport = async (visitId: string) => {
    await allWritten();
    return reports.storedReport(visitId);
  };
  return {
    ping: async () => ({ ok: true, storage: persister.status, startedAt: deps.startedAt }),
    'page-reports': async (request, sender) => {
      const senderTabId = sender.tab?.id;
      if (senderTabId === undefined) return { ok: false, error: 'page reports come from a tab' };
      observation.pageReports(senderTabId, sender, request.reports);
      // Answered once written, so a relay whose batch is lost with a stopped worker sends it again (and a tab's
      // window must be known for its visit to be written).
      await observation.windowOf(senderTabId);
      const stored = await Promise.race([
        persister.flushed().then(() => true),
        delay(ACK_TIMEOUT_MS).then(() => false),
      ]);
      return { ok: true, stored };
    },
    'get-tab-report': async (request) => {
      await observation.readForReport(request.tabId);
      return { ok: true, report: reports.tabReport(request.tabId) };
    },
    'get-tab-rows': async (request) => {
      // The popup's first screen is answered at once from what is recorded, unless the page wrote since the jar was
      // last read; all the rows, from the jar as it is.
      const due = observation.jarReadDue(request.tabId);
      const reading = observation.readForReport(request.tabId, request.first === undefined);
      if (request.first === undefined || due) await reading;
      const report = reports.tabReport(request.tabId);
      const language = languageOf(settings.current.language, browser.i18n.getMessage('languageCode'));
      return {
        ok: true,
        view: report && tabRows(report, language, request.first),
        language: settings.current.language,
      };
    },
    'get-cookie-details': async (request) => {
      const current = reports.tabReport(request.tabId);
      const report = current?.visit.id === request.visitId ? current : await storedReport(request.visitId);
      return { ok: true, details: report && rowDetails(report, request.cookie) };
    },
    'get-visit-report': async (request) => ({ ok: true, report: await storedReport(request.visitId) }),
    'list-visits': async (request) => {
      await allWritten();
      return {
        ok: true,
        ...(await visitPage(await db(), {
          site: request.site,
          offset: request.offset ?? 0,
          limit: request.limit ?? 200,
        })),
      };
    },
    'list-catalogues': async () => ({ ok: true, ...catalogues.listing() }),
    'import-catalogue': (request) => refreshing(catalogues.import(request.text, request.language)),
    'remove-catalogue': (request) => refreshing(catalogues.remove(request.id)),
    'bind-catalogue': (request) => refreshing(catalogues.bind(request.site, request.catalogueId)),
    'unbind-catalogue': (request) => refreshing(catalogues.unbind(request.site, request.catalogueId)),
    'get-settings': async () => ({ ok: true, settings: settings.current }),
    'put-settings': async (request) => {
      const answer = await refreshing(
        settings.put(request.settings).then((next) => ({ ok: true as const, settings: next })),
      );
      // The banner engine's script is registered only while the setting (or an audit) needs it.
      await consentBanner.sync();
      // Audit mode's live account: the jar's every change, and the page hook on the pages loaded from now on.
      observation.followJar(settings.current.auditMode);
      await pageHook.sync(settings.current.auditMode);
      return answer;
    },
    'import-open-cookie-database': (request) =>
      openCookieDatabase.import(request.text, request.fileName ?? null, request.language),
    'get-open-cookie-database': (request) => openCookieDatabase.get(request.name),
    'remove-open-cookie-database': () => openCookieDatabase.remove(),
    'banner-engine': async (request, sender) => {
      const tabId = sender.tab?.id;
      if (tabId === undefined || sender.frameId === undefined)
        return { ok: false, error: "the banner engine's messages come from a tab's frame" };
      return {
        ok: true,
        reply: await consentBanner.message(request.message, tabId, sender.frameId, sender.url ?? ''),
      };
    },
    'set-banner-mode': (request) => consentBanner.setMode(request.mode, request.rules, request.language),
    'get-banner-outcome': async (request) => ({ ok: true, outcome: consentBanner.outcome(request.tabId) }),
    'clear-data': async () => {
      await clearData(await db());
      observation.recorder.clear();
      reports.refreshAll();
      return { ok: true };
    },
  } satisfies Handlers;
}

/**
 * Messages only (no runtime.onConnect, no runtime.onMessageExternal, no externally_connectable): each validated,
 * and answered only to the senders the protocol map names for it, once the background's state is restored.
 */
export function listenForMessages(browser: Browser, handlers: Handlers, whenReady: WhenReady): void {
  const extension = { id: browser.runtime.id, baseUrl: browser.runtime.getURL('') };
  browser.runtime.onMessage.addListener((message: unknown, sender) => {
    const kind = senderKind(sender, extension);
    if (kind === null)
      return Promise.resolve<ErrorResponse>({
        ok: false,
        error: "messages are answered only to the extension's pages and its content scripts",
      });
    const parsed = v.safeParse(RequestSchema, message);
    if (!parsed.success)
      return Promise.resolve<ErrorResponse>({
        ok: false,
        error: `unknown or malformed message: ${v.summarize(parsed.issues)}`,
      });
    const request = parsed.output;
    if (!REQUEST_SENDERS[request.type].includes(kind))
      return Promise.resolve<ErrorResponse>({ ok: false, error: `"${request.type}" is not answered to a ${kind}` });
    return new Promise((resolve) => whenReady(() => resolve(answer(handlers, request, sender))));
  });
}

async function answer<T extends Request['type']>(
  handlers: Handlers,
  request: RequestOf<T>,
  sender: Sender,
): Promise<Answer<T>> {
  try {
    return await (handlers[request.type] as (request: RequestOf<T>, sender: Sender) => Promise<Answer<T>>)(
      request,
      sender,
    );
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
