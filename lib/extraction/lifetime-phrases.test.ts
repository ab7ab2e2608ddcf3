import { describe, expect, it } from 'vitest';
import { DAY, MONTH, YEAR } from '../audit/lifetime';
import { findLifetimes, isExpiryDate } from './lifetime-phrases';

describe('findLifetimes', () => {
  it('reads a larger unit then a smaller one as one duration ("1 year 1 month", "1 an 6 mois")', () => {
    expect(findLifetimes('remember_me – 1 year 1 month').map((found) => found.lifetime.parsed)).toEqual([
      { kind: 'duration', seconds: Math.round(YEAR + MONTH), maximum: false },
    ]);
    expect(findLifetimes('1 an 6 mois').map((found) => found.text)).toEqual(['1 an 6 mois']);
    expect(findLifetimes('_ga 1 year 1 month 4 days').map((found) => found.text)).toEqual(['1 year 1 month 4 days']);
  });

  it('reads "or after 21 days" as at most 21 days, "closes their browser" as the session, not "Session ID"', () => {
    expect(
      findLifetimes('Removed when the user logs out or after 21 days').map((found) => found.lifetime.parsed),
    ).toEqual([{ kind: 'duration', seconds: 21 * DAY, maximum: true }]);
    expect(
      findLifetimes('Deleted when a user closes their browser.').map((found) => found.lifetime.parsed.kind),
    ).toEqual(['session']);
    expect(findLifetimes('Session ID')).toEqual([]);
    expect(findLifetimes('"_sess", "Keeps the session", "Session"').map((found) => found.text)).toEqual(['Session']);
    expect(findLifetimes('Wikipedia page about Session IDs')).toEqual([]);
    expect(findLifetimes('Session Cookie').map((found) => found.text)).toEqual(['Session']);
  });

  it('keeps lifetimes of the same unit side by side apart: one per cookie', () => {
    expect(findLifetimes('365 Days 180 Days').map((found) => found.lifetime.parsed)).toEqual([
      { kind: 'duration', seconds: 365 * DAY, maximum: false },
      { kind: 'duration', seconds: 180 * DAY, maximum: false },
    ]);
  });

  it('reads the user exiting or quitting the browser as the end of the session', () => {
    for (const text of [
      'when user exits browser',
      'when the visitor quits their browser',
      "quand l'utilisateur quitte son navigateur",
    ])
      expect(findLifetimes(text).map((found) => found.lifetime.parsed.kind)).toEqual(['session']);
    // Leaving a page, or exiting a form, is no end of the session.
    expect(findLifetimes('when the user exits the form')).toEqual([]);
  });

  it('reads the end of the session however it is said, and "Session" as a value before a colon or a dash', () => {
    expect(findLifetimes('Until browser is closed').map((found) => found.lifetime.parsed.kind)).toEqual(['session']);
    expect(findLifetimes('It is deleted when you close your browser.').map((found) => found.text)).toEqual([
      'close your browser',
    ]);
    expect(findLifetimes('Session: removed').map((found) => found.text)).toEqual(['Session']);
    expect(findLifetimes('Session – sess_token').map((found) => found.text)).toEqual(['Session']);
    expect(findLifetimes('during the session – then').map((found) => found.text)).toEqual([]);
    expect(findLifetimes('Session duration.').map((found) => found.text)).toEqual(['Session']);
    expect(findLifetimes('Expires between 30 minutes and several months.').map((found) => found.text)).toEqual([]);
    expect(findLifetimes('Expires between 30 minutes and 2 hours.').map((found) => found.text)).toEqual([
      'between 30 minutes and 2 hours',
    ]);
    expect(findLifetimes('Helps measure session duration for reports').map((found) => found.text)).toEqual([]);
    expect(findLifetimes('It expires when the browser session ends.').map((found) => found.text)).toEqual([
      'expires when the browser session ends',
    ]);
    expect(findLifetimes('It lasts until the browser tab or session ends.').map((f) => f.lifetime.parsed.kind)).toEqual(
      ['session'],
    );
    expect(findLifetimes('This is a session cookie.').map((f) => f.lifetime.parsed.kind)).toEqual(['session']);
    expect(findLifetimes('Ce traceur est un cookie de session.').map((f) => f.lifetime.parsed.kind)).toEqual([
      'session',
    ]);
    expect(findLifetimes('We use session cookies and persistent cookies.').map((f) => f.text)).toEqual([]);
    expect(
      findLifetimes('Keeps you signed in during your current session. Expires after 30 minutes.').map((f) => f.text),
    ).toEqual(['30 minutes']);
  });

  it('reads the units and session words of German, Spanish, Italian and Dutch policies, not an English word like them', () => {
    const kinds = (text: string) => findLifetimes(text).map((found) => found.lifetime.parsed);
    expect(kinds('Speicherdauer: 2 Jahre')).toEqual([{ kind: 'duration', seconds: 2 * 31_556_952, maximum: false }]);
    expect(kinds('caduca a los 30 minutos')).toEqual([{ kind: 'duration', seconds: 1800, maximum: false }]);
    expect(kinds('12 mesi')).toEqual([{ kind: 'duration', seconds: 31_556_952, maximum: false }]);
    expect(kinds('Löschung beim Schließen des Browsers')).toEqual([{ kind: 'session' }]);
    expect(kinds('expira cuando se cierra el navegador')).toEqual([{ kind: 'session' }]);
    expect(kinds('Google Tag Manager loads 3 tags')).toEqual([]);
  });

  it('reads "Session" offered beside a duration ("Session or 30 days if…") as a value, not "the session or…"', () => {
    const texts = (text: string) => findLifetimes(text).map((found) => found.text);
    expect(texts('Session ou 30 jours si « Se souvenir de moi »')).toEqual(['Session', '30 jours']);
    expect(texts('Session or 30 days if you tick remember me')).toEqual(['Session', '30 days']);
    expect(texts('kept for the session or 30 minutes')).toEqual(['30 minutes']);
  });

  it('reads "Session." ending a cell or a field, not a sentence of prose ending with the word', () => {
    const texts = (text: string) => findLifetimes(text).map((found) => found.text);
    expect(texts('Identifies a new user’s first session.')).toEqual([]);
    expect(texts('Checks whether the user is in a particular session.')).toEqual([]);
    expect(texts('Duration: session.')).toEqual(['session']);
    expect(texts('Holds your basket and ends with the browser session.')).toEqual(['session']);
    expect(texts('PHPSESSID: expires with session.')).toEqual(['session']);
    expect(texts('Retention period: single session.')).toEqual(['session']);
    // English "of" is no Dutch "or": one lifetime, not two offered.
    expect(texts('Session of 30 minutes')).toEqual(['30 minutes']);
    expect(texts('Session.')).toEqual(['Session']);
    expect(texts('(session)')).toEqual(['session']);
  });

  it('reads every unit the lifetime parser reads, written apart from its number ("2 yrs", "3 wks", "2 journées")', () => {
    const kinds = (text: string) => findLifetimes(text).map((found) => found.lifetime.parsed);
    expect(kinds('_ga 2 yrs')).toEqual([{ kind: 'duration', seconds: 2 * YEAR, maximum: false }]);
    expect(kinds('_gid 3 wks')).toEqual([{ kind: 'duration', seconds: 21 * DAY, maximum: false }]);
    expect(kinds('panier : 2 journées')).toEqual([{ kind: 'duration', seconds: 2 * DAY, maximum: false }]);
    expect(kinds('Dauer: 6 Monate')).toEqual([{ kind: 'duration', seconds: 6 * MONTH, maximum: false }]);
  });

  it('does not read a date in the past as a lifetime', () => {
    expect(findLifetimes('the site acts as if you came 10 years ago')).toEqual([]);
    expect(findLifetimes('valable 2 ans, créé 3 jours auparavant').map((found) => found.text)).toEqual(['2 ans']);
    expect(findLifetimes('open 24 hours a day, 7 days a week')).toEqual([]);
    expect(findLifetimes('ouvert 24 heures sur 24, 7 jours sur 7')).toEqual([]);
  });

  it('reads the French abbreviations of days and hours', () => {
    expect(findLifetimes('panier_id : 30 j\nderniere_page : 24 h').map((found) => found.lifetime.parsed)).toEqual([
      { kind: 'duration', seconds: 30 * DAY, maximum: false },
      { kind: 'duration', seconds: DAY, maximum: false },
    ]);
  });

  it('reads numbers in words, hyphenated tens included, never one part alone', () => {
    const read = (text: string) => findLifetimes(text).map((found) => [found.text, found.lifetime.parsed]);
    expect(read('rdv_rappel | vingt-quatre heures')).toEqual([
      ['vingt-quatre heures', { kind: 'duration', seconds: DAY, maximum: false }],
    ]);
    expect(read('dix-huit mois')).toEqual([
      ['dix-huit mois', { kind: 'duration', seconds: Math.round(18 * MONTH), maximum: false }],
    ]);
    expect(read('twenty-four hours')).toEqual([
      ['twenty-four hours', { kind: 'duration', seconds: DAY, maximum: false }],
    ]);
  });

  it('reads a unit after an article ("a day", "half an hour", "une demi-heure"), not a rate', () => {
    expect(findLifetimes('daily_quiz_done: a day').map((found) => found.lifetime.parsed)).toEqual([
      { kind: 'duration', seconds: DAY, maximum: false },
    ]);
    expect(findLifetimes('chat_state – half an hour').map((found) => found.text)).toEqual(['half an hour']);
    expect(findLifetimes('aide_chat : une demi-heure').map((found) => found.text)).toEqual(['une demi-heure']);
    expect(findLifetimes('rdv : une heure et demie').map((found) => found.text)).toEqual(['une heure et demie']);
    expect(findLifetimes('x : 6 mois et demi')).toEqual([]);
    expect(findLifetimes('we check it twice a day, 7 days a week')).toEqual([]);
    expect(findLifetimes('open 24 hours a day')).toEqual([]);
  });

  it('reads "1 year, 11 months and 29 days" as one duration', () => {
    expect(findLifetimes('_ga 1 year, 11 months and 29 days').map((found) => found.text)).toEqual([
      '1 year, 11 months and 29 days',
    ]);
    expect(findLifetimes('365 Days, 180 Days, 30 Days').map((found) => found.text)).toEqual([
      '365 Days',
      '180 Days',
      '30 Days',
    ]);
  });

  it('reads "Temporary" as the session, and drops "Persistent" beside the duration that says more', () => {
    expect(findLifetimes('tmp_basket | Temporary').map((found) => found.lifetime.parsed.kind)).toEqual(['session']);
    expect(findLifetimes('mbr_audience : Persistant – 13 mois').map((found) => found.text)).toEqual(['13 mois']);
    expect(findLifetimes('Persistent (90 days)').map((found) => found.text)).toEqual(['90 days']);
    expect(findLifetimes('Persistent').map((found) => found.lifetime.parsed.kind)).toEqual(['persistent']);
    expect(findLifetimes('Session / 1 an').map((found) => found.lifetime.parsed.kind)).toEqual(['session', 'duration']);
  });

  it('keeps an expiry date as printed and unknown: a date is no length', () => {
    const read = (text: string) => findLifetimes(text).map((found) => [found.text, found.lifetime.parsed.kind]);
    expect(read('fair_visitor Expires 31/12/2030')).toEqual([['Expires 31/12/2030', 'unknown']]);
    expect(read('billet_panier : expire le 15 mars 2027')).toEqual([['expire le 15 mars 2027', 'unknown']]);
    expect(read("affiche l'offre jusqu'au 01/09/2026")).toEqual([["jusqu'au 01/09/2026", 'unknown']]);
    expect(read('Updated on 19/03/2019')).toEqual([]);
    expect(isExpiryDate('2031-06-30')).toBe(true);
    expect(isExpiryDate('Valid until December 31, 2027')).toBe(true);
    expect(isExpiryDate('13 mois')).toBe(false);
  });
});
