import { describe, expect, it } from 'vitest';
import english from '../public/_locales/en/messages.json';
import french from '../public/_locales/fr/messages.json';
import type { Messages } from './locale-message';
import { t, type Language } from './strings';

const LOCALES: Record<Language, Messages> = { en: english, fr: french };

/** The $1…$9 a message takes, through its own text and its named placeholders' contents alike. */
function substitutions(entry: Messages[string]): string[] {
  const texts = [entry.message, ...Object.values(entry.placeholders ?? {}).map((p) => p.content)];
  return [
    ...new Set(texts.flatMap((text) => [...text.replaceAll('$$', '').matchAll(/\$[1-9]/g)].map((m) => m[0]))),
  ].sort();
}

/** The named placeholders a message uses ($name$), lower-cased as browsers compare them. */
function namedPlaceholders(entry: Messages[string]): string[] {
  return [...entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase()).sort();
}

describe('the string table', () => {
  it('has exactly the same keys in English and French', () => {
    const missingInFrench = Object.keys(english).filter((key) => !(key in french));
    const missingInEnglish = Object.keys(french).filter((key) => !(key in english));
    expect({ missingInFrench, missingInEnglish }).toEqual({ missingInFrench: [], missingInEnglish: [] });
  });

  it('gives each message the same substitutions and named placeholders in both languages', () => {
    for (const [key, entry] of Object.entries(LOCALES.en)) {
      const other = LOCALES.fr[key];
      if (!other) continue;
      expect(substitutions(other), key).toEqual(substitutions(entry));
      expect(namedPlaceholders(other), key).toEqual(namedPlaceholders(entry));
      expect(
        Object.keys(other.placeholders ?? {})
          .map((n) => n.toLowerCase())
          .sort(),
        key,
      ).toEqual(
        Object.keys(entry.placeholders ?? {})
          .map((n) => n.toLowerCase())
          .sort(),
      );
    }
  });

  it('names every message as Chrome requires and leaves none empty', () => {
    for (const [language, messages] of Object.entries(LOCALES)) {
      for (const [key, entry] of Object.entries(messages)) {
        expect(key, language).toMatch(/^[A-Za-z0-9_]+$/);
        expect(entry.message.trim(), `${language} ${key}`).not.toBe('');
        for (const name of namedPlaceholders(entry))
          expect(
            Object.keys(entry.placeholders ?? {}).map((n) => n.toLowerCase()),
            `${language} ${key}`,
          ).toContain(name);
      }
    }
  });

  it('reads the same table in Node as the popup does, in either language', () => {
    expect(t('en', 'errorBackground', 'a timeout')).toBe('Cookie Lens could not answer: a timeout');
    expect(t('fr', 'errorBackground', 'a timeout')).toBe('Cookie Lens n’a pas pu répondre : a timeout');
    expect(t('fr', 'severity_high')).not.toBe(t('en', 'severity_high'));
  });
});
