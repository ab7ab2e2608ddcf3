import { coverage, NOW, observed, type CookieSketch } from './observed';
import { bundledCatalogues } from '../../lib/catalogue/bundled';
import { entryEvidence, computeFindings } from '../../lib/audit/assess';
import { matchCookie } from '../../lib/audit/matching';
import { summarizeCatalogue, type VisitReport } from '../../lib/audit/visit-report';
import { useMessages, type Language } from '../../lib/i18n';
import english from '../../public/_locales/en/messages.json';
import french from '../../public/_locales/fr/messages.json';

/** Test support for lib/ui: a visit report built by the real matcher and findings, and the real words. */
export function reportOf(
  sketches: CookieSketch[],
  catalogueIds = ['cnp-monespaceclient'],
  withMatches = true,
): VisitReport {
  const catalogues = bundledCatalogues().filter((c) => catalogueIds.includes(c.id));
  const items = sketches.map(observed);
  const visit = {
    id: 'visit-1',
    tabId: 1,
    site: 'cnp.fr',
    topHost: 'monespaceclient.cnp.fr',
    startedAt: NOW,
    endedAt: NOW + 180_000,
    pages: 4,
    pageUrls: ['https://monespaceclient.cnp.fr/'],
    hosts: ['monespaceclient.cnp.fr'],
    storeId: null,
  };
  const report: VisitReport = {
    visit,
    items,
    catalogues: catalogues.map(summarizeCatalogue),
    findings: computeFindings({ catalogues, observed: items, coverage: coverage() }),
    isPrivate: false,
    storage: { ok: true },
  };
  if (withMatches) {
    report.matches = items.map((item) => {
      const match = catalogues.length ? matchCookie(item, catalogues) : null;
      return match ? { entry: entryEvidence(match.catalogue, match.entry, match), how: match.how } : null;
    });
  }
  return report;
}

export function speakTests(language: Language): void {
  useMessages(language === 'fr' ? french : english, language);
}
