import type { AuditReport, ReportFinding } from './report-schema';
import { t, type Language } from '../strings';
import {
  actualLifetimeText,
  consentBasisOfFinding,
  consentBasisText,
  consentExcerptText,
  consentStateText,
  declarationOf,
  sourceText,
} from './text';

/**
 * The report as CSV, one row per finding (docs/report-format.md): RFC 4180, every field quoted, CRLF line ends, UTF-8
 * with a byte order mark so that Excel reads accents. Cookie names and policy text are the site's and the policy's
 * words: a cell that a spreadsheet would take for a formula is prefixed with an apostrophe.
 */
const COLUMNS = [
  'visit',
  'severity',
  'kind',
  'cookieName',
  'domain',
  'path',
  'store',
  'party',
  'setBy',
  'declaredName',
  'vendor',
  'category',
  'declaredLifetime',
  'actualLifetime',
  'explanation',
  'excerpt',
  'sourceLines',
  'consentState',
  'consentBasis',
  'consentExcerpt',
  // Last, so that a reader of the columns by position, written before it, still reads them.
  'scenario',
] as const;

/** What Excel, LibreOffice and Google Sheets start a formula with, full-width forms included. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export interface CsvOptions {
  /** `;` for spreadsheets set to a French locale, which split on semicolons; `,` (RFC 4180) otherwise. */
  delimiter?: ',' | ';';
}

export function reportCsv(report: AuditReport, language: Language, options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  // A consent audit's scenario of each visit; a report of no consent audit leaves the column empty.
  const scenarioOf = new Map(report.scenarios.flatMap((s) => (s.visitId === null ? [] : [[s.visitId, s.name]])));
  const rows = [
    COLUMNS.map((column) => t(language, column === 'scenario' ? 'scenario_csvColumn' : `reportCsv_${column}`)),
    ...report.findings.map((finding) => rowOf(finding, scenarioOf.get(finding.visitId) ?? '', language)),
  ];
  return `\uFEFF${rows.map((row) => row.map(cell).join(delimiter)).join('\r\n')}\r\n`;
}

function rowOf(finding: ReportFinding, scenario: string, language: Language): string[] {
  const { cookie, entry } = finding;
  // The consent evidence is the choice decoded from a signal, never the signal's value.
  const declaration = declarationOf(finding);
  return [
    finding.visitId,
    finding.severity,
    finding.kind,
    cookie.name,
    cookie.domain,
    cookie.observed ? cookie.path : '',
    cookie.observed ? cookie.store : '',
    cookie.observed ? cookie.party : '',
    cookie.observed ? cookie.setBy : '',
    entry?.printedName ?? '',
    entry?.vendor ?? '',
    entry?.category ?? '',
    declaration?.lifetime.text ?? '',
    actualLifetimeText(finding, language),
    finding.explanation[language],
    declaration?.excerpt ?? '',
    declaration ? sourceText(declaration) : '',
    consentStateText(finding.consent, language),
    consentBasisText(consentBasisOfFinding(finding), language),
    consentExcerptText(consentBasisOfFinding(finding), language),
    scenario,
  ];
}

function cell(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Reads CSV as `reportCsv` writes it (RFC 4180, with or without a byte order mark), into rows of fields. */
export function parseCsv(text: string, delimiter: ',' | ';' = ','): string[][] {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const char = input[i]!;
    if (quoted) {
      if (char !== '"') {
        field += char;
      } else if (input[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === delimiter) {
      row.push(field);
      field = '';
    } else if (char === '\n' || (char === '\r' && input[i + 1] === '\n')) {
      if (char === '\r') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
