import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitReport } from '../../lib/audit/visit-report';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { AMEX, amex, CNP, cnp, type FixtureSite } from './fixtures/sites';
import { openBrowsing, type Browsing } from './support/browsing';
import { cookieNames, expected, recorded } from './support/expected-cookies';
import { databaseDump, type Evaluating, replyOf, reportWhen, tabOf } from './support/extension';

/**
 * Everyday mode, as a person runs Cookie Lens by default: no script of Cookie Lens in any page. Every cookie a page
 * sets is still recorded (the jar, read after the page's requests and loads), a script's as set by a source it cannot
 * name; the storages' keys are read when the report is asked for. Turning audit mode on puts the page hook in the pages
 * loaded from then on, and a script's writes are its own again.
 */

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

/** What everyday mode can say of who set each cookie: a header, or (no hook in the page) a source it cannot name. */
function expectedInEveryday(site: FixtureSite) {
  return expected(site).map((cookie) => ({ ...cookie, setBy: cookie.setBy === 'script' ? 'unknown' : cookie.setBy }));
}

/** The content scripts the background registered, as the browser lists them. */
async function registeredScripts(ext: Evaluating): Promise<string[]> {
  const ids = (await ext.evaluate(async () => {
    type Api = { scripting: { getRegisteredContentScripts(): Promise<Array<{ id: string }>> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    return (await (g.browser ?? g.chrome)!.scripting.getRegisteredContentScripts()).map((script) => script.id);
  }, null)) as string[];
  return ids.sort();
}

const storageOf = (report: VisitReport) =>
  report.items
    .filter((i) => i.store !== 'cookie')
    .map((i) => [i.store, i.name, i.domain, i.firstWrite.by])
    .sort();

for (const browser of ['chromium', 'firefox'] as const) {
  describe(`everyday mode, ${browser}`, () => {
    let browsing: Browsing;
    beforeAll(async () => {
      browsing = await openBrowsing(browser, server.hosts);
    });
    afterAll(() => browsing?.close());

    it('puts nothing in pages, and still records every cookie and storage key of the CNP site, with no value', async () => {
      const ext = await browsing.extensionPage();
      expect(await registeredScripts(ext)).toEqual([]);
      const page = await browsing.visit(server.url(CNP));
      const tabId = await tabOf(ext, `https://${CNP}/*`);
      const wanted = cnp.cookies.map((c) => c.name).sort();
      const report = await reportWhen(
        ext,
        tabId,
        (r) => cookieNames(r).length >= wanted.length && r.items.length >= wanted.length + cnp.storage.length,
      );
      expect(recorded(report)).toEqual(expectedInEveryday(cnp));
      // What the jar kept of a script's cookie: its lifetime, as the browser stored it.
      const matomo = report.items.find((i) => i.name === '_pk_id.1.a1b2')!;
      expect(matomo.lastWrite.stored).toMatchObject({ session: false });
      expect(storageOf(report)).toEqual(cnp.storage.map((s) => [s.area, s.key, CNP, 'unknown']).sort());
      const dump = await databaseDump(ext);
      for (const value of [...cnp.cookies.map((c) => c.value), ...cnp.storage.map((s) => s.value)])
        expect(dump).not.toContain(value);
      // The popup says what is not known of a script's cookie, and how to know it.
      const popup = await browsing.extensionPage(`popup.html?tabId=${tabId}`);
      const evidence = (await popup.evaluate(async () => {
        const deadline = Date.now() + 20_000;
        const until = async <T>(find: () => T | null | undefined): Promise<T> => {
          for (;;) {
            const found = find();
            if (found) return found;
            if (Date.now() > deadline) throw new Error(document.body.innerText);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        };
        const button = await until(() =>
          document.querySelector<HTMLButtonElement>('[data-cookie="_pk_id.1.a1b2"] button.name'),
        );
        button.click();
        const details = await until(() => document.getElementById(button.getAttribute('aria-controls')!));
        return (await until(() => details.querySelector<HTMLElement>('.details'))).innerText;
      }, null)) as string;
      expect(evidence).toContain('setter unknown');
      expect(evidence).toContain('audit mode names the script');
      await popup.close();
      await page.close();
      await ext.close();
    });

    it('watches the writes of pages loaded after audit mode is turned on, script by script', async () => {
      const ext = await browsing.extensionPage();
      const answer = await replyOf(ext, { type: 'put-settings', settings: { auditMode: true } });
      expect(answer.settings.auditMode).toBe(true);
      expect(await registeredScripts(ext)).toEqual(['cookie-lens-page-hook', 'cookie-lens-page-relay']);
      const page = await browsing.visit(server.url(AMEX));
      const tabId = await tabOf(ext, `https://${AMEX}/*`);
      const wanted = expected(amex);
      // Every cookie told by its header or its script: the jar's earlier account of a cookie this browser already
      // holds (the test before visited the site) gives way when the page hook's report of the write comes, whenever.
      const report = await reportWhen(
        ext,
        tabId,
        (r) =>
          recorded(r).length >= wanted.length && recorded(r).every((c) => c.setBy === 'header' || c.setBy === 'script'),
      );
      expect(recorded(report)).toEqual(wanted);
      await page.close();
      // Back to everyday mode: nothing of Cookie Lens in the pages loaded from then on.
      await replyOf(ext, { type: 'put-settings', settings: { auditMode: false } });
      expect(await registeredScripts(ext)).toEqual([]);
      await ext.close();
    });
  });
}
