import { startBackground } from '../lib/background';
import type { Db } from '../lib/storage/db';
import { fakeExtension } from '../tests/support/fake-extension';

/**
 * The background's heap after 10,000 cookie events of one tab: the real service, driven through its listeners as
 * the browser would. In a browser IndexedDB keeps its data outside the page's heap; here writes go to a database
 * that accepts and drops them, so that only the background's own memory is measured. Reported as the growth of the
 * heap over an idle background (Node's own baseline does not count), after everything is written and collected.
 */
const discardingDb = {
  get: async () => undefined,
  getAll: async () => [],
  getAllFromIndex: async () => [],
  transaction: () => ({ objectStore: () => ({ put: async () => undefined }), done: Promise.resolve() }),
} as unknown as Db;
const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

export async function benchBackground(): Promise<Record<string, number>> {
  const fake = fakeExtension();
  startBackground(fake.browser, { isChrome: true, openDb: async () => discardingDb });
  await fake.send({ type: 'ping' });
  const url = 'https://monespaceclient.cnp.fr/';
  fake.webRequest.onHeadersReceived.fire({ tabId: 1, url, type: 'main_frame' });
  const before = heapUsed();
  const start = performance.now();
  for (let i = 0; i < 10_000; i++) {
    fake.webRequest.onHeadersReceived.fire({
      tabId: 1,
      url: `${url}api/${i}`,
      type: 'xmlhttprequest',
      responseHeaders: [
        {
          name: 'set-cookie',
          value: `cookie_${i}=${'v'.repeat(32)}; Max-Age=${86_400 + i}; Path=/; Secure; SameSite=Lax`,
        },
      ],
    });
  }
  await fake.send({ type: 'page-reports', reports: [] }, 1); // answered once everything is written
  const elapsed = performance.now() - start;
  const seen: number = (await fake.send({ type: 'get-tab-report', tabId: 1 })).report.items.length;
  if (seen !== 10_000) throw new Error(`expected 10,000 cookies, got ${seen}`);
  await new Promise((resolve) => setTimeout(resolve, 400)); // let the badge's last count run and be dropped
  const after = heapUsed();
  return {
    backgroundHeapBytes10k: Math.max(0, after - before),
    backgroundEventsPerSec10k: Math.round(10_000 / (elapsed / 1000)),
  };
}
