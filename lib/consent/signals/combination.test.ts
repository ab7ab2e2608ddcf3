import { describe, expect, it } from 'vitest';
import { readConsentCookie, type ConsentCookieReading } from '.';
import { ConsentCombination } from './combination';

const read = (name: string, value: string) => readConsentCookie(name, value) as ConsentCookieReading;
const groups = (interactionCount: number, answers: string) =>
  read('OptanonConsent', `interactionCount=${interactionCount}&groups=${encodeURIComponent(answers)}`);
const CLOSED = read('OptanonAlertBoxClosed', '2026-11-30T10:00:00.000Z');
const REFUSED = 'C0001:1,C0002:0,C0004:0';
const ACCEPTED = 'C0001:1,C0002:1,C0004:1';

describe('the combination of a visit’s consent signals', () => {
  it('gives OneTrust’s answer when the banner was closed, whichever cookie comes first', () => {
    const groupsFirst = new ConsentCombination();
    expect(groupsFirst.read(groups(0, REFUSED))?.choice).toBe('no-choice');
    expect(groupsFirst.read(CLOSED)?.choice).toBe('refused');

    const closedFirst = new ConsentCombination();
    expect(closedFirst.read(CLOSED)).toBeNull();
    expect(closedFirst.read(groups(0, REFUSED))?.choice).toBe('refused');
  });

  it('takes the groups alone as the answer once they say the visitor interacted, and does not repeat it', () => {
    const combination = new ConsentCombination();
    expect(combination.read(groups(1, ACCEPTED))?.choice).toBe('accepted-all');
    expect(combination.read(CLOSED)).toBeNull();
    expect(combination.read(groups(1, ACCEPTED))).toBeNull();
    expect(combination.read(groups(2, REFUSED))?.choice).toBe('refused');
  });

  it('says no choice before the banner is answered', () => {
    expect(new ConsentCombination().read(groups(0, ACCEPTED))).toMatchObject({ choice: 'no-choice' });
  });

  it('forgets the choice when either OneTrust cookie is removed', () => {
    const closedRemoved = new ConsentCombination();
    closedRemoved.read(groups(1, ACCEPTED));
    expect(closedRemoved.removed('onetrust', 'OptanonAlertBoxClosed')?.choice).toBe('no-choice');
    const groupsRemoved = new ConsentCombination();
    groupsRemoved.read(CLOSED);
    groupsRemoved.read(groups(1, ACCEPTED));
    expect(groupsRemoved.removed('onetrust', 'OptanonConsent')?.choice).toBe('no-choice');
    // Written again with the banner still closed: the choice holds again.
    expect(groupsRemoved.read(groups(0, ACCEPTED))?.choice).toBe('accepted-all');
  });

  it('starts from the state a visit had when the background woke, not repeating it', () => {
    const woken = new ConsentCombination({
      choice: 'refused',
      granted: null,
      purposes: null,
      platformCategories: null,
    });
    expect(woken.read(CLOSED)).toBeNull();
    expect(woken.read(groups(1, REFUSED))).toBeNull();
    expect(woken.read(groups(1, ACCEPTED))?.choice).toBe('accepted-all');
  });

  it('passes the other platforms’ cookies through, each deciding alone, and their removal is no choice', () => {
    const combination = new ConsentCombination();
    expect(combination.read(read('tarteaucitron', '!gtag=false'))?.choice).toBe('refused');
    expect(combination.removed('tarteaucitron', 'tarteaucitron')?.choice).toBe('no-choice');
    expect(combination.read(read('euconsent-v2', 'nope'))).toBeNull();
  });
});
