import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from './fixtures/server';
import { CNP, cnp, QUANTALYS } from './fixtures/sites';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { buildExtension } from './support/extension';
import { launchFirefox, type FirefoxSession } from './support/firefox';

// Proves the plumbing (build, launch, host mapping, TLS, fixture cookies) without relying on the background.

const names = (cookies: { name: string }[]) => cookies.map((c) => c.name).sort();
const scriptSet = names(cnp.cookies.filter((c) => c.by === 'script'));
const headerSet = names(cnp.cookies.filter((c) => c.by === 'header'));
const iframeHeaderSet = names(cnp.cookies.filter((c) => c.by === 'iframe-header'));
const storageKeys = cnp.storage.map((s) => s.key).sort();

/** Runs in the page: cookie names visible to scripts and localStorage keys. */
const inPage = () => ({
  cookies: document.cookie.split('; ').map((pair) => pair.split('=')[0]!),
  storage: Object.keys(localStorage),
  title: document.title,
  messages: (window as unknown as { seenMessages: string[] }).seenMessages,
});

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server?.close());

describe('chromium', () => {
  let chromium: ChromiumSession;
  beforeAll(async () => {
    chromium = await launchChromium({
      extensionPath: buildExtension('chrome'),
      hosts: server.hosts,
      // The page hook and its relay, which must announce nothing to the page.
      auditMode: true,
      waitForBackground: false,
    });
  });
  afterAll(() => chromium?.close());

  it('loads the extension', async () => {
    expect(chromium.extensionId).toMatch(/^[a-p]{32}$/);
    expect(chromium.serviceWorker.url()).toBe(`chrome-extension://${chromium.extensionId}/background.js`);
    const popup = await chromium.openExtensionPage('popup.html');
    expect(await popup.textContent('h1')).toBe('Cookie Lens');
    await popup.close();
  });

  it('visits the CNP fixture over TLS, sees its script cookies and storage, and posts the page no message', async () => {
    const page = await chromium.context.newPage();
    await page.goto(server.url(CNP));
    const seen = await page.evaluate(inPage);
    expect(seen.title).toBe(cnp.title);
    expect(seen.cookies).toEqual(expect.arrayContaining(scriptSet));
    expect(seen.storage).toEqual(expect.arrayContaining(storageKeys));
    // The extension's scripts announce nothing to the page.
    expect(seen.messages).toEqual([]);
    await page.close();
  });

  it('puts header cookies, first and third party, in the jar', async () => {
    const page = await chromium.context.newPage();
    await page.goto(server.url(CNP));
    const jar = await chromium.context.cookies([server.url(CNP), server.url(QUANTALYS)]);
    expect(names(jar)).toEqual(expect.arrayContaining([...headerSet, ...iframeHeaderSet]));
    const jsession = jar.find((c) => c.name === 'JSESSIONID');
    expect(jsession?.value).toBe(cnp.cookies.find((c) => c.name === 'JSESSIONID')!.value);
    await page.close();
  });
});

describe('firefox', () => {
  let firefox: FirefoxSession;
  beforeAll(async () => {
    firefox = await launchFirefox({
      extensionPath: buildExtension('firefox'),
      hosts: server.hosts,
      // The page hook and its relay, which must announce nothing to the page.
      auditMode: true,
      waitForBackground: false,
    });
  });
  afterAll(() => firefox?.close());

  it('loads the extension', async () => {
    const popup = await firefox.openExtensionPage('popup.html');
    await popup.waitForSelector('h1');
    expect(await popup.$eval('h1', (h1) => h1.textContent)).toBe('Cookie Lens');
    await popup.close();
  });

  it('visits the CNP fixture over TLS, sees its script cookies and storage, and posts the page no message', async () => {
    const page = await firefox.browser.newPage();
    await page.goto(server.url(CNP));
    const seen = await page.evaluate(inPage);
    expect(seen.title).toBe(cnp.title);
    expect(seen.cookies).toEqual(expect.arrayContaining(scriptSet));
    expect(seen.storage).toEqual(expect.arrayContaining(storageKeys));
    // The extension's scripts announce nothing to the page.
    expect(seen.messages).toEqual([]);
    await page.close();
  });

  it('puts header cookies, first and third party, in the jar', async () => {
    const page = await firefox.browser.newPage();
    await page.goto(server.url(CNP));
    const jar = await firefox.browser.cookies();
    expect(names(jar)).toEqual(expect.arrayContaining([...headerSet, ...iframeHeaderSet]));
    const jsession = jar.find((c) => c.name === 'JSESSIONID');
    expect(jsession?.value).toBe(cnp.cookies.find((c) => c.name === 'JSESSIONID')!.value);
    await page.close();
  });
});
