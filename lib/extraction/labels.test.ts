import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../tests/support/linear-time';
import { consentBasisFromLabel } from './labels';

describe('consentBasisFromLabel', () => {
  it.each([
    ['Cookies strictement nécessaires', 'exempt'],
    ['Essentiels', 'exempt'],
    ['Strictly necessary cookies', 'exempt'],
    ['Nécessaires', 'exempt'],
    ['Exemptés de consentement', 'exempt'],
    ['Cookies that do not require your consent', 'exempt'],
    ['Ces cookies ne nécessitent pas votre consentement', 'exempt'],
    ['Soumis à consentement', 'required'],
    ['Cookies soumis à votre consentement : mesure d’audience', 'required'],
    ['Requires your consent', 'required'],
  ] as const)('reads %j as %s', (label, basis) => {
    expect(consentBasisFromLabel(label)).toBe(basis);
  });

  it.each([
    'Analytics',
    'Publicité ciblée',
    'Cookies non essentiels',
    'Non-essential cookies',
    'Cookies nécessaires à la mesure d’audience',
    '',
    null,
  ])('leaves %j to the regulator’s rule: it says nothing sure of consent', (label) => {
    expect(consentBasisFromLabel(label)).toBeNull();
  });
});

describe('consentBasisFromLabel on a hostile cell', { timeout: 600_000 }, () => {
  const run = (text: string, size: number) => text.repeat(Math.max(1, Math.floor(size / text.length)));

  it('reads a cell of any length made of the words it looks for in linear time', () => {
    expect(
      measureLinearTime((size) => {
        const cells = [
          run('necessit', size),
          run('soumis a ', size),
          run('ne necessitent pas ', size),
          run('non strictement ', size),
          `${run(' ', size)}x`,
        ];
        return () => cells.map((cell) => consentBasisFromLabel(cell));
      }),
    ).toMatchObject({ brokeAt: null });
  });
});
