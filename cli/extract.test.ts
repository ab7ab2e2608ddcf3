// @vitest-environment happy-dom
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Catalogue } from '../lib/catalogue/schema';
import { draftFromPaste, withCharacterReferences } from '../lib/extraction/extract-input';
import { measureLinearTime } from '../tests/support/linear-time';
import { extractFromPage } from '../lib/extraction/page-sources';
import { extract } from './extract';

const CORPUS = join(__dirname, '../tests/fixtures/extraction/corpus');
const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await extract(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

/** What the three paths must agree on: every entry and rule, provenance included. */
const body = (catalogue: Catalogue) => ({ entries: catalogue.entries, rules: catalogue.rules });

describe('npm run extract', () => {
  it('gives the draft the popup and the dashboard give for the same input', async () => {
    for (const name of ['06-cellules-par-ligne-fr.txt', '23-expires-after.txt', '01-cookie-subgroup.html']) {
      const file = join(CORPUS, name);
      const content = readFileSync(file, 'utf8');
      const cli = await run([file]);
      expect(cli.code).toBe(0);
      const fromCli = JSON.parse(cli.out) as Catalogue;
      expect(fromCli.entries.length).toBeGreaterThan(0);
      const fromPaste = draftFromPaste(content, file, parse).catalogue;
      const html = name.endsWith('.html') ? content : '<html><body></body></html>';
      const fromPopup = extractFromPage(
        { url: file, title: '', language: '', html, text: content, oneTrust: null, didomi: null },
        parse,
      )[0]!.catalogue;
      expect(body(fromPaste)).toEqual(body(fromCli));
      expect(body(fromPopup)).toEqual(body(fromCli));
    }
  });

  it('reads Markdown and text as a reader sees them, their character references decoded', () => {
    const markdown = [
      '| Cookie | Finalit&eacute; | Dur&eacute;e |',
      '|---|---|---|',
      '| app_jwt | Jeton | Jusqu&#39;&agrave; d&eacute;connexion |',
      '| app_pref | R&eacute;glages | 6&nbsp;mois |',
    ].join('\n');
    const lifetimes = (file: string) =>
      draftFromPaste(markdown, file, parse).catalogue.entries.map((entry) => [entry.id, entry.lifetime.text]);
    expect(lifetimes('policy.md')).toEqual([
      ['app-jwt', "Jusqu'à déconnexion"],
      ['app-pref', '6 mois'],
    ]);
    expect(lifetimes('policy.txt')).toEqual(lifetimes('policy.md'));
    expect(withCharacterReferences('&#146;&#x2019;&#0;&#xD800;&unknownname;&AMP;', parse)).toBe(
      '’’\ufffd\ufffd&unknownname;&',
    );
  });

  it('decodes a text of distinct character references in time linear in its size', () => {
    expect(
      measureLinearTime((size) => {
        const named = Array.from({ length: size / 16 }, (_, i) => `&n${i};&#${i + 200};`).join(' ');
        return () => withCharacterReferences(named, parse);
      }),
    ).toMatchObject({ brokeAt: null });
  });

  it('writes the draft to --out, with what it could not read in the notes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'extract-'));
    const input = join(dir, 'policy.txt');
    writeFileSync(input, 'Name | Expiry\nsid_token | 1 year\nNom | Durée\n| 3 mois\n');
    const out = join(dir, 'draft.json');
    const { code, out: stdout, err } = await run(['--format', 'text', '--out', out, input]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(err).toMatch(/1 entries, 0 rules, 1 passage\(s\) not read .* written to /);
    const draft = JSON.parse(readFileSync(out, 'utf8')) as Catalogue;
    expect(draft.entries.map((entry) => [entry.names[0]?.printed, entry.lifetime.text])).toEqual([
      ['sid_token', '1 year'],
    ]);
    expect(draft.entries[0]!.provenance.source).toBe(input);
    expect(draft.notes?.some((note) => note.startsWith(`Not read from ${input}`))).toBe(true);
  });

  it('keeps the consent rules of every file, their ids kept apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'extract-'));
    const files = ['a.txt', 'b.txt'].map((name) => join(dir, name));
    for (const file of files)
      writeFileSync(file, 'Name | Expiry\nsid_token | 1 year\n\nTous les cookies sont soumis à votre consentement.\n');
    const { code, out } = await run(['--format', 'text', ...files]);
    expect(code).toBe(0);
    const draft = JSON.parse(out) as Catalogue;
    expect(draft.consentRules?.map((rule) => [rule.id, rule.appliesTo, rule.basis, rule.provenance.source])).toEqual([
      ['all-required', 'all', 'required', files[0]],
      ['all-required-2', 'all', 'required', files[1]],
    ]);
  });

  it('refuses bad input with a clear message, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'extract-'));
    const out = join(dir, 'draft.json');
    const bad: Array<[string, string | Buffer, RegExp]> = [
      ['binary.pdf', Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x00, 0x01]), /a binary file/],
      ['huge.txt', 'Cookie _ga_big expires after 2 years.\n'.repeat(540_000), /20\.\d MB, more than the 3 MB/],
      [
        'tables.html',
        `<html><body>${'<table><tr><th>Name</th><th>Expiry</th></tr><tr><td>_ga</td><td>2 years</td></tr></table>'.repeat(10_000)}</body></html>`,
        /more than 2000 tables/,
      ],
      ['wrong.json', '{"groups": {"cookies": 3}}', /nothing recognised/],
      ['empty.txt', '', /nothing recognised/],
    ];
    for (const [name, content, message] of bad) {
      const file = join(dir, name);
      writeFileSync(file, content);
      const started = Date.now();
      const result = await run(['--out', out, file]);
      expect(result.code, name).toBe(3);
      expect(result.err).toMatch(message);
      expect(result.err).toMatch(/Nothing written\.\n$/);
      expect(existsSync(out)).toBe(false);
      // Refused after a look at the file, not after reading it through: generous on a busy machine.
      expect(Date.now() - started, name).toBeLessThan(20_000);
    }
    expect((await run([join(dir, 'missing.html')])).err).toMatch(/no such file/);
  });

  it('explains its usage, and exits 2 on a usage error', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, out: expect.stringMatching(/^Usage: npm run extract/) });
    expect(await run(['--format', 'pdf', 'x.txt'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--format pdf/),
    });
    expect(await run([])).toMatchObject({ code: 2, err: expect.stringMatching(/no file to read/) });
    expect(await run(['--out', 'draft.txt', 'x.txt'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/\.json/),
    });
    expect((await run(['--bogus', 'x.txt'])).code).toBe(2);
  });

  it('runs as npm run extract', () => {
    const help = execFileSync('npm', ['run', '-s', 'extract', '--', '--help'], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
    });
    expect(help).toMatch(/--format <format>/);
  }, 60_000);
});
