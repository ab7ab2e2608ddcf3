import { PAGE_REPORTS_EVENT, PAGE_REPORTS_MARKER } from './page-hook';

/**
 * The page hook's relay: an isolated-world content script in the same frame. It takes the hook's batches from
 * its document and forwards them to the background, holding them while the background is asleep or restarting.
 * It runs in every frame of every page, so it stays small: the background validates each report.
 */
export interface PageReportsMessage {
  type: 'page-reports';
  reports: unknown[];
}

const MAX_BATCH = 500;
/** Batches waiting for the background; past this, new ones are dropped. */
const MAX_QUEUE = 200;
/** Waits between attempts (about 40 s in all); after the last, the queue waits for the next batch to try again. */
export const RETRY_MS = [200, 500, 1000, 2000, 5000, 10_000, 20_000];

/** Turns a hook event's detail into messages of at most MAX_BATCH reports. */
export function toMessages(detail: unknown): PageReportsMessage[] {
  if (typeof detail !== 'string') return [];
  let data: unknown;
  try {
    data = JSON.parse(detail);
  } catch {
    return [];
  }
  if (typeof data !== 'object' || data === null) return [];
  const { marker, reports } = data as { marker?: unknown; reports?: unknown };
  if (marker !== PAGE_REPORTS_MARKER || !Array.isArray(reports)) return [];
  const messages: PageReportsMessage[] = [];
  for (let i = 0; i < reports.length; i += MAX_BATCH) {
    messages.push({ type: 'page-reports', reports: reports.slice(i, i + MAX_BATCH) as unknown[] });
  }
  return messages;
}

/** Listens on `doc` for the hook's batches and delivers them through `send`; returns a function that stops it. */
export function installPageRelay(
  doc: Document,
  send: (message: PageReportsMessage) => Promise<unknown>,
  retryMs: readonly number[] = RETRY_MS,
): () => void {
  const queue: PageReportsMessage[] = [];
  let sending = false;
  let stopped = false;

  async function pump(): Promise<void> {
    if (sending) return;
    sending = true;
    let attempt = 0;
    while (!stopped) {
      const next = queue[0];
      if (next === undefined) break;
      try {
        await send(next);
        queue.shift();
        attempt = 0;
      } catch {
        const wait = retryMs[attempt++];
        if (wait === undefined) break;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
    sending = false;
  }

  const onReports = (event: Event) => {
    try {
      if (stopped || event.target !== doc) return;
      for (const message of toMessages((event as CustomEvent<unknown>).detail)) {
        if (queue.length < MAX_QUEUE) queue.push(message);
      }
      void pump();
    } catch {
      // Never throw into the page's dispatch.
    }
  };
  doc.addEventListener(PAGE_REPORTS_EVENT, onReports);
  return () => {
    stopped = true;
    doc.removeEventListener(PAGE_REPORTS_EVENT, onReports);
  };
}
