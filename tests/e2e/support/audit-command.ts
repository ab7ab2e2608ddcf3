import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The project's root folder. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs `npm run audit -- ARGS` as a person would (without npm), and gives its exit code and output. */
export function runAudit(
  args: string[],
  timeoutMs = 110_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'cli/audit.ts', ...args],
      { cwd: ROOT, timeout: timeoutMs },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}
