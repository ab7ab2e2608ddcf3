// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openHookChannel, openRelayChannel } from './page-channel';
import { measureLinearTime } from '../../tests/support/linear-time';
import { installPageHook, parseCookieWrite, stackLocations, type PageHook } from './page-hook';
import { validReports, type PageCookieWrite, type PageWrite, type PageStorageWrite } from './page-write';
import type { PageReportsMessage } from './page-relay';
import { installPageRelay } from './page-relay';

/**
 * happy-dom's Storage binds its methods to an inner object, so `this` inside setItem is never `localStorage`
 * itself. This stand-in behaves like a browser's: methods on the prototype, `this` is the storage object,
 * named properties (`storage.foo = 1`) write items without calling setItem.
 */
const DATA = Symbol('data');
class SpecStorage {
  [DATA] = new Map<string, string>();
  get length(): number {
    return this[DATA].size;
  }
  key(index: number): string | null {
    return [...this[DATA].keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this[DATA].get(String(key)) ?? null;
  }
  setItem(key: string, value: string): void {
    this[DATA].set(String(key), String(value));
  }
  removeItem(key: string): void {
    this[DATA].delete(String(key));
  }
  clear(): void {
    this[DATA].clear();
  }
}
function specStorage(items: Record<string, string> = {}): Storage {
  const storage = new SpecStorage();
  for (const [k, val] of Object.entries(items)) storage[DATA].set(k, val);
  return new Proxy(storage, {
    get: (t, p, r) => (p in t ? Reflect.get(t, p, r) : t[DATA].get(p as string)),
    set: (t, p, val) => {
      if (typeof p === 'string' && !(p in t)) t[DATA].set(p, String(val));
      return true;
    },
    deleteProperty: (t, p) => t[DATA].delete(p as string),
  }) as unknown as Storage;
}

function setStorage(area: 'localStorage' | 'sessionStorage', storage: Storage): void {
  Object.defineProperty(window, area, { value: storage, configurable: true });
  // As in browsers, the storages are instances of window.Storage.
  Object.defineProperty(window, 'Storage', { value: SpecStorage, configurable: true, writable: true });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let posts: PageWrite[][];
let hook: PageHook | undefined;
let counter = 0;
/** A cookie name not used by an earlier test (happy-dom's cookie jar lives for the whole file). */
const fresh = (prefix: string) => `${prefix}${++counter}`;

function install(): PageHook {
  hook = installPageHook(window, (reports) => posts.push(reports));
  return hook;
}
const reports = () => posts.flat();
const cookieReports = () => reports().filter((r): r is PageCookieWrite => r.kind === 'cookie-write');
const storageReports = () => reports().filter((r): r is PageStorageWrite => r.kind === 'storage');

beforeEach(() => {
  posts = [];
  setStorage('localStorage', specStorage());
  setStorage('sessionStorage', specStorage());
});
afterEach(() => {
  hook?.uninstall();
  hook = undefined;
  Reflect.deleteProperty(window, 'localStorage');
  Reflect.deleteProperty(window, 'sessionStorage');
});

describe('parseCookieWrite', () => {
  it('keeps the name and the attributes, never the value', () => {
    expect(parseCookieWrite(' id = abc=def ;  Path=/; Secure ')).toEqual({ name: 'id', attributes: 'Path=/; Secure' });
    expect(parseCookieWrite('novalue')).toEqual({ name: '', attributes: '' });
    expect(parseCookieWrite('secret; path=/')).toEqual({ name: '', attributes: 'path=/' });
    expect(parseCookieWrite('=v')).toEqual({ name: '', attributes: '' });
  });
});

describe('parseCookieWrite on hostile writes', () => {
  it('takes time linear in the write, however long its runs of spaces', () => {
    expect(parseCookieWrite(`id${' '.repeat(1000)}x=v;${' '.repeat(1000)}path=/ `)).toEqual({
      name: `id${' '.repeat(1000)}x`,
      attributes: 'path=/',
    });
    expect(
      measureLinearTime((size) => {
        const write = `id${' '.repeat(size / 2)}x=v; path=/${' '.repeat(size / 2)}x`;
        return () => parseCookieWrite(write);
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('stackLocations', () => {
  it('reads V8 and SpiderMonkey frames', () => {
    const v8 = [
      'Error',
      '    at Object.apply (chrome-extension://abc/content-scripts/page-hook.js:1:2345)',
      '    at new Promise (<anonymous>)',
      '    at eval (eval at run (https://a.test/app.js:1:2), <anonymous>:1:1)',
      '    at named (https://a.test/app.js:5:20)',
      '    at https://a.test/inline.html:9:1',
    ].join('\n');
    expect(stackLocations(v8)).toEqual([
      'chrome-extension://abc/content-scripts/page-hook.js',
      'eval at run (https://a.test/app.js:1:2), <anonymous>',
      'https://a.test/app.js',
      'https://a.test/inline.html',
    ]);
    const gecko =
      'apply@<anonymous code>:4:161\nf@https://a.test/a.js line 2 > eval:1:5\nnamed@https://a.test/app.js:5:20\n@https://a.test/app.js:5:52\n';
    expect(stackLocations(gecko)).toEqual([
      '<anonymous code>',
      'https://a.test/a.js',
      'https://a.test/app.js',
      'https://a.test/app.js',
    ]);
  });

  // Function names and script URLs (a sourceURL comment names eval'd code as it likes) are the page's to choose.
  it('takes time linear in frames the page made long', () => {
    expect(
      stackLocations(`Error\n    at x${' ('.repeat(1000)}y (https://a.test/app.js:1:2)\n${'@'.repeat(1000)}`),
    ).toEqual([`${' ('.repeat(999)}y (https://a.test/app.js`]);
    expect(
      measureLinearTime((size) => {
        const stack = `Error\n    at x${' ('.repeat(size / 8)}\n    at ${' (:1'.repeat(size / 16)}\n${'@'.repeat(size / 4)}:1:2x`;
        return () => stackLocations(stack);
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('document.cookie', () => {
  it('lets writes through unchanged and leaves the getter alone', () => {
    const before = Object.getOwnPropertyDescriptor(cookieOwner(), 'cookie');
    install();
    const after = Object.getOwnPropertyDescriptor(cookieOwner(), 'cookie');
    expect(after?.get).toBe(before?.get);
    expect(after?.set).not.toBe(before?.set);
    expect(after?.set?.name).toBe('set cookie');
    expect(after?.set?.length).toBe(before?.set?.length);
    // Function.prototype.toString tells it from the original neither way it may be called.
    expect(Function.prototype.toString.call(after?.set)).toBe(Function.prototype.toString.call(before?.set));
    expect(after?.set?.toString()).toBe(before?.set?.toString());
    expect(Function.prototype.toString.call(Function.prototype.toString)).toBe('function toString() { [native code] }');
    expect(after?.enumerable).toBe(before?.enumerable);
    expect(after?.configurable).toBe(before?.configurable);

    const name = fresh('through');
    document.cookie = `${name}=kept-value; path=/`;
    expect(document.cookie).toContain(`${name}=kept-value`);
  });

  it('reports names and attributes but never values', () => {
    const h = install();
    const a = fresh('a');
    const b = fresh('b');
    document.cookie = `${a}=SECRET-ONE; Path=/; Max-Age=60; SameSite=Lax`;
    document.cookie = `${b}=SECRET-TWO`;
    document.cookie = 'SECRET-THREE'; // no '=': the name is empty and all of it is the value
    h.flush();
    const cookies = cookieReports();
    expect(cookies.map((r) => [r.api, r.name, r.attributes, r.deleted])).toEqual([
      ['document.cookie', a, 'Path=/; Max-Age=60; SameSite=Lax', false],
      ['document.cookie', b, '', false],
      ['document.cookie', '', '', false],
    ]);
    const json = JSON.stringify(posts);
    for (const secret of ['SECRET-ONE', 'SECRET-TWO', 'SECRET-THREE']) expect(json).not.toContain(secret);
    for (const r of cookies) {
      expect(r.frameUrl).toBe(location.href);
      expect(r.scriptUrl).toContain('page-hook.test.ts');
      expect(typeof r.at).toBe('number');
    }
  });

  it("converts the value once, so the page's toString runs once", () => {
    install();
    let calls = 0;
    const name = fresh('obj');
    (document as { cookie: unknown }).cookie = { toString: () => (calls++, `${name}=1`) };
    expect(calls).toBe(1);
    expect(document.cookie).toContain(`${name}=1`);
  });

  it('keeps writing when reporting fails', () => {
    const h = installPageHook(window, () => {
      throw new Error('relay gone');
    });
    hook = h;
    const name = fresh('unreported');
    document.cookie = `${name}=1`;
    expect(() => h.flush()).not.toThrow();
    expect(document.cookie).toContain(`${name}=1`);
  });

  it("lets the original setter's exception through unchanged, and reports nothing then", () => {
    const owner = cookieOwner();
    const real = Object.getOwnPropertyDescriptor(owner, 'cookie');
    const boom = new DOMException('The document is sandboxed', 'SecurityError');
    Object.defineProperty(owner, 'cookie', {
      ...real,
      set(_value: string) {
        throw boom;
      },
    });
    try {
      const h = install();
      expect(() => {
        document.cookie = 'x=1';
      }).toThrow(boom);
      expect(captureError(() => (document.cookie = 'x=1'))).toBe(boom);
      h.flush();
      expect(cookieReports()).toEqual([]);
    } finally {
      hook?.uninstall();
      hook = undefined;
      if (real) Object.defineProperty(owner, 'cookie', real);
    }
  });

  it('batches 10,000 writes into a few posts, one report per write, as they come', async () => {
    install();
    const names: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const name = `bulk${i % 50}`;
      names.push(name);
      document.cookie = `${name}=v${i}; path=/`;
    }
    // A flood is sent as it comes, in full batches, rather than held in the page.
    expect(posts).toHaveLength(20);
    await sleep(120);
    expect(posts.length).toBeLessThanOrEqual(20);
    for (const batch of posts) expect(batch.length).toBeLessThanOrEqual(500);
    expect(cookieReports().map((r) => r.name)).toEqual(names);
    for (const batch of posts) expect(validReports(batch)).toHaveLength(batch.length);
  }, 30_000);

  it('reports hostile names verbatim', () => {
    const h = install();
    const hostile = '<img src=x onerror=alert(1)>';
    const hostileCookie = '<script>alert("x")</script>'; // a cookie name ends at its first '='
    document.cookie = `${hostileCookie}=1`;
    document.cookie = `${hostile}`;
    localStorage.setItem(hostile, 'x');
    h.flush();
    expect(cookieReports().map((r) => [r.name, r.attributes])).toEqual([
      ['<script>alert("x")</script>', ''],
      ['<img src', ''],
    ]);
    expect(storageReports()[0]?.keys).toEqual(['<img src=x onerror=alert(1)>']);
  });
});

describe('cookieStore', () => {
  it('reports set and delete in both forms, without values', async () => {
    const h = install();
    const a = fresh('cs');
    const b = fresh('cs');
    await cookieStore.set(a, 'SECRET-CS1');
    const expires = Date.UTC(2030, 0, 2, 3, 4, 5);
    await cookieStore.set({ name: b, value: 'SECRET-CS2', expires, path: '/', sameSite: 'lax', partitioned: true });
    await cookieStore.delete({ name: b, path: '/' });
    await cookieStore.delete(a);
    h.flush();
    expect(cookieReports().map((r) => [r.api, r.name, r.attributes, r.deleted])).toEqual([
      ['cookieStore', a, 'path=/; samesite=strict; secure', false],
      ['cookieStore', b, 'expires=Wed, 02 Jan 2030 03:04:05 GMT; path=/; samesite=lax; partitioned; secure', false],
      ['cookieStore', b, 'path=/', true],
      ['cookieStore', a, 'path=/', true],
    ]);
    expect(JSON.stringify(posts)).not.toContain('SECRET-CS');
  });

  it('reports the name the browser was given, reading each option of the page once, in WebIDL’s order', () => {
    const proto = Object.getPrototypeOf(cookieStore) as { set: (...args: unknown[]) => Promise<void> };
    const original = Object.getOwnPropertyDescriptor(proto, 'set');
    const given: unknown[] = [];
    const stub = function set(init: unknown) {
      given.push({ ...(init as object) });
      return Promise.resolve();
    };
    Object.defineProperty(proto, 'set', { ...original, value: stub });
    try {
      const h = install();
      const reads: string[] = [];
      let nameReads = 0;
      // A page whose options tell a second reader another name than the first.
      const options = {
        get name() {
          reads.push('name');
          return nameReads++ === 0 ? 'tracker' : 'innocent';
        },
        get value() {
          reads.push('value');
          return 'SECRET-CS3';
        },
        get path() {
          reads.push('path');
          return '/';
        },
      };
      void cookieStore.set(options as never);
      h.flush();
      expect(given).toEqual([{ name: 'tracker', value: 'SECRET-CS3', path: '/' }]);
      expect(cookieReports().map((r) => r.name)).toEqual(['tracker']);
      expect(reads).toEqual(['name', 'path', 'value']);
      expect(JSON.stringify(posts)).not.toContain('SECRET-CS3');
    } finally {
      hook?.uninstall();
      hook = undefined;
      if (original) Object.defineProperty(proto, 'set', original);
    }
  });

  it('returns the original promise and keeps name and length', () => {
    const proto = Object.getPrototypeOf(cookieStore) as { set: (...args: unknown[]) => Promise<void> };
    const original = Object.getOwnPropertyDescriptor(proto, 'set');
    const promise = Promise.resolve();
    const stub = function set(_name: unknown, _value?: unknown) {
      return promise;
    };
    Object.defineProperty(proto, 'set', { ...original, value: stub });
    try {
      install();
      expect(cookieStore.set('x', 'y')).toBe(promise);
      expect(cookieStore.set.name).toBe('set');
      expect(cookieStore.set.length).toBe(stub.length);
    } finally {
      hook?.uninstall();
      hook = undefined;
      if (original) Object.defineProperty(proto, 'set', original);
    }
  });
});

describe('storage', () => {
  it('reports the keys present at load, then set, remove and clear, never values', () => {
    setStorage('localStorage', specStorage({ old1: 'SECRET-L1', old2: 'SECRET-L2' }));
    setStorage('sessionStorage', specStorage({ sess: 'SECRET-S1' }));
    const h = install();
    localStorage.setItem('k1', 'SECRET-L3');
    localStorage.removeItem('old1');
    sessionStorage.setItem('s2', 'SECRET-S2');
    localStorage.clear();
    h.flush();
    // A storage's keys are read, and reported present, when the page first uses it.
    expect(storageReports().map((r) => [r.area, r.op, r.keys])).toEqual([
      ['localStorage', 'present', ['old1', 'old2']],
      ['localStorage', 'set', ['k1']],
      ['localStorage', 'remove', ['old1']],
      ['sessionStorage', 'present', ['sess']],
      ['sessionStorage', 'set', ['s2']],
      ['localStorage', 'clear', ['old2', 'k1']],
    ]);
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.getItem('s2')).toBe('SECRET-S2');
    expect(JSON.stringify(posts)).not.toContain('SECRET');
    for (const r of storageReports()) expect(r.origin).toBe(location.origin);
    expect(storageReports()[1]?.scriptUrl).toContain('page-hook.test.ts');
  });

  it('leaves storage alone while the page loads, and reads what it holds once loaded', async () => {
    let reads = 0;
    const storage = specStorage({ before: 'SECRET-B' });
    Object.defineProperty(window, 'localStorage', { configurable: true, get: () => (reads++, storage) });
    const h = install();
    expect(reads).toBe(0);
    await sleep(5);
    h.flush();
    expect(reads).toBeGreaterThan(0);
    expect(storageReports().map((r) => [r.area, r.op, r.keys])).toEqual([['localStorage', 'present', ['before']]]);
  });

  it('keeps setItem, removeItem and clear looking like the originals', () => {
    const proto = Object.getPrototypeOf(localStorage) as Record<string, (...args: unknown[]) => unknown>;
    const methods = ['setItem', 'removeItem', 'clear'];
    const before = methods.map((m) => [
      proto[m]!.name,
      proto[m]!.length,
      Function.prototype.toString.call(proto[m]),
      proto[m]!.toString(),
    ]);
    const originals = methods.map((m) => proto[m]);
    install();
    expect(methods.map((m) => proto[m])).not.toEqual(originals);
    const after = methods.map((m) => [
      proto[m]!.name,
      proto[m]!.length,
      Function.prototype.toString.call(proto[m]),
      proto[m]!.toString(),
    ]);
    expect(after).toEqual(before);
  });

  it('catches property-style writes and deletes by diffing keys', async () => {
    const h = install();
    await sleep(5); // the hook watches the storages once the page has loaded
    (localStorage as unknown as Record<string, string>).prop = 'SECRET-P';
    localStorage.setItem('viaSetItem', 'x'); // already reported: the diff must not report it again
    h.flush();
    delete (localStorage as unknown as Record<string, string>).prop;
    h.flush();
    expect(storageReports().map((r) => [r.op, r.keys, r.scriptUrl === null])).toEqual([
      ['set', ['viaSetItem'], false],
      ['set', ['prop'], true],
      ['remove', ['prop'], true],
    ]);
    expect(JSON.stringify(posts)).not.toContain('SECRET');
  });

  it('diffs and sends at once when the page is hidden', async () => {
    install();
    await sleep(5);
    (sessionStorage as unknown as Record<string, string>).late = '1';
    window.dispatchEvent(new Event('pagehide'));
    expect(storageReports().map((r) => [r.area, r.op, r.keys])).toEqual([['sessionStorage', 'set', ['late']]]);
  });

  it('does not throw when storage access throws', () => {
    for (const area of ['localStorage', 'sessionStorage'] as const) {
      Object.defineProperty(window, area, {
        configurable: true,
        get() {
          throw new DOMException('The document is sandboxed', 'SecurityError');
        },
      });
    }
    const h = install();
    const name = fresh('sandboxed');
    document.cookie = `${name}=1`;
    expect(() => h.flush()).not.toThrow();
    expect(storageReports()).toEqual([]);
    expect(cookieReports().map((r) => r.name)).toEqual([name]);
  });
});

describe('a page that replaces built-ins once the hook is installed', () => {
  // Made at run time: the test's own source, which the page's replacements may be handed too, does not hold it.
  const KEY = `relay-${Math.random().toString(36).slice(2)}`;
  let restore: (() => void)[] = [];
  afterEach(() => {
    for (const undo of restore.reverse()) undo();
    restore = [];
  });

  /** Replaces `owner[key]` by `make(original)` until the test ends. */
  function replace(owner: object, key: PropertyKey, make: (original: never) => unknown): void {
    const desc = Object.getOwnPropertyDescriptor(owner, key);
    Object.defineProperty(owner, key, {
      __proto__: null,
      value: make(desc?.value as never),
      writable: true,
      configurable: true,
      enumerable: false,
    } as PropertyDescriptor);
    restore.push(() => (desc ? Object.defineProperty(owner, key, desc) : Reflect.deleteProperty(owner, key)));
  }

  /**
   * What a hostile page does: every built-in the hook might use reports what it is given (this, arguments) before
   * doing its job, so that the page can read the key or a batch; Error.prepareStackTrace names a script of its choosing.
   */
  function poison(): string[] {
    const seen: string[] = [];
    const [realApply, realStringify, realIncludes, realPush] = [
      Reflect.apply,
      JSON.stringify,
      String.prototype.includes,
      Array.prototype.push,
    ];
    let busy = false;
    const look = (...values: unknown[]) => {
      if (busy) return;
      busy = true;
      try {
        for (let i = 0; i < values.length; i++) {
          const value = values[i];
          let text: string | undefined;
          try {
            text = typeof value === 'string' ? value : (realApply(realStringify, JSON, [value]) as string | undefined);
          } catch {
            text = undefined;
          }
          if (
            typeof text === 'string' &&
            (realApply(realIncludes, text, [KEY]) || realApply(realIncludes, text, ['"kind":"']))
          ) {
            realApply(realPush, seen, [text]);
          }
        }
      } finally {
        busy = false;
      }
    };
    const spy = (original: (...args: unknown[]) => unknown) =>
      function (this: unknown, ...args: unknown[]) {
        look(this, args);
        return realApply(original, this, args);
      };
    replace(
      Reflect,
      'apply',
      (original: (...a: unknown[]) => unknown) =>
        (fn: (...a: unknown[]) => unknown, self: unknown, args: unknown[]) => {
          look(self, args);
          return realApply(original, Reflect, [fn, self, args]);
        },
    );
    for (const key of ['call', 'apply', 'bind'] as const) replace(Function.prototype, key, spy);
    replace(JSON, 'stringify', spy);
    for (const key of ['defineProperty', 'getOwnPropertyDescriptor', 'keys'] as const) replace(Object, key, spy);
    for (const key of [
      'push',
      'slice',
      'splice',
      'map',
      'filter',
      'find',
      'some',
      'join',
      'forEach',
      'concat',
      Symbol.iterator,
    ] as const) {
      replace(Array.prototype, key, spy);
    }
    for (const key of ['slice', 'indexOf', 'replace', 'split', 'trim', 'substring'] as const)
      replace(String.prototype, key, spy);
    for (const key of ['has', 'add', 'delete', 'forEach'] as const) replace(Set.prototype, key, spy);
    replace(Date, 'now', spy);
    replace(EventTarget.prototype, 'dispatchEvent', spy);
    replace(EventTarget.prototype, 'addEventListener', spy);
    replace(window, 'setTimeout', spy);
    const RealCustomEvent = CustomEvent;
    replace(
      window,
      'CustomEvent',
      () =>
        function (type: string, init?: CustomEventInit) {
          look(init?.detail);
          return new RealCustomEvent(type, init);
        },
    );
    replace(
      Object.prototype,
      'toJSON',
      () =>
        function (this: unknown) {
          look(this);
          return this;
        },
    );
    for (const key of ['detail', 'bubbles', 'cancelable', 'composed', 'key', 'reports']) {
      const desc = Object.getOwnPropertyDescriptor(Object.prototype, key);
      Object.defineProperty(Object.prototype, key, {
        get(this: unknown) {
          look(this);
          return undefined;
        },
        set(this: object, value: unknown) {
          Reflect.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
        },
        configurable: true,
      });
      restore.push(() =>
        desc ? Object.defineProperty(Object.prototype, key, desc) : Reflect.deleteProperty(Object.prototype, key),
      );
    }
    // Array.prototype setters see what is assigned to a new index of any array.
    for (const index of ['0', '1', '2']) {
      Object.defineProperty(Array.prototype, index, {
        set(this: unknown[], value: unknown) {
          look(value);
          Reflect.defineProperty(this, index, { value, writable: true, enumerable: true, configurable: true });
        },
        configurable: true,
      });
      restore.push(() => Reflect.deleteProperty(Array.prototype, index));
    }
    replace(Error, 'prepareStackTrace', () => () => 'Error\n    at https://forged.test/evil.js:1:1');
    return seen;
  }

  it('neither hands it the key or a batch nor lets it change or stop the reports', () => {
    // The relay runs in an isolated world, which the page's replacements do not reach: here it uses none.
    const batches: unknown[][] = [];
    const closeRelay = openRelayChannel(
      window,
      (reports) => void Reflect.defineProperty(batches, batches.length, { value: reports }),
      KEY,
    );
    restore.push(closeRelay);
    const channel = openHookChannel(window, () => hook?.flush());
    hook = installPageHook(window, (reports) => channel.send(reports));
    const [cookie, key] = [fresh('hostile'), fresh('hostile-key')];

    const seen = poison();
    let thrown: unknown;
    try {
      document.cookie = `${cookie}=SECRET-H; max-age=60; path=/`;
      localStorage.setItem(key, 'SECRET-H');
      hook.flush();
    } catch (error) {
      thrown = error;
    }
    for (const undo of restore.splice(1).reverse()) undo();
    expect(thrown).toBeUndefined();

    expect(seen).toEqual([]);
    const got = validReports(batches.flat());
    expect(got.map((r) => (r.kind === 'cookie-write' ? [r.name, r.attributes] : [r.op, r.keys]))).toEqual([
      [cookie, 'max-age=60; path=/'],
      ['set', [key]],
    ]);
    expect(JSON.stringify(got)).not.toContain('forged');
    expect(JSON.stringify(got)).not.toContain('SECRET');
  });

  it('gives it no original behind a wrapper through traps it put on Object.prototype', () => {
    install();
    const handed: unknown[] = [];
    for (const trap of ['get', 'getOwnPropertyDescriptor', 'apply']) {
      replace(Object.prototype, trap, () => (target: object, ...rest: unknown[]) => {
        handed.push(target);
        return trap === 'apply'
          ? Reflect.apply(target as () => unknown, rest[0], rest[1] as unknown[])
          : Reflect.get(target, rest[0] as string);
      });
    }
    const set = Object.getOwnPropertyDescriptor(cookieOwner(), 'cookie')?.set;
    const seen = [set?.name, set?.length, Object.getOwnPropertyDescriptor(localStorage.setItem, 'name')?.value];
    for (const undo of restore.splice(0).reverse()) undo();
    expect(seen).toEqual(['set cookie', 1, 'setItem']);
    expect(handed).toEqual([]);
  });
});

describe('relay', () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it("forwards the hook's batches and retries while the background is away", async () => {
    const sent: PageReportsMessage[] = [];
    let failures = 2;
    const send = vi.fn(async (message: PageReportsMessage) => {
      if (failures-- > 0) throw new Error('Could not establish connection. Receiving end does not exist.');
      sent.push(message);
    });
    stop = installPageRelay(window, send, [1, 1, 1]);
    const channel = openHookChannel(window, () => undefined);
    hook = installPageHook(window, (reports) => channel.send(reports));
    const name = fresh('relayed');
    document.cookie = `${name}=SECRET-R; path=/`;
    hook.flush();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(send).toHaveBeenCalledTimes(3);
    expect(sent[0]?.type).toBe('page-reports');
    expect(validReports(sent[0]?.reports ?? []).map((r) => r.kind === 'cookie-write' && r.name)).toEqual([name]);
    expect(JSON.stringify(sent)).not.toContain('SECRET');
  });

  it('keeps what the page wrote before the relay came, and sends it when the relay answers', async () => {
    const sent: PageReportsMessage[] = [];
    let h: PageHook | undefined;
    const channel = openHookChannel(window, () => h?.flush());
    h = hook = installPageHook(window, (reports) => channel.send(reports));
    const name = fresh('early');
    document.cookie = `${name}=1`;
    h.flush();
    await sleep(80);
    stop = installPageRelay(window, async (m) => void sent.push(m), [1]);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(validReports(sent[0]!.reports).map((r) => r.kind === 'cookie-write' && r.name)).toEqual([name]);
  });

  it('sends a batch again while the background answers that it is not written yet', async () => {
    const answers = [
      { ok: true, stored: false },
      { ok: true, stored: true },
    ];
    const sent: PageReportsMessage[] = [];
    stop = installPageRelay(window, async (m) => (sent.push(m), answers.shift()), [1], 'k');
    document.dispatchEvent(
      new CustomEvent('cookie-lens:reports', {
        detail: JSON.stringify({ key: 'k', reports: [{ kind: 'storage', n: 1 }] }),
      }),
    );
    await vi.waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]).toEqual(sent[0]);
    await sleep(20);
    expect(sent).toHaveLength(2);
  });

  it('splits a batch into messages of at most 500 reports', async () => {
    const sent: PageReportsMessage[] = [];
    stop = installPageRelay(window, async (m) => void sent.push(m), [1], 'k');
    const reports = Array.from({ length: 1200 }, (_, i) => ({ kind: 'storage', n: i }));
    document.dispatchEvent(new CustomEvent('cookie-lens:reports', { detail: JSON.stringify({ key: 'k', reports }) }));
    await vi.waitFor(() => expect(sent).toHaveLength(3));
    expect(sent.map((m) => m.reports.length)).toEqual([500, 500, 200]);
  });
});

/** Where `cookie` is defined: Document.prototype in browsers, a base class in happy-dom. */
function cookieOwner(): object {
  for (let o: object | null = document; o; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.prototype.hasOwnProperty.call(o, 'cookie')) return o;
  }
  throw new Error('no cookie accessor');
}

function captureError(run: () => void): Error | undefined {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}
