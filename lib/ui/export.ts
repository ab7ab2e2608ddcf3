import { browser } from 'wxt/browser';
import { reportCsv } from '../export/csv';
import { reportHtml } from '../export/html';
import { buildReport, reportJson } from '../export/report';
import { t, type Language } from '../i18n';
import type { VisitReport } from '../audit/visit-report';
import { download, fileStem } from './download';
import { ask } from './messaging';

/**
 * Exports one visit as the auditor's report (lib/export). Loaded only when asked for: the exporters and their
 * validators stay out of the popup's first load.
 */
export type ExportFormat = 'json' | 'csv' | 'html';

const TYPES: Record<ExportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv;charset=utf-8',
  html: 'text/html;charset=utf-8',
};

export async function exportVisit(report: VisitReport, format: ExportFormat, language: Language): Promise<void> {
  const listing = await ask({ type: 'list-catalogues' });
  const audit = await buildReport({
    visits: [{ report }],
    catalogues: listing.catalogues.map((c) => c.catalogue),
    tool: { name: t('extensionName'), version: browser.runtime.getManifest().version },
    browser: browserInfo(navigator.userAgent),
    exportedAt: Date.now(),
  });
  const text =
    format === 'json' ? reportJson(audit) : format === 'csv' ? reportCsv(audit, language) : reportHtml(audit, language);
  download(`${fileStem(report.visit.topHost, report.visit.startedAt)}.${format}`, TYPES[format], text);
}

export function browserInfo(userAgent: string): { name: string; version: string } {
  const firefox = /Firefox\/([\d.]+)/.exec(userAgent);
  if (firefox) return { name: 'Firefox', version: firefox[1]! };
  const chrome = /(?:Chrome|Chromium)\/([\d.]+)/.exec(userAgent);
  return chrome ? { name: 'Chromium', version: chrome[1]! } : { name: 'unknown', version: '' };
}
