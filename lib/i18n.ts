import { browser } from 'wxt/browser';
import { fillMessage, type Messages } from './locale-message';
import type { Language, MessageKey } from './strings';

/**
 * The interface's words. With the language setting on 'auto' they come from `browser.i18n`, which follows the
 * browser's language; a language chosen in the settings loads that locale's messages.json instead, because
 * `browser.i18n` cannot be told to use another locale.
 */
export type { Language, MessageKey };
export type LanguageSetting = 'auto' | Language;

let table: Messages | null = null;
let current: Language = 'en';
/** Each message once, with its $1…$9 as markers: a thousand rows then cost a thousand string replacements. */
const templates = new Map<string, string>();
const MARKERS = Array.from({ length: 9 }, (_, i) => String.fromCharCode(0xe000 + i));
const MARKER = /[\ue000-\ue008]/g;
const dateFormats = new Map<string, Intl.DateTimeFormat>();
let relative: Intl.RelativeTimeFormat | null = null;
let numbers: Intl.NumberFormat | null = null;

/**
 * The language a setting speaks: for 'auto', the one of the locale the browser picked among the extension's
 * (its `languageCode` message) when French, else English.
 */
export function languageOf(
  setting: LanguageSetting,
  localeLanguage = browser.i18n.getMessage('languageCode'),
): Language {
  if (setting !== 'auto') return setting;
  return localeLanguage === 'fr' ? 'fr' : 'en';
}

/** Loads the words for a language setting; call once before rendering. */
export async function initI18n(setting: LanguageSetting): Promise<void> {
  if (setting === 'auto') {
    table = null;
    speak(languageOf(setting));
  } else {
    const response = await fetch(browser.runtime.getURL(`/_locales/${setting}/messages.json`));
    useMessages(await response.json(), setting);
  }
  document.documentElement.lang = current;
}

/** Uses a messages.json table directly (a chosen language, and unit tests). */
export function useMessages(messages: Messages, language: Language): void {
  table = messages;
  speak(language);
}

function speak(language: Language): void {
  current = language;
  templates.clear();
  dateFormats.clear();
  relative = null;
  numbers = null;
}

/** The language the interface speaks: for dates, numbers and the findings' explanations. */
export function language(): Language {
  return current;
}

/** The text of a message, with $1…$9 replaced by the substitutions. */
export function t(key: MessageKey, ...substitutions: Array<string | number>): string {
  let template = templates.get(key);
  if (template === undefined) {
    // WXT types getMessage with one overload per key, which a union of keys cannot pick: hence the cast.
    template = (table ? fillMessage(table[key], MARKERS) : browser.i18n.getMessage(key as never, MARKERS)) || key;
    templates.set(key, template);
  }
  if (substitutions.length === 0) return template;
  return template.replace(MARKER, (marker) => String(substitutions[marker.charCodeAt(0) - 0xe000] ?? ''));
}

const DATE_STYLES: Record<'date' | 'datetime' | 'time', Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'long' },
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
  // To the second: a visit's consent changes can be seconds apart.
  time: { timeStyle: 'medium' },
};

/** A date and time in the interface's language ("24 nov. 2026, 09:30"), the date alone, or the time to the second. */
export function formatDate(epochMs: number, style: 'date' | 'datetime' | 'time' = 'datetime'): string {
  const id = `${current}:${style}`;
  let format = dateFormats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(current, DATE_STYLES[style]);
    dateFormats.set(id, format);
  }
  return format.format(epochMs);
}

/** An ISO date ("2025-01-01") as a day in the interface's language, without shifting it across time zones. */
export function formatDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return new Intl.DateTimeFormat(current, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 31_556_952],
  ['month', 2_629_746],
  ['day', 86_400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "in 12 days", "dans 12 jours", "3 hours ago": the largest unit that gives at least 2 of it. */
export function formatRelative(seconds: number): string {
  const absolute = Math.abs(seconds);
  const [unit, size] = UNITS.find(([, s]) => absolute >= 2 * s) ?? ['second', 1];
  relative ??= new Intl.RelativeTimeFormat(current, { numeric: 'auto' });
  return relative.format(Math.round(seconds / size), unit);
}

/** A number in the interface's language ("1 000", "1,000"). */
export function formatNumber(value: number): string {
  numbers ??= new Intl.NumberFormat(current);
  return numbers.format(value);
}
