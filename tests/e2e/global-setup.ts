import { buildExtension } from './support/extension';

/** Builds both extensions once; test files then reuse the builds (E2E_SKIP_BUILD is inherited by workers). */
export default function setup(): void {
  const started = Date.now();
  buildExtension('chrome');
  buildExtension('firefox');
  process.env.E2E_SKIP_BUILD = '1';
  console.log(
    `e2e: chrome-mv3 and firefox-mv3 ready (built when older than their sources) in ${Date.now() - started} ms`,
  );
}
