import type { PageWrite, PageStorageWrite } from './page-write';

/**
 * The page hook: runs in the page's own world (MAIN) of every frame, before any page script, and reports which
 * cookies and storage keys the page writes. It never reports a value: a cookie write keeps its name and the
 * attributes after the value, a storage write its key only.
 */

const FLUSH_MS = 50;
const MAX_BATCH = 500;
/** Reports waiting for one flush; past this a write flood is dropped rather than held in the page's memory. */
const MAX_PENDING = 20_000;
const MAX_KEYS = 10_000;
const MAX_NAME = 4096;
const MAX_URL = 8192;
const MAX_ORIGIN = 2048;
const DIFF_MIN_MS = 1000;
const DIFF_MAX_MS = 32_000;

type Area = PageStorageWrite['area'];
type Fn = (...args: unknown[]) => unknown;
interface WatchedStorage { area: Area; storage: Storage; known: Set<string> }

export interface PageHook {
  /** Sends what is pending now (after a storage diff). */
  flush(): void;
  /** Restores every wrapped API and stops the timers (for tests). */
  uninstall(): void;
}

/** What may stand as a script URL (absolute paths too: Node's stacks in tests). */
const URL_LIKE = /^(?:[a-z][\w+.-]*:|\/)/i;

export function stackLocations(stack: unknown): string[] {
  if (typeof stack !== 'string') return [];
  const locations: string[] = [];
  for (const line of stack.split('\n')) {
    const location = frameLocation(line.trim());
    if (location !== null) locations.push(location.replace(/ line \d+ > .*$/, ''));
  }
  return locations;
}

/**
 * A stack frame's script location: "at f (LOC:1:2)" or "at LOC:1:2" (V8), "f@LOC:1:2" (SpiderMonkey, where a
 * MAIN-world content script's own frames read "<anonymous code>" and eval'd code "URL line 3 > eval"). A location
 * holds no line terminator. Read by hand from both ends: a regex backtracked over the page's own function names and
 * URLs, in time quadratic in a frame's length.
 */
function frameLocation(frame: string): string | null {
  const lastTerminator = Math.max(frame.lastIndexOf('\r'), frame.lastIndexOf('\u2028'), frame.lastIndexOf('\u2029'));
  if (frame.startsWith('at ') && lastTerminator < 0) {
    const end = lineColumnStart(frame, true);
    if (end > 3) {
      const open = frame.indexOf(' (', 3);
      return frame.slice(open >= 0 && open + 2 < end ? open + 2 : 3, end);
    }
  }
  const end = lineColumnStart(frame, false);
  const at = frame.indexOf('@', lastTerminator + 1);
  return at >= 0 && at + 1 < end ? frame.slice(at + 1, end) : null;
}

/** Where the ":LINE:COLUMN" ending a frame starts (V8's may be closed by ")" when `closing`), or -1. */
function lineColumnStart(frame: string, closing: boolean): number {
  let i = frame.length;
  if (closing && frame.endsWith(')')) i--;
  for (let numbers = 0; numbers < 2; numbers++) {
    const digitsEnd = i;
    while (i > 0 && frame.charCodeAt(i - 1) >= 0x30 && frame.charCodeAt(i - 1) <= 0x39) i--;
    if (i === digitsEnd || frame[i - 1] !== ':') return -1;
    i--;
  }
  return i;
}

/** Splits a `document.cookie` write as RFC 6265bis does, keeping everything but the value. */
export function parseCookieWrite(text: string): { name: string; attributes: string } {
  const semi = text.indexOf(';');
  const pair = semi === -1 ? text : text.slice(0, semi);
  const eq = pair.indexOf('=');
  // Without '=', the whole pair is the value and the name is empty.
  return { name: eq === -1 ? '' : trimWsp(pair.slice(0, eq)), attributes: semi === -1 ? '' : trimWsp(text.slice(semi + 1)) };
}

/** SP and HTAB trimmed by a loop: /^[ \t]+|[ \t]+$/ is quadratic on a long run of spaces inside the text. */
function trimWsp(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && (s[start] === ' ' || s[start] === '\t')) start++;
  while (end > start && (s[end - 1] === ' ' || s[end - 1] === '\t')) end--;
  return s.slice(start, end);
}

/** The attribute text a `cookieStore.set`/`delete` call amounts to, with the API's defaults made explicit. */
export function cookieStoreAttributes(init: Record<string, unknown>, deleting: boolean): string {
  const parts: string[] = [];
  if (!deleting && init.expires != null) {
    const expires = new Date(Number(init.expires));
    if (!Number.isNaN(expires.getTime())) parts.push(`expires=${expires.toUTCString()}`);
  }
  if (init.domain != null) parts.push(`domain=${String(init.domain)}`);
  parts.push(`path=${init.path === undefined ? '/' : String(init.path)}`);
  if (!deleting) parts.push(`samesite=${init.sameSite === undefined ? 'strict' : String(init.sameSite)}`);
  if (init.partitioned === true) parts.push('partitioned');
  // The Cookie Store API only sets Secure cookies.
  if (!deleting) parts.push('secure');
  return parts.join('; ');
}

function findOwner(obj: object, key: string): object | null {
  for (let o: object | null = obj; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.prototype.hasOwnProperty.call(o, key)) return o;
  }
  return null;
}

/**
 * Installs the hook in `win`. `post` hands a batch over (see page-channel); when it returns false, nothing could
 * take the batch yet, and the hook keeps it for the next flush.
 */
export function installPageHook(win: Window, post: (reports: PageWrite[]) => unknown): PageHook {
  // Captured now, before page scripts can replace them.
  const ErrorCtor = Error;
  const now = Date.now;
  const setTimer = win.setTimeout.bind(win);
  const clearTimer = win.clearTimeout.bind(win);
  const listen = win.addEventListener.bind(win);
  const unlisten = win.removeEventListener.bind(win);
  const doc = win.document;
  const restores: (() => void)[] = [];
  const pending: PageWrite[] = [];
  let flushTimer: number | undefined;
  let diffTimer: number | undefined;
  let diffDelay = DIFF_MIN_MS;

  /** The hook's own script, to skip in stacks; found the first time a stack is needed. */
  let ownLocation: string | null | undefined;

  // The running classic script, when there is one, names the writer without the cost of a stack trace.
  const currentScriptOwner = findOwner(doc, 'currentScript');
  const currentScript = currentScriptOwner && Object.getOwnPropertyDescriptor(currentScriptOwner, 'currentScript')?.get;

  function callerUrl(): string | null {
    try {
      const script = currentScript ? (Reflect.apply(currentScript, doc, []) as { src?: unknown } | null) : null;
      if (script && typeof script.src === 'string') return (script.src || win.location.href).slice(0, MAX_URL);
    } catch {
      // Fall back to the stack.
    }
    ownLocation ??= stackLocations(new ErrorCtor().stack)[0] ?? null;
    if (ownLocation === null) return null;
    let stack: unknown;
    try {
      stack = new ErrorCtor().stack;
    } catch {
      return null;
    }
    const url = stackLocations(stack).find((l) => l !== ownLocation && URL_LIKE.test(l));
    return url === undefined ? null : url.slice(0, MAX_URL);
  }

  function common(scriptUrl: string | null) {
    return { at: now(), scriptUrl, frameUrl: win.location.href.slice(0, MAX_URL) };
  }

  function enqueue(report: PageWrite): void {
    if (pending.length >= MAX_PENDING) return;
    pending.push(report);
    flushTimer ??= setTimer(flush, FLUSH_MS);
  }

  function flush(): void {
    diffStorage(); // may enqueue, so before the timer is cleared
    if (flushTimer !== undefined) clearTimer(flushTimer);
    flushTimer = undefined;
    while (pending.length > 0) {
      const batch = pending.slice(0, MAX_BATCH);
      let taken: unknown;
      try {
        taken = post(batch);
      } catch {
        taken = true; // reporting must never break the page: the batch is dropped
      }
      if (taken === false) break;
      pending.splice(0, batch.length);
    }
  }

  function cookieWrite(api: 'document.cookie' | 'cookieStore', name: string, attributes: string, deleted: boolean): void {
    enqueue({
      kind: 'cookie-write',
      api,
      name: name.slice(0, MAX_NAME),
      attributes: attributes.slice(0, MAX_NAME),
      deleted,
      ...common(callerUrl()),
    });
  }

  function storageWrite(area: Area, op: PageStorageWrite['op'], keys: string[], scriptUrl: string | null): void {
    // self.origin, unlike location.origin, is the inherited origin in about:blank and srcdoc frames.
    const origin = typeof win.origin === 'string' ? win.origin : win.location.origin;
    for (let i = 0; i < keys.length; i += MAX_KEYS) {
      const chunk = keys.slice(i, i + MAX_KEYS).map((k) => k.slice(0, MAX_NAME));
      enqueue({ kind: 'storage', area, op, keys: chunk, origin: origin.slice(0, MAX_ORIGIN), ...common(scriptUrl) });
    }
  }

  /** Replaces `owner[key]` (a method, or an accessor's setter) by a Proxy: same name, length and native toString. */
  function wrap(owner: object | null, key: string, part: 'value' | 'set', apply: (target: Fn, self: unknown, args: unknown[]) => unknown): void {
    const desc = owner && Object.getOwnPropertyDescriptor(owner, key);
    const original: unknown = desc?.[part];
    if (!owner || !desc?.configurable || typeof original !== 'function') return;
    Object.defineProperty(owner, key, { ...desc, [part]: new Proxy(original, { apply }) });
    restores.push(() => Object.defineProperty(owner, key, desc));
  }

  /** Runs a report without letting it throw into the page. */
  function safely(report: () => void): void {
    try {
      report();
    } catch {
      // Reporting must never break the page.
    }
  }

  // document.cookie: the write always happens first, exactly as the page asked, and its exceptions propagate.
  wrap(findOwner(doc, 'cookie'), 'cookie', 'set', (target, self, args) => {
    let text: string | undefined;
    try {
      text = `${args[0] as string}`; // WebIDL's DOMString conversion, done once so the page's toString runs once
      args[0] = text;
    } catch {
      text = undefined;
    }
    const result = Reflect.apply(target, self, args);
    if (text !== undefined && self === doc) {
      const write = text;
      safely(() => {
        const { name, attributes } = parseCookieWrite(write);
        cookieWrite('document.cookie', name, attributes, false);
      });
    }
    return result;
  });

  // cookieStore.set/delete: reported when called (waiting on the promise would mark the page's rejections handled).
  let store: object | undefined;
  try {
    store = (win as { cookieStore?: object }).cookieStore;
  } catch {
    store = undefined;
  }
  if (store) {
    let nested = false; // an implementation's delete may call set: report the page's call only
    for (const method of ['set', 'delete'] as const) {
      const deleting = method === 'delete';
      wrap(findOwner(store, method), method, 'value', (target, self, args) => {
        const outer = !nested;
        nested = true;
        let result: unknown;
        try {
          result = Reflect.apply(target, self, args);
        } finally {
          if (outer) nested = false;
        }
        if (outer && self === store) {
          safely(() => {
            const first = args[0];
            const init = typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : { name: first };
            cookieWrite('cookieStore', `${init.name as string}`, cookieStoreAttributes(init, deleting), deleting);
          });
        }
        return result;
      });
    }
  }

  // Storage: the keys a storage holds when the hook first reads it are "present at load"; then every setItem,
  // removeItem and clear. Reading localStorage makes the browser load it (a synchronous round trip), so the hook
  // first reads a storage when the page itself uses it, or once the page has loaded, never while it loads.
  const watched: WatchedStorage[] = [];
  const AREAS = ['localStorage', 'sessionStorage'] as const;
  const storageProto = (win as { Storage?: { prototype: object } }).Storage?.prototype ?? null;
  const keyFn = storageProto && (Object.getOwnPropertyDescriptor(storageProto, 'key')?.value as unknown);
  const lengthOwner = storageProto && findOwner(storageProto, 'length');
  const lengthFn = lengthOwner && Object.getOwnPropertyDescriptor(lengthOwner, 'length')?.get;

  function keysOf(storage: Storage): string[] {
    if (typeof keyFn !== 'function' || !lengthFn) return [];
    const length = Reflect.apply(lengthFn, storage, []) as number;
    const keys: string[] = [];
    for (let i = 0; i < length; i++) {
      const key = Reflect.apply(keyFn, storage, [i]) as string | null;
      if (key !== null) keys.push(key);
    }
    return keys;
  }

  function storageOf(area: Area): Storage | null {
    try {
      return win[area] ?? null; // throws SecurityError in opaque or storage-blocked frames
    } catch {
      return null;
    }
  }

  /** Starts watching a storage: what it holds now was there before. */
  function watch(area: Area, storage: Storage): WatchedStorage {
    const w: WatchedStorage = { area, storage, known: new Set() };
    watched.push(w);
    safely(() => {
      w.known = new Set(keysOf(storage));
      if (w.known.size > 0) storageWrite(area, 'present', [...w.known], null);
    });
    return w;
  }

  /** The watched storage `self` is; the first use of a storage by the page starts watching it. */
  function watchedOf(self: unknown): WatchedStorage | undefined {
    const known = watched.find((w) => w.storage === self);
    if (known || typeof self !== 'object' || self === null) return known;
    const area = AREAS.find((a) => !watched.some((w) => w.area === a) && storageOf(a) === self);
    return area ? watch(area, self as Storage) : undefined;
  }

  /** Once the page has loaded: watch the storages it has not used, and start looking for property-style writes. */
  function watchAll(): void {
    for (const area of AREAS) {
      if (watched.some((w) => w.area === area)) continue;
      const storage = storageOf(area);
      if (storage) watch(area, storage);
    }
    if (watched.length > 0) {
      listen('storage', onStorage, true);
      diffTimer = setTimer(diffTick, diffDelay);
    }
  }

  for (const [method, op] of [['setItem', 'set'], ['removeItem', 'remove']] as const) {
    wrap(storageProto, method, 'value', (target, self, args) => {
      let key: string | undefined;
      try {
        key = `${args[0] as string}`;
        args[0] = key;
      } catch {
        key = undefined;
      }
      let w: WatchedStorage | undefined;
      try {
        w = watchedOf(self);
      } catch {
        w = undefined;
      }
      const result = Reflect.apply(target, self, args);
      if (w && key !== undefined) {
        const [k, ww] = [key, w];
        safely(() => {
          if (op === 'set') ww.known.add(k);
          else ww.known.delete(k);
          storageWrite(ww.area, op, [k], callerUrl());
        });
      }
      return result;
    });
  }
  wrap(storageProto, 'clear', 'value', (target, self, args) => {
    let w: WatchedStorage | undefined;
    let had: string[] | undefined;
    try {
      w = watchedOf(self);
      had = w && keysOf(w.storage);
    } catch {
      had = undefined;
    }
    const result = Reflect.apply(target, self, args);
    if (w && had) {
      const keys = had;
      safely(() => {
        w.known.clear();
        storageWrite(w.area, 'clear', keys, callerUrl());
      });
    }
    return result;
  });

  /**
   * Property-style writes (`localStorage.foo = 1`, `delete localStorage.foo`) skip setItem/removeItem: they show
   * as a difference between the keys the hook knows and the keys there are now. Returns whether there was one.
   */
  function diffStorage(): boolean {
    let changed = false;
    for (const w of watched) {
      safely(() => {
        const keys = keysOf(w.storage);
        const current = new Set(keys);
        const added = keys.filter((k) => !w.known.has(k));
        const removed = [...w.known].filter((k) => !current.has(k));
        w.known = current;
        if (added.length > 0) storageWrite(w.area, 'set', added, null);
        if (removed.length > 0) storageWrite(w.area, 'remove', removed, null);
        changed ||= added.length > 0 || removed.length > 0;
      });
    }
    return changed;
  }

  function diffTick(): void {
    diffDelay = diffStorage() ? DIFF_MIN_MS : Math.min(diffDelay * 2, DIFF_MAX_MS);
    diffTimer = setTimer(diffTick, diffDelay);
  }

  // Another same-origin frame or tab changed the shared storage: its own hook reports that, so only learn the keys.
  const onStorage = (event: Event) => {
    safely(() => {
      const { storageArea, key, newValue } = event as StorageEvent;
      const w = watchedOf(storageArea);
      if (!w) return;
      if (key === null) w.known = new Set(keysOf(w.storage));
      else if (newValue === null) w.known.delete(key);
      else w.known.add(key);
    });
  };
  // Last moments of the frame: diff and send now, while the relay can still forward.
  const onLeave = (event: Event) => {
    if (event.type === 'pagehide' || doc.visibilityState === 'hidden') flush();
  };
  // Once loaded, and when the page is idle: the storages' keys are not worth a moment of the page's own work.
  const idle = (win as { requestIdleCallback?: (run: () => void, options: { timeout: number }) => number }).requestIdleCallback?.bind(win);
  const whenIdle = () => (idle ? idle(watchAll, { timeout: 2000 }) : (diffTimer = setTimer(watchAll, 0)));
  if (doc.readyState === 'complete') whenIdle();
  else listen('load', whenIdle, { once: true, capture: true });
  listen('pagehide', onLeave, true);
  listen('visibilitychange', onLeave, true);

  return {
    flush,
    uninstall() {
      for (const restore of restores.splice(0).reverse()) restore();
      if (flushTimer !== undefined) clearTimer(flushTimer);
      if (diffTimer !== undefined) clearTimer(diffTimer);
      unlisten('storage', onStorage, true);
      unlisten('pagehide', onLeave, true);
      unlisten('visibilitychange', onLeave, true);
    },
  };
}
