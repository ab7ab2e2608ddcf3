import type { VisitReport } from '../../../lib/audit/visit-report';
import type { FixtureSite } from '../fixtures/sites';

// What a visit's report says of its cookies, and what it should say of a fixture site's (tests/e2e/fixtures/sites.ts):
// shared by the tests that check the attribution.

export const cookieNames = (report: VisitReport) =>
  report.items
    .filter((i) => i.store === 'cookie')
    .map((i) => i.name)
    .sort();
const setBy = { header: 'header', 'iframe-header': 'header', script: 'script', 'iframe-script': 'script' } as const;

/** What the recorded cookies of a visit to `site` should say (name, domain, party, who set it), from the fixture data. */
export function expected(site: FixtureSite) {
  return site.cookies
    .map((c) => ({
      name: c.name,
      domain: c.from === site.host || c.by === 'script' ? site.host : c.from,
      party: c.party,
      setBy: setBy[c.by],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** What the report says of its cookies, in the shape of `expected`. */
export function recorded(report: VisitReport) {
  return report.items
    .filter((i) => i.store === 'cookie')
    .map((i) => ({ name: i.name, domain: i.domain, party: i.party, setBy: i.firstWrite.by }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
