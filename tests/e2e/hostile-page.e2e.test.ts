import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitReport } from '../../lib/audit/visit-report';
import { HOSTILE_VALUE } from './fixtures/hostile';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { openBrowsing, type Browsing } from './support/browsing';
import { floodWrites, FORGED_HOST, HOSTILE, hostileWrites } from './fixtures/sites';
import { reportWhen, tabOf, type Evaluating } from './support/extension';

/**
 * A page that turns on the extension (fixtures/hostile.ts): it replaces the built-ins the page hook and its
 * channel could use, to read the channel's key and batches, forge reports about another site and swallow the
 * real ones; it floods; it writes through another realm's setter and methods. What the extension records of its
 * visit must still be what the page really did, and the hook must not show through Function.prototype.toString.
 */

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

/** Polls until the hostile page has made all its writes, for up to `timeoutMs`. */
async function writesDone(page: Evaluating, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await page.evaluate(async () => (window as { hostileDone?: boolean }).hostileDone === true, '')) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

type Closable = Evaluating & { close(): Promise<void> };

/** Runs `test` with pages it opens, closing them whatever happens (a later test finds the tab by its host). */
async function withPages(test: (opened: (page: Closable) => Closable) => Promise<void>): Promise<void> {
  const pages: Closable[] = [];
  try {
    await test((page) => (pages.push(page), page));
  } finally {
    for (const page of pages) await page.close().catch(() => {});
  }
}

const writesOf = (report: VisitReport) =>
  report.items.map((i) => ({ store: i.store, name: i.name, by: i.firstWrite.by }));

function scenarios(name: string, open: () => Promise<Browsing>) {
  describe(name, () => {
    let browsing: Browsing;
    beforeAll(async () => {
      browsing = await open();
    });
    afterAll(() => browsing?.close());

    it("records what a page that replaces built-ins and borrows another realm's setters really wrote, and nothing it forged", () =>
      withPages(async (opened) => {
        const page = opened(await browsing.visit(server.url(HOSTILE)));
        expect(await writesDone(page)).toBe(true);
        const hasCookieStore = (await page.evaluate(
          async () => typeof (window as { cookieStore?: unknown }).cookieStore === 'object',
          '',
        )) as boolean;
        const wanted = hostileWrites.filter((w) => hasCookieStore || !w.name.includes('store'));
        const ext = opened(await browsing.extensionPage());
        const tabId = await tabOf(ext, `https://${HOSTILE}/*`);
        const isScript = (report: VisitReport) =>
          wanted.every((w) =>
            report.items.some((i) => i.store === w.store && i.name === w.name && i.firstWrite.by === 'script'),
          );
        const report = await reportWhen(ext, tabId, isScript);

        // Every real write, each as set by script (not found later in the jar, nor lost).
        const items = writesOf(report);
        for (const w of wanted) expect(items, w.how).toContainEqual({ store: w.store, name: w.name, by: 'script' });
        // Nothing forged: no other site, no other name, no other script.
        expect(report.visit.hosts).not.toContain(FORGED_HOST);
        expect(report.items.filter((i) => i.name.includes('forged') || i.domain.includes('forged'))).toEqual([]);
        expect(report.items.filter((i) => (i.firstWrite.url ?? '').includes('forged'))).toEqual([]);
        expect(JSON.stringify(report)).not.toContain(HOSTILE_VALUE);

        // And the page saw neither the key nor a batch, so it forged nothing and swallowed nothing.
        const hostile = (await page.evaluate(async () => {
          const { seen, forged, swallowed, keyTaken } = (window as unknown as { hostile: Record<string, unknown> })
            .hostile;
          return { seen, forged, swallowed, keyTaken };
        }, '')) as Record<string, unknown>;
        expect(hostile).toEqual({ seen: [], forged: 0, swallowed: 0, keyTaken: false });
      }));

    it('records what a page writes after a flood of 24,000 writes in the same task', () =>
      withPages(async (opened) => {
        const page = opened(await browsing.visit(server.url(HOSTILE, '/flood')));
        expect(await writesDone(page)).toBe(true);
        const ext = opened(await browsing.extensionPage());
        const tabId = await tabOf(ext, `https://${HOSTILE}/*`);
        const isScript = (report: VisitReport) =>
          floodWrites.every((w) =>
            report.items.some((i) => i.store === w.store && i.name === w.name && i.firstWrite.by === 'script'),
          );
        const report = await reportWhen(ext, tabId, isScript);
        const items = writesOf(report);
        for (const w of floodWrites)
          expect(items, w.how).toContainEqual({ store: w.store, name: w.name, by: 'script' });
      }));

    it('keeps its wrapped setter and methods indistinguishable from native ones by toString, name and length', () =>
      withPages(async (opened) => {
        const page = opened(await browsing.visit(server.url(HOSTILE, '/plain')));
        const seen = await page.evaluate(async () => {
          // A frame's realm too, whose hook wraps its own: each realm's toString is asked about the other's functions.
          const frame = document.createElement('iframe');
          document.body.appendChild(frame);
          const other = frame.contentWindow as unknown as typeof globalThis;
          const text = (f: unknown) => Function.prototype.toString.call(f);
          const textThere = (f: unknown) => other.Function.prototype.toString.call(f);
          /** What the browser shows for native `name`, from a native function of the same kind it does not wrap. */
          const nativeText = (sample: unknown, sampleName: string, name: string) =>
            text(sample).replace(sampleName, name);
          const realms: Array<[string, typeof globalThis]> = [
            ['', globalThis],
            [' (frame)', other],
          ];
          const checks: Array<[string, unknown, string, number]> = [];
          for (const [where, g] of realms) {
            const title = g.Object.getOwnPropertyDescriptor(g.Document.prototype, 'title')!.set!;
            const getItem = g.Storage.prototype.getItem;
            checks.push(
              [
                'set cookie' + where,
                g.Object.getOwnPropertyDescriptor(g.Document.prototype, 'cookie')!.set,
                nativeText(title, 'title', 'cookie'),
                1,
              ],
              ['setItem' + where, g.Storage.prototype.setItem, nativeText(getItem, 'getItem', 'setItem'), 2],
              ['removeItem' + where, g.Storage.prototype.removeItem, nativeText(getItem, 'getItem', 'removeItem'), 1],
              ['clear' + where, g.Storage.prototype.clear, nativeText(getItem, 'getItem', 'clear'), 0],
              [
                'toString' + where,
                g.Function.prototype.toString,
                nativeText(g.Function.prototype.call, 'call', 'toString'),
                0,
              ],
            );
            const store = (g as unknown as { CookieStore?: { prototype: Record<string, unknown> } }).CookieStore
              ?.prototype;
            if (store) {
              checks.push(['set' + where, store.set, nativeText(store.getAll, 'getAll', 'set'), 1]);
              checks.push(['delete' + where, store.delete, nativeText(store.getAll, 'getAll', 'delete'), 1]);
            }
          }
          return checks.map(([label, f, expected, length]) => {
            const fn = f as { name: string; length: number; toString(): string };
            return {
              name: label,
              got: [fn.name, fn.length, text(fn), textThere(fn), fn.toString()],
              want: [label.replace(' (frame)', ''), length, expected, expected, expected],
            };
          });
        }, '');
        for (const { name, got, want } of seen as Array<{ name: string; got: unknown[]; want: unknown[] }>)
          expect(got, name).toEqual(want);
        // Nor by the stack of the errors they throw, as the native ones do, when called on something else.
        const stacks = (await page.evaluate(async () => {
          const calls: Array<() => unknown> = [
            () => Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!.set!.call({}, 'a=b'),
            () => Storage.prototype.setItem.call({}, 'a', 'b'),
            () => Function.prototype.toString.call({}),
          ];
          return calls.map((call) => {
            try {
              call();
              return 'no error';
            } catch (error) {
              return String((error as Error).stack);
            }
          });
        }, '')) as string[];
        for (const stack of stacks) expect(stack).not.toMatch(/extension:\/\/|page-hook|anonymous code/);
      }));
  });
}

scenarios('chromium', () => openBrowsing('chromium', server.hosts, { auditMode: true }));

scenarios('firefox', () => openBrowsing('firefox', server.hosts, { auditMode: true }));
