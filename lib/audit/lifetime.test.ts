import { describe, expect, it } from 'vitest';
import {
  addCalendarMonths,
  DAY,
  describeLifetime,
  formatDuration,
  MINUTE,
  MONTH,
  parseLifetime,
  WEEK,
  YEAR,
} from './lifetime';
import { sayIn } from '../strings';

const duration = (seconds: number, maximum = false) => ({ kind: 'duration', seconds: Math.round(seconds), maximum });

describe('parseLifetime', () => {
  it.each([
    // Every phrasing the seed policies use.
    ['session', { kind: 'session' }],
    ['Session', { kind: 'session' }],
    ['30 secondes', duration(30)],
    ['1 minute', duration(MINUTE)],
    ['2 mois', duration(2 * MONTH)],
    ['1 an', duration(YEAR)],
    ['13 mois', duration(13 * MONTH)],
    ['Maximum 12 mois', duration(12 * MONTH, true)],
    ['Persistent', { kind: 'persistent' }],
    ['Persistente (localStorage)', { kind: 'persistent' }],
    ['Persistenti', { kind: 'persistent' }],
    ['~3 months', duration(3 * MONTH)],
    ['On site exit', { kind: 'session' }],
    ['Sessional', { kind: 'session' }],
    ['Date not set', { kind: 'session' }],
    ['180 jours', duration(180 * DAY)],
    ['1 jour', duration(DAY)],
    ['30 minutes', duration(30 * MINUTE)],
    ['expirent à la fermeture du navigateur', { kind: 'session' }],
    ['3 mois', duration(3 * MONTH)],
    ['trois mois', duration(3 * MONTH)],
    // Number words of the other languages, with their diacritics or without.
    ['diez minutos', duration(10 * MINUTE)],
    ['fünf Jahre', duration(5 * YEAR)],
    ['funf Jahre', duration(5 * YEAR)],
    ['ventiquattro ore', duration(DAY)],
    ['vierentwintig uur', duration(DAY)],
    // A day's end: a day at most, or two from "the next day".
    ['Same day', duration(DAY, true)],
    ['Expires at midnight', duration(DAY, true)],
    ['at midnight the next day', duration(2 * DAY, true)],
    ['le lendemain à minuit', duration(2 * DAY, true)],
    ['Never deleted', { kind: 'persistent' }],
    ['al cerrar el navegador', { kind: 'session' }],
    ['1 day – 13 months', { kind: 'range', minSeconds: DAY, maxSeconds: 13 * MONTH }],
    // Norwegian, Swedish, Danish and Polish units.
    ['24 timer', duration(DAY)],
    ['2 år', duration(2 * YEAR)],
    ['3 måneder', duration(3 * MONTH)],
    ['13 miesięcy', duration(13 * MONTH)],
    ['sesjon', { kind: 'session' }],
    ['30 jours', duration(30 * DAY)],
    // A shop platform's cells: a one-letter unit against its number; apart from it, "y" and "w" are no unit.
    ['2y', duration(2 * YEAR)],
    ['2w', duration(2 * WEEK)],
    ['1d', duration(DAY)],
    ['2 y', { kind: 'unknown' }],
    ['1 mois', duration(MONTH)],
    ['13 mois maximum', duration(13 * MONTH, true)],
    ['pas conservés plus de 13 mois', duration(13 * MONTH, true)],
    ['configurés pour se terminer 13 mois maximum après leur installation', duration(13 * MONTH, true)],
    ['expire lorsque vous fermez votre session de navigation sur notre Site', { kind: 'session' }],
    // Common English phrasings.
    ['2 years', duration(2 * YEAR)],
    ['13 months', duration(13 * MONTH)],
    ['30 min', duration(30 * MINUTE)],
    ['until the browser is closed', { kind: 'session' }],
    ['When you close your browser', { kind: 'session' }],
    ['Until browser is closed', { kind: 'session' }],
    ['removed when the browser is closed', { kind: 'session' }],
    ['When you leave the site, the cookie is deleted.', { kind: 'session' }],
    ['quand vous quittez le site', { kind: 'session' }],
    ['1 year 1 month', duration(YEAR + MONTH)],
    ['Session cookie', { kind: 'session' }],
    ['up to 1 year', duration(YEAR, true)],
    ['an hour', duration(3600)],
    ['1 year and 6 months', duration(YEAR + 6 * MONTH)],
    ['24h', duration(DAY)],
    ['un an', duration(YEAR)],
    ['1,5 an', duration(1.5 * YEAR)],
    // Numbers in words, halves, "Temporary", and a phrase saying the cookie never expires.
    ['vingt-quatre heures', duration(DAY)],
    ['dix-huit mois', duration(18 * MONTH)],
    ['twenty-four hours', duration(DAY)],
    ['eighteen months', duration(18 * MONTH)],
    ['half an hour', duration(30 * MINUTE)],
    ['une demi-heure', duration(30 * MINUTE)],
    ['a day', duration(DAY)],
    ['Temporary', { kind: 'session' }],
    ['Temporaire', { kind: 'session' }],
    ['Temporary cookie', { kind: 'session' }],
    ['Never expires', { kind: 'persistent' }],
    ["N'expire jamais", { kind: 'persistent' }],
    ['1 year, 11 months and 29 days', duration(YEAR + 11 * MONTH + 29 * DAY)],
    ['une heure et demie', duration(90 * MINUTE)],
    ['1 an et demi', duration(1.5 * YEAR)],
    ['2 days and a half', duration(2.5 * DAY)],
  ])('reads %j', (text, expected) => {
    expect(parseLifetime(text)).toEqual(expected);
  });

  it.each([
    ['de 1 à 13 mois', 1 * MONTH, 13 * MONTH],
    ['1-13 months', 1 * MONTH, 13 * MONTH],
    ['between 1 day and 2 years', DAY, 2 * YEAR],
    ['6 mois à 1 an', 6 * MONTH, YEAR],
  ])('keeps the range %j as a range', (text, min, max) => {
    expect(parseLifetime(text)).toEqual({ kind: 'range', minSeconds: min, maxSeconds: max });
  });

  it.each([
    '',
    'variable',
    'selon le navigateur',
    '1 jour ou 1 an',
    '13-1 mois',
    '13 à 1 mois',
    '2 ans à 1 jour',
    'session ou 13 mois',
    'Oui ou Non',
    '12',
    'depends',
    // Never set, or never expiring: not said.
    'Never',
    // A date is no length: when the cookie is set decides it.
    'Expires 31/12/2030',
    'Expire le 31 décembre 2027',
    // A choice between the session and a duration.
    'Session / 1 an',
    // Half a month is no whole number of days.
    '6 mois et demi',
  ])('keeps %j as unknown rather than guessing', (text) => {
    expect(parseLifetime(text)).toEqual({ kind: 'unknown' });
  });
});

describe('addCalendarMonths', () => {
  it('counts calendar months and clamps to the end of shorter months', () => {
    expect(new Date(addCalendarMonths(Date.UTC(2025, 0, 15, 10), 13)).toISOString()).toBe('2026-02-15T10:00:00.000Z');
    expect(new Date(addCalendarMonths(Date.UTC(2025, 0, 31), 13)).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });
});

describe('formatDuration and describeLifetime', () => {
  it('speaks in the unit a person would use', () => {
    expect(formatDuration(400 * DAY, sayIn('en'))).toBe('400 days');
    expect(formatDuration(13 * MONTH, sayIn('en'))).toBe('13 months');
    expect(formatDuration(45.5 * DAY, sayIn('fr'))).toBe('45,5 jours');
    expect(formatDuration(2 * YEAR, sayIn('fr'))).toBe('2 ans');
    expect(formatDuration(12 * DAY, sayIn('en'))).toBe('12 days');
    expect(formatDuration(30, sayIn('fr'))).toBe('30 secondes');
    expect(formatDuration(YEAR, sayIn('en'))).toBe('1 year');
    expect(describeLifetime({ kind: 'duration', seconds: 12 * MONTH, maximum: true }, sayIn('fr'))).toBe(
      'au plus 1 an',
    );
    expect(describeLifetime({ kind: 'session' }, sayIn('en'))).toBe('session (until the browser closes)');
  });
});
