import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { extractPolicyText } from '../extraction/policy-text';
import { draftLabel, draftRows, saveDraft, siteOrNull } from './draft-view';

const text = [
  'Cookies tiers',
  'Matomo _pk_id.* Identifiant du visiteur 13 mois',
  'Google Analytics _ga Mesure d’audience 2 ans',
].join('\n');

describe('the draft view’s helpers', () => {
  it('lists each drafted entry with its names, lifetime as written and its source excerpt', () => {
    const result = extractPolicyText(text, { source: 'politique.txt' });
    const rows = draftRows(result.catalogue);
    expect(rows.map((r) => r.names)).toEqual([['_pk_id.*'], ['_ga']]);
    expect(rows[0]).toMatchObject({ lifetime: '13 mois', lifetimeUnderstood: true });
    expect(rows[1]!.excerpt).toContain('_ga');
    expect(draftLabel(result)).toBe('policy text');
  });

  it('accepts as the site only what the background accepts', () => {
    expect(siteOrNull(' *.Example.fr ')).toBe('*.example.fr');
    expect(siteOrNull('https://example.fr/')).toBeNull();
    expect(siteOrNull('')).toBeNull();
  });
});

describe('saveDraft', () => {
  const asked: unknown[] = [];
  beforeEach(() => {
    fakeBrowser.reset();
    asked.length = 0;
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
      asked.push(message);
      const m = message as { type: string; text?: string };
      if (m.type === 'import-catalogue')
        return Promise.resolve({ ok: true, id: (JSON.parse(m.text!) as { id: string }).id, replaced: false });
      return Promise.resolve({ ok: true });
    });
  });

  it('imports the draft catalogue as JSON, then binds it to the site', async () => {
    const result = extractPolicyText(text, { source: 'https://www.mutuelle-exemple.fr/politique-cookies' });
    const outcome = await saveDraft(result.catalogue, 'www.mutuelle-exemple.fr');
    expect(outcome).toEqual({
      ok: true,
      id: 'draft-www-mutuelle-exemple-fr',
      replaced: false,
      site: 'www.mutuelle-exemple.fr',
    });
    expect(asked.map((m) => (m as { type: string }).type)).toEqual(['import-catalogue', 'bind-catalogue']);
    expect(asked[1]).toEqual({
      type: 'bind-catalogue',
      site: 'www.mutuelle-exemple.fr',
      catalogueId: 'draft-www-mutuelle-exemple-fr',
    });
  });

  it('binds nothing when no site is given', async () => {
    await saveDraft(extractPolicyText(text, { source: 'x.txt' }).catalogue, null);
    expect(asked).toHaveLength(1);
  });
});
