import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Scratch space inside the repo (gitignored): browser profiles and TMPDIR for the browsers. */
export const E2E_TMP = fileURLToPath(new URL('../.tmp', import.meta.url));

export function makeTmpDir(prefix: string): string {
  mkdirSync(E2E_TMP, { recursive: true });
  return mkdtempSync(`${E2E_TMP}/${prefix}-`);
}

export function removeTmpDir(dir: string): void {
  // Browsers may still be flushing the profile when they exit.
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}
