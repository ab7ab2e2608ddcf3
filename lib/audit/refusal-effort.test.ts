import { describe, expect, it } from 'vitest';
import { refusalHarderThanAcceptance, refusalIsHarder } from './refusal-effort';

describe('refusal-harder-than-acceptance', () => {
  it('is decided when refusing took more clicks than accepting', () => {
    expect(refusalIsHarder({ rule: 'Onetrust', refuseClicks: 3, acceptClicks: 1 })).toBe(true);
    expect(refusalIsHarder({ rule: 'Onetrust', refuseClicks: 1, acceptClicks: 1 })).toBe(false);
    expect(refusalIsHarder({ rule: 'Onetrust', refuseClicks: 1, acceptClicks: 2 })).toBe(false);
  });

  it('is a medium finding about the site, with the banner as evidence, explained in both languages', () => {
    const finding = refusalHarderThanAcceptance('boutique.example', {
      rule: 'Onetrust',
      refuseClicks: 3,
      acceptClicks: 1,
    });
    expect(finding).toMatchObject({
      kind: 'refusal-harder-than-acceptance',
      severity: 'medium',
      cookie: null,
      entry: null,
      consent: {
        banner: { site: 'boutique.example', rule: 'Onetrust', refuseClicks: 3, acceptClicks: 1 },
        basis: null,
      },
    });
    expect(finding.id).toBe('refusal-harder-than-acceptance||boutique.example|');
    expect(finding.explanation.en).toBe(
      'On boutique.example, refusing took 3 click(s) and accepting 1: the CNIL asks that refusing be as easy as accepting.',
    );
    expect(finding.explanation.fr).toBe(
      'Sur boutique.example, refuser a demandé 3 clic(s) et accepter 1 : la CNIL demande que refuser soit aussi simple qu’accepter.',
    );
  });
});
