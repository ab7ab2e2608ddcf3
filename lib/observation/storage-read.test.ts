// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { readFrameStorage, storagesFound } from './storage-read';

describe('reading a frame’s storages (everyday mode)', () => {
  afterEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('reads the key names, never a value, even keys named like Storage’s own methods', () => {
    localStorage.setItem('_pk_id.1.abcd', 'SECRET-VALUE');
    localStorage.setItem('length', 'SECRET-VALUE');
    localStorage.setItem('key', 'SECRET-VALUE');
    sessionStorage.setItem('tab_id', 'SECRET-VALUE');
    const read = readFrameStorage();
    expect(read.origin).toBe(location.origin);
    expect([...read.localStorage!].sort()).toEqual(['_pk_id.1.abcd', 'key', 'length']);
    expect(read.sessionStorage).toEqual(['tab_id']);
    expect(JSON.stringify(read)).not.toContain('SECRET-VALUE');
  });

  it('takes each answer under its own web origin, and nothing from an opaque origin or an answer of the wrong shape', () => {
    expect(
      storagesFound([
        { origin: 'https://www.example.fr', localStorage: ['a'], sessionStorage: ['b'] },
        { origin: 'https://www.example.fr', localStorage: [], sessionStorage: null },
        { origin: 'null', localStorage: ['forged'], sessionStorage: null },
        { origin: 'https://x.example/path?token=VALUE', localStorage: ['c'], sessionStorage: null },
        { origin: 'chrome-extension://abc', localStorage: ['d'], sessionStorage: null },
        { origin: 'https://y.example', localStorage: [42], sessionStorage: null },
        {
          origin: 'https://y.example',
          localStorage: Array.from({ length: 10_001 }, (_, i) => `k${i}`),
          sessionStorage: null,
        },
        'https://z.example',
        undefined,
      ]),
    ).toEqual([
      { area: 'localStorage', keys: ['a'], origin: 'https://www.example.fr', frameUrl: 'https://www.example.fr/' },
      { area: 'sessionStorage', keys: ['b'], origin: 'https://www.example.fr', frameUrl: 'https://www.example.fr/' },
    ]);
  });
});
