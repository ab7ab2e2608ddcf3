import {
  append,
  apply,
  dateNow,
  defineProperty,
  ErrorCtor,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  getterOf,
  hasOwn,
  installToStringMask,
  maskAsNative,
  withoutOwnFrames,
  NumberCtor,
  ProxyCtor,
  regExpExec,
  SetCtor,
  setAdd,
  setDelete,
  setForEach,
  setHas,
  sliceOf,
  StringCtor,
  stringIndexOf,
  stringSlice,
  utcString,
  charCodeAt,
} from './page-intrinsics';
import type { PageWrite, PageStorageWrite } from './page-write';

/**
 * The page hook: runs in the page's own world (MAIN) of every frame, before any page script, and reports which
 * cookies and storage keys the page writes. It never reports a value: a cookie write keeps its name and the
 * attributes after the value, a storage write its key only.
 */

const FLUSH_MS = 50;
/** A flush this late, once a task has ended, did not happen: a page cleared its timer (with every timer id). */
const STALE_FLUSH_MS = 1000;
const MAX_BATCH = 500;
/** Reports waiting for one flush; past this a write flood is dropped rather than held in the page's memory. */
const MAX_PENDING = 20_000;
const MAX_KEYS = 10_000;
const MAX_NAME = 4096;
const MAX_URL = 8192;
const MAX_ORIGIN = 2048;
const DIFF_MIN_MS = 1000;
const DIFF_MAX_MS = 32_000;
/** Windows of a page searched for another hook's wrapper (see sameSlotOriginal). */
const MAX_WINDOWS = 256;

type Area = PageStorageWrite['area'];
type Fn = (...args: unknown[]) => unknown;
interface WatchedStorage {
  area: Area;
  storage: Storage;
  known: Set<string>;
}

export interface PageHook {
  /** Sends what is pending now (after a storage diff). */
  flush(): void;
  /** Restores every wrapped API and stops the timers (for tests). */
  uninstall(): void;
}

/** What may stand as a script URL (absolute paths too: Node's stacks in tests). */
const URL_LIKE = /^(?:[a-z][\w+.-]*:|\/)/i;
const HTTP_URL = /^https?:/i;

export function stackLocations(stack: unknown): string[] {
  if (typeof stack !== 'string') return [];
  const locations: string[] = [];
  for (let start = 0; start <= stack.length;) {
    let end = stringIndexOf(stack, '\n', start);
    if (end === -1) end = stack.length;
    const location = frameLocation(trimmed(stringSlice(stack, start, end), false));
    start = end + 1;
    if (location === null) continue;
    const evaluated = regExpExec(EVAL_SUFFIX, location);
    append(locations, evaluated ? stringSlice(location, 0, evaluated.index) : location);
  }
  return locations;
}
const EVAL_SUFFIX = / line \d+ > .*$/;

/**
 * A stack frame's script location: "at f (LOC:1:2)" or "at LOC:1:2" (V8), "f@LOC:1:2" (SpiderMonkey, where a
 * MAIN-world content script's own frames read "<anonymous code>" and eval'd code "URL line 3 > eval"). A location
 * holds no line terminator. Read by hand from both ends: a regex backtracked over the page's own function names and
 * URLs, in time quadratic in a frame's length.
 */
function frameLocation(frame: string): string | null {
  const lastTerminator = lastLineTerminator(frame);
  if (stringSlice(frame, 0, 3) === 'at ' && lastTerminator < 0) {
    const end = lineColumnStart(frame, true);
    if (end > 3) {
      const open = stringIndexOf(frame, ' (', 3);
      return stringSlice(frame, open >= 0 && open + 2 < end ? open + 2 : 3, end);
    }
  }
  const end = lineColumnStart(frame, false);
  const at = stringIndexOf(frame, '@', lastTerminator + 1);
  return at >= 0 && at + 1 < end ? stringSlice(frame, at + 1, end) : null;
}

/** The index of the last \r, U+2028 or U+2029 in `frame` (a stack's lines are already split at \n), or -1. */
function lastLineTerminator(frame: string): number {
  for (let i = frame.length - 1; i >= 0; i--) {
    const c = charCodeAt(frame, i);
    if (c === 13 || c === 0x2028 || c === 0x2029) return i;
  }
  return -1;
}

/** Where the ":LINE:COLUMN" ending a frame starts (V8's may be closed by ")" when `closing`), or -1. */
function lineColumnStart(frame: string, closing: boolean): number {
  let i = frame.length;
  if (closing && charCodeAt(frame, i - 1) === 41 /* ) */) i--;
  for (let numbers = 0; numbers < 2; numbers++) {
    const digitsEnd = i;
    while (i > 0 && charCodeAt(frame, i - 1) >= 0x30 && charCodeAt(frame, i - 1) <= 0x39) i--;
    if (i === digitsEnd || charCodeAt(frame, i - 1) !== 58 /* : */) return -1;
    i--;
  }
  return i;
}

/** Splits a `document.cookie` write as RFC 6265bis does, keeping everything but the value. */
export function parseCookieWrite(text: string): { name: string; attributes: string } {
  const semi = stringIndexOf(text, ';');
  const pair = semi === -1 ? text : stringSlice(text, 0, semi);
  const eq = stringIndexOf(pair, '=');
  // Without '=', the whole pair is the value and the name is empty.
  return {
    name: eq === -1 ? '' : trimWsp(stringSlice(pair, 0, eq)),
    attributes: semi === -1 ? '' : trimWsp(stringSlice(text, semi + 1)),
  };
}

/** SP and HTAB trimmed by a loop: /^[ \t]+|[ \t]+$/ is quadratic on a long run of spaces inside the text. */
function trimWsp(s: string): string {
  return trimmed(s, true);
}

/** `s` without leading and trailing spaces and tabs (`wspOnly`), or any whitespace as String.prototype.trim. */
function trimmed(s: string, wspOnly: boolean): string {
  const blank = (i: number) => {
    const c = charCodeAt(s, i);
    return (
      c === 32 || c === 9 || (!wspOnly && (c === 10 || c === 13 || c === 11 || c === 12 || c === 160 || c === 0xfeff))
    );
  };
  let start = 0;
  let end = s.length;
  while (start < end && blank(start)) start++;
  while (end > start && blank(end - 1)) end--;
  return start === 0 && end === s.length ? s : stringSlice(s, start, end);
}

/** The attribute text a `cookieStore.set`/`delete` call amounts to, with the API's defaults made explicit. */
export function cookieStoreAttributes(init: Record<string, unknown>, deleting: boolean): string {
  let text = '';
  const add = (part: string) => (text += (text === '' ? '' : '; ') + part);
  if (!deleting && init.expires != null) {
    const expires = utcString(NumberCtor(init.expires));
    if (expires !== null) add('expires=' + expires);
  }
  if (init.domain != null) add('domain=' + StringCtor(init.domain));
  add('path=' + (init.path === undefined ? '/' : StringCtor(init.path)));
  if (!deleting) add('samesite=' + (init.sameSite === undefined ? 'strict' : StringCtor(init.sameSite)));
  if (init.partitioned === true) add('partitioned');
  // The Cookie Store API only sets Secure cookies.
  if (!deleting) add('secure');
  return text;
}

/** Members of the Cookie Store API's options, in the order WebIDL reads a dictionary's (lexicographic). */
const COOKIE_INIT_MEMBERS = ['domain', 'expires', 'name', 'partitioned', 'path', 'sameSite', 'value'] as const;

/**
 * A `cookieStore.set`/`delete` call's arguments read and converted once: `(name, value)` or an options object, whose
 * members are each read once, in WebIDL's order, into an object of the hook's own. The native method takes `args`
 * (plain data: no page code runs again), the report `init`. A conversion that throws throws as the native one would.
 */
function cookieStoreCall(args: unknown[]): { args: unknown[]; init: Record<string, unknown>; name: string } {
  const first = args[0];
  if (typeof first !== 'object' || first === null) {
    const name = StringCtor(first);
    const copy: unknown[] = [name];
    for (let i = 1; i < args.length; i++) copy[i] = args[i];
    return { args: copy, init: { __proto__: null, name } as unknown as Record<string, unknown>, name };
  }
  const page = first as Record<string, unknown>;
  const init = { __proto__: null } as unknown as Record<string, unknown>;
  for (let i = 0; i < COOKIE_INIT_MEMBERS.length; i++) {
    const member = COOKIE_INIT_MEMBERS[i]!;
    const value = page[member];
    if (value === undefined) continue;
    if (member === 'partitioned') init[member] = !!value;
    else if (member === 'expires') init[member] = value === null ? null : NumberCtor(value);
    else if (member === 'domain' && value === null) init[member] = null;
    else init[member] = StringCtor(value);
  }
  const copy: unknown[] = [init];
  for (let i = 1; i < args.length; i++) copy[i] = args[i];
  return { args: copy, init, name: init.name === undefined ? '' : (init.name as string) };
}

/**
 * Installs the hook in `win`. `post` hands a batch over (see page-channel); when it returns false, nothing could
 * take the batch yet, and the hook keeps it for the next flush. Everything it calls once installed was captured
 * before any page script ran (page-intrinsics), so a page that replaces built-ins can neither read nor change
 * what it reports, nor stop it.
 */
export function installPageHook(win: Window, post: (reports: PageWrite[]) => unknown): PageHook {
  type Proto = { prototype: object } | undefined;
  const global = win as unknown as Record<string, Proto>;
  const setTimer = win.setTimeout.bind(win);
  const clearTimer = win.clearTimeout.bind(win);
  const listen = win.addEventListener.bind(win);
  const unlisten = win.removeEventListener.bind(win);
  const doc = win.document;
  const restores: (() => void)[] = [];
  let pending: PageWrite[] = [];
  let flushTimer: number | undefined;
  /** When the flush timer should have run: a page that clears every timer id clears it too. */
  let flushDue = 0;
  // Whether a task has ended since the flush timer was set (its due time passes within a long task too). Told by a
  // message on a channel of the hook's own, which no page can cancel.
  let taskEnded = false;
  const Channel = (win as unknown as { MessageChannel?: typeof MessageChannel }).MessageChannel;
  const wake = typeof Channel === 'function' ? new Channel() : null;
  // Read now: a page could later put a getter of its own on MessageChannel.prototype.port2.
  const wakePort = wake ? wake.port2 : null;
  const postMessageTo = getOwnPropertyDescriptor(global.MessagePort?.prototype ?? {}, 'postMessage')?.value as
    Fn | undefined;
  if (wake) wake.port1.onmessage = () => void (taskEnded = true);
  let diffTimer: number | undefined;
  let diffDelay = DIFF_MIN_MS;

  const currentScript = getterOf(doc, 'currentScript');
  const scriptSrc = getterOf(global.HTMLScriptElement?.prototype, 'src');
  const documentUrl = getterOf(doc, 'URL');
  const defaultView = getterOf(doc, 'defaultView');
  const visibilityState = getterOf(doc, 'visibilityState');
  const eventType = getterOf(global.Event?.prototype, 'type');
  const storageEvent = global.StorageEvent?.prototype;
  const [eventStorageArea, eventKey, eventNewValue] = [
    getterOf(storageEvent, 'storageArea'),
    getterOf(storageEvent, 'key'),
    getterOf(storageEvent, 'newValue'),
  ];
  const parentOf = getterOf(win, 'parent');
  const documentOf = getterOf(win, 'document');
  // self.origin, unlike location.origin, is the inherited origin in about:blank and srcdoc frames.
  const origin = StringCtor(typeof win.origin === 'string' ? win.origin : win.location.origin);
  const errorStack = getterOf(ErrorCtor.prototype, 'stack');
  const prepareStackTrace = getOwnPropertyDescriptor(ErrorCtor, 'prepareStackTrace')?.value as unknown;
  /** Each setter or method the hook wraps, and how to find the same one in another window of the page. */
  const slots: { locate: (w: unknown) => object | null; key: string; part: 'value' | 'set'; original: object }[] = [];
  const functionProto = (win as unknown as { Function: { prototype: object } }).Function.prototype;
  const originalToString = getOwnPropertyDescriptor(functionProto, 'toString')?.value as unknown;
  if (typeof originalToString === 'function')
    append(slots, { locate: functionProtoIn, key: 'toString', part: 'value', original: originalToString });
  append(restores, installToStringMask(win, sameSlotOriginal));

  /** The hook's own script, to skip in stacks; found the first time a stack is needed. */
  let ownLocation: string | null | undefined;

  /** The stack of a new error, unless the page has taken over how stacks are written (V8's prepareStackTrace). */
  function stackHere(): unknown {
    const prepare = getOwnPropertyDescriptor(ErrorCtor, 'prepareStackTrace');
    if (prepare && (!hasOwn(prepare, 'value') || prepare.value !== prepareStackTrace)) return undefined;
    const error = new ErrorCtor('');
    // Its header line would read `name` from Error.prototype, where a page may put a getter that adds lines.
    defineProperty(error, 'name', { __proto__: null, value: 'Error' } as PropertyDescriptor);
    return errorStack ? errorStack(error) : error.stack;
  }

  function callerUrl(): string | null {
    // The running classic script, when there is one, names the writer without the cost of a stack trace.
    try {
      const script = currentScript ? currentScript(doc) : null;
      const src = script && scriptSrc ? scriptSrc(script) : undefined;
      if (typeof src === 'string') return stringSlice(src || urlOf(doc), 0, MAX_URL);
    } catch {
      // An SVG script, or none: fall back to the stack.
    }
    let locations: string[];
    try {
      const stack = stackHere();
      if (typeof stack !== 'string') return null;
      locations = stackLocations(stack);
    } catch {
      return null;
    }
    // The first frame is this hook's own script.
    ownLocation ??= locations[0] ?? null;
    if (ownLocation === null) return null;
    for (let i = 0; i < locations.length; i++) {
      const l = locations[i]!;
      if (l !== ownLocation && regExpExec(URL_LIKE, l)) return stringSlice(l, 0, MAX_URL);
    }
    return null;
  }

  /** A document's URL; for about:blank and srcdoc documents, their (inherited) origin's. */
  function urlOf(document: unknown): string {
    const url = StringCtor(documentUrl ? documentUrl(document) : win.location.href);
    if (regExpExec(HTTP_URL, url) || origin === 'null') return url;
    return origin + '/';
  }

  function common(scriptUrl: string | null, frameUrl: string) {
    return { at: dateNow(), scriptUrl, frameUrl: stringSlice(frameUrl, 0, MAX_URL) };
  }

  function enqueue(report: PageWrite): void {
    if (pending.length > 0 && sameWrite(pending[pending.length - 1]!, report)) return;
    if (pending.length >= MAX_PENDING) return;
    append(pending, report);
    // A flood is handed over as it comes, rather than held (and then dropped) here.
    if (pending.length % MAX_BATCH === 0) send();
    else if (flushTimer === undefined) {
      flushTimer = setTimer(flush, FLUSH_MS);
      flushDue = dateNow() + FLUSH_MS;
      taskEnded = false;
      if (wakePort && postMessageTo) apply(postMessageTo, wakePort, [0]);
    } else if (taskEnded && dateNow() > flushDue + STALE_FLUSH_MS) flush();
  }

  function flush(): void {
    diffStorage(); // may enqueue, so before the timer is cleared
    if (flushTimer !== undefined) clearTimer(flushTimer);
    flushTimer = undefined;
    send();
  }

  function send(): void {
    while (pending.length > 0) {
      const batch = sliceOf(pending, 0, MAX_BATCH);
      let taken: unknown;
      try {
        taken = post(batch);
      } catch {
        taken = true; // reporting must never break the page: the batch is dropped
      }
      if (taken === false) break;
      pending = sliceOf(pending, batch.length);
    }
  }

  function cookieWrite(
    api: 'document.cookie' | 'cookieStore',
    name: string,
    attributes: string,
    deleted: boolean,
    frameUrl: string,
  ): void {
    enqueue({
      kind: 'cookie-write',
      api,
      name: stringSlice(name, 0, MAX_NAME),
      attributes: stringSlice(attributes, 0, MAX_NAME),
      deleted,
      ...common(callerUrl(), frameUrl),
    });
  }

  function storageWrite(
    area: Area,
    op: PageStorageWrite['op'],
    keys: string[],
    scriptUrl: string | null,
    frameUrl = urlOf(doc),
  ): void {
    for (let i = 0; i < keys.length; i += MAX_KEYS) {
      const chunk: string[] = [];
      for (let j = i; j < i + MAX_KEYS && j < keys.length; j++) append(chunk, stringSlice(keys[j]!, 0, MAX_NAME));
      enqueue({
        kind: 'storage',
        area,
        op,
        keys: chunk,
        origin: stringSlice(origin, 0, MAX_ORIGIN),
        ...common(scriptUrl, frameUrl),
      });
    }
  }

  /**
   * Replaces `owner[key]` (a method, or an accessor's setter) by a Proxy: same name and length, and the same text
   * from Function.prototype.toString (see installToStringMask).
   */
  function wrap(
    owner: object | null,
    locate: (w: unknown) => object | null,
    key: string,
    part: 'value' | 'set',
    trap: (target: Fn, self: unknown, args: unknown[]) => unknown,
  ): void {
    const desc = owner && getOwnPropertyDescriptor(owner, key);
    const original: unknown = desc?.[part];
    if (!owner || !desc?.configurable || typeof original !== 'function') return;
    append(slots, { locate, key, part, original });
    // No prototype: a page's Object.prototype.get would otherwise be the Proxy's get trap, handed the original.
    const onCall = (target: Fn, self: unknown, args: unknown[]): unknown => {
      try {
        return trap(target, self, args);
      } catch (error) {
        throw withoutOwnFrames(error, onCall);
      }
    };
    const wrapper = new ProxyCtor(original as Fn, { __proto__: null, apply: onCall } as ProxyHandler<Fn>);
    maskAsNative(wrapper, original);
    const replaced = { __proto__: null, enumerable: desc.enumerable, configurable: true } as PropertyDescriptor;
    if (part === 'value') {
      replaced.value = wrapper;
      replaced.writable = desc.writable;
    } else {
      replaced.get = desc.get;
      replaced.set = wrapper;
    }
    defineProperty(owner, key, replaced);
    append(restores, () => void defineProperty(owner, key, desc));
  }

  // Finding the same setter or method in the page's other windows (same origin: another origin's throw).
  const topOf = getterOf(win, 'top');
  const lengthOf = getterOf(win, 'length');
  const cookieStoreOf = getterOf(win, 'cookieStore');
  function cookieOwnerIn(w: unknown): object | null {
    const other = documentOf?.(w);
    return typeof other === 'object' && other !== null ? findOwner(other, 'cookie') : null;
  }
  function storageProtoIn(w: unknown): object | null {
    const other = storageOf(AREAS[0]!, w);
    return other ? getPrototypeOf(other) : null;
  }
  /** A window's Function.prototype: the prototype of its (never wrapped) cookie getter. */
  function functionProtoIn(w: unknown): object | null {
    const owner = cookieOwnerIn(w);
    const desc = owner && getOwnPropertyDescriptor(owner, 'cookie');
    return desc && hasOwn(desc, 'get') && typeof desc.get === 'function' ? getPrototypeOf(desc.get) : null;
  }

  /** For a setter or method another window's hook wrapped (seen as a Proxy here), this realm's original of it. */
  function sameSlotOriginal(fn: object): object | undefined {
    const windows: unknown[] = [];
    append(windows, topOf ? topOf(win) : win);
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i];
      try {
        for (let j = 0; w !== win && j < slots.length; j++) {
          const slot = slots[j]!;
          const owner = slot.locate(w);
          const desc = owner && getOwnPropertyDescriptor(owner, slot.key);
          if (desc && hasOwn(desc, slot.part) && desc[slot.part] === fn) return slot.original;
        }
      } catch {
        // A window of another origin.
      }
      let frames = 0;
      try {
        frames = NumberCtor(lengthOf ? lengthOf(w) : 0);
      } catch {
        frames = 0;
      }
      for (let k = 0; k < frames && windows.length < MAX_WINDOWS; k++)
        append(windows, (w as Record<number, unknown>)[k]);
    }
    return undefined;
  }

  /** Runs a report without letting it throw into the page. */
  function safely(report: () => void): void {
    try {
      report();
    } catch {
      // Reporting must never break the page.
    }
  }

  // document.cookie: the write always happens first, exactly as the page asked, and its exceptions propagate. The
  // setter of this frame may be called on another same-origin document (a parent's, taking it from this frame):
  // the write is that document's.
  wrap(findOwner(doc, 'cookie'), cookieOwnerIn, 'cookie', 'set', (target, self, args) => {
    let text: string | undefined;
    try {
      text = `${args[0] as string}`; // WebIDL's DOMString conversion, done once so the page's toString runs once
      if (args.length > 0) args[0] = text;
    } catch {
      text = undefined;
    }
    const result = apply(target, self, args);
    if (text !== undefined) {
      const write = text;
      safely(() => {
        // A document without a window (DOMParser's, a removed frame's) keeps no cookie.
        if (!defaultView || defaultView(self) === null) return;
        const { name, attributes } = parseCookieWrite(write);
        cookieWrite('document.cookie', name, attributes, false, urlOf(self));
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
    // A CookieStore of another same-origin frame is one too (its onchange getter takes only a CookieStore).
    const onchangeOf = getterOf(store, 'onchange');
    const isCookieStore = (self: unknown) => {
      if (self === store) return true;
      try {
        onchangeOf?.(self);
        return onchangeOf !== undefined;
      } catch {
        return false;
      }
    };
    for (const deleting of [false, true]) {
      const method = deleting ? 'delete' : 'set';
      const storeOwnerIn = (w: unknown) => {
        const other = cookieStoreOf?.(w);
        return typeof other === 'object' && other !== null ? findOwner(other, method) : null;
      };
      wrap(findOwner(store, method), storeOwnerIn, method, 'value', (target, self, args) => {
        const outer = !nested;
        // The page's arguments are read and converted once, as the native method would (and in its order), and the
        // native method gets that copy: a getter or toString of the page's cannot tell it one name and the hook
        // another, nor show the hook by running twice.
        const own = outer && isCookieStore(self) ? cookieStoreCall(args) : null;
        nested = true;
        let result: unknown;
        try {
          result = apply(target, self, own ? own.args : args);
        } finally {
          if (outer) nested = false;
        }
        if (own) {
          safely(() =>
            cookieWrite('cookieStore', own.name, cookieStoreAttributes(own.init, deleting), deleting, urlOf(doc)),
          );
        }
        return result;
      });
    }
  }

  // Storage: the keys a storage holds when the hook first reads it are "present at load"; then every setItem,
  // removeItem and clear. Reading localStorage makes the browser load it (a synchronous round trip), so the hook
  // first reads a storage when the page itself uses it, or once the page has loaded, never while it loads.
  const watched: WatchedStorage[] = [];
  const AREAS: readonly Area[] = ['localStorage', 'sessionStorage'];
  const storageProto = global.Storage?.prototype ?? null;
  const keyFn = storageProto && (getOwnPropertyDescriptor(storageProto, 'key')?.value as Fn | undefined);
  const lengthFn = getterOf(storageProto, 'length');
  const storageGetters = [getterOf(win, AREAS[0]!), getterOf(win, AREAS[1]!)];

  function keysOf(storage: Storage): string[] {
    if (typeof keyFn !== 'function' || !lengthFn) return [];
    const length = lengthFn(storage) as number;
    const keys: string[] = [];
    for (let i = 0; i < length; i++) {
      const key = apply(keyFn, storage, [i]) as string | null;
      if (key !== null) append(keys, key);
    }
    return keys;
  }

  /** Window `w`'s storage of `area`, or null (SecurityError in opaque or storage-blocked frames). */
  function storageOf(area: Area, w: unknown = win): Storage | null {
    try {
      const getter = storageGetters[area === AREAS[0] ? 0 : 1];
      return ((getter ? getter(w) : (w as Window)[area]) as Storage | null) ?? null;
    } catch {
      return null;
    }
  }

  function watchedByArea(area: Area): WatchedStorage | undefined {
    for (let i = 0; i < watched.length; i++) if (watched[i]!.area === area) return watched[i];
    return undefined;
  }

  /** Starts watching a storage: what it holds now was there before. */
  function watch(area: Area, storage: Storage): WatchedStorage {
    const w: WatchedStorage = { area, storage, known: new SetCtor() };
    append(watched, w);
    safely(() => {
      const keys = keysOf(storage);
      for (let i = 0; i < keys.length; i++) setAdd(w.known, keys[i]!);
      if (keys.length > 0) storageWrite(area, 'present', keys, null);
    });
    return w;
  }

  /** The watched storage `self` is; the first use of a storage by the page starts watching it. */
  function watchedOf(self: unknown): WatchedStorage | undefined {
    for (let i = 0; i < watched.length; i++) if (watched[i]!.storage === self) return watched[i];
    if (typeof self !== 'object' || self === null) return undefined;
    for (let i = 0; i < AREAS.length; i++) {
      const area = AREAS[i]!;
      if (!watchedByArea(area) && storageOf(area) === self) return watch(area, self as Storage);
    }
    return undefined;
  }

  /**
   * Where a storage that is not this frame's belongs, when a page calls this frame's methods on it: the storage of
   * an ancestor (same origin, or the call would have thrown). Its own hook sees the keys later, as a difference.
   */
  function foreignArea(self: unknown): { area: Area; frameUrl: string } | undefined {
    let w: unknown = win;
    for (let depth = 0; depth < 64 && parentOf; depth++) {
      const up = parentOf(w);
      if (up === w || up === null || up === undefined) return undefined;
      w = up;
      for (let i = 0; i < AREAS.length; i++) {
        if (storageOf(AREAS[i]!, w) === self)
          return { area: AREAS[i]!, frameUrl: urlOf(documentOf ? documentOf(w) : null) };
      }
    }
    return undefined;
  }

  /** Once the page has loaded: watch the storages it has not used, and start looking for property-style writes. */
  function watchAll(): void {
    for (let i = 0; i < AREAS.length; i++) {
      const area = AREAS[i]!;
      if (watchedByArea(area)) continue;
      const storage = storageOf(area);
      if (storage) watch(area, storage);
    }
    if (watched.length > 0) {
      listen('storage', onStorage, true);
      diffTimer = setTimer(diffTick, diffDelay);
    }
  }

  for (const remove of [false, true]) {
    wrap(storageProto, storageProtoIn, remove ? 'removeItem' : 'setItem', 'value', (target, self, args) => {
      let key: string | undefined;
      try {
        key = `${args[0] as string}`;
        if (args.length > 0) args[0] = key;
      } catch {
        key = undefined;
      }
      let w: WatchedStorage | undefined;
      try {
        w = watchedOf(self);
      } catch {
        w = undefined;
      }
      const result = apply(target, self, args);
      if (key !== undefined) {
        const k = key;
        const ww = w;
        safely(() => {
          const op = remove ? 'remove' : 'set';
          if (ww) {
            if (remove) setDelete(ww.known, k);
            else setAdd(ww.known, k);
            storageWrite(ww.area, op, [k], callerUrl());
            return;
          }
          const foreign = foreignArea(self);
          if (foreign) storageWrite(foreign.area, op, [k], callerUrl(), foreign.frameUrl);
        });
      }
      return result;
    });
  }
  wrap(storageProto, storageProtoIn, 'clear', 'value', (target, self, args) => {
    let w: WatchedStorage | undefined;
    let foreign: ReturnType<typeof foreignArea>;
    let had: string[] | undefined;
    try {
      w = watchedOf(self);
      foreign = w ? undefined : foreignArea(self);
      had = w || foreign ? keysOf(self as Storage) : undefined;
    } catch {
      had = undefined;
    }
    const result = apply(target, self, args);
    if (had) {
      const keys = had;
      safely(() => {
        if (w) {
          w.known = new SetCtor();
          storageWrite(w.area, 'clear', keys, callerUrl());
        } else if (foreign) {
          storageWrite(foreign.area, 'clear', keys, callerUrl(), foreign.frameUrl);
        }
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
    for (let i = 0; i < watched.length; i++) {
      const w = watched[i]!;
      safely(() => {
        const keys = keysOf(w.storage);
        const current = new SetCtor<string>();
        const added: string[] = [];
        for (let j = 0; j < keys.length; j++) {
          setAdd(current, keys[j]!);
          if (!setHas(w.known, keys[j]!)) append(added, keys[j]!);
        }
        const removed: string[] = [];
        setForEach(w.known, (k) => {
          if (!setHas(current, k)) append(removed, k);
        });
        w.known = current;
        if (added.length > 0) storageWrite(w.area, 'set', added, null);
        if (removed.length > 0) storageWrite(w.area, 'remove', removed, null);
        changed ||= added.length > 0 || removed.length > 0;
      });
    }
    return changed;
  }

  function diffTick(): void {
    diffDelay = diffStorage() ? DIFF_MIN_MS : diffDelay * 2 < DIFF_MAX_MS ? diffDelay * 2 : DIFF_MAX_MS;
    diffTimer = setTimer(diffTick, diffDelay);
  }

  // Another same-origin frame or tab changed the shared storage: its own hook reports that, so only learn the keys.
  const onStorage = (event: Event) => {
    safely(() => {
      const w = watchedOf(eventStorageArea?.(event));
      if (!w) return;
      const key = eventKey?.(event) as string | null;
      if (key === null) {
        w.known = new SetCtor();
        const keys = keysOf(w.storage);
        for (let i = 0; i < keys.length; i++) setAdd(w.known, keys[i]!);
      } else if (eventNewValue?.(event) === null) setDelete(w.known, key);
      else setAdd(w.known, key);
    });
  };
  // Last moments of the frame: diff and send now, while the relay can still forward.
  const onLeave = (event: Event) => {
    safely(() => {
      if (eventType?.(event) === 'pagehide' || visibilityState?.(doc) === 'hidden') flush();
    });
  };
  // Once loaded, and when the page is idle: the storages' keys are not worth a moment of the page's own work.
  const idle = (
    win as { requestIdleCallback?: (run: () => void, options: { timeout: number }) => number }
  ).requestIdleCallback?.bind(win);
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
      wake?.port1.close();
      unlisten('storage', onStorage, true);
      unlisten('pagehide', onLeave, true);
      unlisten('visibilitychange', onLeave, true);
    },
  };
}

/** Whether `b` only repeats `a`, the report before it (a page writing the same thing in a loop). */
function sameWrite(a: PageWrite, b: PageWrite): boolean {
  if (a.scriptUrl !== b.scriptUrl || a.frameUrl !== b.frameUrl) return false;
  if (a.kind === 'cookie-write' && b.kind === 'cookie-write') {
    return a.name === b.name && a.attributes === b.attributes && a.api === b.api && a.deleted === b.deleted;
  }
  if (a.kind === 'storage' && b.kind === 'storage') {
    return (
      a.op === b.op &&
      a.op !== 'clear' &&
      a.area === b.area &&
      a.origin === b.origin &&
      a.keys.length === 1 &&
      b.keys.length === 1 &&
      a.keys[0] === b.keys[0]
    );
  }
  return false;
}

function findOwner(obj: object, key: string): object | null {
  for (let o: object | null = obj; o !== null; o = getPrototypeOf(o)) {
    if (hasOwn(o, key)) return o;
  }
  return null;
}
