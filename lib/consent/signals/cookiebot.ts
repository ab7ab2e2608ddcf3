import type { Category } from '../../catalogue/schema';
import { choiceOf, decoded, grantedOf, malformed, uriDecoded, type Decoded } from './reading';

/**
 * Cookiebot's `CookieConsent`: a URL-encoded object literal with single quotes,
 * `{stamp:'…',necessary:true,preferences:false,statistics:false,marketing:false,method:'explicit',ver:1,…}`, one
 * answer per category; or `-2` where the visitor's region needs no consent.
 */
const CATEGORIES: ReadonlyMap<string, readonly Category[]> = new Map([
  ['preferences', ['functional']],
  ['statistics', ['audience-measurement', 'performance']],
  ['marketing', ['advertising']],
]);
const NOT_REQUIRED_IN_REGION = '-2';

export function decodeCookieConsent(value: string): Decoded {
  // Cookiebot sets every category as allowed where the visitor's region needs no consent: the site acts as accepted.
  if (value === NOT_REQUIRED_IN_REGION) return decoded(consent('accepted-all', null));
  const text = uriDecoded(value);
  if (text === null || !text.startsWith('{') || !text.endsWith('}')) return malformed;
  const answers = new Map<string, boolean>();
  for (const field of text.slice(1, -1).split(',')) {
    const colon = field.indexOf(':');
    const key = field.slice(0, colon).trim();
    const answer = field.slice(colon + 1).trim();
    if (CATEGORIES.has(key) || key === 'necessary') {
      if (answer !== 'true' && answer !== 'false') return malformed;
      answers.set(key, answer === 'true');
    }
  }
  if (![...CATEGORIES.keys()].every((key) => answers.has(key))) return malformed;
  const allowed = [...CATEGORIES.keys()].filter((key) => answers.get(key));
  const choice = choiceOf(allowed.length, CATEGORIES.size - allowed.length);
  return decoded({
    choice,
    granted: grantedOf(choice, allowed, CATEGORIES),
    purposes: null,
    platformCategories: choice === 'refused' ? null : [...(answers.get('necessary') ? ['necessary'] : []), ...allowed],
  });
}

const consent = (choice: 'accepted-all', platformCategories: string[] | null) => ({
  choice,
  granted: null,
  purposes: null,
  platformCategories,
});
