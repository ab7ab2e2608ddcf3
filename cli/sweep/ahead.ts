/**
 * Browsers started ahead of the sites that will use them. Starting a browser with the extension takes a second or
 * two of CPU; a site spends most of its time waiting (its page's network, the settle time). Starting the next
 * site's browser while a site waits hides that second: each site still gets a fresh browser of its own.
 */
export interface StartedAhead<T> {
  /** A browser for the next site: one started ahead if there is one, else started now; then starts another. */
  take(): Promise<T>;
  /** Closes the browsers started and not taken (the sweep ended, was stopped, or failed). */
  closeAll(): Promise<void>;
}

/**
 * `sites`: how many sites will take a browser, so that none is started for no site. `ahead`: how many may wait at
 * once (memory stays bounded). A browser whose start failed fails the site that takes it.
 */
export function startAhead<T>(
  launch: () => Promise<T>,
  close: (browser: T) => Promise<void>,
  sites: number,
  ahead: number,
): StartedAhead<T> {
  const waiting: Promise<T>[] = [];
  let left = sites;
  let closed = false;
  const started = () => {
    const browser = launch();
    // Its failure belongs to the site that takes it; until then it must not be an unhandled rejection.
    browser.catch(() => {});
    return browser;
  };
  return {
    take() {
      left--;
      const browser = waiting.shift() ?? started();
      while (!closed && waiting.length < Math.min(ahead, left)) waiting.push(started());
      return browser;
    },
    async closeAll() {
      closed = true;
      await Promise.all(waiting.splice(0).map((browser) => browser.then(close, () => {})));
    },
  };
}
