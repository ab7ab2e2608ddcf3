import { openRelayChannel } from './page-channel';

/**
 * The page hook's relay: an isolated-world content script in the same frame. It takes the hook's batches through
 * their private channel and forwards them to the background, holding them while the background is asleep or
 * restarting. It runs in every frame of every page, so it stays small: the background validates each report.
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

/** A batch's reports as messages of at most MAX_BATCH reports. */
export function toMessages(reports: unknown[]): PageReportsMessage[] {
  const messages: PageReportsMessage[] = [];
  for (let i = 0; i < reports.length; i += MAX_BATCH) {
    messages.push({ type: 'page-reports', reports: reports.slice(i, i + MAX_BATCH) });
  }
  return messages;
}

/** Opens the relay's end of the channel in `win` and delivers its batches through `send`; returns a function that stops it. */
export function installPageRelay(
  win: Window,
  send: (message: PageReportsMessage) => Promise<unknown>,
  retryMs: readonly number[] = RETRY_MS,
  key?: string,
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
        const answer = await send(next);
        // The background answers once the batch is written; one it could not write in time may yet be lost with it.
        if ((answer as { stored?: unknown } | undefined)?.stored === false) throw new Error('not written yet');
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

  const close = openRelayChannel(
    win,
    (reports) => {
      if (stopped) return;
      for (const message of toMessages(reports)) {
        if (queue.length < MAX_QUEUE) queue.push(message);
      }
      void pump();
    },
    key,
  );
  return () => {
    stopped = true;
    close();
  };
}
