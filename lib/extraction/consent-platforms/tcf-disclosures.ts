import type { Category, Storage } from '../../catalogue/schema';
import {
  asJson,
  buildDraft,
  declaredName,
  isRecord,
  jsonExcerpt,
  lifetimeFromNumber,
  notFound,
  text,
  UNKNOWN_LIFETIME,
  type DraftConsent,
  type DraftEntry,
  type ExtractionResult,
  type ExtractOptions,
  type NotUnderstood,
} from '../draft';

/**
 * An IAB TCF vendor's device storage disclosure (the JSON at its `deviceStorageDisclosureUrl`; IAB Europe, "Vendor
 * Device Storage & Operational Disclosures"): `{ disclosures: [{ identifier, type: "cookie" | "web" | "app",
 * maxAgeSeconds, cookieRefresh, domains | domain, purposes, specialPurposes?, description?, optOut? }], domains: […] }`.
 * `identifier` may hold `*` (a prefix or suffix wildcard; `*` alone is invalid). `maxAgeSeconds` 0 (or less) is a
 * session cookie, null unknown; `web` storage (localStorage, IndexedDB, …) keeps a positive `maxAgeSeconds` (the
 * vendor's own expiry of the key), else its lifetime is unknown. `app` storage is outside
 * a browser and left out. Purposes are the TCF v2.2 purpose ids, read into the catalogue's categories.
 */
const EXTRACTOR = 'IAB TCF device storage disclosure';

/** Category from TCF purposes: advertising first (2, 3, 4, 7), then content personalisation, then measurement. */
export function categoryFromPurposes(purposes: readonly number[], specialPurposes: readonly number[] = []): Category {
  const has = (...ids: number[]) => ids.some((id) => purposes.includes(id));
  if (has(2, 3, 4, 7)) return 'advertising';
  if (has(5, 6, 11)) return 'functional';
  if (has(8, 9, 10)) return 'audience-measurement';
  if (specialPurposes.includes(1)) return 'security';
  if (specialPurposes.includes(3)) return 'consent';
  return 'unknown';
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((n): n is number => typeof n === 'number') : [];
}

export interface TcfOptions extends ExtractOptions {
  /** The vendor's name (from the Global Vendor List): the disclosure itself does not carry it. */
  vendor?: string;
  /**
   * The vendor's legal bases (from the Global Vendor List: `purposes` it asks consent for, `legIntPurposes` it claims a
   * legitimate interest for); the disclosure itself does not carry them.
   */
  legalBases?: { purposes?: readonly number[]; legIntPurposes?: readonly number[] };
}

/**
 * What the TCF says of a stored item's need for consent. Purpose 1 (store or access information on a device) is one
 * the TCF allows only with consent, and so are the purposes the vendor lists as consent ones: required. Storage for
 * special purposes only, or for purposes the vendor claims a legitimate interest for, is processed without consent in
 * the TCF, which is not article 82's answer: left unspecified, for the regulator's rule, and the note says why.
 */
function disclosureConsent(
  purposes: readonly number[],
  specialPurposes: readonly number[],
  legalBases: TcfOptions['legalBases'],
  excerpt: string,
): { consent: DraftConsent; note: string } {
  const asked = purposes.filter((id) => id === 1 || (legalBases?.purposes ?? []).includes(id));
  if (asked.length > 0)
    return {
      consent: { basis: 'required', excerpt },
      note: `Consent: required by the TCF for purpose${asked.length > 1 ? 's' : ''} ${asked.join(', ')}${asked.includes(1) ? ' (purpose 1, storing or accessing information on a device, is allowed only with consent)' : ' (consent purposes of the vendor)'}.`,
    };
  const legInt = legalBases?.legIntPurposes ?? [];
  const why =
    purposes.length > 0 && purposes.every((id) => legInt.includes(id))
      ? `declared for purposes ${purposes.join(', ')} under legitimate interest only`
      : purposes.length === 0 && specialPurposes.length > 0
        ? `declared for special purposes only (${specialPurposes.join(', ')}), which the TCF processes without consent`
        : purposes.length === 0
          ? 'declared for no purpose'
          : `declared for purposes ${purposes.join(', ')}, none of them a consent purpose the TCF names`;
  return {
    consent: { basis: 'unspecified', excerpt },
    note: `Consent: not said by the TCF; ${why}. Whether storing it needs consent under article 82 is the regulator's rule.`,
  };
}

export function extractTcfDisclosures(input: unknown, options: TcfOptions): ExtractionResult {
  const json = asJson(input);
  if (!isRecord(json) || !Array.isArray(json.disclosures)) {
    return notFound(
      EXTRACTOR,
      'no "disclosures" array in this JSON',
      typeof input === 'string' ? input.slice(0, 200) : JSON.stringify(json ?? null).slice(0, 200),
      options,
    );
  }
  const entries: DraftEntry[] = [];
  const notUnderstood: NotUnderstood[] = [];
  for (const disclosure of json.disclosures.filter(isRecord)) {
    const excerpt = jsonExcerpt(disclosure, [
      'identifier',
      'type',
      'maxAgeSeconds',
      'cookieRefresh',
      'domains',
      'domain',
      'purposes',
    ]);
    const type = text(disclosure.type).toLowerCase();
    if (type === 'app') {
      notUnderstood.push({
        text: excerpt,
        reason: 'app storage: outside a web browser, nothing Cookie Lens can observe',
      });
      continue;
    }
    const name = declaredName(text(disclosure.identifier));
    if (!name) {
      notUnderstood.push({ text: excerpt, reason: 'identifier missing, or a wildcard alone (invalid in the TCF)' });
      continue;
    }
    const purposes = numbers(disclosure.purposes);
    const specialPurposes = numbers(disclosure.specialPurposes);
    const storage: Storage = type === 'cookie' ? 'cookie' : 'unknown';
    const maxAge = typeof disclosure.maxAgeSeconds === 'number' ? disclosure.maxAgeSeconds : null;
    const domains = Array.isArray(disclosure.domains)
      ? disclosure.domains.map(text).filter(Boolean)
      : text(disclosure.domain)
        ? [text(disclosure.domain)]
        : [];
    const notes = [
      `TCF purposes ${purposes.join(', ') || 'none'}${specialPurposes.length ? `; special purposes ${specialPurposes.join(', ')}` : ''}.`,
    ];
    if (domains.length > 0) notes.push(`Domains: ${domains.join(', ')}.`);
    if (disclosure.cookieRefresh === true)
      notes.push(
        'cookieRefresh: the vendor renews the cookie, so it can outlive maxAgeSeconds counted from its first setting.',
      );
    if (type === 'web') notes.push('TCF "web" storage: localStorage, IndexedDB or another web storage.');
    if (disclosure.optOut === true) notes.push('Opt-out storage.');
    const { consent, note } = disclosureConsent(
      purposes,
      specialPurposes,
      options.legalBases,
      jsonExcerpt(disclosure, ['purposes', 'specialPurposes']),
    );
    notes.push(note);
    entries.push({
      names: [name],
      vendor: options.vendor ?? null,
      purpose: text(disclosure.description) || `TCF purposes ${purposes.join(', ') || 'none'}`,
      category: categoryFromPurposes(purposes, specialPurposes),
      lifetime:
        type === 'cookie' || (maxAge !== null && maxAge > 0) ? lifetimeFromNumber(maxAge, 'seconds') : UNKNOWN_LIFETIME,
      party: 'unspecified',
      storage,
      excerpt,
      consent,
      notes,
    });
  }
  if (json.disclosures.length === 0)
    notUnderstood.push({ text: 'disclosures: []', reason: 'the vendor declares no client-side storage' });
  return buildDraft({ extractor: EXTRACTOR, entries, notUnderstood }, options);
}
