import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../lib/export/report-schema';
import { BROWSER, cnp, cnpVisit } from '../../tests/support/export-visits';
import { parseAuditArgs, type AuditOptions } from '../args';
import { SetupError } from '../browsers';
import type { Io } from '../context';
import { auditScenarios, consentAudit, type ScenarioLauncher } from './audit';
import type { BannerMode, BannerOutcome } from './engine';

const PAGE = 'https://monespaceclient.cnp.fr/';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const scratch = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'consent-audit-'));
  dirs.push(dir);
  return dir;
};

function optionsOf(argv: string[]): AuditOptions {
  const parsed = parseAuditArgs(argv);
  if (!('options' in parsed)) throw new Error(JSON.stringify(parsed));
  return parsed.options;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: Io = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    env: {},
    now: () => Date.UTC(2026, 10, 24, 9, 0, 0),
  };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

const answered = (action: 'opt-out' | 'opt-in', clicks: number): BannerOutcome => ({
  status: 'answered',
  rule: 'Commanders Act',
  action,
  clicks,
  at: Date.UTC(2026, 10, 24, 9, 0, 1),
});
const notRecognised: BannerOutcome = { status: 'not-recognised', rule: null, action: null, clicks: null, at: 1 };

/** Launches fake browsers whose engine answers per mode, each visit a new one; counts the browsers still open. */
function launcher(outcomes: Partial<Record<BannerMode, BannerOutcome>>) {
  let launched = 0;
  let open = 0;
  const launch: ScenarioLauncher = async () => {
    const n = ++launched;
    open++;
    let mode: BannerMode = 'off';
    return {
      info: BROWSER,
      catalogues: [cnp],
      browser: {
        setBannerMode: async (m) => void (mode = m),
        openTab: async () => ({
          load: async () => {},
          idle: async () => {},
          bannerOutcome: async () => outcomes[mode] ?? notRecognised,
          links: async () => ({ url: PAGE, anchors: [{ href: `${PAGE}policy`, download: false }] }),
          report: async () => cnpVisit(`visit-${n}`),
          close: async () => {},
        }),
        close: async () => void open--,
      },
    };
  };
  return { launch, launched: () => launched, open: () => open };
}

const ALL = {
  detect: { ...answered('opt-in', 0), action: null, clicks: null },
  refuse: answered('opt-out', 3),
  accept: answered('opt-in', 1),
};

describe('auditScenarios', () => {
  it('runs every scenario in its own browser, writes one report of them all, prints a line per scenario, exits 0', async () => {
    const out = scratch();
    const fake = launcher(ALL);
    const run = io();
    const code = await auditScenarios(
      optionsOf(['--consent', 'none,refuse,accept', '--out', out, '--settle', '0', PAGE]),
      run.io,
      fake.launch,
      '0.2.0',
    );
    expect(code, run.err()).toBe(0);
    expect([fake.launched(), fake.open()]).toEqual([3, 0]);
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      'monespaceclient.cnp.fr-20261124-090000.csv',
      'monespaceclient.cnp.fr-20261124-090000.html',
      'monespaceclient.cnp.fr-20261124-090000.json',
    ]);
    const report = JSON.parse(readFileSync(path.join(out, files[2]!), 'utf8')) as AuditReport;
    expect(report.scenarios.map((s) => [s.name, s.status, s.banner?.clicks ?? null])).toEqual([
      ['none', 'run', null],
      ['refuse', 'run', 3],
      ['accept', 'run', 1],
    ]);
    expect(report.scenarios.map((s) => s.followed)).toEqual([[`${PAGE}policy`], [`${PAGE}policy`], [`${PAGE}policy`]]);
    expect(report.visits).toHaveLength(3);
    // Refusing took 3 clicks, accepting 1: the finding is the refuse scenario's, and only its.
    const harder = report.findings.filter((f) => f.kind === 'refusal-harder-than-acceptance');
    expect(harder.map((f) => f.visitId)).toEqual([report.scenarios[1]!.visitId]);
    expect(harder[0]!.consent?.banner).toEqual({
      site: 'cnp.fr',
      rule: 'Commanders Act',
      refuseClicks: 3,
      acceptClicks: 1,
    });
    expect(report.scenarios[1]!.findings.map((f) => f.kind)).toContain('refusal-harder-than-acceptance');
    const lines = run.out().split('\n');
    expect(lines[0]).toBe('monespaceclient.cnp.fr');
    expect(lines[1]).toMatch(/^scenario +cookies +findings +.*banner$/);
    expect(lines[2]).toMatch(/^none +6 +\d+ .*recognised by the rule Commanders Act, left unanswered$/);
    expect(lines[3]).toMatch(/^refuse +6 +\d+ .*answered by the rule Commanders Act \(3 clicks\)$/);
    expect(run.err()).toContain(`[1/1] ${PAGE} refuse: following ${PAGE}policy`);
  });

  it('reports a banner no rule recognised per scenario and exits 0 while one scenario ran', async () => {
    const out = scratch();
    const run = io();
    const code = await auditScenarios(
      optionsOf(['--consent', 'none,refuse,accept', '--out', out, PAGE]),
      run.io,
      launcher({ detect: notRecognised }).launch,
      '0.2.0',
    );
    expect(code).toBe(0);
    expect(run.out()).toMatch(/^refuse +(- +)+banner not recognised: scenario not run$/m);
    expect(run.out()).toMatch(/^accept +(- +)+banner not recognised: scenario not run$/m);
    expect(run.err()).toContain('refuse: banner not recognised: scenario not run');
    expect(readdirSync(out)).toHaveLength(3);
  });

  it('exits 3 when every scenario failed, writing no report', async () => {
    const out = scratch();
    const run = io();
    const code = await auditScenarios(
      optionsOf(['--consent', 'refuse,accept', '--out', out, PAGE]),
      run.io,
      launcher({}).launch,
      '0.2.0',
    );
    expect(code).toBe(3);
    expect(run.err()).toContain('not audited: no scenario could be run.');
    expect(run.out()).toBe('monespaceclient.cnp.fr: not audited (every scenario failed; why is said above)\n');
    expect(run.err()).toContain('accept: banner not recognised: scenario not run');
    expect(readdirSync(out)).toEqual([]);
  });

  it('exits 1 on findings at or above --fail-on, and stops on a setup error', async () => {
    const run = io();
    const argv = ['--consent', 'none', '--out', scratch(), '--fail-on', 'info', PAGE];
    expect(await auditScenarios(optionsOf(argv), run.io, launcher(ALL).launch, '0.2.0')).toBe(1);
    // As easy to refuse as to accept: no finding.
    const even = scratch();
    const evenArgv = ['--consent', 'refuse,accept', '--out', even, PAGE];
    const same = launcher({ ...ALL, refuse: answered('opt-out', 1) });
    expect(await auditScenarios(optionsOf(evenArgv), io().io, same.launch, '0.2.0')).toBe(0);
    const evenReport = JSON.parse(
      readFileSync(
        path.join(
          even,
          readdirSync(even).find((f) => f.endsWith('.json'))!,
        ),
        'utf8',
      ),
    ) as AuditReport;
    expect(evenReport.findings.map((f) => f.kind)).not.toContain('refusal-harder-than-acceptance');
    const refused: ScenarioLauncher = async () => {
      throw new SetupError('--catalogue x.json: not a catalogue');
    };
    await expect(auditScenarios(optionsOf(argv), io().io, refused, '0.2.0')).rejects.toThrow(/not a catalogue/);
  });
});

describe('the addresses a consent audit prints', () => {
  it('are cut as a report keeps them: no token, session id or fragment in its lines, its table or its report', async () => {
    const origin = 'https://monespaceclient.cnp.fr';
    const page = `${origin}/s/3f9a1c2e7b4d5a6f/espace?token=SECRET-TOKEN#frag-SECRET`;
    const link = `${origin}/contrats/9f8e7d6c5b4a39281706?session=SECRET-SESSION#SECRET-FRAGMENT`;
    const launch: ScenarioLauncher = async () => {
      let mode: BannerMode = 'off';
      return {
        info: BROWSER,
        catalogues: [cnp],
        browser: {
          setBannerMode: async (m) => void (mode = m),
          openTab: async () => ({
            // Each browser's words for a page it could not load, address and all.
            load: async (url) => {
              if (mode === 'accept') throw new Error(`NS_ERROR_NET_RESET at ${url}`);
              if (url.includes('/contrats/')) throw new Error(`net::ERR_ABORTED at ${url}; navigating to "${url}"`);
            },
            idle: async () => {},
            bannerOutcome: async () => ALL[mode as keyof typeof ALL] ?? notRecognised,
            links: async () => ({ url: page, anchors: [{ href: link, download: false }] }),
            report: async () => cnpVisit(`visit-${mode}`),
            close: async () => {},
          }),
          close: async () => {},
        },
      };
    };
    const out = scratch();
    const run = io();
    const options = optionsOf(['--consent', 'none,refuse,accept', '--out', out, page]);
    expect(await auditScenarios(options, run.io, launch, '0.2.0')).toBe(0);
    const printed = run.err() + run.out();
    const written = readdirSync(out).map((file) => readFileSync(path.join(out, file), 'utf8'));
    for (const text of [printed, ...written]) {
      expect(text).not.toContain('SECRET');
      expect(text).not.toContain('3f9a1c2e7b4d5a6f');
      expect(text).not.toContain('9f8e7d6c5b4a39281706');
    }
    expect(run.err()).toContain(`[1/1] ${origin}/s/…/espace refuse: following ${origin}/contrats/…`);
    expect(run.err()).toContain(
      `refuse: could not load ${origin}/contrats/…: net::ERR_ABORTED at ${origin}/contrats/…; navigating to "${origin}/contrats/…"`,
    );
    expect(run.err()).toContain(`accept: not run: NS_ERROR_NET_RESET at ${origin}/s/…/espace`);
    // The scenario's error, as the report keeps it.
    const report = JSON.parse(written.find((text) => text.startsWith('{'))!) as AuditReport;
    expect(report.scenarios[2]!.error).toBe(`NS_ERROR_NET_RESET at ${origin}/s/…/espace`);
  });
});

describe('consentAudit', () => {
  it('refuses a --consent-rules file that is not JSON, or not rules, with exit code 2 before starting a browser', async () => {
    const dir = scratch();
    writeFileSync(`${dir}/broken.json`, '{"name": ');
    writeFileSync(`${dir}/object.json`, '{"rules": true}');
    // A browser path that does not exist: reaching the browser would say so instead.
    for (const [file, message] of [
      ['broken.json', /--consent-rules .*broken\.json: The consent rules are not valid JSON/],
      ['object.json', /--consent-rules .*object\.json: The consent rules are not in autoconsent’s format/],
      ['missing.json', /--consent-rules .*missing\.json: cannot read it \(ENOENT\)/],
    ] as const) {
      const run = io();
      const options = optionsOf([
        '--consent',
        'none',
        '--consent-rules',
        `${dir}/${file}`,
        '--browser-path',
        `${dir}/no-browser`,
        PAGE,
      ]);
      expect(await consentAudit(options, run.io)).toBe(2);
      expect(run.err()).toMatch(message);
      expect(run.err()).not.toContain('no-browser');
    }
  });
});
