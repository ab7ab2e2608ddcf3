import { NOW, observed, type CookieSketch } from './observed';
import { bundledCatalogues } from '../../lib/catalogue/bundled';
import type { Catalogue } from '../../lib/catalogue/schema';
import { DAY, MINUTE, YEAR } from '../../lib/audit/lifetime';
import { summarizeCatalogue, type VisitReport } from '../../lib/audit/visit-report';
import { computeFindings } from '../../lib/audit/assess';
import type { ObservedItem } from '../../lib/observation/observed';
import type { ConsentChange } from '../../lib/consent/consent-state';
import type { ConsentProblem } from '../../lib/consent/signals/reading';

/** Realistic visits for the export tests: the seed cases of the CNP and AMEX policies. Test support only. */
export const catalogue = (id: string): Catalogue => bundledCatalogues().find((c) => c.id === id)!;
export const cnp = catalogue('cnp-monespaceclient');
export const amex = catalogue('europ-assistance-amex');

/** The CNP catalogue as a version 1 file held it, silent on consent: the regulator's rule decides every basis. */
export const cnpSilentOnConsent: Catalogue = (() => {
  const copy = structuredClone(cnp);
  delete copy.consentRules;
  return copy;
})();

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
  consent?: ConsentChange[];
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
    ...(sketch.consent ? { consent: sketch.consent } : {}),
  };
  const findings = computeFindings({
    catalogues: sketch.catalogues,
    observed: sketch.items,
    coverage: { site, startedAt, endedAt: visit.endedAt, pages: visit.pages, hosts: visit.hosts },
    consent: sketch.consent,
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

/** What a consent cookie's value could look like, were one ever to slip into a consent change: no export may show it. */
export const CONSENT_VALUE = 'groups=C0001%3A1%2CC0004%3A1&SECRET-CONSENT-VALUE';

/**
 * A CNP visit in which Cookie Lens refused on the banner a moment before the page's writes, and the site then recorded
 * an acceptance: Matomo and the chat are written after the refusal. Each change carries a value-shaped field a bug
 * upstream could have added.
 */
export function consentVisit(id = 'visit-cnp-consent', policy: Catalogue = cnp): VisitReport {
  const withValue = (change: ConsentChange) => ({ ...change, value: CONSENT_VALUE }) as ConsentChange;
  return visitReport({
    id,
    catalogues: [policy],
    items: CNP_COOKIES.map(observed),
    consent: [
      withValue({
        at: NOW - 1000,
        choice: 'refused',
        granted: null,
        purposes: null,
        platformCategories: null,
        source: { kind: 'banner', rule: 'TagCommander', action: 'opt-out', clicks: 2 },
      }),
      withValue({
        at: NOW - 500,
        choice: 'accepted-all',
        granted: null,
        purposes: [1, 7],
        platformCategories: ['1', '3'],
        source: { kind: 'signal', platform: 'commanders-act', name: 'TC_PRIVACY' },
      }),
    ],
  });
}

/**
 * `consentVisit`, in which two consent cookies of the site could not be read: the TCF string was longer than a browser
 * keeps, and Commanders Act's record was not in its format three times. Each problem carries the value a bug upstream
 * could have added.
 */
export function unreadableConsentVisit(id = 'visit-cnp-unreadable'): VisitReport {
  const report = consentVisit(id);
  const withValue = (problem: ConsentProblem) => ({ ...problem, value: CONSENT_VALUE }) as ConsentProblem;
  report.visit.consentProblems = [
    withValue({ platform: 'tcf', name: 'euconsent-v2', reason: 'too-long', count: 1, firstAt: NOW, lastAt: NOW }),
    withValue({
      platform: 'commanders-act',
      name: 'TC_PRIVACY',
      reason: 'malformed',
      count: 3,
      firstAt: NOW - 2000,
      lastAt: NOW + 60_000,
    }),
  ];
  return report;
}
