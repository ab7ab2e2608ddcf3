import * as v from 'valibot';
import type { Catalogue } from './catalogue/schema';
import type { Finding } from './findings';
import type { ObservedItem } from './observed';
import { PageReportsMessageSchema } from './observation/page-report';
import type { VisitRecord } from './storage/db';
import type { StorageStatus } from './storage/persister';

/**
 * Messages the background answers. Anything arriving is validated: content scripts run beside hostile pages.
 */
const tabId = v.pipe(v.number(), v.integer(), v.minValue(0));

export const RequestSchema = v.variant('type', [
  v.object({ type: v.literal('ping') }),
  PageReportsMessageSchema,
  v.object({ type: v.literal('get-tab-report'), tabId }),
  v.object({ type: v.literal('get-visit-report'), visitId: v.pipe(v.string(), v.maxLength(100)) }),
  v.object({
    type: v.literal('list-visits'),
    site: v.optional(v.pipe(v.string(), v.maxLength(300))),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
  }),
]);
export type Request = v.InferOutput<typeof RequestSchema>;

export interface CatalogueSummary {
  id: string;
  publisher: string;
  title: string;
  policy: Catalogue['policy'];
  date: Catalogue['date'];
  entries: number;
}

/** Everything a page needs to show one visit: what was seen, against which policies, and what does not match. */
export interface VisitReport {
  visit: VisitRecord;
  items: ObservedItem[];
  catalogues: CatalogueSummary[];
  findings: Finding[];
  /** True for a private window's visit: kept in memory only. */
  isPrivate: boolean;
  storage: StorageStatus;
}

export type Response<T extends Request['type']> = T extends 'ping'
  ? { ok: true; storage: StorageStatus }
  : T extends 'page-reports'
    ? { ok: true; stored: boolean }
    : T extends 'get-tab-report' | 'get-visit-report'
      ? { ok: true; report: VisitReport | null }
      : T extends 'list-visits'
        ? { ok: true; visits: VisitRecord[] }
        : never;

export type ErrorResponse = { ok: false; error: string };

export function summarizeCatalogue(catalogue: Catalogue): CatalogueSummary {
  const { id, publisher, title, policy, date } = catalogue;
  return { id, publisher, title, policy, date, entries: catalogue.entries.length };
}
