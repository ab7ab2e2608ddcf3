import type { Catalogue, Category } from '../catalogue/schema';
import { AUDIENCE_EXEMPTION_MAX_SECONDS, consentBasisOf, declaredSecondsOf } from '../consent/basis';
import type { ConsentChange, EffectiveConsentBasis } from '../consent/consent-state';
import { allowsCategory, consentStateAt, type ConsentStateAt } from '../consent/timeline';
import { DAY } from './lifetime';
import { requestedLifetime, type CookieWrite, type ObservedItem } from '../observation/observed';
import { cookieEvidence, entryEvidence, finding, type FindingParts } from './evidence';
import type { ConsentEvidence, Finding } from './findings';
import type { Match } from './matching';

/**
 * The consent findings of a visit: what the site wrote before the visitor chose and after a refusal, against the basis
 * that applies to each entry (lib/consent/basis.ts), and what it declares exempt without meeting the exemption's
 * conditions. docs/findings.md says why each kind has its severity.
 */
export interface ConsentFindingsInput {
  catalogues: readonly Catalogue[];
  observed: readonly ObservedItem[];
  /** The entry declaring each observed item, in the order of `observed`. */
  matches: ReadonlyArray<Match | null>;
  /** The visit's consent changes; empty when it recognised none. */
  consent: readonly ConsentChange[];
}

/** A header's or a script's write: the jar's account of a cookie found there is no write of this visit. */
interface JudgedWrite {
  at: number;
  by: 'header' | 'script';
  /** The full write where it is one of the item's first, last or longest; else only its time is known. */
  write: CookieWrite | null;
}

/** How far apart in time a write and a change of the consent state may be told while being the same moment. */
export const CHOICE_GRACE_MS = 2000;

export const NOTE_BANNER_CONTRADICTED = 'site-signal-contradicts-banner';
export const NOTE_EXEMPTION_THIRD_PARTY = 'exemption-third-party';
export const NOTE_EXEMPTION_OVER_13_MONTHS = 'exemption-over-13-months';

export function consentFindings(input: ConsentFindingsInput): Finding[] {
  const out: Finding[] = [];
  const unknown = input.consent.length === 0;
  const changes = placedAtTheirWrites(input.consent, input.observed);
  const needingConsent = new Map<Catalogue, number>();

  input.observed.forEach((item, index) => {
    const match = input.matches[index];
    if (!match) return;
    const basis = consentBasisOf(match.catalogue, match.entry);
    const entry = entryEvidence(match.catalogue, match.entry, match);
    const base = { entry, match: match.how };
    // A consent cookie records the choice itself, written as the choice is made: its writes are not judged against
    // the state they create, whatever a policy's blanket rule says.
    if (basis.basis === 'required' && match.entry.category !== 'consent') {
      needingConsent.set(match.catalogue, (needingConsent.get(match.catalogue) ?? 0) + 1);
      if (!unknown) out.push(...writesWithoutConsent(item, basis, base, changes));
    }
    const unmet = unmetExemption(item, match, basis);
    if (unmet) {
      out.push(
        finding('exemption-conditions-not-met', 'medium', {
          ...base,
          cookie: cookieEvidence(item, item.longestWrite),
          measurement: unmet.measurement,
          notes: unmet.notes,
          consent: evidence(null, basis),
        }),
      );
    }
  });

  if (unknown) {
    for (const [catalogue, count] of needingConsent) {
      out.push(
        finding('consent-state-unknown', 'info', {
          catalogueId: catalogue.id,
          consent: { ...evidence(null, null), itemsNeedingConsent: count },
        }),
      );
    }
  }
  return out;
}

/**
 * The site's signals placed at the page's own write of the consent cookie that told them. The jar tells a change when
 * the background hears of it, later than the page wrote the cookie, while a page's script writes carry the page's own
 * time: a tracker written in the same click handler, just after the choice was recorded, would otherwise come before
 * it (a tracker run on a refusal reported as set before consent). The write of that cookie nearest the change, within
 * CHOICE_GRACE_MS, is the one that told it (the two clocks may also put it a moment after the change: then the change
 * stays); without one seen, the change stays where the jar told it. The evidence shows the change as told (`told`).
 */
function placedAtTheirWrites(changes: readonly ConsentChange[], observed: readonly ObservedItem[]): PlacedChange[] {
  return changes.map((change) => {
    if (change.source.kind !== 'signal') return change;
    let nearest: number | null = null;
    for (const item of observed) {
      if (item.store !== 'cookie' || item.name !== change.source.name) continue;
      for (const write of judgedWrites(item)) {
        const distance = Math.abs(change.at - write.at);
        if (distance <= CHOICE_GRACE_MS && (nearest === null || distance < Math.abs(change.at - nearest)))
          nearest = write.at;
      }
    }
    return nearest === null || nearest >= change.at ? change : { ...change, at: nearest, told: change };
  });
}

/** A change placed at the write that made it, with the change as recorded. */
type PlacedChange = ConsentChange & { told?: ConsentChange };

const asTold = (change: ConsentChange | null): ConsentChange | null =>
  change && 'told' in change ? ((change as PlacedChange).told ?? change) : change;

/** The first write made before any choice, and the first made while the choice refused the entry's category. */
function writesWithoutConsent(
  item: ObservedItem,
  basis: EffectiveConsentBasis,
  base: Pick<FindingParts, 'entry' | 'match'>,
  changes: readonly ConsentChange[],
): Finding[] {
  const category = base.entry!.category;
  let beforeChoice: { write: JudgedWrite; state: ConsentStateAt } | null = null;
  let afterRefusal: { write: JudgedWrite; state: ConsentStateAt } | null = null;
  for (const write of judgedWrites(item)) {
    const state = consentStateAt(changes, write.at);
    if (allowedNear(changes, write.at, state, category)) continue;
    if (state.choice === 'no-choice') beforeChoice ??= { write, state };
    else afterRefusal ??= { write, state };
  }
  const out: Finding[] = [];
  for (const [kind, judged] of [
    ['set-before-consent', beforeChoice],
    ['set-after-refusal', afterRefusal],
  ] as const) {
    if (!judged) continue;
    const write = judged.write.write ?? { at: judged.write.at, by: judged.write.by, requested: null, stored: null };
    out.push(
      finding(kind, 'high', {
        ...base,
        cookie: cookieEvidence(item, write),
        notes: judged.state.contradictedBy ? [NOTE_BANNER_CONTRADICTED] : [],
        consent: evidence(judged.state, basis),
      }),
    );
  }
  return out;
}

const isBannerAnswer = (change: ConsentChange) =>
  change.source.kind === 'banner' && change.source.action !== 'detected';

/**
 * Whether the category was allowed when the write is judged, or within CHOICE_GRACE_MS of a change of the site's own
 * signals. A signal is told by the jar after the page wrote it: a tracker written as the visitor accepts may be timed a
 * moment before the acceptance is, and a response in flight as they refuse a moment after. Such a write is not judged:
 * a finding is never made on a moment's doubt. Cookie Lens's own answer needs no such grace: it counts from the moment
 * its engine was about to click (lib/background/consent-banner.ts), so a tracker written on load, before an answer that
 * came a second later, is still judged, and one the page wrote in response to the clicks is judged under the answer;
 * and a signal that follows a banner shown after the write leaves no doubt (the site records the answer given on it).
 */
function allowedNear(
  changes: readonly ConsentChange[],
  at: number,
  state: ConsentStateAt,
  category: Category,
): boolean {
  if (allowsCategory(state, category) !== false) return true;
  // Where Cookie Lens answered the banner, its answer's first click is the boundary; the site's signals that follow it
  // (its consent cookie written as the answer is clicked) must not excuse what the page wrote just before.
  if (changes.some(isBannerAnswer)) return false;
  for (const change of changes) {
    if (change.source.kind !== 'signal' || Math.abs(change.at - at) > CHOICE_GRACE_MS) continue;
    // The banner showed between the write and the signal: the write came before any choice made on it, no doubt.
    if (bannerShownBetween(changes, at, change.at)) continue;
    for (const instant of [change.at - 1, change.at])
      if (allowsCategory(consentStateAt(changes, instant), category) !== false) return true;
  }
  return false;
}

const bannerShownBetween = (changes: readonly ConsentChange[], from: number, to: number): boolean =>
  changes.some(
    (change) =>
      change.source.kind === 'banner' && change.source.action === 'detected' && change.at > from && change.at <= to,
  );

/** The item's writes by a header or a script, in time order: its write times, and its first, last and longest. */
function judgedWrites(item: ObservedItem): JudgedWrite[] {
  const byTime = new Map<string, JudgedWrite>();
  // A stored item's list is read as damaged records may hold it: only well-formed times count.
  const times = Array.isArray(item.writes) ? item.writes : [];
  for (const time of times) {
    if (typeof time?.at !== 'number' || (time.by !== 'header' && time.by !== 'script')) continue;
    byTime.set(`${time.at}|${time.by}`, { at: time.at, by: time.by, write: null });
  }
  for (const write of [item.firstWrite, item.lastWrite, item.longestWrite]) {
    if (write.by !== 'header' && write.by !== 'script') continue;
    byTime.set(`${write.at}|${write.by}`, { at: write.at, by: write.by, write });
  }
  return [...byTime.values()].sort((a, b) => a.at - b.at);
}

/**
 * An entry the site declares exempt (its own word, not the regulator's rule) as audience measurement, whose cookie a
 * third party sets (or is declared to), or that lives (or is declared to live) longer than the exemption's 13 months.
 */
function unmetExemption(
  item: ObservedItem,
  match: Match,
  basis: EffectiveConsentBasis,
): { notes: string[]; measurement: Finding['measurement'] } | null {
  if (basis.basis !== 'exempt' || basis.from === 'regulator' || match.entry.category !== 'audience-measurement')
    return null;
  const notes: string[] = [];
  if (item.party === 'third' || match.entry.party === 'third') notes.push(NOTE_EXEMPTION_THIRD_PARTY);
  const lifetime = item.store === 'cookie' ? requestedLifetime(item.longestWrite) : null;
  const tooLong = lifetime?.kind === 'seconds' && lifetime.seconds > AUDIENCE_EXEMPTION_MAX_SECONDS;
  const declared = declaredSecondsOf(match.catalogue, match.entry);
  if (tooLong || (declared !== null && declared > AUDIENCE_EXEMPTION_MAX_SECONDS))
    notes.push(NOTE_EXEMPTION_OVER_13_MONTHS);
  if (notes.length === 0) return null;
  const measurement: Finding['measurement'] = tooLong
    ? {
        allowedSeconds: Math.round(AUDIENCE_EXEMPTION_MAX_SECONDS - DAY),
        actualSeconds: Math.round(lifetime.seconds),
        toleranceSeconds: DAY,
        basis: item.longestWrite.requested ? 'requested' : 'stored',
      }
    : null;
  return { notes, measurement };
}

function evidence(state: ConsentStateAt | null, basis: EffectiveConsentBasis | null): ConsentEvidence {
  return {
    choice: state?.choice ?? 'unknown',
    state: asTold(state?.change ?? null),
    contradictedBy: asTold(state?.contradictedBy ?? null),
    basis,
    itemsNeedingConsent: null,
    banner: null,
  };
}
