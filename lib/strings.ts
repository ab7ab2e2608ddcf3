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

/** Each message split once into its text and the substitutions' places: a file's million problems are worded fast. */
const compiled: Record<Language, Map<string, Array<string | number>>> = { en: new Map(), fr: new Map() };

function compile(language: Language, key: MessageKey): Array<string | number> {
  // Named placeholders and "$$" resolved with no substitution, the $n left for markers that cannot occur in the text.
  const text =
    fillMessage(
      TABLES[language][key],
      Array.from({ length: 9 }, (_, i) => `\u0000${i}\u0000`),
    ) || key;
  // eslint-disable-next-line no-control-regex -- NUL marks the places: no message holds one
  return text.split(/\u0000(\d)\u0000/).map((part, i) => (i % 2 === 1 ? Number(part) : part));
}

/** The text of a message in a language, with $1…$9 replaced by the substitutions; a missing key shows as itself. */
export function t(language: Language, key: MessageKey, ...substitutions: Array<string | number>): string {
  let parts = compiled[language].get(key);
  if (!parts) compiled[language].set(key, (parts = compile(language, key)));
  if (parts.length === 1) return parts[0] as string;
  let text = '';
  for (const part of parts) text += typeof part === 'number' ? String(substitutions[part] ?? '') : part;
  return text;
}

export const sayIn =
  (language: Language): Say =>
  (key, ...substitutions) =>
    t(language, key, ...substitutions);
