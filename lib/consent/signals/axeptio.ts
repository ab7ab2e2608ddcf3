import { choiceOf, decoded, jsonOf, malformed, own, platformIds, uriDecoded, type Decoded } from './reading';

/**
 * Axeptio's `axeptio_cookies`: URL-encoded JSON of the site's vendors to their answers (`"google_analytics":false`),
 * beside `$$token`, `$$date` and `$$completed` (whether the visitor went through the banner to the end). The
 * vendors are the site's own list: kept as the platform's, never the token or the date.
 */
export function decodeAxeptioCookies(value: string): Decoded {
  const text = value.startsWith('{') ? value : uriDecoded(value);
  const answers = text === null ? undefined : jsonOf(text);
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return malformed;
  const allowed: string[] = [];
  let refused = 0;
  for (const [vendor, answer] of Object.entries(answers)) {
    if (vendor.startsWith('$$') || typeof answer !== 'boolean') continue;
    if (answer) allowed.push(vendor);
    else refused++;
  }
  // A banner left before the end, with no vendor answered, is no choice; finished with none allowed, a refusal.
  const choice =
    allowed.length === 0 && refused === 0
      ? own(answers, '$$completed') === true
        ? 'refused'
        : 'no-choice'
      : choiceOf(allowed.length, refused);
  return decoded({
    choice,
    granted: null,
    purposes: null,
    platformCategories: choice === 'refused' || choice === 'no-choice' ? null : platformIds(allowed),
  });
}
