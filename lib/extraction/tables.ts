import type { Category, DeclaredLifetime, Storage } from '../catalogue/schema';
import { parseLifetime } from '../audit/lifetime';
import { declaredName, lifetimeFromText, type DraftConsent, type DraftEntry, type NotUnderstood } from './draft';
import { codeNamed, identifierStrength, isNotACookieName, namesInCell } from './identifiers';
import { findLifetimes, type FoundLifetime } from './lifetime-phrases';
import { categoryFromLabel, consentBasisFromLabel, isCategoryLabel, partyFromLabel, storageFromLabel } from './labels';

/**
 * Cookie tables in an HTML document, whatever their origin (a policy page, Cookiebot's declaration, TagCommander's
 * cookie notice): header cells in French or English say which column holds what; `rowspan`/`colspan` are expanded so
 * that each row sees its own cells; a row made of one cell spanning the table labels the rows below it.
 * Only DOM methods of the nodes passed in are used (no browser globals).
 */
export type Column =
  'name' | 'purpose' | 'lifetime' | 'vendor' | 'category' | 'type' | 'controller' | 'data' | 'domain' | 'other';

// First match wins: "Nom du prestataire" is a vendor, "Durée de conservation" a lifetime, before "nom"/"cookie".
const HEADERS: ReadonlyArray<[RegExp, Column]> = [
  [/(donnees collectees|informations collectees|data collected|collected data)/, 'data'],
  [/(responsable|controller)/, 'controller'],
  [
    /(duree|duration|expir|exipir|lifetime|lifespan|retention|conservation|validite|max.?age|peremption|persistan|persisten|echeance|storage period|periode de stockage|\blength\b|how long|combien de temps|validity|life span|shelf life|time to live|\bttl\b|valid until|dauer|laufzeit|ablauf|gultigkeit|duracion|caducidad|vencimiento|expiracion|plazo|durata|scadenza|bewaartermijn|looptijd|vervaltermijn|geldigheid|\bduur\b|varighet|varighed|varaktighet|lagringstid|utl[øo]p|giltighet|gyldighet|czas przechowywania|czas trwania|wygasa|waznosc)/,
    'lifetime',
  ],
  // What the cookie holds ("Contenu": "Chaîne aléatoire", "Value": "0 or 1"): never its name.
  [
    /^(contenu|content|contents|valeur|value|values|exemple de valeur|example value|example|exemple|sample value)$/,
    'other',
  ],
  // "Suppression" (how the cookie is deleted: "Automatique") says nothing the draft keeps.
  [/^(suppression|deletion|removal)$/, 'other'],
  [/(storage location|storage type|type de stockage|\btype\b|\btyp\b|\btipo\b|\bsoort\b)/, 'type'],
  [/(categorie|category|catégorie|kategorie|categoria)/, 'category'],
  [
    /(prestataire|provider|vendor|\bproducts?\b|\bproduits?\b|editeur|fournisseur|emetteur|partenaire|societe|company|platform|plateforme|set by|placed by|depose par|owner|issuer|anbieter|herkunft|proveedor|titular|fornitore|aanbieder|leverancier|verstrekker|leverand[øo]r|leverant[öo]r|dostawca)/,
    'vendor',
  ],
  [
    /(finalite|purpose|objet|objectif|description|utilisation|usage|\bbut\b|\brole\b|\bfonctions?\b|\bfunctions?\b|utilite|explanation|why|what it does|used for|\buse\b|a quoi (?:cela |ca )?sert|details|zweck|beschreibung|verwendung|finalidad|proposito|descripcion|scopo|finalita|descrizione|\bdoel\b|beschrijving|\bformal\b|\bsyfte\b|beskrivelse|beskrivning|\bcel\b|\bopis\b)/,
    'purpose',
  ],
  [/(domaine|domain|dominio|domein|\bhosts?\b|\bhotes?\b|subgroup|sous.groupe)/, 'domain'],
  // "Cookies used" (OneTrust: "First Party", "Third Party"), "Cookies tiers ou internes": the party, not the name.
  [/(\bused\b|utilises?|\bpart(y|ies)\b|\bpartie\b|tiers)/, 'type'],
  // "Category of Cookie | Purpose | Examples" (Odoo's table): the examples are the cookies' names.
  [/^(examples|exemples|beispiele|ejemplos|esempi|voorbeelden)$/, 'name'],
  // "Cookie lié au service" holds the service ("Matomo"); "Nom du service" too.
  [/\bservices?\b/, 'vendor'],
  // "cookie" names the name column only alone or with a word for name: "Cookie subgroup" is not one.
  // "Cookies déposés", "Cookies set": the cookies a vendor places, by name; "Cookies concernés": those a purpose covers.
  [
    /(\bnoms?\b|\bnames?\b|\bnombre\b|\bnome\b|\bnaam\b|\bnavn\b|\bnamn\b|\bnazwa\b|identifi|\bcles?\b|\bkeys?\b|^(cookies?|traceurs?|trackers?)( ?\(?s\)?)?( (deposes?|places?|set|installes?|id|concernes?|concerned))?( ?(\/|or|ou|and|et|&) ?(stockage|storage|local ?storage|web ?storage|stockage local|traceurs?|trackers?))?$)/,
    'name',
  ],
];

export function classifyHeader(label: string): Column | null {
  const normal = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
  if (normal === '' || normal.length > 60) return null;
  for (const [words, column] of HEADERS) if (words.test(normal)) return column;
  return null;
}

/**
 * The unit a lifetime column's header gives its bare numbers ("Expiry (days)", "Durée (mois)", "Durée en jours"), so
 * that a cell "30" reads "30 days"; null when it gives none.
 */
export function lifetimeUnit(label: string): string | null {
  if (label.length > 60) return null;
  const unit =
    /[([]\s*(?:en\s+|in\s+)?([\p{L}]+)\s*[)\]]|\b(?:en|in)\s+([\p{L}]+)\s*$/u.exec(label.trim()) ?? undefined;
  const word = (unit?.[1] ?? unit?.[2] ?? '').toLowerCase();
  return /^(secondes?|seconds?|minutes?|heures?|hours?|jours?|days?|semaines?|weeks?|mois|months?|ans|années|years?)$/.test(
    word,
  )
    ? word
    : null;
}

export function statedUnit(line: string): string | null {
  // Said of the lifetimes ("Retention is shown in days"), not of anything else ("Consent is given in seconds").
  const said =
    /\b(?:retention|lifetimes?|durations?|expiry|expiration|dur[ée]es?|conservation)\b[^.]{0,40}?\b(?:shown|given|expressed|stated|listed|indicated|displayed|measured|exprim[ée]e?s?|indiqu[ée]e?s?|donn[ée]e?s?)\s+(?:in|en)\s+(\p{L}+)/iu.exec(
      line.slice(0, 400),
    );
  return said ? lifetimeUnit(`(${said[1]})`) : null;
}

/**
 * The numbers of a lifetime cell whose column (or the sentence above the table) gives the unit, with the unit: "30"
 * reads "30 days", "Up to 365" "Up to 365 days", "365 and session" "365 days and session". A number inside a lifetime
 * the cell states itself ("2 Jahre", "30d"), in a date ("31/12/2025") or in a word ("GA4", "1st") is kept as printed.
 */
export function withUnit(value: string, unit: string | null | undefined): string {
  if (!unit || value.length > 200) return value;
  const stated = findLifetimes(value);
  const inStated = (at: number) => stated.some((found) => at >= found.index && at < found.index + found.text.length);
  return value.replace(/(?<![\p{L}\d./,-])\d+(?:[.,]\d+)?(?![\p{L}\d./-]|,\d)/gu, (number, at: number) =>
    inStated(at) ? number : `${number} ${unit}`,
  );
}

const BLOCKS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'tr',
  'table',
  'section',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'dd',
  'dt',
]);

/**
 * An element's text with line breaks where `<br>` and block elements put them; lines trimmed, blank ones dropped.
 * Elements whose tag is in `skip`, and the elements in `skipped`, are left out (the prose of a page without its
 * tables).
 */
export interface TextOptions {
  /** Elements of these tags are left out. */
  skip?: readonly string[];
  /** These elements are left out (tables already read). */
  skipped?: ReadonlySet<Node>;
  /** The source's line breaks are kept (a Markdown text holding HTML), not rendered as spaces. */
  keepLineBreaks?: boolean;
  /**
   * A code or bold element holding one word is given between backticks, as Markdown marks a name:
   * "<li><strong>gjs-consent-v1</strong> (localStorage) — …" declares a name the text alone would not show.
   */
  markNames?: boolean;
}

/**
 * One word set apart by its element: what a page prints a cookie's name in. Code elements mark any word; bold marks
 * emphasis too ("cookies are <strong>disabled</strong>"), so only a word shaped like a code ("cc_cookie", "gjs-v1").
 */
const CODE_ELEMENTS = new Set(['code', 'kbd', 'samp', 'var', 'tt']);
const BOLD_ELEMENTS = new Set(['strong', 'b']);
// In bold, a word shaped as code; not a vendor ("DoubleClick") nor an acronym after one small letter ("nDSG", "iOS").
const markedName = (tag: string, word: string) =>
  CODE_ELEMENTS.has(tag) ||
  (BOLD_ELEMENTS.has(tag) &&
    /[_\-.\d]|\p{Ll}\p{Lu}/u.test(word) &&
    !/^\p{Ll}\p{Lu}+$/u.test(word) &&
    !isNotACookieName(word));

export function elementText(node: Node, options: TextOptions = {}): string {
  const { skip = [], skipped = new Set(), keepLineBreaks = false, markNames = false } = options;
  const out: string[] = [];
  const walk = (parent: Node, pre: boolean) => {
    for (const child of Array.from(parent.childNodes)) {
      // As a browser renders it: the source's line breaks inside a paragraph are spaces, except in <pre>.
      if (child.nodeType === 3)
        out.push(pre ? (child.textContent ?? '') : (child.textContent ?? '').replace(/\s+/g, ' '));
      else if (child.nodeType === 1) {
        const tag = child.nodeName.toLowerCase();
        if (tag === 'br') out.push('\n');
        else if (
          tag !== 'script' &&
          tag !== 'style' &&
          tag !== 'template' &&
          !skip.includes(tag) &&
          !skipped.has(child)
        ) {
          const word =
            markNames && (CODE_ELEMENTS.has(tag) || BOLD_ELEMENTS.has(tag)) ? (child.textContent ?? '').trim() : '';
          // Not a label ("<b>Name:</b> auth_session", "<strong>Durée</strong>").
          const marked = /^[^\s`:]{2,100}$/.test(word) && /\p{L}/u.test(word) && markedName(tag, word);
          // A word written as code ("rumo_hotel_id", "shop_owner") is no column label, whatever words it holds.
          if (marked && (/[_\d]/.test(word) || classifyHeader(word) === null)) {
            out.push(`\`${word}\``);
            continue;
          }
          const block = BLOCKS.has(tag);
          // A list item keeps its bullet, as a copied list does: "• name : what it does" declares a name.
          if (block) out.push(tag === 'li' ? '\n• ' : '\n');
          walk(child, pre || tag === 'pre' || tag === 'textarea');
          if (block) out.push('\n');
        }
      }
    }
  };
  walk(node, keepLineBreaks);
  return out
    .join('')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

export interface TableRow {
  cells: Partial<Record<Column, string>>;
  /** The row's text, cells in order, for provenance. */
  text: string;
  /** The label of the spanning row above it, if any ("Cookies tiers", "Necessary"). */
  group: string | null;
}

export interface CookieTable {
  element: Element;
  columns: Array<Column | null>;
  rows: TableRow[];
  /** The nearest heading before the table. */
  heading: string | null;
}

function cellsOf(row: Element): Element[] {
  return Array.from(row.children).filter((cell) => /^t[dh]$/i.test(cell.nodeName));
}

function span(cell: Element, attribute: string): number {
  const value = Number.parseInt(cell.getAttribute(attribute) ?? '1', 10);
  return Number.isFinite(value) && value > 0 ? Math.min(value, 50) : 1;
}

/** The table as a grid in which a spanned cell fills every slot it covers. */
function grid(table: Element): Element[][] {
  const rows = Array.from(table.querySelectorAll('tr')).filter((row) => row.closest('table') === table);
  const slots: Element[][] = rows.map(() => []);
  rows.forEach((row, r) => {
    let c = 0;
    for (const cell of cellsOf(row)) {
      while (slots[r]![c]) c++;
      const rowSpan = span(cell, 'rowspan');
      const colSpan = span(cell, 'colspan');
      for (let dr = 0; dr < rowSpan && r + dr < rows.length; dr++) {
        for (let dc = 0; dc < colSpan; dc++) slots[r + dr]![c + dc] = cell;
      }
      c += colSpan;
    }
  });
  return slots;
}

const ARIA_CELLS = new Set(['cell', 'gridcell', 'columnheader', 'rowheader']);

/**
 * A table drawn with ARIA roles instead of table elements (`<div role="table">`, its `role="row"` and `role="cell"`
 * or `role="columnheader"` descendants), as a grid like a table element's.
 */
function ariaGrid(table: Element): Element[][] {
  const owner = (node: Element) => node.parentElement?.closest('[role="table"], [role="grid"], table');
  return Array.from(table.querySelectorAll('[role="row"]'))
    .filter((row) => owner(row) === table)
    .map((row) =>
      Array.from(row.querySelectorAll('[role]')).filter(
        (cell) =>
          ARIA_CELLS.has(cell.getAttribute('role') ?? '') && cell.parentElement?.closest('[role="row"]') === row,
      ),
    )
    .filter((row) => row.length > 0);
}

/**
 * The nearest heading before an element: among the previous siblings of it and of its ancestors, nearest first, a
 * heading or else the last heading inside. What a scan back from a sibling finds is kept, so that the tables of one
 * page do not each scan all that comes before them (quadratic in the number of tables).
 */
function headingFinder(): (element: Element) => string | null {
  const found = new Map<Element, Element | null>();
  const scanBack = (first: Element | null): Element | null => {
    const scanned: Element[] = [];
    let heading: Element | null = null;
    for (let sibling = first; sibling; sibling = sibling.previousElementSibling) {
      const known = found.get(sibling);
      if (known !== undefined) {
        heading = known;
        break;
      }
      scanned.push(sibling);
      if (/^h[1-6]$/i.test(sibling.nodeName)) {
        heading = sibling;
        break;
      }
      const inner = sibling.querySelectorAll('h1, h2, h3, h4, h5, h6');
      const last = inner[inner.length - 1];
      if (last) {
        heading = last;
        break;
      }
    }
    for (const sibling of scanned) found.set(sibling, heading);
    return heading;
  };
  return (element) => {
    let node: Element | null = element;
    for (let steps = 0; node && steps < 200; steps++) {
      const heading = scanBack(node.previousElementSibling);
      if (heading) return elementText(heading);
      node = node.parentElement;
    }
    return null;
  };
}

/**
 * Column roles from header labels, one name column at most: beside "Cookie name", a column headed "Cookie" holds
 * what the cookie belongs to (a service, a vendor).
 */
export function nameColumnOnce(labels: readonly string[]): Array<Column | null> {
  const columns = labels.map((label) => classifyHeader(label));
  const names = columns.flatMap((column, c) => (column === 'name' ? [c] : []));
  if (names.length < 2) return columns;
  const named = names.find((c) => /\b(nom|noms|name|names|key|keys|cle|identifi)/i.test(labels[c]!)) ?? names[0]!;
  return columns.map((column, c) => (column === 'name' && c !== named ? 'vendor' : column));
}

/**
 * A table with its labels down the first column ("Name / Purpose / Expiry", one table per cookie): each further
 * column is a row.
 */
function verticalTable(
  slots: readonly Element[][],
  heading: string | null = null,
): { columns: Array<Column | null>; rows: TableRow[] } | null {
  if (slots.length < 2 || slots.length > MAX_VERTICAL_LABELS || slots.some((row) => !row[0])) return null;
  const columns = nameColumnOnce(slots.map((row) => elementText(row[0]!)));
  if (!columns.some((column) => column === 'lifetime' || column === 'purpose')) return null;
  const width = Math.max(...slots.map((row) => row.length));
  // "<h3>_ga</h3>" above a table of one cookie's fields without a name row: the heading names it.
  const named = columns.includes('name') ? null : headingName(heading);
  if (!columns.includes('name') && (!named || width !== 2)) return null;
  const rows: TableRow[] = [];
  for (let c = 1; c < width; c++) {
    const cells: Partial<Record<Column, string>> = {};
    const texts: string[] = [];
    slots.forEach((row, r) => {
      const value = row[c] ? elementText(row[c]!) : '';
      const column = columns[r];
      if (value) texts.push(value);
      if (column && value) cells[column] = cells[column] ? `${cells[column]}\n${value}` : value;
    });
    if (named) cells.name = named;
    if (texts.length > 0) rows.push({ cells, text: texts.join(' '), group: null });
  }
  return rows.length > 0 ? { columns: named ? [...columns, 'name'] : columns, rows } : null;
}

/** A heading that is one cookie name by its shape (`_ga`, `JSESSIONID`), else null. */
function headingName(heading: string | null): string | null {
  const text = heading?.trim() ?? '';
  return /^\S+$/.test(text) && identifierStrength(text) !== 'none' && !isNotACookieName(text) ? text : null;
}

const MAX_VERTICAL_LABELS = 12;

/**
 * Several cookies' fields stacked down one label column ("Name / Purpose / Expiry / Name / Purpose / Expiry", in one
 * definition list or one table): a record starts at each label of the name column, and each is read as a vertical
 * table. Null unless one record at least is.
 */
function stackedTable(slots: readonly Element[][]): { columns: Array<Column | null>; rows: TableRow[] } | null {
  const records: Element[][][] = [];
  let named = false;
  for (const slot of slots) {
    const isName = slot[0] ? classifyHeader(elementText(slot[0])) === 'name' : false;
    if (records.length === 0 || (isName && named)) {
      records.push([]);
      named = false;
    }
    records.at(-1)!.push(slot);
    named ||= isName;
  }
  const read = records.map((record) => verticalTable(record)).filter((table) => table !== null);
  if (read.length === 0) return null;
  return { columns: read[0]!.columns, rows: read.flatMap((table) => table.rows) };
}

/**
 * Columns of a table without a header row, by their cells: a column whose cells nearly all are one cookie-name-shaped
 * word is the name column, one whose cells nearly all state a lifetime the lifetime column, the longest text the
 * purpose. Null unless both a name and a lifetime column are found (a table of anything else).
 */
export function columnsByContent(rows: ReadonlyArray<readonly string[]>): Array<Column | null> | null {
  // A loop, not Math.max(...): spreading a table of a hundred thousand rows overflows the stack.
  let width = 0;
  for (const row of rows) width = Math.max(width, row.length);
  if (rows.length === 0 || width < 2) return null;
  const share = (c: number, test: (cell: string) => boolean) =>
    rows.filter((row) => test((row[c] ?? '').trim())).length / rows.length;
  const nameShaped = (cell: string) =>
    /^[\w.\-*#$]+(\s*,\s*[\w.\-*#$]+)*$/.test(cell) &&
    cell.split(/\s*,\s*/).every((word) => identifierStrength(word) !== 'none' || /_/.test(word));
  const columns: Array<Column | null> = Array.from({ length: width }, () => null);
  let name = -1;
  let lifetime = -1;
  for (let c = 0; c < width; c++) {
    if (name < 0 && share(c, nameShaped) >= 0.6) name = c;
    else if (lifetime < 0 && share(c, (cell) => findLifetimes(cell).length > 0 && cell.length < 60) >= 0.6)
      lifetime = c;
  }
  if (name < 0) return null;
  // No short lifetime cells, but descriptions stating one ("Google Analytics — … Laufzeit: 2 Jahre."): read from them.
  if (lifetime < 0) {
    const described = columns.findIndex(
      (_, c) => c !== name && share(c, (cell) => findLifetimes(cell.slice(0, 2000)).length > 0) >= 0.6,
    );
    if (described < 0) return null;
    columns[name] = 'name';
    columns[described] = 'purpose';
    return columns;
  }
  columns[name] = 'name';
  columns[lifetime] = 'lifetime';
  let purpose = -1;
  let longest = 0;
  for (let c = 0; c < width; c++) {
    if (columns[c]) continue;
    const length = rows.reduce((total, row) => total + (row[c] ?? '').length, 0);
    if (length > longest) [purpose, longest] = [c, length];
  }
  if (purpose >= 0) columns[purpose] = 'purpose';
  return columns;
}

/**
 * A definition list of one cookie's fields ("Name / _ga, Provider / Google, Expiry / 2 years"), as a vertical table:
 * a row of slots per term, the term then its definitions.
 */
function definitionSlots(list: Element): Element[][] {
  const slots: Element[][] = [];
  for (const child of Array.from(list.children)) {
    const tag = child.nodeName.toLowerCase();
    if (tag === 'dt') slots.push([child]);
    else if (tag === 'dd' && slots.length > 0) slots[slots.length - 1]!.push(child);
  }
  return slots;
}

/**
 * A name cell that sets its names in code among words describing them ("cookie consent (localStorage:
 * <code>cc_v1</code>)"): the code's words are the names, but for code in brackets after a name in code, a remark on
 * it ("<code>app.session</code> (prefixed <code>__Secure-</code> over HTTPS)").
 */
function codeNames(cell: Element): string | null {
  if (!cell.querySelector('code, kbd, samp')) return null;
  const marked = elementText(cell, { markNames: true });
  const names: string[] = [];
  let depth = 0;
  let remark = false;
  for (const part of marked.split(/(`[^`\s]{2,100}`|[()])/)) {
    if (part === '(') {
      remark ||= depth === 0 && names.length > 0;
      depth++;
    } else if (part === ')') {
      depth = Math.max(0, depth - 1);
      if (depth === 0) remark = false;
    } else if (/^`[^`]+`$/.test(part) && !remark) names.push(part.slice(1, -1));
  }
  return names.length > 0 && names.every(codeNamed) ? names.join(', ') : null;
}

/**
 * A cell's text without the column label a responsive table repeats inside it for small screens
 * (`<td><span class="label">Name</span>_ga</td>`): its first element, when that holds the label alone.
 */
function cellText(cell: Element, label: string | undefined): string {
  const first = cell.firstElementChild;
  const leading = cell.firstChild;
  const labelled =
    first &&
    label &&
    (leading === first || (leading?.nodeType === 3 && !leading.textContent?.trim() && leading.nextSibling === first)) &&
    elementText(first).replace(/\s*:$/, '').toLowerCase() === label.toLowerCase();
  return labelled ? elementText(cell, { skipped: new Set([first]) }) : elementText(cell);
}

/**
 * Columns with the lifetime column found by its cells when no header label names it ("Existence": "24 mois"): the
 * first column without a role whose cells nearly all state a lifetime, shortly.
 */
export function lifetimeByContent(
  columns: ReadonlyArray<Column | null>,
  rows: ReadonlyArray<readonly string[]>,
): Array<Column | null> {
  if (columns.includes('lifetime') || rows.length === 0) return [...columns];
  // "Expires: Session cookie": the kind of cookie as the whole cell states its lifetime too.
  const states = (cell: string) =>
    cell.length < 60 &&
    (findLifetimes(cell).length > 0 || /^(?:expires?:?\s*)?(?:session|persistent)(?:\s+cookie)?$/i.test(cell.trim()));
  const found = columns.findIndex(
    (column, c) => column === null && rows.filter((row) => states(row[c] ?? '')).length >= 0.6 * rows.length,
  );
  return columns.map((column, c) => (c === found ? 'lifetime' : column));
}

/** Reads every table whose header names a cookie column and a lifetime, purpose or vendor column. */
const isHeaderCell = (cell: Element) =>
  cell.nodeName.toLowerCase() === 'th' || cell.getAttribute('role') === 'columnheader';

/** A header cell's text that is a value, not a label: a lifetime ("13 mois"). */
function holdsValue(text: string): boolean {
  return text.length < 40 && findLifetimes(text)[0]?.text === text.trim();
}

export function readCookieTables(root: ParentNode): CookieTable[] {
  const tables: CookieTable[] = [];
  const precedingHeading = headingFinder();
  for (const list of Array.from(root.querySelectorAll('dl'))) {
    const vertical = stackedTable(definitionSlots(list));
    if (vertical) tables.push({ element: list, ...vertical, heading: precedingHeading(list) });
  }
  const grids: Array<[Element, Element[][]]> = [
    ...Array.from(root.querySelectorAll('table')).map((table): [Element, Element[][]] => [table, grid(table)]),
    ...Array.from(root.querySelectorAll('[role="table"], [role="grid"]')).map((table): [Element, Element[][]] => [
      table,
      ariaGrid(table),
    ]),
  ];
  for (const [table, slots] of grids) {
    const headerIndex = slots.findIndex((row) => {
      const roles = row.map((cell) => classifyHeader(elementText(cell)));
      return (
        roles.includes('name') && roles.some((role) => role === 'lifetime' || role === 'purpose' || role === 'vendor')
      );
    });
    let columns: Array<Column | null>;
    let header: Element[];
    let body: Element[][];
    if (headerIndex >= 0 && headerIndex <= 3) {
      header = slots[headerIndex]!;
      body = slots.slice(headerIndex + 1);
      columns = lifetimeByContent(
        nameColumnOnce(header.map((cell) => elementText(cell))),
        body.map((row) => row.map((cell) => elementText(cell))),
      );
    } else {
      const vertical = stackedTable(slots) ?? verticalTable(slots, precedingHeading(table));
      if (vertical) {
        tables.push({ element: table, ...vertical, heading: precedingHeading(table) });
        continue;
      }
      // No header row this reading knows (or a data row where the header should be): the columns are told by what
      // their cells hold. A first row of header cells ("Sous-traitant", "Finalités"…) is a header still, never data.
      // Header cells holding a row's values ("tarteaucitron", "13 mois") are that row, in <thead>.
      const headed = slots[0]?.length
        ? slots[0].every(isHeaderCell) && !slots[0].some((cell) => holdsValue(elementText(cell)))
        : false;
      body = headed ? slots.slice(1) : slots;
      const inferred = columnsByContent(body.map((row) => row.map((cell) => elementText(cell))));
      if (!inferred) continue;
      columns = inferred;
      header = headed ? slots[0]! : [];
    }
    const labels = header.map((cell) => elementText(cell));
    const units = labels.map(lifetimeUnit);
    const rows: TableRow[] = [];
    let group: string | null = null;
    for (const slotRow of body) {
      const distinct = [...new Set(slotRow)];
      if (distinct.length === 0) continue;
      if (distinct.length === 1 && columns.length > 1) {
        group = elementText(distinct[0]!) || group;
        continue;
      }
      if (header.length > 0 && slotRow.every((cell, c) => elementText(cell) === elementText(header[c] ?? cell)))
        continue; // a repeated header
      const cells: Partial<Record<Column, string>> = {};
      slotRow.forEach((cell, c) => {
        const column = columns[c];
        if (!column) return;
        const text = (column === 'name' ? codeNames(cell) : null) ?? cellText(cell, labels[c]);
        const value = column === 'lifetime' ? withUnit(text, units[c]) : text;
        if (value) cells[column] = cells[column] && cells[column] !== value ? `${cells[column]}\n${value}` : value;
      });
      rows.push({
        cells,
        text: distinct
          .map((cell) => elementText(cell))
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim(),
        group,
      });
    }
    tables.push({ element: table, columns, rows, heading: precedingHeading(table) });
  }
  return tables;
}

export interface RowContext {
  /** Category of the section the table sits in (a heading, Cookiebot's "Necessary (4)"…). */
  category?: Category;
  storage?: Storage;
  /** Extra words describing where the row was found, kept in the entry's notes. */
  where?: string;
  /** The heading the table sits under, read for the need for consent when the row's own category words say nothing. */
  heading?: string | null;
}

/**
 * The need for consent the row's category words state ("Strictement nécessaires", "Soumis à consentement"), else its
 * group row's, else the heading's; none when they name a category only ("Analytics"): the regulator's rule decides.
 */
function rowConsent(labels: ReadonlyArray<string | null | undefined>): DraftConsent | undefined {
  for (const label of labels) {
    const basis = consentBasisFromLabel(label);
    if (basis && label) return { basis, excerpt: label };
  }
  return undefined;
}

/**
 * One table row as entries: usually one, with every name its name cell lists; several when the lifetime cell
 * lists one lifetime per name. A row without a name but with a description is an unnamed entry.
 */
export function rowEntries(
  row: TableRow,
  context: RowContext = {},
): { entries: DraftEntry[]; problems: NotUnderstood[] } {
  const { cells } = row;
  const { names: printed, description } = namesInCell(cells.name ?? '');
  // "session" in the name cell beside a lifetime cell of its own is a cookie named so (many frameworks' default).
  const namedSession = (name: string) => /^session$/i.test(name) && Boolean(cells.lifetime?.trim());
  // A first column copying the name ("Cookie | Name" both "ARRAffinity") is no vendor's.
  const vendor = cells.vendor?.trim() === cells.name?.trim() ? undefined : cells.vendor;
  const names = printed
    .filter((name) => !isNotACookieName(name, vendor) || namedSession(name))
    .map((name) => declaredName(name))
    .filter((name) => name !== null);
  const labels = [cells.category, cells.type, row.group].filter((label): label is string => Boolean(label));
  const categoryLabel = labels.find((label) => isCategoryLabel(label));
  const category = categoryLabel ? categoryFromLabel(categoryLabel) : (context.category ?? 'unknown');
  const typeStorage = storageFromLabel(cells.type);
  const storage = typeStorage !== 'unknown' ? typeStorage : (context.storage ?? 'cookie');
  const party =
    [cells.type, cells.category, row.group].map(partyFromLabel).find((p) => p !== 'unspecified') ?? 'unspecified';
  const notes: string[] = [];
  if (cells.domain) notes.push(`Domain given: ${cells.domain.replace(/\n/g, ', ')}.`);
  if (context.where) notes.push(context.where);
  if (description)
    notes.push(
      names.length > 0 ? `The name cell also reads: "${description}".` : `Described, not named: "${description}".`,
    );
  const consent = rowConsent([cells.category, row.group, context.heading]);
  const base: Omit<DraftEntry, 'names' | 'lifetime'> = {
    ...(consent ? { consent } : {}),
    vendor: vendor?.replace(/\n/g, ' ') ?? null,
    purpose: cells.purpose ?? (names.length === 0 ? (description ?? '') : ''),
    category,
    party,
    storage,
    controller: cells.controller?.replace(/\n/g, ' ') ?? null,
    dataCollected: cells.data?.replace(/\n/g, ' ') ?? null,
    excerpt: row.text,
  };
  // One per line, or "Session, 365 Days, 180 Days" (OneTrust's cookie list), a comma and a space apart ("1,5 an" stays).
  const lifetimeLines = (cells.lifetime ?? '').split(/\n|[,;]\s+/);
  // "Session, 365 Days, 180 Days" beside "a, b, c" (OneTrust's cookie list): one lifetime per name, by position.
  const listed = findLifetimes(cells.lifetime ?? '');
  // A cell naming each cookie before its lifetime says which is which, whatever the order.
  const mentioned = mentionedLifetimes(
    names.map((name) => name.printed),
    cells.lifetime ?? '',
    listed,
  );
  const perName =
    mentioned ??
    (names.length > 1 &&
    lifetimeLines.length === names.length &&
    // "Defaults to 15 days." / "Can be configured by setting:" / "`…_lifetime`.": one lifetime and its remarks, a
    // line ending in a colon and the setting it names.
    !lifetimeLines.some(
      (line) => /:\s*$/.test(line) || identifierStrength(line.trim().replace(/[`.]/g, '')) === 'strong',
    ) &&
    // "Third party, 30 minutes" beside two names is one lifetime after a party word, not two lifetimes.
    !lifetimeLines.some((line) => /\b(?:first|third|1st|3rd)[ -]?part(?:y|ies)\b/i.test(line))
      ? lifetimeLines.map((line) => lifetimeFromText(line))
      : names.length > 1 && listed.length === names.length && listedApart(cells.lifetime ?? '', listed)
        ? listed.map((found) => found.lifetime)
        : null);
  if (perName) {
    return {
      entries: names.map((name, i) => ({
        ...base,
        names: [name],
        lifetime: perName[i]!,
        notes: [...notes, 'Lifetimes paired with names in the order the cell lists them.'],
      })),
      problems: [],
    };
  }
  if (names.length === 0 && !description && !cells.purpose) {
    return {
      entries: [],
      problems: row.text.trim() ? [{ text: row.text, reason: 'table row without a cookie name or description' }] : [],
    };
  }
  // As many lifetimes as names, offered as one choice ("Session — 30 mins"): which is whose is not said, so the cell
  // stands as printed, unknown, for each; never its first lifetime for all.
  if (names.length > 1 && listed.length === names.length) {
    const offered = { text: (cells.lifetime ?? '').trim(), parsed: { kind: 'unknown' as const } };
    return { entries: [{ ...base, names, lifetime: offered, notes }], problems: [] };
  }
  return { entries: [{ ...base, names, lifetime: rowLifetime(cells), notes }], problems: [] };
}

/**
 * Lifetimes a list gives, one after the other ("Session, 365 Days, 180 Days", "2 ans / 24 heures" beside "_ga / _gid"),
 * not offered as a choice ("Session — 30 mins", "1 year or session"): such a cell is kept whole for its names.
 */
function listedApart(cell: string, found: readonly FoundLifetime[]): boolean {
  return found.every((one, k) => {
    if (k === 0) return true;
    const before = found[k - 1]!;
    const between = cell.slice(before.index + before.text.length, one.index);
    return !/[—–]|\s-\s|\b(?:or|ou|oder|o)\b/i.test(between);
  });
}

/**
 * "_utma is deleted after 2 years, _utmz after 6 months and _utmb / _utmc when you close your browser": a lifetime
 * cell naming each of the row's cookies before its lifetime gives each the first lifetime after its name. Null unless
 * every name is there, with a lifetime after it, and the cell states two lifetimes at least.
 */
function mentionedLifetimes(
  names: readonly string[],
  cell: string,
  found: readonly FoundLifetime[],
): DeclaredLifetime[] | null {
  if (names.length < 2 || names.length > 20 || found.length < 2) return null;
  const lifetimes: DeclaredLifetime[] = [];
  for (const name of names) {
    const at = wordIndex(cell, name);
    const after = at < 0 ? undefined : found.find((one) => one.index > at);
    if (!after) return null;
    lifetimes.push(after.lifetime);
  }
  return lifetimes;
}

/**
 * Where `word` first stands as a word of its own in `text` (not inside "_utmzz"), or -1; as printed, else in another
 * case ("Ai_user: 1 year" for `ai_user`).
 */
function wordIndex(text: string, word: string): number {
  const inWord = (at: number) => /[\w.*#$-]/.test(text[at] ?? ' ');
  const find = (haystack: string, needle: string) => {
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      if (!inWord(at - 1) && !inWord(at + needle.length)) return at;
    }
    return -1;
  };
  const exact = find(text, word);
  return exact >= 0 ? exact : find(foldCase(text), foldCase(word));
}

// Lower case letter by letter, keeping the text's length (so indexes hold): "İ" would become two code units.
function foldCase(text: string): string {
  return Array.from(text, (letter) => {
    const lower = letter.toLowerCase();
    return lower.length === letter.length ? lower : letter;
  }).join('');
}

function offersSessionOrDuration(found: readonly FoundLifetime[]): boolean {
  const kinds = new Set(found.map((one) => one.lifetime.parsed.kind));
  return kinds.has('session') && (kinds.has('duration') || kinds.has('range'));
}

/**
 * Two lengths or more, not all the same, offered with "or" / "ou" between them ("30 minutes, 3w or 1y depending on
 * value", "1 an ou 13 mois"). Each number with the word glued or next to it is read: "3w" and "1y" are lengths too.
 */
function offersDurations(cell: string): boolean {
  if (!/(?<!\p{L})(?:or|ou)(?!\p{L})/iu.test(cell)) return false;
  const lengths = new Set<number>();
  for (const match of cell.matchAll(/\d+(?:[.,]\d+)?[ \t]*\p{L}+/gu)) {
    const parsed = parseLifetime(match[0]);
    if (parsed.kind === 'duration') lengths.add(parsed.seconds);
  }
  return lengths.size >= 2;
}

/** A short first sentence a capitalised one follows ("Session. Utilisé par…"), else null. */
function firstSentence(cell: string): string | null {
  const end = /\.\s+\p{Lu}/u.exec(cell.slice(0, 41));
  return end && !cell.slice(0, end.index).includes('\n') ? cell.slice(0, end.index).trim() : null;
}

/**
 * The row's lifetime: its lifetime cell as printed when that parses (without one, the one lifetime its description
 * states); else, of the lifetimes its lifetime (or two
 * lifetime) columns and its type column state, a duration before "persistent" or "session" ("Type: Persistent"
 * beside "Retention: Up to 365 days").
 */
/** "… Laufzeit: Sitzung.", "Duration: Session": a one-word lifetime after a lifetime's label in a description. */
function afterLifetimeLabel(text: string, found: FoundLifetime): boolean {
  const label = /(\p{L}[\p{L} ]{1,30}):\s*$/u.exec(text.slice(Math.max(0, found.index - 40), found.index))?.[1];
  return label !== undefined && classifyHeader(label) === 'lifetime';
}

function rowLifetime(cells: Partial<Record<Column, string>>): DeclaredLifetime {
  // No lifetime cell: the description may state it ("Remembers your choice. Expires after 1 year."), once.
  if (!cells.lifetime?.trim()) {
    // A phrase ("Expires after 1 year", "when you close your browser"), not a word ("the user's session").
    // "Session duration." as one of its points says the session, as "365 days duration." says a year.
    const said = findLifetimes(cells.purpose ?? '');
    const sessionPoint = /(?:^|\n)[^\w\n]{0,4}session duration\.?[ \t]*(?:\n|$)/i.test(cells.purpose ?? '');
    if (said.length === 1 && (/\s/.test(said[0]!.text) || sessionPoint || afterLifetimeLabel(cells.purpose!, said[0]!)))
      return said[0]!.lifetime;
    // "serverid | Identify the server… | Session | |": a row that lost a cell, its lifetime the whole of the next.
    const purpose = (cells.purpose ?? '').trim().replace(/\.$/, '');
    if (said.length === 1 && said[0]!.text.length === purpose.length) return said[0]!.lifetime;
  }
  // "Session. Utilisé par le serveur pendant 30 minutes…", "6 mois. Renouvelé à chaque visite…": the cell's first
  // sentence is its lifetime, what follows a note on it, though the note states another length.
  const first = firstSentence(cells.lifetime ?? '');
  if (first !== null) {
    const stated = lifetimeFromText(first);
    if (stated.parsed.kind !== 'unknown') return stated;
  }
  const whole = lifetimeFromText(cells.lifetime);
  if (whole.parsed.kind !== 'unknown' && !(cells.lifetime ?? '').includes('\n')) return whole;
  // "fermeture du navigateur (30 minutes sans geste ouvrent une nouvelle visite)": the cell's lifetime, then a remark
  // in brackets on something else (a visit's length). A bracket holding a lifetime alone ("Session (1 day)") says
  // the lifetime more precisely: read below.
  const bracket = (cells.lifetime ?? '').indexOf('(');
  if (bracket > 0 && (cells.lifetime ?? '').trimEnd().endsWith(')')) {
    const before = lifetimeFromText(cells.lifetime!.slice(0, bracket));
    const inside = cells
      .lifetime!.trimEnd()
      .slice(bracket + 1, -1)
      .trim();
    const said = findLifetimes(inside);
    const alone = said.length === 1 && said[0]!.text.length >= inside.length - 2;
    if (before.parsed.kind !== 'unknown' && !alone) return before;
  }
  const own = findLifetimes(cells.lifetime ?? '');
  // "Session / 1 an" for one cookie is a choice the policy does not settle: unknown, as printed.
  if (offersSessionOrDuration(own)) return whole;
  // "30 minutes, 3w or 1y depending on value": lengths offered as a choice, none of them the cookie's.
  if (offersDurations(cells.lifetime ?? '')) return whole;
  const found = [...own, ...findLifetimes(cells.type ?? '')];
  const rank = (kind: string) => (['duration', 'range'].includes(kind) ? 0 : kind === 'session' ? 1 : 2);
  const best = found.sort((a, b) => rank(a.lifetime.parsed.kind) - rank(b.lifetime.parsed.kind))[0];
  return best?.lifetime ?? whole;
}
