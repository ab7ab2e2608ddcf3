// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { classifyHeader, readCookieTables } from './tables';

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');

describe('classifyHeader', () => {
  it.each([
    ['échéance', 'lifetime'],
    ['Session or persistent', 'lifetime'],
    ['Storage period', 'lifetime'],
    ['Objectif', 'purpose'],
    ['UTILITÉ', 'purpose'],
    ['Function', 'purpose'],
    ['Why we use them', 'purpose'],
    ['Purpose of Use/ Explanation', 'purpose'],
    ['Contenu', 'other'],
    ['Value', 'other'],
    ['Cookies déposés', 'name'],
    ['Cookies set', 'name'],
    // Unchanged: OneTrust's "Cookies used" holds the party, a "Cookie subgroup" the hosts.
    ['Cookies used', 'type'],
    ['Cookie subgroup', 'domain'],
  ])('reads the header %j as the %s column', (label, column) => {
    expect(classifyHeader(label)).toBe(column);
  });
});

describe('readCookieTables', () => {
  it("reads a definition list of one cookie's fields as a row, and not a list of names with their descriptions", () => {
    const document = parse(`<h2>Preferences</h2>
      <dl><dt>Name</dt><dd>theme_choice</dd><dt>Provider</dt><dd>This site</dd><dt>Expiry</dt><dd>400 days</dd></dl>
      <dl><dt>_ga</dt><dd>Tells visitors apart. Expires after 2 years.</dd></dl>`);
    const tables = readCookieTables(document);
    expect(tables.map((table) => [table.heading, table.rows.map((row) => row.cells)])).toEqual([
      ['Preferences', [{ name: 'theme_choice', vendor: 'This site', lifetime: '400 days' }]],
    ]);
  });
});
