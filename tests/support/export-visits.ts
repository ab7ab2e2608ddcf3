import { NOW, observed, type CookieSketch } from './observed';
import { bundledCatalogues } from '../../lib/catalogue/bundled';
import type { Catalogue } from '../../lib/catalogue/schema';
import { DAY, MINUTE, YEAR } from '../../lib/audit/lifetime';
import { summarizeCatalogue, type VisitReport } from '../../lib/audit/visit-report';
import { computeFindings } from '../../lib/audit/assess';
import type { ObservedItem } from '../../lib/observation/observed';

/** Realistic visits for the export tests: the seed cases of the CNP and AMEX policies. Test support only. */
export const catalogue = (id: string): Catalogue => bundledCatalogues().find((c) => c.id === id)!;
export const cnp = catalogue('cnp-monespaceclient');
export const amex = catalogue('europ-assistance-amex');

export const TOOL = { name: 'Cookie Lens', version: '0.1.0' };
export const BROWSER = { name: 'Firefox', version: '140.0' };
export const EXPORTED_AT = Date.UTC(2026, 10, 24, 8, 30, 0);

export const CNP_COOKIES: CookieSketch[] = [
  { name: '_pk_id.1.a1b2', by: 'script', requested: 393 * DAY },
  { name: 'JWT_TOKEN', requested: 7 * DAY },
  { name: 'cookies_INFV_ASTER_home', requested: 'session' },
  { name: 'JSESSIONID', requested: 'session' },
  { name: '_ga', domain: '.google-analytics.com', party: 'third', by: 'script', requested: 2 * YEAR },
  { name: 'dydu.bot', store: 'localStorage', requested: null },
];

export const AMEX_COOKIES: CookieSketch[] = [
  { name: 'ai_user', domain: 'amex.europ-assistance.fr', requested: YEAR },
  { name: 'assistanceCookies', domain: 'amex.europ-assistance.fr', requested: 198 * DAY },
  { name: 'tracker_x', domain: '.ads.example', party: 'third', requested: 90 * DAY },
];

export interface VisitSketch {
  id: string;
  catalogues: Catalogue[];
  items: ObservedItem[];
  site?: string;
  topHost?: string;
  /** Minutes after NOW the visit starts. */
  startsAfter?: number;
  isPrivate?: boolean;
}

export function visitReport(sketch: VisitSketch): VisitReport {
  const topHost = sketch.topHost ?? 'monespaceclient.cnp.fr';
  const site = sketch.site ?? 'cnp.fr';
  const startedAt = NOW + (sketch.startsAfter ?? 0) * MINUTE * 1000;
  const visit = {
    id: sketch.id,
    tabId: 7,
    site,
    topHost,
    startedAt,
    endedAt: startedAt + 3 * MINUTE * 1000,
    pages: 2,
    pageUrls: [`https://${topHost}/`, `https://${topHost}/contrats`],
    hosts: [topHost, 'cdn.matomo.cloud', 'www.google-analytics.com'],
    storeId: null,
  };
  const findings = computeFindings({
    catalogues: sketch.catalogues,
    observed: sketch.items,
    coverage: { site, startedAt, endedAt: visit.endedAt, pages: visit.pages, hosts: visit.hosts },
  });
  return {
    visit,
    items: sketch.items,
    catalogues: sketch.catalogues.map(summarizeCatalogue),
    findings,
    isPrivate: sketch.isPrivate ?? false,
    storage: { ok: true },
  };
}

export const cnpVisit = (id = 'visit-cnp-1', startsAfter = 0, extra: CookieSketch[] = []): VisitReport =>
  visitReport({ id, catalogues: [cnp], items: [...CNP_COOKIES, ...extra].map(observed), startsAfter });

export const amexVisit = (id = 'visit-amex-1'): VisitReport =>
  visitReport({
    id,
    catalogues: [amex],
    items: AMEX_COOKIES.map(observed),
    site: 'europ-assistance.fr',
    topHost: 'amex.europ-assistance.fr',
  });

/** The CNP catalogue with policy text and an address a hostile or careless import could hold. */
export function hostileCatalogue(excerpts: Record<string, string>, url: string | null = cnp.policy.url): Catalogue {
  const copy = structuredClone(cnp);
  copy.policy.url = url;
  for (const entry of copy.entries) entry.provenance.excerpt = excerpts[entry.id] ?? entry.provenance.excerpt;
  return copy;
}

export const hostileVisit = (catalogueUsed: Catalogue, names: string[]): VisitReport =>
  visitReport({
    id: 'visit-hostile',
    catalogues: [catalogueUsed],
    items: [...CNP_COOKIES, ...names.map((name) => ({ name }))].map(observed),
  });
