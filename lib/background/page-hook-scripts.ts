import type { browser as wxtBrowser } from 'wxt/browser';

type Browser = typeof wxtBrowser;
type ContentScript = Parameters<Browser['scripting']['registerContentScripts']>[0][number];

/** The page hook (page's world) and its relay (isolated world): registered together, in audit mode only. */
export const PAGE_HOOK_SCRIPTS = [
  { id: 'cookie-lens-page-relay', js: ['page-relay.js'] },
  { id: 'cookie-lens-page-hook', js: ['page-hook.js'], world: 'MAIN' },
] as const;
const IDS = PAGE_HOOK_SCRIPTS.map((script) => script.id);

/**
 * The page hook's registration, which follows the audit-mode setting. The hook tells, as each happens, which script
 * wrote each cookie and Web Storage key, and when; it is also, with its relay, nearly all that Cookie Lens costs a page
 * load beyond the one Set-Cookie listener Chrome requires (README, "Benchmarks"). Everyday mode does without: the jar,
 * read a moment after a page's requests and when a report is asked for, tells every cookie a script set (by a source
 * it cannot name), and the storages are read when a report is asked for (lib/background/storage-reads.ts).
 *
 * Registered in every frame from document_start, about:blank, srcdoc, data: and blob: frames included
 * (matchOriginAsFallback: Chromium, and Firefox 128 on), and kept across browser restarts so that the first page of a
 * session is watched before the background wakes; each wake checks the registration against the setting again.
 */
export class PageHookScripts {
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly browser: Browser) {}

  /** Registers both scripts when `on`, unregisters them otherwise; one change at a time, the last one asked winning. */
  sync(on: boolean): Promise<void> {
    this.syncing = this.syncing
      .then(() => this.syncNow(on))
      .catch((error: unknown) => console.error('Cookie Lens could not (un)register its page hook.', error));
    return this.syncing;
  }

  private async syncNow(on: boolean): Promise<void> {
    const { scripting } = this.browser;
    const registered = (await scripting.getRegisteredContentScripts({ ids: IDS })).map((script) => script.id);
    if (on && registered.length === IDS.length) return;
    // Half a pair (a registration cut short) is taken down before both are registered again.
    if (registered.length > 0) await scripting.unregisterContentScripts({ ids: registered });
    if (!on) return;
    await scripting.registerContentScripts(
      PAGE_HOOK_SCRIPTS.map(
        (script) =>
          ({
            ...script,
            js: [...script.js],
            matches: ['<all_urls>'],
            allFrames: true,
            matchOriginAsFallback: true,
            runAt: 'document_start',
            persistAcrossSessions: true,
          }) as ContentScript,
      ),
    );
  }
}
