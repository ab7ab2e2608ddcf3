import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../tests/support/linear-time';
import { auditSignature, MAX_WRITE_TIMES, withWriteTime, type CookieWrite, type ObservedItem } from './observed';

const item = (url: string): ObservedItem => {
  const write: CookieWrite = { at: 0, by: 'script', url, requested: { session: true }, stored: null };
  return {
    store: 'cookie',
    name: 'id',
    domain: 'example.test',
    path: '/',
    party: 'first',
    firstSeen: 0,
    lastSeen: 0,
    firstDeposit: 0,
    renewals: 0,
    firstWrite: write,
    lastWrite: write,
    longestWrite: write,
  };
};

describe('auditSignature', () => {
  it('leaves query strings out of the writer', () => {
    expect(auditSignature(item('https://a.test/app.js?v=1'))).toBe(auditSignature(item('https://a.test/app.js?v=2#x')));
    expect(auditSignature(item('https://a.test/app.js'))).not.toBe(auditSignature(item('https://a.test/other.js?v=1')));
  });

  // A page's reports name the writing script as they like.
  it('takes time linear in a script URL of many "?" before a line break', () => {
    expect(
      measureLinearTime((size) => {
        const url = `https://a.test/app.js${'?'.repeat(size)}\n`;
        return () => auditSignature(item(url));
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('the write times an item keeps', () => {
  const at = (ms: number, by: CookieWrite['by'] = 'header'): CookieWrite => ({
    at: ms,
    by,
    requested: null,
    stored: null,
  });

  it("keeps headers' and scripts' writes in time order, once each, and not the jar's account of a cookie", () => {
    let times = withWriteTime(undefined, at(20, 'script'));
    times = withWriteTime(times, at(10));
    times = withWriteTime(times, at(10));
    times = withWriteTime(times, at(15, 'jar'));
    times = withWriteTime(times, at(16, 'unknown'));
    expect(times).toEqual([
      { at: 10, by: 'header' },
      { at: 20, by: 'script' },
    ]);
    expect(withWriteTime(undefined, at(5, 'jar'))).toBeUndefined();
  });

  it('stays bounded under a burst of writes, keeping the first, the last and a lone write between bursts', () => {
    let times: ReturnType<typeof withWriteTime>;
    for (let i = 0; i < 500; i++) times = withWriteTime(times, at(1000 + i));
    times = withWriteTime(times, at(50_000));
    for (let i = 0; i < 500; i++) times = withWriteTime(times, at(100_000 + i));
    expect(times).toHaveLength(MAX_WRITE_TIMES);
    expect(times![0]!.at).toBe(1000);
    expect(times!.at(-1)!.at).toBe(100_499);
    expect(times!.map((t) => t.at)).toContain(50_000);
  });
});
