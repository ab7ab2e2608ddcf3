import { printedAddress } from './printed-address';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Window } from 'happy-dom';
import { validateCatalogue, type Catalogue } from '../lib/catalogue/schema';
import type { ExtractionResult } from '../lib/extraction/draft';
import { extractInput, INPUT_FORMATS, type InputFormat } from '../lib/extraction/extract-input';

/**
 * `npm run extract -- <file>…`: the extraction the popup and the dashboard run, from the command line. Each file is
 * read into a draft (lib/extraction/extract-input.ts, the function they share); several files make one draft. The
 * draft is a catalogue (provenance on every entry, what could not be read in its notes), written to stdout or --out.
 */
export const EXTRACT_USAGE = `Usage: npm run extract -- [options] <file or http(s) URL> [more]

Reads cookie policies saved as files or at an address (an HTML page, pasted text, Markdown, OneTrust
or Cookiebot JSON, a TCF device storage disclosure) and writes a draft catalogue as JSON: the entries
found, each with its provenance, and in its notes what could not be read. Several inputs make one draft.
An address is fetched as is (no script runs): save the page from a browser when the policy is built by
scripts.

Options:
  --format <format>   auto|html|text|markdown|onetrust|cookiebot|tcf (default auto: told by the content,
                      then the file name)
  --out <file.json>   write the draft there instead of stdout
  -h, --help          show this help

Exit codes: 0 a draft written; 2 a usage error (bad option, no file); 3 an input could not be read
(missing, unreachable, binary, too large, or nothing recognised in it): nothing is written then.

Example:
  npm run extract -- --out draft.json policy.html`;

/** Larger inputs are refused rather than read for minutes: the popup reads at most 3 MB of a page's HTML. */
export const MAX_INPUT_BYTES = 3_000_000;
/** A table is a policy's table up to this many on one page; beyond, the page is not a policy. */
export const MAX_TABLES = 2_000;

export interface ExtractIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: ExtractIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

class InputError extends Error {}

export function parseHtml(html: string): Document {
  const window = new Window({ settings: { disableJavaScriptEvaluation: true, disableCSSFileLoading: true } });
  window.document.write(html);
  return window.document as unknown as Document;
}

function tooLarge(input: string, bytes: number): InputError {
  return new InputError(
    `${input}: ${(bytes / 1e6).toFixed(1)} MB, more than the ${MAX_INPUT_BYTES / 1e6} MB a cookie policy takes; save only the policy.`,
  );
}

/** A file's text, or an InputError saying why it is not a policy to read. */
function readInput(file: string): string {
  if (!existsSync(file)) throw new InputError(`${file}: no such file.`);
  const stats = statSync(file);
  if (!stats.isFile()) throw new InputError(`${file}: not a file.`);
  if (stats.size > MAX_INPUT_BYTES) throw tooLarge(file, stats.size);
  return decodeInput(file, readFileSync(file));
}

/** An http(s) address's body, read up to the size limit (a server may lie about its length, or not give it). */
async function fetchInput(url: string, timeoutMs: number): Promise<string> {
  // Messages name the address as a report keeps it: its query or fragment may carry a token.
  const shown = printedAddress(url);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new InputError(`${shown}: could not be fetched (${(error as Error).message}).`);
  }
  if (!response.ok) throw new InputError(`${shown}: the server answered ${response.status}.`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  try {
    for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader!.read()) {
      size += chunk.value.byteLength;
      if (size > MAX_INPUT_BYTES) {
        await reader!.cancel();
        throw tooLarge(shown, size);
      }
      chunks.push(chunk.value);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${shown}: could not be read (${(error as Error).message}).`);
  }
  return decodeInput(shown, Buffer.concat(chunks));
}

function decodeInput(file: string, bytes: Buffer): string {
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) throw new InputError(`${file}: a binary file, not text, HTML or JSON.`);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const replaced = (text.slice(0, 8192).match(/\uFFFD/g) ?? []).length;
  if (replaced > 16) throw new InputError(`${file}: not UTF-8 text (a binary file, or another encoding).`);
  return text.replace(/^\uFEFF/, '');
}

export async function extractFile(file: string, format: InputFormat, timeoutMs = 30_000): Promise<ExtractionResult> {
  const content = /^https?:\/\//i.test(file) ? await fetchInput(file, timeoutMs) : readInput(file);
  if ((format === 'html' || (format === 'auto' && /<table\b/i.test(content))) && tableCount(content) > MAX_TABLES)
    throw new InputError(`${file}: more than ${MAX_TABLES} tables; not a cookie policy page.`);
  const result = extractInput(content, { source: file, format, parseHtml });
  if (result.understood === 0) {
    const why = result.notUnderstood.map((item) => item.reason).join('; ');
    throw new InputError(`${file}: nothing recognised (${why || 'no cookie found'}).`);
  }
  return result;
}

function tableCount(html: string): number {
  let count = 0;
  for (let at = html.search(/<table\b/i); at >= 0 && count <= MAX_TABLES; count++) {
    const next = html.slice(at + 6).search(/<table\b/i);
    at = next < 0 ? -1 : at + 6 + next;
  }
  return count;
}

/** Several drafts as one: the first one's header, every entry, rule and consent rule (ids kept apart), every note. */
export function mergeDrafts(results: readonly ExtractionResult[]): Catalogue {
  const [first, ...rest] = results.map((result) => withNotUnderstood(result));
  const merged = structuredClone(first!);
  for (const other of rest) {
    const taken = new Set([...merged.entries.map((e) => e.id), ...merged.rules.map((r) => r.id)]);
    const fresh = (id: string) => {
      let n = 2;
      while (taken.has(`${id}-${n}`)) n++;
      return taken.has(id) ? `${id}-${n}` : id;
    };
    for (const entry of other.entries) {
      const id = fresh(entry.id);
      taken.add(id);
      merged.entries.push({ ...entry, id });
    }
    for (const rule of other.rules) {
      const id = fresh(rule.id);
      taken.add(id);
      merged.rules.push({ ...rule, id });
    }
    // Consent rules have their own ids: they need only differ from one another.
    const consentTaken = new Set((merged.consentRules ?? []).map((r) => r.id));
    for (const rule of other.consentRules ?? []) {
      let id = rule.id;
      for (let n = 2; consentTaken.has(id); n++) id = `${rule.id}-${n}`;
      consentTaken.add(id);
      (merged.consentRules ??= []).push({ ...rule, id });
    }
    merged.notes = [...(merged.notes ?? []), ...(other.notes ?? [])];
  }
  const checked = validateCatalogue(merged);
  if (!checked.ok) throw new Error(`merged draft is invalid: ${checked.issues.map((i) => i.message).join('; ')}`);
  return checked.catalogue;
}

function withNotUnderstood(result: ExtractionResult): Catalogue {
  const unread = result.notUnderstood.map(
    (item) => `Not read from ${result.source}: "${item.text.replace(/\s+/g, ' ').slice(0, 200)}" (${item.reason}).`,
  );
  return { ...result.catalogue, notes: [...(result.catalogue.notes ?? []), ...unread] };
}

type Parsed = { help: true } | { help: false; files: string[]; format: InputFormat; out: string | undefined };

export function parseExtractArgs(argv: readonly string[]): Parsed | { error: string } {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'auto' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (values.help) return { help: true };
  if (!(INPUT_FORMATS as readonly string[]).includes(values.format))
    return { error: `--format ${values.format}: use one of ${INPUT_FORMATS.join(', ')}.` };
  if (positionals.length === 0) return { error: 'no file to read.' };
  if (values.out !== undefined && !/\.json$/i.test(values.out))
    return { error: `--out ${values.out}: give a .json file name.` };
  return { help: false, files: positionals, format: values.format as InputFormat, out: values.out };
}

export async function extract(argv: readonly string[], io: ExtractIo = processIo): Promise<number> {
  const parsed = parseExtractArgs(argv);
  if ('error' in parsed) {
    io.err(`extract: ${parsed.error}\nSee npm run extract -- --help\n`);
    return 2;
  }
  if (parsed.help) {
    io.out(`${EXTRACT_USAGE}\n`);
    return 0;
  }
  const results: ExtractionResult[] = [];
  for (const file of parsed.files) {
    try {
      results.push(await extractFile(file, parsed.format));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.err(`extract: ${error.message} Nothing written.\n`);
      return 3;
    }
  }
  const draft = mergeDrafts(results);
  const json = `${JSON.stringify(draft, null, 2)}\n`;
  const unread = results.reduce((total, result) => total + result.notUnderstood.length, 0);
  if (parsed.out) writeFileSync(parsed.out, json);
  else io.out(json);
  io.err(
    `extract: ${draft.entries.length} entries, ${draft.rules.length} rules${unread ? `, ${unread} passage(s) not read (in the notes)` : ''}${parsed.out ? ` written to ${parsed.out}` : ''}.\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await extract(process.argv.slice(2));
}
