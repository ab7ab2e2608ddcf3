import * as v from 'valibot';
import type { EvalResponseMessage, InitResponseMessage } from '@duckduckgo/autoconsent';
import type { Catalogue } from './catalogue/schema';
import { BANNER_MODES, type BannerMode, type BannerOutcome } from './consent/banner-outcome';
import type { RowDetails, TabRows } from './audit/report-rows';
import type { VisitReport } from './audit/visit-report';
import { PageReportsMessageSchema } from './observation/page-write';
import type { VisitRecord } from './storage/db';
import type { StorageStatus } from './storage/persister';
import type { OcdEntry, OcdProblem } from './vendors/open-cookie-database';

/**
 * Messages the background answers: the protocol map. Each message type has its request (`RequestSchema`), its reply
 * (`Replies`) and the senders it is answered to (`REQUEST_SENDERS`). Anything arriving is validated: content scripts
 * run beside hostile pages.
 */
const tabId = v.pipe(v.number(), v.integer(), v.minValue(0));
export const MAX_CATALOGUE_BYTES = 5_000_000;
/** The Open Cookie Database's CSV is about 1 MB; room for a grown copy or another file in its format. */
export const MAX_OPEN_COOKIE_DATABASE_BYTES = 20_000_000;
const SitePatternSchema = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.regex(/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/, 'a site is a host name, optionally starting with "*."'),
);

export const SettingsSchema = v.object({
  /** The interface language: the browser's, or one chosen. */
  language: v.picklist(['auto', 'fr', 'en']),
  retentionDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650)),
  /** How much longer than declared a lifetime may be before it is reported, in percent. */
  tolerancePercent: v.pipe(v.number(), v.minValue(0), v.maxValue(100)),
  /** Whether Cookie Lens answers consent banners for the person (never unless asked): off, refuse all, accept all. */
  answerBanners: v.optional(v.picklist(['off', 'refuse', 'accept']), 'off'),
  /**
   * Audit mode: every change of the cookie jar is followed as it happens, rather than read a moment after each
   * page's writes; it costs more on every page (README, "Benchmarks"). The audit command turns it on.
   */
  auditMode: v.optional(v.boolean(), false),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;
export const DEFAULT_SETTINGS: Settings = {
  language: 'auto',
  retentionDays: 30,
  tolerancePercent: 5,
  answerBanners: 'off',
  auditMode: false,
};
/** The language the page asking reads, for the problems found in a file it sends; English when not said. */
const ProblemLanguageSchema = v.optional(v.picklist(['fr', 'en']), 'en');

const cmpName = v.pipe(v.string(), v.maxLength(200));
/**
 * What the banner engine's content script (entrypoints/consent-banner.ts) forwards of autoconsent's messages
 * (docs/api.md of @duckduckgo/autoconsent), only the fields read; and two of its own: `answerStarting`, the engine is
 * about to click its answer (the answer counts from then: a page's response to the clicks comes before autoconsent
 * tells the result), and `detectionEnded`, autoconsent's detection finished, whatever it found (autoconsent says so
 * only when it found no platform at all).
 */
export const BannerEngineMessageSchema = v.variant('type', [
  v.object({ type: v.literal('init') }),
  /** A rule's main-world step: only a snippet autoconsent ships is run, by its id, never code from the message. */
  v.object({ type: v.literal('eval'), id: v.pipe(v.string(), v.maxLength(100)), snippetId: v.optional(cmpName) }),
  v.object({ type: v.literal('cmpDetected'), cmp: cmpName }),
  v.object({ type: v.literal('popupFound'), cmp: cmpName }),
  v.object({ type: v.literal('optOutResult'), cmp: cmpName, result: v.boolean() }),
  v.object({ type: v.literal('optInResult'), cmp: cmpName, result: v.boolean() }),
  v.object({
    type: v.literal('autoconsentDone'),
    cmp: cmpName,
    totalClicks: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100_000)),
  }),
  v.object({ type: v.literal('answerStarting'), action: v.picklist(['opt-out', 'opt-in']) }),
  v.object({ type: v.literal('detectionEnded') }),
]);
export type BannerEngineMessage = v.InferOutput<typeof BannerEngineMessageSchema>;

export const RequestSchema = v.variant('type', [
  v.object({ type: v.literal('ping') }),
  PageReportsMessageSchema,
  v.object({ type: v.literal('get-tab-report'), tabId }),
  /**
   * The popup's list: the tab's report as rows, their findings explained in the interface's language, without the
   * evidence; with `first`, only the rows of the list's first screen.
   */
  v.object({
    type: v.literal('get-tab-rows'),
    tabId,
    first: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  }),
  /** The evidence of one row of the tab's visit, asked for when the row is opened; read from storage once the tab has moved on. */
  v.object({
    type: v.literal('get-cookie-details'),
    tabId,
    visitId: v.pipe(v.string(), v.maxLength(100)),
    cookie: v.object({
      store: v.picklist(['cookie', 'localStorage', 'sessionStorage']),
      name: v.pipe(v.string(), v.maxLength(4096)),
      domain: v.pipe(v.string(), v.maxLength(300)),
      path: v.pipe(v.string(), v.maxLength(4096)),
      partitionKey: v.nullable(v.pipe(v.string(), v.maxLength(300))),
    }),
  }),
  v.object({ type: v.literal('get-visit-report'), visitId: v.pipe(v.string(), v.maxLength(100)) }),
  /** A page of the history, newest first: `offset` visits skipped, `limit` at most (200 unless said). */
  v.object({
    type: v.literal('list-visits'),
    site: v.optional(v.pipe(v.string(), v.maxLength(300))),
    offset: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
  }),
  v.object({ type: v.literal('list-catalogues') }),
  /** The file's text as the user gave it: the background parses and validates it, and says what is wrong. */
  v.object({
    type: v.literal('import-catalogue'),
    text: v.pipe(v.string(), v.maxLength(MAX_CATALOGUE_BYTES)),
    language: ProblemLanguageSchema,
  }),
  v.object({ type: v.literal('remove-catalogue'), id: v.pipe(v.string(), v.maxLength(200)) }),
  v.object({
    type: v.literal('bind-catalogue'),
    site: SitePatternSchema,
    catalogueId: v.pipe(v.string(), v.maxLength(200)),
  }),
  v.object({
    type: v.literal('unbind-catalogue'),
    site: SitePatternSchema,
    catalogueId: v.pipe(v.string(), v.maxLength(200)),
  }),
  v.object({ type: v.literal('get-settings') }),
  v.object({ type: v.literal('put-settings'), settings: v.partial(SettingsSchema) }),
  v.object({ type: v.literal('clear-data') }),
  /** An Open Cookie Database file (CSV or JSON export): an extra, labelled source of explanations, never a declaration. */
  v.object({
    type: v.literal('import-open-cookie-database'),
    text: v.pipe(v.string(), v.maxLength(MAX_OPEN_COOKIE_DATABASE_BYTES)),
    fileName: v.optional(v.pipe(v.string(), v.maxLength(300))),
    language: ProblemLanguageSchema,
  }),
  /** What is stored (count, date, problems) and, given a name, the database's row for it. */
  v.object({ type: v.literal('get-open-cookie-database'), name: v.optional(v.pipe(v.string(), v.maxLength(4096))) }),
  v.object({ type: v.literal('remove-open-cookie-database') }),
  /** A message of the banner engine's content script, in a tab's frame. */
  v.object({ type: v.literal('banner-engine'), message: BannerEngineMessageSchema }),
  /**
   * The audit's banner mode for this browser session (not saved; it overrides the answerBanners setting): `detect`
   * recognises banners without answering them. `rules`: more autoconsent rules (`--consent-rules`), validated, their
   * problems worded in `language`.
   */
  v.object({
    type: v.literal('set-banner-mode'),
    mode: v.picklist(BANNER_MODES),
    rules: v.optional(v.unknown()),
    language: ProblemLanguageSchema,
  }),
  /** What the banner engine did with the banner of the tab's visit. */
  v.object({ type: v.literal('get-banner-outcome'), tabId }),
]);
export type Request = v.InferOutput<typeof RequestSchema>;
/** A request as a page writes it (optional fields left out). */
export type RequestInput = v.InferInput<typeof RequestSchema>;

/**
 * Who sends a message, as the browser tells it (never as the message says): one of the extension's own pages (the
 * popup, the dashboard, whether in a popup or a tab), or the relay content script in a web page's frame.
 */
export type SenderKind = 'extension-page' | 'content-script';

/**
 * The protocol map's senders: who each request is answered for. A content script runs beside a hostile page, whose renderer
 * may be compromised and send whatever the relay could: it may only report what its own frame did, to its own tab
 * (the tab and the frame are the browser's, never the message's). Reading reports and history, catalogues, settings
 * and clearing the data are for the extension's pages only. Every request type must have its entry.
 */
export const REQUEST_SENDERS: { readonly [T in Request['type']]: readonly SenderKind[] } = {
  // Tells whether storage works and when the background started: for the CLI and the tests, through an extension page.
  ping: ['extension-page'],
  'page-reports': ['content-script'],
  'get-tab-report': ['extension-page'],
  'get-tab-rows': ['extension-page'],
  'get-cookie-details': ['extension-page'],
  'get-visit-report': ['extension-page'],
  'list-visits': ['extension-page'],
  'list-catalogues': ['extension-page'],
  'import-catalogue': ['extension-page'],
  'remove-catalogue': ['extension-page'],
  'bind-catalogue': ['extension-page'],
  'unbind-catalogue': ['extension-page'],
  'get-settings': ['extension-page'],
  'put-settings': ['extension-page'],
  'clear-data': ['extension-page'],
  'import-open-cookie-database': ['extension-page'],
  'get-open-cookie-database': ['extension-page'],
  'remove-open-cookie-database': ['extension-page'],
  // Only the extension's own content script, for its own tab and frame (as the browser names them): a page cannot send
  // it, and what it tells is counted for the sender's tab only.
  'banner-engine': ['content-script'],
  'set-banner-mode': ['extension-page'],
  'get-banner-outcome': ['extension-page'],
};

/** What browsers tell of a message's sender (runtime.MessageSender), as far as telling its kind needs. */
export interface MessageSenderInfo {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number };
  frameId?: number;
}

/**
 * The kind of a message's sender, or null for any other. An extension page is known by its URL, under the
 * extension's own base URL (`runtime.getURL('')`): it may be in a tab (the dashboard, or the popup opened as a page),
 * so having a tab does not make a content script. A content script is what else comes from a tab's frame.
 */
export function senderKind(sender: MessageSenderInfo, extension: { id: string; baseUrl: string }): SenderKind | null {
  if (sender.id !== extension.id) return null;
  const ownOrigin = extension.baseUrl.replace(/\/$/, '');
  if (sender.url?.startsWith(extension.baseUrl) && (sender.origin === undefined || sender.origin === ownOrigin))
    return 'extension-page';
  if (typeof sender.tab?.id === 'number' && sender.tab.id >= 0 && typeof sender.frameId === 'number')
    return 'content-script';
  return null;
}

export interface CatalogueListing {
  catalogues: Array<{ catalogue: Catalogue; origin: 'bundled' | 'imported'; importedAt: number | null }>;
  bindings: Array<{ site: string; catalogueId: string }>;
}

/** The stored copy of the Open Cookie Database, without its rows. */
export interface OpenCookieDatabaseInfo {
  count: number;
  importedAt: number;
  fileName: string | null;
  /** Rows refused when it was imported, by line: the first ones (`LISTED_PROBLEMS`), and how many in all. */
  problems: OcdProblem[];
  problemCount: number;
}

/**
 * The protocol map's replies: what the background answers to each request type, when it does not refuse it
 * (`ErrorResponse`). The background's handlers are checked against it at compile time, and every sender's `ask`
 * is typed by it.
 */
export interface Replies {
  ping: { ok: true; storage: StorageStatus; startedAt: number };
  'page-reports': { ok: true; stored: boolean };
  'get-tab-report': { ok: true; report: VisitReport | null };
  // With the language setting: the popup needs no other answer before it paints.
  'get-tab-rows': { ok: true; view: TabRows | null; language: Settings['language'] };
  'get-cookie-details': { ok: true; details: RowDetails | null };
  'get-visit-report': { ok: true; report: VisitReport | null };
  // `total`: visits in the whole list; `siteCounts`: in all, for each site of the page.
  'list-visits': { ok: true; visits: VisitRecord[]; total: number; siteCounts: Record<string, number> };
  'list-catalogues': { ok: true } & CatalogueListing;
  /** `upgradedFrom`: the file was in that older format version, upgraded on import (its notes say what changed). */
  'import-catalogue': { ok: true; id: string; replaced: boolean; upgradedFrom?: number } | ImportRefusal;
  'remove-catalogue': { ok: true };
  'bind-catalogue': { ok: true };
  'unbind-catalogue': { ok: true };
  'get-settings': { ok: true; settings: Settings };
  'put-settings': { ok: true; settings: Settings };
  'clear-data': { ok: true };
  'import-open-cookie-database': ({ ok: true } & OpenCookieDatabaseInfo) | ImportRefusal;
  'get-open-cookie-database': { ok: true; info: OpenCookieDatabaseInfo | null; entry: OcdEntry | null };
  'remove-open-cookie-database': { ok: true };
  /** autoconsent's answer to the content script (its `initResp` to `init`, its `evalResp` to `eval`), or none. */
  'banner-engine': { ok: true; reply: InitResponseMessage | EvalResponseMessage | null };
  /** `rules`: how many extra rules the mode has. Refused with the rules' problems, in the asker's language. */
  'set-banner-mode': { ok: true; mode: BannerMode; rules: number } | { ok: false; error: string; problems: string[] };
  'get-banner-outcome': { ok: true; outcome: BannerOutcome };
}

/** The request of one type, as the background reads it once validated. */
export type RequestOf<T extends Request['type']> = Extract<Request, { type: T }>;
/** The reply to one request type (a request type without its entry in `Replies` does not compile). */
export type Response<T extends Request['type']> = Replies[T];
/** What a sender gets back: the reply, or the background's refusal. */
export type Answer<T extends Request['type']> = Response<T> | ErrorResponse;

export type ErrorResponse = { ok: false; error: string };
/** A file refused: its first problems (`LISTED_PROBLEMS`), and how many it has in all (absent when none were counted). */
export type ImportRefusal = {
  ok: false;
  error: string;
  issues: Array<{ path: string; message: string }>;
  total?: number;
};
