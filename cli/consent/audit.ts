import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Catalogue } from '../../lib/catalogue/schema';
import type { VisitReport } from '../../lib/audit/visit-report';
import { reportCsv } from '../../lib/export/csv';
import { reportHtml } from '../../lib/export/html';
import { buildReport, reportJson, type ScenarioInput } from '../../lib/export/report';
import type { AuditReport } from '../../lib/export/report-schema';
import type { AuditOptions } from '../args';
import { findBrowser, firstLine, launchBrowser, SetupError, type BrowserSession } from '../browsers';
import { ensureBuilt } from '../build';
import { openContext, readCatalogue, type Io } from '../context';
import { printedAddress } from '../printed-address';
import { reaches, reportBase, scenarioTable } from '../summary';
import { scenarioBrowser } from './driver';
import { readRulesFile, refusalHarderFinding } from './engine';
import {
  everyScenarioFailed,
  refusalEffort,
  runScenarios,
  type ScenarioBrowser,
  type ScenarioName,
  type ScenarioResult,
} from './scenarios';

/**
 * `npm run audit -- --consent none,refuse,accept <url>…`: for each URL, each scenario in a browser of its own with a
 * fresh profile, then one report of the URL holding every scenario. Exit codes as the audit's; a URL counts as not
 * audited (3) only when every scenario failed.
 */
export async function consentAudit(options: AuditOptions, io: Io): Promise<number> {
  const log = (line: string) => io.err(`${line}\n`);
  const running = new Set<BrowserSession>();
  const interrupted = () =>
    void Promise.all([...running].map((session) => session.close().catch(() => {}))).finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  try {
    // Everything a person can get wrong is checked before a browser starts.
    const rules = options.consentRules === null ? undefined : readRules(options.consentRules, options);
    const catalogues = options.catalogues.map((file) => ({ file, text: readCatalogue(file) }));
    const executablePath = findBrowser(options.browser, options.browserPath);
    const extensionPath = ensureBuilt(options.browser, options.build, log);
    const version = (JSON.parse(readFileSync(path.join(extensionPath, 'manifest.json'), 'utf8')) as { version: string })
      .version;
    log(
      `consent audit (${options.consent!.join(', ')}), each scenario in a fresh profile of ${executablePath} ` +
        `running Cookie Lens ${version}`,
    );
    const launch: ScenarioLauncher = async (url, say) => {
      const session = await launchBrowser(options.browser, {
        extensionPath,
        executablePath,
        resolve: options.resolve,
        insecure: options.insecure,
      });
      running.add(session);
      const close = async () => {
        running.delete(session);
        await session.close();
      };
      try {
        const context = await openContext({
          options,
          session,
          io,
          version,
          catalogues,
          hosts: [url.hostname],
          log: () => {},
        });
        return {
          browser: { ...scenarioBrowser(context, rules, say), close },
          info: session.info,
          catalogues: context.catalogues,
        };
      } catch (error) {
        await close().catch(() => {});
        throw error;
      }
    };
    return await auditScenarios(options, io, launch, version);
  } catch (error) {
    io.err(`audit: ${error instanceof SetupError ? error.message : firstLine(error)}\n`);
    return 2;
  } finally {
    process.removeListener('SIGINT', interrupted);
    await Promise.all([...running].map((session) => session.close().catch(() => {})));
  }
}

/**
 * The least the banner engine is given to come to an outcome: on a page with no banner, autoconsent ends its detection
 * (and the engine says "not recognised") only after its retries, about a minute after the load.
 */
export const BANNER_DEADLINE_MS = 90_000;

/** Starts a browser with a fresh profile for one scenario of `url`, the catalogues applied. */
export type ScenarioLauncher = (
  url: URL,
  say: (line: string) => void,
) => Promise<{ browser: ScenarioBrowser; info: { name: string; version: string }; catalogues: Catalogue[] }>;

/**
 * Each URL's scenarios, its reports written and its table printed. 3 when a URL had no scenario run, else 1 when a
 * report reaches --fail-on, else 0. A setup error (SetupError) is thrown.
 */
export async function auditScenarios(
  options: AuditOptions,
  io: Io,
  launch: ScenarioLauncher,
  version: string,
): Promise<number> {
  const log = (line: string) => io.err(`${line}\n`);
  const tables: string[] = [];
  let failed = 0;
  let alarming = false;
  for (const [i, url] of options.urls.entries()) {
    const prefix = `[${i + 1}/${options.urls.length}] ${printedAddress(url)}`;
    const say = (scenario: ScenarioName) => (line: string) => log(`${prefix} ${scenario}: ${line}`);
    let browser: { name: string; version: string } | null = null;
    const cataloguesSeen: Catalogue[] = [];
    const results = await runScenarios({
      url,
      scenarios: options.consent!,
      follow: options.follow,
      outcomeDeadlineMs: Math.max(options.timeoutMs, BANNER_DEADLINE_MS),
      say: (scenario, line) => say(scenario)(line),
      isFatal: (error) => error instanceof SetupError,
      openBrowser: async (scenario) => {
        const launched = await launch(url, say(scenario));
        browser ??= launched.info;
        cataloguesSeen.push(...launched.catalogues);
        return launched.browser;
      },
    });
    if (everyScenarioFailed(results) || browser === null) {
      log(`${prefix} not audited: no scenario could be run.`);
      tables.push(`${url.hostname}: not audited (every scenario failed; why is said above)`);
      failed++;
      continue;
    }
    const exportedAt = io.now();
    const report = await buildReport({
      visits: withRefusalEffort(results).map((visit) => ({ report: visit })),
      catalogues: cataloguesSeen,
      tool: { name: 'Cookie Lens', version },
      browser,
      exportedAt,
      scenarios: results.map(scenarioInput),
    });
    const base = writeReports(report, results, url, exportedAt, options);
    log(`${prefix} ${report.scenarios.length} scenario(s) → ${base}.{json,csv,html}`);
    tables.push(`${report.visits[0]?.topHost ?? url.hostname}\n${scenarioTable(report)}`);
    alarming ||= reaches(report, options.failOn);
  }
  io.out(`${tables.join('\n\n')}\n`);
  if (failed > 0) log(`${failed} of ${options.urls.length} URL(s) not audited.`);
  else if (alarming) log(`findings at or above ${options.failOn}.`);
  return failed > 0 ? 3 : alarming ? 1 : 0;
}

/** The --consent-rules file, read and validated: its rules, or a setup error saying what is wrong. */
function readRules(file: string, options: AuditOptions): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SetupError(
      `--consent-rules ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? firstLine(error)}).`,
    );
  }
  const read = readRulesFile(text, options.lang);
  if ('error' in read) throw new SetupError(`--consent-rules ${file}: ${read.error}`);
  return read.rules;
}

/** The visits of the scenarios run; the refuse visit with `refusal-harder-than-acceptance` when refusing took more. */
function withRefusalEffort(results: readonly ScenarioResult[]): VisitReport[] {
  const effort = refusalEffort(results);
  return results.flatMap((result) => {
    if (!result.visit) return [];
    if (result.name !== 'refuse' || !effort) return [result.visit];
    const finding = refusalHarderFinding(result.visit.visit.site, effort);
    return [{ ...result.visit, findings: [...result.visit.findings, finding] }];
  });
}

function scenarioInput(result: ScenarioResult): ScenarioInput {
  const { banner } = result;
  return {
    name: result.name,
    status: result.status,
    error: result.error,
    banner: banner && banner.status !== 'pending' ? { ...banner, status: banner.status } : null,
    followed: result.followed,
    visitId: result.visit?.visit.id ?? null,
  };
}

function writeReports(
  report: AuditReport,
  results: readonly ScenarioResult[],
  url: URL,
  exportedAt: number,
  options: AuditOptions,
): string {
  const host = results.find((result) => result.visit)?.visit?.visit.topHost ?? url.hostname;
  mkdirSync(options.out, { recursive: true });
  const base = reportBase(options.out, host, exportedAt, (b) => existsSync(`${b}.json`));
  writeFileSync(`${base}.json`, reportJson(report));
  writeFileSync(`${base}.csv`, reportCsv(report, options.lang));
  writeFileSync(`${base}.html`, reportHtml(report, options.lang));
  return base;
}
