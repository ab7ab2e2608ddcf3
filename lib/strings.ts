import english from '../public/_locales/en/messages.json';
import french from '../public/_locales/fr/messages.json';
import { fillMessage, type Messages } from './locale-message';

/**
 * The one table of Cookie Lens's words: public/_locales/{en,fr}/messages.json. The popup and the dashboard read it
 * through `browser.i18n` or a fetched messages.json (lib/i18n.ts); what runs without a page (the findings'
 * explanations, the exports, the problems of an imported file, the command line) reads it here, as JSON modules.
 */
export type Language = 'fr' | 'en';
export type MessageKey = keyof typeof english;

const TABLES: Record<Language, Messages> = { en: english, fr: french };

/** Words of the table in one language: lib/i18n.ts's `t` for the page's language, or `sayIn(language)`. */
export type Say = (key: MessageKey, ...substitutions: Array<string | number>) => string;

/** The text of a message in a language, with $1…$9 replaced by the substitutions; a missing key shows as itself. */
export function t(language: Language, key: MessageKey, ...substitutions: Array<string | number>): string {
  return fillMessage(TABLES[language][key], substitutions) || key;
}

export const sayIn =
  (language: Language): Say =>
  (key, ...substitutions) =>
    t(language, key, ...substitutions);
