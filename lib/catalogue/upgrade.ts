import type { Language } from '../i18n';
import { t } from '../strings';

/** What an upgrade did: the file as the current format reads it, and the version it was written in (null: current). */
export type Upgrade = { input: unknown; upgradedFrom: number | null };

/**
 * Brings a catalogue written in an older format version to the current one, before it is validated, so that a file a
 * person imported or saved is never refused or cut for its age. It works on anything (validation comes after) and
 * copies what it changes, never the caller's object.
 *
 * Version 1 → 2: version 2 adds what the policy says of consent (`Entry.consent`, `consentRules`), both optional.
 * Nothing of a version 1 file changes meaning: its version becomes 2, and a note, in the reader's language, says that
 * where it declares no consent basis the regulator's rule decides, as for any catalogue silent on consent.
 */
export function upgradeCatalogue(input: unknown, language: Language = 'en'): Upgrade {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { input, upgradedFrom: null };
  const catalogue = input as Record<string, unknown>;
  if (catalogue.formatVersion !== 1) return { input, upgradedFrom: null };
  const note = t(language, 'catalogueConsent_upgradedFromVersion1');
  const notes = catalogue.notes;
  return {
    // A `notes` that is not a list stays as it is: validation names it.
    input: {
      ...catalogue,
      formatVersion: 2,
      notes: notes === undefined ? [note] : Array.isArray(notes) ? [...(notes as unknown[]), note] : notes,
    },
    upgradedFrom: 1,
  };
}
