import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../catalogue/schema';
import { FINDING_KINDS } from '../audit/findings';
import { formatNumber, formatRelative, language, languageOf, t, useMessages, type MessageKey } from '../i18n';
import { categoryLabel, kindLabel } from './format';
import { speakTests } from '../../tests/support/visit-reports';

describe('the words', () => {
  it('names every finding kind and category in both languages', () => {
    for (const lang of ['en', 'fr'] as const) {
      speakTests(lang);
      for (const kind of FINDING_KINDS) expect(kindLabel(kind), kind).not.toBe(kind);
      for (const category of CATEGORIES) expect(categoryLabel(category), category).not.toMatch(/^category_/);
    }
  });

  it('substitutes $1…$9, named placeholders and "$$" as browsers do, and shows a missing key as itself', () => {
    useMessages(
      {
        one: { message: 'Seen $1 of $2 for $$5' },
        named: { message: 'Hello $USER$, $1', placeholders: { user: { content: '$2' } } },
      },
      'en',
    );
    expect(t('one' as MessageKey, 3, 'x')).toBe('Seen 3 of x for $5');
    expect(t('named' as MessageKey, 'a', 'Ada')).toBe('Hello Ada, a');
    expect(t('nothing-here' as MessageKey)).toBe('nothing-here');
  });

  it('speaks the chosen language for words, numbers and relative times', () => {
    speakTests('fr');
    expect(language()).toBe('fr');
    expect(t('expiresIn', formatRelative(12 * 86_400))).toBe('expire dans 12 jours');
    expect(formatNumber(1000)).toBe('1\u202f000');
    speakTests('en');
    expect(t('expiresIn', formatRelative(12 * 86_400))).toBe('expires in 12 days');
    expect(t('expiredAgo', formatRelative(-3 * 3600))).toBe('expired 3 hours ago');
    expect(formatNumber(1000)).toBe('1,000');
  });

  it('speaks the language chosen in the settings, else the browser’s when French, else English', () => {
    expect(languageOf('fr', 'en')).toBe('fr');
    expect(languageOf('en', 'fr')).toBe('en');
    expect(languageOf('auto', 'fr')).toBe('fr');
    expect(languageOf('auto', 'de')).toBe('en');
  });
});
