import * as v from 'valibot';
import type { Language } from '../i18n';
import type { OpenCookieDatabaseInfo, Response } from '../messages';
import type { Db } from '../storage/db';
import { getSetting, putSetting } from '../storage/queries';
import {
  lookupOpenCookieDatabase,
  parseOpenCookieDatabase,
  type OcdEntry,
  type OpenCookieDatabase,
} from '../vendors/open-cookie-database';

const OCD_KEY = 'openCookieDatabase';
interface StoredOcd {
  entries: OcdEntry[];
  problems: Array<{ where: string; message: string }>;
  problemCount?: number;
  importedAt: number;
  fileName: string | null;
}
// Written by this background only: checked for its shape, not row by row again.
const StoredOcdSchema = v.object({
  entries: v.array(v.custom<OcdEntry>((x) => typeof x === 'object' && x !== null)),
  problems: v.array(v.object({ where: v.string(), message: v.string() })),
  problemCount: v.optional(v.number()),
  importedAt: v.number(),
  fileName: v.nullable(v.string()),
}) as unknown as v.GenericSchema<StoredOcd | null>;

/** The Open Cookie Database a person imported: an extra, labelled source of explanations, stored as a setting. */
export class OpenCookieDatabaseStore {
  /** The stored copy, read once per wake. */
  private stored: Promise<{ info: OpenCookieDatabaseInfo; database: OpenCookieDatabase } | null> | null = null;

  constructor(private readonly db: () => Promise<Db>) {}

  /** What is stored and, given a name, the database's row for it. */
  async get(name: string | undefined): Promise<Response<'get-open-cookie-database'>> {
    const stored = await this.read();
    const entry = stored && name !== undefined ? lookupOpenCookieDatabase(name, stored.database) : null;
    return { ok: true, info: stored?.info ?? null, entry };
  }

  /** Parses an Open Cookie Database file: bad rows are reported and skipped; a file with no good row stores nothing. */
  async import(
    text: string,
    fileName: string | null,
    language: Language,
  ): Promise<Response<'import-open-cookie-database'>> {
    const parsed = parseOpenCookieDatabase(text, language);
    const issues = parsed.problems.map((p) => ({ path: p.where, message: p.message }));
    if (parsed.entries.length === 0) {
      return {
        ok: false,
        error: `No valid row: the file is not in the Open Cookie Database's format (${parsed.problemCount} problem(s)).`,
        issues,
        total: parsed.problemCount,
      };
    }
    const stored: StoredOcd = {
      entries: parsed.entries,
      problems: parsed.problems,
      problemCount: parsed.problemCount,
      importedAt: Date.now(),
      fileName,
    };
    await putSetting(await this.db(), OCD_KEY, stored);
    this.stored = null;
    return {
      ok: true,
      count: parsed.entries.length,
      problems: parsed.problems,
      problemCount: parsed.problemCount,
      importedAt: stored.importedAt,
      fileName,
    };
  }

  async remove(): Promise<Response<'remove-open-cookie-database'>> {
    await putSetting(await this.db(), OCD_KEY, null);
    this.stored = null;
    return { ok: true };
  }

  private read(): Promise<{ info: OpenCookieDatabaseInfo; database: OpenCookieDatabase } | null> {
    this.stored ??= (async () => {
      const stored = await getSetting<StoredOcd | null>(await this.db(), OCD_KEY, null, StoredOcdSchema);
      if (!stored) return null;
      const { entries, ...info } = stored;
      // A copy stored before problems were counted listed them all.
      return {
        info: { ...info, problemCount: info.problemCount ?? info.problems.length, count: entries.length },
        database: { entries, problems: stored.problems },
      };
    })().catch(() => null);
    return this.stored;
  }
}
