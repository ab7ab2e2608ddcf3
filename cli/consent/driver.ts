import { askBackground, sleep, tabIds } from '../browsers';
import type { Context } from '../context';
import { bannerOutcome, setBannerMode } from './engine';
import type { ScenarioBrowser } from './scenarios';

/**
 * A scenario's browser, as runScenario sees it: the session of `context` (launched with a fresh profile for this
 * scenario alone), its banner engine reached through the context's extension page. Closing it closes the session.
 */
export function scenarioBrowser(context: Context, rules: unknown, say: (line: string) => void): ScenarioBrowser {
  const { session, page, options } = context;
  const idle = async (tab: { networkIdle(timeoutMs: number): Promise<void> }) =>
    tab.networkIdle(options.timeoutMs).catch(() => say(`still busy on the network after ${options.timeoutMs} ms`));
  return {
    setBannerMode: (mode) => setBannerMode(page, mode, rules, options.lang),
    openTab: async () => {
      const before = await tabIds(page);
      const tab = await session.newTab();
      // The tab the browser just opened, whatever URL it ends up on.
      const tabId = (await tabIds(page)).find((id) => !before.includes(id));
      if (tabId === undefined) {
        await tab.close().catch(() => {});
        throw new Error('the new tab is not visible to the extension');
      }
      return {
        load: async (url) => {
          await tab.goto(url, options.timeoutMs);
          await idle(tab);
        },
        idle: () => idle(tab),
        bannerOutcome: () => bannerOutcome(page, tabId),
        links: () => tab.links(),
        report: async () => {
          say(`settling ${options.settleMs} ms…`);
          await sleep(options.settleMs);
          const answer = await askBackground(page, { type: 'get-tab-report', tabId });
          if (!answer.ok || !answer.report) throw new Error('the extension recorded no visit in the tab');
          return answer.report;
        },
        close: () => tab.close(),
      };
    },
    close: () => session.close(),
  };
}
