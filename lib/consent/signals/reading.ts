import type { Category } from '../../catalogue/schema';
import type { ConsentChoice, ConsentPlatform } from '../consent-state';

/**
 * What a consent platform's cookie says of the visitor's choice, once decoded: only the choice, the categories and the
 * purposes. Nothing else of the value is kept (no consent id, user id, date, vendor list): the value stays in the jar.
 */
export interface DecodedConsent {
  choice: ConsentChoice;
  /** For `accepted-part`: the Cookie Lens categories the platform's categories map to, where they do; else null. */
  granted: Category[] | null;
  /** TCF purposes consented to (1–11), from a TCF string; else null. */
  purposes: number[] | null;
  /** The platform's own ids of the categories, services or purposes allowed, where it names them; else null. */
  platformCategories: string[] | null;
}

/** Why a consent cookie could not be read. Never the value, nor any part of it. */
export const CONSENT_PROBLEM_REASONS = ['malformed', 'too-long'] as const;
export type ConsentProblemReason = (typeof CONSENT_PROBLEM_REASONS)[number];

/**
 * A consent cookie of a visit's site that could not be read, as the visit keeps it (`VisitRecord.consentProblems`):
 * which cookie, why, how many times and when first and last. Its consent state is unknown, not assumed.
 */
export interface ConsentProblem {
  platform: ConsentPlatform;
  name: string;
  reason: ConsentProblemReason;
  count: number;
  firstAt: number;
  lastAt: number;
}

/** A visit keeps at most this many distinct problems (cookie and reason): a page cannot grow the record. */
export const MAX_CONSENT_PROBLEMS = 10;

/** What one platform's decoder makes of a value: its consent, or why it could not. */
export type Decoded<T = DecodedConsent> = { ok: true; value: T } | { ok: false; reason: ConsentProblemReason };

export const decoded = <T>(value: T): Decoded<T> => ({ ok: true, value });
export const malformed: Decoded<never> = { ok: false, reason: 'malformed' };

/**
 * The platform's category, service or purpose ids are kept, and only when they look like ids: short, of letters,
 * digits, `_`, `-` and `.`, and at most MAX_IDS of them. A page cannot carry a value through them beyond an id's size.
 */
const ID = /^[A-Za-z0-9_.-]{1,40}$/;
const MAX_IDS = 50;

export const isPlatformId = (id: string) => ID.test(id);

/** The ids kept, in order, without repeats; null when there is none. */
export function platformIds(ids: Iterable<string>): string[] | null {
  const kept = new Set<string>();
  for (const id of ids) {
    if (kept.size >= MAX_IDS) break;
    if (ID.test(id)) kept.add(id);
  }
  return kept.size > 0 ? [...kept] : null;
}

/** decodeURIComponent, or null for text that is not validly encoded (it throws). */
export function uriDecoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The value of `key` if the object has it as its own property (never its prototype's: `__proto__`, `constructor`). */
export function own(object: unknown, key: string): unknown {
  return typeof object === 'object' && object !== null && Object.hasOwn(object, key)
    ? (object as Record<string, unknown>)[key]
    : undefined;
}

/** JSON.parse, or undefined for text that is not JSON. */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The choice of a set of yes/no answers (a platform's categories or services, the necessary ones left out): all yes is
 * accepted all, all no refused, some of each accepted in part; none at all is no choice.
 */
export function choiceOf(accepted: number, refused: number): ConsentChoice {
  if (accepted === 0 && refused === 0) return 'no-choice';
  if (refused === 0) return 'accepted-all';
  return accepted === 0 ? 'refused' : 'accepted-part';
}

/** The Cookie Lens categories the allowed platform ids map to, for `accepted-part` only (the field's meaning). */
export function grantedOf(
  choice: ConsentChoice,
  allowed: Iterable<string>,
  categories: ReadonlyMap<string, readonly Category[]>,
): Category[] | null {
  if (choice !== 'accepted-part') return null;
  const granted = new Set<Category>();
  for (const id of allowed) for (const category of categories.get(id) ?? []) granted.add(category);
  return granted.size > 0 ? [...granted] : null;
}
