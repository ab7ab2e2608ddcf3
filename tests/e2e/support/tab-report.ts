import { expect } from 'vitest';
import type { VisitReport } from '../../../lib/messages';
import type { FixtureSite } from '../fixtures/sites';
import { askBackground, type Evaluating } from './extension';

// What the extension recorded for a tab, read through its own messaging from an extension page, and what it should
// have recorded for a fixture site (tests/e2e/fixtures/sites.ts): shared by the tests that check it.

/** The id of the tab showing `host`, as the extension sees it. */
export async function tabOf(page: Evaluating, host: string): Promise<number> {
  const ids = (await page.evaluate(async (pattern) => {
    type Api = { tabs: { query(q: unknown): Promise<Array<{ id: number }>> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    return (await (g.browser ?? g.chrome)!.tabs.query({ url: pattern })).map((t) => t.id);
  }, `https://${host}/*`)) as number[];
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

/** The tab's report once `done` holds of it, or the last one asked for after `timeoutMs`. */
export async function reportWhen(page: Evaluating, tabId: number, done: (report: VisitReport) => boolean, timeoutMs = 15_000): Promise<VisitReport> {
  const deadline = Date.now() + timeoutMs;
  let report: VisitReport | null = null;
  while (Date.now() < deadline) {
    report = (await askBackground<{ report: VisitReport | null }>(page, { type: 'get-tab-report', tabId })).report;
    if (report && done(report)) return report;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return report!;
}

export const cookieNames = (report: VisitReport) => report.items.filter((i) => i.store === 'cookie').map((i) => i.name).sort();
const setBy = { header: 'header', 'iframe-header': 'header', script: 'script', 'iframe-script': 'script' } as const;

/** What the recorded cookies of a visit to `site` should say (name, domain, party, who set it), from the fixture data. */
export function expected(site: FixtureSite) {
  return site.cookies
    .map((c) => ({ name: c.name, domain: c.from === site.host || c.by === 'script' ? site.host : c.from, party: c.party, setBy: setBy[c.by] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What the report says of its cookies, in the shape of `expected`. */
export function recorded(report: VisitReport) {
  return report.items
    .filter((i) => i.store === 'cookie')
    .map((i) => ({ name: i.name, domain: i.domain, party: i.party, setBy: i.firstWrite.by }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
