import { afterEach, describe, expect, it } from 'vitest';
import { append, sliceOf, toJson } from './page-intrinsics';

// What a page may put on the prototypes once the hook is installed; removed after each test.
const undo: (() => void)[] = [];
afterEach(() => {
  for (const restore of undo.splice(0).reverse()) restore();
});
function define(owner: object, key: PropertyKey, desc: PropertyDescriptor): void {
  const before = Object.getOwnPropertyDescriptor(owner, key);
  undo.push(() => (before ? Object.defineProperty(owner, key, before) : Reflect.deleteProperty(owner, key)));
  Object.defineProperty(owner, key, { configurable: true, ...desc });
}

const report = {
  kind: 'storage',
  keys: ['a"b', 'é\u2028\u0000', ''],
  at: 1.5,
  scriptUrl: null,
  deleted: false,
  nested: [[1, 'x'], { y: true }],
};

describe('toJson', () => {
  it('writes plain data as JSON.stringify does, leaving out undefined members', () => {
    expect(toJson(report)).toBe(JSON.stringify(report));
    expect(toJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(toJson(Number.NaN)).toBe('null');
  });

  it('calls no toJSON a page put on Object.prototype or Array.prototype', () => {
    const seen: unknown[] = [];
    const toJSON = function (this: unknown) {
      seen.push(this);
      return 'forged';
    };
    define(Object.prototype, 'toJSON', { value: toJSON, writable: true });
    define(Array.prototype, 'toJSON', { value: toJSON, writable: true });
    const text = toJson(report);
    for (const restore of undo.splice(0).reverse()) restore();
    expect(seen).toEqual([]);
    expect(text).toBe(JSON.stringify(report));
  });
});

describe('append and sliceOf', () => {
  it('run no setter a page put on Array.prototype', () => {
    let seen = 0;
    for (const index of ['0', '1']) define(Array.prototype, index, { set: () => void seen++ });
    const list: string[] = [];
    append(list, 'first');
    append(list, 'second');
    const tail = sliceOf(list, 1);
    for (const restore of undo.splice(0).reverse()) restore();
    expect(seen).toBe(0);
    expect([list, tail]).toEqual([['first', 'second'], ['second']]);
  });
});
