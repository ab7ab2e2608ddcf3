import { parseLifetime } from '../audit/lifetime';
import {
  codeNamed,
  identifierStrength,
  isNotACookieName,
  namesInCell,
  opensWithVendor,
  withoutStorageRemark,
} from './identifiers';
import { findLifetimes, type FoundLifetime } from './lifetime-phrases';
import {
  classifyHeader,
  lifetimeByContent,
  lifetimeUnit,
  statedUnit,
  nameColumnOnce,
  withUnit,
  type Column,
  type TableRow,
} from './tables';

/**
 * Tables that reach us as text: rows with " | " (or Markdown's `|a|b|`) between cells, and tables copied from a page
 * one cell per line under a header of one label per line ("Nom / Description / Suppression / Persistance"). Their
 * rows are read like an HTML table's (tables.ts `rowEntries`).
 */
export interface TextTable {
  /** First and last line (0-based, inclusive) the table covers. */
  from: number;
  to: number;
  rows: TableRow[];
}

const MAX_COLUMNS = 12;

/**
 * A header names the cookie column and a lifetime, purpose or vendor column. Its labels are short and hold no colon:
 * "Nom : _pk_id | Durée : 13 mois" is a row of labelled fields, not a header.
 */
function headerColumns(labels: readonly string[]): Array<Column | null> | null {
  if (labels.length < 2 || labels.length > MAX_COLUMNS) return null;
  // "Cookies set by us:" introduces a table, it heads no column.
  if (labels.some((label) => label.includes(':') || label.split(/\s+/).length > 6)) return null;
  const columns = nameColumnOnce(labels.map((label) => label.replace(/[`*_]/g, ' ')));
  const described = columns.some((column) => column === 'lifetime' || column === 'purpose' || column === 'vendor');
  return columns.includes('name') && described ? columns : null;
}

function pipeCells(line: string, least = 2): string[] | null {
  if (!line.includes('|')) return null;
  const cells = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    // Markdown's "\|" is a bar inside a cell.
    .split(/(?<!\\)\|/)
    .map((cell) => cell.replace(/\\\|/g, '|').trim());
  return cells.length >= least ? cells : null;
}

/**
 * A row whose cells go on over the next lines ("| __a __b |" then "Described here. | session |", as a wrapped Markdown
 * export prints it): lines that do not start a row of their own are added until the row has the header's width.
 */
function wrappedRow(lines: readonly string[], at: number, width: number): { cells: string[]; last: number } | null {
  // A lone "|" opens a row whose cells follow on the next lines.
  const cells = lines[at]!.trim() === '|' ? [] : pipeCells(lines[at]!, 1);
  if (!cells) return null;
  let last = at;
  // A cell whose text goes on over lines without a bar ("| Cloudflare |", "cf_clearance", "__cf_bm |": the second
  // cell holds two names): such a line opens a cell after a closing bar, and adds to the open cell otherwise.
  let open = !/\|\s*$/.test(lines[at]!) && lines[at]!.trim() !== '|';
  while (cells.length < width && last + 1 < lines.length) {
    const next = lines[last + 1]!;
    // A bar alone inside a row ("Session" then "|", then "|"): it closes the open cell, or is an empty cell itself.
    if (next.trim() === '|' && cells.length > 0) {
      if (!open) cells.push('');
      open = false;
      last++;
      continue;
    }
    if (/^\s*\|/.test(next) || SEPARATOR.test(next) || next.trim() === '') break;
    if (!next.includes('|')) {
      // Only where a later line of the row closes the cell: a sentence after the table's last row is none of it.
      if (!closedLater(lines, last + 2)) break;
      if (open && cells.length > 0) cells[cells.length - 1] += `\n${next.trim()}`;
      else cells.push(next.trim());
      open = true;
      last++;
      continue;
    }
    const more = pipeCells(next, 1);
    if (!more) break;
    if (open && cells.length > 0) cells[cells.length - 1] += `\n${more.shift()}`;
    cells.push(...more);
    open = !/\|\s*$/.test(next);
    last++;
  }
  return cells.length >= 2 ? { cells, last } : null;
}

/** Whether a line from `from` on, before a blank line or a new row, holds a bar closing a cell (within a few lines). */
function closedLater(lines: readonly string[], from: number): boolean {
  for (let k = from; k < lines.length && k < from + 5; k++) {
    const line = lines[k]!;
    if (line.trim() === '|') return true;
    if (line.trim() === '' || /^\s*\|/.test(line) || SEPARATOR.test(line)) return false;
    if (line.includes('|')) return true;
  }
  return false;
}

/** A Markdown table's delimiter row: "|---|:--:|", "---|---", and the shortest, "-|-" (one dash a cell will do). */
const SEPARATOR = /^\s*\|?\s*:?(?:-{2,}|-(?=\s*\|)|(?<=\|\s*)-):?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function row(
  columns: ReadonlyArray<Column | null>,
  values: readonly string[],
  units: ReadonlyArray<string | null> = [],
): TableRow {
  const cells: Partial<Record<Column, string>> = {};
  values.forEach((value, c) => {
    const column = columns[c];
    // Markdown tables break lines in a cell with <br>.
    // "**`_lcc`**": Markdown's bold around a code span marks the name, no part of it.
    // "[`_cs_id`](https://…#_cs_id)": a Markdown link's text, without its address.
    const text = value
      .replace(/\[([^\]\n]{1,200})\]\([^()\s]{1,500}\)/g, '$1')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/`/g, '')
      .replace(/\*\*(?=\S)([^*]*?\S)\*\*/g, '$1')
      .trim();
    const cell = column === 'lifetime' ? withUnit(text, units[c]) : text;
    if (column && cell) cells[column] = cells[column] ? `${cells[column]}\n${cell}` : cell;
  });
  // A row that lost a cell before its lifetime ("_gid | Used to… | 24 hours | |"): its lifetime sits one column early.
  const lifetimeAt = columns.indexOf('lifetime');
  const early = values[lifetimeAt - 1]?.trim() ?? '';
  const shifted = lifetimeAt > 0 && columns[lifetimeAt - 1] !== 'name' && columns[lifetimeAt - 1] !== 'purpose';
  if (
    !cells.lifetime &&
    shifted &&
    early.length < 60 &&
    values.slice(lifetimeAt).every((v) => !v.trim()) &&
    statesLifetime(early)
  )
    cells.lifetime = early;
  return { cells, text: values.join(' | '), group: null };
}

function pipeTable(lines: readonly string[], at: number): TextTable | null {
  let labels = pipeCells(lines[at]!);
  let labelled = labels && headerColumns(labels);
  // "« Back to Glossary Index| Cookie | Type | Duration |": the header glued to the line before it, a delimiter row
  // under it.
  const bar = lines[at]!.indexOf('|');
  const glued = bar > 0 && labelled?.[0] === null && lines[at]!.slice(0, bar).trim() !== '';
  if ((!labelled || glued) && bar > 0 && SEPARATOR.test(lines[at + 1] ?? '')) {
    labels = pipeCells(lines[at]!.slice(bar));
    labelled = labels && headerColumns(labels);
  }
  if (!labels || !labelled) return codeNameTable(lines, at) ?? headerlessPipeTable(lines, at);
  const { cells, end } = pipeRows(lines, at + 1, labelled.length);
  const i = end;
  const columns = lifetimeByContent(labelled, cells);
  const nameAt = columns.indexOf('name');
  const marked = marksNamesInCode(lines);
  let described = 0;
  // "| Must-haves | | | |": a row with its first cell only is a group's label above the rows, as in an HTML table.
  const rows: TableRow[] = [];
  let group: string | null = null;
  let above: readonly string[] | null = null;
  const units = labels.map(lifetimeUnit);
  // "Retention is shown in days." a few lines above the header: the unit of a lifetime column that gives none.
  const lifetimeAt = columns.indexOf('lifetime');
  if (lifetimeAt >= 0 && units[lifetimeAt] === null) {
    for (let k = at - 1; k >= Math.max(0, at - 4) && units[lifetimeAt] === null; k--)
      units[lifetimeAt] = statedUnit(lines[k]!);
  }
  for (const printed of cells) {
    if (printed.length > 1 && printed[0]!.trim() && printed.slice(1).every((value) => !value.trim())) {
      group = printed[0]!.trim();
      continue;
    }
    const values = spannedRow(columns, printed, above);
    above = values;
    if (marked && !namedInCodeOrShape(values[nameAt] ?? '')) {
      described++;
      continue;
    }
    rows.push({ ...row(columns, values, units), group });
  }
  // A table of described rows only is read all the same: its rows name nothing.
  return rows.length > 0 || described > 0 ? { from: at, to: i - 1, rows } : null;
}

/**
 * A row that lost its first cells to cells spanning rows above it ("Cloudflare" over "_cfduid" and "cf_clearance",
 * printed "cf_clearance | 1 hour | | |"): its cells stand as many places early as it lost, a lifetime one place or more
 * before the lifetime column and a name as far before the name column. Put back in place, the lost cells taken from
 * the row above.
 */
function spannedRow(
  columns: ReadonlyArray<Column | null>,
  values: readonly string[],
  above: readonly string[] | null,
): readonly string[] {
  const nameAt = columns.indexOf('name');
  const lifetimeAt = columns.indexOf('lifetime');
  if (!above || nameAt <= 0 || lifetimeAt <= nameAt || statesLifetime(values[lifetimeAt] ?? '')) return values;
  for (let k = 1; k <= nameAt; k++) {
    const lifetime = values[lifetimeAt - k]!;
    if (lifetime.length < 60 && statesLifetime(lifetime) && isNameList(values[nameAt - k]!))
      return [...above.slice(0, k), ...values.slice(0, columns.length - k)];
  }
  return values;
}

/** A line under a row or a delimiter row ("---", with or without bars) starts no table of its own. */
function continuesTable(lines: readonly string[], at: number): boolean {
  return at > 0 && (lines[at - 1]!.includes('|') || SEPARATOR.test(lines[at - 1]!));
}

/**
 * A pipe table with no header, its delimiter row under the first row ("_shibsession_<uid> (sso.example.ac.uk) | The
 * identity system uses…|" then "---|---|"): each row's first cell names it, the others are its description, a
 * lifetime column found by its content. Every row must be named so, two rows at least.
 */
function headerlessPipeTable(lines: readonly string[], at: number): TextTable | null {
  const first = pipeCells(lines[at]!);
  if (!first || first.length > MAX_COLUMNS || !SEPARATOR.test(lines[at + 1] ?? '')) return null;
  if (continuesTable(lines, at)) return null;
  const { cells, end } = pipeRows(lines, at + 2, first.length);
  const all = [first, ...cells];
  // The first row a name shaped as one; no row a capitalised word (a table of partners, of services).
  const named = (cell: string) => isNameList(cell) && !/^\p{Lu}\p{Ll}+$/u.test(cell.trim());
  const shaped = namesInCell(first[0]!).names.some((name) => identifierStrength(name) === 'strong');
  if (all.length < 2 || !shaped || !all.every((values) => named(values[0] ?? ''))) return null;
  const columns = lifetimeByContent(
    first.map((_, c) => (c === 0 ? 'name' : c === 1 ? 'purpose' : null)),
    all,
  );
  return { from: at, to: end - 1, rows: all.map((values) => row(columns, values)) };
}

const namesInCode = new WeakMap<readonly string[], boolean>();

/**
 * Whether the text's tables mark their names as code ("| `qoe_cookie_consent` | …"): then a name cell holding none is
 * a description ("Jeton CSRF", "Langue, devise, fuseau") unless each of its words is shaped like a name.
 */
function marksNamesInCode(lines: readonly string[]): boolean {
  let marks = namesInCode.get(lines);
  if (marks === undefined) {
    marks = lines.some((line) => /^\s*\|\s*(?:\*\*)?`[^`]+`/.test(line));
    namesInCode.set(lines, marks);
  }
  return marks;
}

function namedInCodeOrShape(cell: string): boolean {
  // A single lower-case word ("session", "cart") is a name as printed; capitalised words describe.
  if (cell.includes('`') || /^[a-z][a-z0-9_.-]*$/.test(cell.trim())) return true;
  const words = cell.split(/[\s,/]+/).filter(Boolean);
  return words.length > 0 && words.every((word) => identifierStrength(word) !== 'none');
}

/** The rows of a pipe table from `at` (delimiter rows left out), and the line after them. */
function pipeRows(lines: readonly string[], at: number, width: number): { cells: string[][]; end: number } {
  const cells: string[][] = [];
  let i = at;
  for (; i < lines.length; i++) {
    if (SEPARATOR.test(lines[i]!)) continue;
    const wrapped = wrappedRow(lines, i, width);
    if (!wrapped) break;
    cells.push(wrapped.cells);
    i = wrapped.last;
  }
  return { cells, end: i };
}

/**
 * A Markdown table whose header names no column this reading knows ("| Où | Quoi |"), one column of which gives rows
 * their names in code spans ("`localStorage` → `alldraw:lang`"): that column is the names', the others are read by
 * their labels or their content, and rows naming nothing in code (IndexedDB, an app cache) are left out. Two rows at
 * least; a header stands under no row (a table is tried once, from its header).
 */
function codeNameTable(lines: readonly string[], at: number): TextTable | null {
  const labels = pipeCells(lines[at]!);
  if (!labels || labels.length > MAX_COLUMNS || !SEPARATOR.test(lines[at + 1] ?? '')) return null;
  if (continuesTable(lines, at)) return null;
  const { cells, end } = pipeRows(lines, at + 2, labels.length);
  const named = (cell: string) => [...cell.matchAll(/`([^`\s]+)`/g)].map((match) => match[1]!).filter(codeNamed);
  const nameAt = labels.findIndex((_, c) => cells.filter((values) => named(values[c] ?? '').length > 0).length >= 2);
  if (nameAt < 0) return null;
  const labelled = labels.map((label, c) => {
    const column = classifyHeader(label);
    return c === nameAt ? 'name' : column === 'name' ? null : column;
  });
  const columns = lifetimeByContent(labelled, cells);
  const rows = cells.flatMap((values) => {
    const names = named(values[nameAt] ?? '');
    return names.length > 0 ? [row(columns, values.with(nameAt, names.join(', ')))] : [];
  });
  return rows.length >= 2 ? { from: at, to: end - 1, rows } : null;
}

/**
 * Cells a slash apart, the header's too ("NAME / TYPE / DURATION / PURPOSE", then "Crumb / Cookie / Session /
 * Prevents…"), rows maybe a blank line apart: the last cell keeps any slash of its own.
 */
function slashTable(lines: readonly string[], at: number): TextTable | null {
  const labels = lines[at]!.split(' / ').map((label) => label.trim());
  const columns = labels.length >= 3 ? headerColumns(labels) : null;
  if (!columns) return null;
  const rows: TableRow[] = [];
  let last = at;
  for (let i = at + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const parts = lines[i]!.split(' / ');
    if (parts.length < labels.length) break;
    const cells = [...parts.slice(0, labels.length - 1), parts.slice(labels.length - 1).join(' / ')];
    rows.push(row(columns, cells));
    last = i;
  }
  return rows.length > 0 ? { from: at, to: last, rows } : null;
}

/** Cells a tab apart: what a browser gives when a table is copied. */
function tabCells(line: string): string[] | null {
  if (!line.includes('\t')) return null;
  const cells = line.split('\t').map((cell) => cell.trim());
  return cells.filter(Boolean).length >= 2 ? cells : null;
}

function tabTable(lines: readonly string[], at: number): TextTable | null {
  const labels = tabCells(lines[at]!);
  const columns = labels && headerColumns(labels);
  if (!columns) return null;
  const rows: TableRow[] = [];
  let i = at + 1;
  for (; i < lines.length; i++) {
    const cells = tabCells(lines[i]!);
    if (!cells) break;
    rows.push(row(columns, cells, labels.map(lifetimeUnit)));
  }
  return rows.length > 0 ? { from: at, to: i - 1, rows } : null;
}

/**
 * The fields of a comma-separated line (a scanner's or a consent plugin's export), double quotes around a field
 * holding commas; null for fewer than three fields.
 */
function csvCells(line: string): string[] | null {
  if (!line.includes(',')) return null;
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let c = 0; c < line.length; c++) {
    const char = line[c]!;
    if (quoted) {
      if (char === '"' && line[c + 1] === '"') {
        cell += '"';
        c++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell.trim() === '') quoted = true;
    else if (char === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells.length >= 3 ? cells : null;
}

function csvTable(lines: readonly string[], at: number): TextTable | null {
  // A reStructuredText csv-table's header is an option of the directive (':header: "Name", "Purpose", "Expires"').
  const rst = /^\s*:header:\s*/.exec(lines[at]!);
  const labels = csvCells(rst ? lines[at]!.slice(rst[0].length) : lines[at]!);
  const columns = labels && headerColumns(labels);
  if (!columns) return null;
  const rows: TableRow[] = [];
  let i = at + 1;
  // A reStructuredText csv-table: a blank line between its ":header:" option and its rows.
  if (rst && lines[i]?.trim() === '') i++;
  for (; i < lines.length; i++) {
    const cells = csvCells(lines[i]!);
    if (!cells || cells.length !== columns.length) break;
    rows.push(row(columns, cells, labels.map(lifetimeUnit)));
  }
  return rows.length > 0 ? { from: at, to: i - 1, rows } : null;
}

/** Header labels one per line: short lines, each a column label, the run naming a cookie column. */
/** A line of a table copied one cell per line, without the " |" some copies end each cell with. */
function cellLine(line: string): string {
  // By trimming, not /\s*\|$/: that pattern retries from every space of a long run.
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1).trimStart();
  if (text.endsWith('|')) text = text.slice(0, -1).trimEnd();
  return text;
}

/** A header copied on one line, its labels a tab apart, over cells copied one a line. */
function tabHeader(line: string): { labels: string[]; columns: Array<Column | null> } | null {
  const labels = tabCells(line);
  const columns = labels && headerColumns(labels);
  return columns ? { labels, columns } : null;
}

const LIFETIME_VALUE_WORD = /\b(?:instantly|immediately|never|jamais|imm[ée]diatement)\b/i;

function cellPerLineTable(lines: readonly string[], at: number): TextTable | null {
  // "|" alone above the labels: each row, the header's too, opens with a bar line of its own ("|", "Name |", …).
  const opened = lines[at]!.trim() === '|';
  const tabbed = opened ? null : tabHeader(lines[at]!);
  const first = opened ? at + 1 : at;
  const labels: string[] = tabbed ? tabbed.labels : [];
  for (let i = first; !tabbed && i < lines.length && labels.length < MAX_COLUMNS; i++) {
    const line = cellLine(lines[i]!);
    // The next bar line ends an opened header, so a label this reading does not know ("Source") is kept in its place.
    // Nor a list of names after the labels ("session, oidc_session, …": "session" is a lifetime word too).
    // Nor a value: "Expires instantly", "Expires in 2 days" (a label says no number and no moment).
    if (line === '' || line.split(/\s+/).length > 4 || /[,_\d]/.test(line) || LIFETIME_VALUE_WORD.test(line)) break;
    // A label this reading does not know ("Source") between two it knows keeps its place as a column of its own.
    const known = (text: string | undefined) => text !== undefined && classifyHeader(cellLine(text)) !== null;
    const stray = /^\p{Lu}\p{Ll}+(?: \p{L}\p{Ll}+)?$/u.test(line) && labels.length > 0 && known(lines[i + 1]);
    if (!opened && !known(lines[i]) && !(stray && known(lines[i - 1]))) break;
    labels.push(line);
  }
  const columns = tabbed ? tabbed.columns : headerColumns(labels);
  if (!columns) return null;
  const values: string[] = [];
  // The line each value ends on.
  const valueLines: number[] = [];
  let i = tabbed ? at + 1 : first + labels.length;
  // The next table's header (a tab-separated one, with no blank line before it) ends this one.
  // A delimiter row under the labels ("---|---|---|") is no cell.
  // A remark in brackets wrapped over lines below a cell ("_gat_UA-XXXX" / "(where the Xs are replaced" / "by the ID)")
  // belongs to that cell.
  // Three lines at most: a bracket never closed leaves the rows below it their own.
  let remark = 0;
  for (; i < lines.length && lines[i]!.trim() !== '' && !tabHeader(lines[i]!); i++) {
    if (SEPARATOR.test(lines[i]!)) continue;
    const cell = cellLine(lines[i]!);
    if ((remark > 0 || (cell.startsWith('(') && !cell.includes(')'))) && values.length > 0 && remark < 3) {
      values[values.length - 1] += ` ${cell}`;
      valueLines[values.length - 1] = i;
      remark = cell.includes(')') ? 0 : remark + 1;
    } else {
      values.push(cell);
      valueLines.push(i);
      remark = 0;
    }
  }
  if (!opened) withoutRepeatedHeaders(values, valueLines, columns);
  if (tabbed && values.length > 0 && tabCells(lines[at + 1]!)) return null;
  const width = columns.length;
  const rows: TableRow[] = [];
  // With an opening bar, a row is that bar then its cells (an empty cell is a bar alone too).
  const step = opened ? width + 1 : width;
  const skip = opened ? 1 : 0;
  for (let r = 0; r + skip + width <= values.length; r += step) {
    if (opened && values[r] !== '') break;
    rows.push(row(columns, values.slice(r + skip, r + skip + width)));
  }
  // Lines left over after the last whole row (a sentence after the table, no blank line between) are no part of it.
  const over = opened ? Math.max(0, values.length - rows.length * step) : values.length % width;
  // Counted cells fit when every row's name cell is one word (or a list of words) and its lifetime cell, if the
  // table has one, states a lifetime or is empty: "langue" is a name there, though it is an ordinary word.
  const named = (read: TableRow) => isNameList(read.cells.name ?? '');
  const timed = (read: TableRow) =>
    !columns.includes('lifetime') || !read.cells.lifetime || statesLifetime(read.cells.lifetime);
  const share = (test: (read: TableRow) => boolean) => rows.filter(test).length / Math.max(1, rows.length);
  // Or, the cells filling whole rows, nearly every name cell a name and most lifetime cells a lifetime: a row of
  // "Expires midnight of the next day" or a last row's stray words ("Unique to") leave the count as it is.
  const aligned =
    rows.length > 0 &&
    (rows.every((read) => named(read) && timed(read)) ||
      (rows.length >= 4 && over === 0 && share(named) >= 0.75 && share(timed) >= 0.6));
  if (aligned) return { from: at, to: opened ? i - 1 - over : valueLines[rows.length * width - 1]!, rows };
  const spaced = spaceSeparatedRows(columns, values);
  if (spaced.length > 0) return { from: at, to: i - 1, rows: spaced };
  const anchored = anchoredRows(columns, values);
  const ended = anchored.length > 0 ? [] : lifetimeEndedRows(columns, values);
  if (ended.length > 0) return { from: at, to: i - 1, rows: ended };
  const table = anchored.length > 0 ? anchored : rows;
  return table.length > 0 ? { from: at, to: i - 1, rows: table } : null;
}

/**
 * The header copied again over each group's rows ("Cookie" / "Purpose" / "Duration" under "Analytics Cookies" and its
 * paragraph): left out of the values, with the cells of a row left unfinished before it (the group's heading and
 * paragraph); the values after the last whole row of the table go too when they name no cookie ("3. Managing
 * cookies", its sentences). In place.
 */
function withoutRepeatedHeaders(values: string[], valueLines: number[], columns: ReadonlyArray<Column | null>): void {
  const width = columns.length;
  const same = (v: number) =>
    values.slice(v, v + width).every((value) => value.split(/\s+/).length <= 4) &&
    headerColumns(values.slice(v, v + width))?.every((column, c) => column === columns[c]) === true;
  // Kept anew rather than spliced: a text of many groups would be copied once per group.
  const kept: string[] = [];
  const keptLines: number[] = [];
  let rowStart = 0;
  let repeated = false;
  for (let v = 0; v < values.length; v++) {
    if (v + width <= values.length && classifyHeader(values[v]!) === columns[0] && same(v)) {
      // The unfinished row before the header: the heading and paragraph of the group it opens.
      const unfinished = rowStart + Math.floor((kept.length - rowStart) / width) * width;
      kept.length = unfinished;
      keptLines.length = unfinished;
      rowStart = unfinished;
      repeated = true;
      v += width - 1;
      continue;
    }
    kept.push(values[v]!);
    keptLines.push(valueLines[v]!);
  }
  if (!repeated) return;
  // Past the last row naming a cookie: the text after the table, copied on with no blank line. A table naming none
  // so is left as it was ("Django (csrftoken)" names one in brackets): its other readings judge it.
  const names = (cell: string) =>
    isNameList(cell) || namesInCell(cell).names.some((name) => identifierStrength(name) === 'strong');
  let end = Math.floor(kept.length / width) * width;
  while (end >= width && !names(kept[end - width + columns.indexOf('name')] ?? '')) end -= width;
  if (end === 0) return;
  values.length = 0;
  valueLines.length = 0;
  for (let k = 0; k < end; k++) {
    values.push(kept[k]!);
    valueLines.push(keptLines[k]!);
  }
}

/**
 * Rows copied with their cells a space apart under labels copied one a line ("Cookie Name" / "Description" / "Expiry",
 * then "va Web optimization version 30 days"): each row its name first and its lifetime last, the description
 * between. Read when the labels are those three, in that order, and every row so ends; else none.
 */
function spaceSeparatedRows(columns: ReadonlyArray<Column | null>, values: readonly string[]): TableRow[] {
  const [name, purpose, lifetime] = columns;
  if (columns.length !== 3 || name !== 'name' || purpose !== 'purpose' || lifetime !== 'lifetime') return [];
  const rows: TableRow[] = [];
  for (const value of values) {
    const first = value.split(/\s/, 1)[0]!;
    const last = value.length <= 2000 ? findLifetimes(value).at(-1) : undefined;
    const named = identifierStrength(first) !== 'none' || /^[a-z][a-z0-9_.-]{0,40}$/.test(first);
    if (!last || !named || isNotACookieName(first) || last.index + last.text.length < value.trimEnd().length - 1)
      return [];
    if (last.index <= first.length) return [];
    rows.push({
      cells: { name: first, purpose: value.slice(first.length, last.index).trim(), lifetime: last.text },
      text: value,
      group: null,
    });
  }
  return rows;
}

/**
 * A table copied one cell per paragraph: a blank line between its cells (the header's too), two or more after it. Read
 * as one cell per line once the single blank lines are left out.
 */
function paragraphCellTable(lines: readonly string[], at: number): TextTable | null {
  // A label is a few words, as above: a title ("Cookies and Similar Technologies Used on…") is none.
  const label = (line: string | undefined) =>
    line !== undefined && cellLine(line).split(/\s+/).length <= 4 && classifyHeader(cellLine(line)) !== null;
  const blank = (line: string | undefined) => line !== undefined && line.trim() === '';
  // A line of a run already read from an earlier start starts none: a text of many such runs is read once.
  if ((paragraphRunEnds.get(lines) ?? -1) > at) return null;
  if (!label(lines[at]) || !blank(lines[at + 1]) || !label(lines[at + 2]) || !blank(lines[at + 3])) return null;
  const kept: number[] = [];
  let i = at;
  for (; i < lines.length; i++) {
    if (lines[i]!.trim() !== '') kept.push(i);
    else if ((lines[i + 1] ?? '').trim() === '') break;
  }
  paragraphRunEnds.set(lines, i);
  const table = cellPerLineTable(
    kept.map((k) => lines[k]!),
    0,
  );
  return table && { ...table, from: at, to: kept[table.to]! };
}
const paragraphRunEnds = new WeakMap<readonly string[], number>();

/** A cell stating a lifetime, in a phrase or as the whole cell ("Session utilisateur"). */
function statesLifetime(cell: string): boolean {
  return findLifetimes(cell).length > 0 || parseLifetime(cell).kind !== 'unknown';
}

// "doubleclick.net test_cookie": the host that sets it, then a name shaped as one.
const HOST_BEFORE_NAME = /^(?:[a-z0-9-]{1,63}\.){1,5}[a-z]{2,12} (?=[^\s]+$)/i;

/** One word, or words a comma apart (a host before one of them). */
function isNameShaped(cell: string): boolean {
  const words = cell.split(/\s*,\s*/).map((word) => {
    const name = word.replace(HOST_BEFORE_NAME, '');
    return name !== word && identifierStrength(name) === 'none' ? word : name;
  });
  return words.every((word) => /^[\w.\-*#$`<>{}[\]:/]+$/.test(word) && /\p{L}/u.test(word));
}

/**
 * One word, or words a comma apart, none stating a lifetime, unless a list holding a name shaped as one ("session,
 * oidc_session, mod_auth_openidc_*": "session" is a cookie there).
 */
function isNameList(printed: string): boolean {
  const cell = withoutStorageRemark(printed);
  if (cell === '' || !isNameShaped(cell)) return false;
  const words = cell.split(/\s*,\s*/);
  return (
    findLifetimes(cell).length === 0 ||
    (words.length > 1 && words.some((word) => identifierStrength(word.replace(/`/g, '')) === 'strong'))
  );
}

function isNameCell(cell: string): boolean {
  const words = cell.split(/\s*,\s*/);
  const strength = (word: string) => identifierStrength(word.replace(/`/g, ''));
  // "session, oidc_session": a lifetime word among names shaped as ones is a name too.
  const listed = words.length > 1 && words.some((word) => strength(word) === 'strong');
  return (
    (findLifetimes(cell).length === 0 || listed) &&
    words.every((word) => /^[\w.\-*#$`<>{}[\]]+$/.test(word) && (strength(word) !== 'none' || listed))
  );
}

/**
 * Rows of a one-cell-per-line table that lost an empty cell (the copy drops it, so counting cells misaligns every row
 * after it): when the name column comes first, each row starts at a line shaped like a name; within a row, the line
 * stating a lifetime goes to the lifetime column and the others fill the other columns in order.
 */
function anchoredRows(columns: ReadonlyArray<Column | null>, values: readonly string[]): TableRow[] {
  if (columns[0] !== 'name') return [];
  const starts = values.flatMap((value, v) => (isNameCell(value) ? [v] : []));
  const lifetimeColumn = columns.indexOf('lifetime');
  return starts.map((start, k) => {
    const cells = values.slice(start, starts[k + 1] ?? values.length);
    const placed: string[] = Array.from({ length: columns.length }, () => '');
    placed[0] = cells[0]!;
    let next = 1;
    for (const cell of cells.slice(1)) {
      if (lifetimeColumn > 0 && !placed[lifetimeColumn] && findLifetimes(cell).length > 0 && cell.length < 60)
        placed[lifetimeColumn] = cell;
      else {
        while (next < columns.length && (next === lifetimeColumn || placed[next])) next++;
        if (next < columns.length) placed[next++] = cell;
      }
    }
    return row(columns, placed);
  });
}

/**
 * Rows of a one-cell-per-line table whose rows are not all the header's width (a description cell copied over two
 * lines, a link on a line of its own): when the lifetime column comes last, each short cell stating a lifetime ends a
 * row; the cells before the name keep their places from the row's start, those between name and lifetime are its
 * description. Every row must be named by a name-shaped cell, or none is read.
 */
function lifetimeEndedRows(columns: ReadonlyArray<Column | null>, values: readonly string[]): TableRow[] {
  const nameAt = columns.indexOf('name');
  if (columns.at(-1) !== 'lifetime' || nameAt < 0) return [];
  const rows: TableRow[] = [];
  let start = 0;
  values.forEach((value, v) => {
    if (v - start < nameAt + 1 || value.length >= 60 || !statesLifetime(value)) return;
    const cells = values.slice(start, v + 1);
    const placed = columns.map((column, c) =>
      c <= nameAt ? cells[c]! : column === 'lifetime' ? value : column === 'purpose' ? '' : '',
    );
    const purposeAt = columns.indexOf('purpose');
    if (purposeAt > nameAt) placed[purposeAt] = cells.slice(nameAt + 1, -1).join(' ');
    rows.push(row(columns, placed));
    start = v + 1;
  });
  // Its place names the cell: a name stating a lifetime ("crisp-client/session/*", "session") is still a name.
  return rows.length >= 2 && rows.every((read) => isNameShaped(read.cells.name ?? '')) ? rows : [];
}

/**
 * A table copied with a bar after each cell and no header this reading could use ("| | | Default expiry |", a group
 * label, then "_utma |", its description, "2 years from set/update |"): the cells of the lines, in order (a cell's
 * text may wrap over lines without a bar); each short cell stating a lifetime ends a row, named by the first cell of
 * the row shaped like one name, its description the cells between. Cells before that name (a group label) are left
 * out. Null unless two rows are read.
 */
function barCellTable(lines: readonly string[], at: number): TextTable | null {
  // A header cell's text may stand on the line above its bar ("Cookie (Name)" then "|"): only a header is read then.
  const headerAbove = !lines[at]!.includes('|') && (lines[at + 1] ?? '').trim().startsWith('|');
  if (!lines[at]!.includes('|') && !headerAbove) return null;
  const run = barRun(lines, at);
  const to = run.end - 1;
  // Rows ended by lifetimes are read once per run, from its first start with a bar: a later start holds the same rows
  // or one fewer, and a text of many bar lines would otherwise be read again from each of them.
  if (!headerAbove && !run.rowsRead) {
    run.rowsRead = true;
    const rows = lifetimeEndedBarRows([...barCells(lines, at, run.end)]);
    if (rows.length > 0) return { from: at, to, rows };
  }
  const headed = headedBarCells(barCells(lines, at, run.end));
  return headed.length >= 2 ? { from: at, to, rows: headed } : null;
}

interface BarRun {
  /** The line after the run (a blank line or the end). */
  end: number;
  /** The last start tried in it: a start before or at it is a new reading of the text. */
  lastAt: number;
  rowsRead: boolean;
}
const barRuns = new WeakMap<readonly string[], BarRun>();

/** The run of non-blank lines holding `at`, as far as the bar-cell reading has gone in it. */
function barRun(lines: readonly string[], at: number): BarRun {
  const known = barRuns.get(lines);
  if (known && at > known.lastAt && at < known.end) {
    known.lastAt = at;
    return known;
  }
  // Another table's header on one line ("Name of cookie | Purpose |") ends the run: that table is read on its own.
  const headsTable = (line: string) => {
    const labels = pipeCells(line)?.filter(Boolean);
    return labels !== undefined && labels.length >= 2 && headerColumns(labels) !== null;
  };
  let end = at;
  while (end < lines.length && lines[end]!.trim() !== '' && (end === at || !headsTable(lines[end]!))) end++;
  const run = { end, lastAt: at, rowsRead: false };
  barRuns.set(lines, run);
  return run;
}

/** The cells of bar lines from `at` to `end`, in order: a cell's text may wrap over lines without a bar. */
function* barCells(lines: readonly string[], at: number, end: number): Generator<string> {
  let pending = '';
  for (let i = at; i < end; i++) {
    const line = lines[i]!;
    if (SEPARATOR.test(line)) continue;
    if (!line.includes('|')) {
      pending = `${pending} ${line.trim()}`;
      continue;
    }
    const parts = line.split(/(?<!\\)\|/);
    parts[0] = `${pending} ${parts[0]}`;
    pending = parts.pop()!;
    for (const part of parts) if (part.trim()) yield part.trim();
  }
  if (pending.trim()) yield pending.trim();
}

/**
 * Each short cell stating a lifetime ends a row, named by the first cell of the row shaped like one name, its
 * description the cells between. Cells before that name (a group label) are left out.
 */
function lifetimeEndedBarRows(cells: readonly string[]): TableRow[] {
  const rows: TableRow[] = [];
  let name = -1;
  const push = (end: number, lifetime: string) => {
    const own = ownLifetime(cells[name]!);
    const purpose = cells.slice(name + 1, end).join(' ');
    rows.push(
      row(['name', 'purpose', 'lifetime'], own ? [own.name, purpose, own.lifetime] : [cells[name]!, purpose, lifetime]),
    );
  };
  const described = (cell: string) => cell.length >= 30 && !cell.endsWith(':');
  const endsRow = (cell: string | undefined) => cell !== undefined && cell.length < 60 && statesLifetime(cell);
  // A capitalised word ("**Factures**", "Messages") heads a row of some other table: of data kept, of documents.
  const names = (cell: string) =>
    ownLifetime(cell) !== null ||
    (isNameList(cell) && classifyHeader(cell) === null && !/^\**\p{Lu}\p{Ll}+\**$/u.test(cell));
  cells.forEach((cell, c) => {
    if (name < 0) {
      if (names(cell)) name = c;
    } else if (cell.length < 60 && statesLifetime(cell) && !ownLifetime(cell)) {
      push(c, cell);
      name = -1;
    } else if (described(cells[c - 1]!) && names(cell) && !isNotACookieName(cell) && !endsRow(cells[c + 1])) {
      // A row whose lifetime cell was left empty: a name after its description starts the next row (a cell just
      // before a lifetime is a column of the same row: a publisher, a host; one after a label, the label's value).
      push(c, '');
      name = c;
    }
  });
  // Rows ended by a lifetime make the reading; a row without one rides along.
  return rows.filter((read) => read.cells.lifetime).length >= 2 ? rows : [];
}

/** A name with its lifetime in brackets ("hs-messages-is-open (TTL 30 minutes)"). */
function ownLifetime(cell: string): { name: string; lifetime: string } | null {
  const match = /^(\S{2,100})\s*\(((?:TTL|max(?:imum)?|expires?)?:?\s*[^()]{1,40})\)$/i.exec(cell);
  const shaped =
    identifierStrength(match?.[1] ?? '') === 'strong' || /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+$/.test(match?.[1] ?? '');
  if (!match || !shaped || !statesLifetime(match[2]!)) return null;
  return { name: match[1]!, lifetime: match[2]!.replace(/^(?:TTL|max(?:imum)?|expires?)?:?\s*/i, '') };
}

/**
 * The same copy whose first cells are a header ("Cookie (Name) |", "Purpose & Expiration |") and whose lifetimes sit
 * in a longer cell ("… Expiration in 1 month. |"): the cells after the header, a header's width at a time, each row's
 * name cell naming its cookies (a label then the names in brackets: "Google Analytics (_utma, _ga)"). Every row must
 * be named so, or none is read: cells are taken only until one row is not.
 */
function headedBarCells(cells: Iterator<string>): TableRow[] {
  const header: string[] = [];
  let next = cells.next();
  while (!next.done && header.length < MAX_COLUMNS && next.value.split(/\s+/).length <= 4) {
    if (classifyHeader(next.value) === null) break;
    header.push(next.value);
    next = cells.next();
  }
  const columns = headerColumns(header);
  if (!columns) return [];
  const rows: TableRow[] = [];
  let values: string[] = [];
  for (; !next.done; next = cells.next()) {
    values.push(next.value);
    if (values.length < header.length) continue;
    const read = row(columns, values);
    if (namesInCell(read.cells.name ?? '').names.length === 0) return [];
    rows.push(read);
    values = [];
  }
  return rows;
}

/** Where glued words meet: "updateUsed", "closed.30", "persistent2", "sessionsession". */
function spaced(text: string): string {
  return (
    text
      .replace(/(\p{Ll})(?=\p{Lu}\p{Ll})/gu, '$1 ')
      // "attaques CSRFSession": an acronym's last capital, then a capitalised word.
      .replace(/(\p{Lu})(?=\p{Lu}\p{Ll})/gu, '$1 ')
      .replace(/([.)])(?=[\d\p{Lu}])/gu, '$1 ')
      .replace(/(\p{L})(?=\d)/gu, '$1 ')
      .replace(/\b(session|persistent|persistant)(?=session|persistent|persistant)/g, '$1 ')
      // "…with checkout.session": a lifetime cell glued to the description's full stop.
      .replace(/\.(?=(?:session|persistent)\s*$)/i, '. ')
  );
}

/** A lifetime at the very start of a text ("2 years from…", "End of browser session…", "session30 mins…"). */
function startsWithLifetime(text: string): boolean {
  // A lifetime phrase is short: reading only the text's start keeps a test at each letter of a long word linear.
  return findLifetimes(spaced(text.slice(0, 80)))[0]?.index === 0;
}

/**
 * The name at the start of a row whose cells were copied with nothing between them ("_sv_id2 years from set/update
 * Tells…", "MATOMO_SESSIDEnables…", "_utmapersistent2 years…"): cut where a lifetime starts, else (`loose`, under a
 * glued header) before the last capitalised word glued to it; a lower-case type word first when a type column follows the name. The cut leaves a
 * name-shaped word; null when none does.
 */
function gluedName(
  line: string,
  loose: boolean,
  typeColumn = false,
  vendorNext = false,
): { name: string; rest: string } | null {
  const word = line.trim().split(/\s/)[0] ?? '';
  // Under a glued header (`loose`), a plain lower-case name cut before the capital of its description is one too
  // ("admin-authzAdmin panel…").
  const cut = (k: number): Cut => {
    const name = word.slice(0, k);
    // "cUsed in connection with checkout.1y": one letter is a name there too (a shop platform's cart cookie).
    // Under a header, a code in capitals and a word joined by a hyphen too ("KP-tokenA random string…").
    const shaped =
      identifierStrength(name) !== 'none' ||
      (loose && (/^[a-z][a-z0-9_.-]{0,40}$/.test(name) || CAPS_HYPHENED.test(name)));
    // Opening a row under a header, "session" is the name column's ("sessionHolder deg innlogget…"), no type's.
    const allowed = !isNotACookieName(name) || (loose && name === 'session');
    return shaped && allowed ? { name, rest: line.trim().slice(k) } : null;
  };
  const named = firstGluedCut(word, line, loose, typeColumn, cut);
  // The vendor's column next, the cut leaving the vendor and the party in the name
  // ("wordpress_sec_*WordPressFirst-partySession…"), or finding none ("PHPSESSIDWordPress/PHPFirst-party…"): the
  // name ends where the vendor's capitalised name starts; a name standing apart ("_ga_* (GA4)Google…") is the word.
  if (!vendorNext || !loose || word.length > 200 || (named && !/first-?party|third-?party|\//i.test(named.name)))
    return named;
  for (const at of word.matchAll(/(?<=[\p{Ll}\p{Lu}\d_#*\]])\p{Lu}\p{Ll}/gu)) {
    const vendorCut = at.index! >= 2 ? cut(at.index!) : null;
    if (vendorCut) return vendorCut;
  }
  return identifierStrength(word) === 'strong' ? cut(word.length) : null;
}

type Cut = { name: string; rest: string } | null;

/** "KP-token": a code in capitals and a word joined by a hyphen. */
const CAPS_HYPHENED = /^[A-Z]{2,10}-[a-z]{2,20}$/;

/**
 * A name cell holding a label before the name ("Access token KP-tokenA random string…"): a word or two of letters,
 * then a name strongly shaped as one glued to the description. The label is no part of the name.
 */
function labelledGluedName(line: string, typeColumn: boolean): Cut {
  // Its first words only: a label is a word or two, the name after it one word.
  const trimmed = line.trim();
  const words = trimmed.split(/\s+/, 4);
  for (let w = 1; w <= 2 && w < words.length; w++) {
    if (!/^\p{L}+$/u.test(words[w - 1]!) || words[w]!.length > 200) return null;
    const rest = trimmed.slice(words.slice(0, w).join(' ').length).trim();
    const cut = gluedName(rest, true, typeColumn);
    const shaped = cut && (identifierStrength(cut.name) === 'strong' || CAPS_HYPHENED.test(cut.name));
    if (cut && shaped && cut.name.length < words[w]!.length) return cut;
  }
  return null;
}

/** Where `gluedName` cuts a glued row's first word when no vendor column follows the name. */
function firstGluedCut(word: string, line: string, loose: boolean, typeColumn: boolean, cut: (k: number) => Cut): Cut {
  // A type column after the name: its lower-case word comes first ("_utmapersistent2 years", "_utmcsessionsession").
  const type = typeColumn ? /(?<=[\p{L}\d_#*])(?:session|persistent|persistant)/u.exec(word) : null;
  if (type && startsWithLifetime(line.trim().slice(type.index + type[0].length))) return cut(type.index);
  for (let k = 2; k < word.length; k++) {
    if (/[\d\p{Lu}]/u.test(word[k]!) && startsWithLifetime(line.trim().slice(k))) return cut(k);
  }
  if (!loose) return null;
  const article = articleGlued(word, line);
  if (article >= 0) return cut(article);
  const capitals = [...word.matchAll(/(?<=[\p{Ll}\p{Lu}\d_#*])\p{Lu}\p{Ll}{2,}/gu)];
  // The description opening with a vendor's CamelCase name ("ph_*PostHog analytics"): the name ends before it.
  const start = line.indexOf(word);
  const vendor =
    word.length <= 200
      ? capitals.find((capital) => opensWithVendor(line.slice(start + capital.index!, start + capital.index! + 48)))
      : undefined;
  const capital = vendor ?? capitals.at(-1);
  return capital ? cut(capital.index!) : null;
}

/**
 * Where a description opening with the article "A" is glued to the name before it ("__Secure-ab12-adminA secure
 * cookie…", "DAUTHSA per-device login…"): the "A" ends the first word, a lower-case word after it. -1 when not so.
 */
function articleGlued(word: string, line: string): number {
  if (word.length < 3 || !word.endsWith('A') || !/[\p{L}\d_*-]/u.test(word.at(-2)!)) return -1;
  const after = line.trim().slice(word.length, word.length + 3);
  return /^ \p{Ll}/u.test(after) ? word.length - 1 : -1;
}

/** A header whose labels were copied glued ("NameExpiryDescription", "Cookie namePurposeRetention period"). */
function gluedHeader(line: string): Array<Column | null> | null {
  if (!/\p{Ll}\p{Lu}/u.test(line) || line.includes('|') || line.includes('\t')) return null;
  const labels = line.trim().split(/(?<=\p{Ll})(?=\p{Lu})/u);
  // "Type of cookieDescriptionExpiryPurpose": with no column named, the first, saying "cookie", holds the names.
  const named = labels.map((label, l) =>
    l === 0 && /\bcookies?$/i.test(label) && label.length < 30 ? 'Cookie' : label,
  );
  return headerColumns(labels) ?? (named[0] !== labels[0] ? headerColumns(named) : null);
}

/**
 * Rows copied with their cells glued, under a glued header or, without one, at least two lines in a row each a name
 * glued to the lifetime after it. The lifetime is the first one the row states, or the last when the header puts
 * the lifetime column after the description.
 */
function gluedTable(lines: readonly string[], at: number): TextTable | null {
  const header = gluedHeader(lines[at]!);
  const columns = header ?? ['name', 'lifetime', 'purpose'];
  const lifetimeLast = columns.indexOf('lifetime') > columns.indexOf('purpose') && columns.includes('purpose');
  // "NameDescription" over "wordpress_test_cookieThis cookie is used…": names and descriptions, no lifetime column.
  const described = header !== null && !columns.includes('lifetime') && columns.includes('purpose');
  if (!columns.includes('lifetime') && !described) return null;
  const rows: TableRow[] = [];
  let i = header ? at + 1 : at;
  // "Cookie nameProviderExpiry…": the provider's capitalised name is glued between the cookie's and the lifetime.
  const vendorBetween =
    columns.indexOf('vendor') === columns.indexOf('name') + 1 &&
    columns.indexOf('lifetime') > columns.indexOf('vendor');
  for (; i < lines.length; i++) {
    const cut =
      gluedName(lines[i]!, header !== null, columns.includes('type'), vendorBetween) ??
      (header !== null ? labelledGluedName(lines[i]!, columns.includes('type')) : null) ??
      (header !== null ? commaLedGluedName(lines[i]!, columns.includes('type'), vendorBetween) : null);
    const glued = cut ?? (header !== null ? namesApart(lines[i]!) : null);
    if (!glued) break;
    const rest = spaced(glued.rest);
    const found = described ? [] : findLifetimes(rest);
    const lifetime = lifetimeLast ? lastCell(rest, found) : found[0];
    if (!lifetime && !described) break;
    const purpose = lifetime
      ? `${rest.slice(0, lifetime.index)} ${rest.slice(lifetime.index + lifetime.text.length)}`
      : rest;
    const vendor =
      // Cut before a vendor's name ("CookieConsentCookiebot…"), the name holds none.
      vendorBetween && glued === cut && glued.name.length <= 100 && !opensWithVendor(glued.rest)
        ? [...glued.name.matchAll(/(?<=\S)\p{Lu}\p{Ll}[\p{Ll}.\d]*$/gu)].at(-1)
        : undefined;
    const name = vendor ? glued.name.slice(0, vendor.index) : glued.name;
    rows.push({
      cells: {
        name,
        ...(lifetime ? { lifetime: lifetime.text } : {}),
        purpose: purpose.replace(/\s+/g, ' ').trim(),
        ...(vendor ? { vendor: vendor[0] } : {}),
      },
      text: lines[i]!.trim(),
      group: null,
    });
  }
  return rows.length >= (header ? 1 : 2) ? { from: at, to: i - 1, rows } : null;
}

/**
 * The lifetime cell ending a row: its last lifetime, with those offered just before it ("Session — 30 mins",
 * "Session or 1 year"), as one text.
 */
function lastCell(row: string, found: readonly FoundLifetime[]): FoundLifetime | undefined {
  const last = found.at(-1);
  if (!last) return undefined;
  let first = found.length - 1;
  while (first > 0) {
    const before = found[first - 1]!;
    const between = row.slice(before.index + before.text.length, found[first]!.index);
    if (!/^\s*(?:(?:[—–\-/,]|or|ou)\s*)?$/.test(between)) break;
    first--;
  }
  if (first === found.length - 1) return last;
  const index = found[first]!.index;
  return { ...last, index, text: row.slice(index, last.index + last.text.length) };
}

/**
 * Names a comma apart, the last glued to the next cell ("__cf_bm, cf_clearanceCloudflareBot mitigation…", "_ga,
 * _ga_*Google Analytics 4…"): the names before it each shaped as one, the last cut as a glued row's first word is.
 */
function commaLedGluedName(line: string, typeColumn: boolean, vendorNext: boolean): Cut {
  const { words, names, w } = commaLed(line);
  if (names.length === 0 || !names.every((name) => identifierStrength(name) !== 'none' && !isNotACookieName(name)))
    return null;
  const last = line.indexOf(words[w]!, line.indexOf(`${names.at(-1)!},`) + names.at(-1)!.length + 1);
  const word = words[w]!;
  // Before a vendor's name, a short code is the last name too ("SMMicrosoft Clarity").
  const vendorAt = [...word.slice(0, 200).matchAll(/(?<=[\p{L}\d_*])\p{Lu}/gu)].find((capital) =>
    opensWithVendor(line.slice(last + capital.index!, last + capital.index! + 48)),
  )?.index;
  if (vendorAt !== undefined && /^[\w.*-]{2,}$/.test(word.slice(0, vendorAt)))
    return { name: [...names, word.slice(0, vendorAt)].join(', '), rest: line.slice(last + vendorAt) };
  const cut = gluedName(line.slice(last), true, typeColumn, vendorNext);
  return cut && cut.name !== word ? { name: [...names, cut.name].join(', '), rest: cut.rest } : null;
}

/** A row's words, the names a comma apart opening it (twenty at most), and the index of the word after them. */
function commaLed(line: string): { words: string[]; names: string[]; w: number } {
  const words = line.trim().split(/\s+/);
  const names: string[] = [];
  let w = 0;
  while (w < words.length - 1 && w < 20 && words[w]!.endsWith(',')) names.push(words[w++]!.slice(0, -1));
  return { words, names, w };
}

/**
 * Under a glued header, a row whose cells a space parts ("__cf_bm, cf_clearance Cloudflare Bot detection…"): the
 * names a comma apart opening it, each shaped as a name and one at least strongly, and the rest.
 */
function namesApart(line: string): { name: string; rest: string } | null {
  const { words, names, w } = commaLed(line);
  names.push(words[w]!);
  if (w + 1 >= words.length) return null;
  const shaped = names.every((name) => identifierStrength(name) !== 'none' && !isNotACookieName(name));
  if (!shaped || !names.some((name) => identifierStrength(name) === 'strong')) return null;
  return { name: names.join(', '), rest: words.slice(w + 1).join(' ') };
}

/**
 * The name and the description glued at the start of a row ("_gaThese help us…", "CookieControlSaves your…", "a_b,
 * c_dThese cookies…"): the names before the last capitalised word glued to the first word (the names a comma apart
 * before it too), each shaped like a name, and the rest. Null when the cut leaves no such name.
 */
function gluedDescribed(line: string, inTable = false): { names: string[]; rest: string } | null {
  const { words, names, w } = commaLed(line);
  const word = words[w] ?? '';
  if (word.length > 200) return null;
  const article = articleGlued(word, words.slice(w).join(' '));
  const capital =
    article >= 0 ? { index: article } : [...word.matchAll(/(?<=[\p{Ll}\p{Lu}\d_#*])\p{Lu}\p{Ll}{1,}/gu)].at(-1);
  if (!capital) return null;
  names.push(word.slice(0, capital.index));
  if (!names.every((name) => name !== '' && identifierStrength(name) !== 'none')) return null;
  // Inside a table already read, a name in capitals is one too ("BBXSRFPrevents…").
  const strong = (name: string) => identifierStrength(name) === 'strong' || (inTable && !isNotACookieName(name));
  if (!names.some(strong)) return null;
  return { names, rest: [word.slice(capital.index!), ...words.slice(w + 1)].join(' ') };
}

/**
 * The lifetime a line ends with, as its last cell: glued to the word before it ("…visited before2 years",
 * "…administrationSession", "…retained for 1 year.1 year") or after a run of spaces ("…attacks.    Session"); a
 * sentence ending with a lifetime after one space ("…kept for 1 year") is a description's.
 */
function lastCellLifetime(line: string): FoundLifetime | null {
  const text = line.trimEnd();
  const last = findLifetimes(spaced(text)).at(-1);
  if (!last || !text.endsWith(last.text)) return null;
  const before = text.slice(Math.max(0, text.length - last.text.length - 2), text.length - last.text.length);
  return !/\s$/.test(before) || /\s\s$/.test(before) || /[.!]\s$/.test(before) ? last : null;
}

/**
 * Rows copied with name, description and lifetime glued ("_gaThese help us count visits…before2 years"), with no
 * header: at least two lines in a row, each names glued to a description and ending with a lifetime cell; a row
 * between them with no lifetime ("NIDSet by Google…") is read with its lifetime unknown.
 */
function describedGluedTable(lines: readonly string[], at: number): TextTable | null {
  const rows: TableRow[] = [];
  let timed = 0;
  let i = at;
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    const glued = gluedDescribed(lines[i]!, rows.length > 0);
    const lifetime = glued && lastCellLifetime(lines[i]!);
    if (!glued || (!lifetime && timed === 0)) break;
    if (lifetime) timed++;
    const rest = spaced(glued.rest);
    rows.push({
      cells: {
        name: glued.names.join(', '),
        ...(lifetime ? { lifetime: lifetime.text } : {}),
        purpose: lifetime ? rest.slice(0, rest.length - lifetime.text.length).trim() : rest,
      },
      text: lines[i]!.trim(),
      group: null,
    });
  }
  return timed >= 2 ? { from: at, to: i - 1, rows } : null;
}

/** A border of a table whose columns stand at fixed places: runs of "=" (or "-") a space or more apart, two at least. */
const COLUMN_BORDER = /^ *(?:={2,}|-{2,})(?: +(?:={2,}|-{2,}))+ *$/;

/**
 * A table whose columns stand at fixed places under a border of runs ("=====  =====", reStructuredText's simple
 * tables; "-----  -----" under a header line): its header the lines between the first two borders (or the line just above a single one), each
 * row opened by a line whose first column is written, its next lines adding to its cells. A cell's own lines lose the
 * list bullet or the line-block bar they open with ("- ``nc_token``", "| Used to…").
 */
function columnBorderTable(lines: readonly string[], at: number): TextTable | null {
  const border = lines[at]!;
  if (border.length > 1000 || !COLUMN_BORDER.test(border)) return null;
  const starts = [...border.matchAll(/[=-]+/g)].map((run) => run.index!);
  if (starts.length > MAX_COLUMNS) return null;
  const cellsOf = (line: string) =>
    starts.map((start, c) => line.slice(start, c + 1 < starts.length ? starts[c + 1] : undefined).trim());
  // Between two borders (a closing one within a few lines), or, with the border under it, the line above.
  let second = -1;
  for (let k = at + 1; k < lines.length && k <= at + 4 && second < 0; k++)
    if (COLUMN_BORDER.test(lines[k]!)) second = k;
  const headerLines = second > at ? lines.slice(at + 1, second) : at > 0 ? [lines[at - 1]!] : [];
  const labels = starts.map((_, c) =>
    headerLines
      .map((line) => cellsOf(line)[c]!)
      .join(' ')
      .trim(),
  );
  const columns = headerColumns(labels);
  if (!columns) return null;
  const rows: string[][] = [];
  let i = second > at ? second + 1 : at + 1;
  for (; i < lines.length && !COLUMN_BORDER.test(lines[i]!) && lines[i]!.length <= 2000; i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      // A blank line ends a table with no closing border (pandoc's), not one whose border is still to come.
      if (second < 0) break;
      continue;
    }
    // Text running over a column's start ("Google Analytics visitor identifier  2 years" under a narrower rule): the
    // columns are not where the border says; other readings take the table.
    if (starts.some((start) => start > 0 && /\S/.test(line[start - 1] ?? '') && /\S/.test(line[start] ?? '')))
      return null;
    const cells = cellsOf(line).map((cell) => cell.replace(/^(?:[-*•|]\s+)/, ''));
    if (cellsOf(line)[0] !== '' || rows.length === 0) rows.push(cells);
    else rows.at(-1)!.forEach((_, c) => cells[c] && (rows.at(-1)![c] += `\n${cells[c]}`));
  }
  if (rows.length === 0) return null;
  return {
    from: at,
    to: i < lines.length && COLUMN_BORDER.test(lines[i]!) ? i : i - 1,
    rows: rows.map((cells) => row(columns, cells)),
  };
}

const LIST_ROW = /^(\s*)\* - (.*)$/;

/**
 * reStructuredText's list table: each row a "* - " item, its other cells "- " items under it ("   * - Name" / "     -
 * Lifetime"), a cell's text going on over lines indented further. The first row is the header.
 */
function listTable(lines: readonly string[], at: number): TextTable | null {
  const opening = LIST_ROW.exec(lines[at]!);
  if (!opening || lines[at]!.length > 2000) return null;
  const indent = opening[1]!.length;
  const cellIndent = indent + 2;
  const rows: string[][] = [];
  let i = at;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.length > 2000) {
      // Blank lines may stand between rows: the table goes on where a row follows.
      if (line.trim() === '' && LIST_ROW.exec(lines[i + 1] ?? '')?.[1]!.length === indent) continue;
      break;
    }
    const started = LIST_ROW.exec(line);
    const lead = line.length - line.trimStart().length;
    if (started && started[1]!.length === indent) {
      // The header read, the rest only under one: a long list of rows under none is not read again from each row.
      if (rows.length === 1 && !headerColumns(rows[0]!)) return null;
      rows.push([started[2]!.trim()]);
    } else if (lead === cellIndent && line.trimStart().startsWith('- ')) rows.at(-1)!.push(line.trim().slice(2));
    else if (lead > cellIndent) rows.at(-1)![rows.at(-1)!.length - 1] += `\n${line.trim()}`;
    else break;
  }
  const columns = rows.length >= 2 ? headerColumns(rows[0]!) : null;
  if (!columns) return null;
  return { from: at, to: i - 1, rows: rows.slice(1).map((cells) => row(columns, cells)) };
}

export function readTextTables(lines: readonly string[]): TextTable[] {
  const tables: TextTable[] = [];
  for (let i = 0; i < lines.length; i++) {
    const table =
      columnBorderTable(lines, i) ??
      listTable(lines, i) ??
      pipeTable(lines, i) ??
      tabTable(lines, i) ??
      slashTable(lines, i) ??
      csvTable(lines, i) ??
      cellPerLineTable(lines, i) ??
      paragraphCellTable(lines, i) ??
      barCellTable(lines, i) ??
      gluedTable(lines, i) ??
      describedGluedTable(lines, i);
    if (!table) continue;
    tables.push(table);
    i = table.to;
  }
  return tables;
}
