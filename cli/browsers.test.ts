import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { browserCandidates, findBrowser, firstLine, SetupError, type Platform } from './browsers';
import { staleness } from './build';

const on = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv, files: string[]): Platform => ({
  platform,
  env,
  isFile: (file) => files.includes(file),
});

describe('findBrowser', () => {
  it('finds Chromium before Chrome, and Firefox ESR before Firefox, on Linux', () => {
    const linux = on('linux', { PATH: '/usr/local/bin:/usr/bin' }, [
      '/usr/bin/google-chrome',
      '/usr/bin/chromium',
      '/usr/bin/firefox',
      '/usr/local/bin/firefox-esr',
    ]);
    expect(findBrowser('chromium', undefined, linux)).toBe('/usr/bin/chromium');
    expect(findBrowser('firefox', undefined, linux)).toBe('/usr/local/bin/firefox-esr');
  });

  it('looks in the usual places on macOS and Windows', () => {
    expect(
      findBrowser(
        'chromium',
        undefined,
        on('darwin', {}, ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome']),
      ),
    ).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(browserCandidates('firefox', { platform: 'darwin', env: {} })).toContain(
      '/Applications/Firefox.app/Contents/MacOS/firefox',
    );
    const windows = {
      PROGRAMFILES: 'C:\\Program Files',
      'PROGRAMFILES(X86)': 'C:\\Program Files (x86)',
      LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local',
    };
    expect(browserCandidates('chromium', { platform: 'win32', env: windows })).toContain(
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    );
    expect(browserCandidates('firefox', { platform: 'win32', env: windows })).toContain(
      'C:\\Program Files (x86)\\Mozilla Firefox\\firefox.exe',
    );
  });

  it('takes --browser-path when it exists, and says so when it does not', () => {
    expect(findBrowser('firefox', '/opt/ff/firefox', on('linux', {}, ['/opt/ff/firefox']))).toBe('/opt/ff/firefox');
    expect(() => findBrowser('firefox', '/nonexistent', on('linux', {}, []))).toThrow(
      '--browser-path /nonexistent: no such file.',
    );
  });

  it('says what to install when there is no browser', () => {
    expect(() => findBrowser('chromium', undefined, on('linux', { PATH: '/usr/bin' }, []))).toThrow(
      new SetupError(
        'No Chromium (or Google Chrome) found. Install it (Debian/Ubuntu: sudo apt-get install chromium) or pass --browser-path.',
      ),
    );
    expect(() => findBrowser('firefox', undefined, on('darwin', {}, []))).toThrow(
      /No Firefox found\. Install it \(brew install --cask firefox\)/,
    );
  });
});

describe('staleness of the build', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('rebuilds when there is no build or a source is newer than it, not for a test file', () => {
    root = mkdtempSync(`${tmpdir()}/cli-build-`);
    mkdirSync(`${root}/lib/deep`, { recursive: true });
    writeFileSync(`${root}/lib/deep/a.ts`, '');
    expect(staleness('chromium', root)).toBe('no build yet');
    mkdirSync(`${root}/.output/chrome-mv3`, { recursive: true });
    writeFileSync(`${root}/.output/chrome-mv3/manifest.json`, '{}');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${root}/lib/deep/a.ts`, old, old);
    expect(staleness('chromium', root)).toBeNull();
    writeFileSync(`${root}/lib/deep/a.test.ts`, '');
    expect(staleness('chromium', root)).toBeNull();
    writeFileSync(`${root}/lib/deep/b.ts`, '');
    utimesSync(`${root}/.output/chrome-mv3/manifest.json`, old, old);
    expect(staleness('chromium', root)).toBe('sources changed since the last build');
    expect(staleness('firefox', root)).toBe('no build yet');
  });
});

describe('firstLine', () => {
  it('is the error’s first line, the address a navigation failed on cut as a report keeps it', () => {
    const url = 'https://shop.example/s/3f9a1c2e7b4d5a6f/espace?token=SECRET#frag-SECRET';
    // As puppeteer words Firefox's navigation errors, with the stack after it.
    const error = new Error(`NS_ERROR_CONNECTION_REFUSED at ${url}\n    at navigate (${url}:1:1)`);
    expect(firstLine(error)).toBe('NS_ERROR_CONNECTION_REFUSED at https://shop.example/s/…/espace');
    expect(firstLine(`page.goto: net::ERR_ABORTED at ${url}`)).not.toContain('SECRET');
  });
});
