import { decoded, malformed, platformIds, uriDecoded, type Decoded, type DecodedConsent } from './reading';

/**
 * Commanders Act (TrustCommander, formerly TagCommander). `TC_PRIVACY` is
 * `<status>@<privacy version>|<banner>|<site>@<categories>@<blocked>@<updated>,<created>,<expires>[@<TCF string>]`:
 * status 0 is an opt-in for the categories listed (URL-encoded, comma-separated; `ALL` on old banners), 1 an opt-out
 * of everything. `TC_PRIVACY_CENTER` is the list of categories consented to alone, empty after a refusal. Category
 * ids are each site's own: they are kept as the platform's, never mapped to Cookie Lens categories here.
 */
export function decodeTcPrivacy(value: string): Decoded {
  // Some sites' tags write it URL-encoded as a whole (`0%40002%7C…`).
  const text = !value.includes('@') && value.includes('%40') ? uriDecoded(value) : value;
  if (text === null) return malformed;
  const fields = text.split('@', 4);
  if (fields.length < 4 || (fields[0] !== '0' && fields[0] !== '1')) return malformed;
  if (fields[0] === '1') return decoded(consent('refused', null));
  return categoriesConsented(fields[2]!);
}

export function decodeTcPrivacyCenter(value: string): Decoded {
  return categoriesConsented(value);
}

const CATEGORY_ID = /^\d{1,6}$/;

function categoriesConsented(field: string): Decoded {
  const list = uriDecoded(field);
  if (list === null) return malformed;
  if (list.trim() === '') return decoded(consent('refused', null));
  if (list.trim().toUpperCase() === 'ALL') return decoded(consent('accepted-all', null));
  const ids = list.split(',').map((id) => id.trim());
  if (!ids.every((id) => CATEGORY_ID.test(id))) return malformed;
  // Which of the site's categories there are is the site's to say: a list is accepted in part, whatever its length.
  return decoded(consent('accepted-part', platformIds(ids)));
}

const consent = (choice: DecodedConsent['choice'], platformCategories: string[] | null): DecodedConsent => ({
  choice,
  granted: null,
  purposes: null,
  platformCategories,
});
