import type { browser as wxtBrowser } from 'wxt/browser';
import { cataloguesForSite } from '../catalogue/sites';
import { summarize } from '../audit/findings';
import { summarizeCatalogue, type VisitReport } from '../audit/visit-report';
import { assessVisit, DEFAULT_TOLERANCE, entryEvidence } from '../audit/assess';
import type { ObservedItem } from '../observation/observed';
import type { VisitRecorder } from '../observation/visit-recorder';
import type { Db, VisitRecord } from '../storage/db';
import type { Persister } from '../storage/persister';
import { loadVisit } from '../storage/queries';
import type { CatalogueStore } from './catalogues';
import type { SettingsStore } from './settings';

type Browser = typeof wxtBrowser;

const BADGE_DELAY_MS = 300;
/**
 * After bookkeeping only (a site renewing its cookies on every page), the count is made again this much later: its
 * findings come from the facts, which did not change, and assessing a visit on every page load is the background's
 * largest cost after its writes.
 */
const BADGE_QUIET_MS = 3000;

/**
 * Each tab's report (a visit assessed against the catalogues that apply to its site), computed once per change for
 * its badge and reused by whoever asks until the next one; and the badge, the count of findings needing attention.
 */
export class TabReports {
  private readonly reports = new Map<number, VisitReport | null>();
  private readonly badgeTimers = new Map<number, { timer: ReturnType<typeof setTimeout>; due: number }>();
  /** What each tab's badge says, so that an unchanged count costs the browser nothing. */
  private readonly badgeTexts = new Map<number, string>();
  /** The count last made for each tab's visit: shown again at once when a page of the same visit clears the badge. */
  private readonly counted = new Map<number, { visitId: string | null; text: string }>();

  constructor(
    private readonly browser: Browser,
    private readonly deps: {
      recorder: VisitRecorder;
      persister: Persister;
      catalogues: CatalogueStore;
      settings: SettingsStore;
      db: () => Promise<Db>;
    },
  ) {}

  /** The report of the tab's current visit, or null when it has none. */
  tabReport(tabId: number): VisitReport | null {
    let report = this.reports.get(tabId);
    if (report === undefined) {
      const visit = this.deps.recorder.visitOf(tabId);
      report = visit ? this.reportOf(visit.record, visit.items, visit.isPrivate) : null;
      this.reports.set(tabId, report);
    }
    return report && { ...report, storage: this.deps.persister.status };
  }

  /** The report of a stored visit. */
  async storedReport(visitId: string): Promise<VisitReport | null> {
    const loaded = await loadVisit(await this.deps.db(), visitId);
    return loaded ? this.reportOf(loaded.record, loaded.items, false) : null;
  }

  /** The tab's visit changed: its report is computed again, and its badge updated (soon for news, see BADGE_QUIET_MS). */
  changed(tabId: number, news = true): void {
    this.reports.delete(tabId);
    this.scheduleBadge(tabId, news ? BADGE_DELAY_MS : BADGE_QUIET_MS);
  }

  /** A new page (its visit already told) clears the tab's badge in the browser: the same visit's count comes back. */
  pageCommitted(tabId: number): void {
    this.badgeTexts.delete(tabId);
    const counted = this.counted.get(tabId);
    if (counted && counted.visitId === this.deps.recorder.visitIdOf(tabId)) this.showBadge(tabId, counted.text);
  }

  tabClosed(tabId: number): void {
    this.reports.delete(tabId);
    this.badgeTexts.delete(tabId);
    this.counted.delete(tabId);
  }

  /** Catalogues, bindings, settings or data changed: every tab's findings may have. */
  refreshAll(): void {
    this.reports.clear();
    for (const tabId of this.deps.recorder.openTabs()) this.scheduleBadge(tabId, BADGE_DELAY_MS);
  }

  private reportOf(visit: VisitRecord, items: ObservedItem[], isPrivate: boolean): VisitReport {
    const applied = cataloguesForSite(visit.topHost, this.deps.catalogues.all, this.deps.catalogues.bindings);
    const assessed = assessVisit({
      catalogues: applied,
      observed: items,
      coverage: {
        site: visit.site,
        startedAt: visit.startedAt,
        endedAt: visit.endedAt,
        pages: visit.pages,
        hosts: visit.hosts,
      },
      tolerance: { ...DEFAULT_TOLERANCE, ratio: this.deps.settings.current.tolerancePercent / 100 },
      consent: visit.consent,
    });
    const matches = assessed.matches.map(
      (match) => match && { entry: entryEvidence(match.catalogue, match.entry, match), how: match.how },
    );
    return {
      visit,
      items,
      catalogues: applied.map(summarizeCatalogue),
      findings: assessed.findings,
      isPrivate,
      storage: this.deps.persister.status,
      matches,
    };
  }

  private scheduleBadge(tabId: number, delayMs: number): void {
    const due = Date.now() + delayMs;
    const pending = this.badgeTimers.get(tabId);
    if (pending && pending.due <= due) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.badgeTimers.delete(tabId);
      const report = this.tabReport(tabId);
      const count = report ? summarize(report.findings).needingAttention : 0;
      const text = count > 0 ? String(count) : '';
      this.counted.set(tabId, { visitId: this.deps.recorder.visitIdOf(tabId), text });
      this.showBadge(tabId, text);
    }, delayMs);
    this.badgeTimers.set(tabId, { timer, due });
  }

  private showBadge(tabId: number, text: string): void {
    if (this.badgeTexts.get(tabId) === text) return;
    this.badgeTexts.set(tabId, text);
    void this.browser.action.setBadgeText({ tabId, text }).catch(() => this.badgeTexts.delete(tabId));
  }
}
