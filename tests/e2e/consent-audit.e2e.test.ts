import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../lib/export/csv';
import { AuditReportSchema, type AuditReport } from '../../lib/export/report-schema';
import { amexConsent, meubles, type ConsentSite, type Scenario } from './fixtures/consent-sites';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { amex, MUTUELLE } from './fixtures/sites';
import { ROOT, runAudit } from './support/audit-command';
import { makeTmpDir, removeTmpDir } from './support/tmp';

/**
 * `npm run audit -- --consent none,refuse,accept` as a person runs it, in both browsers, on the consent fixture sites
 * (docs/e2e-fixtures.md): each scenario in a fresh profile, the banner answered by the engine, the next page followed.
 */

const CONSENT_KINDS = [
  'set-before-consent',
  'set-after-refusal',
  'exemption-conditions-not-met',
  'consent-state-unknown',
  'refusal-harder-than-acceptance',
];
/** Three browsers one after the other, each loading two pages and waiting for the banner engine. */
const AUDIT_TIMEOUT_MS = 170_000;
const audit = (args: string[]) => runAudit(args, AUDIT_TIMEOUT_MS);

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

/** The report files of one URL, and the JSON report. */
function reportsOf(out: string, host: string) {
  const files = readdirSync(out).sort();
  expect(files.map((f) => f.replace(/-\d{8}-\d{6}/, ''))).toEqual([`${host}.csv`, `${host}.html`, `${host}.json`]);
  const text = (ext: string) => readFileSync(`${out}/${files.find((f) => f.endsWith(ext))}`, 'utf8');
  const report = JSON.parse(text('.json')) as AuditReport;
  expect(v.safeParse(AuditReportSchema, report).issues).toBeUndefined();
  return { report, text };
}

/** The consent findings of a scenario, as `kind name` (the name empty for a finding about the banner). */
function consentFindings(report: AuditReport, scenario: Scenario): string[] {
  const visitId = report.scenarios.find((s) => s.name === scenario)!.visitId;
  return report.findings
    .filter((f) => f.visitId === visitId && CONSENT_KINDS.includes(f.kind))
    .map((f) => `${f.kind} ${f.cookie.observed ? f.cookie.name : ''}`.trim())
    .sort();
}

function expected(site: ConsentSite, scenario: Scenario): string[] {
  return site.findings[scenario]
    .flatMap((f) => (f.names.length ? f.names.map((n) => `${f.kind} ${n}`) : [f.kind]))
    .sort();
}

const browserArgs = (browser: 'chromium' | 'firefox') => [
  '--browser',
  browser,
  '--no-build',
  '--insecure',
  '--settle',
  '1000',
  ...server.hosts.flatMap((h) => ['--resolve', `${h}=127.0.0.1`]),
];

for (const browser of ['chromium', 'firefox'] as const) {
  describe(browser, () => {
    const common = () => browserArgs(browser);

    it(
      'runs the three scenarios on AMEX in fresh profiles, answers its banner, follows its next page, and finds refusing harder',
      { timeout: AUDIT_TIMEOUT_MS + 10_000 },
      async () => {
        const out = tmpDir(`consent-audit-${browser}`);
        const run = await audit([...common(), '--consent', 'none,refuse,accept', '--out', out, server.url(amex.host)]);
        expect(run.code, run.stderr).toBe(0);
        const { report, text } = reportsOf(out, amex.host);

        const [none, refuse, accept] = report.scenarios;
        expect(report.scenarios.map((s) => [s.name, s.status])).toEqual([
          ['none', 'run'],
          ['refuse', 'run'],
          ['accept', 'run'],
        ]);
        expect(none!.banner).toMatchObject({ status: 'detected', action: null });
        expect(refuse!.banner).toMatchObject({ status: 'answered', action: 'opt-out' });
        expect(accept!.banner).toMatchObject({ status: 'answered', action: 'opt-in' });
        expect(refuse!.banner!.clicks!).toBeGreaterThan(accept!.banner!.clicks!);

        // Three visits, one a scenario, each with the page followed after the banner's outcome.
        expect(new Set(report.scenarios.map((s) => s.visitId)).size).toBe(3);
        expect(report.visits.map((visit) => visit.id).sort()).toEqual(report.scenarios.map((s) => s.visitId).sort());
        for (const scenario of report.scenarios) {
          expect(scenario.followed).toEqual([server.url(amex.host, amexConsent.nextPage)]);
          expect(scenario.pageUrls).toContain(server.url(amex.host, amexConsent.nextPage));
        }
        expect(run.stderr).toContain(`refuse: following ${server.url(amex.host, amexConsent.nextPage)}`);

        // The choice is in the timeline where it was made, and only there.
        const choices = (name: Scenario) =>
          report.scenarios.find((s) => s.name === name)!.consent.map((change) => change.choice);
        expect(choices('refuse')).toContain('refused');
        expect(choices('accept').some((c) => c === 'accepted-all' || c === 'accepted-part')).toBe(true);
        expect(choices('none').filter((c) => c !== 'no-choice')).toEqual([]);
        // Fresh profiles: no scenario found a cookie already in its jar when its visit began.
        for (const cookie of report.cookies) expect(cookie.firstWrite.by, cookie.name).not.toBe('jar');

        expect(consentFindings(report, 'refuse')).toContain('refusal-harder-than-acceptance');
        for (const name of ['none', 'accept'] as const)
          expect(consentFindings(report, name)).not.toContain('refusal-harder-than-acceptance');

        const lines = run.stdout.split('\n');
        expect(lines[0]).toBe(amex.host);
        expect(lines[1]).toMatch(/^scenario +cookies +findings\b.* banner$/);
        expect(lines.slice(2, 5).map((line) => line.split(/\s+/)[0])).toEqual(['none', 'refuse', 'accept']);

        const csv = parseCsv(text('.csv'));
        expect(csv[0]!.at(-1)).toBe('Scenario');
        expect(
          csv
            .slice(1)
            .find((row) => row[2] === 'refusal-harder-than-acceptance')
            ?.at(-1),
        ).toBe('refuse');
        expect(text('.html')).toContain('<h2>Consent scenarios</h2>');

        // No cookie value anywhere.
        const values = [...amex.cookies.map((c) => c.value), ...amexConsent.tags.map((t) => t.value)];
        for (const ext of ['.json', '.csv', '.html'])
          for (const value of values) expect(text(ext)).not.toContain(value);
      },
    );

    it(
      'reports what a site sets before the choice and after a refusal, per scenario',
      { timeout: AUDIT_TIMEOUT_MS + 10_000 },
      async () => {
        const out = tmpDir(`consent-audit-${browser}`);
        const run = await audit([
          ...common(),
          '--consent',
          'none,refuse,accept',
          '--catalogue',
          `${ROOT}tests/e2e/fixtures/catalogues/${meubles.catalogue}`,
          '--out',
          out,
          server.url(meubles.host),
        ]);
        expect(run.code, run.stderr).toBe(0);
        const { report, text } = reportsOf(out, meubles.host);
        expect(report.scenarios.map((s) => s.status)).toEqual(['run', 'run', 'run']);
        // Accepting too: the engine answers about a second after the load, and what the page set on load before its
        // banner showed was still set before consent (lib/audit/consent-findings.ts, stateAtWrite).
        for (const scenario of ['none', 'refuse', 'accept'] as const)
          expect(consentFindings(report, scenario), scenario).toEqual(expected(meubles, scenario));
        // _fbp: seen only once the banner was answered; with set-after-refusal in the refuse column.
        const row = text('.html').match(/<tr><td><code>_fbp<\/code>[^\n]*<\/tr>/)?.[0] ?? '';
        const cells = [...row.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
        expect(cells[1]).toBe('not seen');
        expect(cells[2]).toContain('set-after-refusal');
        for (const value of [...meubles.tags.map((t) => t.value), meubles.sessionCookie!.value])
          expect(text('.json')).not.toContain(value);
      },
    );
  });
}

// The engine says a page has no banner it knows only about a minute after the load: both browsers wait at the same time.
it(
  'reports "banner not recognised: scenario not run" on a site without a banner, and exits 3 when no scenario ran, in both browsers',
  { timeout: AUDIT_TIMEOUT_MS + 10_000 },
  async () => {
    const runs = await Promise.all(
      (['chromium', 'firefox'] as const).map(async (browser) => {
        const out = tmpDir(`consent-audit-${browser}`);
        const run = await audit([...browserArgs(browser), '--consent', 'refuse', '--out', out, server.url(MUTUELLE)]);
        return { browser, out, run };
      }),
    );
    for (const { browser, out, run } of runs) {
      expect(run.code, `${browser}: ${run.stderr}`).toBe(3);
      expect(run.stderr, browser).toContain('refuse: banner not recognised: scenario not run');
      expect(run.stdout, browser).toContain(`${MUTUELLE}: not audited`);
      expect(readdirSync(out), browser).toEqual([]);
    }
  },
);

describe('consent audit setup errors', () => {
  it('exits 2 on a --consent-rules file that is not JSON or not rules, before starting a browser', async () => {
    const dir = tmpDir('consent-rules');
    writeFileSync(`${dir}/broken.json`, '[{"name": ');
    writeFileSync(`${dir}/object.json`, '{"rules": true}');
    for (const [file, message] of [
      ['broken.json', 'The consent rules are not valid JSON'],
      ['object.json', 'The consent rules are not in autoconsent’s format'],
    ]) {
      const run = await audit([
        '--no-build',
        '--browser-path',
        '/nonexistent',
        '--consent',
        'none,refuse,accept',
        '--consent-rules',
        `${dir}/${file}`,
        server.url(amex.host),
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--consent-rules ${dir}/${file}: ${message}`);
      expect(run.stderr).not.toContain('/nonexistent');
    }
  });
});
