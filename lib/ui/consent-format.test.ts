import { describe, expect, it } from 'vitest';
import type { ConsentChange } from '../consent/consent-state';
import type { ConsentSummary } from '../consent/summary';
import { NOW } from '../../tests/support/observed';
import { speakTests } from '../../tests/support/visit-reports';
import {
  allowedText,
  basisFromLabel,
  basisLabel,
  consentHeadline,
  consentProvenance,
  consentSourceText,
} from './consent-format';

const cookie = { kind: 'signal', platform: 'onetrust', name: 'OptanonConsent' } as const;
const change = (choice: ConsentChange['choice'], more: Partial<ConsentChange> = {}): ConsentChange => ({
  at: NOW,
  choice,
  granted: null,
  purposes: null,
  platformCategories: null,
  source: cookie,
  ...more,
});
const summary = (current: ConsentChange | null, after = 0, before = 0): ConsentSummary => ({
  state: current?.choice ?? 'unknown',
  current,
  contradictedBy: null,
  setAfterRefusal: after,
  setBeforeConsent: before,
  problems: [],
  changes: current ? 1 : 0,
});

describe('the consent state in words', () => {
  it('says each state in one short sentence, in English and French', () => {
    speakTests('en');
    expect(consentHeadline(summary(null), true)).toBe('Consent state unknown: no consent banner or signal recognised');
    expect(consentHeadline(summary(change('no-choice')), true)).toBe('No choice made yet');
    expect(consentHeadline(summary(change('accepted-all')), true)).toBe('You accepted all');
    expect(consentHeadline(summary(change('accepted-part', { granted: ['audience-measurement'] })), true)).toBe(
      'You accepted in part (Audience measurement)',
    );
    expect(consentHeadline(summary(change('accepted-part')), true)).toBe('You accepted in part');
    speakTests('fr');
    expect(consentHeadline(summary(null), true)).toBe(
      'État du consentement inconnu : aucun bandeau ni signal de consentement reconnu',
    );
    expect(consentHeadline(summary(change('no-choice')), true)).toBe('Aucun choix fait pour l’instant');
    expect(consentHeadline(summary(change('accepted-part', { purposes: [1, 3] })), true)).toBe(
      'Vous avez accepté en partie (finalités TCF 1, 3)',
    );
  });

  it('counts what the findings caught after a refusal and before any choice', () => {
    speakTests('en');
    expect(consentHeadline(summary(change('refused'), 3), true)).toBe(
      'You refused: 3 cookies that need consent were set afterwards',
    );
    expect(consentHeadline(summary(change('refused'), 1, 2), true)).toBe(
      'You refused: 1 cookie that needs consent was set afterwards; 2 cookies that need consent were set before any choice',
    );
    expect(consentHeadline(summary(change('no-choice'), 0, 1), true)).toBe(
      'No choice made yet: 1 cookie that needs consent was set before any choice',
    );
    speakTests('fr');
    expect(consentHeadline(summary(change('refused'), 3), true)).toBe(
      'Vous avez refusé : 3 cookies soumis au consentement ont été déposés ensuite',
    );
    expect(consentHeadline(summary(change('refused'), 1, 2), true)).toBe(
      'Vous avez refusé : 1 cookie soumis au consentement a été déposé ensuite ; 2 cookies soumis au consentement ont été déposés avant tout choix',
    );
  });

  it('says a refusal was respected only when a policy says which cookies need consent', () => {
    speakTests('en');
    expect(consentHeadline(summary(change('refused')), true)).toBe(
      'You refused: no cookie that needs consent was seen set afterwards',
    );
    expect(consentHeadline(summary(change('refused')), false)).toBe('You refused');
  });

  it('says when the state was set and whose word it is: the site’s cookie, the platform, or Cookie Lens', () => {
    speakTests('en');
    expect(consentProvenance(summary(null))).toBe('');
    expect(consentProvenance(summary(change('refused')))).toMatch(
      /^Chosen on Nov 23, 2026, \d{1,2}:00 (AM|PM) · The site’s consent cookie OptanonConsent \(OneTrust\)$/,
    );
    expect(consentSourceText({ kind: 'banner', rule: 'Didomi', action: 'opt-out', clicks: 2 })).toBe(
      'Cookie Lens refused on the banner (rule Didomi)',
    );
    expect(consentSourceText({ kind: 'banner', rule: 'Didomi', action: 'detected', clicks: null })).toBe(
      'Banner recognised by Cookie Lens (rule Didomi)',
    );
    expect(consentSourceText({ kind: 'platform-loaded', platform: 'didomi', host: 'sdk.privacy-center.org' })).toBe(
      'Didomi loaded from sdk.privacy-center.org, no consent cookie yet',
    );
    speakTests('fr');
    expect(consentProvenance(summary(change('no-choice')))).toMatch(
      /^Constaté le 23 nov\. 2026.* · Cookie de consentement du site OptanonConsent \(OneTrust\)$/,
    );
  });

  it('notes a site signal that contradicts Cookie Lens’s own answer to the banner, which prevails', () => {
    speakTests('en');
    const refused = change('refused', { source: { kind: 'banner', rule: 'Onetrust', action: 'opt-out', clicks: 1 } });
    expect(consentProvenance({ ...summary(refused), contradictedBy: change('accepted-all') })).toMatch(
      / · Cookie Lens refused on the banner \(rule Onetrust\) · The site’s consent cookie OptanonConsent \(OneTrust\) then said otherwise; Cookie Lens’s own answer prevails$/,
    );
  });

  it('lists what a partial choice allows: categories, TCF purposes, or the platform’s own names', () => {
    speakTests('en');
    expect(
      allowedText(change('accepted-part', { granted: ['audience-measurement', 'advertising'], purposes: [1] })),
    ).toBe('Audience measurement, Advertising · TCF purposes 1');
    expect(allowedText(change('accepted-part', { platformCategories: ['C0001', 'C0002'] }))).toBe('C0001, C0002');
    expect(allowedText(change('refused'))).toBe('');
  });

  it('names a row’s basis and whose word it is', () => {
    speakTests('en');
    expect([basisLabel('required'), basisLabel('exempt'), basisLabel('unspecified')]).toEqual([
      'needs consent',
      'exempt',
      'not said',
    ]);
    expect([basisFromLabel('entry'), basisFromLabel('policy-rule'), basisFromLabel('regulator')]).toEqual([
      'policy',
      'policy',
      'CNIL rule',
    ]);
    speakTests('fr');
    expect(basisLabel('required')).toBe('soumis au consentement');
    expect(basisFromLabel('regulator')).toBe('règle CNIL');
  });
});
