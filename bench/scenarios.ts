import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFixtureServer } from '../tests/e2e/fixtures/server';
import { CNP } from '../tests/e2e/fixtures/sites';
import { buildExtension } from '../tests/e2e/support/extension';
import { makeTmpDir, removeTmpDir } from '../tests/e2e/support/tmp';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The wall time of a consent audit's three scenarios (none, refuse, accept) on one fixture site, as a person runs it:
 * `npm run audit -- --consent none,refuse,accept` (without npm), three browser starts included.
 */
export async function benchScenarios(): Promise<Record<string, number>> {
  const server = await startFixtureServer();
  buildExtension('chrome');
  const out = makeTmpDir('bench-scenarios');
  try {
    const args = [
      '--no-build',
      '--insecure',
      ...server.hosts.flatMap((h) => ['--resolve', `${h}=127.0.0.1`]),
      '--consent',
      'none,refuse,accept',
      '--out',
      out,
      server.url(CNP),
    ];
    const started = performance.now();
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, ['--import', 'tsx', 'cli/audit.ts', ...args], { cwd: ROOT }, (error, _out, err) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr: err }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    // No --fail-on: anything but 0 means no scenario ran, or the setup failed.
    if (code !== 0) throw new Error(`npm run audit -- --consent exited ${code}:\n${stderr.slice(-2000)}`);
    return { auditScenarioSeconds: Math.round(seconds * 10) / 10 };
  } finally {
    await server.close();
    removeTmpDir(out);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchScenarios()));
