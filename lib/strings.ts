import english from '../public/_locales/en/messages.json';
import french from '../public/_locales/fr/messages.json';

/**
 * The one table of Cookie Lens's words: public/_locales/{en,fr}/messages.json. The popup and the dashboard read it
 * through `browser.i18n` or a fetched messages.json (lib/i18n.ts); what runs without a page (the findings'
 * explanations, the exports, the problems of an imported file, the command line) reads it here, as JSON modules.
 */
export type Language = 'fr' | 'en';
export type MessageKey = keyof typeof english;

export interface LocaleMessage {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
export type Messages = Record<string, LocaleMessage>;

const TABLES: Record<Language, Messages> = { en: english, fr: french };

/**
 * What browsers do with a messages.json entry: named placeholders first ($name$, a name starting with a letter, so that
 * "$3$4" is two substitutions side by side), then $n, and "$$" for "$".
 */
export function fillMessage(entry: LocaleMessage | undefined, substitutions: ReadonlyArray<string | number>): string {
  if (!entry) return '';
  const placeholders = entry.placeholders ?? {};
  const named = entry.message.replace(/\$([A-Za-z_@][A-Za-z0-9_@]*)\$/g, (whole, name: string) => {
    const found = Object.entries(placeholders).find(([n]) => n.toLowerCase() === name.toLowerCase());
    return found ? found[1].content : whole;
  });
  return named.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : String(substitutions[Number(which) - 1] ?? '')));
}

/** The text of a message in a language, with $1…$9 replaced by the substitutions; a missing key shows as itself. */
export function t(language: Language, key: MessageKey, ...substitutions: Array<string | number>): string {
  return fillMessage(TABLES[language][key], substitutions) || key;
}
