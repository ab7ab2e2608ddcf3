import * as v from 'valibot';
import type { Language } from './i18n';

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

/** A message of a rule of our own, in the language the validation runs in. */
export const bilingual =
  (english: string, french: string) =>
  (issue: v.BaseIssue<unknown>): string =>
    issue.lang === 'fr' ? french : english;

/** One of our own messages outside a schema. */
export const inLanguage = (language: Language, english: string, french: string): string => (language === 'fr' ? french : english);

/** What each kind of check is about, in French (valibot's English says "Invalid type", "Invalid length"…). */
const FRENCH_SUBJECTS: Record<string, string> = {
  min_length: 'Longueur invalide',
  max_length: 'Longueur invalide',
  length: 'Longueur invalide',
  min_value: 'Valeur invalide',
  max_value: 'Valeur invalide',
  integer: 'Nombre entier attendu',
  finite: 'Nombre fini attendu',
  regex: 'Format invalide',
  url: 'Adresse (URL) invalide',
  iso_date: 'Date invalide (AAAA-MM-JJ attendu)',
  check: 'Valeur invalide',
};

function frenchMessage(issue: v.BaseIssue<unknown>): string {
  // An object's key that is missing: valibot gives the key, quoted, as what it expected.
  if (issue.type === 'object' && issue.received === 'undefined' && issue.expected?.startsWith('"')) return `Clé manquante : ${issue.expected}`;
  const subject = issue.kind === 'schema' ? 'Type invalide' : (FRENCH_SUBJECTS[issue.type] ?? 'Valeur invalide');
  return issue.expected ? `${subject} : ${issue.expected} attendu, ${issue.received} reçu` : `${subject} : ${issue.received} reçu`;
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
