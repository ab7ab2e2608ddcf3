import type { Category } from '../../catalogue/schema';
import {
  choiceOf,
  decoded,
  grantedOf,
  isPlatformId,
  malformed,
  platformIds,
  uriDecoded,
  type Decoded,
  type DecodedConsent,
} from './reading';

/**
 * OneTrust writes two cookies: `OptanonConsent`, a URL-encoded query string whose `groups` say each category's answer
 * (`C0001:1,C0002:0,…`) and whose `interactionCount` says whether the visitor answered the banner, and
 * `OptanonAlertBoxClosed`, the date the banner was closed. Before any choice it may already write OptanonConsent
 * (the groups' defaults, interactionCount 0) and no OptanonAlertBoxClosed. combination.ts puts the two together.
 */
export interface OptanonGroups {
  /** The state the groups say, if the banner was answered. */
  ifAnswered: DecodedConsent;
  /** interactionCount above 0: the visitor interacted with the banner. */
  interacted: boolean;
}

/** OneTrust's standard category ids; a site may add its own, kept as the platform's without a category. */
const STRICTLY_NECESSARY = 'C0001';
const CATEGORIES: ReadonlyMap<string, readonly Category[]> = new Map([
  ['C0002', ['audience-measurement', 'performance']],
  ['C0003', ['functional']],
  ['C0004', ['advertising']],
  ['C0005', ['social']],
]);

export function decodeOptanonConsent(value: string): Decoded<OptanonGroups> {
  let groups: string | null = null;
  let interactionCount: string | null = null;
  for (const pair of value.split('&')) {
    const equals = pair.indexOf('=');
    const key = equals < 0 ? pair : pair.slice(0, equals);
    if (key === 'groups') {
      groups = uriDecoded(pair.slice(equals + 1).replaceAll('+', ' '));
      if (groups === null) return malformed;
    } else if (key === 'interactionCount') {
      interactionCount = pair.slice(equals + 1);
    }
  }
  if (groups === null) return malformed;
  const allowed: string[] = [];
  let refused = 0;
  let optional = 0;
  for (const group of groups.split(',')) {
    if (group === '') continue;
    const colon = group.lastIndexOf(':');
    const id = group.slice(0, colon);
    const answer = group.slice(colon + 1);
    if (colon <= 0 || !isPlatformId(id) || (answer !== '0' && answer !== '1')) return malformed;
    if (answer === '1') allowed.push(id);
    if (id === STRICTLY_NECESSARY) continue;
    optional++;
    if (answer === '0') refused++;
  }
  const choice = choiceOf(optional - refused, refused);
  return decoded({
    ifAnswered: {
      choice,
      granted: grantedOf(choice, allowed, CATEGORIES),
      purposes: null,
      platformCategories: choice === 'refused' || choice === 'no-choice' ? null : platformIds(allowed),
    },
    interacted: interactionCount !== null && /^\d{1,9}$/.test(interactionCount) && Number(interactionCount) > 0,
  });
}

/** OptanonAlertBoxClosed: the date the banner was closed (an ISO date); only its being there is kept. */
export function decodeOptanonAlertBoxClosed(value: string): Decoded<'closed'> {
  const date = uriDecoded(value);
  return date !== null && date.length <= 64 && !Number.isNaN(Date.parse(date)) ? decoded('closed') : malformed;
}
