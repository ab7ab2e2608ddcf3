// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { KB, measureLinearTime } from '../../tests/support/linear-time';
import { readCookieTables } from './tables';

const TABLE = '<table><tr><th>Nom</th><th>Durée</th></tr><tr><td>_ga</td><td>13 mois</td></tr></table>';

function page(html: string): Document {
  const document = window.document.implementation.createHTMLDocument('policy');
  document.body.innerHTML = html;
  return document;
}

describe('readCookieTables on a page of many tables', { timeout: 600_000 }, () => {
  it('gives each table the nearest heading before it', () => {
    const document = page(`<h2>Mesure d'audience</h2>${TABLE}<p>x</p>${TABLE}<div><h3>Publicité</h3></div><section><p>y</p>${TABLE}</section>`);
    expect(readCookieTables(document).map((table) => table.heading)).toEqual(["Mesure d'audience", "Mesure d'audience", 'Publicité']);
  });

  // Each table used to scan all that came before it for its heading.
  it('reads them in time linear in the page', () => {
    expect(measureLinearTime((size) => {
      const document = page(`<h2>Cookies</h2><div>${`<p>x</p>${TABLE}`.repeat(size / (TABLE.length + 8))}</div>`);
      return () => readCookieTables(document);
    }, { factor: 8, largest: 256 * KB })).toMatchObject({ brokeAt: null });
  });
});
