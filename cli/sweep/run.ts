import { printedAddress } from '../printed-address';
import { firstLine } from '../browsers';
import type { ListedSite } from './list';
import { clearUnfinished, readResult, writeSite, type REPORT_FILES, type SiteResult } from './store';

/** What auditing one site gives: its counts and its reports' text, written by the runner. */
export interface SiteAudit {
  counts: NonNullable<SiteResult['counts']>;
  reports: Record<(typeof REPORT_FILES)[number], string>;
}

/**
 * Audits a site; on `signal`'s abort (the site's time limit, or the sweep stopped) it must let go of its browser
 * and settle soon. An error of the setup (the browser or a catalogue) is thrown as one and stops the sweep.
 */
export type SiteAuditor = (site: ListedSite, signal: AbortSignal) => Promise<SiteAudit>;

export interface SweepRun {
  out: string;
  sites: readonly ListedSite[];
  concurrency: number;
  siteTimeoutMs: number;
  auditSite: SiteAuditor;
  /** Whether an error stops the sweep instead of failing one site. */
  isSetupError(error: unknown): boolean;
  onSite?(site: ListedSite, result: SiteResult): void;
  /** Stops taking new sites and aborts those under way (their results are not written). */
  stop?: AbortSignal;
}

/** How long a site aborted by its time limit is given to close its browser before the sweep moves on. */
const RELEASE_MS = 15_000;

/**
 * Audits the sites that have no result in `out` yet, `concurrency` at a time; each result is written as the site
 * ends (a failure too, with its reason), so a sweep cut off anywhere loses only the sites under way.
 */
export async function runSweep(run: SweepRun): Promise<{ skipped: number; done: number }> {
  const todo = run.sites.filter((site) => readResult(run.out, site.id) === null);
  let next = 0;
  let fatal: { error: unknown } | null = null;
  const stopAll = new AbortController();
  run.stop?.addEventListener('abort', () => stopAll.abort(), { once: true });

  const worker = async () => {
    while (!fatal && !stopAll.signal.aborted && next < todo.length) {
      const site = todo[next++]!;
      clearUnfinished(run.out, site.id);
      try {
        const result = await auditWithin(run, site, stopAll.signal);
        if (stopAll.signal.aborted) return;
        run.onSite?.(site, result);
      } catch (error) {
        fatal ??= { error };
        stopAll.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency, todo.length) }, worker));
  if (fatal) throw (fatal as { error: unknown }).error;
  return { skipped: run.sites.length - todo.length, done: todo.length };
}

async function auditWithin(run: SweepRun, site: ListedSite, stopAll: AbortSignal): Promise<SiteResult> {
  const limit = new AbortController();
  const abort = () => limit.abort();
  stopAll.addEventListener('abort', abort, { once: true });
  const timer = setTimeout(abort, run.siteTimeoutMs);
  const audit = run.auditSite(site, limit.signal);
  const aborted = new Promise<'aborted'>((resolve) =>
    limit.signal.addEventListener('abort', () => resolve('aborted'), { once: true }),
  );
  const timedOut = (): SiteResult => ({
    url: printedAddress(site.url),
    status: 'failed',
    reason: `not done within the site time limit (${run.siteTimeoutMs} ms)`,
    counts: null,
  });
  try {
    const outcome = await Promise.race([audit, aborted]);
    if (outcome === 'aborted') {
      // Let the auditor close its browser (bounded), so browsers do not pile up behind slow sites.
      await Promise.race([audit.catch(() => {}), new Promise((resolve) => setTimeout(resolve, RELEASE_MS).unref())]);
      return record(run, site, stopAll, timedOut());
    }
    const result: SiteResult = {
      url: printedAddress(site.url),
      status: 'audited',
      reason: null,
      counts: outcome.counts,
    };
    writeSite(run.out, site.id, result, outcome.reports);
    return result;
  } catch (error) {
    if (run.isSetupError(error)) throw error;
    // An auditor that gives up as soon as it is aborted fails with its own words; the reason is the time limit.
    if (limit.signal.aborted) return record(run, site, stopAll, timedOut());
    return record(run, site, stopAll, {
      url: printedAddress(site.url),
      status: 'failed',
      reason: firstLine(error).trim(),
      counts: null,
    });
  } finally {
    clearTimeout(timer);
    stopAll.removeEventListener('abort', abort);
  }
}

/** Writes a failed site's result, unless the sweep is stopping: then the site is left to the next run. */
function record(run: SweepRun, site: ListedSite, stopAll: AbortSignal, result: SiteResult): SiteResult {
  if (!stopAll.aborted) writeSite(run.out, site.id, result);
  return result;
}
