import { describe, expect, it } from 'vitest';
import { after, bannerAt, consentCatalogue, platformLoadedAt, signalAt } from '../../tests/support/consent';
import { coverage } from '../../tests/support/observed';
import { kindLabel } from '../export/text';
import type { CookieWrite, ObservedItem } from '../observation/observed';
import { assessVisit } from './assess';
import type { FindingKind } from './findings';
import { refusalHarderThanAcceptance } from './refusal-effort';

const CONSENT_KINDS: FindingKind[] = [
  'set-before-consent',
  'set-after-refusal',
  'exemption-conditions-not-met',
  'consent-state-unknown',
  'refusal-harder-than-acceptance',
];

function cookie(name: string, seconds: number, party: 'first' | 'third' = 'first'): ObservedItem {
  const write: CookieWrite = { at: after(seconds), by: 'script', requested: null, stored: null };
  return {
    store: 'cookie',
    name,
    domain: party === 'first' ? 'www.boutique.example' : '.stats.example',
    path: '/',
    party,
    firstSeen: write.at,
    lastSeen: write.at,
    firstDeposit: write.at,
    renewals: 0,
    firstWrite: write,
    lastWrite: write,
    longestWrite: write,
  };
}

describe('the explanations of the consent kinds', () => {
  const catalogue = consentCatalogue([
    { id: 'ads', name: 'ad_id', category: 'advertising' },
    { id: 'stats', name: 'stats_id', category: 'audience-measurement', consent: 'exempt' },
  ]);
  const assess = (items: ObservedItem[], consent: Parameters<typeof assessVisit>[0]['consent']) =>
    assessVisit({ catalogues: [catalogue], observed: items, coverage: coverage('www.boutique.example'), consent })
      .findings;
  const findings = [
    ...assess([cookie('ad_id', 1), cookie('stats_id', 1, 'third')], [platformLoadedAt(0)]),
    ...assess([cookie('ad_id', 20)], [platformLoadedAt(0), bannerAt(10, 'opt-out', 2), signalAt(12, 'accepted-all')]),
    ...assess([cookie('ad_id', 1)], []),
    refusalHarderThanAcceptance('boutique.example', { rule: 'Onetrust', refuseClicks: 2, acceptClicks: 1 }),
  ];

  it.each(CONSENT_KINDS)('%s is labelled and explained in French and in English, every placeholder filled', (kind) => {
    const finding = findings.find((f) => f.kind === kind)!;
    expect(finding).toBeDefined();
    for (const language of ['fr', 'en'] as const) {
      const text = finding.explanation[language];
      expect(text.length).toBeGreaterThan(40);
      expect(text).not.toMatch(/\$\d|explain_|consentBasis_|category_/);
      expect(kindLabel(kind, language)).not.toMatch(/^kind_/);
    }
    expect(finding.explanation.fr).not.toBe(finding.explanation.en);
    expect(kindLabel(kind, 'fr')).not.toBe(kindLabel(kind, 'en'));
  });
});
