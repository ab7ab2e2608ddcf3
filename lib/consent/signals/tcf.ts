import { TCString } from '@iabtcf/core';
import type { Category } from '../../catalogue/schema';
import { choiceOf, decoded, grantedOf, malformed, type Decoded } from './reading';

/**
 * The IAB TCF v2 string (`euconsent-v2`), decoded with @iabtcf/core. Only its core segment is decoded (the purposes
 * are there; the other segments list vendors, which are not kept), and only once it is known not to expand past
 * MAX_VENDOR_EXPANSION: its vendor ranges are expanded one vendor at a time, so that a short hostile string (`1 to
 * 65535`, hundreds of times) would cost the decoder seconds.
 */
const PURPOSES = 11;
/** TCF 2.2 (policy version 4) added purpose 11; before it, accepting purposes 1–10 was accepting all. */
const POLICY_WITH_PURPOSE_11 = 4;
/**
 * A browser keeps a cookie within 4,096 bytes: a longer core segment is no CMP's. @iabtcf/core spells a string out
 * bit by bit as text, whose cost per character grows with the heap on long inputs; it is never given one.
 */
const MAX_CORE_LENGTH = 4096;
/** Three full vectors of 65,535 vendors and more: a real string expands to far less. */
const MAX_VENDOR_EXPANSION = 4 * 65_536;

const STORAGE = 1;
/** Purposes 2–7 advertising (5 and 6 personalised content, 7 ad measurement), 8–10 audience measurement, 11 content. */
const PURPOSE_CATEGORIES: ReadonlyMap<string, readonly Category[]> = new Map(
  [2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((purpose) => [
    String(purpose),
    purpose <= 7 ? ['advertising'] : purpose <= 10 ? ['audience-measurement', 'performance'] : ['functional'],
  ]),
);

export function decodeTcString(value: string): Decoded {
  const core = value.split('.', 1)[0]!;
  if (core.length > MAX_CORE_LENGTH || !coreFits(core)) return malformed;
  let consented: number[];
  let policyVersion: number;
  try {
    const model = TCString.decode(core);
    consented = Array.from({ length: PURPOSES }, (_, i) => i + 1).filter((p) => model.purposeConsents.has(p));
    policyVersion = Number(model.policyVersion);
  } catch {
    return malformed;
  }
  const asked = policyVersion >= POLICY_WITH_PURPOSE_11 ? PURPOSES : PURPOSES - 1;
  const accepted = consented.filter((p) => p <= asked).length;
  const choice = choiceOf(accepted, asked - accepted);
  // Without purpose 1 (storing or reading on the device) no other purpose allows a cookie; with it, a category is
  // allowed by any of its purposes.
  const allowed = consented.includes(STORAGE) ? consented.map(String) : [];
  return decoded({
    choice,
    granted: grantedOf(choice, allowed, PURPOSE_CATEGORIES),
    purposes: consented,
    platformCategories: null,
  });
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SEXTETS = new Map([...BASE64URL].map((c, i) => [c, i]));
/** Bits of a version 2 core segment before its vendor consents (version to publisher country code). */
const VENDOR_CONSENTS_AT = 213;

/**
 * Whether the core segment is base64url of a version 2 string whose vendor ranges (consents, legitimate interests,
 * publisher restrictions) expand to at most MAX_VENDOR_EXPANSION vendors: read as @iabtcf/core reads them, in one
 * pass over the bits, each range costing the bits it takes.
 */
function coreFits(core: string): boolean {
  const sextets: number[] = [];
  for (const c of core) {
    const sextet = SEXTETS.get(c);
    if (sextet === undefined) return false;
    sextets.push(sextet);
  }
  const length = sextets.length * 6;
  let at = 0;
  const read = (bits: number): number => {
    let n = 0;
    for (let i = 0; i < bits; i++, at++) {
      const bit = at < length ? (sextets[Math.floor(at / 6)]! >> (5 - (at % 6))) & 1 : 0;
      n = n * 2 + bit;
    }
    return n;
  };
  if (read(6) !== 2) return false;
  at = VENDOR_CONSENTS_AT;
  let expansion = 0;
  const ranges = () => {
    const entries = read(12);
    for (let i = 0; i < entries && at < length; i++) {
      const isRange = read(1) === 1;
      const start = read(16);
      expansion += isRange ? Math.max(read(16) - start + 1, 0) : 1;
    }
  };
  for (const _vector of ['consents', 'legitimate interests']) {
    const maxId = read(16);
    if (read(1) === 1) ranges();
    else at += maxId;
  }
  const restrictions = read(12);
  for (let i = 0; i < restrictions && at < length; i++) {
    at += 8; // purpose id and restriction type
    ranges();
  }
  return expansion <= MAX_VENDOR_EXPANSION;
}
