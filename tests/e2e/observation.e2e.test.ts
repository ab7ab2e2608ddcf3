import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../lib/audit/findings';
import type { VisitReport } from '../../lib/audit/visit-report';
import { HOOK_HELLO } from '../../lib/observation/page-channel';
import type { ObservedItem } from '../../lib/observation/observed';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import {
  amex,
  CNP,
  cnp,
  drip,
  DRIP_BATCHES,
  DRIP_HOST,
  fifty,
  requestedSeconds,
  type FixtureSite,
} from './fixtures/sites';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { cookieNames, expected, recorded } from './support/expected-cookies';
import { buildExtension, databaseDump, type Evaluating, replyOf, reportWhen, tabOf } from './support/extension';
import { launchFirefox, terminateBackground, type FirefoxSession } from './support/firefox';

/**
 * What the extension recorded for a tab that visited a fixture site, read through its own messaging from an
 * extension page, asserted against the cookies the fixture site sets (tests/e2e/fixtures/sites.ts).
 */

interface Browsing {
  /** Opens a tab on `url`, waits for the load, and returns the page. */
  visit(url: string): Promise<{
    goto(url: string): Promise<unknown>;
    evaluate(run: (arg: string) => unknown, arg: string): Promise<unknown>;
    close(): Promise<void>;
  }>;
  /** An extension page to talk to the background from. */
  extensionPage(): Promise<Evaluating & { close(): Promise<void> }>;
}

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

function requestedLifetime(item: ObservedItem): number | 'session' | null {
  const requested = item.longestWrite.requested;
  if (!requested) return null;
  return requested.session ? 'session' : Math.round((requested.at - item.longestWrite.at) / 1000);
}

const kindsOf = (findings: Finding[], name: string) =>
  findings
    .filter((f) => f.cookie?.name === name)
    .map((f) => f.kind)
    .sort();

/** Every value the site set, that must appear nowhere the extension keeps or answers. */
const values = (site: FixtureSite) => [...site.cookies.map((c) => c.value), ...site.storage.map((s) => s.value)];

/** The toolbar badge of a tab, once the background has had time to update it. */
async function badgeText(page: Evaluating, tabId: number): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 600));
  return (await page.evaluate(async (id) => {
    type Api = { action: { getBadgeText(details: { tabId: number }): Promise<string> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    return (g.browser ?? g.chrome)!.action.getBadgeText({ tabId: id as number });
  }, tabId)) as string;
}

function scenarios(
  name: string,
  open: () => Promise<Browsing & { close(): Promise<void> }>,
  extra?: (browsing: () => Browsing) => void,
) {
  describe(name, () => {
    let browsing: Browsing & { close(): Promise<void> };
    beforeAll(async () => {
      browsing = await open();
    });
    afterAll(() => browsing?.close());

    it('records every cookie and storage key the CNP site sets, by header, script and third-party iframe', async () => {
      const page = await browsing.visit(server.url(CNP));
      const ext = await browsing.extensionPage();
      const tabId = await tabOf(ext, `https://${CNP}/*`);
      const wanted = [...cnp.cookies.map((c) => c.name)].sort();
      const report = await reportWhen(
        ext,
        tabId,
        (r) => cookieNames(r).length >= wanted.length && r.items.length >= wanted.length + cnp.storage.length,
      );

      expect(report.visit).toMatchObject({ site: 'cnp.fr', topHost: CNP, pages: 1 });
      expect(report.visit.hosts).toEqual(
        expect.arrayContaining([CNP, 'widget.quantalys.com', 'chat.doyoudreamup.com', 'cdn.tagcommander.com']),
      );
      expect(recorded(report)).toEqual(expected(cnp));
      for (const cookie of cnp.cookies) {
        const item = report.items.find((i) => i.name === cookie.name)!;
        const want = requestedSeconds(cookie);
        if (want === 'session') expect(requestedLifetime(item), cookie.name).toBe('session');
        else expect(Math.abs((requestedLifetime(item) as number) - want), cookie.name).toBeLessThanOrEqual(2);
      }
      // What the browser stored: a 2-year request is kept 400 days.
      const marketing = report.items.find((i) => i.name === 'marketing_id')!;
      const storedDays =
        marketing.longestWrite.stored && !marketing.longestWrite.stored.session
          ? (marketing.longestWrite.stored.at - marketing.longestWrite.at) / 86_400_000
          : null;
      expect(storedDays).toBeGreaterThan(399);
      expect(storedDays).toBeLessThan(401);
      expect(report.items.find((i) => i.name === 'TC_PRIVACY')!.firstWrite.url).toContain('cdn.tagcommander.com');
      expect(report.items.find((i) => i.name === 'JSESSIONID')!.attributes).toMatchObject({
        httpOnly: true,
        secure: true,
      });
      expect(
        report.items
          .filter((i) => i.store !== 'cookie')
          .map((i) => [i.store, i.name, i.domain])
          .sort(),
      ).toEqual(cnp.storage.map((s) => [s.area, s.key, CNP]).sort());

      expect(report.catalogues.map((c) => c.id)).toEqual(['cnp-monespaceclient']);
      // The page loads TagCommander, so no choice was made yet: CNP asks consent for all but its necessary cookies.
      expect(kindsOf(report.findings, '_pk_id.1.a1b2')).toEqual([
        'lifetime-exceeds-declared',
        'set-before-consent',
        'vendor-default-contradiction',
      ]);
      expect(kindsOf(report.findings, 'marketing_id')).toEqual(['exceeds-cnil-13-months', 'undeclared']);
      expect(kindsOf(report.findings, '.ASPXANONYMOUS')).toEqual([
        'lifetime-exceeds-declared',
        'set-before-consent',
        'vendor-default-contradiction',
      ]);
      expect(kindsOf(report.findings, '_qtx_uid')).toEqual(['undeclared']);
      expect(report.findings.find((f) => f.cookie?.name === '_qtx_uid')?.severity).toBe('high');
      expect(kindsOf(report.findings, 'JSESSIONID')).toEqual(['matched-by-variant']);
      expect(kindsOf(report.findings, 'DYDU_clientId_abc123')).toEqual(['set-before-consent']);

      // The toolbar badge counts the findings that need attention (high and medium).
      const attention = report.findings.filter((f) => f.severity === 'high' || f.severity === 'medium').length;
      expect(attention).toBeGreaterThan(0);
      expect(await badgeText(ext, tabId)).toBe(String(attention));

      const everything = JSON.stringify(report) + (await databaseDump(ext));
      for (const value of values(cnp)) expect(everything).not.toContain(value);
      // The script cookies and storage keys above came through the page hook's channel, which the page never saw.
      expect(await page.evaluate(() => (window as unknown as { seenMessages: string[] }).seenMessages, '')).toEqual([]);
      // A page that greets like the hook gets no answer (the relay's key stays private) and sees its own event as usual.
      const probe = await page.evaluate((type) => {
        const seen = (window as unknown as { seenMessages: string[] }).seenMessages;
        document.dispatchEvent(new CustomEvent(type, { cancelable: true }));
        return seen;
      }, HOOK_HELLO);
      expect(probe).toEqual([HOOK_HELLO, HOOK_HELLO]);
      await page.close();
      await ext.close();
    });

    it('counts the cookies already in the jar that a return visit sends, third-party ones in their partition included', async () => {
      await (await browsing.visit(server.url(CNP))).close();
      const page = await browsing.visit(server.url(CNP, '/revisit'));
      const ext = await browsing.extensionPage();
      const tabId = await tabOf(ext, `https://${CNP}/*`);
      const sent = cnp.cookies.filter((c) => c.by === 'header' || c.by === 'iframe-header');
      const report = await reportWhen(ext, tabId, (r) => sent.every((c) => r.items.some((i) => i.name === c.name)));
      // Nothing on this page sets a cookie: every one is found in the jar, once, with the party it has on the site.
      expect(
        report.items
          .filter((i) => i.store === 'cookie')
          .map((i) => [i.name, i.party, i.firstWrite.by])
          .sort(),
      ).toEqual(cnp.cookies.map((c) => [c.name, c.party, 'jar']).sort());
      await page.close();
      await ext.close();
    });

    it('records the AMEX site, matching spelling variants and judging declared lifetimes', async () => {
      const page = await browsing.visit(server.url(amex.host));
      const ext = await browsing.extensionPage();
      const tabId = await tabOf(ext, `https://${amex.host}/*`);
      const report = await reportWhen(
        ext,
        tabId,
        (r) =>
          cookieNames(r).length >= amex.cookies.length && r.items.length >= amex.cookies.length + amex.storage.length,
      );
      expect(recorded(report)).toEqual(expected(amex));
      expect(report.catalogues.map((c) => c.id)).toEqual(['europ-assistance-amex']);
      expect(kindsOf(report.findings, 'ai_user')).toEqual([
        'lifetime-exceeds-declared',
        'vendor-default-contradiction',
      ]);
      expect(kindsOf(report.findings, 'ai_session')).toEqual(['vendor-default-contradiction']);
      expect(kindsOf(report.findings, '.AspNetCore.Session')).toEqual(['matched-by-variant']);
      // The table gives 1 day; Piwik PRO documents 30 minutes.
      expect(kindsOf(report.findings, '_pk_ses.5.c3d4')).toEqual([
        'matched-by-variant',
        'vendor-default-contradiction',
      ]);
      expect(kindsOf(report.findings, '_fbp')).toEqual(['undeclared']);
      expect(kindsOf(report.findings, 'AI_buffer')).toEqual(['undeclared']);
      expect(kindsOf(report.findings, 'ppms_webstorage')).toEqual([]);
      const everything = JSON.stringify(report) + (await databaseDump(ext));
      for (const value of values(amex)) expect(everything).not.toContain(value);
      await page.close();
      await ext.close();
    });

    it('leaves out of a visit what the page the tab left sends as it goes (its last beacons)', async () => {
      const page = await browsing.visit(server.url(CNP, '/leaving'));
      await page.goto(server.url(amex.host));
      const ext = await browsing.extensionPage();
      const tabId = await tabOf(ext, `https://${amex.host}/*`);
      // The beacon went out and its answer put its cookie in the jar (third-party, so in CNP's partition in Firefox).
      const jar = async () =>
        (await ext.evaluate(async () => {
          type Api = { cookies: { getAll(q: unknown): Promise<Array<{ name: string }>> } };
          const g = globalThis as unknown as { browser?: Api; chrome?: Api };
          const api = (g.browser ?? g.chrome)!;
          const all = [
            ...(await api.cookies.getAll({})),
            ...(await api.cookies.getAll({ partitionKey: { topLevelSite: 'https://cnp.fr' } }).catch(() => [])),
          ];
          return all.map((c) => c.name);
        }, '')) as string[];
      const deadline = Date.now() + 10_000;
      while (!(await jar()).includes('tc_beacon') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await jar()).toContain('tc_beacon');
      const report = await reportWhen(
        ext,
        tabId,
        (r) =>
          cookieNames(r).length >= amex.cookies.length && r.items.length >= amex.cookies.length + amex.storage.length,
      );
      // Give a late beacon event its chance to be (wrongly) counted.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = (await replyOf(ext, { type: 'get-tab-report', tabId })).report!;
      expect(after.visit.id).toBe(report.visit.id);
      expect(recorded(after)).toEqual(expected(amex));
      expect(after.visit.hosts).not.toContain('cdn.tagcommander.com');
      await page.close();
      await ext.close();
    });

    extra?.(() => browsing);
  });
}

scenarios(
  'chromium',
  async () => {
    const chromium: ChromiumSession = await launchChromium({
      extensionPath: buildExtension('chrome'),
      hosts: server.hosts,
      auditMode: true,
    });
    return {
      session: chromium,
      visit: async (url) => {
        const page = await chromium.context.newPage();
        await page.goto(url, { waitUntil: 'load' });
        return page;
      },
      extensionPage: () => chromium.openExtensionPage('popup.html'),
      close: () => chromium.close(),
      stopServiceWorker: () => chromium.stopServiceWorker(),
    };
  },
  (browsing) => {
    it('loses nothing when the service worker is stopped in the middle of a visit', async () => {
      const session = browsing() as Browsing & { stopServiceWorker(): Promise<void> };
      const page = await session.visit(`${server.url(CNP)}`);
      let ext = await session.extensionPage();
      const tabId = await tabOf(ext, `https://${CNP}/*`);
      const before = await reportWhen(ext, tabId, (r) => cookieNames(r).length >= cnp.cookies.length);
      const { startedAt } = await replyOf(ext, { type: 'ping' });
      await ext.close();

      await session.stopServiceWorker();
      // The site goes on setting cookies while the worker is stopped: the events wake it.
      await page.goto(server.url(CNP, '/fifty'));
      ext = await session.extensionPage();
      const after = await reportWhen(ext, tabId, (r) => cookieNames(r).length >= cnp.cookies.length + fifty.length);
      expect((await replyOf(ext, { type: 'ping' })).startedAt).toBeGreaterThan(startedAt);
      expect(after.visit.id).toBe(before.visit.id);
      expect(after.visit.pages).toBe(2);
      expect(cookieNames(after)).toEqual([...cookieNames(before), ...fifty.map((c) => c.name)].sort());

      // And it is all in storage, not only in the worker's memory.
      const stored = (await replyOf(ext, { type: 'get-visit-report', visitId: after.visit.id })).report!;
      expect(cookieNames(stored)).toEqual(cookieNames(after));
      await page.close();
      await ext.close();
    });

    it('loses no cookie, and none of their sources, when the service worker is stopped again and again as a page sets them', async () => {
      const session = browsing() as Browsing & { stopServiceWorker(): Promise<void> };
      const page = await session.visit(server.url(DRIP_HOST, '/drip'));
      let ext = await session.extensionPage();
      const tabId = await tabOf(ext, `https://${DRIP_HOST}/*`);
      const { startedAt } = await replyOf(ext, { type: 'ping' });
      await ext.close();

      for (let batch = 0; batch < DRIP_BATCHES; batch++) {
        // The batch's responses come while the worker is being stopped: before, during or after its events.
        const setting = page.evaluate(
          (n) => (window as unknown as { drip(n: number): Promise<unknown> }).drip(Number(n)),
          String(batch),
        );
        await session.stopServiceWorker();
        await setting;
      }
      ext = await session.extensionPage();
      const after = await reportWhen(ext, tabId, (r) => r.items.length >= drip.length, 60_000);
      expect((await replyOf(ext, { type: 'ping' })).startedAt).toBeGreaterThan(startedAt);
      // Every cookie, with its header; or, for one whose events went with a stopped worker, what the jar tells: an
      // HttpOnly cookie comes from a header, another from a source unknown (a script the page hook did not see could
      // have written it).
      const sources = (report: VisitReport) => report.items.map((i) => [i.name, i.firstWrite.by]).sort();
      const wanted = drip
        .map((c) => [c.name, c.httpOnly ? 'header' : expect.stringMatching(/^(header|unknown)$/)])
        .sort();
      expect(sources(after)).toEqual(wanted);
      const stored = (await replyOf(ext, { type: 'get-visit-report', visitId: after.visit.id })).report!;
      expect(sources(stored)).toEqual(wanted);
      await page.close();
      await ext.close();
    }, 120_000);
  },
);

scenarios('firefox', async () => {
  const firefox: FirefoxSession = await launchFirefox({
    extensionPath: buildExtension('firefox'),
    hosts: server.hosts,
    auditMode: true,
  });
  return {
    visit: async (url) => {
      const page = await firefox.browser.newPage();
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
    extensionPage: () => firefox.openExtensionPage('popup.html'),
    close: () => firefox.close(),
  };
});

describe('firefox, its event page suspended when idle', () => {
  let firefox: FirefoxSession;
  beforeAll(async () => {
    // Suspended after 2 s without events instead of 30.
    firefox = await launchFirefox({
      extensionPath: buildExtension('firefox'),
      hosts: server.hosts,
      auditMode: true,
      prefs: { 'extensions.background.idle.timeout': 2000 },
    });
  });
  afterAll(() => firefox?.close());

  it('carries the visit on, losing nothing, after the background was suspended in the middle of it', async () => {
    const page = await firefox.browser.newPage();
    await page.goto(server.url(CNP), { waitUntil: 'load' });
    let ext = await firefox.openExtensionPage('popup.html');
    const tabId = await tabOf(ext, `https://${CNP}/*`);
    const before = await reportWhen(ext, tabId, (r) => cookieNames(r).length >= cnp.cookies.length);
    const { startedAt } = await replyOf(ext, { type: 'ping' });
    await ext.close();

    // Idle long enough to be suspended, then the site goes on: its events wake the background.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    await page.goto(server.url(CNP, '/fifty'), { waitUntil: 'load' });
    ext = await firefox.openExtensionPage('popup.html');
    const after = await reportWhen(ext, tabId, (r) => cookieNames(r).length >= cnp.cookies.length + fifty.length);
    expect((await replyOf(ext, { type: 'ping' })).startedAt).toBeGreaterThan(startedAt);
    expect(after.visit.id).toBe(before.visit.id);
    expect(after.visit.pages).toBe(2);
    expect(cookieNames(after)).toEqual([...cookieNames(before), ...fifty.map((c) => c.name)].sort());
    await page.close();
    await ext.close();
  });

  it('loses no cookie, and none of their sources, when the background is terminated again and again as a page sets them', async () => {
    const page = await firefox.browser.newPage();
    await page.goto(server.url(DRIP_HOST, '/drip'), { waitUntil: 'load' });
    let ext = await firefox.openExtensionPage('popup.html');
    const tabId = await tabOf(ext, `https://${DRIP_HOST}/*`);
    const { startedAt } = await replyOf(ext, { type: 'ping' });
    await ext.close();

    for (let batch = 0; batch < DRIP_BATCHES; batch++) {
      // The batch's responses come while the background is being terminated: before, during or after its events.
      const setting = page.evaluate(
        (n) => (window as unknown as { drip(n: number): Promise<unknown> }).drip(Number(n)),
        String(batch),
      );
      await terminateBackground(firefox);
      await setting;
    }
    ext = await firefox.openExtensionPage('popup.html');
    const after = await reportWhen(ext, tabId, (r) => r.items.length >= drip.length, 60_000);
    expect((await replyOf(ext, { type: 'ping' })).startedAt).toBeGreaterThan(startedAt);
    const sources = (report: VisitReport) => report.items.map((i) => [i.name, i.firstWrite.by]).sort();
    const wanted = drip
      .map((c) => [c.name, c.httpOnly ? 'header' : expect.stringMatching(/^(header|unknown)$/)])
      .sort();
    expect(sources(after)).toEqual(wanted);
    const stored = (await replyOf(ext, { type: 'get-visit-report', visitId: after.visit.id })).report!;
    expect(sources(stored)).toEqual(wanted);
    await page.close();
    await ext.close();
  }, 120_000);
});
