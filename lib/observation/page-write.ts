import * as v from 'valibot';
import { webOriginOf } from './host';

/**
 * What the page hook (a MAIN-world content script in every frame) reports through its relay to the background.
 * It comes from a page, so the background validates it like any outside input. It never carries a value: a cookie
 * write keeps the name and the attributes that follow the value; a storage report keeps key names only.
 */
const MAX_NAME = 4096;
const MAX_REPORTS = 500;

const common = {
  /** When the page made the write (ms since the epoch). */
  at: v.pipe(v.number(), v.finite()),
  /** URL of the script that made the write, from its stack, where it can be known. */
  scriptUrl: v.nullable(v.pipe(v.string(), v.maxLength(8192))),
  /** URL of the frame's document. */
  frameUrl: v.pipe(v.string(), v.maxLength(8192)),
};

export const PageCookieWriteSchema = v.object({
  kind: v.literal('cookie-write'),
  api: v.picklist(['document.cookie', 'cookieStore']),
  name: v.pipe(v.string(), v.maxLength(MAX_NAME)),
  /** The attribute part of the cookie string, e.g. "expires=Thu, 01 Jan 2026 00:00:00 GMT; path=/; secure". */
  attributes: v.pipe(v.string(), v.maxLength(MAX_NAME)),
  /** True for a deletion (cookieStore.delete); a document.cookie deletion shows as an expiry in the past. */
  deleted: v.boolean(),
  ...common,
});
export type PageCookieWrite = v.InferOutput<typeof PageCookieWriteSchema>;

export const PageStorageWriteSchema = v.object({
  kind: v.literal('storage'),
  area: v.picklist(['localStorage', 'sessionStorage']),
  /** `present`: keys found when the frame loaded; `clear`: every key removed (keys then lists those it had). */
  op: v.picklist(['present', 'set', 'remove', 'clear']),
  keys: v.pipe(v.array(v.pipe(v.string(), v.maxLength(MAX_NAME))), v.maxLength(10_000)),
  /** Origin of the storage (the frame's origin). */
  origin: v.pipe(v.string(), v.maxLength(2048)),
  ...common,
});
export type PageStorageWrite = v.InferOutput<typeof PageStorageWriteSchema>;

export const PageWriteSchema = v.variant('kind', [PageCookieWriteSchema, PageStorageWriteSchema]);
export type PageWrite = v.InferOutput<typeof PageWriteSchema>;

/**
 * The relay's message to the background: reports batched per frame. Each report is checked on its own, so that
 * one a hostile page forged does not take the others down with it.
 */
export const PageReportsMessageSchema = v.object({
  type: v.literal('page-reports'),
  reports: v.pipe(v.array(v.unknown()), v.maxLength(MAX_REPORTS)),
});

/** The reports of a batch that are valid; the others are dropped. */
export function validReports(reports: readonly unknown[]): PageWrite[] {
  return reports.filter((report): report is PageWrite => v.is(PageWriteSchema, report));
}

/**
 * The reports a frame may make: those of its own origin, as the browser tells it (see `reportingOrigin`), never as
 * the reports say. A compromised renderer could otherwise book writes under another site's name in its tab. None
 * where no origin may report.
 */
export function reportsOfOrigin(reports: readonly PageWrite[], frameOrigin: string | null): PageWrite[] {
  if (frameOrigin === null) return [];
  return reports.filter(
    (report) =>
      webOriginOf(report.frameUrl) === frameOrigin && (report.kind !== 'storage' || report.origin === frameOrigin),
  );
}

/**
 * The origin a frame's reports must carry, from what the browser tells of the message's sender: Chrome's `origin`,
 * else the origin of its http(s) address. Where the browser tells neither (Firefox's about:blank and srcdoc frames,
 * which inherit an origin), the tab's top-level origin: such a frame elsewhere in the tab cannot report. Null for an
 * opaque origin (a sandboxed frame, which can keep no cookie or storage key) and where nothing is known.
 */
export function reportingOrigin(sender: { origin?: string; url?: string }, topOrigin: string | null): string | null {
  if (sender.origin === 'null') return null;
  if (sender.origin !== undefined) return sender.origin;
  return (sender.url === undefined ? null : webOriginOf(sender.url)) ?? topOrigin;
}
