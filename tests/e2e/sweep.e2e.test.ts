import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMMARY_FILES } from '../../cli/sweep/summary';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { AMEX, CNP, MUTUELLE } from './fixtures/sites';
import { ROOT, runAudit as audit } from './support/audit-command';
import { makeTmpDir, removeTmpDir } from './support/tmp';

/** `npm run audit -- --urls`: sweeps of a few fixture sites, killed and resumed, sharded and merged, bad input. */

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const scratch: string[] = [];
const tmpDir = (prefix: string) => {
  const dir = makeTmpDir(prefix);
  scratch.push(dir);
  return dir;
};

const summaryOf = (out: string) => SUMMARY_FILES.map((file) => readFileSync(`${out}/${file}`, 'utf8'));
const finished = (out: string) =>
  existsSync(`${out}/sites`)
    ? readdirSync(`${out}/sites`).filter((id) => existsSync(`${out}/sites/${id}/result.json`))
    : [];

async function until(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Kills the processes (browsers) whose command line names `dir`: those of this test's killed sweep. */
function killProcessesUsing(dir: string): void {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.includes(dir)) process.kill(Number(pid), 'SIGKILL');
  }
}

let server: FixtureServer;
/** Accepts connections and never answers: a site that never finishes loading. */
let silent: Server;
let list: string;
let listed: number;
beforeAll(async () => {
  server = await startFixtureServer();
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const lines = [
    '# a sweep of fixture sites',
    server.url(CNP),
    server.url(AMEX),
    `${server.url(CNP)}?page=2   # the same host, another page`,
    server.url(MUTUELLE),
    'not a url',
    `${server.url(AMEX)}#fragment`,
    `https://unreachable.test:${await closedPort()}/`,
    server.url(CNP, '/?page=3'),
  ];
  listed = 6;
  list = `${tmpDir('sweep-list')}/sites.txt`;
  writeFileSync(list, lines.join('\n'));
});
afterAll(async () => {
  await server?.close();
  silent?.close();
  scratch.forEach(removeTmpDir);
});

const common = (browser: string) => [
  '--browser',
  browser,
  '--no-build',
  '--insecure',
  '--settle',
  '500',
  '--resolve',
  'unreachable.test=127.0.0.1',
  '--resolve',
  'silent.test=127.0.0.1',
  ...server.hosts.flatMap((h) => ['--resolve', `${h}=127.0.0.1`]),
];

for (const browser of ['chromium', 'firefox'] as const) {
  describe(browser, () => {
    let whole: string;
    beforeAll(async () => {
      whole = tmpDir(`sweep-${browser}`);
      const run = await audit([...common(browser), '--out', whole, '--urls', list, '--concurrency', '2']);
      expect(run.code, run.stderr).toBe(3);
    }, 120_000);

    it('writes a row per site and per bad line, each with its reason, and the findings', () => {
      const [csv, page, jsonl] = summaryOf(whole);
      const rows = csv!.trimEnd().split('\r\n').slice(1);
      expect(rows).toHaveLength(listed + 2);
      expect(rows.filter((row) => row.includes('"audited"'))).toHaveLength(5);
      expect(rows.find((row) => row.includes('unreachable.test'))).toMatch(/"failed","[^"]*CONNECTION_REFUSED/);
      expect(rows).toContainEqual('"not a url","rejected","line 6: not a URL"');
      // The repeated address is shown as a report keeps an address: without its fragment.
      expect(rows).toContainEqual(`"${server.url(AMEX)}","rejected","line 7: duplicate of line 3"`);
      expect(csv).not.toContain('#fragment');
      expect(finished(whole)).toHaveLength(listed);
      for (const id of finished(whole).filter((id) => !id.startsWith('unreachable')))
        expect(page).toContain(`href="sites/${id}/report.html"`);
      expect(jsonl!.split('\n').filter(Boolean).length).toBeGreaterThan(10);
    });

    it('gives the same summary when killed mid-way and run again', { timeout: 240_000 }, async () => {
      const out = tmpDir(`sweep-${browser}-killed`);
      const args = [...common(browser), '--out', out, '--urls', list, '--concurrency', '1'];
      const profiles = tmpDir('sweep-profiles');
      const child = spawn(process.execPath, ['--import', 'tsx', 'cli/audit.ts', ...args], {
        cwd: ROOT,
        detached: true,
        stdio: 'ignore',
        // The killed run cannot remove its browser's profile: keep it in scratch space.
        env: { ...process.env, TMPDIR: profiles },
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await until(() => finished(out).length >= 1, 'the first site of the sweep');
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
      // Firefox runs in a process group of its own and outlives the killed sweep, as after a machine's crash.
      killProcessesUsing(profiles);
      expect(finished(out).length, 'killed before the end').toBeLessThan(listed);
      expect(existsSync(`${out}/summary.csv`)).toBe(false);

      const resumed = await audit(args);
      expect(resumed.code, resumed.stderr).toBe(3);
      expect(resumed.stderr).toMatch(/resuming: [1-5] site\(s\) already done/);
      expect(summaryOf(out)).toEqual(summaryOf(whole));
      expect(finished(out).sort()).toEqual(finished(whole).sort());
    });

    it('gives the same summary from two shards merged', { timeout: 240_000 }, async () => {
      const shards = [0, 1].map((i) => tmpDir(`sweep-${browser}-shard-${i}`));
      for (const [i, out] of shards.entries()) {
        const run = await audit([...common(browser), '--out', out, '--urls', list, '--shard', `${i}/2`]);
        expect([0, 3], run.stderr).toContain(run.code);
      }
      expect(finished(shards[0]!).length + finished(shards[1]!).length).toBe(listed);
      const merged = tmpDir(`sweep-${browser}-merged`);
      const run = await audit(['merge', '--out', merged, ...shards]);
      expect(run.code, run.stderr).toBe(0);
      expect(summaryOf(merged)).toEqual(summaryOf(whole));
    });

    it("exits 1 when a site's findings reach --fail-on, and 0 when none does", { timeout: 120_000 }, async () => {
      const one = `${tmpDir('sweep-list')}/one.txt`;
      writeFileSync(one, server.url(CNP));
      const high = await audit([
        ...common(browser),
        '--out',
        tmpDir('sweep-fail-on'),
        '--urls',
        one,
        '--fail-on',
        'high',
      ]);
      expect(high.code, high.stderr).toBe(1);
      expect(high.stderr).toContain('findings at or above high.');
      const calm = await audit([...common(browser), '--out', tmpDir('sweep-fail-on'), '--urls', one]);
      expect(calm.code, calm.stderr).toBe(0);
    });
  });
}

// A site that never answers takes the whole site time limit: both browsers wait at the same time.
it(
  'fails a site that never finishes loading at the site time limit, and goes on, in both browsers',
  { timeout: 120_000 },
  async () => {
    const port = (silent.address() as { port: number }).port;
    const slow = `${tmpDir('sweep-list')}/slow.txt`;
    writeFileSync(slow, [`http://silent.test:${port}/`, server.url(MUTUELLE)].join('\n'));
    const runs = await Promise.all(
      (['chromium', 'firefox'] as const).map(async (browser) => {
        const out = tmpDir(`sweep-${browser}-silent`);
        const run = await audit([
          ...common(browser),
          '--out',
          out,
          '--urls',
          slow,
          '--timeout',
          '100000',
          '--site-timeout',
          '30000',
        ]);
        return { browser, out, run };
      }),
    );
    for (const { browser, out, run } of runs) {
      expect(run.code, `${browser}: ${run.stderr}`).toBe(3);
      const rows = summaryOf(out)[0]!.trimEnd().split('\r\n').slice(1);
      expect(rows[0], browser).toMatch(
        /^"http:\/\/silent\.test:\d+\/","failed","not done within the site time limit \(30000 ms\)"/,
      );
      expect(rows[1], browser).toMatch(/"audited"/);
    }
  },
);

describe('sweep usage', () => {
  it('exits 2 when the list cannot be read', async () => {
    const missing = await audit(['--no-build', '--urls', '/nonexistent.txt', '--out', tmpDir('sweep-missing')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--urls /nonexistent.txt: cannot read it (ENOENT).');
  });

  it('reads the list from standard input with -, and reports its bad lines', async () => {
    const out = tmpDir('sweep-stdin');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'cli/audit.ts', '--no-build', '--urls', '-', '--out', out],
      {
        cwd: ROOT,
        stdio: ['pipe', 'ignore', 'ignore'],
      },
    );
    child.stdin.end('ftp://files.example/\nnot a url\n');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(3);
    expect(summaryOf(out)[0]!.trimEnd().split('\r\n').slice(1)).toEqual([
      '"ftp://files.example/","rejected","line 1: not http(s) (ftp:)"',
      '"not a url","rejected","line 2: not a URL"',
    ]);
  });
});
