import type { VisitReport } from '../../lib/audit/visit-report';
import type { ConsentChange } from '../../lib/consent/consent-state';
import { buildReport, type ScenarioInput } from '../../lib/export/report';
import { BROWSER, cnp, cnpVisit, EXPORTED_AT, TOOL } from './export-visits';
import { NOW } from './observed';

/** A value a site wrote: it must show up nowhere in a report. */
export const SECRET = 'SECRET-VALUE-4f1c';

/**
 * A consent audit of the CNP site: `none` saw the CNP cookies, `refuse` the same plus a late `_gid` after refusing
 * (with its timeline), `accept` found no banner a rule recognised. Test support only.
 */
export function scenarioVisits(): { none: VisitReport; refuse: VisitReport } {
  const none = cnpVisit('visit-none');
  const refuse = cnpVisit('visit-refuse', 5, [{ name: '_gid', by: 'script', requested: 86_400 }]);
  const refused: ConsentChange = {
    at: NOW + 5 * 60_000 + 2000,
    choice: 'refused',
    granted: null,
    purposes: null,
    platformCategories: null,
    source: { kind: 'banner', rule: 'Commanders Act', action: 'opt-out', clicks: 2 },
  };
  // A value slipped in upstream must be dropped by the report's schema.
  refuse.visit.consent = [
    {
      at: NOW + 5 * 60_000,
      choice: 'no-choice',
      granted: null,
      purposes: null,
      platformCategories: null,
      source: { kind: 'signal', platform: 'commanders-act', name: 'TC_PRIVACY' },
      value: SECRET,
    } as ConsentChange,
    refused,
  ];
  return { none, refuse };
}

export function scenarioInputs(): ScenarioInput[] {
  return [
    {
      name: 'none',
      status: 'run',
      error: null,
      banner: { status: 'answered', rule: 'Commanders Act', action: null, clicks: null, at: NOW + 1000 },
      followed: ['https://monespaceclient.cnp.fr/contrats'],
      visitId: 'visit-none',
    },
    {
      name: 'refuse',
      status: 'run',
      error: null,
      banner: { status: 'answered', rule: 'Commanders Act', action: 'opt-out', clicks: 2, at: NOW + 5 * 60_000 + 2000 },
      followed: [`https://monespaceclient.cnp.fr/contrats?session=${SECRET}#x`],
      visitId: 'visit-refuse',
    },
    {
      name: 'accept',
      status: 'banner-not-recognised',
      error: 'banner not recognised: scenario not run',
      banner: { status: 'not-recognised', rule: null, action: null, clicks: null, at: NOW + 9 * 60_000 },
      followed: [],
      visitId: null,
    },
  ];
}

export async function scenarioReport() {
  const { none, refuse } = scenarioVisits();
  return buildReport({
    visits: [{ report: none }, { report: refuse }],
    catalogues: [cnp],
    tool: TOOL,
    browser: BROWSER,
    exportedAt: EXPORTED_AT,
    scenarios: scenarioInputs(),
  });
}
