import * as v from 'valibot';
import { CATEGORIES } from '../catalogue/schema';
import { CONSENT_CHOICES, CONSENT_PLATFORMS, type ConsentChange } from './consent-state';
import { CONSENT_PROBLEM_REASONS, type ConsentProblem } from './signals/reading';

/**
 * The consent a visit keeps, as read back from storage (`VisitRecord.consent` and `consentProblems`): checked like the
 * rest of the record, since a stored record may come from an older version or another tool.
 */
const time = v.pipe(v.number(), v.finite());
const ids = <T extends v.GenericSchema>(item: T) => v.nullable(v.array(item));

const ConsentSourceSchema = v.variant('kind', [
  v.object({ kind: v.literal('signal'), platform: v.picklist(CONSENT_PLATFORMS), name: v.string() }),
  v.object({
    kind: v.literal('banner'),
    rule: v.string(),
    action: v.picklist(['detected', 'opt-out', 'opt-in']),
    clicks: v.nullable(v.number()),
  }),
  v.object({ kind: v.literal('platform-loaded'), platform: v.picklist(CONSENT_PLATFORMS), host: v.string() }),
]);

export const ConsentChangeSchema = v.object({
  at: time,
  choice: v.picklist(CONSENT_CHOICES),
  granted: ids(v.picklist(CATEGORIES)),
  purposes: ids(v.number()),
  platformCategories: ids(v.string()),
  source: ConsentSourceSchema,
}) satisfies v.GenericSchema<ConsentChange>;

export const ConsentProblemSchema = v.object({
  platform: v.picklist(CONSENT_PLATFORMS),
  name: v.string(),
  reason: v.picklist(CONSENT_PROBLEM_REASONS),
  count: v.number(),
  firstAt: time,
  lastAt: time,
}) satisfies v.GenericSchema<ConsentProblem>;
