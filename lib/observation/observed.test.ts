import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../tests/support/linear-time';
import { auditSignature, type CookieWrite, type ObservedItem } from './observed';

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
