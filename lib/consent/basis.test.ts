import { describe, expect, it } from 'vitest';
import { consentCatalogue, type EntrySketch } from '../../tests/support/consent';
import type { Catalogue } from '../catalogue/schema';
import { consentBasisOf, describeConsentBasis } from './basis';

const basisOf = (catalogue: Catalogue, id: string) =>
  consentBasisOf(
    catalogue,
    catalogue.entries.find((e) => e.id === id)!,
  );
const single = (sketch: Omit<EntrySketch, 'id' | 'name'>, options?: Parameters<typeof consentCatalogue>[1]) =>
  basisOf(consentCatalogue([{ id: 'x', name: 'x_cookie', ...sketch }], options), 'x');

describe('the consent basis that applies to an entry', () => {
  it("is the entry's own word first, with its excerpt and lines", () => {
    const basis = single(
      { category: 'advertising', consent: 'exempt' },
      { consentRules: [{ appliesTo: 'advertising', basis: 'required' }] },
    );
    expect(basis).toEqual({
      basis: 'exempt',
      from: 'entry',
      excerpt: 'x_cookie : consentement exempt',
      source: 'boutique-cookies.txt',
      lines: [10, 12],
    });
  });

  it("is the policy's rule for the entry's category, then its rule for all cookies, where the entry says nothing", () => {
    const rules = [
      { appliesTo: 'all', basis: 'required' },
      { appliesTo: 'functional', basis: 'exempt' },
    ] as const;
    const catalogue = consentCatalogue(
      [
        { id: 'pref', name: 'pref', category: 'functional' },
        { id: 'chat', name: 'chat', category: 'support-chat' },
        { id: 'silent', name: 'silent', category: 'security', consent: 'unspecified' },
      ],
      { consentRules: [...rules] },
    );
    expect(basisOf(catalogue, 'pref')).toMatchObject({
      basis: 'exempt',
      from: 'policy-rule',
      excerpt: 'Les cookies functional : consentement exempt.',
    });
    expect(basisOf(catalogue, 'chat')).toMatchObject({ basis: 'required', from: 'policy-rule' });
    // An entry saying "unspecified" says nothing: the policy's rule applies.
    expect(basisOf(catalogue, 'silent')).toMatchObject({ basis: 'required', from: 'policy-rule' });
  });

  it("falls to the regulator's rule only where the policy says nothing, and never words it as the site's", () => {
    const basis = single({ category: 'advertising' }, { consentRules: [{ appliesTo: 'all', basis: 'unspecified' }] });
    expect(basis.from).toBe('regulator');
    expect(basis.basis).toBe('required');
    expect(basis.source).toMatch(/CNIL.*2020-091.*2020-092/);
    expect(basis.lines).toBeNull();
    expect(basis.excerpt).toBe(basis.regulatorRule?.fr);
    expect(basis.regulatorRule?.en).toMatch(/^Under the CNIL’s guidelines on article 82/);
    expect(describeConsentBasis(basis, 'en')).toMatchObject({
      basis: 'needs consent',
      whose: 'by the CNIL’s rule, the policy saying nothing',
      excerpt: basis.regulatorRule?.en,
    });
    // An English policy gets the regulator's rule in English as its excerpt.
    expect(single({ category: 'advertising' }, { language: 'en' }).excerpt).toBe(basis.regulatorRule?.en);
  });

  it.each([
    ['consent', 'exempt', /consent choice/],
    ['strictly-necessary', 'exempt', /authentication, session, shopping cart, load balancing/],
    ['security', 'exempt', /security/],
    ['functional', 'exempt', /interface-preferences exemption/],
    ['advertising', 'required', /need consent/],
    ['social', 'required', /need consent/],
    ['performance', 'required', /need consent/],
    ['support-chat', 'required', /need consent/],
    ['unknown', 'unspecified', /no consent finding on a guess/],
  ] as const)("by the regulator's rule, a %s cookie is %s", (category, expected, wording) => {
    const basis = single({ category });
    expect(basis).toMatchObject({ basis: expected, from: 'regulator' });
    expect(basis.regulatorRule?.en).toMatch(wording);
    expect(basis.regulatorRule?.fr).not.toBe(basis.regulatorRule?.en);
  });

  it('exempts audience measurement only when the entry declares nothing against the conditions', () => {
    expect(single({ category: 'audience-measurement', lifetime: '13 mois' })).toMatchObject({ basis: 'exempt' });
    expect(single({ category: 'audience-measurement', lifetime: '395 jours' })).toMatchObject({ basis: 'exempt' });
    // "Persistent" says no length: nothing declared against the 13 months.
    expect(single({ category: 'audience-measurement', lifetime: 'persistant' })).toMatchObject({ basis: 'exempt' });
    const third = single({ category: 'audience-measurement', party: 'third' });
    expect(third).toMatchObject({ basis: 'required', from: 'regulator' });
    expect(third.regulatorRule?.en).toMatch(/by a third party does not meet the exemption’s conditions/);
    const long = single({ category: 'audience-measurement', lifetime: '2 ans' });
    expect(long).toMatchObject({ basis: 'required', from: 'regulator' });
    expect(long.regulatorRule?.en).toMatch(/more than 13 months does not meet/);
    expect(long.regulatorRule?.fr).toMatch(/plus de 13 mois ne remplit pas/);
  });
});
