/**
 * The consent audit's scenarios, as an inspector runs them (`npm run audit -- --consent`): the site left alone
 * (`none`: no choice made), the banner refused, the banner accepted. The report names them; cli/consent/ runs them.
 */
export const SCENARIOS = ['none', 'refuse', 'accept'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** `run`, or why not: a banner no rule recognised (refuse and accept have no choice to make), or an error. */
export const SCENARIO_STATUSES = ['run', 'banner-not-recognised', 'failed'] as const;
export type ScenarioStatus = (typeof SCENARIO_STATUSES)[number];
