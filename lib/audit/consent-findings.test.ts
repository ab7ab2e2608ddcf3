import { describe, expect, it } from 'vitest';
import { after, bannerAt, consentCatalogue, platformLoadedAt, signalAt } from '../../tests/support/consent';
import { coverage } from '../../tests/support/observed';
import type { Catalogue } from '../catalogue/schema';
import type { ConsentChange } from '../consent/consent-state';
import { DAY, MONTH } from './lifetime';
import { withWriteTime, type CookieWrite, type ObservedItem, type SetBy } from '../observation/observed';
import { assessVisit } from './assess';
import type { Finding } from './findings';

const HOST = 'www.boutique.example';

/** A cookie written at these seconds of the visit, by a header unless said; the first write is the longest. */
function cookie(
  name: string,
  writes: Array<number | [number, SetBy]>,
  options: { party?: 'first' | 'third'; domain?: string; lifetimeSeconds?: number } = {},
): ObservedItem {
  const all: CookieWrite[] = writes.map((w) => {
    const [seconds, by] = typeof w === 'number' ? [w, 'header' as SetBy] : w;
    const at = after(seconds);
    const expiry = { session: false as const, at: at + (options.lifetimeSeconds ?? 30 * DAY) * 1000 };
    return { at, by, url: `https://${HOST}/page`, requested: expiry, stored: expiry };
  });
  let times: ObservedItem['writes'];
  for (const write of all) times = withWriteTime(times, write);
  return {
    store: 'cookie',
    name,
    domain: options.domain ?? HOST,
    path: '/',
    party: options.party ?? 'first',
    firstSeen: all[0]!.at,
    lastSeen: all.at(-1)!.at,
    firstDeposit: all[0]!.at,
    renewals: all.length - 1,
    firstWrite: all[0]!,
    lastWrite: all.at(-1)!,
    longestWrite: all[0]!,
    ...(times ? { writes: times } : {}),
  };
}

const shop = consentCatalogue([
  { id: 'ads', name: 'ad_id', category: 'advertising' },
  { id: 'stats', name: 'stats_id', category: 'audience-measurement', lifetime: '13 mois' },
  { id: 'session', name: 'SESSION', category: 'strictly-necessary', lifetime: 'session' },
  { id: 'prefs', name: 'lang', category: 'functional' },
  { id: 'mystery', name: 'mystery', category: 'unknown' },
]);

function findings(catalogue: Catalogue, items: ObservedItem[], consent?: ConsentChange[]): Finding[] {
  return assessVisit({ catalogues: [catalogue], observed: items, coverage: coverage(HOST), consent }).findings;
}
const consentKinds = new Set(['set-before-consent', 'set-after-refusal', 'exemption-conditions-not-met']);
/** The consent findings, as kind per cookie name. */
function about(list: Finding[]): string[] {
  return list
    .filter((f) => consentKinds.has(f.kind))
    .map((f) => `${f.kind} ${f.cookie?.name}`)
    .sort();
}

describe('set-before-consent', () => {
  it('is a cookie needing consent written before any choice; exempt cookies and unknown categories are not', () => {
    const items = [cookie('ad_id', [1]), cookie('SESSION', [1]), cookie('lang', [1]), cookie('mystery', [1])];
    const list = findings(shop, items, [platformLoadedAt(2), signalAt(30, 'accepted-all')]);
    expect(about(list)).toEqual(['set-before-consent ad_id']);
    const found = list.find((f) => f.kind === 'set-before-consent')!;
    expect(found.severity).toBe('high');
    expect(found.cookie).toMatchObject({ name: 'ad_id', setBy: 'header', writtenAt: after(1) });
    expect(found.consent).toMatchObject({
      choice: 'no-choice',
      state: null,
      contradictedBy: null,
      basis: { basis: 'required', from: 'regulator' },
    });
    expect(found.entry?.consent).toMatchObject({ basis: 'required', from: 'regulator' });
    expect(found.explanation.en).toBe(
      '“ad_id” needs consent (by the CNIL’s rule, the policy saying nothing) but was written before the visitor made any choice.',
    );
    expect(found.explanation.fr).toBe(
      '« ad_id » nécessite un consentement (selon la règle de la CNIL, la politique n’en disant rien) mais a été déposé avant tout choix du visiteur.',
    );
  });

  it('is not a write timed a moment before the acceptance it follows, which events tell apart by ms', () => {
    const changes = [platformLoadedAt(0), signalAt(10, 'accepted-all')];
    expect(about(findings(shop, [cookie('ad_id', [9.5])], changes))).toEqual([]);
    expect(about(findings(shop, [cookie('ad_id', [7])], changes))).toEqual(['set-before-consent ad_id']);
    // Nor a response in flight as the visitor withdraws an acceptance; a write well after the refusal is one.
    const withdrawn = [signalAt(0, 'accepted-all'), signalAt(10, 'refused')];
    expect(about(findings(shop, [cookie('ad_id', [10.5])], withdrawn))).toEqual([]);
    expect(about(findings(shop, [cookie('ad_id', [13])], withdrawn))).toEqual(['set-after-refusal ad_id']);
  });

  it("judges a write against Cookie Lens's own answer from its first click, with no grace around it", () => {
    // An audit answers about a second after the load: a tracker the page wrote on load was still set before consent,
    // though the acceptance (counted from the engine's first click) followed it within CHOICE_GRACE_MS.
    const accepted = [bannerAt(1.2, 'detected'), bannerAt(1.8, 'opt-in')];
    expect(about(findings(shop, [cookie('ad_id', [0.3])], accepted))).toEqual(['set-before-consent ad_id']);
    expect(about(findings(shop, [cookie('ad_id', [1.5])], accepted))).toEqual(['set-before-consent ad_id']);
    // The site's own consent cookie, written as the answer is clicked, does not excuse a write just before the click.
    const withSignal = [...accepted, signalAt(1.85, 'accepted-all')];
    expect(about(findings(shop, [cookie('ad_id', [1.5])], withSignal))).toEqual(['set-before-consent ad_id']);
    // Written in response to the clicks: under the answer.
    expect(about(findings(shop, [cookie('ad_id', [1.9])], accepted))).toEqual([]);
    const refused = [bannerAt(1.2, 'detected'), bannerAt(1.8, 'opt-out')];
    expect(about(findings(shop, [cookie('ad_id', [1.9])], refused))).toEqual(['set-after-refusal ad_id']);
    expect(about(findings(shop, [cookie('ad_id', [0.3])], refused))).toEqual(['set-before-consent ad_id']);
  });

  it('is not a cookie found in the jar at the start, nor one written after acceptance', () => {
    const list = findings(
      shop,
      [cookie('ad_id', [[0, 'jar']]), cookie('ad_id', [40], { domain: '.boutique.example' })],
      [platformLoadedAt(2), signalAt(30, 'accepted-all')],
    );
    expect(about(list)).toEqual([]);
  });

  it("says whose word the basis is: the site's own, for the entry or its category", () => {
    const catalogue = consentCatalogue(
      [
        { id: 'chat', name: 'chat_id', category: 'support-chat', consent: 'required' },
        { id: 'lang', name: 'lang', category: 'functional' },
      ],
      { consentRules: [{ appliesTo: 'functional', basis: 'required' }] },
    );
    const list = findings(catalogue, [cookie('chat_id', [1]), cookie('lang', [1])], [platformLoadedAt(0)]);
    const chat = list.find((f) => f.cookie?.name === 'chat_id' && f.kind === 'set-before-consent')!;
    const lang = list.find((f) => f.cookie?.name === 'lang' && f.kind === 'set-before-consent')!;
    expect(chat.consent?.basis?.from).toBe('entry');
    expect(chat.explanation.en).toMatch(/\(as the policy says of this cookie\)/);
    expect(lang.consent?.basis?.from).toBe('policy-rule');
    expect(lang.explanation.fr).toMatch(/\(selon ce que la politique dit de sa catégorie\)/);
  });
});

describe('set-after-refusal', () => {
  it('is a cookie needing consent written after the visitor refused', () => {
    const list = findings(shop, [cookie('ad_id', [[20, 'script']])], [platformLoadedAt(0), signalAt(10, 'refused')]);
    expect(about(list)).toEqual(['set-after-refusal ad_id']);
    const found = list.find((f) => f.kind === 'set-after-refusal')!;
    expect(found.severity).toBe('high');
    expect(found.consent).toMatchObject({ choice: 'refused', state: { at: after(10), choice: 'refused' } });
    expect(found.explanation.en).toMatch(/^“ad_id” needs consent \(.*\) but was written after the visitor refused\.$/);
  });

  it('is a write after a partial acceptance without its category, not with it', () => {
    const partial = [signalAt(0, 'accepted-part', ['audience-measurement'])];
    const list = findings(shop, [cookie('ad_id', [5])], partial);
    expect(about(list)).toEqual(['set-after-refusal ad_id']);
    expect(list.find((f) => f.kind === 'set-after-refusal')!.explanation.en).toMatch(
      /accepted only some categories, not “Advertising”\.$/,
    );
    const allowed = findings(shop, [cookie('ad_id', [5])], [signalAt(0, 'accepted-part', ['advertising'])]);
    expect(about(allowed)).toEqual([]);
  });

  it("is judged on Cookie Lens's own refusal even when the site then records an acceptance, and says so", () => {
    const list = findings(
      shop,
      [cookie('ad_id', [20])],
      [platformLoadedAt(0), bannerAt(10, 'opt-out', 2), signalAt(12, 'accepted-all')],
    );
    expect(about(list)).toEqual(['set-after-refusal ad_id']);
    const found = list.find((f) => f.kind === 'set-after-refusal')!;
    expect(found.consent?.contradictedBy).toMatchObject({ choice: 'accepted-all', source: { kind: 'signal' } });
    expect(found.notes).toContain('site-signal-contradicts-banner');
    expect(found.explanation.en).toMatch(/Cookie Lens’s own action prevails\.$/);
    expect(found.explanation.fr).toMatch(/l’action de Cookie Lens prévaut\.$/);
  });

  it('finds a write made while refused between two acceptances, though it is neither the first, last nor longest', () => {
    const changes = [signalAt(0, 'accepted-all'), signalAt(10, 'refused'), signalAt(20, 'accepted-all')];
    const item = cookie('ad_id', [1, 15, 25]);
    const list = findings(shop, [item], changes);
    expect(about(list)).toEqual(['set-after-refusal ad_id']);
    expect(list.find((f) => f.kind === 'set-after-refusal')!.cookie).toMatchObject({
      writtenAt: after(15),
      setBy: 'header',
      // Only its time and writer's kind are kept for a write in the middle.
      setterUrl: null,
    });
    // Without the write in the refused time, nothing.
    expect(about(findings(shop, [cookie('ad_id', [1, 25])], changes))).toEqual([]);
  });

  it('is a tracker the page writes just after recording the refusal, though the jar tells the refusal later', () => {
    // The page writes its consent cookie at 10 s and the tracker 0.1 s later, in the same click handler; the jar's
    // event for the consent cookie reaches the background at 10.3 s.
    const items = [cookie('OptanonConsent', [[10, 'script']]), cookie('ad_id', [[10.1, 'script']])];
    const refusal = signalAt(10.3, 'refused');
    const list = findings(shop, items, [platformLoadedAt(0), refusal]);
    expect(about(list)).toEqual(['set-after-refusal ad_id']);
    // The evidence shows the change as the timeline recorded it.
    expect(list.find((f) => f.kind === 'set-after-refusal')!.consent?.state).toEqual(refusal);
    // Placed at the write that told it, not at the cookie's earlier write on load (no choice yet then).
    const rewritten = [
      cookie('OptanonConsent', [
        [9, 'script'],
        [10.3, 'script'],
      ]),
      cookie('ad_id', [[9.1, 'script']]),
    ];
    expect(about(findings(shop, rewritten, [platformLoadedAt(0), signalAt(10.29, 'refused')]))).toEqual([
      'set-before-consent ad_id',
    ]);
    // Without the page's write of the consent cookie seen, the change stays where the jar told it.
    expect(about(findings(shop, [cookie('ad_id', [[10.1, 'script']])], [platformLoadedAt(0), refusal]))).toEqual([
      'set-before-consent ad_id',
    ]);
  });

  it('reports both kinds for one cookie written before the choice and after the refusal', () => {
    const list = findings(shop, [cookie('ad_id', [1, 20])], [platformLoadedAt(0), signalAt(10, 'refused')]);
    expect(about(list)).toEqual(['set-after-refusal ad_id', 'set-before-consent ad_id']);
  });

  it('is not a consent cookie, written as the choice is made, even under a policy rule requiring consent for all', () => {
    const catalogue = consentCatalogue([{ id: 'cmp', name: 'OptanonConsent', category: 'consent' }], {
      consentRules: [{ appliesTo: 'all', basis: 'required' }],
    });
    const list = findings(
      catalogue,
      [cookie('OptanonConsent', [1, 9.9])],
      [platformLoadedAt(0), signalAt(10, 'refused')],
    );
    expect(about(list)).toEqual([]);
    expect(list.map((f) => f.kind)).not.toContain('consent-state-unknown');
  });

  it('is not an exempt cookie rewritten after a refusal', () => {
    expect(about(findings(shop, [cookie('SESSION', [20])], [signalAt(10, 'refused')]))).toEqual([]);
  });
});

describe('exemption-conditions-not-met', () => {
  const declaredExempt = consentCatalogue([
    { id: 'stats', name: 'stats_id', category: 'audience-measurement', consent: 'exempt' },
  ]);

  it('is audience measurement the site declares exempt but a third party sets', () => {
    const list = findings(declaredExempt, [cookie('stats_id', [1], { party: 'third', domain: '.stats.example' })], []);
    expect(about(list)).toEqual(['exemption-conditions-not-met stats_id']);
    const found = list.find((f) => f.kind === 'exemption-conditions-not-met')!;
    expect(found.severity).toBe('medium');
    expect(found.consent?.basis).toMatchObject({ basis: 'exempt', from: 'entry' });
    expect(found.explanation.en).toBe(
      '“stats_id” is declared exempt from consent as audience measurement, but a third party sets it (.stats.example): the CNIL’s exemption covers only the site’s own first-party measurement.',
    );
  });

  it('is audience measurement the site declares exempt that lives over 13 months', () => {
    const list = findings(declaredExempt, [cookie('stats_id', [1], { lifetimeSeconds: 25 * MONTH })], []);
    const found = list.find((f) => f.kind === 'exemption-conditions-not-met')!;
    expect(found.measurement).toMatchObject({ actualSeconds: Math.round(25 * MONTH) });
    expect(found.explanation.fr).toMatch(/mais il vit 2,1 ans : l’exemption de la CNIL permet 13 mois au plus\.$/);
  });

  it('is audience measurement the site declares exempt and, in the same policy, to live over 13 months', () => {
    const catalogue = consentCatalogue([
      { id: 'stats', name: 'stats_id', category: 'audience-measurement', consent: 'exempt', lifetime: '25 mois' },
    ]);
    const found = findings(catalogue, [cookie('stats_id', [1], { lifetimeSeconds: 30 * DAY })], []).find(
      (f) => f.kind === 'exemption-conditions-not-met',
    )!;
    expect(found.notes).toEqual(['exemption-over-13-months']);
    expect(found.measurement).toBeNull();
    expect(found.explanation.en).toBe(
      '“stats_id” is declared exempt from consent as audience measurement, but the policy gives it “25 mois”: the CNIL’s exemption allows 13 months at most.',
    );
  });

  it('is not a first-party cookie within 13 months, nor an exemption that is only the regulator’s rule', () => {
    expect(about(findings(declaredExempt, [cookie('stats_id', [1], { lifetimeSeconds: 12 * MONTH })], []))).toEqual([]);
    // The policy says nothing: the regulator's rule applies, and with a third party it says consent is needed.
    const silent = findings(shop, [cookie('stats_id', [1], { party: 'third' })], [platformLoadedAt(0)]);
    expect(silent.some((f) => f.kind === 'exemption-conditions-not-met')).toBe(false);
  });
});

describe('consent-state-unknown', () => {
  it('is one info finding per catalogue, counting the items needing consent, when no signal was recognised', () => {
    const items = [cookie('ad_id', [1]), cookie('ad_id', [2], { domain: '.boutique.example' }), cookie('SESSION', [1])];
    const list = findings(shop, items, []);
    const unknown = list.filter((f) => f.kind === 'consent-state-unknown');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({
      severity: 'info',
      catalogueId: 'boutique-exemple',
      cookie: null,
      consent: { choice: 'unknown', itemsNeedingConsent: 2 },
    });
    expect(unknown[0]!.explanation.en).toMatch(/^2 cookie\(s\) or storage key\(s\) of this visit need consent/);
    // Silence is never read as compliance, nor as a breach: no finding on the writes themselves.
    expect(about(list)).toEqual([]);
    expect(findings(shop, items).filter((f) => f.kind === 'consent-state-unknown')).toHaveLength(1);
  });

  it('is not made when a signal was recognised, or when nothing met needs consent', () => {
    expect(findings(shop, [cookie('ad_id', [1])], [signalAt(0, 'accepted-all')]).map((f) => f.kind)).not.toContain(
      'consent-state-unknown',
    );
    expect(findings(shop, [cookie('SESSION', [1])], []).map((f) => f.kind)).not.toContain('consent-state-unknown');
  });
});

describe('the entry evidence of every matched item', () => {
  it('carries the basis that applies', () => {
    const { matches } = assessVisit({ catalogues: [shop], observed: [cookie('lang', [1])], coverage: coverage(HOST) });
    expect(matches[0]?.entry.id).toBe('prefs');
    const list = findings(shop, [cookie('lang', [1], { lifetimeSeconds: 3 * 365 * DAY })]);
    expect(list.find((f) => f.entry?.entryId === 'prefs')?.entry?.consent).toMatchObject({
      basis: 'exempt',
      from: 'regulator',
    });
  });
});
