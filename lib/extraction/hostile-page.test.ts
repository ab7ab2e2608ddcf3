// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../tests/support/linear-time';
import { extractCookiebot } from './consent-platforms/cookiebot';
import { readCookieTables } from './tables';

const TABLE = '<table><tr><th>Nom</th><th>Durée</th></tr><tr><td>_ga</td><td>13 mois</td></tr></table>';

function page(html: string): Document {
  const document = window.document.implementation.createHTMLDocument('policy');
  document.body.innerHTML = html;
  return document;
}

describe('readCookieTables on a page of many tables', { timeout: 600_000 }, () => {
  it('gives each table the nearest heading before it', () => {
    const document = page(
      `<h2>Mesure d'audience</h2>${TABLE}<p>x</p>${TABLE}<div><h3>Publicité</h3></div><section><p>y</p>${TABLE}</section>`,
    );
    expect(readCookieTables(document).map((table) => table.heading)).toEqual([
      "Mesure d'audience",
      "Mesure d'audience",
      'Publicité',
    ]);
  });

  // Each table used to scan all that came before it for its heading.
  it('reads them in time linear in the page', () => {
    expect(
      measureLinearTime(
        (size) => {
          const document = page(`<h2>Cookies</h2><div>${`<p>x</p>${TABLE}`.repeat(size / (TABLE.length + 8))}</div>`);
          return () => readCookieTables(document);
        },
        { factor: 8 },
      ),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('extractCookiebot on nested declaration sections', () => {
  const SECTION = (label: string, inner: string) =>
    `<div class="CookieDeclarationType"><div class="CookieDeclarationTypeHeader">${label}</div>${TABLE}${inner}</div>`;
  const nested = (depth: number) => {
    let html = '';
    for (let i = 0; i < depth; i++) html = SECTION(i % 2 === 0 ? 'Statistiques' : 'Marketing', html);
    return html;
  };

  // Read for each section around it, a table was read as many times as it was deep: its cookies listed again at each
  // level, in time quadratic in the nesting (browsers parse HTML up to 512 levels deep).
  it('reads each table once, under the section nearest it', () => {
    const result = extractCookiebot(page(nested(3)), { source: 'https://www.exemple.fr/cookies' });
    expect(result.catalogue.entries.map((entry) => entry.category)).toEqual([
      'audience-measurement',
      'advertising',
      'audience-measurement',
    ]);
  });
});
