import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FindingKind, Severity } from '../../lib/audit/findings';
import type { RejectedLine } from './list';

/**
 * A sweep's folder: `sites/<id>/` per site (its reports, then `result.json`, written last: a site is done exactly
 * when its result is there), `rejected.json` (the list's lines not audited), and the summary files built from them.
 */
export interface SiteResult {
  url: string;
  status: 'audited' | 'failed';
  /** Why the site was not audited; null when it was. */
  reason: string | null;
  counts: SiteCounts | null;
}

export interface SiteCounts {
  cookies: number;
  declared: number;
  undeclared: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  byKind: Record<FindingKind, number>;
}

export const REPORT_FILES = ['report.json', 'report.csv', 'report.html'] as const;

export const sitesDir = (out: string) => path.join(out, 'sites');
export const siteDir = (out: string, id: string) => path.join(sitesDir(out), id);
const resultFile = (out: string, id: string) => path.join(siteDir(out, id), 'result.json');
const rejectedFile = (out: string) => path.join(out, 'rejected.json');

/** Writes `file` whole or not at all: a temp file in the same folder, then a rename (atomic on one file system). */
export function writeAtomically(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(temp, content);
  renameSync(temp, file);
}

/** The site's result when it was finished by this or an earlier run; null when it must be (re)done. */
export function readResult(out: string, id: string): SiteResult | null {
  try {
    return JSON.parse(readFileSync(resultFile(out, id), 'utf8')) as SiteResult;
  } catch {
    return null;
  }
}

/** Clears what an interrupted run left of a site (temp files, reports without a result) before it is redone. */
export function clearUnfinished(out: string, id: string): void {
  rmSync(siteDir(out, id), { recursive: true, force: true });
}

/** Records a site: its reports first, the result last, each atomically, so a kill leaves it done or not started. */
export function writeSite(
  out: string,
  id: string,
  result: SiteResult,
  reports: Partial<Record<(typeof REPORT_FILES)[number], string>> = {},
): void {
  for (const name of REPORT_FILES) {
    const text = reports[name];
    if (text !== undefined) writeAtomically(path.join(siteDir(out, id), name), text);
  }
  writeAtomically(resultFile(out, id), `${JSON.stringify(result, null, 2)}\n`);
}

/** The ids of the finished sites in a sweep folder. */
export function finishedSites(out: string): string[] {
  if (!existsSync(sitesDir(out))) return [];
  return readdirSync(sitesDir(out)).filter((id) => existsSync(resultFile(out, id)));
}

export function writeRejected(out: string, rejected: readonly RejectedLine[]): void {
  writeAtomically(rejectedFile(out), `${JSON.stringify(rejected, null, 2)}\n`);
}

export function readRejected(out: string): RejectedLine[] {
  return existsSync(rejectedFile(out)) ? (JSON.parse(readFileSync(rejectedFile(out), 'utf8')) as RejectedLine[]) : [];
}
