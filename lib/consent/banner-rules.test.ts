import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  mergeConsentRules,
  parseConsentRules,
  projectConsentRules,
  readConsentRules,
  rulesForFrame,
} from './banner-rules';

const bundled = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@duckduckgo/autoconsent/rules/rules.json'), 'utf8'),
) as { autoconsent: unknown[] };

const rule = {
  name: 'fixture-platform',
  detectCmp: [{ exists: '#banner' }],
  detectPopup: [{ visible: '#banner' }],
  optIn: [{ waitForThenClick: '#accept' }],
  optOut: [{ if: { exists: '#refuse' }, then: [{ waitForThenClick: '#refuse' }], else: [{ click: '#close' }] }],
};

describe('consent rules', () => {
  it('reads every rule autoconsent ships, in its three shapes', () => {
    const read = readConsentRules(bundled, 'en');
    expect(read.ok && read.rules.length).toBe(bundled.autoconsent.length);
    expect(readConsentRules(rule, 'en')).toEqual({ ok: true, rules: [rule] });
    expect(readConsentRules([rule, { ...rule, name: 'second' }], 'en')).toMatchObject({ ok: true });
  });

  it('reads every file of the project’s own rules', () => {
    const read = projectConsentRules();
    expect(read.ok ? [] : read.problems).toEqual([]);
  });

  it('names the file, the rule and the place of each problem', () => {
    const read = projectConsentRules({
      './banner-rules/good.json': rule,
      './banner-rules/typo.json': { ...rule, optIn: [{ waitForThenClik: '#accept' }] },
    });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toBe(
      'typo.json: rule 1 (“fixture-platform”) › optIn.0.waitForThenClik: unknown key "waitForThenClik"',
    );
  });

  it('says what is wrong with a file that is not rules, in English or French', () => {
    expect(parseConsentRules('{ "name": ', 'en')).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^The consent rules are not valid JSON/)],
    });
    expect(parseConsentRules('{ "rules": [] }', 'fr')).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^Les règles de consentement ne sont pas au format d’autoconsent/)],
    });
    const wrong = readConsentRules(
      [
        { ...rule, detectCmp: 'exists #banner' },
        { ...rule, name: 'evil', optOut: [{ eval: 'fetch("https://evil.example")' }] },
        { ...rule, name: 'idle', optOut: [{ comment: 'does nothing' }] },
        { ...rule, name: 'pattern', runContext: { urlPattern: '(' } },
        { name: 'half' },
      ],
      'en',
    );
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    const text = wrong.problems.join('\n');
    expect(text).toContain('rule 1 (“fixture-platform”) › detectCmp');
    expect(text).toContain('rule 2 (“evil”) › optOut.0.eval');
    expect(text).toContain('rule 3 (“idle”) › optOut.0: A step does nothing');
    expect(text).toContain(
      'rule 4 (“pattern”) › runContext.urlPattern: The URL pattern is not a valid regular expression',
    );
    expect(text).toContain('rule 5 (“half”) › detectCmp: missing key "detectCmp"');
  });

  it('sends a frame only the rules that run in it', () => {
    const top = { ...rule, name: 'top' };
    const frame = { ...rule, name: 'frame', runContext: { main: false, frame: true } };
    const site = { ...rule, name: 'site', runContext: { urlPattern: '^https://(www\\.)?banniere\\.example/' } };
    expect(rulesForFrame([top, frame, site], 'https://www.banniere.example/page', true).map((r) => r.name)).toEqual([
      'top',
      'site',
    ]);
    expect(rulesForFrame([top, frame, site], 'https://other.example/', true).map((r) => r.name)).toEqual(['top']);
    expect(rulesForFrame([top, frame, site], 'https://cmp.example/', false).map((r) => r.name)).toEqual(['frame']);
  });

  it('lets an audit’s rule replace the project’s, and the project’s replace autoconsent’s, of the same name', () => {
    const merged = mergeConsentRules(
      [{ ...rule, name: 'didomi', comment: 'audit' }],
      [
        { ...rule, name: 'didomi', comment: 'project' },
        { ...rule, name: 'commanders-act' },
      ],
      [
        { ...rule, name: 'didomi' },
        { ...rule, name: 'onetrust' },
      ],
    );
    expect(merged.map((r) => [r.name, r.comment])).toEqual([
      ['didomi', 'audit'],
      ['commanders-act', undefined],
      ['onetrust', undefined],
    ]);
  });
});
