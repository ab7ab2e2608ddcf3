import { isIP } from 'node:net';
import { availableParallelism, freemem } from 'node:os';
import { parseArgs } from 'node:util';
import type { Language } from '../lib/strings';
import { SEVERITIES, type Severity } from '../lib/audit/findings';
import { evidenceAddress } from '../lib/observation/evidence-address';
import { parseShard, type Shard } from './sweep/shard';
import { SCENARIOS, type ScenarioName } from './consent/scenarios';
import { FIREFOX_RESOLVE_ADDRESS, firefoxResolveMessage, type BrowserKind, type HostMapping } from './browsers';

export const USAGE = `Usage: npm run audit -- [options] <url> [more urls]
       npm run audit -- [options] --urls <sites.txt|-> [--concurrency N] [--shard i/n]
       npm run audit -- merge --out <dir> <shard dir> [more shard dirs]

Visits each URL in a browser running Cookie Lens, waits for the page to settle, and writes the
site's report as JSON, CSV and HTML to <out>/<host>-<yyyymmdd-hhmmss>.{json,csv,html} (UTC time).

With --urls, a sweep: the list's URLs (one a line, # comments; - reads standard input), each in a
fresh browser, several at once; each site's reports go to <out>/sites/<host>-<hash>/ when it is
done, and <out>/summary.{html,csv} and <out>/findings.jsonl sum them up. Run it again with the same
--out to resume: finished sites are skipped. See docs/sweeps.md.

Options:
  --browser chromium|firefox  the browser to run (default chromium; Google Chrome also works)
  --browser-path <file>       the browser's executable, when it is not found by itself
  --out <dir>                 where the reports go (default ./reports)
  --catalogue <file.json>     a catalogue to import and apply to every URL given (repeatable)
  --resolve <host>=<address>  send requests for <host> to <address>, like curl's --resolve
                              (repeatable; Firefox maps to ${FIREFOX_RESOLVE_ADDRESS} only)
  --insecure                  accept invalid TLS certificates (self-signed staging or local servers);
                              never implied, not even by --resolve
  --settle <ms>               how long to wait after the load and network idle (default 3000)
  --timeout <ms>              the navigation timeout, per URL (default 30000); in a consent audit,
                              also how long the banner engine is given to come to an outcome
                              (90000 at least: it says a page has no banner it knows after a minute)
  --urls <file|->             sweep the URLs listed in <file>, or on standard input
  --concurrency <n>           sites audited at once in a sweep (default: what the cores and free
                              memory allow)
  --site-timeout <ms>         a sweep's time limit per site, browser start included (default 120000)
  --shard <i>/<n>             audit only part i (0 to n-1) of n parts of the list, by a hash of each URL
  --consent <scenarios>       a consent audit: run each scenario of none,refuse,accept (comma-separated)
                              in a browser of its own with a fresh profile: none leaves the banner
                              alone, refuse and accept answer it (autoconsent); one report per URL
                              with a column per scenario. Not with --urls.
  --consent-rules <file.json> autoconsent rules to add to the bundled ones (a consent audit only)
  --follow <n>                same-site links to follow after the banner's outcome (default 1;
                              a consent audit only)
  --fail-on <severity>        exit 1 on a finding at or above high|medium|low|info (default none)
  --lang fr|en                the language of the CSV and HTML reports (default from LANG, else en)
  --no-build                  use the build in .output/ as it is (by default it is rebuilt when older
                              than the sources)
  -h, --help                  show this help

Exit codes: 0 audited; 1 a finding at or above --fail-on; 2 a usage or setup error (bad option,
no browser, failed build, invalid catalogue or consent rules); 3 a URL could not be audited (wins
over 1); in a consent audit, a URL counts as not audited only when every scenario failed (a banner
no rule recognised: "banner not recognised: scenario not run").

Example:
  npm run audit -- --resolve shop.example=127.0.0.1 --insecure --fail-on high https://shop.example:8443/
  npm run audit -- --consent none,refuse,accept --follow 2 https://www.example.fr/`;

export interface AuditOptions {
  urls: URL[];
  browser: BrowserKind;
  browserPath: string | undefined;
  out: string;
  catalogues: string[];
  resolve: HostMapping[];
  insecure: boolean;
  settleMs: number;
  timeoutMs: number;
  failOn: Severity | 'none';
  lang: Language;
  build: boolean;
  /** A sweep: the list to read ('-' for standard input), null when the URLs are given as arguments. */
  urlList: string | null;
  concurrency: number;
  siteTimeoutMs: number;
  shard: Shard;
  /** A consent audit's scenarios, in the order given; null for an audit without --consent. */
  consent: ScenarioName[] | null;
  /** The --consent-rules file, read and validated before a browser starts. */
  consentRules: string | null;
  /** Same-site links a consent scenario follows after the banner's outcome. */
  follow: number;
}

export type Parsed =
  | { help: true }
  | { help: false; options: AuditOptions }
  | { merge: { dirs: string[]; out: string } }
  | { error: string };

const HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/i;

export function parseAuditArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Parsed {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        browser: { type: 'string', default: 'chromium' },
        'browser-path': { type: 'string' },
        out: { type: 'string', default: './reports' },
        catalogue: { type: 'string', multiple: true, default: [] },
        resolve: { type: 'string', multiple: true, default: [] },
        insecure: { type: 'boolean', default: false },
        settle: { type: 'string', default: '3000' },
        timeout: { type: 'string', default: '30000' },
        'fail-on': { type: 'string', default: 'none' },
        lang: { type: 'string' },
        'no-build': { type: 'boolean', default: false },
        urls: { type: 'string' },
        concurrency: { type: 'string' },
        'site-timeout': { type: 'string', default: '120000' },
        shard: { type: 'string', default: '0/1' },
        consent: { type: 'string' },
        'consent-rules': { type: 'string' },
        follow: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (values.help) return { help: true };
  if (positionals[0] === 'merge') {
    const dirs = positionals.slice(1);
    if (dirs.length === 0) return { error: 'merge: name the shard folders to merge.' };
    if (!argv.some((arg) => arg === '--out' || arg.startsWith('--out=')))
      return { error: 'merge: say where the merged sweep goes with --out <dir>.' };
    return { merge: { dirs, out: values.out } };
  }

  const browser = values.browser === 'chrome' ? 'chromium' : values.browser;
  if (browser !== 'chromium' && browser !== 'firefox')
    return { error: `--browser ${values.browser}: use chromium or firefox.` };
  const failOn = values['fail-on'];
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) {
    return { error: `--fail-on ${failOn}: use one of ${[...SEVERITIES, 'none'].join(', ')}.` };
  }
  const lang = values.lang ?? languageOf(env);
  if (lang !== 'fr' && lang !== 'en') return { error: `--lang ${lang}: use fr or en.` };
  const settleMs = milliseconds('--settle', values.settle, 0);
  const timeoutMs = milliseconds('--timeout', values.timeout, 1);
  if (typeof settleMs === 'string') return { error: settleMs };
  if (typeof timeoutMs === 'string') return { error: timeoutMs };

  const resolve: HostMapping[] = [];
  for (const rule of values.resolve) {
    const [host = '', address = ''] = rule.split(/=(.*)/s);
    if (!HOST.test(host) || isIP(address.replace(/^\[(.*)\]$/, '$1')) === 0) {
      return { error: `--resolve ${rule}: write it host=address, e.g. --resolve shop.example=127.0.0.1.` };
    }
    const mapping = { host: host.toLowerCase(), address: address.replace(/^\[(.*)\]$/, '$1') };
    if (browser === 'firefox' && mapping.address !== FIREFOX_RESOLVE_ADDRESS)
      return { error: firefoxResolveMessage(mapping) };
    resolve.push(mapping);
  }

  const siteTimeoutMs = milliseconds('--site-timeout', values['site-timeout'], 1);
  if (typeof siteTimeoutMs === 'string') return { error: siteTimeoutMs };
  const shard = parseShard(values.shard);
  if ('error' in shard) return shard;
  const concurrency = values.concurrency === undefined ? defaultConcurrency() : Number(values.concurrency);
  if (!/^\d+$/.test(values.concurrency ?? '1') || concurrency < 1)
    return { error: `--concurrency ${values.concurrency}: give a whole number of browsers, 1 or more.` };
  const urlList = values.urls ?? null;
  if (urlList !== null && positionals.length > 0)
    return { error: 'give the URLs either as arguments or with --urls, not both.' };
  if (urlList === null && (values.concurrency !== undefined || argv.some((arg) => arg.startsWith('--shard'))))
    return { error: '--concurrency and --shard are for a sweep: give the URLs with --urls <file>.' };

  const consent = values.consent === undefined ? null : parseScenarios(values.consent);
  if (consent !== null && 'error' in consent) return consent;
  if (consent !== null && urlList !== null)
    return { error: '--consent audits the URLs given as arguments, not a sweep (--urls).' };
  if (consent === null && (values['consent-rules'] !== undefined || values.follow !== undefined))
    return { error: '--consent-rules and --follow are for a consent audit: say its scenarios with --consent.' };
  const follow = values.follow ?? '1';
  if (!/^\d+$/.test(follow) || Number(follow) > MAX_FOLLOW)
    return { error: `--follow ${follow}: give a whole number of links, 0 to ${MAX_FOLLOW}.` };

  if (positionals.length === 0 && urlList === null) return { error: 'no URL to audit.' };
  const urls: URL[] = [];
  for (const [i, text] of positionals.entries()) {
    const url = URL.canParse(text) ? new URL(text) : null;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      // Shown as an address is printed (no query, fragment or value): what was typed may hold a token.
      const example = evidenceAddress(`https://${text.replace(/^\w+:\/\//, '')}`) ?? 'https://www.example.fr/';
      return { error: `URL ${i + 1}: not an http(s) URL; write it in full, e.g. ${example}` };
    }
    urls.push(url);
  }

  return {
    help: false,
    options: {
      urls,
      browser,
      browserPath: values['browser-path'],
      out: values.out,
      catalogues: values.catalogue,
      resolve,
      insecure: values.insecure,
      settleMs,
      timeoutMs,
      failOn: failOn as Severity | 'none',
      lang,
      build: !values['no-build'],
      urlList,
      concurrency,
      siteTimeoutMs,
      shard,
      consent: consent?.scenarios ?? null,
      consentRules: values['consent-rules'] ?? null,
      follow: Number(follow),
    },
  };
}

/** More would make a consent audit a crawl. */
export const MAX_FOLLOW = 20;

/** `none,refuse,accept`: known names, each once, in the order given. */
function parseScenarios(text: string): { scenarios: ScenarioName[] } | { error: string } {
  const names = text.split(',').map((name) => name.trim().toLowerCase());
  const known = `use one or more of ${SCENARIOS.join(',')}`;
  if (names.some((name) => name === '')) return { error: `--consent ${text}: name the scenarios, ${known}.` };
  const unknown = names.find((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown !== undefined) return { error: `--consent ${text}: no scenario "${unknown}"; ${known}.` };
  if (new Set(names).size !== names.length) return { error: `--consent ${text}: a scenario is named twice.` };
  return { scenarios: names as ScenarioName[] };
}

/**
 * Browsers at once: one a core, and no more than free memory holds at about 500 MB each, keeping room for the one
 * started ahead of the next site (cli/sweep/ahead.ts).
 */
export function defaultConcurrency(cores = availableParallelism(), freeBytes = freemem()): number {
  return Math.max(1, Math.min(cores, Math.floor(freeBytes / (500 * 1024 * 1024)) - 1));
}

/** The language of the environment's locale (LC_ALL, then LC_MESSAGES, then LANG), when it is French or English. */
export function languageOf(env: NodeJS.ProcessEnv): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function milliseconds(option: string, text: string, min: number): number | string {
  const value = Number(text);
  return /^\d+$/.test(text) && value >= min
    ? value
    : `${option} ${text}: give a whole number of milliseconds${min > 0 ? ' above 0' : ''}.`;
}
