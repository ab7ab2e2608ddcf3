import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../lib/export/report-schema';
import { scenarioReport } from '../tests/support/scenario-report';
import { fileStamp, reaches, reportBase, scenarioTable, summaryRow, summaryTable } from './summary';

const at = Date.UTC(2026, 10, 24, 9, 30, 5, 900);

describe('report file names', () => {
  it('stamp the UTC time of the export to the second', () => {
    expect(fileStamp(at)).toBe('20261124-093005');
    expect(reportBase('reports/', 'amex.europ-assistance.fr', at, () => false)).toBe(
      'reports/amex.europ-assistance.fr-20261124-093005',
    );
  });

  it('never overwrite a report of the same host written the same second', () => {
    const taken = new Set(['out/a.example-20261124-093005', 'out/a.example-20261124-093005-2']);
    expect(reportBase('out', 'a.example', at, (base) => taken.has(base))).toBe('out/a.example-20261124-093005-3');
  });
});

function report(severities: Array<'high' | 'medium' | 'low' | 'info'>, declared: boolean[]): AuditReport {
  const bySeverity = { high: 0, medium: 0, low: 0, info: 0 };
  for (const s of severities) bySeverity[s]++;
  return {
    cookies: declared.map((d) => ({ declared: d ? {} : null })),
    findings: severities.map((severity) => ({ severity })),
    summary: { bySeverity },
  } as unknown as AuditReport;
}

describe('summary', () => {
  it('counts cookies, declared or not, and findings by severity, in a table', () => {
    const rows = [
      summaryRow('monespaceclient.cnp.fr', report(['high', 'info', 'info'], [true, true, false])),
      { site: 'down.example', counts: null },
    ];
    expect(summaryTable(rows)).toBe(
      [
        'site                    cookies  declared  undeclared  high  medium  low  info',
        'monespaceclient.cnp.fr        3         2           1     1       0    0     2',
        'down.example                  -         -           -     -       -    -     -',
      ].join('\n'),
    );
  });

  it('knows when a finding reaches the --fail-on threshold', () => {
    const medium = report(['medium', 'info'], []);
    expect(reaches(medium, 'high')).toBe(false);
    expect(reaches(medium, 'medium')).toBe(true);
    expect(reaches(medium, 'info')).toBe(true);
    expect(reaches(medium, 'none')).toBe(false);
    expect(reaches(report([], []), 'info')).toBe(false);
  });
});

describe('scenarioTable', () => {
  it('has a line per scenario: cookies, findings by kind found in any scenario, and what the banner came to', async () => {
    const report = await scenarioReport();
    const lines = scenarioTable(report).split('\n');
    const header = lines[0]!.split(/\s+/);
    expect(header.slice(0, 3)).toEqual(['scenario', 'cookies', 'findings']);
    expect(header.at(-1)).toBe('banner');
    const kinds = header.slice(3, -1);
    expect(kinds).toContain('undeclared');
    expect(kinds).not.toContain('policy-lists-no-cookies');
    const refuse = report.scenarios[1]!.summary!;
    expect(lines[2]!.split(/\s+/).slice(0, 3 + kinds.length)).toEqual([
      'refuse',
      String(refuse.cookies),
      String(refuse.findings),
      ...kinds.map((kind) => String(refuse.byKind[kind as keyof typeof refuse.byKind])),
    ]);
    expect(lines[2]).toMatch(/ answered by the rule Commanders Act \(2 clicks\)$/);
    expect(lines[3]).toMatch(/^accept +(- +)+banner not recognised: scenario not run$/);
    expect(scenarioTable(report, 'fr').split('\n')[3]).toMatch(/bandeau non reconnu : scénario non joué$/);
    report.scenarios[1]!.banner!.clicks = 1;
    expect(scenarioTable(report).split('\n')[2]).toMatch(/ answered by the rule Commanders Act \(1 click\)$/);
  });
});
