import type { AuditReport } from '../lib/export/report-schema';
import { FINDING_KINDS, SEVERITIES, SEVERITY_ORDER, type Severity } from '../lib/audit/findings';
import { bannerText } from '../lib/export/scenario-text';
import type { Language } from '../lib/strings';

/** "20261124-093005": the UTC time of an export, for file names that sort by time. */
export function fileStamp(at: number): string {
  const iso = new Date(at).toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

/** `<out>/<host>-<stamp>`, with -2, -3… when a report of the same host was already written that second. */
export function reportBase(out: string, host: string, at: number, taken: (base: string) => boolean): string {
  const base = `${out.replace(/[\\/]+$/, '')}/${host.replace(/[^a-z0-9.-]+/gi, '_')}-${fileStamp(at)}`;
  let candidate = base;
  for (let n = 2; taken(candidate); n++) candidate = `${base}-${n}`;
  return candidate;
}

export interface SummaryRow {
  site: string;
  /** null when the URL could not be audited. */
  counts: (Record<'cookies' | 'declared' | 'undeclared', number> & Record<Severity, number>) | null;
}

export function summaryRow(site: string, report: AuditReport): SummaryRow {
  const declared = report.cookies.filter((cookie) => cookie.declared !== null).length;
  return {
    site,
    counts: {
      cookies: report.cookies.length,
      declared,
      undeclared: report.cookies.length - declared,
      ...report.summary.bySeverity,
    },
  };
}

const COLUMNS = ['cookies', 'declared', 'undeclared', ...SEVERITIES] as const;

/** A plain-text table: the site left-aligned, counts right-aligned; "-" for a URL not audited. */
export function summaryTable(rows: readonly SummaryRow[]): string {
  const cells = [
    ['site', ...COLUMNS],
    ...rows.map((row) => [row.site, ...COLUMNS.map((column) => (row.counts ? String(row.counts[column]) : '-'))]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** True when a report has a finding at or above `threshold`. */
export function reaches(report: AuditReport, threshold: Severity | 'none'): boolean {
  if (threshold === 'none') return false;
  return report.findings.some((finding) => SEVERITY_ORDER[finding.severity] <= SEVERITY_ORDER[threshold]);
}

/**
 * A consent audit's scenarios, one a line: cookies and findings, the findings by kind (the kinds found in any
 * scenario), and what the banner came to; "-" for a scenario not run.
 */
export function scenarioTable(report: AuditReport, language: Language = 'en'): string {
  const kinds = FINDING_KINDS.filter((kind) => report.scenarios.some((s) => (s.summary?.byKind[kind] ?? 0) > 0));
  const cells = [
    ['scenario', 'cookies', 'findings', ...kinds, 'banner'],
    ...report.scenarios.map((scenario) => {
      const counts = scenario.summary;
      const count = (n: number | undefined) => (counts ? String(n ?? 0) : '-');
      return [
        scenario.name,
        count(counts?.cookies),
        count(counts?.findings),
        ...kinds.map((kind) => count(counts?.byKind[kind])),
        bannerText(scenario, language),
      ];
    }),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  const last = cells[0]!.length - 1;
  return cells
    .map((line) =>
      line
        .map((cell, i) => (i === 0 || i === last ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
