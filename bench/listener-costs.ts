import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildExtension } from '../tests/e2e/support/extension';
import { makeTmpDir, removeTmpDir } from '../tests/e2e/support/tmp';
import { benchPageLoad } from './page-load';

/**
 * What each of Cookie Lens's listeners and document-start scripts costs a page load, alone: `npx tsx
 * bench/listener-costs.ts` times, in the same alternating rounds as `npm run bench`'s page-load figures, an extension
 * with nothing but the Set-Cookie listener (the floor) plus one part at a time, each empty; then the two real
 * content scripts with no background to answer them; then the built extension without its content scripts. It is how
 * the README's reasoning on everyday and audit modes was measured: run it again to check it. About 13 minutes.
 */
const FLOOR = "chrome.webRequest.onHeadersReceived.addListener(() => {}, all, ['responseHeaders', 'extraHeaders']);";
const EVERY_FRAME = {
  matches: ['<all_urls>'],
  run_at: 'document_start',
  all_frames: true,
  match_about_blank: true,
  match_origin_as_fallback: true,
};

function part(root: string, name: string, worker: string[], contentScripts: Array<Record<string, unknown>> = []) {
  const dir = resolve(root, name);
  mkdirSync(dir);
  const manifest = {
    manifest_version: 3,
    name,
    version: '1.0',
    background: { service_worker: 'background.js' },
    permissions: ['cookies', 'webRequest', 'webNavigation'],
    host_permissions: ['<all_urls>'],
    ...(contentScripts.length > 0 ? { content_scripts: contentScripts } : {}),
  };
  writeFileSync(`${dir}/manifest.json`, JSON.stringify(manifest));
  writeFileSync(`${dir}/background.js`, ["const all = { urls: ['<all_urls>'] };", FLOOR, ...worker].join('\n'));
  return dir;
}

const built = process.env.BENCH_EXTENSION_PATH ?? buildExtension('chrome');
const root = makeTmpDir('bench-listener-costs');
try {
  part(root, 'onChanged', ['chrome.cookies.onChanged.addListener(() => {});']);
  part(root, 'onBeforeRequest', ['chrome.webRequest.onBeforeRequest.addListener(() => {}, all);']);
  part(root, 'webNavigation', ['chrome.webNavigation.onCommitted.addListener(() => {});']);
  writeFileSync(`${part(root, 'isolatedScript', [], [{ ...EVERY_FRAME, js: ['empty.js'] }])}/empty.js`, '');
  writeFileSync(
    `${part(root, 'mainWorldScript', [], [{ ...EVERY_FRAME, js: ['empty.js'], world: 'MAIN' }])}/empty.js`,
    '',
  );
  const scripts = part(
    root,
    'realScripts',
    [],
    [
      { ...EVERY_FRAME, js: ['page-relay.js'] },
      { ...EVERY_FRAME, js: ['page-hook.js'], world: 'MAIN' },
    ],
  );
  cpSync(`${built}/page-relay.js`, `${scripts}/page-relay.js`);
  cpSync(`${built}/page-hook.js`, `${scripts}/page-hook.js`);
  const withoutScripts = resolve(root, 'withoutContentScripts');
  cpSync(built, withoutScripts, { recursive: true });
  const manifest = JSON.parse(readFileSync(`${withoutScripts}/manifest.json`, 'utf8')) as Record<string, unknown>;
  delete manifest.content_scripts;
  writeFileSync(`${withoutScripts}/manifest.json`, JSON.stringify(manifest));

  process.env.BENCH_PEERS_PATH = root;
  process.env.BENCH_EXTENSION_PATH = built;
  const figures = await benchPageLoad();
  const floor = figures.pageLoadCpuRatioSetCookieListener50!;
  console.log(`floor (the Set-Cookie listener alone): CPU ${floor}, load ${figures.pageLoadRatioSetCookieListener50}`);
  for (const [key, value] of Object.entries(figures)) {
    const name = /^pageLoadCpuRatioPeer_(.+)50$/.exec(key)?.[1];
    if (!name) continue;
    const load = figures[`pageLoadRatioPeer_${name}50`];
    console.log(`${name.padEnd(22)} CPU ${value} (floor + ${(value - floor).toFixed(3)}), load ${load}`);
  }
  console.log(`Cookie Lens as built: CPU ${figures.pageLoadCpuRatio50}, load ${figures.pageLoadRatio50}`);
  console.log(JSON.stringify(figures));
} finally {
  removeTmpDir(root);
}
