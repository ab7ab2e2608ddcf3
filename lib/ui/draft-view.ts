import type { Catalogue, Entry } from '../catalogue/schema';
import type { ExtractionResult } from '../extraction/draft';
import { language } from '../i18n';
import { ask } from './messaging';

/**
 * A drafted catalogue as the draft view shows it, and its saving: imported like a catalogue file (the background
 * validates it again), then bound to the site the user names. Types only from lib/extraction: the extractors
 * themselves are loaded when the user asks for a draft.
 */

export interface DraftRow {
  id: string;
  /** The names as the source prints them; empty for an entry the source describes without naming. */
  names: string[];
  lifetime: string;
  lifetimeUnderstood: boolean;
  category: Entry['category'];
  vendor: string | null;
  purpose: string;
  excerpt: string;
  where: string;
}

export function draftRows(catalogue: Catalogue): DraftRow[] {
  return catalogue.entries.map((entry) => ({
    id: entry.id,
    names: entry.names.map((name) => name.printed),
    lifetime: entry.lifetime.text,
    lifetimeUnderstood: entry.lifetime.parsed.kind !== 'unknown',
    category: entry.category,
    vendor: entry.vendor,
    purpose: entry.purpose,
    excerpt: entry.provenance.excerpt,
    where: entry.provenance.lines ? `${entry.provenance.lines[0]}–${entry.provenance.lines[1]}` : '',
  }));
}

const SITE = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/** The site field as the background accepts it ("www.example.fr", "*.example.fr"), or null. */
export function siteOrNull(text: string): string | null {
  const site = text.trim().toLowerCase();
  return SITE.test(site) ? site : null;
}

/** One line per draft, to choose among several ("policy page — 9 understood"). */
export function draftLabel(result: ExtractionResult): string {
  const note = result.catalogue.notes?.[0] ?? '';
  const extractor = /from the (.+?) \(/.exec(note)?.[1] ?? result.catalogue.title;
  return extractor;
}

export type SaveOutcome =
  { ok: true; id: string; replaced: boolean; site: string | null } | { ok: false; error: string };

/** Imports the draft (replacing an earlier import with the same id) and binds it to the site, if one is given. */
export async function saveDraft(catalogue: Catalogue, site: string | null): Promise<SaveOutcome> {
  const answer = await ask({ type: 'import-catalogue', text: JSON.stringify(catalogue), language: language() });
  if (!answer.ok) {
    const issues = answer.issues
      .slice(0, 3)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    return { ok: false, error: issues ? `${answer.error} ${issues}` : answer.error };
  }
  if (site) await ask({ type: 'bind-catalogue', site, catalogueId: answer.id });
  return { ok: true, id: answer.id, replaced: answer.replaced, site };
}
