import { readFileSync } from 'node:fs';
import type { Catalogue } from '../lib/catalogue/schema';
import { MAX_CATALOGUE_BYTES } from '../lib/messages';
import type { AuditOptions } from './args';
import { askBackground, firstLine, replyOf, SetupError, type BrowserSession, type Evaluating } from './browsers';

/**
 * What the audit command's three ways (URLs one by one, a sweep, a consent audit) share: its input and output, and a
 * browser's extension page with the catalogues applied.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** The clock of the reports' export time and file names. */
  now(): number;
  /** Whether stderr is a terminal: a sweep's progress then rewrites one line. */
  errIsTty?: boolean;
}

export interface Context {
  options: AuditOptions;
  session: BrowserSession;
  /** An extension page, to talk to the background from. */
  page: Evaluating;
  catalogues: Catalogue[];
  tool: { name: string; version: string };
  io: Io;
}

/** An extension page of the session, with the given catalogue files imported and bound to `hosts`. */
export async function openContext(setup: {
  options: AuditOptions;
  session: BrowserSession;
  io: Io;
  version: string;
  catalogues: Array<{ file: string; text: string }>;
  hosts: string[];
  log: (line: string) => void;
}): Promise<Context> {
  const { options, session, io, version, catalogues, hosts, log } = setup;
  const page = await session.openExtensionPage('popup.html');
  // An audit follows every change of the jar as it happens (audit mode), whatever it costs the pages' loads.
  const mode = await askBackground(page, { type: 'put-settings', settings: { auditMode: true } });
  if (!mode.ok) throw new SetupError(`the extension did not turn audit mode on: ${JSON.stringify(mode)}`);
  for (const { file, text } of catalogues) await applyCatalogue(page, file, text, hosts, log);
  const listing = await replyOf(page, { type: 'list-catalogues' });
  return {
    options,
    session,
    page,
    catalogues: listing.catalogues.map((c) => c.catalogue),
    tool: { name: 'Cookie Lens', version },
    io,
  };
}

export function readCatalogue(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SetupError(
      `--catalogue ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? firstLine(error)}).`,
    );
  }
  if (Buffer.byteLength(text) > MAX_CATALOGUE_BYTES)
    throw new SetupError(`--catalogue ${file}: larger than ${MAX_CATALOGUE_BYTES} bytes.`);
  return text;
}

/** Imports the catalogue into the extension and binds it to every host audited; the background says what is wrong. */
async function applyCatalogue(
  page: Evaluating,
  file: string,
  text: string,
  hosts: string[],
  log: (line: string) => void,
): Promise<void> {
  const imported = await askBackground(page, { type: 'import-catalogue', text });
  if (!imported.ok) {
    const issues = ('issues' in imported ? imported.issues : [])
      .slice(0, 10)
      .map((issue) => `\n  ${issue.path || '(root)'}: ${issue.message}`);
    throw new SetupError(`--catalogue ${file}: ${imported.error}${issues.join('')}`);
  }
  for (const site of hosts) {
    const bound = await askBackground(page, { type: 'bind-catalogue', site, catalogueId: imported.id });
    if (!bound.ok) throw new SetupError(`--catalogue ${file}: cannot apply it to ${site}: ${bound.error}`);
  }
  const upgraded = imported.upgradedFrom ? `, format version ${imported.upgradedFrom} upgraded as it was read` : '';
  log(`catalogue ${imported.id} (${file}${upgraded}) applies to ${hosts.join(', ')}`);
}
