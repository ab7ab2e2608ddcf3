import { ensureBuilt } from '../../../cli/build';

export type TargetBrowser = 'chrome' | 'firefox';

/**
 * The built extension's folder, built first when it is missing or older than its sources (the audit command's
 * rule), unless E2E_SKIP_BUILD=1 says the global setup already built it.
 */
export function buildExtension(browser: TargetBrowser): string {
  return ensureBuilt(browser === 'chrome' ? 'chromium' : 'firefox', process.env.E2E_SKIP_BUILD !== '1', () => {});
}

// Talking to the background from an extension page: the product's own helpers (cli/browsers.ts).
export { askBackground, replyOf, waitForBackground, type Evaluating } from '../../../cli/browsers';
