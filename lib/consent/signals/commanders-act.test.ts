import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../../tests/support/linear-time';
import { decodeTcPrivacy, decodeTcPrivacyCenter } from './commanders-act';

const STAMPS = '1592900933049,1592900933049,1624436933049';

describe('Commanders Act consent cookies', () => {
  it('reads TC_PRIVACY: categories opted in are an acceptance in part, kept as the site’s ids', () => {
    expect(decodeTcPrivacy(`0@002|12|3441@1%2C3@4@${STAMPS}`)).toEqual({
      ok: true,
      value: { choice: 'accepted-part', granted: null, purposes: null, platformCategories: ['1', '3'] },
    });
  });

  it('reads TC_PRIVACY: an opt-out is a refusal, and so is an opt-in to nothing', () => {
    expect(decodeTcPrivacy(`1@012|26|4221@@4@${STAMPS}`)).toMatchObject({ ok: true, value: { choice: 'refused' } });
    expect(decodeTcPrivacy(`0@012|26|4221@@4@${STAMPS}`)).toMatchObject({ ok: true, value: { choice: 'refused' } });
  });

  it('reads TC_PRIVACY written by old banners (ALL) and by TCF banners (a TC string after the dates)', () => {
    expect(decodeTcPrivacy(`0@002|12|3441@ALL@@${STAMPS}`)).toMatchObject({ value: { choice: 'accepted-all' } });
    expect(decodeTcPrivacy(`0@002|2|12|3441@2%2C5@@${STAMPS}@CPzHq4APzHq4AAHABBENC`)).toMatchObject({
      value: { choice: 'accepted-part', platformCategories: ['2', '5'] },
    });
  });

  it('reads TC_PRIVACY URL-encoded as a whole, as some sites’ tags write it', () => {
    expect(decodeTcPrivacy(encodeURIComponent(`0@002|12|3441@1%2C3@4@${STAMPS}`))).toMatchObject({
      value: { choice: 'accepted-part', platformCategories: ['1', '3'] },
    });
    expect(decodeTcPrivacy('1%40012%E0%A4%A')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reads TC_PRIVACY_CENTER: the categories consented to, none after a refusal', () => {
    expect(decodeTcPrivacyCenter('1%2C3')).toMatchObject({
      value: { choice: 'accepted-part', platformCategories: ['1', '3'] },
    });
    expect(decodeTcPrivacyCenter('')).toMatchObject({ value: { choice: 'refused', platformCategories: null } });
  });

  it('calls malformed what is not the format, without a word of the value', () => {
    for (const value of ['', 'hello', '2@002|12|3441@1@4@x', '0@002', '0@002|12@%E0%A4%A@@x'])
      expect(decodeTcPrivacy(value)).toEqual({ ok: false, reason: 'malformed' });
    expect(decodeTcPrivacyCenter('1,user-42')).toEqual({ ok: false, reason: 'malformed' });
    expect(decodeTcPrivacyCenter('%E0%A4%A')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('takes time in proportion to the value, however hostile', () => {
    for (const make of [
      (size: number) => `0@002|12|3441@${'1%2C'.repeat(size / 4)}3@4@${STAMPS}`,
      (size: number) => `${'@'.repeat(size)}`,
      (size: number) => `0@${'|'.repeat(size)}@1@4@x`,
    ])
      expect(
        measureLinearTime((size) => {
          const value = make(size);
          return () => decodeTcPrivacy(value);
        }),
      ).toMatchObject({ brokeAt: null });
  });
});
