import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { FINDING_KINDS, SEVERITIES } from '../../lib/audit/findings';
import { html, type Markup } from '../../lib/export/markup';
import type { AuditReport, ReportFinding } from '../../lib/export/report-schema';
import { summaryRow } from '../summary';
import { finishedSites, readRejected, readResult, siteDir, type SiteCounts, type SiteResult } from './store';

export const SUMMARY_FILES = ['summary.csv', 'summary.html', 'findings.jsonl'] as const;

/** The counts of a site's summary row, from its report. */
export function siteCounts(report: AuditReport): SiteCounts {
  const { counts } = summaryRow('', report);
  return {
    cookies: counts!.cookies,
    declared: counts!.declared,
    undeclared: counts!.undeclared,
    findings: report.summary.findings,
    bySeverity: { ...report.summary.bySeverity },
    byKind: { ...report.summary.byKind },
  };
}

/** One line of findings.jsonl: what a finding is and where, never a cookie's value (reports hold none). */
export function findingLine(url: string, finding: ReportFinding): string {
  return JSON.stringify({
    url,
    site: new URL(url).hostname,
    id: finding.id,
    kind: finding.kind,
    severity: finding.severity,
    cookie: finding.cookie.name,
    domain: finding.cookie.domain,
    catalogue: finding.catalogueId,
    entry: finding.entry?.entryId ?? null,
    rule: finding.rule?.ruleId ?? null,
  });
}

const CSV_HEADER = [
  'url',
  'status',
  'reason',
  'cookies',
  'declared',
  'undeclared',
  'findings',
  ...SEVERITIES,
  ...FINDING_KINDS.map((kind) => `kind:${kind}`),
  'report',
];

/** An RFC 4180 field; a leading formula character is neutralised as in the reports' CSV. */
function cell(text: string | number): string {
  const value = String(text);
  const safe = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** A file written line by line to a temp name and renamed when complete, so memory holds one site at a time. */
function lineWriter(file: string) {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w');
  return {
    write: (text: string) => void writeSync(fd, text),
    done: () => {
      closeSync(fd);
      renameSync(temp, file);
    },
  };
}

/**
 * Builds summary.csv, summary.html and findings.jsonl of a sweep folder from the files on disk, one site at a time.
 * Sites are sorted by URL, rejected lines by line number; nothing of the run's time goes in, so the same results
 * give the same bytes, whether they came from one run, a resumed one, or merged shards.
 */
export function writeSweepSummary(out: string): { sites: number; failed: number; rejected: number } {
  const sites = finishedSites(out)
    .map((id) => ({ id, result: readResult(out, id)! }))
    .filter((site) => site.result !== null)
    .map(({ id, result }) => ({ id, url: result.url }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : a.id < b.id ? -1 : 1));
  const rejected = readRejected(out).sort((a, b) => a.line - b.line);

  const csv = lineWriter(path.join(out, 'summary.csv'));
  const jsonl = lineWriter(path.join(out, 'findings.jsonl'));
  const page = lineWriter(path.join(out, 'summary.html'));
  csv.write(`${CSV_HEADER.map(cell).join(',')}\r\n`);
  page.write(HTML_HEAD);
  let failed = 0;
  for (const { id, url } of sites) {
    const result = readResult(out, id)!;
    const link = result.status === 'audited' ? `sites/${id}/report.html` : '';
    if (result.status !== 'audited') failed++;
    csv.write(`${csvRow(result, link).map(cell).join(',')}\r\n`);
    page.write(`${htmlRow(result, link).text}\n`);
    if (result.status === 'audited') {
      const report = JSON.parse(readFileSync(path.join(siteDir(out, id), 'report.json'), 'utf8')) as AuditReport;
      for (const finding of report.findings) jsonl.write(`${findingLine(url, finding)}\n`);
    }
  }
  for (const line of rejected) {
    csv.write(`${[line.text, 'rejected', `line ${line.line}: ${line.reason}`].map(cell).join(',')}\r\n`);
    page.write(
      `${
        html`<tr class="rejected">
          <th scope="row">${line.text}</th>
          <td>line ${line.line}: ${line.reason}</td>
        </tr>`.text
      }\n`,
    );
  }
  page.write(HTML_TAIL);
  csv.done();
  jsonl.done();
  page.done();
  return { sites: sites.length, failed, rejected: rejected.length };
}

function csvRow(result: SiteResult, link: string): (string | number)[] {
  const c = result.counts;
  const blank = (n: number) => Array<string>(n).fill('');
  return [
    result.url,
    result.status,
    result.reason ?? '',
    ...(c
      ? [
          c.cookies,
          c.declared,
          c.undeclared,
          c.findings,
          ...SEVERITIES.map((s) => c.bySeverity[s]),
          ...FINDING_KINDS.map((k) => c.byKind[k]),
        ]
      : blank(4 + SEVERITIES.length + FINDING_KINDS.length)),
    link,
  ];
}

function htmlRow(result: SiteResult, link: string): Markup {
  const c = result.counts;
  if (!c)
    return html`<tr class="failed">
      <th scope="row">${result.url}</th>
      <td>${result.reason ?? ''}</td>
    </tr>`;
  const kinds = FINDING_KINDS.filter((k) => c.byKind[k] > 0).map((k) => `${k}: ${c.byKind[k]}`);
  return html`<tr>
    <th scope="row"><a href="${link}">${result.url}</a></th>
    <td>${c.cookies}</td>
    <td>${c.declared}</td>
    <td>${c.undeclared}</td>
    ${SEVERITIES.map((s) => html`<td>${c.bySeverity[s]}</td>`)}
    <td>${kinds.join(', ')}</td>
  </tr>`;
}

const HTML_HEAD = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>Cookie Lens — sweep summary</title>
<style>body{font:14px system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}td{font-variant-numeric:tabular-nums}tr.failed,tr.rejected{background:#fee}</style>
</head>
<body>
<h1>Cookie Lens — sweep summary</h1>
<p>One row per site, sorted by URL; each audited site links to its own report. Sites not audited and lines of the list not read give their reason.</p>
<table>
<thead><tr><th>site</th><th>cookies</th><th>declared</th><th>undeclared</th>${SEVERITIES.map((s) => `<th>${s}</th>`).join('')}<th>findings by kind</th></tr></thead>
<tbody>
`;
const HTML_TAIL = `</tbody>
</table>
</body>
</html>
`;
