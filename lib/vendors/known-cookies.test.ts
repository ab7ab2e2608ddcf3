import { describe, expect, it } from 'vitest';
import { bundledCatalogues } from '../catalogue/bundled';
import {
  KNOWN_COOKIES,
  knownCookie,
  knownCookies,
  vendorDefaultContradiction,
  VENDOR_DOCUMENTATION_NOTE,
} from './known-cookies';

const amex = bundledCatalogues().find((catalogue) => catalogue.id === 'europ-assistance-amex')!;
const declared = (name: string) =>
  amex.entries.find((entry) => entry.names.some((n) => n.printed === name))!.lifetime.parsed;

describe('knownCookie', () => {
  it('matches as the catalogue matcher does: exact, pattern, case, spelling variant', () => {
    expect(knownCookie('_ga')?.pattern).toBe('_ga');
    expect(knownCookie('_ga_ABC123XYZ')?.pattern).toBe('_ga_*');
    expect(knownCookie('_pk_ses.1.a1b2')).toMatchObject({ vendor: 'Matomo', lifetime: { text: '30 minutes' } });
    expect(knownCookies('_pk_id.3.c4d5').map((known) => known.vendor)).toEqual(['Matomo', 'Piwik PRO']);
    expect(knownCookie('Jsessionid')?.pattern).toBe('JSESSIONID');
    expect(knownCookie('AspNetCore.Session')?.pattern).toBe('.AspNetCore.Session');
    expect(knownCookie('.AspNetCore.Antiforgery.cdV5uW_Ejgc')?.pattern).toBe('.AspNetCore.Antiforgery.*');
    expect(knownCookie('ADRUM_BT1')).toMatchObject({
      vendor: 'AppDynamics',
      lifetime: { parsed: { kind: 'duration', seconds: 30 } },
    });
    expect(knownCookie('DYDU_clientId_bot42_home_fr')).toMatchObject({
      vendor: 'DoYouDreamUp',
      storage: 'localStorage',
    });
    expect(knownCookie('ppms_webstorage')?.storage).toBe('localStorage');
    expect(knownCookie('not_a_known_cookie')).toBeNull();
  });

  it('says on every row that it is vendor documentation, with its address', () => {
    for (const known of KNOWN_COOKIES) {
      expect(known.source).toBe('vendor-documentation');
      expect(known.note).toBe(VENDOR_DOCUMENTATION_NOTE);
      expect(known.documentation).toMatch(/^https:\/\//);
    }
    expect(knownCookie('.ASPXANONYMOUS')?.lifetime.parsed).toEqual({
      kind: 'duration',
      seconds: 6_000_000,
      maximum: false,
    });
    expect(knownCookie('csrftoken')?.lifetime.text).toBe('52 weeks');
    expect(knownCookie('sessionid')?.lifetime.text).toBe('2 weeks');
  });
});

describe('vendorDefaultContradiction', () => {
  it('finds both swapped Application Insights lifetimes of the AMEX table contradicting the documentation', () => {
    const session = vendorDefaultContradiction(declared('ai_session'), knownCookie('ai_session')!);
    const user = vendorDefaultContradiction(declared('ai_user'), knownCookie('ai_user')!);
    expect(session.contradicts).toBe(true);
    expect(user.contradicts).toBe(true);
    expect(session.explanation.en).toContain(
      'The policy declares 1 year for ai_session; Microsoft Application Insights documents 30 minutes to 1 day by default',
    );
    expect(user.explanation.fr).toContain('La politique déclare 30 minutes pour ai_user');
    expect(user.explanation.en).toContain("vendor documentation, not the site's declaration");
  });

  it('accepts what agrees with the documentation', () => {
    expect(vendorDefaultContradiction(declared('ARRAffinity'), knownCookie('ARRAffinity')!).contradicts).toBe(false);
    expect(vendorDefaultContradiction(declared('ppms_webstorage'), knownCookie('ppms_webstorage')!).contradicts).toBe(
      false,
    );
    expect(
      vendorDefaultContradiction(declared('stg_last_interaction'), knownCookie('stg_last_interaction')!).contradicts,
    ).toBe(false);
  });

  it('flags a session declared for a persistent default, a default beyond a declared maximum, and shorter declarations', () => {
    expect(vendorDefaultContradiction({ kind: 'session' }, knownCookie('_ga')!).contradicts).toBe(true);
    // Piwik PRO keeps _pk_id 13 months; the AMEX table declares at most 12.
    expect(vendorDefaultContradiction(declared('_pk_id#'), knownCookie('_pk_id.1.x')!).contradicts).toBe(true);
    // Piwik PRO's stg_traffic_source_priority lasts 30 minutes; the table declares a day.
    expect(
      vendorDefaultContradiction(declared('stg_traffic_source_priority'), knownCookie('stg_traffic_source_priority')!)
        .contradicts,
    ).toBe(true);
  });

  it('compares nothing it cannot read', () => {
    const result = vendorDefaultContradiction({ kind: 'unknown' }, knownCookie('_ga')!);
    expect(result).toEqual({
      contradicts: false,
      explanation: {
        fr: expect.stringContaining('Impossible de comparer'),
        en: expect.stringContaining('Cannot compare'),
      },
    });
    expect(vendorDefaultContradiction({ kind: 'session' }, knownCookie('ADRUM')!).contradicts).toBe(false);
  });
});
