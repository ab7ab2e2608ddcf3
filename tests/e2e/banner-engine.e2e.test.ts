import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BannerOutcome } from '../../lib/consent/banner-outcome';
import type { ConsentChange } from '../../lib/consent/consent-state';
import { DIDOMI_HOST, startDidomiServer, type DidomiServer } from './fixtures/didomi-banner';
import { openBrowsing, type Browsing, type BrowsingPage } from './support/browsing';
import { replyOf, tabOf, type Evaluating } from './support/extension';

/**
 * The banner engine (autoconsent) in the built extension: with the answerBanners setting off it is not even loaded and
 * a banner is left alone; set to refuse, it refuses a Didomi-like banner, and the visit's consent says so, from the
 * banner; in an audit's modes, it recognises the banner without clicking (detect), or accepts it (accept).
 */

let server: DidomiServer;
beforeAll(async () => {
  server = await startDidomiServer();
});
afterAll(() => server?.close());

const DEADLINE_MS = 45_000;

/** Polls `read` until `done` holds, for a generous while; returns the last value read. */
async function when<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

const clicksOn = async (page: BrowsingPage) =>
  (await page.evaluate(async () => (window as unknown as { bannerClicks: string[] }).bannerClicks, '')) as string[];

const registeredScripts = async (ext: Evaluating) =>
  (await ext.evaluate(async () => {
    type Api = { scripting: { getRegisteredContentScripts(): Promise<Array<{ id: string }>> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    return (await (g.browser ?? g.chrome)!.scripting.getRegisteredContentScripts()).map((script) => script.id);
  }, '')) as string[];

const consentOf = async (ext: Evaluating, tabId: number): Promise<ConsentChange[]> =>
  (await replyOf(ext, { type: 'get-tab-report', tabId })).report?.visit.consent ?? [];

const outcomeOf = async (ext: Evaluating, tabId: number): Promise<BannerOutcome> =>
  (await replyOf(ext, { type: 'get-banner-outcome', tabId })).outcome;

function scenarios(browser: 'chromium' | 'firefox') {
  describe(browser, () => {
    let browsing: Browsing;
    beforeAll(async () => {
      browsing = await openBrowsing(browser, [DIDOMI_HOST]);
    });
    afterAll(() => browsing?.close());

    it('leaves a banner alone with the setting off, and refuses it once the setting says so', async () => {
      const ext = await browsing.extensionPage();
      expect((await replyOf(ext, { type: 'get-settings' })).settings.answerBanners).toBe('off');
      expect(await registeredScripts(ext)).toEqual([]);
      const untouched = await browsing.visit(server.url('/off'));

      await replyOf(ext, { type: 'put-settings', settings: { answerBanners: 'refuse' } });
      expect(await registeredScripts(ext)).toEqual(['cookie-lens-consent-banner']);
      const refused = await browsing.visit(server.url('/refuse'));
      expect(
        await when(
          () => clicksOn(refused),
          (clicks) => clicks.length > 0,
        ),
      ).toEqual(['refuse']);

      const tabId = await tabOf(ext, `https://${DIDOMI_HOST}/refuse`);
      const changes = await when(
        () => consentOf(ext, tabId),
        // Once autoconsent has also counted the clicks (its last message).
        (changes) =>
          changes.some(
            (change) => change.choice === 'refused' && change.source.kind === 'banner' && change.source.clicks !== null,
          ),
      );
      expect(changes.map(({ choice, source }) => ({ choice, source }))).toEqual([
        { choice: 'no-choice', source: { kind: 'banner', rule: 'didomi', action: 'detected', clicks: null } },
        { choice: 'refused', source: { kind: 'banner', rule: 'didomi', action: 'opt-out', clicks: 1 } },
      ]);
      expect(await outcomeOf(ext, tabId)).toMatchObject({
        status: 'answered',
        rule: 'didomi',
        action: 'opt-out',
        clicks: 1,
      });

      // The page opened while the setting was off, open all that time: nothing clicked, no banner answer recorded.
      expect(await clicksOn(untouched)).toEqual([]);
      const untouchedTab = await tabOf(ext, `https://${DIDOMI_HOST}/off`);
      expect(await consentOf(ext, untouchedTab)).toEqual([]);

      await replyOf(ext, { type: 'put-settings', settings: { answerBanners: 'off' } });
      expect(await registeredScripts(ext)).toEqual([]);
      for (const page of [untouched, refused, ext]) await page.close();
    });

    it('recognises the banner without clicking in an audit’s detect mode', async () => {
      const ext = await browsing.extensionPage();
      expect(await replyOf(ext, { type: 'set-banner-mode', mode: 'detect' })).toEqual({
        ok: true,
        mode: 'detect',
        rules: 0,
      });
      const page = await browsing.visit(server.url('/detect'));
      const tabId = await tabOf(ext, `https://${DIDOMI_HOST}/detect`);
      const outcome = await when(
        () => outcomeOf(ext, tabId),
        (outcome) => outcome.status !== 'pending',
      );
      expect(outcome).toMatchObject({ status: 'detected', rule: 'didomi', action: null });
      expect(await clicksOn(page)).toEqual([]);
      expect((await consentOf(ext, tabId)).map((change) => change.choice)).toEqual(['no-choice']);

      await replyOf(ext, { type: 'set-banner-mode', mode: 'off' });
      expect(await registeredScripts(ext)).toEqual([]);
      await page.close();
      await ext.close();
    });

    it('accepts the banner in an audit’s accept mode', async () => {
      const ext = await browsing.extensionPage();
      await replyOf(ext, { type: 'set-banner-mode', mode: 'accept' });
      const page = await browsing.visit(server.url('/accept'));
      expect(
        await when(
          () => clicksOn(page),
          (clicks) => clicks.length > 0,
        ),
      ).toEqual(['accept']);
      const tabId = await tabOf(ext, `https://${DIDOMI_HOST}/accept`);
      const outcome = await when(
        () => outcomeOf(ext, tabId),
        (outcome) => outcome.clicks !== null,
      );
      expect(outcome).toMatchObject({ status: 'answered', rule: 'didomi', action: 'opt-in', clicks: 1 });
      expect((await consentOf(ext, tabId)).at(-1)).toMatchObject({
        choice: 'accepted-all',
        source: { kind: 'banner', rule: 'didomi', action: 'opt-in', clicks: 1 },
      });

      await replyOf(ext, { type: 'set-banner-mode', mode: 'off' });
      await page.close();
      await ext.close();
    });
  });
}

scenarios('chromium');
scenarios('firefox');
