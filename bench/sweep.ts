import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startFixtureServer } from '../tests/e2e/fixtures/server';
import { SWEEP_SITE_COUNT, sweepHosts } from '../tests/e2e/fixtures/sweep-sites';
import { buildExtension } from '../tests/e2e/support/extension';
import { makeTmpDir, removeTmpDir } from '../tests/e2e/support/tmp';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SITES = SWEEP_SITE_COUNT;

/** The resident memory (MB) of `pid` and all its descendants, from /proc (Linux). */
function treeRssMb(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command (in parentheses, which may hold spaces): state, ppid, …; rss is field 24.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
      rss.set(Number(name), Number(fields[21]) * 4096);
    } catch {
      // The process ended while we read.
    }
  }
  let total = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.pop()!;
    total += rss.get(p) ?? 0;
    queue.push(...(children.get(p) ?? []));
  }
  return total / 1024 / 1024;
}

interface Run {
  seconds: number;
  /** Peak RSS of the whole process tree while the first 10 sites were audited, and while the last 10 were. */
  peakFirst10: number;
  peakLast10: number;
  peak: number;
}

/** Runs `npm run audit` (without npm) with `args`, sampling its process tree's memory against the sites done. */
async function timedAudit(args: string[], done: () => number): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/audit.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  let peakFirst10 = 0;
  let peakLast10 = 0;
  let peak = 0;
  let running = true;
  void exited.then(() => (running = false));
  while (running) {
    const rss = treeRssMb(child.pid!);
    const n = done();
    peak = Math.max(peak, rss);
    if (n < 10) peakFirst10 = Math.max(peakFirst10, rss);
    if (n >= SITES - 10) peakLast10 = Math.max(peakLast10, rss);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const code = await exited;
  if (code !== 0) throw new Error(`npm run audit exited ${code}:\n${stderr.slice(-2000)}`);
  return { seconds: (performance.now() - started) / 1000, peakFirst10, peakLast10, peak };
}

/**
 * A sweep of the 40 fixture brands (sweep-sites.ts: 40 hosts, each a small site with its own cookies and vendors)
 * with --concurrency 2, against the same 40 home pages audited one by one in one browser as `npm run audit -- <url>…`
 * does.
 */
export async function benchSweep(): Promise<Record<string, number>> {
  const server = await startFixtureServer({ sweepSites: SITES });
  buildExtension('chrome');
  const scratch = makeTmpDir('bench-sweep');
  try {
    const urls = sweepHosts(SITES).map((host) => server.url(host));
    const common = ['--no-build', '--insecure', ...server.hosts.flatMap((h) => ['--resolve', `${h}=127.0.0.1`])];

    const oneByOneOut = `${scratch}/one-by-one`;
    const countJson = () =>
      existsSync(oneByOneOut) ? readdirSync(oneByOneOut).filter((f) => f.endsWith('.json')).length : 0;
    const oneByOne = await timedAudit([...common, '--out', oneByOneOut, ...urls], countJson);

    const sweepOut = `${scratch}/sweep`;
    writeFileSync(`${scratch}/sites.txt`, urls.join('\n'));
    const countDone = () =>
      existsSync(`${sweepOut}/sites`)
        ? readdirSync(`${sweepOut}/sites`).filter((id) => existsSync(`${sweepOut}/sites/${id}/result.json`)).length
        : 0;
    const sweep = await timedAudit(
      [...common, '--out', sweepOut, '--urls', `${scratch}/sites.txt`, '--concurrency', '2'],
      countDone,
    );
    const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
    return {
      oneByOneSitesPerMinute: round((SITES * 60) / oneByOne.seconds),
      sweepSitesPerMinute: round((SITES * 60) / sweep.seconds),
      sweepSpeedup: round(oneByOne.seconds / sweep.seconds, 2),
      sweepPeakRssMb: Math.round(sweep.peak),
      sweepPeakRssFirst10Mb: Math.round(sweep.peakFirst10),
      sweepPeakRssLast10Mb: Math.round(sweep.peakLast10),
      oneByOnePeakRssMb: Math.round(oneByOne.peak),
    };
  } finally {
    await server.close();
    removeTmpDir(scratch);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await benchSweep()));
