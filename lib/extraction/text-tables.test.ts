import { describe, expect, it } from 'vitest';
import { readTextTables } from './text-tables';

const names = (text: string) =>
  readTextTables(text.split('\n')).flatMap((table) =>
    table.rows.map((row) => [row.cells.name ?? '', row.cells.lifetime ?? '']),
  );

describe('readTextTables', () => {
  it('reads a table copied one cell per line with " |" after each cell, an ordinary word as a name included', () => {
    const text = [
      'Nom |',
      'échéance |',
      'Contenu |',
      'Objectif |',
      'SRVSESSION |',
      'Session utilisateur |',
      'Chaîne aléatoire |',
      'Maintien de la session |',
      'langue |',
      '28 jours |',
      'Ex : « fr » |',
      "Langue d'affichage |",
      'Comment voir les cookies installés ?',
    ];
    const tables = readTextTables(text);
    expect(names(text.join('\n'))).toEqual([
      ['SRVSESSION', 'Session utilisateur'],
      ['langue', '28 jours'],
    ]);
    // The sentence after the last row is left to the text reading.
    expect(tables[0]!.to).toBe(text.length - 2);
  });

  it('joins a Markdown row whose cells go on over the next line', () => {
    const text = [
      '| Cookie | Description | Duration |',
      '|---|---|---|',
      '| __pay_mid __pay_sid |',
      'Payment provider: takes card payments. | session |',
      '| notice_seen | Hides the notice. | 1 month |',
    ];
    expect(names(text.join('\n'))).toEqual([
      ['__pay_mid __pay_sid', 'session'],
      ['notice_seen', '1 month'],
    ]);
  });

  it('reads a table copied with a tab between cells, one lifetime per name where a cell lists several', () => {
    const text = [
      'Cookie Subgroup\tCookies\tCookies used\tLifespan',
      'shop.example\ta_b, c_d\tFirst Party\tSession, 1 Days',
    ];
    const [table] = readTextTables(text);
    expect(table?.rows.map((row) => row.cells)).toEqual([
      { domain: 'shop.example', name: 'a_b, c_d', type: 'First Party', lifetime: 'Session, 1 Days' },
    ]);
  });
});
