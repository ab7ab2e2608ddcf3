import { describe, expect, it } from 'vitest';
import { defaultConcurrency, languageOf, parseAuditArgs, USAGE, type AuditOptions } from './args';

function options(argv: string[], env: NodeJS.ProcessEnv = {}): AuditOptions {
  const parsed = parseAuditArgs(argv, env);
  if (!('options' in parsed)) throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

const error = (argv: string[]) => {
  const parsed = parseAuditArgs(argv);
  return 'error' in parsed ? parsed.error : null;
};

describe('parseAuditArgs', () => {
  it('has defaults for everything but the URLs', () => {
    const o = options(['https://monespaceclient.cnp.fr/']);
    expect(o).toMatchObject({
      browser: 'chromium',
      browserPath: undefined,
      out: './reports',
      catalogues: [],
      resolve: [],
      insecure: false,
      settleMs: 3000,
      timeoutMs: 30_000,
      failOn: 'none',
      lang: 'en',
      build: true,
    });
    expect(o.urls.map(String)).toEqual(['https://monespaceclient.cnp.fr/']);
  });

  it('reads every option, repeated ones included', () => {
    const o = options([
      '--browser',
      'firefox',
      '--browser-path',
      '/opt/ff/firefox',
      '--out',
      'out',
      '--catalogue',
      'a.json',
      '--catalogue',
      'b.json',
      '--resolve',
      'a.example=127.0.0.1',
      '--resolve',
      'B.example=127.0.0.1',
      '--insecure',
      '--settle',
      '0',
      '--timeout',
      '5000',
      '--fail-on',
      'medium',
      '--lang',
      'fr',
      '--no-build',
      'https://a.example:8443/x',
      'http://b.example/',
    ]);
    expect(o).toMatchObject({
      browser: 'firefox',
      browserPath: '/opt/ff/firefox',
      out: 'out',
      catalogues: ['a.json', 'b.json'],
      insecure: true,
      settleMs: 0,
      timeoutMs: 5000,
      failOn: 'medium',
      lang: 'fr',
      build: false,
      resolve: [
        { host: 'a.example', address: '127.0.0.1' },
        { host: 'b.example', address: '127.0.0.1' },
      ],
    });
    expect(o.urls.map(String)).toEqual(['https://a.example:8443/x', 'http://b.example/']);
  });

  it('maps hosts to any IP address in Chromium, IPv6 in brackets or not', () => {
    expect(
      options(['--resolve', 'a.example=10.0.0.5', '--resolve', 'b.example=[::1]', 'https://a.example/']).resolve,
    ).toEqual([
      { host: 'a.example', address: '10.0.0.5' },
      { host: 'b.example', address: '::1' },
    ]);
  });

  it('says what is wrong, in words that name the option', () => {
    expect(error(['--frobnicate', 'https://a.example/'])).toMatch(/Unknown option '--frobnicate'/);
    expect(error([])).toBe('no URL to audit.');
    expect(error(['monespaceclient.cnp.fr'])).toMatch(/not an http\(s\) URL.*https:\/\/monespaceclient\.cnp\.fr/);
    expect(error(['ftp://a.example/'])).toMatch(/not an http\(s\) URL/);
    // What was typed is shown as an address is printed: its token, session id and fragment are not repeated.
    const tokened = error(['https://a.example/', 'ftp://a.example/s/3f9a1c2e7b4d5a6f/espace?token=SECRET#frag-SECRET']);
    expect(tokened).toBe('URL 2: not an http(s) URL; write it in full, e.g. https://a.example/s/…/espace');
    expect(error(['a.example/espace?token=SECRET#frag'])).toBe(
      'URL 1: not an http(s) URL; write it in full, e.g. https://a.example/espace',
    );
    expect(error(['--browser', 'safari', 'https://a.example/'])).toMatch(/--browser safari: use chromium or firefox/);
    expect(error(['--fail-on', 'critical', 'https://a.example/'])).toMatch(
      /--fail-on critical: use one of high, medium, low, info, none/,
    );
    expect(error(['--lang', 'de', 'https://a.example/'])).toMatch(/--lang de: use fr or en/);
    expect(error(['--settle=-1', 'https://a.example/'])).toMatch(/--settle -1: give a whole number of milliseconds\./);
    expect(error(['--timeout', '0', 'https://a.example/'])).toMatch(
      /--timeout 0: give a whole number of milliseconds above 0/,
    );
    expect(error(['--resolve', 'a.example:443:127.0.0.1', 'https://a.example/'])).toMatch(/write it host=address/);
    expect(error(['--resolve', 'a.example=not-an-ip', 'https://a.example/'])).toMatch(/write it host=address/);
  });

  it('refuses a Firefox mapping to anything but 127.0.0.1, saying why', () => {
    expect(error(['--browser', 'firefox', '--resolve', 'a.example=10.0.0.5', 'https://a.example/'])).toMatch(
      /Firefox can map a host only to 127\.0\.0\.1.*Use Chromium/,
    );
  });

  it('takes the language from the environment, French or else English', () => {
    expect(options(['https://a.example/'], { LANG: 'fr_FR.UTF-8' }).lang).toBe('fr');
    expect(options(['--lang', 'en', 'https://a.example/'], { LANG: 'fr_FR.UTF-8' }).lang).toBe('en');
    expect(languageOf({ LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(languageOf({ LC_ALL: 'en_US.UTF-8', LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(languageOf({ LC_MESSAGES: 'fr_CA', LANG: 'C' })).toBe('fr');
  });

  it('reads a sweep: the list, the concurrency, the time limit per site and the shard', () => {
    expect(
      options(['--urls', 'sites.txt', '--concurrency', '3', '--site-timeout', '60000', '--shard', '1/4']),
    ).toMatchObject({
      urlList: 'sites.txt',
      urls: [],
      concurrency: 3,
      siteTimeoutMs: 60_000,
      shard: { index: 1, count: 4 },
    });
    expect(options(['--urls', '-'])).toMatchObject({
      urlList: '-',
      shard: { index: 0, count: 1 },
      siteTimeoutMs: 120_000,
    });
    expect(options(['https://a.example/'])).toMatchObject({ urlList: null });
    expect(error(['--urls', 'a.txt', 'https://a.example/'])).toMatch(/either as arguments or with --urls/);
    expect(error(['--concurrency', '2', 'https://a.example/'])).toMatch(/are for a sweep/);
    expect(error(['--urls', 'a.txt', '--concurrency', '0'])).toMatch(/--concurrency 0: give a whole number/);
    expect(error(['--urls', 'a.txt', '--shard', '4/4'])).toMatch(/--shard 4\/4: write it i\/n/);
    expect(error(['--urls', 'a.txt', '--site-timeout', 'soon'])).toMatch(/--site-timeout soon/);
  });

  it('sizes the default concurrency by cores and free memory, one browser at least', () => {
    const gb = 1024 ** 3;
    expect(defaultConcurrency(8, 16 * gb)).toBe(8);
    // 1 GB holds two browsers: one auditing, one started ahead.
    expect(defaultConcurrency(8, 1 * gb)).toBe(1);
    expect(defaultConcurrency(8, 2 * gb)).toBe(3);
    expect(defaultConcurrency(2, 0.1 * gb)).toBe(1);
  });

  it('reads merge: the shard folders and where the merged sweep goes', () => {
    expect(parseAuditArgs(['merge', '--out', 'all', 'shard-0', 'shard-1'])).toEqual({
      merge: { dirs: ['shard-0', 'shard-1'], out: 'all' },
    });
    expect(error(['merge', 'shard-0'])).toMatch(/--out/);
    expect(error(['merge', '--out', 'all'])).toMatch(/name the shard folders/);
  });

  it('answers --help before anything else', () => {
    expect(parseAuditArgs(['--help'])).toEqual({ help: true });
    expect(parseAuditArgs(['-h', '--browser', 'safari'])).toEqual({ help: true });
    expect(USAGE).toMatch(/--fail-on/);
  });

  it('reads a consent audit: its scenarios in the order given, the rules file and the links to follow', () => {
    expect(options(['https://a.example/'])).toMatchObject({ consent: null, consentRules: null, follow: 1 });
    expect(options(['--consent', 'none,refuse,accept', 'https://a.example/'])).toMatchObject({
      consent: ['none', 'refuse', 'accept'],
      consentRules: null,
      follow: 1,
    });
    expect(
      options(['--consent', 'accept, Refuse', '--consent-rules', 'rules.json', '--follow', '3', 'https://a.example/']),
    ).toMatchObject({ consent: ['accept', 'refuse'], consentRules: 'rules.json', follow: 3 });
    expect(options(['--consent', 'refuse', '--follow', '0', 'https://a.example/'])).toMatchObject({ follow: 0 });
  });

  it('refuses a consent audit it cannot run, saying what to write instead', () => {
    expect(error(['--consent', 'none,reject', 'https://a.example/'])).toMatch(
      /--consent none,reject: no scenario "reject"; use one or more of none,refuse,accept/,
    );
    expect(error(['--consent', 'refuse,refuse', 'https://a.example/'])).toMatch(/named twice/);
    expect(error(['--consent', '', 'https://a.example/'])).toMatch(/name the scenarios/);
    expect(error(['--consent', 'none,', 'https://a.example/'])).toMatch(/name the scenarios/);
    expect(error(['--consent', 'none', '--follow', 'two', 'https://a.example/'])).toMatch(
      /--follow two: give a whole number of links, 0 to 20/,
    );
    expect(error(['--consent', 'none', '--follow', '21', 'https://a.example/'])).toMatch(/--follow 21/);
    expect(error(['--follow', '2', 'https://a.example/'])).toMatch(/for a consent audit/);
    expect(error(['--consent-rules', 'r.json', 'https://a.example/'])).toMatch(/for a consent audit/);
    expect(error(['--consent', 'none', '--urls', 'sites.txt'])).toMatch(/not a sweep/);
  });

  it('documents the consent audit and its exit codes in --help', () => {
    expect(USAGE).toMatch(/--consent <scenarios>/);
    expect(USAGE).toMatch(/--consent-rules <file\.json>/);
    expect(USAGE).toMatch(/--follow <n>/);
    expect(USAGE).toMatch(/only when every scenario failed/);
  });
});
