import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../../tests/support/linear-time';
import { decodeDidomiToken } from './didomi';

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** didomi_token as Didomi writes it: base64url of its JSON, a user id and vendors beside the purposes. */
function didomiToken(enabled: string[], disabled: string[], extra: Record<string, unknown> = {}) {
  return base64url(
    JSON.stringify({
      user_id: '18d9d2b8-9f51-6a4c-a2ec-visitor-777',
      created: '2026-11-30T10:00:00.000Z',
      updated: '2026-11-30T10:00:05.000Z',
      vendors: { enabled: enabled.length ? ['google', 'c:matomo'] : [], disabled: disabled.length ? ['c:xiti'] : [] },
      purposes: { enabled, disabled },
      vendors_li: { enabled: ['google'] },
      version: 2,
      ...extra,
    }),
  );
}

describe('Didomi’s didomi_token', () => {
  it('reads a refusal, an acceptance of all and one in part', () => {
    expect(decodeDidomiToken(didomiToken([], ['analytics', 'select_basic_ads']))).toEqual({
      ok: true,
      value: { choice: 'refused', granted: null, purposes: null, platformCategories: null },
    });
    expect(decodeDidomiToken(didomiToken(['analytics', 'select_basic_ads'], []))).toMatchObject({
      value: { choice: 'accepted-all', granted: null, platformCategories: ['analytics', 'select_basic_ads'] },
    });
    expect(decodeDidomiToken(didomiToken(['analytics', 'cookies'], ['select_basic_ads']))).toMatchObject({
      value: {
        choice: 'accepted-part',
        granted: ['audience-measurement', 'performance'],
        platformCategories: ['analytics', 'cookies'],
      },
    });
  });

  it('reads a token with no purposes by its vendors, and a token with neither as no choice', () => {
    const vendorsOnly = base64url(JSON.stringify({ vendors: { enabled: [], disabled: ['c:xiti'] } }));
    expect(decodeDidomiToken(vendorsOnly)).toMatchObject({ value: { choice: 'refused' } });
    expect(decodeDidomiToken(base64url('{"version":2}'))).toMatchObject({ value: { choice: 'no-choice' } });
  });

  it('reads standard base64, padded, and URL-encoded', () => {
    const json = JSON.stringify({ purposes: { enabled: ['analytics'], disabled: [] } });
    const padded = btoa(json);
    expect(decodeDidomiToken(padded)).toMatchObject({ value: { choice: 'accepted-all' } });
    expect(decodeDidomiToken(encodeURIComponent(padded))).toMatchObject({ value: { choice: 'accepted-all' } });
  });

  it('keeps neither the user id nor the vendors', () => {
    const read = JSON.stringify(decodeDidomiToken(didomiToken(['analytics'], ['select_basic_ads'])));
    expect(read).not.toContain('visitor-777');
    expect(read).not.toContain('matomo');
  });

  it('is not fooled by keys that would reach an object’s prototype', () => {
    const hostile = base64url('{"__proto__":{"purposes":{"enabled":["analytics"]}},"constructor":{"x":1}}');
    expect(decodeDidomiToken(hostile)).toMatchObject({ ok: true, value: { choice: 'no-choice' } });
    expect(({} as Record<string, unknown>).purposes).toBeUndefined();
    const protoPurposes = base64url('{"purposes":{"__proto__":{"enabled":["analytics"]}}}');
    expect(decodeDidomiToken(protoPurposes)).toMatchObject({ ok: true, value: { choice: 'no-choice' } });
  });

  it('calls malformed what is not base64 of a JSON object of that shape', () => {
    for (const value of [
      '',
      'not base64!',
      base64url('not json'),
      base64url('[1,2]'),
      base64url('{"purposes":"all"}'),
      base64url('{"purposes":{"enabled":"analytics"}}'),
      '%E0%A4%A',
      btoa('\xff\xfe{'),
    ])
      expect(decodeDidomiToken(value)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('takes time in proportion to the value, however hostile', () => {
    for (const make of [
      (size: number) =>
        didomiToken(
          Array.from({ length: size / 16 }, (_, i) => `purpose_${i}`),
          ['x'],
        ),
      (size: number) => base64url(`${'['.repeat(size / 2)}`),
      (size: number) => 'A'.repeat(size) + '!',
    ])
      expect(
        measureLinearTime(
          (size) => {
            const value = make(size);
            return () => decodeDidomiToken(value);
          },
          { factor: 8 },
        ),
      ).toMatchObject({ brokeAt: null });
  });
});
