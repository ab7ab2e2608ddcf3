import { TCString } from '@iabtcf/core';
import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../../tests/support/linear-time';
import { decodeTcString } from './tcf';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A TCF v2 core segment written bit by bit as the specification lays it out (@iabtcf/core encodes only with a
 * Global Vendor List at hand): the purposes consented to, and the vendors consented to as ranges.
 */
function tcString({
  purposes,
  policyVersion = 4,
  vendorRanges = [[1, 3]],
}: {
  purposes: number[];
  policyVersion?: number;
  vendorRanges?: Array<[number, number]>;
}): string {
  let bits = '';
  const int = (n: number, length: number) => (bits += n.toString(2).padStart(length, '0'));
  const deciseconds = Math.round(Date.UTC(2026, 10, 30, 10) / 100);
  int(2, 6); // version
  int(deciseconds, 36); // created
  int(deciseconds, 36); // last updated
  int(300, 12); // CMP id
  int(1, 12); // CMP version
  int(1, 6); // consent screen
  int(5, 6); // language: F
  int(17, 6); // R
  int(150, 12); // vendor list version
  int(policyVersion, 6);
  int(1, 1); // service specific
  int(0, 1); // non-standard stacks
  int(0, 12); // special features
  for (let p = 1; p <= 24; p++) int(purposes.includes(p) ? 1 : 0, 1);
  int(0, 24); // purposes by legitimate interest
  int(0, 1); // purpose one treatment
  int(5, 6); // publisher country: F
  int(17, 6); // R
  int(Math.max(0, ...vendorRanges.map(([, end]) => end)), 16); // vendor consents: max id
  int(1, 1); // as ranges
  int(vendorRanges.length, 12);
  for (const [start, end] of vendorRanges) {
    int(1, 1);
    int(start, 16);
    int(end, 16);
  }
  int(0, 16); // vendor legitimate interests: max id 0
  int(0, 1); // as a bit field
  int(0, 12); // publisher restrictions
  bits += '0'.repeat((6 - (bits.length % 6)) % 6);
  let text = '';
  for (let i = 0; i < bits.length; i += 6) text += BASE64URL[parseInt(bits.slice(i, i + 6), 2)];
  return text;
}

const ALL = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

describe('the IAB TCF string (euconsent-v2)', () => {
  it('is written here as @iabtcf/core reads it', () => {
    const decoded = TCString.decode(tcString({ purposes: [1, 8] }));
    expect([...decoded.purposeConsents.values()]).toEqual([1, 8]);
    expect(decoded.vendorConsents.has(2)).toBe(true);
  });

  it('reads a refusal: no purpose consented to', () => {
    expect(decodeTcString(tcString({ purposes: [] }))).toEqual({
      ok: true,
      value: { choice: 'refused', granted: null, purposes: [], platformCategories: null },
    });
  });

  it('reads an acceptance of all purposes, purpose 11 included from TCF 2.2 on', () => {
    expect(decodeTcString(tcString({ purposes: ALL }))).toEqual({
      ok: true,
      value: { choice: 'accepted-all', granted: null, purposes: ALL, platformCategories: null },
    });
    expect(decodeTcString(tcString({ purposes: ALL.slice(0, 10) }))).toMatchObject({
      value: { choice: 'accepted-part' },
    });
    expect(decodeTcString(tcString({ purposes: ALL.slice(0, 10), policyVersion: 2 }))).toMatchObject({
      value: { choice: 'accepted-all' },
    });
  });

  it('reads an acceptance in part, with the categories its purposes allow once storage is', () => {
    expect(decodeTcString(tcString({ purposes: [1, 8, 9, 10] }))).toEqual({
      ok: true,
      value: {
        choice: 'accepted-part',
        granted: ['audience-measurement', 'performance'],
        purposes: [1, 8, 9, 10],
        platformCategories: null,
      },
    });
    // Measurement consented to without storage on the device allows no cookie.
    expect(decodeTcString(tcString({ purposes: [8, 9] }))).toMatchObject({
      value: { choice: 'accepted-part', granted: null, purposes: [8, 9] },
    });
  });

  it('keeps no vendor, and reads only the core segment', () => {
    const core = tcString({ purposes: [1, 2], vendorRanges: [[755, 755]] });
    const read = decodeTcString(
      `${core}.IFoEUQQgAIQwgIwQABAEAAAAOIAACAIAAAAQAIAgEAACEAAAAAgAQBAAAAAAAGBAAgAAAAAAAFAAECAAAgAAQARAEQAAAAAJAAIAAgAA`,
    );
    expect(read).toMatchObject({ ok: true, value: { purposes: [1, 2] } });
    expect(JSON.stringify(read)).not.toContain('755');
  });

  it('decodes a string whose vendors span the whole range of ids', () => {
    expect(decodeTcString(tcString({ purposes: [1], vendorRanges: [[1, 65_535]] }))).toMatchObject({ ok: true });
  });

  it('refuses, without expanding it, a short string whose ranges would expand to millions of vendors', () => {
    const hostile = tcString({ purposes: ALL, vendorRanges: Array.from({ length: 700 }, () => [1, 65_535]) });
    expect(hostile.length).toBeLessThan(4096);
    expect(decodeTcString(hostile)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reads ranges as many as a cookie can hold, and calls longer strings, that no browser keeps, malformed', () => {
    const many = tcString({ purposes: [1], vendorRanges: Array.from({ length: 700 }, (_, i) => [i + 1, i + 1]) });
    expect(many.length).toBeLessThan(4096);
    expect(decodeTcString(many)).toMatchObject({ ok: true, value: { choice: 'accepted-part' } });
    expect(decodeTcString(tcString({ purposes: [1] }) + 'A'.repeat(4096))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('calls malformed what does not decode as a version 2 string', () => {
    for (const value of [
      '',
      'not a tc string',
      'BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA',
      tcString({ purposes: [1] }).slice(0, 20),
    ])
      expect(decodeTcString(value)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('takes time in proportion to the value, however hostile', () => {
    const valid = tcString({ purposes: [1, 8] });
    for (const make of [
      (size: number) => valid + 'A'.repeat(size),
      (size: number) => `${valid}${'.'.repeat(size)}`,
      (size: number) => `C${'_'.repeat(size)}`,
    ])
      expect(
        measureLinearTime(
          (size) => {
            const value = make(size);
            return () => decodeTcString(value);
          },
          { factor: 8 },
        ),
      ).toMatchObject({ brokeAt: null });
  });
});
