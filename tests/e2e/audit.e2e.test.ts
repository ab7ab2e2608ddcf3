import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditReportSchema, type AuditReport } from '../../lib/export/report-schema';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { AMEX, CNP } from './fixtures/sites';
import { ROOT, runAudit as audit } from './support/audit-command';
import { makeTmpDir, removeTmpDir } from './support/tmp';

/** `npm run audit` as a child process against the fixture sites, in both browsers, exit codes included. */

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const reportsIn = (dir: string) => readdirSync(dir).sort();
const json = (dir: string, file: string) => JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as AuditReport;
const stamp = String.raw`\d{8}-\d{6}`;

const scratch: string[] = [];
const tmpDir = (prefix: string) => {
  const dir = makeTmpDir(prefix);
  scratch.push(dir);
  return dir;
};

let server: FixtureServer;
let catalogueFile: string;
let invalidCatalogueFile: string;
beforeAll(async () => {
  server = await startFixtureServer();
  const dir = tmpDir('audit-catalogues');
  // The Extranet catalogue names no site: under another id (a bundled id cannot be imported), bound by --catalogue.
  const extranet = JSON.parse(
    readFileSync(`${ROOT}lib/catalogue/bundled/europ-assistance-extranet-partenaires.json`, 'utf8'),
  ) as { id: string };
  catalogueFile = `${dir}/extranet.json`;
  writeFileSync(catalogueFile, JSON.stringify({ ...extranet, id: 'extranet-copy' }));
  invalidCatalogueFile = `${dir}/invalid.json`;
  writeFileSync(invalidCatalogueFile, JSON.stringify({ id: 'broken' }));
});
afterAll(async () => {
  await server?.close();
  scratch.forEach(removeTmpDir);
});

for (const browser of ['chromium', 'firefox'] as const) {
  describe(browser, () => {
    const common = () => [
      '--browser',
      browser,
      '--no-build',
      '--insecure',
      ...server.hosts.flatMap((h) => ['--resolve', `${h}=127.0.0.1`]),
    ];

    it(
      'audits both fixture sites with --catalogue, writes three reports each and exits 1 with --fail-on high',
      { timeout: 120_000 },
      async () => {
        const out = tmpDir(`audit-${browser}`);
        const run = await audit([
          ...common(),
          '--out',
          out,
          '--catalogue',
          catalogueFile,
          '--fail-on',
          'high',
          server.url(CNP),
          server.url(AMEX),
        ]);
        expect(run.stderr).toContain('catalogue extranet-copy');
        expect(run.code, run.stderr).toBe(1);

        const files = reportsIn(out);
        expect(files).toHaveLength(6);
        for (const host of [CNP, AMEX]) {
          for (const ext of ['json', 'csv', 'html'])
            expect(
              files.some((f) => new RegExp(`^${host.replaceAll('.', '\\.')}-${stamp}\\.${ext}$`).test(f)),
              `${host}.${ext}`,
            ).toBe(true);
          const report = json(
            out,
            files.find((f) => f.startsWith(host) && f.endsWith('.json'))!,
          );
          expect(v.safeParse(AuditReportSchema, report).issues).toBeUndefined();
          expect(report.browser.name).toBe(browser === 'firefox' ? 'Firefox' : 'Chromium');
          expect(report.visits[0]!.topHost).toBe(host);
          expect(report.visits[0]!.catalogueIds).toContain('extranet-copy');
          expect(report.catalogues.map((c) => c.id)).toContain('extranet-copy');
          // Without --consent too, the visit's consent: its timeline, and CNP's TC_PRIVACY its vendor script writes
          // in a format that is not the platform's, by name and reason.
          expect(report.visits[0]!.consent).toEqual(expect.any(Array));
          expect(report.visits[0]!.consentProblems!.map((p) => [p.platform, p.name, p.reason])).toEqual(
            host === CNP ? [['commanders-act', 'TC_PRIVACY', 'malformed']] : [],
          );

          const row = run.stdout
            .split('\n')
            .find((line) => line.startsWith(`${host} `))!
            .trim()
            .split(/\s+/);
          const declared = report.cookies.filter((c) => c.declared).length;
          const { high, medium, low, info } = report.summary.bySeverity;
          expect(row).toEqual([
            host,
            ...[report.cookies.length, declared, report.cookies.length - declared, high, medium, low, info].map(String),
          ]);
        }
        expect(run.stdout.split('\n')[0]).toMatch(
          /^site\s+cookies\s+declared\s+undeclared\s+high\s+medium\s+low\s+info$/,
        );
        expect(
          json(
            out,
            files.find((f) => f.startsWith(CNP) && f.endsWith('.json'))!,
          ).summary.bySeverity.high,
        ).toBeGreaterThan(0);
        expect(readFileSync(`${out}/${files.find((f) => f.endsWith('.csv'))}`, 'utf8')).toMatch(
          /^\uFEFF"Visit","Severity"/,
        );
      },
    );

    it('exits 0 without --fail-on, in French with --lang fr', { timeout: 120_000 }, async () => {
      const out = tmpDir(`audit-${browser}`);
      const run = await audit([...common(), '--out', out, '--lang', 'fr', server.url(CNP)]);
      expect(run.code, run.stderr).toBe(0);
      const csv = reportsIn(out).find((f) => f.endsWith('.csv'))!;
      expect(readFileSync(`${out}/${csv}`, 'utf8')).toMatch(/^\uFEFF"Visite","Gravité"/);
      expect(readFileSync(`${out}/${csv.replace(/csv$/, 'html')}`, 'utf8')).toContain('<html lang="fr">');
    });

    it('exits 3 when a URL cannot be reached, printing no token of its address', { timeout: 120_000 }, async () => {
      const out = tmpDir(`audit-${browser}`);
      const origin = `https://unreachable.test:${await closedPort()}`;
      const run = await audit([
        ...common(),
        '--resolve',
        'unreachable.test=127.0.0.1',
        '--out',
        out,
        `${origin}/s/3f9a1c2e7b4d5a6f/espace?token=SECRET-TOKEN#frag-SECRET`,
      ]);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toContain(`[1/1] ${origin}/s/…/espace not audited: `);
      expect(run.stdout).toMatch(/^unreachable\.test(\s+-){7}$/m);
      // Not in the progress lines, nor in the browser's own words for the error.
      for (const printed of [run.stderr, run.stdout]) {
        expect(printed).not.toContain('SECRET');
        expect(printed).not.toContain('3f9a1c2e7b4d5a6f');
      }
      expect(reportsIn(out)).toEqual([]);
    });

    it('exits 2 when the browser is not where --browser-path says', async () => {
      const run = await audit(['--browser', browser, '--browser-path', '/nonexistent', server.url(CNP)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--browser-path /nonexistent: no such file.');
      expect(run.stdout).toBe('');
    });
  });
}

describe('usage and setup errors', () => {
  it('exits 2 on an unknown option, and 0 on --help', async () => {
    const bad = await audit(['--frobnicate', server.url(CNP)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--frobnicate'[\s\S]*--help/);
    const help = await audit(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run audit -- \[options\] <url>/);
  });

  it("exits 2 with the extension's own words on an invalid --catalogue", { timeout: 120_000 }, async () => {
    const run = await audit(['--no-build', '--catalogue', invalidCatalogueFile, server.url(CNP)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--catalogue ${invalidCatalogueFile}: The file is not a valid catalogue`);
    const missing = await audit(['--no-build', '--catalogue', '/nonexistent.json', server.url(CNP)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--catalogue /nonexistent.json: cannot read it (ENOENT).');
  });
});
