import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSiteList, type ListedSite } from './list';
import { progressLine } from './progress';
import { runSweep, type SiteAudit, type SiteAuditor } from './run';
import { finishedSites, readResult } from './store';

const scratch: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cookie-lens-run-test-'));
  scratch.push(dir);
  return dir;
};
afterEach(() => scratch.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const sites = (n: number): ListedSite[] =>
  parseSiteList(Array.from({ length: n }, (_, i) => `https://s${i}.example/`).join('\n')).sites;

const audited: SiteAudit = {
  counts: {
    cookies: 1,
    declared: 1,
    undeclared: 0,
    findings: 0,
    bySeverity: { high: 0, medium: 0, low: 0, info: 0 },
    byKind: {} as SiteAudit['counts']['byKind'],
  },
  reports: { 'report.json': '{}', 'report.csv': '', 'report.html': '' },
};

class SetupFailure extends Error {}
const base = { concurrency: 2, siteTimeoutMs: 60_000, isSetupError: (e: unknown) => e instanceof SetupFailure };

/** Resolves on the next turns of the event loop: an audit that takes "some time". */
const later = () => new Promise((resolve) => setImmediate(resolve));

describe('runSweep', () => {
  it('keeps no query, fragment or value-shaped segment of a listed address in what it writes', async () => {
    const out = tmp();
    const list = parseSiteList(
      [
        'https://a.example/espace?token=SECRET-1#SECRET-2',
        'https://b.example/s/0123456789abcdef0123456789abcdef/x',
        'not a url ?token=SECRET-3',
        'https://a.example/espace?token=SECRET-1#other',
      ].join('\n'),
    );
    await runSweep({
      ...base,
      out,
      sites: list.sites,
      auditSite: async (site) => {
        if (site.url.startsWith('https://b.')) throw new Error(`could not load ${site.url}`);
        return audited;
      },
    });
    const written = JSON.stringify([list.rejected, ...finishedSites(out).map((id) => readResult(out, id))]);
    expect(written).toContain('https://a.example/espace');
    expect(written).not.toMatch(/SECRET|0123456789abcdef/);
  });
  it('audits every site, never more at once than the concurrency, and records failures with their reason', async () => {
    const out = tmp();
    let running = 0;
    let peak = 0;
    const auditSite: SiteAuditor = async (site) => {
      peak = Math.max(peak, ++running);
      await later();
      running--;
      if (site.url.includes('s3.')) throw new Error('net::ERR_CONNECTION_REFUSED at https://s3.example/\nCall log: …');
      return audited;
    };
    expect(await runSweep({ ...base, out, sites: sites(9), auditSite })).toEqual({ skipped: 0, done: 9 });
    expect(peak).toBe(2);
    expect(finishedSites(out)).toHaveLength(9);
    const s3 = sites(9)[3]!;
    expect(readResult(out, s3.id)).toEqual({
      url: s3.url,
      status: 'failed',
      reason: 'net::ERR_CONNECTION_REFUSED at https://s3.example/',
      counts: null,
    });
  });

  it('skips the sites a previous run finished', async () => {
    const out = tmp();
    const list = sites(5);
    await runSweep({ ...base, out, sites: list.slice(0, 2), auditSite: async () => audited });
    const seen: string[] = [];
    const result = await runSweep({
      ...base,
      out,
      sites: list,
      auditSite: async (site) => (seen.push(site.url), audited),
    });
    expect(result).toEqual({ skipped: 2, done: 3 });
    expect(seen).toEqual(list.slice(2).map((site) => site.url));
  });

  it('fails a site that does not finish within its time limit, after letting it close its browser, and goes on', async () => {
    const out = tmp();
    let released = false;
    const auditSite: SiteAuditor = (site, signal) =>
      site.url.includes('s0.')
        ? new Promise((_, reject) =>
            signal.addEventListener('abort', () => {
              released = true;
              reject(new Error('closed'));
            }),
          )
        : Promise.resolve(audited);
    await runSweep({ ...base, siteTimeoutMs: 50, out, sites: sites(3), auditSite });
    expect(released).toBe(true);
    expect(readResult(out, sites(1)[0]!.id)).toMatchObject({
      status: 'failed',
      reason: 'not done within the site time limit (50 ms)',
    });
    expect(finishedSites(out)).toHaveLength(3);
  });

  it('stops at a setup error, and writes nothing for the sites it cut short', async () => {
    const out = tmp();
    const auditSite: SiteAuditor = async (site, signal) => {
      if (site.url.includes('s1.')) throw new SetupFailure('--catalogue x.json: invalid');
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      throw new Error('closed');
    };
    await expect(runSweep({ ...base, out, sites: sites(6), auditSite })).rejects.toThrow('--catalogue x.json');
    expect(finishedSites(out)).toEqual([]);
  });

  it('when stopped, leaves the sites under way unfinished, so that the next run redoes them', async () => {
    const out = tmp();
    const stop = new AbortController();
    const auditSite: SiteAuditor = async (site, signal) => {
      if (site.url.includes('s2.')) stop.abort();
      await later();
      if (signal.aborted) throw new Error('closed');
      return audited;
    };
    await runSweep({ ...base, concurrency: 1, out, sites: sites(5), auditSite, stop: stop.signal });
    expect(finishedSites(out).sort()).toEqual(
      sites(2)
        .map((site) => site.id)
        .sort(),
    );
  });
});

describe('progressLine', () => {
  it('says what is done, what fails, the rate and the time left', () => {
    expect(progressLine({ total: 40, done: 12, failed: 1, doneThisRun: 10, elapsedMs: 120_000 })).toBe(
      '12/40 sites, 1 failing, 5.0 sites/min, about 6 min left',
    );
    expect(progressLine({ total: 4, done: 4, failed: 0, doneThisRun: 4, elapsedMs: 1000 })).toMatch(/, done$/);
    expect(progressLine({ total: 4, done: 0, failed: 0, doneThisRun: 0, elapsedMs: 0 })).toMatch(/unknown/);
  });
});
