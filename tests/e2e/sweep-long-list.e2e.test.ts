import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { sweepHost, sweepSiteCookies } from './fixtures/sweep-sites';
import { ROOT } from './support/audit-command';
import { makeTmpDir, removeTmpDir } from './support/tmp';

/**
 * `npm run audit -- --urls` on a list of 100,000 lines, as a crawl's export or a careless concatenation gives:
 * comments, blanks, lines that are no URL, URLs given again, and a few brands to audit, one on the very last line.
 */

const LINES = 100_000;
/** Brands audited: the first three on lines 2 to 4, the fourth on the last line. */
const BRANDS = [1, 2, 3, 4];

interface Rejected {
  line: number;
  text: string;
  reason: string;
}

/** The list, and what its lines must give: the sites' URLs and each rejected line with its reason. */
function longList(server: FixtureServer): { text: string; urls: string[]; rejected: Rejected[] } {
  const urls = BRANDS.map((n) => server.url(sweepHost(n)));
  const firstLineOf = [2, 3, 4];
  const lines = ['# the group’s brands, exported by the CMS', urls[0]!, urls[1]!, urls[2]!];
  const rejected: Rejected[] = [];
  while (lines.length < LINES - 1) {
    const line = lines.length + 1;
    const k = line % 3;
    switch (line % 8) {
      case 0:
        lines.push(`# section ${line}`);
        break;
      case 1:
        lines.push('');
        break;
      case 2:
        lines.push(`marque ${line} (adresse à venir)`);
        rejected.push({ line, text: lines.at(-1)!, reason: 'not a URL' });
        break;
      case 3:
        lines.push(`ftp://fichiers.groupe-exemple.fr/${line}`);
        rejected.push({ line, text: lines.at(-1)!, reason: 'not http(s) (ftp:)' });
        break;
      case 4:
        lines.push(`${urls[k]}#ancre-${line}`);
        // Shown without its fragment, as a report keeps an address.
        rejected.push({ line, text: urls[k]!, reason: `duplicate of line ${firstLineOf[k]}` });
        break;
      case 5:
        lines.push(`  ${urls[k]}   # again`);
        rejected.push({ line, text: urls[k]!, reason: `duplicate of line ${firstLineOf[k]}` });
        break;
      case 6:
        if (line % 1000 === 6) {
          lines.push(`https://${'x'.repeat(3000)}.exemple.fr/`);
          rejected.push({ line, text: `${lines.at(-1)!.slice(0, 200)}…`, reason: 'line too long' });
        } else {
          lines.push(`https://marque ${line}.exemple.fr/`);
          rejected.push({ line, text: lines.at(-1)!, reason: 'not a URL' });
        }
        break;
      default:
        lines.push(`https://[${line}]/`);
        rejected.push({ line, text: lines.at(-1)!, reason: 'not a URL' });
    }
  }
  lines.push(urls[3]!);
  return { text: lines.join('\n'), urls, rejected };
}

/** The peak resident memory (VmHWM, MB) the kernel recorded for a live process; 0 once it is gone. */
function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

let server: FixtureServer;
const scratch: string[] = [];
const tmpDir = (prefix: string) => {
  const dir = makeTmpDir(prefix);
  scratch.push(dir);
  return dir;
};
beforeAll(async () => {
  server = await startFixtureServer({ sweepSites: BRANDS.length });
});
afterAll(async () => {
  await server?.close();
  scratch.forEach(removeTmpDir);
});

it(
  'reads a list of 100,000 lines, reports every line it does not audit with its reason, and audits the rest',
  { timeout: 300_000 },
  async () => {
    const { text, urls, rejected } = longList(server);
    const list = `${tmpDir('sweep-long-list')}/sites.txt`;
    writeFileSync(list, text);
    expect(text.split('\n')).toHaveLength(LINES);
    const out = tmpDir('sweep-long-out');
    const args = [
      '--no-build',
      '--insecure',
      '--settle',
      '500',
      ...server.hosts.flatMap((h) => ['--resolve', `${h}=127.0.0.1`]),
      '--out',
      out,
      '--urls',
      list,
      '--concurrency',
      '2',
    ];
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/audit.ts', ...args], { cwd: ROOT });
    let stderr = '';
    let plannedAfterMs = 0;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!plannedAfterMs && stderr.includes('sweep of ')) plannedAfterMs = performance.now() - started;
    });
    child.stdout.resume();
    const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
    let peak = 0;
    let running = true;
    void exited.then(() => (running = false));
    while (running) {
      peak = Math.max(peak, peakRssMb(child.pid!));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const code = await exited;
    console.log(
      `100,000-line list: planned ${Math.round(plannedAfterMs)} ms after the start (Node and tsx included), ` +
        `swept in ${Math.round(performance.now() - started)} ms, the Node process's peak RSS ${Math.round(peak)} MB`,
    );
    expect(code, stderr).toBe(3);
    expect(stderr).toContain(`sweep of ${urls.length} site(s)`);
    expect(stderr).toContain(`${rejected.length} line(s) of the list not read`);

    const csv = readFileSync(`${out}/summary.csv`, 'utf8').trimEnd().split('\r\n').slice(1);
    const cell = (value: string) => `"${value.replace(/"/g, '""')}"`;
    // Sites first, sorted by URL; then every rejected line, in the list's order, with its line and reason.
    expect(csv.slice(0, urls.length).map((row) => row.split(',').slice(0, 3).join(','))).toEqual(
      [...urls].sort().map((url) => `${cell(url)},"audited",""`),
    );
    expect(csv.slice(urls.length)).toEqual(
      rejected.map((r) => [r.text, 'rejected', `line ${r.line}: ${r.reason}`].map(cell).join(',')),
    );
    const page = readFileSync(`${out}/summary.html`, 'utf8');
    expect(page.split('<tr class="rejected">')).toHaveLength(rejected.length + 1);

    // Each brand's own report holds the cookies its pages and vendors set, and not one value.
    for (const id of readdirSync(`${out}/sites`)) {
      const report = JSON.parse(readFileSync(`${out}/sites/${id}/report.json`, 'utf8')) as {
        cookies: { name: string }[];
      };
      const n = BRANDS.find((b) => id.startsWith(sweepHost(b)))!;
      expect(report.cookies.map((c) => c.name).sort()).toEqual(
        sweepSiteCookies(n)
          .map((c) => c.name)
          .sort(),
      );
      for (const file of ['report.json', 'report.csv', 'report.html'])
        expect(readFileSync(`${out}/sites/${id}/${file}`, 'utf8')).not.toContain('VALUE-');
    }
    expect(readdirSync(`${out}/sites`)).toHaveLength(urls.length);
    // Room for Node, tsx and the list, not for a copy of the list per line or per site.
    expect(peak).toBeLessThan(600);
  },
);
