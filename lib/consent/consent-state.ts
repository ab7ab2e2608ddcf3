import type { Category, ConsentBasis } from '../catalogue/schema';

/**
 * The consent a visitor gave a site, as Cookie Lens knows it: from the consent platforms' own signals (their consent
 * cookies, read in the jar: the value is decoded to a choice and dropped) and from Cookie Lens's banner engine when it
 * answered a banner (an audit, or the setting that asks it to). docs/findings.md says how the findings use it.
 */
export const CONSENT_CHOICES = ['no-choice', 'refused', 'accepted-all', 'accepted-part'] as const;
export type ConsentChoice = (typeof CONSENT_CHOICES)[number];

/** The consent platforms whose signals Cookie Lens reads; `tcf` is the IAB TCF v2 string (`euconsent-v2`). */
export const CONSENT_PLATFORMS = [
  'commanders-act',
  'onetrust',
  'cookiebot',
  'didomi',
  'axeptio',
  'tarteaucitron',
  'tcf',
] as const;
export type ConsentPlatform = (typeof CONSENT_PLATFORMS)[number];

/** The consent platforms' names, as they write them (brand names, the same in every language). */
export const CONSENT_PLATFORM_NAMES: Record<ConsentPlatform, string> = {
  'commanders-act': 'Commanders Act',
  onetrust: 'OneTrust',
  cookiebot: 'Cookiebot',
  didomi: 'Didomi',
  axeptio: 'Axeptio',
  tarteaucitron: 'tarteaucitron',
  tcf: 'IAB TCF',
};

/** Where a change of the consent state comes from. */
export type ConsentSource =
  /** A consent platform's cookie, as the jar held it: the site's own record of the choice. */
  | { kind: 'signal'; platform: ConsentPlatform; name: string }
  /**
   * Cookie Lens's banner engine (autoconsent) recognised a banner (`detected`: no choice yet) or answered it. Written
   * by the background from its own content script's messages, so a page cannot forge it.
   */
  | { kind: 'banner'; rule: string; action: 'detected' | 'opt-out' | 'opt-in'; clicks: number | null }
  /** No platform cookie yet, but the tab loaded a consent platform's script from this host: no choice was made. */
  | { kind: 'platform-loaded'; platform: ConsentPlatform; host: string };

export interface ConsentChange {
  /** When the change was seen (ms since the epoch). */
  at: number;
  choice: ConsentChoice;
  /** For `accepted-part`: the Cookie Lens categories the choice allows, where the signal says so; otherwise null. */
  granted: Category[] | null;
  /** TCF purposes consented to (1–11), where a TCF string says so; otherwise null. */
  purposes: number[] | null;
  /** The platform's own names of the categories or purposes allowed (e.g. OneTrust `C0002`), where it says so. */
  platformCategories: string[] | null;
  source: ConsentSource;
}

/** A visit keeps at most this many changes: a page rewriting its consent cookie in a loop cannot grow the record. */
export const MAX_CONSENT_CHANGES = 50;

/**
 * The basis that applies to one catalogue entry, and whose word it is: the entry's own (`entry`), a rule of the policy
 * for the entry's category or for all its cookies (`policy-rule`), or, where the policy says nothing, the CNIL's
 * guidelines on article 82 (`regulator`), never presented as the site's word.
 */
export interface EffectiveConsentBasis {
  basis: ConsentBasis;
  from: 'entry' | 'policy-rule' | 'regulator';
  /** The words it rests on: the policy's excerpt, or the regulator's rule in Cookie Lens's words. */
  excerpt: string;
  /** The policy's source file or address, or the regulator's reference (deliberation 2020-091). */
  source: string;
  lines: [number, number] | null;
  /**
   * For `regulator`: the regulator's rule in both languages (`excerpt` is one of them, in the policy's language), so
   * that a page or an export can word it in its own.
   */
  regulatorRule?: { fr: string; en: string };
}
