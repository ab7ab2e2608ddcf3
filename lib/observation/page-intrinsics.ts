/**
 * The built-ins the page hook and its channel use, captured when this module is evaluated: at document start, in the
 * page's own world, before any page script can replace them. Afterwards a page may replace any global, prototype
 * method or getter, and define setters or getters on Object.prototype and Array.prototype; the hook must then never
 * look anything up there. So it calls only what is captured here, through the captured `Reflect.apply`, and avoids
 * what reaches prototypes implicitly: method calls on strings and arrays, `for…of`, spread and array destructuring
 * (Array.prototype[Symbol.iterator]), `instanceof`, template literals on objects, assignments to new array indexes
 * (setters on Array.prototype), object literals handed to built-ins that read optional members (getters on
 * Object.prototype: those get `{ __proto__: null }`), and JSON.stringify of objects (toJSON).
 */

type Fn = (...args: never[]) => unknown;

export const apply = Reflect.apply as (target: Fn, self: unknown, args: ArrayLike<unknown>) => unknown;
export const defineProperty = Reflect.defineProperty;
export const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
export const getPrototypeOf = Reflect.getPrototypeOf;
const objectKeys = Object.keys;
const isArray = Array.isArray;
export const ProxyCtor = Proxy;
export const ErrorCtor = Error;
export const SetCtor = Set;
const WeakMapCtor = WeakMap;
const DateCtor = Date;
export const StringCtor = String;
export const NumberCtor = Number;
const stringifyPrimitive = JSON.stringify as (value: string | number | boolean | null) => string;

/** `fn` as a function of its `this` and arguments: `uncurry(String.prototype.slice)(s, 0, 1)`. */
function uncurry<This, Args extends unknown[], R>(
  fn: (this: This, ...args: Args) => R,
): (self: This, ...args: Args) => R {
  return (self, ...args) => apply(fn as Fn, self, args) as R;
}

/** A getter of `proto[key]`, as a function of the object it is read on (undefined when there is none). */
export function getterOf(proto: object | null | undefined, key: string): ((self: unknown) => unknown) | undefined {
  for (let o = proto ?? null; o !== null; o = getPrototypeOf(o)) {
    const desc = getOwnPropertyDescriptor(o, key);
    if (desc)
      return hasOwn(desc, 'get') && typeof desc.get === 'function'
        ? (uncurry(desc.get) as (self: unknown) => unknown)
        : undefined;
  }
  return undefined;
}

export const hasOwn = uncurry(Object.prototype.hasOwnProperty) as (self: object, key: PropertyKey) => boolean;
export const dateNow = DateCtor.now;
const dateGetTime = uncurry(DateCtor.prototype.getTime);
const dateToUTCString = uncurry(DateCtor.prototype.toUTCString);

export const stringSlice = uncurry(String.prototype.slice) as (s: string, start: number, end?: number) => string;
export const stringIndexOf = uncurry(String.prototype.indexOf) as (s: string, search: string, from?: number) => number;
export const charCodeAt = uncurry(String.prototype.charCodeAt) as (s: string, index: number) => number;
/** RegExp.prototype.exec, run on a regular expression of ours (neither global nor sticky): it reads nothing else. */
export const regExpExec = uncurry(RegExp.prototype.exec) as (re: RegExp, s: string) => RegExpExecArray | null;

export const setHas = uncurry(Set.prototype.has) as <T>(set: Set<T>, value: T) => boolean;
export const setAdd = uncurry(Set.prototype.add) as <T>(set: Set<T>, value: T) => Set<T>;
export const setDelete = uncurry(Set.prototype.delete) as <T>(set: Set<T>, value: T) => boolean;
export const setForEach = uncurry(Set.prototype.forEach) as <T>(set: Set<T>, each: (value: T) => void) => void;
const weakMapGet = uncurry(WeakMap.prototype.get) as <K extends object, V>(map: WeakMap<K, V>, key: K) => V | undefined;
const weakMapSet = uncurry(WeakMap.prototype.set) as <K extends object, V>(
  map: WeakMap<K, V>,
  key: K,
  value: V,
) => WeakMap<K, V>;

/** Adds `item` at the end of `list` (an assignment to a new index would run a setter the page put on Array.prototype). */
export function append<T>(list: T[], item: T): void {
  defineProperty(list, list.length, {
    __proto__: null,
    value: item,
    writable: true,
    enumerable: true,
    configurable: true,
  } as PropertyDescriptor);
}

/** `list.slice(start, end)`. */
export function sliceOf<T>(list: readonly T[], start: number, end = list.length): T[] {
  const out: T[] = [];
  for (let i = start; i < end && i < list.length; i++) append(out, list[i]!);
  return out;
}

/** A date as `Date.prototype.toUTCString` gives it, or null for an invalid one. */
export function utcString(ms: number): string | null {
  const date = new DateCtor(ms);
  return dateGetTime(date) === dateGetTime(date) ? dateToUTCString(date) : null;
}

/**
 * JSON text of plain data built by the hook: strings, finite numbers, booleans, null, arrays and objects of those
 * (own enumerable keys). Unlike JSON.stringify, it calls no toJSON and no getter a page could add.
 */
export function toJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return stringifyPrimitive(value);
  if (typeof value === 'number') return stringifyPrimitive(value);
  if (typeof value !== 'object') return 'null';
  let out = '';
  if (isArray(value)) {
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + toJson(value[i]);
    return '[' + out + ']';
  }
  const keys = objectKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const item = (value as Record<string, unknown>)[keys[i]!];
    if (item === undefined) continue;
    out += (out === '' ? '' : ',') + stringifyPrimitive(keys[i]!) + ':' + toJson(item);
  }
  return '{' + out + '}';
}

const captureStackTrace = (Error as { captureStackTrace?: (error: object, above: Fn) => void }).captureStackTrace;

/**
 * `error`, thrown through a wrapper of the hook's, with a stack that starts where the page called the wrapper, as
 * the native function's error would: without the hook's frames (which would name the extension's script).
 */
export function withoutOwnFrames(error: unknown, wrapper: Fn): unknown {
  if (captureStackTrace && typeof error === 'object' && error !== null) {
    try {
      captureStackTrace(error, wrapper);
    } catch {
      // A frozen error keeps its stack.
    }
  }
  return error;
}

/**
 * Native code as Function.prototype.toString shows it, for the wrappers the hook installs: the first wrapper
 * (`installToStringMask`) makes `toString` answer for each wrapper what it answers for the function it wraps.
 */
const maskedAs = new WeakMapCtor<object, object>();

export function maskAsNative(wrapper: object, original: object): void {
  weakMapSet(maskedAs, wrapper, original);
}

/**
 * Wraps `win`'s Function.prototype.toString once; returns a function that restores it (tests). Another frame's
 * hook wraps the same setters and methods in its own realm, which this realm's toString cannot tell apart from any
 * Proxy; `sameSlotOriginal` finds, for such a function, this realm's original of the same setter or method.
 */
export function installToStringMask(
  win: Window,
  sameSlotOriginal: (fn: object) => object | undefined = () => undefined,
): () => void {
  const proto = (win as unknown as { Function: { prototype: object } }).Function.prototype;
  const desc = getOwnPropertyDescriptor(proto, 'toString');
  const original = desc?.value as Fn | undefined;
  if (!desc || typeof original !== 'function' || weakMapGet(maskedAs, original) !== undefined) return () => {};
  // What this realm's toString shows for any Proxy of a function (and for bound functions in V8).
  const proxyText = apply(original, new ProxyCtor(() => undefined, { __proto__: null } as ProxyHandler<Fn>), []);
  const showAsNative = (target: Fn, self: unknown, args: unknown[]): unknown => {
    try {
      return toStringOf(target, self, args);
    } catch (error) {
      throw withoutOwnFrames(error, showAsNative);
    }
  };
  const toStringOf = (target: Fn, self: unknown, args: unknown[]): unknown => {
    if (typeof self !== 'function') return apply(target, self, args);
    const known = weakMapGet(maskedAs, self);
    if (known !== undefined) return apply(target, known, args);
    const text = apply(target, self, args);
    if (text !== proxyText) return text;
    const foreign = sameSlotOriginal(self);
    if (foreign === undefined) return text;
    maskAsNative(self, foreign);
    return apply(target, foreign, args);
  };
  const wrapper = new ProxyCtor(original, { __proto__: null, apply: showAsNative } as ProxyHandler<Fn>);
  maskAsNative(wrapper, original);
  defineProperty(proto, 'toString', {
    __proto__: null,
    value: wrapper,
    writable: desc.writable,
    enumerable: desc.enumerable,
    configurable: desc.configurable,
  } as PropertyDescriptor);
  return () => defineProperty(proto, 'toString', desc);
}
