import { parseLifetime } from '../../lib/audit/lifetime';
import {
  CATALOGUE_FORMAT_VERSION,
  type Catalogue,
  type Category,
  type ConsentBasis,
  type ConsentRule,
  type Entry,
  type Party,
} from '../../lib/catalogue/schema';
import type { ConsentChange, ConsentChoice, ConsentSource } from '../../lib/consent/consent-state';
import { NOW } from './observed';

/**
 * A small made-up policy for the consent tests ("Boutique Exemple"), each entry a cookie of one category, and the
 * consent changes a visit records. Test support only.
 */
export interface EntrySketch {
  id: string;
  name: string;
  category: Category;
  party?: Party;
  lifetime?: string;
  consent?: ConsentBasis;
}

export function consentCatalogue(
  entries: EntrySketch[],
  options: { consentRules?: Array<Pick<ConsentRule, 'appliesTo' | 'basis'>>; language?: string } = {},
): Catalogue {
  const provenance = (excerpt: string) => ({
    source: 'boutique-cookies.txt',
    lines: [10, 12] as [number, number],
    excerpt,
  });
  return {
    formatVersion: CATALOGUE_FORMAT_VERSION,
    id: 'boutique-exemple',
    publisher: 'Boutique Exemple',
    title: 'Politique cookies',
    language: options.language ?? 'fr',
    policy: { url: 'https://boutique.example/cookies', document: null },
    date: null,
    sites: ['*.boutique.example'],
    rules: [],
    consentRules: options.consentRules?.map((rule, i) => ({
      id: `consent-${i}`,
      ...rule,
      provenance: provenance(`Les cookies ${rule.appliesTo} : consentement ${rule.basis}.`),
    })),
    entries: entries.map((sketch): Entry => ({
      id: sketch.id,
      vendor: null,
      names: [{ printed: sketch.name, pattern: sketch.name }],
      unnamed: false,
      purpose: `Cookie ${sketch.category}`,
      category: sketch.category,
      lifetime: { text: sketch.lifetime ?? '6 mois', parsed: parseLifetime(sketch.lifetime ?? '6 mois') },
      party: sketch.party ?? 'first',
      storage: 'cookie',
      controller: null,
      dataCollected: null,
      provenance: provenance(`${sketch.name} : ${sketch.category}`),
      ...(sketch.consent
        ? {
            consent: {
              basis: sketch.consent,
              provenance: provenance(`${sketch.name} : consentement ${sketch.consent}`),
            },
          }
        : {}),
    })),
  };
}

/** Seconds after the test visit's start (NOW), as a time. */
export const after = (seconds: number) => NOW + seconds * 1000;

const signal = (platform: 'onetrust' | 'didomi' | 'tcf' = 'onetrust'): ConsentSource => ({
  kind: 'signal',
  platform,
  name: platform === 'onetrust' ? 'OptanonConsent' : platform === 'didomi' ? 'didomi_token' : 'euconsent-v2',
});

export function signalAt(
  seconds: number,
  choice: ConsentChoice,
  granted: Category[] | null = null,
  platform: 'onetrust' | 'didomi' | 'tcf' = 'onetrust',
): ConsentChange {
  return { at: after(seconds), choice, granted, purposes: null, platformCategories: null, source: signal(platform) };
}

export function bannerAt(
  seconds: number,
  action: 'detected' | 'opt-out' | 'opt-in',
  clicks: number | null = null,
): ConsentChange {
  const choice: ConsentChoice = action === 'opt-out' ? 'refused' : action === 'opt-in' ? 'accepted-all' : 'no-choice';
  return {
    at: after(seconds),
    choice,
    granted: null,
    purposes: null,
    platformCategories: null,
    source: { kind: 'banner', rule: 'Onetrust', action, clicks },
  };
}

export function platformLoadedAt(seconds: number): ConsentChange {
  return {
    at: after(seconds),
    choice: 'no-choice',
    granted: null,
    purposes: null,
    platformCategories: null,
    source: { kind: 'platform-loaded', platform: 'onetrust', host: 'cdn.cookielaw.org' },
  };
}
