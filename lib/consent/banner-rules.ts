import { evalSnippets, type AutoConsentCMPRule } from '@duckduckgo/autoconsent';
import * as v from 'valibot';
import { t, type Language } from '../strings';
import { LISTED_PROBLEMS, validationIn } from '../validation-language';

/**
 * Consent-banner rules in autoconsent's own JSON format (docs/rule-syntax.md of @duckduckgo/autoconsent): autoconsent's
 * bundled rules, the project's own (lib/consent/banner-rules/*.json, for platforms it has no rule for) and an audit's
 * (`--consent-rules`). Ours and an audit's are validated here, so that a wrong file says what is wrong and where.
 */

/** The main-world snippets autoconsent knows: an `eval` step names one of them, never code. */
const SNIPPET_IDS = Object.keys(evalSnippets) as [string, ...string[]];
const MAX_STEPS = 200;

const selector = v.union([v.pipe(v.string(), v.minLength(1)), v.pipe(v.array(v.string()), v.minLength(1))]);
const check = v.optional(v.picklist(['any', 'all', 'none']));
const STEP_ACTIONS = [
  'exists',
  'visible',
  'eval',
  'waitFor',
  'waitForVisible',
  'click',
  'waitForThenClick',
  'wait',
  'hide',
  'if',
  'any',
  'cookieContains',
  'removeClass',
  'setStyle',
  'addStyle',
] as const;

type Step = Record<string, unknown>;
const StepSchema: v.GenericSchema<Step> = v.pipe(
  v.strictObject({
    optional: v.optional(v.boolean()),
    comment: v.optional(v.string()),
    // A note some of autoconsent's rules carry (the button's words): not read by the engine.
    text: v.optional(v.string()),
    negated: v.optional(v.boolean()),
    exists: v.optional(selector),
    visible: v.optional(selector),
    check,
    eval: v.optional(v.picklist(SNIPPET_IDS)),
    waitFor: v.optional(selector),
    waitForVisible: v.optional(selector),
    timeout: v.optional(v.pipe(v.number(), v.minValue(0))),
    click: v.optional(selector),
    waitForThenClick: v.optional(selector),
    all: v.optional(v.boolean()),
    wait: v.optional(v.pipe(v.number(), v.minValue(0))),
    // A string by autoconsent's types; a list in some of its own rules.
    hide: v.optional(selector),
    method: v.optional(v.picklist(['display', 'opacity'])),
    if: v.optional(v.strictObject({ exists: v.optional(selector), visible: v.optional(selector), check })),
    then: v.optional(v.lazy(() => StepsSchema)),
    else: v.optional(v.lazy(() => StepsSchema)),
    any: v.optional(v.lazy(() => StepsSchema)),
    cookieContains: v.optional(v.string()),
    removeClass: v.optional(v.string()),
    setStyle: v.optional(v.string()),
    addStyle: v.optional(v.string()),
    selector: v.optional(selector),
  }),
  v.check(
    (step) => STEP_ACTIONS.some((action) => step[action] !== undefined),
    (issue) => t(issue.lang === 'fr' ? 'fr' : 'en', 'banner_stepWithoutAction', STEP_ACTIONS.join(', ')),
  ),
);
const StepsSchema = v.pipe(v.array(StepSchema), v.maxLength(MAX_STEPS));

const urlPattern = v.pipe(
  v.string(),
  v.maxLength(2000),
  v.check(
    (pattern) => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    },
    (issue) => t(issue.lang === 'fr' ? 'fr' : 'en', 'banner_badUrlPattern'),
  ),
);

export const ConsentRuleSchema = v.strictObject({
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  vendorUrl: v.optional(v.string()),
  prehideSelectors: v.optional(v.array(v.string())),
  runContext: v.optional(
    v.strictObject({
      main: v.optional(v.boolean()),
      frame: v.optional(v.boolean()),
      urlPattern: v.optional(urlPattern),
    }),
  ),
  intermediate: v.optional(v.boolean()),
  cosmetic: v.optional(v.boolean()),
  detectCmp: StepsSchema,
  detectPopup: StepsSchema,
  optOut: StepsSchema,
  optIn: StepsSchema,
  openCmp: v.optional(StepsSchema),
  test: v.optional(StepsSchema),
  comment: v.optional(v.string()),
  minimumRuleStepVersion: v.optional(v.number()),
  _metadata: v.optional(v.record(v.string(), v.unknown())),
});

/** A file of rules: one rule (as autoconsent keeps each in rules/autoconsent/), a list of them, or `{ autoconsent: [...] }`. */
const MAX_RULES = 5000;

export type ConsentRulesReading = { ok: true; rules: AutoConsentCMPRule[] } | { ok: false; problems: string[] };

/**
 * Reads rules given as parsed JSON, in autoconsent's format; on failure, the problems in `language`, each with where it
 * is (`rule 2 ("didomi") › optOut.0.click: …`), the first LISTED_PROBLEMS of them.
 */
export function readConsentRules(json: unknown, language: Language): ConsentRulesReading {
  const list = Array.isArray(json)
    ? json
    : typeof json === 'object' && json !== null && 'autoconsent' in json
      ? (json as { autoconsent: unknown }).autoconsent
      : typeof json === 'object' && json !== null && 'name' in json
        ? [json]
        : null;
  if (!Array.isArray(list)) return { ok: false, problems: [t(language, 'banner_notRules')] };
  if (list.length > MAX_RULES) return { ok: false, problems: [t(language, 'banner_tooManyRules', MAX_RULES)] };
  const problems: string[] = [];
  const rules: AutoConsentCMPRule[] = [];
  const config = { ...validationIn(language), abortPipeEarly: true };
  list.forEach((candidate, index) => {
    const parsed = v.safeParse(ConsentRuleSchema, candidate, config);
    if (parsed.success) {
      rules.push(parsed.output as AutoConsentCMPRule);
      return;
    }
    const name =
      typeof (candidate as { name?: unknown })?.name === 'string' ? (candidate as { name: string }).name : '';
    const where = t(language, 'banner_ruleAt', index + 1, name.slice(0, 100));
    for (const issue of parsed.issues) {
      if (problems.length >= LISTED_PROBLEMS) return;
      const path = v.getDotPath(issue);
      problems.push(`${where}${path ? ` › ${path}` : ''}: ${problemText(issue, language)}`);
    }
  });
  return problems.length ? { ok: false, problems } : { ok: true, rules };
}

/** valibot's words, but for a key a strict object does not know (a typo, most often), and one it misses. */
function problemText(issue: v.BaseIssue<unknown>, language: Language): string {
  if (issue.type === 'strict_object' && issue.expected === 'never')
    return t(language, 'banner_unknownKey', issue.received);
  if (issue.type === 'strict_object' && issue.received === 'undefined' && issue.expected?.startsWith('"'))
    return t(language, 'banner_missingKey', issue.expected);
  return issue.message;
}

/** Reads a rules file's text: not JSON, or not autoconsent's format, says so. */
export function parseConsentRules(text: string, language: Language): ConsentRulesReading {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [t(language, 'banner_notJson', error instanceof Error ? error.message : '')] };
  }
  return readConsentRules(json, language);
}

/**
 * The project's own rules, every file of lib/consent/banner-rules/, each read as above: a wrong file is named with its
 * problems (the unit test reads them all, so a wrong one fails there first).
 */
export function projectConsentRules(
  files: Record<string, unknown> = import.meta.glob('./banner-rules/*.json', { eager: true, import: 'default' }),
): ConsentRulesReading {
  const rules: AutoConsentCMPRule[] = [];
  const problems: string[] = [];
  for (const [path, json] of Object.entries(files)) {
    const read = readConsentRules(json, 'en');
    if (read.ok) rules.push(...read.rules);
    else problems.push(...read.problems.map((problem) => `${path.replace(/^.*\//, '')}: ${problem}`));
  }
  return problems.length ? { ok: false, problems } : { ok: true, rules };
}

/**
 * The rules worth sending to one frame (autoconsent's own filter, as its extension does): those that run in its kind of
 * frame, and, of the site-specific ones, those whose URL pattern matches the frame's address.
 */
export function rulesForFrame(rules: readonly AutoConsentCMPRule[], url: string, isTop: boolean): AutoConsentCMPRule[] {
  return rules.filter((rule) => {
    const context = rule.runContext ?? {};
    if (isTop ? context.main === false : context.frame !== true) return false;
    if (!context.urlPattern) return true;
    try {
      return new RegExp(context.urlPattern).test(url);
    } catch {
      return false;
    }
  });
}

/**
 * One list from several, earlier lists first: a rule named like one of an earlier list is left out (an audit's rule
 * replaces the project's, the project's replaces autoconsent's).
 */
export function mergeConsentRules(...lists: ReadonlyArray<readonly AutoConsentCMPRule[]>): AutoConsentCMPRule[] {
  const names = new Set<string>();
  const merged: AutoConsentCMPRule[] = [];
  for (const list of lists)
    for (const rule of list) {
      if (names.has(rule.name)) continue;
      names.add(rule.name);
      merged.push(rule);
    }
  return merged;
}
