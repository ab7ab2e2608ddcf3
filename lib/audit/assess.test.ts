import { describe, expect, it } from 'vitest';
import { coverage, NOW, observed, type CookieSketch } from '../../tests/support/observed';
import { bundledCatalogues } from '../catalogue/bundled';
import type { Catalogue } from '../catalogue/schema';
import type { Finding } from './findings';
import { DAY, MINUTE, MONTH, YEAR } from './lifetime';
import { matchCookie } from './matching';
import { assessVisit, computeFindings } from './assess';

const catalogue = (id: string) => bundledCatalogues().find((c) => c.id === id)!;
const cnp = catalogue('cnp-monespaceclient');
const amex = catalogue('europ-assistance-amex');
const ameli = catalogue('assurance-maladie-opendatasoft');
const assu2000 = catalogue('assu2000-protection-donnees');

function findingsFor(catalogues: Catalogue[], ...cookies: CookieSketch[]): Finding[] {
  return computeFindings({ catalogues, observed: cookies.map(observed), coverage: coverage() });
}
/** Findings about cookies (not "declared but not seen"), as kind → severity per cookie name. */
function about(findings: Finding[], name: string): Record<string, string> {
  return Object.fromEntries(findings.filter((f) => f.cookie?.name === name).map((f) => [f.kind, f.severity]));
}

describe('findings from seed cases', () => {
  it("Matomo's _pk_id living 13 months against the CNP table's 1 month", () => {
    const findings = findingsFor([cnp], { name: '_pk_id.1.a1b2', by: 'script', requested: 393 * DAY });
    // Matomo documents 13 months for _pk_id: the declared month contradicts the vendor too.
    expect(about(findings, '_pk_id.1.a1b2')).toEqual({
      'lifetime-exceeds-declared': 'high',
      'vendor-default-contradiction': 'low',
    });
    const finding = findings.find((f) => f.kind === 'lifetime-exceeds-declared')!;
    expect(finding.entry).toMatchObject({
      catalogueId: 'cnp-monespaceclient',
      entryId: 'piwik-matomo',
      printedName: '_pk_id.id',
    });
    expect(finding.entry?.excerpt).toContain('1 mois');
    expect(finding.entry?.lines).toEqual([209, 335]);
    expect(finding.measurement).toMatchObject({
      allowedSeconds: Math.round(MONTH),
      actualSeconds: 393 * DAY,
      basis: 'requested',
    });
    expect(finding.cookie).toMatchObject({ name: '_pk_id.1.a1b2', setBy: 'script', party: 'first' });
    expect(finding.explanation.en).toBe('“_pk_id.1.a1b2” lives 393 days, longer than the declared 1 month.');
    expect(finding.explanation.fr).toBe(
      '« _pk_id.1.a1b2 » vit 393 jours, plus longtemps que la durée déclarée (1 mois).',
    );
  });

  it("ai_user living 1 year against the AMEX table's 30 minutes, while ai_session fits its declared year", () => {
    const findings = findingsFor(
      [amex],
      { name: 'ai_user', requested: YEAR },
      { name: 'ai_session', requested: 30 * MINUTE },
    );
    expect(about(findings, 'ai_user')).toEqual({
      'lifetime-exceeds-declared': 'high',
      'vendor-default-contradiction': 'low',
    });
    // ai_session fits the declared year, but Application Insights documents 30 minutes (24 hours at most).
    expect(about(findings, 'ai_session')).toEqual({ 'vendor-default-contradiction': 'low' });
    const swapped = findings.find((f) => f.kind === 'vendor-default-contradiction' && f.cookie?.name === 'ai_user')!;
    expect(swapped.vendor).toMatchObject({ vendor: 'Microsoft Application Insights', source: 'vendor-documentation' });
    expect(swapped.explanation.en).toMatch(
      /^The policy declares 30 minutes for ai_user; Microsoft Application Insights documents 1 year by default/,
    );
  });

  it('a lifetime slightly over the declaration is within the tolerance; 10 % over is not, and is medium', () => {
    expect(
      about(findingsFor([amex], { name: 'assistanceCookies', requested: 183 * DAY }), 'assistanceCookies'),
    ).toEqual({});
    expect(
      about(findingsFor([amex], { name: 'assistanceCookies', requested: 198 * DAY }), 'assistanceCookies'),
    ).toEqual({
      'lifetime-exceeds-declared': 'medium',
    });
    // 30 seconds declared: AppDynamics' 30 s and a clock a few seconds off are fine, a minute is not.
    expect(about(findingsFor([cnp], { name: 'ADRUM_BT1', requested: 34 }), 'ADRUM_BT1')).toEqual({});
    expect(about(findingsFor([cnp], { name: 'ADRUM_BT1', requested: 60 }), 'ADRUM_BT1')).toEqual({
      'lifetime-exceeds-declared': 'high',
    });
  });

  it('a declared session cookie kept for days; a declared duration set as a session cookie (informational)', () => {
    const findings = findingsFor(
      [cnp],
      { name: 'JWT_TOKEN', requested: 7 * DAY },
      { name: 'cookies_INFV_ASTER_home', requested: 'session' },
    );
    expect(about(findings, 'JWT_TOKEN')).toEqual({ 'persistent-declared-session': 'high' });
    expect(about(findings, 'cookies_INFV_ASTER_home')).toEqual({ 'session-declared-persistent': 'info' });
    expect(findings.find((f) => f.kind === 'persistent-declared-session')?.explanation.en).toBe(
      '“JWT_TOKEN” is declared as a session cookie but is kept 7 days.',
    );
  });

  it("over the policy's blanket maximum, with the rule and its excerpt as evidence", () => {
    const findings = findingsFor([amex], { name: 'stg_returning_visitor', requested: 2 * YEAR, stored: 400 * DAY });
    expect(about(findings, 'stg_returning_visitor')).toEqual({
      'lifetime-exceeds-declared': 'high',
      'exceeds-policy-maximum': 'high',
      'exceeds-cnil-13-months': 'high',
      // AMEX 11.1 exempts its audience cookies from consent: one kept 2 years does not meet the exemption's conditions.
      'exemption-conditions-not-met': 'medium',
    });
    const blanket = findings.find((f) => f.kind === 'exceeds-policy-maximum')!;
    expect(blanket.rule).toMatchObject({ ruleId: 'blanket-13-months', appliesTo: 'all', lines: [636, 636] });
    expect(blanket.rule?.excerpt).toContain('pas conservés plus de 13 mois');
    // The requested 2 years is judged, and the stored 400 days is kept as evidence.
    expect(blanket.cookie?.requested).toEqual({ kind: 'seconds', seconds: 2 * YEAR });
    expect(blanket.cookie?.stored).toEqual({ kind: 'seconds', seconds: 400 * DAY });
  });

  it('a category maximum of the CNP policy binds the chatbot, not the internal cookies', () => {
    const findings = findingsFor([cnp], { name: 'DYDU_PUSH_session', requested: 2 * YEAR });
    expect(about(findings, 'DYDU_PUSH_session')).toMatchObject({ 'exceeds-policy-maximum': 'high' });
    expect(findings.find((f) => f.kind === 'exceeds-policy-maximum')?.rule?.ruleId).toBe('support-chat-13-months-max');
  });

  it("the CNIL's 13 months count from the first deposit, so a cookie renewed every visit is caught", () => {
    const firstDeposit = NOW - 300 * DAY * 1000;
    const renewed = findingsFor([cnp], { name: 'TC_PRIVACY', requested: 12 * MONTH, firstDeposit, renewals: 3 });
    expect(about(renewed, 'TC_PRIVACY')).toEqual({ 'exceeds-cnil-13-months': 'high' });
    const finding = renewed.find((f) => f.kind === 'exceeds-cnil-13-months')!;
    expect(finding.measurement?.limitAt).toBe(Date.UTC(2027, 1, 27, 10));
    expect(finding.explanation.en).toMatch(
      /until 2027-11-23, past the CNIL’s 13 months from its first deposit \(2027-02-27\)/,
    );
    // The same cookie on its first visit is within the limit.
    expect(about(findingsFor([cnp], { name: 'TC_PRIVACY', requested: 12 * MONTH }), 'TC_PRIVACY')).toEqual({});
  });

  it('applies the CNIL maximum even where no catalogue applies, and less urgently to a strictly necessary cookie', () => {
    expect(about(findingsFor([], { name: 'tracker', requested: 2 * YEAR }), 'tracker')).toEqual({
      'exceeds-cnil-13-months': 'high',
    });
    const necessary = findingsFor([cnp], { name: 'Jsessionid', requested: 2 * YEAR });
    expect(about(necessary, 'Jsessionid')).toMatchObject({
      'exceeds-cnil-13-months': 'medium',
      'persistent-declared-session': 'high',
    });
  });

  it('declared first-party but set by a third party', () => {
    const findings = findingsFor([cnp], { name: 'JWT_TOKEN', domain: 'tokens.example.net', party: 'third' });
    expect(about(findings, 'JWT_TOKEN')).toEqual({ 'third-party-declared-first-party': 'medium' });
  });

  it('undeclared cookies: high from a third party, medium from the site itself', () => {
    const findings = findingsFor(
      [cnp],
      { name: 'marketing_id', requested: 30 * DAY },
      { name: 'qx', domain: '.quantalys.com', party: 'third' },
    );
    expect(about(findings, 'marketing_id')).toEqual({ undeclared: 'medium' });
    expect(about(findings, 'qx')).toEqual({ undeclared: 'high' });
    expect(findings.find((f) => f.cookie?.name === 'qx')?.explanation.fr).toBe(
      'Le cookie tiers « qx » déposé sur .quantalys.com n’est pas déclaré dans la politique.',
    );
  });

  it('matched only by case or spelling variant (informational), naming the declared spelling', () => {
    const findings = findingsFor(
      [ameli],
      { name: 'csrftoken', requested: 52 * 7 * DAY },
      { name: 'sessionid', requested: 14 * DAY },
    );
    expect(about(findings, 'csrftoken')).toEqual({ 'matched-by-variant': 'info' });
    expect(about(findings, 'sessionid')).toEqual({ 'matched-by-variant': 'info' });
    expect(findings.find((f) => f.cookie?.name === 'csrftoken')?.explanation.en).toBe(
      '“csrftoken” matches the declared name “Csrf token” only when its spelling is loosened.',
    );
    expect(findings.find((f) => f.cookie?.name === 'sessionid')?.match).toBe('case');
  });

  it('declared but not seen: informational, once per entry with names, saying what the visit covered', () => {
    const findings = findingsFor([ameli], { name: 'sessionid' });
    const notSeen = findings.filter((f) => f.kind === 'declared-not-seen');
    expect(notSeen.map((f) => [f.entry?.entryId, f.severity])).toEqual([
      ['csrf-token', 'info'],
      ['django-language', 'info'],
    ]);
    expect(notSeen[0]!.coverage).toMatchObject({ pages: 4, site: 'monespaceclient.cnp.fr' });
    expect(notSeen[0]!.explanation.en).toBe(
      '“Csrf token” is declared but was not seen in 3 min and 4 page(s) of this visit.',
    );
    // Unnamed entries cannot be looked for, so they are never reported unseen.
    expect(
      findingsFor([cnp])
        .filter((f) => f.kind === 'declared-not-seen')
        .map((f) => f.entry?.entryId),
    ).not.toContain('login-identifier');
  });

  it('a policy that lists no cookie: one finding for the policy, and every cookie undeclared', () => {
    const findings = findingsFor([assu2000], { name: 'PHPSESSID' }, { name: '_ga', requested: 2 * YEAR });
    expect(findings.filter((f) => f.kind === 'policy-lists-no-cookies')).toHaveLength(1);
    expect(findings.find((f) => f.kind === 'policy-lists-no-cookies')).toMatchObject({
      severity: 'medium',
      catalogueId: 'assu2000-protection-donnees',
      cookie: null,
    });
    expect(about(findings, 'PHPSESSID')).toEqual({ undeclared: 'medium' });
    expect(about(findings, '_ga')).toEqual({ undeclared: 'medium', 'exceeds-cnil-13-months': 'high' });
  });

  it('Web Storage keys are matched like cookies and only a "session" declaration can be contradicted', () => {
    const findings = findingsFor(
      [cnp, amex],
      { name: 'DYDU_clientId_abc123', store: 'localStorage', requested: null },
      { name: 'ppms_webstorage', store: 'localStorage', domain: 'amex.europ-assistance.fr', requested: null },
      { name: 'unknownKey', store: 'sessionStorage', requested: null },
    );
    expect(about(findings, 'DYDU_clientId_abc123')).toEqual({});
    expect(about(findings, 'ppms_webstorage')).toEqual({});
    expect(about(findings, 'unknownKey')).toEqual({ undeclared: 'medium' });
    const sessionDeclared = findingsFor([amex], {
      name: 'stg_externalReferrer',
      store: 'localStorage',
      requested: null,
    });
    expect(about(sessionDeclared, 'stg_externalReferrer')).toEqual({ 'persistent-declared-session': 'low' });
  });

  it("uses a category's default lifetime where the entry gives none", () => {
    const functional = {
      ...cnp,
      entries: cnp.entries.map((e) =>
        e.id === 'info-banner' ? { ...e, lifetime: { text: '', parsed: { kind: 'unknown' as const } } } : e,
      ),
    };
    const findings = findingsFor([functional], { name: 'cookies_INFV_ASTER_x', requested: YEAR });
    const finding = findings.find((f) => f.kind === 'lifetime-exceeds-declared')!;
    expect(finding.rule?.ruleId).toBe('functional-three-months');
    expect(finding.severity).toBe('high');
  });

  describe('consent cookies and their provisional expiry', () => {
    it('judges the write made once the visitor chose, not the placeholder before it', () => {
      const findings = findingsFor([cnp], { name: 'TC_PRIVACY', requested: 20 * YEAR, thenRequested: 13 * MONTH });
      expect(about(findings, 'TC_PRIVACY')).toEqual({});
    });
    it('still reports a placeholder never replaced, at low severity and saying why', () => {
      const findings = findingsFor([cnp], { name: 'TC_PRIVACY', requested: 20 * YEAR, stored: 400 * DAY });
      expect(about(findings, 'TC_PRIVACY')).toEqual({
        'lifetime-exceeds-declared': 'low',
        'exceeds-cnil-13-months': 'low',
      });
      expect(findings[0]!.notes).toEqual(['provisional-consent-expiry']);
      expect(findings[0]!.explanation.en).toMatch(/likely a consent placeholder until the visitor chooses/);
    });
    it('judges other cookies on the longest life any write asked for', () => {
      const findings = findingsFor([amex], { name: 'ai_session', requested: 30 * MINUTE, thenRequested: 2 * YEAR });
      expect(about(findings, 'ai_session')).toMatchObject({ 'lifetime-exceeds-declared': 'high' });
    });
  });

  it('gives stable ids and a stable order: the same input twice gives the same findings', () => {
    const input = [
      { name: '_pk_id.1.a1b2', requested: 393 * DAY },
      { name: 'marketing_id', requested: 2 * YEAR },
    ];
    const once = findingsFor([cnp], ...input);
    expect(findingsFor([cnp], ...[...input].reverse())).toEqual(once);
    expect(new Set(once.map((f) => f.id)).size).toBe(once.length);
    expect(once.map((f) => f.severity)).toEqual(
      [...once.map((f) => f.severity)].sort(
        (a, b) => ['high', 'medium', 'low', 'info'].indexOf(a) - ['high', 'medium', 'low', 'info'].indexOf(b),
      ),
    );
  });

  it('never carries a cookie value: the observed item has none to give', () => {
    const json = JSON.stringify(findingsFor([cnp], { name: '_pk_id.1.a1b2', requested: 393 * DAY }));
    expect(json).not.toMatch(/"value"/);
  });

  it('names, in the same pass, the entry that declares each item, as the matcher does', () => {
    const items = [
      { name: '_pk_id.1.a1b2', requested: 393 * DAY },
      { name: 'marketing_id', requested: 2 * YEAR },
      { name: 'JSESSIONID', requested: 'session' as const },
    ].map(observed);
    const { findings, matches } = assessVisit({ catalogues: [cnp], observed: items, coverage: coverage() });
    expect(findings).toEqual(computeFindings({ catalogues: [cnp], observed: items, coverage: coverage() }));
    expect(matches.map((m) => m && [m.entry.id, m.how])).toEqual([
      ['piwik-matomo', 'pattern'],
      null,
      ['jsessionid', 'case'],
    ]);
    expect(matches).toEqual(items.map((item) => matchCookie(item, [cnp])));
  });
});
