import { describe, expect, it } from 'vitest';
import {
  buildDraft,
  declaredName,
  draftId,
  EXPIRY_DATE_NOTE,
  lifetimeFromNumber,
  lifetimeFromText,
  slug,
} from './draft';

describe('draft helpers', () => {
  it('names drafts after the host or the file', () => {
    expect(draftId('https://www.Exemple.fr/cookies?x=1')).toBe('draft-www-exemple-fr');
    expect(draftId('000_f2dd0101e5f31d62.txt')).toBe('draft-000-f2dd0101e5f31d62');
    expect(draftId('/home/me/Politique Cookies (2024).pdf')).toBe('draft-politique-cookies-2024');
    expect(slug('Éditeur & Co')).toBe('editeur-co');
  });

  it('keeps names as printed and turns placeholders into wildcards', () => {
    expect(declaredName('_pk_id#')).toEqual({
      printed: '_pk_id#',
      pattern: '_pk_id*',
      reading: '"#" stands for a site-specific part of the name',
    });
    expect(declaredName('_ga_<container-id>')?.pattern).toBe('_ga_*');
    expect(declaredName('_hjSession_{site_id}')?.pattern).toBe('_hjSession_*');
    expect(declaredName('dydu.*')).toEqual({ printed: 'dydu.*', pattern: 'dydu.*' });
    expect(declaredName('stg_returning_visitor', 'stg_returning_visito r')).toMatchObject({
      extracted: 'stg_returning_visito r',
    });
    expect(declaredName('*')).toBeNull();
    expect(declaredName('#')).toBeNull();
  });

  it('reads numbers of seconds or days: zero or less is a session cookie, null unknown', () => {
    expect(lifetimeFromNumber(0, 'seconds')).toEqual({ text: 'session', parsed: { kind: 'session' } });
    expect(lifetimeFromNumber(-1, 'seconds').parsed).toEqual({ kind: 'session' });
    expect(lifetimeFromNumber(null, 'seconds').parsed).toEqual({ kind: 'unknown' });
    expect(lifetimeFromNumber(2592000, 'seconds')).toEqual({
      text: '2592000 seconds',
      parsed: { kind: 'duration', seconds: 2592000, maximum: false },
    });
    expect(lifetimeFromText('  13 mois\n maximum ')).toEqual({
      text: '13 mois maximum',
      parsed: expect.objectContaining({ maximum: true }),
    });
  });

  it('lists an entry the schema refuses instead of failing the draft', () => {
    const result = buildDraft(
      {
        extractor: 'test',
        entries: [
          { names: [{ printed: 'ok', pattern: 'ok' }], excerpt: 'ok 1 year' },
          { names: [{ printed: 'bad', pattern: 'a**b' }], excerpt: 'bad' },
        ],
      },
      { source: 'test.txt' },
    );
    expect(result.catalogue.entries.map((entry) => entry.id)).toEqual(['ok']);
    expect(result.notUnderstood).toEqual([{ text: 'bad', reason: expect.stringContaining('not a valid entry') }]);
    expect(result.catalogue.policy).toEqual({ url: null, document: 'test.txt' });
  });

  it('keeps an expiry date as printed, unknown, and says so on the entry and in what is not understood', () => {
    const result = buildDraft(
      {
        extractor: 'test',
        entries: [
          {
            names: [{ printed: 'fair_visitor', pattern: 'fair_visitor' }],
            lifetime: lifetimeFromText('Expires 31/12/2030'),
            excerpt: 'fair_visitor Expires 31/12/2030',
          },
          {
            names: [{ printed: 'fair_lang', pattern: 'fair_lang' }],
            lifetime: lifetimeFromText('1 year'),
            excerpt: '',
          },
        ],
      },
      { source: 'test.txt' },
    );
    const [dated, plain] = result.catalogue.entries;
    expect(dated!.lifetime).toEqual({ text: 'Expires 31/12/2030', parsed: { kind: 'unknown' } });
    expect(dated!.notes).toEqual([EXPIRY_DATE_NOTE]);
    expect(plain!.notes).toBeUndefined();
    expect(result.notUnderstood).toEqual([{ text: 'Expires 31/12/2030', reason: EXPIRY_DATE_NOTE }]);
  });

  it('holds each name once: a later mention without a lifetime gives way to the entry that declares one', () => {
    const name = (printed: string) => ({ printed, pattern: printed });
    const result = buildDraft(
      {
        extractor: 'test',
        entries: [
          { names: [name('__utma')], lifetime: lifetimeFromText('2 years'), excerpt: '__utma 2 years' },
          { names: [name('trustbadge'), name('__utma')], excerpt: 'trustbadge, __utma | Used by the badge' },
          { names: [name('__utma')], excerpt: '__utma again' },
        ],
      },
      { source: 'test.txt' },
    );
    expect(result.catalogue.entries.map((entry) => entry.names.map((n) => n.printed))).toEqual([
      ['__utma'],
      ['trustbadge'],
    ]);
    expect(result.catalogue.entries[0]!.lifetime.text).toBe('2 years');
  });
});
