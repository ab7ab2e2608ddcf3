import { describe, expect, it } from 'vitest';
import type { Finding } from '../audit/findings';
import { NOW } from '../../tests/support/observed';
import { reportOf } from '../../tests/support/visit-reports';
import type { ConsentChange } from './consent-state';
import { consentSummary } from './summary';

const signal = { kind: 'signal', platform: 'onetrust', name: 'OptanonConsent' } as const;
const change = (
  at: number,
  choice: ConsentChange['choice'],
  granted: ConsentChange['granted'] = null,
): ConsentChange => ({
  at,
  choice,
  granted,
  purposes: null,
  platformCategories: null,
  source: signal,
});

/** A finding of `kind` about the cookie `name`, shaped as the assessment makes them. */
function findingOf(kind: string, name: string, store: 'cookie' | 'localStorage' = 'cookie'): Finding {
  const model = reportOf([{ name: 'marketing_id' }]).findings.find((f) => f.cookie)!;
  return { ...model, id: `${kind}-${name}`, kind: kind as Finding['kind'], cookie: { ...model.cookie!, name, store } };
}

describe('the consent summary of a visit', () => {
  it('is unknown when no consent banner or signal was recognised, even for an old record without a timeline', () => {
    expect(consentSummary({}, [])).toEqual({
      state: 'unknown',
      current: null,
      contradictedBy: null,
      setBeforeConsent: 0,
      setAfterRefusal: 0,
      changes: 0,
      problems: [],
    });
    expect(consentSummary({ consent: [] }, []).state).toBe('unknown');
  });

  it('says which consent cookies could not be read, and how often, never more of them', () => {
    const problem = {
      platform: 'commanders-act' as const,
      name: 'TC_PRIVACY',
      reason: 'malformed' as const,
      count: 3,
      firstAt: NOW,
      lastAt: NOW + 1000,
    };
    expect(consentSummary({ consentProblems: [problem] }, []).problems).toEqual([
      { platform: 'commanders-act', name: 'TC_PRIVACY', reason: 'malformed', count: 3 },
    ]);
  });

  it('takes the latest change as the state, with the change itself for when and whose word', () => {
    const timeline = [change(NOW, 'no-choice'), change(NOW + 5000, 'refused')];
    const summary = consentSummary({ consent: timeline }, []);
    expect(summary).toMatchObject({ state: 'refused', current: timeline[1], changes: 2 });
    expect(consentSummary({ consent: [change(NOW, 'no-choice')] }, []).state).toBe('no-choice');
    const partial = change(NOW, 'accepted-part', ['audience-measurement']);
    expect(consentSummary({ consent: [partial] }, []).current?.granted).toEqual(['audience-measurement']);
    expect(consentSummary({ consent: [change(NOW, 'accepted-all')] }, []).state).toBe('accepted-all');
  });

  it('holds to Cookie Lens’s own answer to the banner, noting a later site signal that says the opposite', () => {
    const refusedByCookieLens: ConsentChange = {
      ...change(NOW + 1000, 'refused'),
      source: { kind: 'banner', rule: 'Onetrust', action: 'opt-out', clicks: 1 },
    };
    const siteSaysAccepted = change(NOW + 2000, 'accepted-all');
    const summary = consentSummary({ consent: [change(NOW, 'no-choice'), refusedByCookieLens, siteSaysAccepted] }, []);
    expect(summary).toMatchObject({ state: 'refused', current: refusedByCookieLens, contradictedBy: siteSaysAccepted });
  });

  it('counts the cookies that need consent set after a refusal and before any choice, each item once', () => {
    const findings = [
      findingOf('set-after-refusal', '_ga'),
      findingOf('set-after-refusal', '_ga'),
      findingOf('set-after-refusal', '_gid'),
      findingOf('set-after-refusal', '_gid', 'localStorage'),
      findingOf('set-before-consent', '_fbp'),
      findingOf('undeclared', '_other'),
    ];
    const summary = consentSummary({ consent: [change(NOW, 'refused')] }, findings);
    expect(summary.setAfterRefusal).toBe(3);
    expect(summary.setBeforeConsent).toBe(1);
  });

  it('holds no value: only codes, names and counts', () => {
    const summary = consentSummary({ consent: [change(NOW, 'refused')] }, [findingOf('set-after-refusal', '_ga')]);
    expect(Object.keys(summary.current!).sort()).toEqual(
      ['at', 'choice', 'granted', 'platformCategories', 'purposes', 'source'].sort(),
    );
  });
});
