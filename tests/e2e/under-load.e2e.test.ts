import { availableParallelism } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { openBrowsing, type Browsing } from './support/browsing';
import { amex, cnp } from './fixtures/sites';
import { reportWhen, tabOf } from './support/extension';
import { expected, recorded } from './support/expected-cookies';

/**
 * The observation test's visits (observation.e2e.test.ts) while every core of the machine is kept busy, so that the
 * page hook's reports of script-set cookies come late, after the browser's own cookie events: each cookie must
 * still be told as set by the header or the script that set it, never as found in the jar. (`npm test` once failed
 * so on a busy machine, in Firefox, for the AMEX page's script cookies.)
 */

/** How long the busy loops run at most, should a run forget to stop them. */
const LOAD_MS = 5 * 60_000;
/** Everything is slow under load: how long a visit's report may take to hold all its cookies rightly told. */
const SETTLE_MS = 120_000;
const NAVIGATION_MS = 90_000;

/** One worker thread per core, each spinning in a busy loop until it is stopped or `forMs` have passed. */
async function busyCores(forMs: number): Promise<{ stop(): Promise<void> }> {
  const spin = "const until = Date.now() + require('node:worker_threads').workerData; while (Date.now() < until);";
  const workers = Array.from(
    { length: availableParallelism() },
    () => new Worker(spin, { eval: true, workerData: forMs }),
  );
  await Promise.all(
    workers.map((worker) => new Promise((resolve, reject) => worker.once('online', resolve).once('error', reject))),
  );
  return { stop: async () => void (await Promise.all(workers.map((worker) => worker.terminate()))) };
}

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

function underLoad(name: string, open: () => Promise<Browsing>) {
  describe(`${name}, every core busy`, () => {
    let browsing: Browsing | undefined;
    let load: { stop(): Promise<void> } | undefined;
    beforeAll(async () => {
      // Started before the load, so that the browser's own start is not what the test waits on.
      browsing = await open();
      load = await busyCores(LOAD_MS);
    });
    afterAll(async () => {
      await load?.stop();
      await browsing?.close();
    });

    for (const site of [cnp, amex]) {
      it(
        `tells each cookie of ${site.host} as set by its header or its script, none as found in the jar`,
        async () => {
          const page = await browsing!.visit(server.url(site.host));
          const ext = await browsing!.extensionPage();
          const tabId = await tabOf(ext, `https://${site.host}/*`);
          const report = await reportWhen(ext, tabId, (r) => isDeepStrictEqual(recorded(r), expected(site)), SETTLE_MS);
          expect(recorded(report)).toEqual(expected(site));
          await page.close();
          await ext.close();
        },
        SETTLE_MS + 2 * NAVIGATION_MS,
      );
    }
  });
}

underLoad('chromium', () =>
  openBrowsing('chromium', server.hosts, { navigationTimeoutMs: NAVIGATION_MS, auditMode: true }),
);

underLoad('firefox', () =>
  openBrowsing('firefox', server.hosts, { navigationTimeoutMs: NAVIGATION_MS, auditMode: true }),
);
