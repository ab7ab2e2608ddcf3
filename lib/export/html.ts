import { FINDING_KINDS, SEVERITIES } from '../audit/findings';
import { describeLifetime, formatDuration } from '../audit/lifetime';
import { html, isWebUrl, Markup, type Part } from './markup';
import { sayIn, t, type Language } from '../strings';
import { consentProblemText } from '../consent/signals/problem-text';
import type {
  AuditReport,
  ReportCatalogue,
  ReportConsentProblem,
  ReportCookie,
  ReportFinding,
  ReportScenario,
  ReportVisit,
} from './report-schema';
import { bannerText, consentChangeText, scenarioLabel } from './scenario-text';
import {
  consentBasisOfFinding,
  consentBasisText,
  consentExcerptText,
  consentSourceText,
  consentStateText,
  kindLabel,
  lifetimeText,
  sourceText,
} from './text';

/**
 * The report as one self-contained HTML page (docs/report-format.md): inline style only, a Content-Security-Policy
 * that lets nothing load, print rules (a page per visit, no backgrounds). Every piece of data is escaped by `html`.
 */
const WORD_NAMES = [
  'title',
  'intro',
  'exportedAt',
  'tool',
  'browser',
  'format',
  'summary',
  'bySeverity',
  'byKind',
  'count',
  'total',
  'cookiesSeen',
  'needingAttention',
  'catalogues',
  'noCatalogue',
  'publisher',
  'policy',
  'document',
  'date',
  'entries',
  'rules',
  'language',
  'sha256',
  'visit',
  'site',
  'topHost',
  'start',
  'end',
  'pages',
  'pageUrls',
  'hosts',
  'container',
  'private',
  'yes',
  'no',
  'applied',
  'none',
  'cookies',
  'name',
  'domain',
  'path',
  'store',
  'party',
  'setBy',
  'lifetime',
  'declaredAs',
  'firstSeen',
  'notDeclared',
  'findings',
  'noFindings',
  'kind',
  'cookie',
  'notObserved',
  'setter',
  'writtenAt',
  'firstDeposit',
  'renewals',
  'declaredLifetime',
  'actualLifetime',
  'measurement',
  'allowed',
  'actual',
  'tolerance',
  'basis',
  'limitAt',
  'endsAt',
  'entry',
  'match',
  'rule',
  'notes',
  'coverage',
  'excerpt',
  'published',
  'updated',
  'effective',
  'consentState',
  'consentBasis',
  'consentContradiction',
  'banner',
  'consent',
  'consentTimeline',
  'noConsentChange',
  'consentProblems',
] as const;

type Words = Record<(typeof WORD_NAMES)[number], string>;

/** The report's words in a language, from the string table (its keys `reportHtml_<name>`). */
function wordsIn(language: Language): Words {
  return Object.fromEntries(WORD_NAMES.map((name) => [name, t(language, `reportHtml_${name}`)])) as Words;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; max-width: 1100px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #999; } h3 { font-size: 1.1rem; } h4 { margin: 0 0 .3rem; font-size: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #bbb; padding: .25rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f0f0f0; overflow-wrap: normal; } td.count { text-align: right; white-space: nowrap; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .4rem 0; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
ul.plain { margin: 0; padding-left: 1.1rem; }
.finding { border: 1px solid #bbb; border-left: 6px solid #888; padding: .5rem .8rem; margin: .8rem 0; }
.sev-high { border-left-color: #b3261e; } .sev-medium { border-left-color: #c77c00; } .sev-low { border-left-color: #3f6fb5; }
.severity { font-weight: 700; text-transform: uppercase; font-size: .8em; letter-spacing: .04em; }
blockquote { margin: .4rem 0; padding: .2rem .8rem; border-left: 3px solid #999; white-space: pre-wrap; }
.source { color: #555; font-size: .9em; } td.time { white-space: nowrap; }
@page { margin: 15mm; }
@media print {
  * { background: none !important; box-shadow: none !important; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; color: #000; }
  .visit { break-before: page; }
  .finding, tr, dl { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}`;

export function reportHtml(report: AuditReport, language: Language): string {
  const w = wordsIn(language);
  const sites = [...new Set(report.visits.map((visit) => visit.site))].join(', ');
  const page = html`<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${w.title} — ${sites}</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<header>
<h1>${w.title} — ${sites}</h1>
<p>${w.intro}</p>
<dl>
<dt>${w.exportedAt}</dt><dd>${report.exportedAt}</dd>
<dt>${w.tool}</dt><dd>${report.tool.name} ${report.tool.version}</dd>
<dt>${w.browser}</dt><dd>${report.browser.name} ${report.browser.version}</dd>
<dt>${w.format}</dt><dd>${report.reportFormatVersion}</dd>
</dl>
</header>
<section>
<h2>${w.summary}</h2>
${summary(report.summary, w, language)}
</section>
${report.scenarios.length > 0 ? scenariosSection(report, w, language) : ''}
<section>
<h2>${w.catalogues}</h2>
${report.catalogues.length > 0 ? report.catalogues.map((catalogue) => catalogueSection(catalogue, w)) : html`<p>${w.noCatalogue}</p>`}
</section>
${report.visits.map((visit, index) => visitSection(report, visit, index, w, language))}
</body>
</html>
`;
  return page.text;
}

/** A visit's summary lists only the kinds it found; the report's lists them all. */
function summary(counts: AuditReport['summary'], w: Words, language: Language, allKinds = true): Markup {
  const kinds = FINDING_KINDS.filter((k) => allKinds || counts.byKind[k] > 0);
  return html`<dl>
<dt>${w.cookiesSeen}</dt><dd>${counts.cookies}</dd>
<dt>${w.findings}</dt><dd>${counts.findings}</dd>
<dt>${w.needingAttention}</dt><dd>${counts.needingAttention}</dd>
</dl>
<table><thead><tr><th scope="col">${w.bySeverity}</th><th scope="col">${w.count}</th></tr></thead><tbody>
${SEVERITIES.map((s) => html`<tr><td>${t(language, `severity_${s}`)}</td><td class="count">${counts.bySeverity[s]}</td></tr>\n`)}
</tbody></table>
<table><thead><tr><th scope="col">${w.byKind}</th><th scope="col">${w.count}</th></tr></thead><tbody>
${kinds.map((k) => html`<tr><td>${kindLabel(k, language)} (<code>${k}</code>)</td><td class="count">${counts.byKind[k]}</td></tr>\n`)}
</tbody></table>`;
}

/**
 * A consent audit: what each scenario's banner came to and where it went, then one row per cookie or storage key any
 * scenario saw, with a column per scenario: seen, not seen, or the kinds of the findings about it there.
 */
function scenariosSection(report: AuditReport, w: Words, language: Language): Markup {
  const { scenarios } = report;
  const say = (key: ScenarioWord, ...substitutions: Array<string | number>) => t(language, key, ...substitutions);
  const list = (items: readonly string[]) =>
    items.length > 0 ? html`<ul class="plain">${items.map((item) => html`<li>${item}</li>`)}</ul>` : w.none;
  const row = (label: string, cell: (scenario: ReportScenario) => Part) =>
    html`<tr><th scope="row">${label}</th>${scenarios.map((scenario) => html`<td>${cell(scenario)}</td>`)}</tr>`;
  const kindsOf = scenarioFindings(report);
  const cookies = new Map<string, { store: string; domain: string; name: string; path: string }>();
  for (const scenario of scenarios) for (const cookie of scenario.cookies) cookies.set(cookieKey(cookie), cookie);
  const rows = [...cookies.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const cell = (scenario: ReportScenario, key: string): Part => {
    if (scenario.visitId === null) return html`<em>${say('scenario_notRun')}</em>`;
    if (!scenario.cookies.some((cookie) => cookieKey(cookie) === key)) return say('scenario_notSeen');
    const kinds = kindsOf.get(`${scenario.visitId}\u0000${key}`);
    if (!kinds) return say('scenario_seen');
    return kinds.map((kind, i) => html`${i > 0 ? '; ' : ''}${kindLabel(kind, language)} (<code>${kind}</code>)`);
  };
  return html`<section>
<h2>${say('scenario_htmlTitle')}</h2>
<p>${say('scenario_htmlIntro')}</p>
<table>
<thead><tr><th scope="col"></th>${scenarios.map((scenario) => html`<th scope="col">${scenarioLabel(scenario, language)} (<code>${scenario.name}</code>)</th>`)}</tr></thead>
<tbody>
${row(say('scenario_banner'), (scenario) => bannerText(scenario, language))}
${row(say('scenario_pages'), (scenario) => list(scenario.pageUrls))}
${row(say('scenario_followed'), (scenario) => list(scenario.followed))}
${row(say('scenario_consent'), (scenario) => list(scenario.consent.map((change) => consentChangeText(change, language))))}
${row(w.cookiesSeen, (scenario) => scenario.summary?.cookies ?? '—')}
${row(w.findings, (scenario) => scenario.summary?.findings ?? '—')}
${row(w.needingAttention, (scenario) => scenario.summary?.needingAttention ?? '—')}
</tbody>
</table>
<h3>${say('scenario_cookies')}</h3>
<table>
<thead><tr><th scope="col">${say('scenario_cookie')}</th>${scenarios.map((scenario) => html`<th scope="col">${scenarioLabel(scenario, language)}</th>`)}</tr></thead>
<tbody>
${rows.map(
  ([key, cookie]) =>
    html`<tr><td><code>${cookie.name}</code> · ${cookie.domain} · ${cookie.path} · ${cookie.store}</td>${scenarios.map((scenario) => html`<td>${cell(scenario, key)}</td>`)}</tr>\n`,
)}
</tbody>
</table>
</section>
`;
}

type ScenarioWord = Extract<Parameters<typeof t>[1], `scenario_${string}`>;

function cookieKey(cookie: { store: string; domain: string; name: string; path: string }): string {
  return [cookie.store, cookie.domain, cookie.name, cookie.path].join('\u0000');
}

/** The kinds found about each observed cookie, by visit and cookie. */
function scenarioFindings(report: AuditReport): Map<string, ReportFinding['kind'][]> {
  const kinds = new Map<string, ReportFinding['kind'][]>();
  for (const finding of report.findings) {
    if (!finding.cookie.observed) continue;
    const key = `${finding.visitId}\u0000${cookieKey(finding.cookie)}`;
    const list = kinds.get(key) ?? [];
    if (!list.includes(finding.kind)) list.push(finding.kind);
    kinds.set(key, list);
  }
  return kinds;
}

function catalogueSection(catalogue: ReportCatalogue, w: Words): Markup {
  const { policy, date } = catalogue;
  return html`<h3>${catalogue.title}</h3>
<dl>
<dt>id</dt><dd><code>${catalogue.id}</code></dd>
<dt>${w.publisher}</dt><dd>${catalogue.publisher}</dd>
<dt>${w.policy}</dt><dd>${policy.url === null ? '—' : isWebUrl(policy.url) ? html`<a href="${policy.url}" rel="noreferrer">${policy.url}</a>` : policy.url}</dd>
<dt>${w.document}</dt><dd>${policy.document ?? '—'}</dd>
<dt>${w.date}</dt><dd>${date ? html`${date.value} (${w[date.meaning]}: « ${date.text} »)` : '—'}</dd>
<dt>${w.language}</dt><dd>${catalogue.language}</dd>
<dt>${w.entries}</dt><dd>${catalogue.entries}</dd>
<dt>${w.rules}</dt><dd>${catalogue.rules}</dd>
<dt>${w.sha256}</dt><dd><code>${catalogue.sha256}</code></dd>
</dl>
`;
}

function visitSection(report: AuditReport, visit: ReportVisit, index: number, w: Words, language: Language): Markup {
  const cookies = report.cookies.filter((cookie) => cookie.visitId === visit.id);
  const findings = report.findings.filter((finding) => finding.visitId === visit.id);
  const list = (items: string[]) =>
    items.length > 0 ? html`<ul class="plain">${items.map((item) => html`<li>${item}</li>`)}</ul>` : w.none;
  return html`<section class="visit">
<h2>${w.visit} ${index + 1} — ${visit.site} — ${visit.startedAt}</h2>
<dl>
<dt>id</dt><dd><code>${visit.id}</code></dd>
<dt>${w.site}</dt><dd>${visit.site}</dd>
<dt>${w.topHost}</dt><dd>${visit.topHost}</dd>
<dt>${w.start}</dt><dd>${visit.startedAt}</dd>
<dt>${w.end}</dt><dd>${visit.endedAt}</dd>
<dt>${w.pages}</dt><dd>${visit.pages}</dd>
<dt>${w.pageUrls}</dt><dd>${list(visit.pageUrls)}</dd>
<dt>${w.hosts}</dt><dd>${list(visit.hosts)}</dd>
<dt>${w.container}</dt><dd>${visit.storeId ?? '—'}</dd>
<dt>${w.private}</dt><dd>${visit.private ? w.yes : w.no}</dd>
<dt>${w.applied}</dt><dd>${visit.catalogueIds.length > 0 ? visit.catalogueIds.join(', ') : w.none}</dd>
</dl>
${summary(visit.summary, w, language, false)}
${visitConsent(visit, w, language)}
<h3>${w.cookies}</h3>
<table>
<thead><tr><th scope="col">${w.name}</th><th scope="col">${w.domain}</th><th scope="col">${w.path}</th><th scope="col">${w.store}</th><th scope="col">${w.party}</th><th scope="col">${w.setBy}</th><th scope="col">${w.lifetime}</th><th scope="col">${w.declaredAs}</th><th scope="col">${w.firstSeen}</th></tr></thead>
<tbody>
${cookies.map((cookie) => cookieRow(cookie, w, language))}
</tbody>
</table>
<h3>${w.findings}</h3>
${findings.length > 0 ? findings.map((finding) => findingArticle(finding, w, language)) : html`<p>${w.noFindings}</p>`}
</section>
`;
}

/**
 * The visit's consent timeline and the consent cookies it could not read (by name and reason: never a value). A report
 * written before these were exported has neither, and says nothing of them.
 */
function visitConsent(visit: ReportVisit, w: Words, language: Language): Markup | '' {
  const { consent, consentProblems = [] } = visit;
  if (consent === undefined && consentProblems.length === 0) return '';
  const changes = consent ?? [];
  return html`<h3>${w.consent}</h3>
<dl>
<dt>${w.consentTimeline}</dt><dd>${
    changes.length > 0
      ? html`<ul class="plain">${changes.map((change) => html`<li>${consentChangeText(change, language)}</li>`)}</ul>`
      : w.noConsentChange
  }</dd>
${
  consentProblems.length > 0
    ? html`<dt>${w.consentProblems}</dt><dd><ul class="plain">${consentProblems.map(
        (problem) => html`<li>${consentProblemText(sayIn(language), problem)} (${problemSeen(problem, language)})</li>`,
      )}</ul></dd>
`
    : ''
}</dl>
`;
}

function problemSeen(problem: ReportConsentProblem, language: Language): string {
  return problem.count === 1
    ? t(language, 'reportHtml_consentProblemSeenOnce', problem.firstAt)
    : t(language, 'reportHtml_consentProblemSeen', problem.count, problem.firstAt, problem.lastAt);
}

function cookieRow(cookie: ReportCookie, w: Words, language: Language): Markup {
  const { declared } = cookie;
  return html`<tr><td><code>${cookie.name}</code></td><td>${cookie.domain}</td><td>${cookie.path}</td><td>${cookie.store}</td><td>${cookie.party}</td><td>${cookie.longestWrite.by}</td><td>${lifetimeText(cookie.lifetime.requested, language)} / ${lifetimeText(cookie.lifetime.stored, language)}</td><td>${
    declared
      ? html`<code>${declared.printedName}</code> (${declared.category}): « ${declared.lifetime.text} »`
      : html`<em>${w.notDeclared}</em>`
  }</td><td class="time">${cookie.firstSeen}</td></tr>\n`;
}

/** The consent evidence: the state at the judged write, the basis and whose word it is, the banner's clicks. */
function consentRows(finding: ReportFinding, w: Words, language: Language): Array<[string, Part]> {
  const rows: Array<[string, Part]> = [];
  const { consent } = finding;
  const state = consentStateText(consent, language);
  if (state) rows.push([w.consentState, state]);
  if (consent?.contradictedBy) {
    const { contradictedBy } = consent;
    rows.push([w.consentContradiction, `${consentSourceText(contradictedBy, language)}, ${contradictedBy.at}`]);
  }
  const basis = consentBasisOfFinding(finding);
  if (basis) {
    const where = basis.from === 'regulator' ? basis.source : sourceText(basis);
    rows.push([
      w.consentBasis,
      html`${consentBasisText(basis, language)} — « ${consentExcerptText(basis, language)} » (${where})`,
    ]);
  }
  if (consent?.banner) {
    const { banner } = consent;
    rows.push([w.banner, html`<code>${banner.rule}</code> · ${banner.refuseClicks} / ${banner.acceptClicks}`]);
  }
  return rows;
}

function findingArticle(finding: ReportFinding, w: Words, language: Language): Markup {
  const { cookie, entry, rule, measurement, coverage } = finding;
  const declarations = [rule, entry].filter((declaration) => declaration !== null);
  const seconds = (value: number | null) => (value === null ? '—' : formatDuration(value, sayIn(language)));
  const rows: Array<[string, Part]> = [[w.kind, html`<code>${finding.kind}</code>`]];
  if (cookie.observed) {
    rows.push(
      [
        w.cookie,
        html`<code>${cookie.name}</code> · ${cookie.domain} · ${cookie.path} · ${cookie.store} · ${cookie.party}`,
      ],
      [w.setter, html`${cookie.setBy}${cookie.setterUrl ? html` — ${cookie.setterUrl}` : ''}`],
      [w.writtenAt, cookie.writtenAt],
      [w.firstSeen, cookie.firstSeen],
      [w.firstDeposit, cookie.firstDeposit],
      [w.renewals, cookie.renewals],
      [w.actualLifetime, html`${lifetimeText(cookie.requested, language)} / ${lifetimeText(cookie.stored, language)}`],
    );
  } else {
    rows.push([w.cookie, html`<code>${cookie.name}</code> · ${cookie.domain} (${w.notObserved})`]);
  }
  for (const { lifetime } of declarations) {
    rows.push([w.declaredLifetime, html`« ${lifetime.text} » (${describeLifetime(lifetime.parsed, sayIn(language))})`]);
  }
  if (measurement) {
    const { allowedSeconds, actualSeconds, toleranceSeconds, basis, limitAt, endsAt } = measurement;
    rows.push([
      w.measurement,
      html`${w.allowed} ${seconds(allowedSeconds)}, ${w.actual} ${seconds(actualSeconds)}, ${w.tolerance} ${seconds(toleranceSeconds)}, ${w.basis} <code>${basis}</code>${
        limitAt ? html`; ${w.limitAt} ${limitAt}` : ''
      }${endsAt ? html`; ${w.endsAt} ${endsAt}` : ''}`,
    ]);
  }
  if (entry) {
    const name = entry.printedName ? html` · <code>${entry.printedName}</code>` : '';
    const vendor = entry.vendor ? html` · ${entry.vendor}` : '';
    rows.push([
      w.entry,
      html`<code>${entry.catalogueId}/${entry.entryId}</code>${name}${vendor} · ${entry.category} · ${entry.purpose}`,
    ]);
  }
  if (finding.match) rows.push([w.match, html`<code>${finding.match}</code>`]);
  if (rule) rows.push([w.rule, html`<code>${rule.catalogueId}/${rule.ruleId}</code> (${rule.appliesTo})`]);
  if (coverage) {
    rows.push([
      w.coverage,
      html`${coverage.startedAt} → ${coverage.endedAt}, ${coverage.pages} ${w.pages.toLowerCase()}, ${coverage.hosts.join(', ')}`,
    ]);
  }
  rows.push(...consentRows(finding, w, language));
  if (finding.notes.length > 0) rows.push([w.notes, finding.notes.join('; ')]);

  return html`<article class="finding sev-${finding.severity}">
<h4><span class="severity">${t(language, `severity_${finding.severity}`)}</span> · ${kindLabel(finding.kind, language)}${cookie.name ? html` — <code>${cookie.name}</code>` : ''}</h4>
<p>${finding.explanation[language]}</p>
<dl>
${rows.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>\n`)}</dl>
${declarations.map(
  (declaration) => html`<blockquote>${declaration.excerpt}</blockquote>
<p class="source">${w.excerpt}: ${sourceText(declaration)}</p>
`,
)}</article>
`;
}
