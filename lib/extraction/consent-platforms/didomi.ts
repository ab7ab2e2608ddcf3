import {
  asJson,
  buildDraft,
  declaredName,
  isRecord,
  notFound,
  text,
  UNKNOWN_LIFETIME,
  type DraftEntry,
  type ExtractionResult,
  type ExtractOptions,
  type NotUnderstood,
} from '../draft';

/**
 * Didomi's configuration (`window.didomiConfig`, or `didomi_config.json` for the mobile SDKs), where it publishes cookie
 * names: its own consent storage, named in `cookies` (`didomiTokenCookieName`, default `didomi_token`; `iabCookieName`,
 * default `euconsent-v2`; `didomiConsentStringCookieName`, default `didomi_dcs`), kept in cookies and/or local storage
 * as `cookies.storageSources` says. Its vendors (`app.vendors.iab`, `.didomi`, `.custom`) carry names, purposes and
 * policy links but no cookie names: they are listed as not understood, with where their cookies can be found (an IAB
 * vendor's device storage disclosure, see tcf-disclosures.ts). Didomi's configuration states no cookie lifetime.
 */
const EXTRACTOR = 'Didomi configuration';

interface ConsentStore {
  key: string;
  fallback: string;
  purpose: string;
}

const STORES: readonly ConsentStore[] = [
  {
    key: 'didomiTokenCookieName',
    fallback: 'didomi_token',
    purpose: 'Consent for custom vendors and purposes, and the Didomi user id (Didomi token)',
  },
  { key: 'iabCookieName', fallback: 'euconsent-v2', purpose: 'IAB TCF consent string (TC String)' },
  { key: 'didomiConsentStringCookieName', fallback: 'didomi_dcs', purpose: 'Didomi Consent String' },
];

function ids(value: unknown): string[] {
  return Array.isArray(value) ? value.map(text).filter(Boolean) : [];
}

/**
 * What a custom vendor's purposes say of consent, for the auditor who drafts its cookies from elsewhere: Didomi asks
 * consent for `purposeIds`; `legIntPurposeIds` are claimed under legitimate interest, which does not answer whether
 * storing on the device needs consent (the regulator's rule decides).
 */
function vendorConsent(vendor: Record<string, unknown>): string {
  const consent = ids(vendor.purposeIds);
  const legInt = ids(vendor.legIntPurposeIds);
  if (consent.length > 0) return `its cookies need consent: Didomi asks it for purposes ${consent.join(', ')}`;
  if (legInt.length > 0)
    return `declared under legitimate interest only (purposes ${legInt.join(', ')}): whether its cookies need consent is the regulator's rule`;
  return 'no purpose declared: whether its cookies need consent is the regulator’s rule';
}

export function extractDidomi(input: unknown, options: ExtractOptions): ExtractionResult {
  const json = asJson(input);
  const config = isRecord(json) && isRecord(json.didomiConfig) ? json.didomiConfig : json;
  if (!isRecord(config) || (!isRecord(config.app) && !isRecord(config.cookies))) {
    return notFound(
      EXTRACTOR,
      'no Didomi configuration (app / cookies) in this input',
      typeof input === 'string' ? input : JSON.stringify(input ?? null),
      options,
    );
  }
  const cookies = isRecord(config.cookies) ? config.cookies : {};
  const sources = isRecord(cookies.storageSources) ? cookies.storageSources : {};
  const inCookies = sources.cookies !== false;
  const inLocalStorage = sources.localStorage !== false;
  const entries: DraftEntry[] = [];
  for (const store of STORES) {
    const configured = text(cookies[store.key]);
    // didomi_dcs is used only when configured or named; the token and the TC string are always stored.
    if (store.key === 'didomiConsentStringCookieName' && !configured) continue;
    const name = declaredName(configured || store.fallback);
    if (!name) continue;
    const excerpt = configured
      ? JSON.stringify({ [store.key]: configured })
      : `${store.key} not set: Didomi's default name ${store.fallback}`;
    const notes = configured ? [] : [`Didomi's documented default name; the configuration does not rename it.`];
    for (const [wanted, storage] of [
      [inCookies, 'cookie'],
      [inLocalStorage, 'localStorage'],
    ] as const) {
      if (wanted)
        entries.push({
          names: [name],
          vendor: 'Didomi',
          purpose: store.purpose,
          category: 'consent',
          lifetime: UNKNOWN_LIFETIME,
          party: 'first',
          storage,
          excerpt,
          notes: [...notes, "Didomi's configuration states no lifetime for its consent storage."],
        });
    }
  }

  const notUnderstood: NotUnderstood[] = [];
  const vendors = isRecord(config.app) && isRecord(config.app.vendors) ? config.app.vendors : {};
  const iab = vendors.iab;
  if (iab === true || isRecord(iab) || Array.isArray(iab)) {
    notUnderstood.push({
      text: 'app.vendors.iab',
      reason:
        "IAB TCF vendors: their cookies are in each vendor's device storage disclosure (deviceStorageDisclosureUrl in the Global Vendor List), not in this configuration",
    });
  }
  for (const vendor of Array.isArray(vendors.didomi) ? vendors.didomi : []) {
    notUnderstood.push({
      text: `app.vendors.didomi: ${text(vendor)}`,
      reason: 'Didomi vendor: the configuration names no cookie for it',
    });
  }
  for (const vendor of Array.isArray(vendors.custom) ? vendors.custom.filter(isRecord) : []) {
    const disclosure = text(vendor.deviceStorageDisclosureUrl);
    const where = disclosure
      ? `custom vendor: its cookies are in its device storage disclosure (${disclosure})`
      : 'custom vendor: the configuration names no cookie for it';
    notUnderstood.push({
      text: `app.vendors.custom: ${text(vendor.name) || text(vendor.id)}`,
      reason: `${where}; ${vendorConsent(vendor)}`,
    });
  }
  return buildDraft({ extractor: EXTRACTOR, entries, notUnderstood }, options);
}
