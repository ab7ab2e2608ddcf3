import { describe, expect, it } from 'vitest';
import { reportHtml } from './html';
import { buildReport } from './report';
import {
  BROWSER,
  cnp,
  cnpSilentOnConsent,
  cnpVisit,
  consentVisit,
  EXPORTED_AT,
  hostileCatalogue,
  hostileVisit,
  TOOL,
  unreadableConsentVisit,
} from '../../tests/support/export-visits';
import { scenarioReport } from '../../tests/support/scenario-report';

const IMG = '<img src=x onerror=alert(1)>';
const STYLE_BREAK = '</style><script>alert(1)</script>';

async function page(language: 'fr' | 'en', url: string | null = 'https://monespaceclient.cnp.fr') {
  const catalogue = hostileCatalogue(
    { 'piwik-matomo': `Matomo ${STYLE_BREAK} "1 mois" & more` },
    url?.startsWith('http') ? url : null,
  );
  catalogue.publisher = '<b onclick="x()">CNP</b>';
  const report = await buildReport({
    visits: [{ report: hostileVisit(catalogue, [IMG, `x" onmouseover="alert(1)`]) }],
    catalogues: [catalogue],
    tool: TOOL,
    browser: BROWSER,
    exportedAt: EXPORTED_AT,
  });
  // Catalogues refuse any other address; a report file edited by hand may still hold one.
  report.catalogues[0]!.policy.url = url;
  return reportHtml(report, language);
}

const TAGS = new Set(
  'html head meta title style body header section h1 h2 h3 h4 p dl dt dd table thead tbody tr th td code ul li a em article span blockquote'.split(
    ' ',
  ),
);
const ATTRIBUTES = new Set(['lang', 'charset', 'http-equiv', 'content', 'name', 'href', 'rel', 'class', 'scope']);

/** Every tag of the page, with its attributes: a small check that data injected none. */
function tags(text: string): Array<{ tag: string; attributes: string[]; rest: string }> {
  return [...text.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map((m) => {
    const attributes = [...m[2]!.matchAll(/\s([a-zA-Z-]+)="[^"]*"/g)].map((a) => a[1]!);
    return { tag: m[1]!.toLowerCase(), attributes, rest: m[2]!.replace(/\s([a-zA-Z-]+)="[^"]*"/g, '').trim() };
  });
}

describe('the HTML report', () => {
  it('escapes every piece of data: no tag or attribute comes from a cookie name or policy text', async () => {
    for (const language of ['fr', 'en'] as const) {
      const text = await page(language);
      expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(text).toContain('&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(text).toContain('&lt;b onclick=&quot;x()&quot;&gt;CNP&lt;/b&gt;');
      expect(text).toContain('x&quot; onmouseover=&quot;alert(1)');
      expect(text).not.toMatch(/<img|<script|<b\b/i);
      expect(text.split('onerror=').length).toBe(text.split('&lt;img src=x onerror=alert(1)&gt;').length);
      for (const { tag, attributes, rest } of tags(text)) {
        expect(TAGS).toContain(tag);
        for (const attribute of attributes) expect(ATTRIBUTES).toContain(attribute);
        expect(rest).toBe('');
      }
      expect(text.match(/<style>/g)).toHaveLength(1);
      expect(text.match(/<\/style>/g)).toHaveLength(1);
    }
  });

  it('loads nothing: inline style only, a CSP that forbids the rest, and the policy only as a plain link', async () => {
    const report = await buildReport({
      visits: [{ report: cnpVisit() }],
      catalogues: [cnp],
      tool: TOOL,
      browser: BROWSER,
      exportedAt: EXPORTED_AT,
    });
    const text = reportHtml(report, 'en');
    expect(text).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
    expect(text).not.toMatch(/\ssrc=|<link|url\(|@import|@font-face|<iframe|<object|<embed/i);
    const links = [...text.matchAll(/<a ([^>]*)>/g)].map((m) => m[1]);
    expect(links).toEqual(['href="https://monespaceclient.cnp.fr" rel="noreferrer"']);
    const unsafe = await page('en', 'javascript:alert(1)');
    expect(unsafe).not.toContain('href=');
    expect(unsafe).toContain('javascript:alert(1)');
  });

  it('is a complete document that prints a page per visit, with the catalogue hash, visit facts and evidence', async () => {
    const text = await page('en');
    expect(text.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(text.endsWith('</html>\n')).toBe(true);
    expect(text).toMatch(/@media print \{[^]*\.visit \{ break-before: page; \}/);
    expect(text).toMatch(/SHA-256 of the catalogue<\/dt><dd><code>[0-9a-f]{64}<\/code>/);
    expect(text).toContain('2026-11-23T10:03:00.000Z');
    expect(text).toContain('« 1 mois » (1 month)');
    expect(text).toContain('393 days / 393 days');
    expect(text).toContain('script — https://example.test/set');
    expect(text).toContain('000_f2dd0101e5f31d62.txt:209-335');
  });

  it('speaks French or English', async () => {
    const [fr, en] = [await page('fr'), await page('en')];
    expect(fr).not.toBe(en);
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain('<h2>Synthèse</h2>');
    expect(en).toContain('<h2>Summary</h2>');
    expect(fr).toContain('vit 393 jours, plus longtemps que la durée déclarée (1 mois)');
    expect(en).toContain('lives 393 days, longer than the declared 1 month');
    expect(fr).not.toContain('Findings by kind');
  });

  it('shows the consent state at the write, the overruled site signal and the basis, never a value', async () => {
    const built = await buildReport({
      visits: [{ report: consentVisit(undefined, cnpSilentOnConsent) }],
      catalogues: [cnpSilentOnConsent],
      tool: TOOL,
      browser: BROWSER,
      exportedAt: EXPORTED_AT,
    });
    const en = reportHtml(built, 'en');
    expect(en).toContain(
      '<dt>Consent state at the write</dt><dd>refused — Cookie Lens’s answer to the banner (TagCommander)',
    );
    expect(en).toContain(
      '<dt>Contrary site signal (overruled)</dt><dd>the site’s consent record TC_PRIVACY (commanders-act), 2026-11-23T09:59:59.500Z</dd>',
    );
    expect(en).toMatch(
      /<dt>Consent basis<\/dt><dd>needs consent, by the CNIL’s rule, the policy saying nothing — « Under the CNIL’s guidelines/,
    );
    const fr = reportHtml(built, 'fr');
    expect(fr).toContain('<dt>État du consentement au dépôt</dt><dd>refusé — la réponse de Cookie Lens à la bannière');
    for (const page of [en, fr]) expect(page).not.toContain('SECRET-CONSENT-VALUE');
    // With the CNP's own catalogue, the basis is the policy's word, cited with its lines.
    const own = await buildReport({
      visits: [{ report: consentVisit() }],
      catalogues: [cnp],
      tool: TOOL,
      browser: BROWSER,
      exportedAt: EXPORTED_AT,
    });
    expect(reportHtml(own, 'en')).toMatch(
      /<dt>Consent basis<\/dt><dd>needs consent, as the policy says of its category — « nous vous demandons d’accepter [^»]*» \(000_f2dd0101e5f31d62\.txt:83-341\)/,
    );
  });
});

describe('the HTML report of a visit’s consent', () => {
  const built = (report = unreadableConsentVisit()) =>
    buildReport({ visits: [{ report }], catalogues: [cnp], tool: TOOL, browser: BROWSER, exportedAt: EXPORTED_AT });
  /** The visit's consent section: from its heading to the cookies' table. */
  const section = (text: string, heading: string) =>
    text.slice(text.indexOf(`<h3>${heading}</h3>`), text.indexOf('<table', text.indexOf(`<h3>${heading}</h3>`)));

  it('shows the timeline and the consent cookies that could not be read, in English and French', async () => {
    const report = await built();
    const en = section(reportHtml(report, 'en'), 'Consent');
    expect(en).toContain('<dt>Consent timeline</dt>');
    expect(en).toContain('<li>2026-11-23T09:59:59.000Z refused (TagCommander opt-out)</li>');
    expect(en).toContain('<li>2026-11-23T09:59:59.500Z accepted all: TCF 1, TCF 7 (commanders-act TC_PRIVACY)</li>');
    expect(en).toContain('<dt>Consent cookies that could not be read</dt>');
    expect(en).toContain(
      'The consent cookie TC_PRIVACY (Commanders Act) could not be read: its value is not in the format Commanders Act writes. The consent it records is unknown. (seen 3 times, from 2026-11-23T09:59:58.000Z to 2026-11-23T10:01:00.000Z)',
    );
    expect(en).toContain(
      'The consent cookie euconsent-v2 (IAB TCF) could not be read: its value is longer than a browser keeps. The consent it records is unknown. (seen at 2026-11-23T10:00:00.000Z)',
    );
    const fr = section(reportHtml(report, 'fr'), 'Consentement');
    expect(fr).toContain('<dt>Chronologie du consentement</dt>');
    expect(fr).toContain('<dt>Cookies de consentement qui n’ont pas pu être lus</dt>');
    expect(fr).toContain('Le cookie de consentement TC_PRIVACY (Commanders Act) n’a pas pu être lu');
    expect(fr).toContain('(vu 3 fois, de 2026-11-23T09:59:58.000Z à 2026-11-23T10:01:00.000Z)');
    expect(fr).toContain('<li>2026-11-23T09:59:59.500Z tout accepté : TCF 1, TCF 7 (commanders-act TC_PRIVACY)</li>');
    for (const text of [en, fr]) expect(text).not.toContain('SECRET-CONSENT-VALUE');
    // The platform's own ids, where nothing else says what the choice allowed.
    const idsOnly = unreadableConsentVisit();
    idsOnly.visit.consent![1]!.purposes = null;
    expect(reportHtml(await built(idsOnly), 'en')).toContain(
      '<li>2026-11-23T09:59:59.500Z accepted all: 1, 3 (commanders-act TC_PRIVACY)</li>',
    );
  });

  it('says when no consent was recognised, and lists no unreadable cookie when none was', async () => {
    const en = section(reportHtml(await built(cnpVisit()), 'en'), 'Consent');
    expect(en).toContain(
      '<dt>Consent timeline</dt><dd>No consent banner or consent signal was recognised: the consent state is unknown.</dd>',
    );
    expect(en).not.toContain('could not be read');
  });

  it('escapes a consent cookie’s name like any other data', async () => {
    const visit = unreadableConsentVisit();
    visit.visit.consentProblems![0]!.name = IMG;
    const text = reportHtml(await built(visit), 'en');
    expect(text).toContain('The consent cookie &lt;img src=x onerror=alert(1)&gt; (IAB TCF)');
    expect(text).not.toMatch(/<img/);
  });
});

describe('the HTML report of a consent audit', () => {
  /** The cells of the scenario table's row for a cookie, tags removed. */
  function cells(text: string, name: string): string[] {
    const row = text.match(new RegExp(`<tr><td><code>${name}</code> · [^\\n]*</tr>`))?.[0] ?? '';
    return [...row.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
  }

  it('shows a column per scenario for each cookie: seen, not seen, or which findings', async () => {
    const text = reportHtml(await scenarioReport(), 'en');
    expect(text).toContain('<h2>Consent scenarios</h2>');
    expect(text).toContain('<th scope="col">No choice (<code>none</code>)</th>');
    expect(cells(text, '_gid')).toEqual([
      '_gid · monespaceclient.cnp.fr · / · cookie',
      'not seen',
      'Undeclared (undeclared)',
      'not run',
    ]);
    const session = cells(text, 'JSESSIONID');
    expect(session.slice(1)).toEqual([session[1], session[1], 'not run']);
    expect(session[1]).not.toBe('not seen');
    expect(text).toContain('banner not recognised: scenario not run');
    expect(text).toContain('answered by the rule Commanders Act (2 clicks)');
    expect(text).toContain('2026-11-23T10:05:02.000Z refused (Commanders Act opt-out)');
    expect(text).toContain('https://monespaceclient.cnp.fr/contrats');
  });

  it('says it in French, and escapes a rule name like any other data', async () => {
    const report = await scenarioReport();
    report.scenarios[1]!.banner!.rule = IMG;
    const text = reportHtml(report, 'fr');
    expect(text).toContain('<h2>Scénarios de consentement</h2>');
    expect(text).toContain('bandeau non reconnu : scénario non joué');
    expect(cells(text, '_gid').slice(1)).toEqual(['non vu', 'Non déclaré (undeclared)', 'non joué']);
    expect(text).not.toMatch(/<img/);
    for (const { tag, attributes } of tags(text)) {
      expect(TAGS).toContain(tag);
      for (const attribute of attributes) expect(ATTRIBUTES).toContain(attribute);
    }
  });

  it('has no scenario section in an audit without scenarios', async () => {
    const text = await page('en');
    expect(text).not.toContain('Consent scenarios');
  });
});
