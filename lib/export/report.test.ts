import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { observed } from '../../tests/support/observed';
import { FINDING_KINDS, SEVERITIES } from '../audit/findings';
import type { VisitReport } from '../audit/visit-report';
import { reportCsv } from './csv';
import { canonicalJson, sha256Hex } from './digest';
import { reportHtml } from './html';
import { buildReport, reportJson } from './report';
import { reportJsonSchema } from './report-json-schema';
import { AuditReportSchema, ReadableReportSchema, type AuditReport } from './report-schema';
import { scenarioInputs, scenarioReport, SECRET } from '../../tests/support/scenario-report';
import {
  amex,
  amexVisit,
  BROWSER,
  cnp,
  cnpSilentOnConsent,
  cnpVisit,
  CONSENT_VALUE,
  consentVisit,
  EXPORTED_AT,
  TOOL,
  unreadableConsentVisit,
} from '../../tests/support/export-visits';

const build = (visits: VisitReport[], exportedAt = EXPORTED_AT, catalogues = [cnp, amex]) =>
  buildReport({ visits: visits.map((report) => ({ report })), catalogues, tool: TOOL, browser: BROWSER, exportedAt });

/** The same visits with every list in another order: visits, items, findings, catalogues. */
function shuffled(reports: VisitReport[]): VisitReport[] {
  return [...reports].reverse().map((report) => ({
    ...report,
    items: [...report.items.slice(2), ...report.items.slice(0, 2)].reverse(),
    findings: [...report.findings].reverse(),
  }));
}

describe('the JSON report', () => {
  it('validates against its schema, and the committed JSON Schema is the current one', async () => {
    const report = await build([cnpVisit(), amexVisit()]);
    expect(v.safeParse(AuditReportSchema, JSON.parse(reportJson(report))).success).toBe(true);
    const committed = JSON.parse(readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(reportJsonSchema());
    expect(committed.required).toEqual(expect.arrayContaining(['reportFormatVersion', 'cookies', 'findings']));
  });

  it('holds the consent evidence of a finding and the basis of its entry, valid against the schema, never a value', async () => {
    const report = await build([consentVisit(undefined, cnpSilentOnConsent)], EXPORTED_AT, [cnpSilentOnConsent]);
    const text = reportJson(report);
    expect(v.safeParse(AuditReportSchema, JSON.parse(text)).success).toBe(true);
    expect(text).not.toContain(CONSENT_VALUE);
    expect(text).not.toContain('SECRET-CONSENT-VALUE');
    const refused = report.findings.find((f) => f.kind === 'set-after-refusal' && f.cookie.name === '_pk_id.1.a1b2');
    expect(refused?.consent).toEqual({
      choice: 'refused',
      state: {
        at: '2026-11-23T09:59:59.000Z',
        choice: 'refused',
        granted: null,
        purposes: null,
        platformCategories: null,
        source: { kind: 'banner', rule: 'TagCommander', action: 'opt-out', clicks: 2 },
      },
      contradictedBy: expect.objectContaining({
        at: '2026-11-23T09:59:59.500Z',
        choice: 'accepted-all',
        source: { kind: 'signal', platform: 'commanders-act', name: 'TC_PRIVACY' },
      }),
      basis: expect.objectContaining({ basis: 'required', from: 'regulator', lines: null }),
      itemsNeedingConsent: null,
      banner: null,
    });
    expect(refused?.entry?.consent).toMatchObject({ basis: 'required', from: 'regulator' });
    // With the CNP's own catalogue, the basis is the policy's word, with its source and lines.
    const own = await build([consentVisit()]);
    const ownRefused = own.findings.find((f) => f.kind === 'set-after-refusal' && f.cookie.name === '_pk_id.1.a1b2');
    expect(ownRefused?.consent?.basis).toEqual({
      basis: 'required',
      from: 'policy-rule',
      excerpt: expect.stringMatching(/^nous vous demandons d’accepter ou de refuser/),
      source: '000_f2dd0101e5f31d62.txt',
      lines: [83, 341],
    });
    expect(v.safeParse(AuditReportSchema, JSON.parse(reportJson(own))).success).toBe(true);
    // Every finding about an entry says the entry's basis.
    for (const finding of report.findings) if (finding.entry) expect(finding.entry.consent).toBeDefined();
    // A report made before consent was assessed (no consent evidence, no entry basis) still validates.
    const older = JSON.parse(reportJson(await build([cnpVisit()])));
    for (const finding of older.findings) {
      delete finding.consent;
      if (finding.entry) delete finding.entry.consent;
    }
    expect(v.safeParse(AuditReportSchema, older).success).toBe(true);
  });

  it('has top-level cookies (name, domain, path) and findings (kind, severity, cookie name and domain)', async () => {
    const json = JSON.parse(reportJson(await build([cnpVisit()])));
    expect(json.reportFormatVersion).toBe(2);
    expect(json.scenarios).toEqual([]);
    expect(json.cookies).toHaveLength(6);
    for (const cookie of json.cookies) {
      expect(cookie).toMatchObject({ name: expect.any(String), domain: expect.any(String), path: expect.any(String) });
    }
    expect(json.findings.length).toBeGreaterThan(5);
    for (const finding of json.findings) {
      expect(FINDING_KINDS).toContain(finding.kind);
      expect(SEVERITIES).toContain(finding.severity);
      expect(finding.cookie).toMatchObject({ name: expect.any(String), domain: expect.any(String) });
    }
    // An entry declared but never seen is named by its declaration, on the host whose policy declares it.
    expect(json.findings).toContainEqual(
      expect.objectContaining({
        kind: 'declared-not-seen',
        cookie: { observed: false, name: 'XSRF-Token', domain: 'monespaceclient.cnp.fr' },
      }),
    );
  });

  it('holds the tool, browser, catalogue with its hash, visit facts, evidence and counts', async () => {
    const report = await build([cnpVisit()]);
    expect(report.tool).toEqual(TOOL);
    expect(report.browser).toEqual(BROWSER);
    expect(report.exportedAt).toBe('2026-11-24T08:30:00.000Z');
    expect(report.catalogues).toEqual([
      expect.objectContaining({
        id: 'cnp-monespaceclient',
        publisher: 'CNP Assurances',
        policy: { url: 'https://monespaceclient.cnp.fr', document: expect.any(String) },
        date: null,
        sha256: createHash('sha256').update(canonicalJson(cnp)).digest('hex'),
      }),
    ]);
    expect(report.visits[0]).toMatchObject({
      id: 'visit-cnp-1',
      site: 'cnp.fr',
      startedAt: '2026-11-23T10:00:00.000Z',
      endedAt: '2026-11-23T10:03:00.000Z',
      hosts: ['cdn.matomo.cloud', 'monespaceclient.cnp.fr', 'www.google-analytics.com'],
      catalogueIds: ['cnp-monespaceclient'],
    });
    const pk = report.findings.find((f) => f.kind === 'lifetime-exceeds-declared')!;
    expect(pk).toMatchObject({
      visitId: 'visit-cnp-1',
      cookie: { observed: true, name: '_pk_id.1.a1b2', setBy: 'script', writtenAt: '2026-11-23T10:00:00.000Z' },
      entry: { entryId: 'piwik-matomo', lifetime: { text: '1 mois' }, lines: [209, 335] },
      measurement: { actualSeconds: 393 * 86_400, limitAt: null },
    });
    const ga = report.cookies.find((c) => c.name === '_ga')!;
    expect(ga).toMatchObject({ party: 'third', declared: null, lifetime: { requested: { kind: 'seconds' } } });
    expect(report.cookies.find((c) => c.name === 'JSESSIONID')?.declared).toMatchObject({
      printedName: 'Jsessionid',
      match: 'case',
    });
    expect(report.summary.findings).toBe(report.findings.length);
    expect(report.summary.bySeverity.high).toBe(report.findings.filter((f) => f.severity === 'high').length);
    expect(report.summary.byKind['exceeds-cnil-13-months']).toBe(1);
  });

  it('unites several visits of a site, each cookie and finding saying which visit it belongs to', async () => {
    const report = await build([cnpVisit('visit-b', 60), cnpVisit('visit-a', 0)]);
    expect(report.visits.map((visit) => visit.id)).toEqual(['visit-a', 'visit-b']);
    expect(report.cookies).toHaveLength(12);
    expect(new Set(report.findings.map((f) => f.visitId))).toEqual(new Set(['visit-a', 'visit-b']));
    expect(report.summary.findings).toBe(report.visits[0]!.summary.findings * 2);
    expect(report.catalogues).toHaveLength(1);
  });

  it('gives the same bytes for the same visits in any order, and only the export time changes with it', async () => {
    const visits = [cnpVisit('visit-a', 0), cnpVisit('visit-b', 60), amexVisit()];
    const one = await build(visits);
    const two = await build(shuffled(visits), EXPORTED_AT, [amex, cnp]);
    expect(reportJson(two)).toBe(reportJson(one));
    for (const language of ['fr', 'en'] as const) {
      expect(reportCsv(two, language)).toBe(reportCsv(one, language));
      expect(reportHtml(two, language)).toBe(reportHtml(one, language));
    }

    const later = await build(visits, EXPORTED_AT + 3_600_000);
    const untimed = (text: string, report: { exportedAt: string }) => text.replaceAll(report.exportedAt, 'T');
    expect(reportJson(later)).not.toBe(reportJson(one));
    expect(untimed(reportJson(later), later)).toBe(untimed(reportJson(one), one));
    expect(reportCsv(later, 'en')).toBe(reportCsv(one, 'en'));
    expect(untimed(reportHtml(later, 'fr'), later)).toBe(untimed(reportHtml(one, 'fr'), one));
  });

  it('keeps a far-future requested expiry, written as an expanded ISO year', async () => {
    const item = observed({ name: 'forever', requested: 1e12 });
    const report = await build([{ ...cnpVisit(), items: [item] }]);
    expect(report.cookies[0]?.firstWrite.requested).toEqual({ session: false, at: expect.stringMatching(/^\+\d{6}-/) });
  });

  it('refuses to export without the full catalogue it must hash, or with two catalogues under one id', async () => {
    await expect(build([cnpVisit()], EXPORTED_AT, [amex])).rejects.toThrow(/cnp-monespaceclient/);
    await expect(build([cnpVisit()], EXPORTED_AT, [cnp, { ...cnp, title: 'Other' }])).rejects.toThrow(/two different/);
    await expect(build([cnpVisit(), cnpVisit()])).rejects.toThrow(/twice/);
  });
});

describe('the catalogue hash', () => {
  it('is the SHA-256 of canonical JSON, whatever the key order', async () => {
    expect(canonicalJson({ b: [1, { d: null, c: 'é' }], a: true, skipped: undefined })).toBe(
      '{"a":true,"b":[1,{"c":"é","d":null}]}',
    );
    const reordered = Object.fromEntries(Object.entries(cnp).reverse());
    expect(await sha256Hex(canonicalJson(reordered))).toBe(await sha256Hex(canonicalJson(cnp)));
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('no cookie value, anywhere', () => {
  it('adds nothing value-like, and drops a value field were one ever added upstream', async () => {
    const marked = <T extends object>(object: T, tag: string): T => ({
      ...object,
      value: `VALUE-${tag}`,
      rawValue: `VALUE-${tag}`,
    });
    const base = cnpVisit();
    const items = base.items.map((item, i) =>
      marked(
        {
          ...item,
          attributes: marked(
            { secure: true, httpOnly: false, sameSite: 'lax' as const, partitioned: false },
            `attr${i}`,
          ),
          firstWrite: marked(item.firstWrite, `w${i}`),
          lastWrite: marked({ ...item.lastWrite, url: `https://monespaceclient.cnp.fr/set?session=${i}` }, `w${i}`),
          longestWrite: marked(item.longestWrite, `w${i}`),
        },
        `item${i}`,
      ),
    );
    const report: VisitReport = {
      ...base,
      visit: marked(base.visit, 'visit'),
      items,
      findings: base.findings.map((f) =>
        marked(
          { ...f, cookie: f.cookie && marked(f.cookie, 'evidence'), entry: f.entry && marked(f.entry, 'entry') },
          'finding',
        ),
      ),
    };
    const built = await build([report]);
    const outputs = [
      reportJson(built),
      reportCsv(built, 'fr'),
      reportCsv(built, 'en'),
      reportHtml(built, 'fr'),
      reportHtml(built, 'en'),
    ];
    for (const output of outputs) {
      expect(output).not.toContain('VALUE-');
      expect(output).not.toMatch(/"(value|rawValue)"/);
    }
    // What was given is kept as given: a setter URL's query string is the site's address, not a cookie value.
    expect(outputs[0]).toContain('https://monespaceclient.cnp.fr/set?session=0');
  });
});

describe('a visit’s consent, outside a consent audit', () => {
  it('carries the visit’s consent timeline and its unreadable consent cookies, by name and reason only', async () => {
    const report = await build([unreadableConsentVisit()]);
    expect(report.scenarios).toEqual([]);
    expect(report.visits[0]!.consent).toEqual([
      {
        at: '2026-11-23T09:59:59.000Z',
        choice: 'refused',
        granted: null,
        purposes: null,
        platformCategories: null,
        source: { kind: 'banner', rule: 'TagCommander', action: 'opt-out', clicks: 2 },
      },
      {
        at: '2026-11-23T09:59:59.500Z',
        choice: 'accepted-all',
        granted: null,
        purposes: [1, 7],
        platformCategories: ['1', '3'],
        source: { kind: 'signal', platform: 'commanders-act', name: 'TC_PRIVACY' },
      },
    ]);
    // In the order first seen, whatever order the visit kept them in.
    expect(report.visits[0]!.consentProblems).toEqual([
      {
        platform: 'commanders-act',
        name: 'TC_PRIVACY',
        reason: 'malformed',
        count: 3,
        firstAt: '2026-11-23T09:59:58.000Z',
        lastAt: '2026-11-23T10:01:00.000Z',
      },
      {
        platform: 'tcf',
        name: 'euconsent-v2',
        reason: 'too-long',
        count: 1,
        firstAt: '2026-11-23T10:00:00.000Z',
        lastAt: '2026-11-23T10:00:00.000Z',
      },
    ]);
  });

  it('says so when the visit recognised no consent and read every consent cookie', async () => {
    const report = await build([cnpVisit()]);
    expect(report.visits[0]).toMatchObject({ consent: [], consentProblems: [] });
  });

  it('keeps no value: not in the JSON, the CSV or the HTML', async () => {
    const report = await build([unreadableConsentVisit()]);
    const outputs = [reportJson(report), reportCsv(report, 'fr'), reportCsv(report, 'en')];
    outputs.push(reportHtml(report, 'fr'), reportHtml(report, 'en'));
    for (const output of outputs) {
      expect(output).not.toContain(CONSENT_VALUE);
      expect(output).not.toContain('SECRET-CONSENT-VALUE');
      expect(output).not.toMatch(/"value"/);
    }
  });

  it('reads back as it was written, through the schema of either version', async () => {
    const text = reportJson(await build([unreadableConsentVisit(), amexVisit()]));
    const read = v.parse(ReadableReportSchema, JSON.parse(text));
    expect(read).toEqual(JSON.parse(text));
    expect(reportJson(read as AuditReport)).toBe(text);
  });

  it('is an addition to version 2: a version 2 report written without it still reads, and is shown without it', async () => {
    const report = await build([unreadableConsentVisit()]);
    const older = JSON.parse(reportJson(report)) as AuditReport;
    for (const visit of older.visits) {
      delete visit.consent;
      delete visit.consentProblems;
    }
    expect(v.safeParse(AuditReportSchema, older).success).toBe(true);
    const read = v.parse(ReadableReportSchema, older);
    expect(read.visits[0]).not.toHaveProperty('consent');
    // The report says nothing of what it does not hold: not "no consent recognised".
    expect(reportHtml(read as AuditReport, 'en')).not.toContain('Consent timeline');
    expect(reportHtml(report, 'en')).toContain('Consent timeline');
    // The JSON Schema does not require them either, so that older version 2 reports still validate against it.
    const schema = reportJsonSchema() as { properties: { visits: { items: { required: string[] } } } };
    expect(schema.properties.visits.items.required).toEqual(expect.arrayContaining(['id', 'summary']));
    expect(schema.properties.visits.items.required).not.toContain('consent');
    expect(schema.properties.visits.items.required).not.toContain('consentProblems');
  });
});

describe('a consent audit’s report', () => {
  it('has one scenario per scenario run, in order, with its banner, pages, timeline, cookies and findings', async () => {
    const report = await scenarioReport();
    expect(v.safeParse(AuditReportSchema, JSON.parse(reportJson(report))).success).toBe(true);
    expect(report.scenarios.map((s) => [s.name, s.status, s.visitId])).toEqual([
      ['none', 'run', 'visit-none'],
      ['refuse', 'run', 'visit-refuse'],
      ['accept', 'banner-not-recognised', null],
    ]);
    const [none, refuse, accept] = report.scenarios;
    expect(refuse!.banner).toEqual({
      status: 'answered',
      rule: 'Commanders Act',
      action: 'opt-out',
      clicks: 2,
      at: '2026-11-23T10:05:02.000Z',
    });
    expect(refuse!.pageUrls).toEqual(['https://monespaceclient.cnp.fr/', 'https://monespaceclient.cnp.fr/contrats']);
    // Followed links are kept as evidence addresses: no query, no fragment.
    expect(refuse!.followed).toEqual(['https://monespaceclient.cnp.fr/contrats']);
    expect(refuse!.consent.map((c) => [c.at, c.choice, c.source.kind])).toEqual([
      ['2026-11-23T10:05:00.000Z', 'no-choice', 'signal'],
      ['2026-11-23T10:05:02.000Z', 'refused', 'banner'],
    ]);
    expect(refuse!.cookies.map((c) => c.name)).toContain('_gid');
    expect(none!.cookies.map((c) => c.name)).not.toContain('_gid');
    // A scenario's cookies and findings are those of its visit in the top-level lists, which keep their meaning.
    expect(refuse!.cookies).toHaveLength(report.cookies.filter((c) => c.visitId === 'visit-refuse').length);
    expect(refuse!.findings.map((f) => f.id).sort()).toEqual(
      report.findings
        .filter((f) => f.visitId === 'visit-refuse')
        .map((f) => f.id)
        .sort(),
    );
    expect(refuse!.summary?.cookies).toBe(7);
    expect(report.visits.map((visit) => visit.id)).toEqual(['visit-none', 'visit-refuse']);
    expect(accept).toMatchObject({ error: 'banner not recognised: scenario not run', summary: null, cookies: [] });
  });

  it('keeps no value anywhere: not in the timeline, not in a followed link', async () => {
    const report = await scenarioReport();
    expect(reportJson(report)).not.toContain(SECRET);
    expect(reportCsv(report, 'en')).not.toContain(SECRET);
    expect(reportHtml(report, 'fr')).not.toContain(SECRET);
  });

  it('refuses a scenario naming a visit it was not given', async () => {
    await expect(
      buildReport({
        visits: [],
        catalogues: [cnp],
        tool: TOOL,
        browser: BROWSER,
        exportedAt: EXPORTED_AT,
        scenarios: [scenarioInputs()[0]!],
      }),
    ).rejects.toThrow(/scenario "none" names a visit not given/);
  });
});

describe('reading reports of either version', () => {
  /** A report as version 1 wrote it: no scenarios, and no count of a kind added since. */
  async function versionOne(): Promise<Record<string, unknown>> {
    const json = JSON.parse(reportJson(await build([cnpVisit()]))) as Record<string, unknown> & {
      summary: { byKind: Record<string, number> };
    };
    delete json.scenarios;
    delete json.summary.byKind['vendor-default-contradiction'];
    for (const visit of json.visits as Array<Record<string, unknown>>) {
      delete visit.consent;
      delete visit.consentProblems;
    }
    return { ...json, reportFormatVersion: 1 };
  }

  it('reads a version 1 report as one without scenarios, counting a kind it does not know 0', async () => {
    const old = await versionOne();
    expect(v.safeParse(AuditReportSchema, old).success).toBe(false);
    const read = v.parse(ReadableReportSchema, old);
    expect(read.reportFormatVersion).toBe(1);
    expect(read.scenarios).toEqual([]);
    expect(read.summary.byKind['vendor-default-contradiction']).toBe(0);
    expect(read.cookies).toEqual(old.cookies);
  });

  it('reads a version 2 report as it is, and refuses a version it does not know', async () => {
    const current = JSON.parse(reportJson(await scenarioReport()));
    expect(v.parse(ReadableReportSchema, current)).toEqual(current);
    expect(v.safeParse(ReadableReportSchema, { ...current, reportFormatVersion: 3 }).success).toBe(false);
    expect(v.safeParse(ReadableReportSchema, { ...current, scenarios: undefined }).success).toBe(false);
  });
});
