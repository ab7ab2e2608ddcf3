import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport, reportJson } from '../../lib/export/report';
import type { AuditReport } from '../../lib/export/report-schema';
import { BROWSER, EXPORTED_AT, hostileCatalogue, hostileVisit, TOOL } from '../../tests/support/export-visits';
import { parseSiteList, readSiteList, siteId } from './list';
import { mergeSweeps } from './merge';
import { inShard, parseShard, shardOf } from './shard';
import { clearUnfinished, finishedSites, readResult, writeRejected, writeSite } from './store';
import { siteCounts, SUMMARY_FILES, writeSweepSummary } from './summary';

const scratch: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cookie-lens-sweep-test-'));
  scratch.push(dir);
  return dir;
};
afterEach(() => scratch.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function* fromChunks(chunks: string[]): AsyncIterable<string> {
  for (const chunk of chunks) yield await Promise.resolve(chunk);
}

describe('a sweep list', () => {
  it('reads one URL a line, skips comments and blanks, and rejects malformed and repeated lines with a reason', () => {
    const list = parseSiteList(
      [
        '# shops',
        'https://B.example/path#top',
        '',
        '  http://a.example/  # the old one',
        'a.example',
        'ftp://files.example/',
        'https://b.example/path',
        `https://long.example/${'x'.repeat(3000)}`,
      ].join('\r\n'),
    );
    expect(list.sites.map(({ line, url }) => [line, url])).toEqual([
      [2, 'https://b.example/path'],
      [4, 'http://a.example/'],
    ]);
    expect(list.rejected.map(({ line, reason }) => [line, reason])).toEqual([
      [5, 'not a URL'],
      [6, 'not http(s) (ftp:)'],
      [7, 'duplicate of line 2'],
      [8, 'line too long'],
    ]);
    expect(list.rejected[3]!.text.length).toBeLessThan(2100);
  });

  it('names each URL by its host and a hash, distinct for two pages of one host', () => {
    expect(siteId('https://a.example/')).toMatch(/^a\.example-[0-9a-f]{8}$/);
    expect(siteId('https://a.example/x')).not.toBe(siteId('https://a.example/'));
  });

  it('reads a list as a stream, whatever its chunks, as it reads the same text whole', async () => {
    const text = [
      '# shops',
      'https://a.example/',
      '',
      'https://b.example/ # b',
      'bad line',
      'https://a.example/#x',
    ].join('\r\n');
    const whole = parseSiteList(text);
    for (const size of [1, 3, 7, 1000]) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
        text.slice(i * size, (i + 1) * size),
      );
      expect(await readSiteList(fromChunks(chunks))).toEqual(whole);
    }
    expect(whole.sites.map((site) => site.line)).toEqual([2, 4]);
  });

  it('keeps a bounded part of an endless line: too long, unless a comment starts in it', async () => {
    const endless = Array<string>(200).fill('x'.repeat(64 * 1024));
    const list = await readSiteList(
      fromChunks([
        'https://a.example/\nhttps://',
        ...endless,
        '\nhttps://b.example/ # ',
        ...endless,
        '\nhttps://c.example/',
      ]),
    );
    expect(list.sites.map(({ line, url }) => [line, url])).toEqual([
      [1, 'https://a.example/'],
      [3, 'https://b.example/'],
      [4, 'https://c.example/'],
    ]);
    expect(list.rejected).toEqual([{ line: 2, text: `https://${'x'.repeat(192)}…`, reason: 'line too long' }]);
  });

  it('shows a rejected line cut to 200 characters', () => {
    const [rejected] = parseSiteList(`not a url ${'y'.repeat(500)}`).rejected;
    expect(rejected).toEqual({ line: 1, text: `not a url ${'y'.repeat(190)}…`, reason: 'not a URL' });
  });

  it('reads a list of 100,000 lines in one pass', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `https://site-${i % 90_000}.example/`);
    const list = parseSiteList(lines.join('\n'));
    expect(list.sites).toHaveLength(90_000);
    expect(list.rejected).toHaveLength(10_000);
    expect(list.rejected[0]).toMatchObject({ line: 90_001, reason: 'duplicate of line 1' });
  });
});

describe('shards', () => {
  it('parse as i/n, 0-based like a completion index', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['4/4', '1/0', 'a/b', '1', '-1/2']) expect(parseShard(bad)).toHaveProperty('error');
  });

  it('split a list into disjoint parts that cover it, the same on every machine and in any order', () => {
    const urls = Array.from({ length: 400 }, (_, i) => `https://s${i}.example/`);
    const parts = [0, 1, 2, 3].map((index) => urls.filter((url) => inShard(url, { index, count: 4 })));
    expect(parts.flat().sort()).toEqual([...urls].sort());
    for (const part of parts) expect(part.length).toBeGreaterThan(50);
    expect(shardOf('https://s7.example/', 4)).toBe(shardOf('https://s7.example/', 4));
    expect([...urls].reverse().filter((url) => inShard(url, { index: 1, count: 4 }))).toEqual([...parts[1]!].reverse());
  });
});

async function aReport(): Promise<AuditReport> {
  const catalogue = hostileCatalogue({});
  const visit = hostileVisit(catalogue, ['_ga', '=1+1']);
  return buildReport({
    visits: [{ report: visit }],
    catalogues: [catalogue],
    tool: TOOL,
    browser: BROWSER,
    exportedAt: EXPORTED_AT,
  });
}

/** Writes a sweep's outcome for `urls` into `out` as the command does, in the order given. */
async function sweepInto(out: string, urls: string[], failing = new Set<string>()) {
  const report = await aReport();
  for (const url of urls) {
    if (failing.has(url))
      writeSite(out, siteId(url), { url, status: 'failed', reason: 'net::ERR_CONNECTION_REFUSED', counts: null });
    else
      writeSite(
        out,
        siteId(url),
        { url, status: 'audited', reason: null, counts: siteCounts(report) },
        {
          'report.json': reportJson({ ...report, exportedAt: `${EXPORTED_AT + urls.indexOf(url)}` }),
          'report.html': '<!DOCTYPE html>',
        },
      );
  }
}

const summaryOf = (out: string) => SUMMARY_FILES.map((file) => readFileSync(path.join(out, file), 'utf8'));

describe('the sweep summary', () => {
  const list = parseSiteList(
    [
      'https://c.example/',
      'https://a.example/',
      'not a url',
      'https://b.example/',
      'https://a.example/',
      'http://d.example/',
    ].join('\n'),
  );
  const urls = list.sites.map((site) => site.url);
  const down = new Set(['https://b.example/']);

  it('is built from the files on disk: a row per site sorted by URL, a finding a line, the rejected lines last', async () => {
    const out = tmp();
    await sweepInto(out, urls, down);
    writeRejected(out, list.rejected);
    expect(writeSweepSummary(out)).toEqual({ sites: 4, failed: 1, rejected: 2 });
    const [csv, page, jsonl] = summaryOf(out);
    const rows = csv!.trimEnd().split('\r\n');
    expect(rows.map((row) => row.split(',').slice(0, 2).join(','))).toEqual([
      '"url","status"',
      // By URL, not by folder name: http:// before https://.
      '"http://d.example/","audited"',
      '"https://a.example/","audited"',
      '"https://b.example/","failed"',
      '"https://c.example/","audited"',
      '"not a url","rejected"',
      '"https://a.example/","rejected"',
    ]);
    const header = rows[0]!.split(',');
    expect(new Set(header).size, 'one name a column, for DuckDB and pandas').toBe(header.length);
    expect(rows[3]).toContain('net::ERR_CONNECTION_REFUSED');
    expect(rows[6]).toContain('line 5: duplicate of line 2');
    expect(page).toContain(`href="sites/${siteId('https://a.example/')}/report.html"`);
    const findings = jsonl!
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const report = await aReport();
    expect(findings).toHaveLength(3 * report.findings.length);
    expect(findings[0]).toMatchObject({ url: 'http://d.example/', site: 'd.example', kind: report.findings[0]!.kind });
    expect(Object.keys(findings[0]!)).not.toContain('value');
  });

  it('escapes what a list or a site brings into the HTML summary', async () => {
    const out = tmp();
    writeRejected(out, parseSiteList('<script>alert(1)</script>').rejected);
    writeSweepSummary(out);
    expect(summaryOf(out)[1]).not.toContain('<script>alert');
  });

  it('is the same bytes whatever the order the sites were done in, and after shards are merged', async () => {
    const whole = tmp();
    await sweepInto(whole, urls, down);
    writeRejected(whole, list.rejected);
    writeSweepSummary(whole);

    const shards = [0, 1].map((index) => {
      const dir = tmp();
      return { dir, shard: { index, count: 2 } };
    });
    for (const { dir, shard } of shards) {
      await sweepInto(
        dir,
        [...urls].reverse().filter((url) => inShard(url, shard)),
        down,
      );
      writeRejected(
        dir,
        list.rejected.filter((line) => inShard(`line:${line.line}`, shard)),
      );
    }
    const merged = tmp();
    expect(
      mergeSweeps(
        shards.map((s) => s.dir),
        merged,
      ),
    ).toEqual({ sites: 4, failed: 1, rejected: 2 });
    expect(summaryOf(merged)).toEqual(summaryOf(whole));
    expect(readdirSync(path.join(merged, 'sites')).sort()).toEqual(readdirSync(path.join(whole, 'sites')).sort());
  });

  it("writes a site's result after its reports, so that a crash while writing them leaves it not done", () => {
    const out = tmp();
    const id = siteId('https://a.example/');
    const reports = {
      'report.json': '{}',
      get 'report.html'(): string {
        throw new Error('the machine stops here');
      },
    };
    const result = { url: 'https://a.example/', status: 'audited' as const, reason: null, counts: null };
    expect(() => writeSite(out, id, result, reports)).toThrow('the machine stops here');
    expect(readResult(out, id)).toBeNull();
    expect(finishedSites(out)).toEqual([]);
  });

  it('counts a site as done only once its result is written, and a redone site replaces what was left', async () => {
    const out = tmp();
    const [url] = urls;
    const id = siteId(url!);
    await sweepInto(out, [url!]);
    // A run killed between the reports and the result: the site is not done.
    rmSync(path.join(out, 'sites', id, 'result.json'));
    writeFileSync(path.join(out, 'sites', id, '.report.csv.123.tmp'), 'half');
    expect(finishedSites(out)).toEqual([]);
    expect(readResult(out, id)).toBeNull();
    clearUnfinished(out, id);
    expect(existsSync(path.join(out, 'sites', id))).toBe(false);
    await sweepInto(out, [url!]);
    expect(finishedSites(out)).toEqual([id]);
    expect(readdirSync(path.join(out, 'sites', id)).sort()).toEqual(['report.html', 'report.json', 'result.json']);
  });
});
