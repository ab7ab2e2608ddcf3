/**
 * The banner engine's modes and what it did with a tab's banner: the vocabulary the audit CLI reads through
 * `set-banner-mode` and `get-banner-outcome` (lib/messages.ts).
 */

/** Off; answer by refusing all (autoconsent's opt-out) or accepting all (opt-in); or only recognise the banner. */
export const BANNER_MODES = ['off', 'refuse', 'accept', 'detect'] as const;
export type BannerMode = (typeof BANNER_MODES)[number];

/**
 * What the engine did with the banner of the tab's visit:
 * - `pending`: still looking, or answering;
 * - `not-recognised`: the top frame's detection ended (autoconsent's tries, `detectRetries`, ran out, or a platform it
 *   recognised showed no banner) and no frame found a banner; a frame may still find one later;
 * - `detected`: a banner was recognised and, in `detect` mode, left alone;
 * - `answered`: refused (`opt-out`) or accepted (`opt-in`), with the clicks it took once autoconsent counted them;
 * - `failed`: a banner was recognised but the rule's answer did not succeed.
 * `rule` is the autoconsent rule (the platform's name), `at` when the banner was answered, failed or found.
 */
export interface BannerOutcome {
  status: 'pending' | 'not-recognised' | 'detected' | 'answered' | 'failed';
  rule: string | null;
  action: 'opt-out' | 'opt-in' | null;
  clicks: number | null;
  at: number | null;
}
