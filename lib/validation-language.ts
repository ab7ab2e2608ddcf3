import * as v from 'valibot';
import { t, type Language, type MessageKey } from './strings';

/**
 * The language of the problems found in a file a person gave (a catalogue, an Open Cookie Database export): the one
 * of the page that shows them. valibot words its own problems in English; French ones are registered here.
 */

/**
 * How many problems of a file are listed; the rest are only counted. A file of millions of wrong rows then answers in
 * a few kilobytes (a browser refuses a message over 64 MiB) and is checked in bounded memory.
 */
export const LISTED_PROBLEMS = 100;

/** The first `LISTED_PROBLEMS` problems found, and how many there are in all. */
export class ProblemList<T> {
  readonly listed: T[] = [];
  total = 0;

  add(problem: T): void {
    if (this.listed.length < LISTED_PROBLEMS) this.listed.push(problem);
    this.total++;
  }
}

/**
 * A message of a rule of our own, from the string table, in the language the validation runs in. Marked free of side
 * effects so that a bundle that uses a module's other exports (the popup's explanations) drops its unused schemas,
 * and with them the table.
 */
/* @__NO_SIDE_EFFECTS__ */
export function problemMessage(
  key: MessageKey,
  ...substitutions: Array<string | number>
): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => t(issue.lang === 'fr' ? 'fr' : 'en', key, ...substitutions);
}

/**
 * What each kind of check is about (valibot's English says "Invalid type", "Invalid length"…; the table's English
 * entries are valibot's words, its French ones are registered for French).
 */
const SUBJECTS: Record<string, MessageKey> = {
  min_length: 'validationSubject_length',
  max_length: 'validationSubject_length',
  length: 'validationSubject_length',
  min_value: 'validationSubject_value',
  max_value: 'validationSubject_value',
  integer: 'validationSubject_integer',
  finite: 'validationSubject_finite',
  regex: 'validationSubject_format',
  url: 'validationSubject_url',
  iso_date: 'validationSubject_isoDate',
  check: 'validationSubject_value',
};

function frenchMessage(issue: v.BaseIssue<unknown>): string {
  // An object's key that is missing: valibot gives the key, quoted, as what it expected.
  if (issue.type === 'object' && issue.received === 'undefined' && issue.expected?.startsWith('"'))
    return t('fr', 'validationMissingKey', issue.expected);
  const subject = t(
    'fr',
    issue.kind === 'schema' ? 'validationSubject_type' : (SUBJECTS[issue.type] ?? 'validationSubject_value'),
  );
  return issue.expected
    ? t('fr', 'validationExpectedReceived', subject, issue.expected, issue.received)
    : t('fr', 'validationReceived', subject, issue.received);
}

let frenchRegistered = false;

/** valibot's configuration for validating with problems worded in `language`. */
export function validationIn(language: Language): v.Config<v.BaseIssue<unknown>> {
  if (language === 'fr' && !frenchRegistered) {
    v.setGlobalMessage(frenchMessage, 'fr');
    frenchRegistered = true;
  }
  return { lang: language };
}
