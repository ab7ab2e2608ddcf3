import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { reportCsv } from '../lib/export/csv';
import { reportHtml } from '../lib/export/html';
import { buildReport, reportJson } from '../lib/export/report';
import { parseAuditArgs, USAGE, type AuditOptions } from './args';
import {
  askBackground,
  findBrowser,
  tabIds,
  firstLine,
  launchBrowser,
  SetupError,
  sleep,
  type BrowserSession,
} from './browsers';
import { ensureBuilt } from './build';
import { consentAudit } from './consent/audit';
import { openContext, readCatalogue, type Context, type Io } from './context';
import { printedAddress } from './printed-address';
import { reaches, reportBase, summaryRow, summaryTable, type SummaryRow } from './summary';
import { readSiteList, type ListedSite, type SiteList } from './sweep/list';
import { startAhead, type StartedAhead } from './sweep/ahead';
import { mergeSweeps } from './sweep/merge';
import { progressLine } from './sweep/progress';
import { runSweep, type SiteAuditor } from './sweep/run';
import { inShard } from './sweep/shard';
import { readResult, writeRejected } from './sweep/store';
import { siteCounts, writeSweepSummary } from './sweep/summary';
import { SEVERITIES, SEVERITY_ORDER, type Severity } from '../lib/audit/findings';

export type { Io };

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  now: Date.now,
  errIsTty: process.stderr.isTTY,
};

/**
 * `npm run audit -- <url>…`: visits each URL in a browser running the extension and writes its reports. Progress goes
 * to stderr, the summary table to stdout. Exit codes: 0 audited, 1 findings at or above --fail-on, 2 usage or setup
 * error, 3 a URL not audited (in a consent audit, one whose every scenario failed).
 */
export async function audit(argv: readonly string[], io: Io = processIo): Promise<number> {
  const parsed = parseAuditArgs(argv, io.env);
  if ('error' in parsed) {
    io.err(`audit: ${parsed.error}\nSee npm run audit -- --help\n`);
    return 2;
  }
  if ('merge' in parsed) return merge(parsed.merge.dirs, parsed.merge.out, io);
  if (parsed.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const options = parsed.options;
  if (options.urlList !== null) return sweep(options, io);
  if (options.consent !== null) return consentAudit(options, io);
  const log = (line: string) => io.err(`${line}\n`);
  let session: BrowserSession | undefined;
  const interrupted = () => void session?.close().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  try {
    const catalogues = options.catalogues.map((file) => ({ file, text: readCatalogue(file) }));
    const executablePath = findBrowser(options.browser, options.browserPath);
    const extensionPath = ensureBuilt(options.browser, options.build, log);
    const version = (JSON.parse(readFileSync(path.join(extensionPath, 'manifest.json'), 'utf8')) as { version: string })
      .version;
    log(`starting ${executablePath}…`);
    session = await launchBrowser(options.browser, {
      extensionPath,
      executablePath,
      resolve: options.resolve,
      insecure: options.insecure,
    });
    log(`${session.info.name} ${session.info.version} is running Cookie Lens ${version}`);
    const hosts = [...new Set(options.urls.map((url) => url.hostname))];
    const context = await openContext({ options, session, io, version, catalogues, hosts, log });

    const rows: SummaryRow[] = [];
    let failed = 0;
    let alarming = false;
    for (const [i, url] of options.urls.entries()) {
      const say = (line: string) => log(`[${i + 1}/${options.urls.length}] ${printedAddress(url)} ${line}`);
      try {
        const { row, report } = await auditUrl(context, url, say);
        rows.push(row);
        alarming ||= reaches(report, options.failOn);
      } catch (error) {
        say(`not audited: ${firstLine(error)}${certificateHint(error, options)}`);
        rows.push({ site: url.hostname, counts: null });
        failed++;
      }
    }
    io.out(`${summaryTable(rows)}\n`);
    if (failed > 0) log(`${failed} of ${options.urls.length} URL(s) not audited.`);
    else if (alarming) log(`findings at or above ${options.failOn}.`);
    return failed > 0 ? 3 : alarming ? 1 : 0;
  } catch (error) {
    // Anything else that stops the run before the URLs (a browser that dies at start, say) is a setup error too.
    io.err(`audit: ${error instanceof SetupError ? error.message : firstLine(error)}\n`);
    return 2;
  } finally {
    process.removeListener('SIGINT', interrupted);
    await session?.close().catch(() => {});
  }
}

async function auditUrl(context: Context, url: URL, say: (line: string) => void) {
  const { options } = context;
  const { report, visit, exportedAt } = await visitUrl(context, url, say);
  mkdirSync(options.out, { recursive: true });
  const base = reportBase(options.out, visit.visit.topHost, exportedAt, (b) => existsSync(`${b}.json`));
  writeFileSync(`${base}.json`, reportJson(report));
  writeFileSync(`${base}.csv`, reportCsv(report, options.lang));
  writeFileSync(`${base}.html`, reportHtml(report, options.lang));
  say(`${report.summary.cookies} cookies, ${report.summary.findings} findings → ${base}.{json,csv,html}`);
  return { row: summaryRow(visit.visit.topHost, report), report };
}

/** Visits `url` in a new tab and builds its report from what the extension recorded. */
async function visitUrl(
  { options, session, page, catalogues, tool, io }: Context,
  url: URL,
  say: (line: string) => void,
) {
  const before = await tabIds(page);
  const tab = await session.newTab();
  try {
    // The tab the browser just opened, whatever URL it ends up on.
    const tabId = (await tabIds(page)).find((id) => !before.includes(id));
    if (tabId === undefined) throw new Error('the new tab is not visible to the extension');
    say('loading…');
    await tab.goto(url.href, options.timeoutMs);
    await tab
      .networkIdle(options.timeoutMs)
      .catch(() => say(`still busy on the network after ${options.timeoutMs} ms`));
    say(`settling ${options.settleMs} ms…`);
    await sleep(options.settleMs);
    const answer = await askBackground(page, { type: 'get-tab-report', tabId });
    const visit = answer.ok ? answer.report : null;
    if (!visit) throw new Error('the extension recorded no visit in the tab');

    const exportedAt = io.now();
    const report = await buildReport({
      visits: [{ report: visit }],
      catalogues,
      tool,
      browser: session.info,
      exportedAt,
    });
    return { report, visit, exportedAt };
  } finally {
    await tab.close().catch(() => {});
  }
}

/**
 * `--urls`: a sweep. Each site of the list (of this shard) without a result in --out is audited in a browser of its
 * own, --concurrency at a time, and its reports written when it is done; then the summary is built from the folder.
 */
async function sweep(options: AuditOptions, io: Io): Promise<number> {
  const log = (line: string) => io.err(`${line}\n`);
  const stop = new AbortController();
  const interrupted = () => stop.abort();
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let browsers: StartedAhead<BrowserSession> | undefined;
  try {
    const list = await readList(options.urlList!);
    const sites = list.sites.filter((site) => inShard(site.url, options.shard));
    const rejected = list.rejected.filter((line) => inShard(`line:${line.line}`, options.shard));
    const catalogues = options.catalogues.map((file) => ({ file, text: readCatalogue(file) }));
    const executablePath = findBrowser(options.browser, options.browserPath);
    const extensionPath = ensureBuilt(options.browser, options.build, log);
    const version = (JSON.parse(readFileSync(path.join(extensionPath, 'manifest.json'), 'utf8')) as { version: string })
      .version;
    mkdirSync(options.out, { recursive: true });
    writeRejected(options.out, rejected);
    const { index, count } = options.shard;
    log(
      `sweep of ${sites.length} site(s)${count > 1 ? ` (shard ${index}/${count})` : ''}, ${options.concurrency} at once, ` +
        `in ${executablePath} running Cookie Lens ${version}; ${rejected.length} line(s) of the list not read`,
    );

    let done = sites.filter((site) => readResult(options.out, site.id) !== null).length;
    browsers = startAhead(
      () =>
        launchBrowser(options.browser, {
          extensionPath,
          executablePath,
          resolve: options.resolve,
          insecure: options.insecure,
        }),
      (session) => session.close(),
      sites.length - done,
      // One browser waiting at a time hides most starts, as sites end at different times; one a worker costs more memory.
      1,
    );
    const auditSite: SiteAuditor = async (site, signal) => {
      const url = new URL(site.url);
      const session = await browsers!.take();
      const close = () => void session.close().catch(() => {});
      signal.addEventListener('abort', close, { once: true });
      try {
        if (signal.aborted) throw new Error('stopped');
        const context = await openContext({
          options,
          session,
          io,
          version,
          catalogues,
          hosts: [url.hostname],
          log: () => {},
        });
        const { report } = await visitUrl(context, url, () => {});
        return {
          counts: siteCounts(report),
          reports: {
            'report.json': reportJson(report),
            'report.csv': reportCsv(report, options.lang),
            'report.html': reportHtml(report, options.lang),
          },
        };
      } finally {
        signal.removeEventListener('abort', close);
        await session.close().catch(() => {});
      }
    };

    let failed = 0;
    let doneThisRun = 0;
    const started = performance.now();
    const progress = () =>
      progressLine({ total: sites.length, done, failed, doneThisRun, elapsedMs: performance.now() - started });
    if (done > 0) log(`resuming: ${done} site(s) already done in ${options.out}`);
    await runSweep({
      out: options.out,
      sites,
      concurrency: options.concurrency,
      siteTimeoutMs: options.siteTimeoutMs,
      auditSite,
      isSetupError: (error) => error instanceof SetupError,
      stop: stop.signal,
      onSite: (site, result) => {
        done++;
        doneThisRun++;
        if (result.status !== 'audited') failed++;
        const what =
          result.status === 'audited'
            ? `${result.counts!.cookies} cookies, ${result.counts!.findings} findings`
            : `not audited: ${result.reason}`;
        if (io.errIsTty) io.err(`\r\x1b[K${progress()}`);
        else log(`[${done}/${sites.length}] ${printedAddress(site.url)} ${what} (${progress()})`);
      },
    });
    if (io.errIsTty) io.err('\n');
    if (stop.signal.aborted) {
      log(`stopped: ${done} of ${sites.length} site(s) done; run the same command again to resume.`);
      return 130;
    }
    const summary = writeSweepSummary(options.out);
    io.out(
      `${summary.sites} site(s), ${summary.failed} not audited, ${summary.rejected} line(s) rejected: ` +
        `${path.join(options.out, 'summary.html')}, summary.csv, findings.jsonl\n`,
    );
    return sweepExitCode(options.out, sites, summary.failed + summary.rejected, options.failOn, log);
  } catch (error) {
    io.err(`audit: ${error instanceof SetupError ? error.message : firstLine(error)}\n`);
    return 2;
  } finally {
    await browsers?.closeAll();
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
}

/** `merge --out <dir> <dirs>…`: the shards' sites gathered into one folder, and its summary. */
function merge(dirs: string[], out: string, io: Io): number {
  try {
    const summary = mergeSweeps(dirs, out);
    io.out(
      `${summary.sites} site(s), ${summary.failed} not audited, ${summary.rejected} line(s) rejected: ` +
        `${path.join(out, 'summary.html')}, summary.csv, findings.jsonl\n`,
    );
    return 0;
  } catch (error) {
    io.err(`audit: merge: ${firstLine(error)}\n`);
    return 2;
  }
}

/** 3 when a site or a line was not audited, else 1 when a site's findings reach --fail-on, else 0. */
function sweepExitCode(
  out: string,
  sites: readonly ListedSite[],
  notAudited: number,
  failOn: Severity | 'none',
  log: (line: string) => void,
): number {
  if (notAudited > 0) {
    log(`${notAudited} site(s) or line(s) not audited: their reasons are in the summary.`);
    return 3;
  }
  const threshold = failOn === 'none' ? -1 : SEVERITY_ORDER[failOn];
  const alarming = sites.some((site) => {
    const counts = readResult(out, site.id)?.counts;
    return counts ? SEVERITIES.some((s) => SEVERITY_ORDER[s] <= threshold && counts.bySeverity[s] > 0) : false;
  });
  if (alarming) log(`findings at or above ${failOn}.`);
  return alarming ? 1 : 0;
}

/** The sweep's list, streamed from a file or ('-') standard input. */
async function readList(file: string): Promise<SiteList> {
  try {
    const input = file === '-' ? process.stdin.setEncoding('utf8') : createReadStream(file, { encoding: 'utf8' });
    return await readSiteList(input as AsyncIterable<string>);
  } catch (error) {
    throw new SetupError(
      `--urls ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? firstLine(error)}).`,
    );
  }
}

function certificateHint(error: unknown, options: AuditOptions): string {
  return !options.insecure && /CERT|SSL|SEC_ERROR|PKIX/i.test(firstLine(error))
    ? ' (a TLS certificate error: --insecure accepts it)'
    : '';
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await audit(process.argv.slice(2));
}
