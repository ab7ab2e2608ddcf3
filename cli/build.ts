import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SetupError, type BrowserKind } from './browsers';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const TARGETS: Record<BrowserKind, { dir: string; args: string[] }> = {
  chromium: { dir: 'chrome-mv3', args: ['build'] },
  firefox: { dir: 'firefox-mv3', args: ['build', '-b', 'firefox', '--mv3'] },
};
/** What the build reads; tests next to the code are not part of it. */
const SOURCES = ['entrypoints', 'lib', 'public', 'wxt.config.ts'];

export function extensionDir(kind: BrowserKind, root = ROOT): string {
  return path.join(root, '.output', TARGETS[kind].dir);
}

/** The newest modification time among the build's sources, in ms (0 when there are none). */
export function newestSource(root = ROOT): number {
  let newest = 0;
  const visit = (file: string): void => {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of readdirSync(file)) visit(path.join(file, name));
    else if (!/\.test\.ts$/.test(file)) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const source of SOURCES) visit(path.join(root, source));
  return newest;
}

/** Why the build must be (re)made, or null when it is up to date. */
export function staleness(kind: BrowserKind, root = ROOT): string | null {
  const manifest = statSync(path.join(extensionDir(kind, root), 'manifest.json'), { throwIfNoEntry: false });
  if (!manifest) return 'no build yet';
  return manifest.mtimeMs < newestSource(root) ? 'sources changed since the last build' : null;
}

/** Builds the extension for `kind` when it is missing or stale (or never, with `build: false`); returns its folder. */
export function ensureBuilt(kind: BrowserKind, build: boolean, log: (line: string) => void, root = ROOT): string {
  const dir = extensionDir(kind, root);
  const reason = staleness(kind, root);
  if (!build) {
    if (reason === 'no build yet')
      throw new SetupError(`no build in ${dir}: run without --no-build, or npm run build:all.`);
    return dir;
  }
  if (!reason) return dir;
  log(`building ${TARGETS[kind].dir} (${reason})…`);
  const started = Date.now();
  // wxt's own script through node, not npx: the same on Windows.
  const wxt = path.join(root, 'node_modules', 'wxt', 'bin', 'wxt.mjs');
  const result = spawnSync(process.execPath, [wxt, ...TARGETS[kind].args], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() || String(result.error ?? '');
    throw new SetupError(`the build for ${TARGETS[kind].dir} failed:\n${output}`);
  }
  log(`built ${TARGETS[kind].dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}
