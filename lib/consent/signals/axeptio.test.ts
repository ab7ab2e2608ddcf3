import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../../tests/support/linear-time';
import { decodeAxeptioCookies } from './axeptio';

/** axeptio_cookies as Axeptio writes it: URL-encoded JSON of the vendors' answers beside its token and date. */
function axeptioCookies(answers: Record<string, boolean>, completed = true) {
  return encodeURIComponent(
    JSON.stringify({
      $$token: 'tok-visitor-4242',
      $$date: '2026-11-30T10:00:00.000Z',
      $$cookiesVersion: { name: 'site-fr', identifier: 'x1' },
      ...answers,
      $$completed: completed,
    }),
  );
}

describe('Axeptio’s axeptio_cookies', () => {
  it('reads a refusal, an acceptance of all and one in part', () => {
    expect(decodeAxeptioCookies(axeptioCookies({ google_analytics: false, hotjar: false }))).toEqual({
      ok: true,
      value: { choice: 'refused', granted: null, purposes: null, platformCategories: null },
    });
    expect(decodeAxeptioCookies(axeptioCookies({ google_analytics: true, hotjar: true }))).toMatchObject({
      value: { choice: 'accepted-all', platformCategories: ['google_analytics', 'hotjar'] },
    });
    expect(decodeAxeptioCookies(axeptioCookies({ google_analytics: true, hotjar: false }))).toMatchObject({
      value: { choice: 'accepted-part', platformCategories: ['google_analytics'] },
    });
  });

  it('reads a banner left before the end with no answer as no choice, and finished with none as a refusal', () => {
    expect(decodeAxeptioCookies(axeptioCookies({}, false))).toMatchObject({ value: { choice: 'no-choice' } });
    expect(decodeAxeptioCookies(axeptioCookies({}, true))).toMatchObject({ value: { choice: 'refused' } });
  });

  it('keeps neither the token nor the date', () => {
    const read = JSON.stringify(decodeAxeptioCookies(axeptioCookies({ hotjar: true, matomo: false })));
    expect(read).not.toContain('4242');
    expect(read).not.toContain('2026');
  });

  it('is not fooled by keys that would reach an object’s prototype', () => {
    const read = decodeAxeptioCookies('{"__proto__":true,"constructor":false,"hotjar":true}');
    expect(read).toMatchObject({ ok: true, value: { choice: 'accepted-part' } });
    expect(({} as Record<string, unknown>).hotjar).toBeUndefined();
  });

  it('calls malformed what is not a JSON object', () => {
    for (const value of ['', 'hotjar=true', '[true]', '%7B%22a%22', '%E0%A4%A', 'null'])
      expect(decodeAxeptioCookies(value)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('takes time in proportion to the value, however hostile', () => {
    for (const make of [
      (size: number) =>
        JSON.stringify(Object.fromEntries(Array.from({ length: size / 16 }, (_, i) => [`v${i}`, i % 2 === 0]))),
      (size: number) => `%7B${'%22'.repeat(size / 3)}`,
    ])
      expect(
        measureLinearTime(
          (size) => {
            const value = make(size);
            return () => decodeAxeptioCookies(value);
          },
          { factor: 8 },
        ),
      ).toMatchObject({ brokeAt: null });
  });
});
