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

/** Anything with Playwright's or Puppeteer's `page.evaluate(fn, arg)`. */
export interface Evaluating {
  evaluate(fn: (arg: unknown) => Promise<unknown>, arg: unknown): Promise<unknown>;
}

/**
 * Sends `message` to the background from an extension page and returns the answer. The answer crosses as JSON:
 * WebDriver BiDi serializes an object met twice as a reference that Puppeteer does not resolve.
 */
export async function askBackground<T = unknown>(page: Evaluating, message: unknown): Promise<T> {
  const json = await page.evaluate(async (m) => {
    type Api = { runtime: { sendMessage(m: unknown): Promise<unknown> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    return JSON.stringify((await (g.browser ?? g.chrome)!.runtime.sendMessage(m)) ?? null);
  }, message);
  return JSON.parse(json as string) as T;
}

/** Resolves once the background answers `{ type: 'ping' }` with `{ ok: true }`: before that, events are missed. */
export async function waitForBackground(page: Evaluating, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const answer = await askBackground<{ ok?: boolean } | undefined>(page, { type: 'ping' });
      if (answer?.ok === true) return;
      last = answer;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`background did not answer ping with { ok: true } in ${timeoutMs} ms; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}
