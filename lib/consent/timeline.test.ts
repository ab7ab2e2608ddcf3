import { describe, expect, it } from 'vitest';
import { after, bannerAt, platformLoadedAt, signalAt } from '../../tests/support/consent';
import { allowsCategory, choiceAt, consentStateAt, currentChoice } from './timeline';

describe('the consent choice that holds at an instant of a visit', () => {
  it('is unknown when the visit recognised no consent signal nor banner: silence is not a choice', () => {
    expect(choiceAt([], after(10))).toBeNull();
    expect(currentChoice([])).toBeNull();
    expect(consentStateAt([], after(10))).toEqual({ choice: 'unknown', change: null, contradictedBy: null });
    expect(allowsCategory(consentStateAt([], after(10)), 'advertising')).toBeNull();
  });

  it("is the site's latest signal, from the moment it is seen; before the visit's first change, no choice", () => {
    const changes = [signalAt(20, 'refused'), signalAt(40, 'accepted-all')];
    expect(consentStateAt(changes, after(10))).toEqual({ choice: 'no-choice', change: null, contradictedBy: null });
    expect(choiceAt(changes, after(10))).toBeNull();
    expect(choiceAt(changes, after(20))).toBe(changes[0]);
    expect(choiceAt(changes, after(39))).toBe(changes[0]);
    expect(choiceAt(changes, after(40))).toBe(changes[1]);
    expect(currentChoice(changes)).toBe(changes[1]);
  });

  it('counts a signal found in the jar when the visit started from the start (recorded at the start)', () => {
    const changes = [signalAt(0, 'refused')];
    // A header written a moment after the start, before the jar was even read, is written under the refusal.
    expect(consentStateAt(changes, after(0.05)).choice).toBe('refused');
  });

  it('reads a platform loaded or a banner detected as no choice yet, without undoing a choice already recorded', () => {
    const loaded = platformLoadedAt(5);
    const detected = bannerAt(6, 'detected');
    expect(consentStateAt([loaded, detected], after(7))).toEqual({
      choice: 'no-choice',
      change: detected,
      contradictedBy: null,
    });
    const refused = signalAt(0, 'refused');
    expect(consentStateAt([refused, loaded, detected], after(7))).toMatchObject({ choice: 'refused', change: refused });
  });

  it("lets Cookie Lens's own banner answer prevail from its moment over the site's later contrary signal, noted", () => {
    const optOut = bannerAt(10, 'opt-out', 2);
    const accepted = signalAt(12, 'accepted-all');
    const changes = [signalAt(0, 'no-choice'), optOut, accepted];
    expect(consentStateAt(changes, after(9)).choice).toBe('no-choice');
    expect(consentStateAt(changes, after(11))).toEqual({ choice: 'refused', change: optOut, contradictedBy: null });
    expect(consentStateAt(changes, after(13))).toEqual({ choice: 'refused', change: optOut, contradictedBy: accepted });
    expect(currentChoice(changes)).toBe(optOut);
    // A signal agreeing with the action is no contradiction; an acceptance by Cookie Lens is contradicted by a refusal.
    expect(consentStateAt([optOut, signalAt(12, 'refused')], after(13)).contradictedBy).toBeNull();
    const optIn = bannerAt(10, 'opt-in', 1);
    const refusedAfter = signalAt(12, 'refused');
    expect(consentStateAt([optIn, refusedAfter], after(13))).toEqual({
      choice: 'accepted-all',
      change: optIn,
      contradictedBy: refusedAfter,
    });
  });

  it('orders changes by when they happened, not by when they were told', () => {
    const changes = [signalAt(30, 'accepted-all'), bannerAt(10, 'opt-out')];
    expect(consentStateAt(changes, after(20)).choice).toBe('refused');
    expect(consentStateAt(changes, after(40))).toMatchObject({ choice: 'refused', contradictedBy: changes[0] });
  });

  it('allows a category only when accepted with it; a partial choice that does not say which cannot be judged', () => {
    const part = consentStateAt([signalAt(0, 'accepted-part', ['functional', 'audience-measurement'])], after(1));
    expect(allowsCategory(part, 'audience-measurement')).toBe(true);
    expect(allowsCategory(part, 'advertising')).toBe(false);
    expect(allowsCategory(consentStateAt([signalAt(0, 'accepted-part')], after(1)), 'advertising')).toBeNull();
    expect(allowsCategory(consentStateAt([signalAt(0, 'accepted-all')], after(1)), 'advertising')).toBe(true);
    expect(allowsCategory(consentStateAt([signalAt(0, 'refused')], after(1)), 'advertising')).toBe(false);
    expect(allowsCategory(consentStateAt([platformLoadedAt(5)], after(1)), 'advertising')).toBe(false);
  });
});
