import { describe, expect, it } from 'vitest';
import { NOW } from '../../tests/support/observed';
import { DAY, YEAR } from '../audit/lifetime';
import { rowsOf } from '../audit/report-rows';
import { actualLifetime, declaredLifetime, expiryText, sourceText } from './format';
import { reportOf, speakTests } from '../../tests/support/visit-reports';

const rowOf = (sketch: Parameters<typeof reportOf>[0][number]) => rowsOf(reportOf([sketch]), 'en')[0]!;

describe('a row’s lifetimes in words', () => {
  it('puts the requested life beside the stored one when the browser cut it down', () => {
    speakTests('en');
    const row = rowOf({ name: 'marketing_id', requested: 2 * YEAR });
    expect(actualLifetime(row.store, row.judged)).toBe('requested 2 years · stored 400 days');
    speakTests('fr');
    expect(actualLifetime(row.store, row.judged)).toBe('demandée : 2 ans · conservée : 400 jours');
  });

  it('says one life when both agree, "session", or what storage keys do', () => {
    speakTests('en');
    const pk = rowOf({ name: '_pk_id.1.a1b2', requested: 393 * DAY });
    expect(actualLifetime(pk.store, pk.judged)).toBe('393 days');
    const session = rowOf({ name: 'JSESSIONID', requested: 'session' });
    expect(actualLifetime(session.store, session.judged)).toBe('session');
    const local = rowOf({ name: 'dydu.lastVisit', store: 'localStorage', requested: null });
    expect(actualLifetime(local.store, local.judged)).toBe('until cleared');
  });

  it('says when the cookie expires, from now', () => {
    speakTests('en');
    const pk = rowOf({ name: '_pk_id.1.a1b2', requested: 12 * DAY });
    expect(expiryText(pk, NOW)).toBe('expires in 12 days');
    expect(expiryText(pk, NOW + 13 * DAY * 1000)).toBe('expired 24 hours ago');
    expect(expiryText(rowOf({ name: 'JSESSIONID', requested: 'session' }), NOW)).toBe('');
  });

  it('shows the declared lifetime as the policy words it', () => {
    speakTests('fr');
    expect(declaredLifetime(rowOf({ name: '_pk_id.1.a1b2', requested: DAY }))).toBe('1 mois');
    expect(declaredLifetime(rowOf({ name: 'unknown_one', requested: DAY }))).toBe('');
    expect(sourceText('policy.txt', [209, 335])).toBe('policy.txt, lignes 209 à 335');
  });
});
