// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import {
  batchReports,
  HOOK_HELLO,
  openHookChannel,
  openRelayChannel,
  RELAY_HELLO,
  REPORTS_EVENT,
} from './page-channel';
import type { PageWrite } from './page-write';

const report: PageWrite = {
  kind: 'cookie-write',
  api: 'document.cookie',
  name: 'n',
  attributes: '',
  deleted: false,
  at: 1,
  scriptUrl: null,
  frameUrl: 'https://a.test/',
};
const TYPES = [HOOK_HELLO, RELAY_HELLO, REPORTS_EVENT];
/** Of watchAsPage's four listeners, those an event on the document reaches: it does not bubble up to the window. */
const PAGE_LISTENERS_REACHED = 3;

let closeRelay: (() => void) | undefined;
let pageListeners: Array<() => void> = [];
afterEach(() => {
  closeRelay?.();
  closeRelay = undefined;
  for (const remove of pageListeners) remove();
  pageListeners = [];
});

/** What a page script sees of the channel's event types: it listens everywhere it can, as late as it can (after both ends). */
function watchAsPage(): string[] {
  const seen: string[] = [];
  for (const type of TYPES) {
    for (const [target, capture] of [
      [window, true],
      [window, false],
      [document, true],
      [document, false],
    ] as const) {
      const listener = (e: Event) => seen.push(`${e.type}:${String((e as CustomEvent).detail ?? '')}`);
      target.addEventListener(type, listener, capture);
      pageListeners.push(() => target.removeEventListener(type, listener, capture));
    }
  }
  return seen;
}

function relay(): unknown[][] {
  const batches: unknown[][] = [];
  closeRelay = openRelayChannel(window, (reports) => batches.push(reports), 'secret-key');
  return batches;
}

describe('the channel between the page hook and its relay', () => {
  it.each([
    ['the relay', 'the hook'],
    ['the hook', 'the relay'],
  ])('opens whether %s or %s runs first, and the page sees none of it', (first) => {
    let opened = 0;
    let batches: unknown[][];
    let hook;
    if (first === 'the relay') {
      batches = relay();
      hook = openHookChannel(window, () => opened++);
    } else {
      hook = openHookChannel(window, () => opened++);
      expect(hook.send([report])).toBe(false); // nothing to take it yet
      batches = relay();
    }
    expect(opened).toBe(1);
    const seen = watchAsPage();
    expect(hook.send([report])).toBe(true);
    expect(batches).toEqual([[report]]);
    expect(seen).toEqual([]);
  });

  it("takes no batch a page forges, and lets the page's own events go on", () => {
    const batches = relay();
    openHookChannel(window, () => undefined);
    const seen = watchAsPage();
    const forge = (detail: unknown) => document.dispatchEvent(new CustomEvent(REPORTS_EVENT, { detail }));
    forge(JSON.stringify({ key: 'guess', reports: [report] }));
    forge(JSON.stringify({ reports: [report] }));
    forge('not json');
    forge({ key: 'secret-key', reports: [report] }); // not the hook's string
    expect(batches).toEqual([]);
    expect(seen.filter((s) => s.startsWith(REPORTS_EVENT))).toHaveLength(4 * PAGE_LISTENERS_REACHED);
  });

  it('never hands its key to a page that greets like the hook or the relay', () => {
    relay();
    let opened = 0;
    const hook = openHookChannel(window, () => opened++);
    const seen = watchAsPage();
    document.dispatchEvent(new CustomEvent(HOOK_HELLO, { cancelable: true }));
    document.dispatchEvent(new CustomEvent(RELAY_HELLO, { detail: 'page-key', cancelable: true }));
    expect(seen.some((s) => s.includes('secret-key'))).toBe(false);
    // The page's greetings reached the page's listeners, as they would without Cookie Lens.
    expect(seen.filter((s) => s.startsWith(HOOK_HELLO))).toHaveLength(PAGE_LISTENERS_REACHED);
    expect(seen.filter((s) => s.startsWith(RELAY_HELLO))).toHaveLength(PAGE_LISTENERS_REACHED);
    // The hook still sends to the relay, under the relay's key, not the page's.
    const batches: string[] = [];
    const spy = (e: Event) => batches.push(String((e as CustomEvent).detail));
    window.addEventListener(REPORTS_EVENT, spy, true); // after the relay's: never called
    hook.send([report]);
    window.removeEventListener(REPORTS_EVENT, spy, true);
    expect(batches).toEqual([]);
    expect(opened).toBe(1);
  });
});

describe('batchReports', () => {
  it('reads a batch only with the key', () => {
    expect(batchReports(JSON.stringify({ key: 'k', reports: [1] }), 'k')).toEqual([1]);
    expect(batchReports(JSON.stringify({ key: 'x', reports: [1] }), 'k')).toBeNull();
    expect(batchReports(JSON.stringify({ key: 'k', reports: 'many' }), 'k')).toBeNull();
    expect(batchReports('{', 'k')).toBeNull();
    expect(batchReports(null, 'k')).toBeNull();
  });
});
