import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type TargetBrowser = 'chrome' | 'firefox';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const OUTPUT: Record<TargetBrowser, string> = { chrome: 'chrome-mv3', firefox: 'firefox-mv3' };
const ARGS: Record<TargetBrowser, string[]> = { chrome: ['wxt', 'build'], firefox: ['wxt', 'build', '-b', 'firefox', '--mv3'] };
const built = new Set<TargetBrowser>();

/** Builds the extension once per process (not at all with E2E_SKIP_BUILD=1) and returns its folder. */
export function buildExtension(browser: TargetBrowser): string {
  const out = `${ROOT}.output/${OUTPUT[browser]}`;
  if (!built.has(browser) && process.env.E2E_SKIP_BUILD !== '1') {
    execFileSync('npx', ARGS[browser], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!existsSync(`${out}/manifest.json`)) throw new Error(`no build in ${out}`);
  built.add(browser);
  return out;
}

// Talking to the background from an extension page: the product's own helpers (cli/browsers.ts).
export { askBackground, waitForBackground, type Evaluating } from '../../../cli/browsers';
