import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../lib/export/csv';
import { AuditReportSchema, type AuditReport } from '../../lib/export/report-schema';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { CNP, cnp, MUTUELLE } from './fixtures/sites';
import { runAudit as audit } from './support/audit-command';
import { makeTmpDir, removeTmpDir } from './support/tmp';

/**
 * `npm run audit -- --consent none,refuse,accept` as a person runs it, in both browsers, on the CNP fixture site and
 * its consent banner: each scenario in a fresh profile, the banner answered by the engine, a second page followed.
 */

const scratch: string[] = [];
const tmpDir = (prefix: string) => {
  const dir = makeTmpDir(prefix);
  scratch.push(dir);
  return dir;
};

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
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
      '--settle',
      '1000',
      ...server.hosts.flatMap((h) => ['--resolve', `${h}=127.0.0.1`]),
    ];

    it(
      'runs the three scenarios in fresh profiles, answers the banner, follows a page and reports each scenario',
      { timeout: 180_000 },
      async () => {
        const out = tmpDir(`consent-audit-${browser}`);
        const run = await audit([...common(), '--consent', 'none,refuse,accept', '--out', out, server.url(CNP)]);
        expect(run.code, run.stderr).toBe(0);

        const files = readdirSync(out).sort();
        expect(files.map((f) => f.replace(/-\d{8}-\d{6}/, ''))).toEqual([`${CNP}.csv`, `${CNP}.html`, `${CNP}.json`]);
        const text = (ext: string) => readFileSync(`${out}/${files.find((f) => f.endsWith(ext))}`, 'utf8');
        const report = JSON.parse(text('.json')) as AuditReport;
        expect(v.safeParse(AuditReportSchema, report).issues).toBeUndefined();

        const [none, refuse, accept] = report.scenarios;
        expect(report.scenarios.map((s) => [s.name, s.status])).toEqual([
          ['none', 'run'],
          ['refuse', 'run'],
          ['accept', 'run'],
        ]);
        expect(refuse!.banner).toMatchObject({ status: 'answered', action: 'opt-out', rule: expect.any(String) });
        expect(accept!.banner).toMatchObject({ status: 'answered', action: 'opt-in', rule: expect.any(String) });
        expect(none!.banner?.action ?? null).toBeNull();

        // Three visits, one per scenario, each with the page followed after the banner's outcome.
        expect(new Set(report.scenarios.map((s) => s.visitId)).size).toBe(3);
        expect(report.visits.map((visit) => visit.id).sort()).toEqual(report.scenarios.map((s) => s.visitId).sort());
        for (const scenario of report.scenarios) {
          expect(scenario.followed).toEqual([server.url(CNP, '/policy')]);
          expect(scenario.pageUrls).toContain(server.url(CNP, '/policy'));
        }

        // The choice is in each timeline, and only where it was made.
        const choices = (s: typeof none) => s!.consent.map((change) => change.choice);
        expect(choices(refuse)).toContain('refused');
        expect(choices(accept).some((c) => c === 'accepted-all' || c === 'accepted-part')).toBe(true);
        expect(choices(none).filter((c) => c !== 'no-choice')).toEqual([]);

        // Fresh profiles: no scenario found a cookie already in its jar when its visit began.
        for (const cookie of report.cookies) expect(cookie.firstWrite.by, cookie.name).not.toBe('jar');

        const lines = run.stdout.split('\n');
        expect(lines[0]).toBe(CNP);
        expect(lines[1]).toMatch(/^scenario +cookies +findings\b.* banner$/);
        expect(lines.slice(2, 5).map((line) => line.split(/\s+/)[0])).toEqual(['none', 'refuse', 'accept']);
        expect(run.stderr).toContain(`refuse: following ${server.url(CNP, '/policy')}`);

        const csv = parseCsv(text('.csv'));
        expect(csv[0]!.at(-1)).toBe('Scenario');
        expect(new Set(csv.slice(1).map((row) => row.at(-1)))).toEqual(
          new Set(report.findings.map((f) => report.scenarios.find((s) => s.visitId === f.visitId)!.name)),
        );
        const html = text('.html');
        expect(html).toContain('<h2>Consent scenarios</h2>');

        // No cookie value anywhere.
        for (const { value } of cnp.cookies)
          for (const ext of ['.json', '.csv', '.html']) expect(text(ext)).not.toContain(value);
      },
    );

    it(
      'reports "banner not recognised: scenario not run" on a site without a banner, and exits 3 when no scenario ran',
      { timeout: 180_000 },
      async () => {
        const out = tmpDir(`consent-audit-${browser}`);
        const run = await audit([...common(), '--consent', 'refuse,accept', '--out', out, server.url(MUTUELLE)]);
        expect(run.code, run.stderr).toBe(3);
        expect(run.stderr).toContain('refuse: banner not recognised: scenario not run');
        expect(run.stderr).toContain('accept: banner not recognised: scenario not run');
        expect(readdirSync(out)).toEqual([]);
      },
    );
  });
}

describe('consent audit setup errors', () => {
  it('exits 2 on a --consent-rules file that is not JSON or not rules, before starting a browser', async () => {
    const dir = tmpDir('consent-rules');
    writeFileSync(`${dir}/broken.json`, '[{"name": ');
    writeFileSync(`${dir}/object.json`, '{"rules": true}');
    for (const file of ['broken.json', 'object.json']) {
      const run = await audit([
        '--no-build',
        '--browser-path',
        '/nonexistent',
        '--consent',
        'none,refuse,accept',
        '--consent-rules',
        `${dir}/${file}`,
        server.url(CNP),
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--consent-rules ${dir}/${file}: `);
      expect(run.stderr).not.toContain('/nonexistent');
    }
  });
});
