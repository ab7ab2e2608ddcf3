import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../../tests/support/linear-time';
import { decodeOptanonAlertBoxClosed, decodeOptanonConsent } from './onetrust';

/** OptanonConsent as OneTrust writes it, with the groups' answers and the interaction count given. */
function optanonConsent(groups: string, interactionCount = 1, landingPath = 'NotLandingPage') {
  return [
    'isGpcEnabled=0',
    'datestamp=Mon+Nov+30+2026+10%3A00%3A00+GMT%2B0100+(heure+normale+d%E2%80%99Europe+centrale)',
    'version=202409.1.0',
    'browserGpcFlag=0',
    'isIABGlobal=false',
    'hosts=',
    'consentId=5b1f0c52-7d1e-4c3a-9f7a-1a2b3c4d5e6f',
    `interactionCount=${interactionCount}`,
    `landingPath=${landingPath}`,
    `groups=${encodeURIComponent(groups)}`,
    'AwaitingReconsent=false',
  ].join('&');
}

describe('OneTrust’s OptanonConsent', () => {
  it('reads a refusal: every group but the strictly necessary one refused', () => {
    expect(decodeOptanonConsent(optanonConsent('C0001:1,C0002:0,C0003:0,C0004:0,C0005:0'))).toEqual({
      ok: true,
      value: {
        ifAnswered: { choice: 'refused', granted: null, purposes: null, platformCategories: null },
        interacted: true,
      },
    });
  });

  it('reads an acceptance of all groups', () => {
    expect(decodeOptanonConsent(optanonConsent('C0001:1,C0002:1,C0003:1,C0004:1,C0005:1'))).toMatchObject({
      value: {
        ifAnswered: {
          choice: 'accepted-all',
          granted: null,
          platformCategories: ['C0001', 'C0002', 'C0003', 'C0004', 'C0005'],
        },
      },
    });
  });

  it('reads an acceptance in part, with the Cookie Lens categories of the standard groups', () => {
    expect(decodeOptanonConsent(optanonConsent('C0001:1,C0002:1,C0003:1,C0004:0,C0005:0'))).toMatchObject({
      value: {
        ifAnswered: {
          choice: 'accepted-part',
          granted: ['audience-measurement', 'performance', 'functional'],
          platformCategories: ['C0001', 'C0002', 'C0003'],
        },
      },
    });
  });

  it('tells whether the visitor interacted: before any choice, the count is 0', () => {
    const before = decodeOptanonConsent(optanonConsent('C0001:1,C0002:0,C0003:0,C0004:0', 0, '%2Fparticuliers'));
    expect(before).toMatchObject({ ok: true, value: { interacted: false } });
  });

  it('keeps nothing of the value but the groups', () => {
    const read = JSON.stringify(decodeOptanonConsent(optanonConsent('C0001:1,C0002:1,C0003:0')));
    expect(read).not.toContain('5b1f0c52');
    expect(read).not.toContain('2026');
  });

  it('calls malformed a value without groups or with groups it cannot read', () => {
    for (const value of [
      '',
      'isGpcEnabled=0&consentId=x',
      optanonConsent('C0001:1,C0002:yes'),
      optanonConsent('C0001,C0002'),
      optanonConsent(':1'),
      'groups=%E0%A4%A',
    ])
      expect(decodeOptanonConsent(value)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('takes time in proportion to the value, however hostile', () => {
    for (const make of [
      (size: number) => `groups=${'C0002%3A1%2C'.repeat(size / 12)}C0003%3A0`,
      (size: number) => `${'&'.repeat(size)}groups=`,
      (size: number) => `groups=${':'.repeat(size)}`,
      (size: number) => `${'groups=C0001:1&'.repeat(size / 15)}`,
    ])
      expect(
        measureLinearTime((size) => {
          const value = make(size);
          return () => decodeOptanonConsent(value);
        }),
      ).toMatchObject({ brokeAt: null });
  });
});

describe('OneTrust’s OptanonAlertBoxClosed', () => {
  it('reads the date the banner was closed, keeping only that it was', () => {
    expect(decodeOptanonAlertBoxClosed('2026-11-30T10:00:00.000Z')).toEqual({ ok: true, value: 'closed' });
    expect(decodeOptanonAlertBoxClosed('2026-11-30T10%3A00%3A00.000Z')).toEqual({ ok: true, value: 'closed' });
  });

  it('calls malformed anything else', () => {
    expect(decodeOptanonAlertBoxClosed('yesterday')).toEqual({ ok: false, reason: 'malformed' });
    expect(decodeOptanonAlertBoxClosed(`2026-11-30T10:00:00.000Z${' '.repeat(100)}`)).toMatchObject({ ok: false });
  });
});
