import { expect } from 'vitest';
import { replyOf, tabIds, type Evaluating } from '../../../cli/browsers';
import { ensureBuilt } from '../../../cli/build';
import type { VisitReport } from '../../../lib/audit/visit-report';

export type TargetBrowser = 'chrome' | 'firefox';

/**
 * The built extension's folder, built first when it is missing or older than its sources (the audit command's
 * rule), unless E2E_SKIP_BUILD=1 says the global setup already built it.
 */
export function buildExtension(browser: TargetBrowser): string {
  return ensureBuilt(browser === 'chrome' ? 'chromium' : 'firefox', process.env.E2E_SKIP_BUILD !== '1', () => {});
}

// Talking to the background from an extension page: the product's own helpers (cli/browsers.ts).
export { askBackground, replyOf, waitForBackground, type Evaluating } from '../../../cli/browsers';

/** The id of the one tab whose address matches `urlPattern` (a match pattern, e.g. `https://host/*`), as the extension sees it. */
export async function tabOf(page: Evaluating, urlPattern: string): Promise<number> {
  const ids = await tabIds(page, { url: urlPattern });
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** Asks for the tab's report until `done` holds (a busy machine may take its time); throws, saying what it had, if it never does. */
export async function reportWhen(
  page: Evaluating,
  tabId: number,
  done: (report: VisitReport) => boolean,
  timeoutMs = 30_000,
): Promise<VisitReport> {
  const deadline = Date.now() + timeoutMs;
  let report: VisitReport | null = null;
  while (Date.now() < deadline) {
    report = (await replyOf(page, { type: 'get-tab-report', tabId })).report;
    if (report && done(report)) return report;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `the report of tab ${tabId} never got there: ${JSON.stringify({ items: report?.items.map((i) => i.name), catalogues: report?.catalogues.map((c) => c.id) })}`,
  );
}

/** Everything the extension's database holds, as JSON: read from an extension page. */
export async function databaseDump(page: Evaluating): Promise<string> {
  return (await page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('cookie-lens');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const dump: Record<string, unknown[]> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      dump[name] = await new Promise((resolve) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
      });
    }
    db.close();
    return JSON.stringify(dump);
  }, null)) as string;
}
