import * as v from 'valibot';
import type { Finding } from '../../lib/audit/findings';
import type { Language } from '../../lib/strings';
import type { Evaluating } from '../browsers';

/**
 * Every call the consent audit makes to the other parts of the consent work, in one place: the banner engine's two
 * messages (answered by the background), the validator of a --consent-rules file (lib/consent/) and the builder of the
 * `refusal-harder-than-acceptance` finding (lib/audit/). MERGE: the three marked places below are stand-ins until
 * those parts are on main; each is one import to swap, the signatures stay.
 */

export type BannerMode = 'off' | 'refuse' | 'accept' | 'detect';

/** What the banner engine did in a tab: `pending` until it has recognised a banner and answered it, or given up. */
export interface BannerOutcome {
  status: 'pending' | 'not-recognised' | 'answered' | 'failed';
  /** The autoconsent rule that recognised the banner. */
  rule: string | null;
  action: 'opt-out' | 'opt-in' | null;
  clicks: number | null;
  /** When it settled (ms since the epoch). */
  at: number | null;
}

const BannerOutcomeSchema = v.object({
  status: v.picklist(['pending', 'not-recognised', 'answered', 'failed']),
  rule: v.nullable(v.pipe(v.string(), v.maxLength(200))),
  action: v.nullable(v.picklist(['opt-out', 'opt-in'])),
  clicks: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0))),
  at: v.nullable(v.number()),
});

/**
 * Sends a message the protocol map does not list yet. MERGE: once `set-banner-mode` and `get-banner-outcome` are in
 * lib/messages.ts, `askBackground` from ../browsers replaces this (same JSON crossing).
 */
async function send(page: Evaluating, message: { type: string } & Record<string, unknown>): Promise<unknown> {
  const json = await page.evaluate(async (m) => {
    type Api = { runtime: { sendMessage(m: unknown): Promise<unknown> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    return JSON.stringify((await (g.browser ?? g.chrome)!.runtime.sendMessage(m)) ?? null);
  }, message);
  return JSON.parse(json as string) as unknown;
}

function refusal(answer: unknown): string {
  const error = (answer as { error?: unknown } | null)?.error;
  return typeof error === 'string' ? error : JSON.stringify(answer);
}

/** `set-banner-mode` for the whole browser session, with the --consent-rules file's rules when there is one. */
export async function setBannerMode(page: Evaluating, mode: BannerMode, rules: unknown): Promise<void> {
  const answer = await send(page, { type: 'set-banner-mode', mode, ...(rules === undefined ? {} : { rules }) });
  if ((answer as { ok?: unknown } | null)?.ok !== true)
    throw new Error(`the background refused "set-banner-mode": ${refusal(answer)}`);
}

/** `get-banner-outcome` for a tab, checked: a malformed answer is an error, never read as an outcome. */
export async function bannerOutcome(page: Evaluating, tabId: number): Promise<BannerOutcome> {
  const answer = await send(page, { type: 'get-banner-outcome', tabId });
  const parsed = v.safeParse(v.object({ ok: v.literal(true), outcome: BannerOutcomeSchema }), answer);
  if (!parsed.success) throw new Error(`the background refused "get-banner-outcome": ${refusal(answer)}`);
  return parsed.output.outcome;
}

/**
 * Reads a --consent-rules file's text: the rules to hand to `set-banner-mode`, or what is wrong with it, in `language`.
 * MERGE: replace the body with `readConsentRules(json, language)` from lib/consent/ (adapting its result to this one).
 */
export function readRulesFile(text: string, language: Language): { rules: unknown } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: `${language === 'fr' ? 'pas du JSON' : 'not JSON'}: ${(error as Error).message}` };
  }
  // Stand-in: autoconsent's rules are objects with a name; the real validator checks the whole rule format.
  const rules = v.safeParse(v.array(v.looseObject({ name: v.string() })), json);
  if (!rules.success)
    return {
      error:
        language === 'fr'
          ? 'pas au format des règles autoconsent (une liste de règles)'
          : "not autoconsent's rule format (a list of rules)",
    };
  return { rules: rules.output };
}

/**
 * The `refusal-harder-than-acceptance` finding of a site whose banner took more clicks to refuse than to accept.
 * MERGE: replace the body with `refusalHarderThanAcceptance(site, effort)` from lib/audit/; until then there is no
 * such finding kind in the report schema, so none is made.
 */
export function refusalHarderFinding(
  site: string,
  effort: { rule: string; refuseClicks: number; acceptClicks: number },
): Finding | null {
  void site;
  void effort;
  return null;
}
