// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  classifyHeader,
  lifetimeByContent,
  lifetimeUnit,
  readCookieTables,
  rowEntries,
  statedUnit,
  withUnit,
  type TableRow,
} from './tables';

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');

describe('classifyHeader', () => {
  it.each([
    ['échéance', 'lifetime'],
    ['Session or persistent', 'lifetime'],
    ['Storage period', 'lifetime'],
    ['Length of the storage', 'lifetime'],
    ['Validity', 'lifetime'],
    ['Life span', 'lifetime'],
    ['What it does', 'purpose'],
    ['Used for', 'purpose'],
    ['Set by', 'vendor'],
    ['Déposé par', 'vendor'],
    ['Objectif', 'purpose'],
    ['UTILITÉ', 'purpose'],
    ['Function', 'purpose'],
    ['Functional', null],
    ['Why we use them', 'purpose'],
    ['Purpose of Use/ Explanation', 'purpose'],
    ['Contenu', 'other'],
    ['Value', 'other'],
    ['Cookies déposés', 'name'],
    ['Cookies set', 'name'],
    ['Cookies concernés', 'name'],
    // Unchanged: OneTrust's "Cookies used" holds the party, a "Cookie subgroup" the hosts.
    ['Cookies used', 'type'],
    ['Cookie subgroup', 'domain'],
    // German, Spanish, Italian and Dutch tables, and a header's typo.
    ['Speicherdauer', 'lifetime'],
    ['Laufzeit', 'lifetime'],
    ['Zweck', 'purpose'],
    ['Anbieter', 'vendor'],
    ['Duración', 'lifetime'],
    ['Finalidad', 'purpose'],
    ['Nombre de la cookie', 'name'],
    ['Nome', 'name'],
    ['Scadenza', 'lifetime'],
    ['Naam', 'name'],
    ['Bewaartermijn', 'lifetime'],
    ['Doel', 'purpose'],
    ['EXIPIRY', 'lifetime'],
    ['Cookie / Stockage', 'name'],
    ['Product', 'vendor'],
    ['Combien de temps', 'lifetime'],
    ['À quoi cela sert', 'purpose'],
    ['Example', 'other'],
    ['Beispiele', 'name'],
    ['Base légale (art. 6 RGPD)', null],
    ['Cookie or local storage', 'name'],
  ])('reads the header %j as the %s column', (label, column) => {
    expect(classifyHeader(label)).toBe(column);
  });
});

describe('lifetimeByContent', () => {
  it('finds the lifetime column no label names by its cells, and only then', () => {
    const rows = [
      ['a_b', '24 mois', 'Première'],
      ['c_d', 'Session', 'Première'],
    ];
    expect(lifetimeByContent(['name', null, null], rows)).toEqual(['name', 'lifetime', null]);
    expect(lifetimeByContent(['name', 'lifetime', null], rows)).toEqual(['name', 'lifetime', null]);
    expect(lifetimeByContent(['name', null, null], [['a_b', 'Tells visitors apart', 'x']])).toEqual([
      'name',
      null,
      null,
    ]);
  });
});

describe('lifetimeUnit', () => {
  it.each([
    ['Expiry (days)', 'days'],
    ['Durée (mois)', 'mois'],
    ['Durée de conservation en jours', 'jours'],
    ['Expiry', null],
    ['Name (key)', null],
  ])('reads the unit of %j as %j', (label, unit) => {
    expect(lifetimeUnit(label)).toBe(unit);
  });
});

describe('withUnit and statedUnit', () => {
  it("gives a column's unit to its bare numbers, not to a lifetime, a date or a word the cell holds", () => {
    expect(withUnit('30', 'days')).toBe('30 days');
    expect(withUnit('Up to 365', 'days')).toBe('Up to 365 days');
    expect(withUnit('365 and session', 'days')).toBe('365 days and session');
    expect(withUnit('2 Jahre', 'days')).toBe('2 Jahre');
    expect(withUnit('30d', 'days')).toBe('30d');
    expect(withUnit('until 31/12/2025', 'days')).toBe('until 31/12/2025');
    expect(withUnit('GA4: 730', 'days')).toBe('GA4: 730 days');
  });

  it('reads the unit a sentence gives the lifetimes, not a unit said of something else', () => {
    expect(statedUnit('Retention is shown in days when applicable.')).toBe('days');
    expect(statedUnit('Les durées sont exprimées en mois.')).toBe('mois');
    expect(statedUnit('Consent is given in seconds when you click Accept.')).toBeNull();
  });
});

describe('readCookieTables', () => {
  it('leaves out the column label a responsive table repeats inside each cell, and keeps names that start like it', () => {
    const document = parse(`<table><tr><th>Name</th><th>Expires</th></tr>
      <tr><td><span aria-hidden="true">Name</span>consent_choice</td><td><span>Expires: </span>1 year</td></tr>
      <tr><td>Name_pref</td><td>6 months</td></tr></table>`);
    expect(readCookieTables(document)[0]!.rows.map((row) => row.cells)).toEqual([
      { name: 'consent_choice', lifetime: '1 year' },
      { name: 'Name_pref', lifetime: '6 months' },
    ]);
  });

  it('reads a table drawn with ARIA roles like a table element', () => {
    const document = parse(`<div role="table"><div role="row"><span role="columnheader">Name</span>
      <span role="columnheader">Expiry</span></div><div role="row"><span role="cell">_clck</span>
      <span role="cell">1 year</span></div></div>`);
    expect(readCookieTables(document).map((table) => table.rows.map((row) => row.cells))).toEqual([
      [{ name: '_clck', lifetime: '1 year' }],
    ]);
  });

  it("reads a table of one cookie's fields without a name row under a heading that names the cookie", () => {
    const document = parse(`<h3>_ga</h3><table><tr><th>Purpose</th><td>Tells visitors apart</td></tr>
      <tr><th>Expires</th><td>2 years</td></tr></table>
      <h3>Why we use them</h3><table><tr><th>Purpose</th><td>To improve the site</td></tr>
      <tr><th>Expires</th><td>Varies</td></tr></table>`);
    expect(readCookieTables(document).map((table) => table.rows.map((row) => row.cells))).toEqual([
      [{ purpose: 'Tells visitors apart', lifetime: '2 years', name: '_ga' }],
    ]);
  });

  it("reads a definition list of one cookie's fields as a row, and not a list of names with their descriptions", () => {
    const document = parse(`<h2>Preferences</h2>
      <dl><dt>Name</dt><dd>theme_choice</dd><dt>Provider</dt><dd>This site</dd><dt>Expiry</dt><dd>400 days</dd></dl>
      <dl><dt>_ga</dt><dd>Tells visitors apart. Expires after 2 years.</dd></dl>`);
    const tables = readCookieTables(document);
    expect(tables.map((table) => [table.heading, table.rows.map((row) => row.cells)])).toEqual([
      ['Preferences', [{ name: 'theme_choice', vendor: 'This site', lifetime: '400 days' }]],
    ]);
  });

  it('reads one definition list of several cookies, each starting at its name', () => {
    const document = parse(`<dl><dt>Name</dt><dd>a_b</dd><dt>Expiry</dt><dd>Session</dd>
      <dt>Name</dt><dd>c_d</dd><dt>Expiry</dt><dd>6 months</dd></dl>`);
    expect(readCookieTables(document)[0]!.rows.map((row) => row.cells)).toEqual([
      { name: 'a_b', lifetime: 'Session' },
      { name: 'c_d', lifetime: '6 months' },
    ]);
  });
});

describe('rowEntries', () => {
  const lifetimeOf = (cells: TableRow['cells']) =>
    rowEntries({ cells, text: '', group: null }).entries.map((entry) => entry.lifetime?.text);

  it('gives each name the lifetime after it when the lifetime cell names them, whatever their order', () => {
    const cells = {
      name: '_sa _sb _sc',
      lifetime: '_sa is deleted after 1 year, _sc after 30 minutes and _sb when you close your browser.',
    };
    const entries = rowEntries({ cells, text: '', group: null }).entries;
    expect(entries.map((entry) => [entry.names[0]?.printed, entry.lifetime?.text])).toEqual([
      ['_sa', '1 year'],
      ['_sb', 'close your browser'],
      ['_sc', '30 minutes'],
    ]);
  });

  it('pairs names with the lifetimes a cell gives them in another case, after a letter whose lower case is longer', () => {
    const cells = { name: 'ai_user ai_session', lifetime: 'İstanbul office: Ai_user 1 year, AI_SESSION 30 minutes' };
    const entries = rowEntries({ cells, text: '', group: null }).entries;
    expect(entries.map((entry) => [entry.names[0]?.printed, entry.lifetime?.text])).toEqual([
      ['ai_user', '1 year'],
      ['ai_session', '30 minutes'],
    ]);
  });

  it('keeps a cell offering as many lifetimes as the row has names as printed, unknown, for all of them', () => {
    const read = (lifetime: string) =>
      rowEntries({ cells: { name: '_ga, _gid', lifetime }, text: '', group: null }).entries.map((entry) => [
        entry.names.map((name) => name.printed).join(' '),
        entry.lifetime?.text,
        entry.lifetime?.parsed.kind,
      ]);
    expect(read('Session — 30 mins')).toEqual([['_ga _gid', 'Session — 30 mins', 'unknown']]);
    expect(read('2 años o 24 horas')).toEqual([['_ga _gid', '2 años o 24 horas', 'unknown']]);
    expect(read('2 years, 24 hours')).toEqual([
      ['_ga', '2 years', 'duration'],
      ['_gid', '24 hours', 'duration'],
    ]);
  });

  it('reads the lifetime a description states when the row has no lifetime cell, only if it states one', () => {
    expect(lifetimeOf({ name: 'ok_a', purpose: 'Remembers your choice. Expires after 1 year.' })).toEqual(['1 year']);
    expect(lifetimeOf({ name: 'ok_b', purpose: 'Deleted when you close your browser.' })).toEqual([
      'close your browser',
    ]);
    expect(lifetimeOf({ name: 'ok_c', purpose: 'Kept 1 day, or 2 years if you sign in.' })).toEqual(['']);
    expect(lifetimeOf({ name: 'ok_e', purpose: "Manages the user's session" })).toEqual(['']);
    expect(lifetimeOf({ name: 'ok_d', purpose: 'Kept 1 day.', lifetime: '13 months' })).toEqual(['13 months']);
  });

  it("reads a lifetime cell's first sentence as its lifetime when it states one, whatever the note after it says", () => {
    expect(lifetimeOf({ name: 'ok_a', lifetime: 'Session. Utilisé par le serveur pendant 30 minutes.' })).toEqual([
      'Session',
    ]);
    expect(lifetimeOf({ name: 'ok_b', lifetime: '6 mois. Renouvelé à chaque visite, 13 mois au plus.' })).toEqual([
      '6 mois',
    ]);
    // A first sentence stating none leaves the cell to the other readings.
    expect(lifetimeOf({ name: 'ok_c', lifetime: 'Variable. Expire après 1 an.' })).toEqual(['1 an']);
  });

  it('keeps a cell offering the session or a duration as printed, unknown; a duration beside "Persistent" wins', () => {
    const parsedOf = (cells: TableRow['cells']) =>
      rowEntries({ cells, text: '', group: null }).entries.map((entry) => entry.lifetime?.parsed.kind);
    expect(lifetimeOf({ name: 'ec_connexion', lifetime: 'Session / 1 an' })).toEqual(['Session / 1 an']);
    expect(parsedOf({ name: 'ec_connexion', lifetime: 'Session / 1 an' })).toEqual(['unknown']);
    expect(lifetimeOf({ name: 'mbr_remember', lifetime: 'Persistent, 2 years' })).toEqual(['Persistent, 2 years']);
    expect(parsedOf({ name: 'mbr_remember', lifetime: 'Persistent, 2 years' })).toEqual(['duration']);
  });

  it('keeps a cell offering several lengths ("30 minutes, 3w or 1y depending on value") as printed, unknown', () => {
    const parsedOf = (cells: TableRow['cells']) =>
      rowEntries({ cells, text: '', group: null }).entries.map((entry) => entry.lifetime?.parsed.kind);
    expect(lifetimeOf({ name: 'pay_redirect', lifetime: '30 minutes, 3w or 1y depending on value' })).toEqual([
      '30 minutes, 3w or 1y depending on value',
    ]);
    expect(parsedOf({ name: 'pay_redirect', lifetime: '30 minutes, 3w or 1y depending on value' })).toEqual([
      'unknown',
    ]);
    expect(parsedOf({ name: 'pref_a', lifetime: '1 an ou 13 mois' })).toEqual(['unknown']);
    // One length said twice is no choice; one length and no "or" neither.
    expect(lifetimeOf({ name: 'pref_b', lifetime: '24 hours or 1 day' })).toEqual(['24 hours']);
    expect(parsedOf({ name: 'pref_c', lifetime: '13 months, renewed on each visit' })).toEqual(['duration']);
  });
});
