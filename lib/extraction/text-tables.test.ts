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

  it('reads rows each opened by a bar line of their own, an empty cell a bar alone, the header too', () => {
    const text = ['|', 'Name |', 'Purpose |', 'Duration |', 'Source |'];
    text.push('|', '_tr_first |', 'Collects visit statistics |', '2 years |', '|');
    text.push('|', 'pid |', 'Social plugin |', '1 week |', '|');
    text.push('|', 'tr_optin |', 'Records your cookie choice |', '1 year |', '{{companyname}}');
    expect(names(text.join('\n'))).toEqual([
      ['_tr_first', '2 years'],
      ['pid', '1 week'],
      ['tr_optin', '1 year'],
    ]);
  });

  it('reads rows whose cells were copied glued, under a glued header or two such rows without one', () => {
    expect(
      names(
        [
          'NameExpiryDescription',
          '_sv_id2 years from set/updateTells one visitor from another.',
          '__sv_closeEnd of browser sessionKept for older versions.',
        ].join('\n'),
      ),
    ).toEqual([
      ['_sv_id', '2 years'],
      ['__sv_close', 'End of browser session'],
    ]);
    expect(
      names(['_sv_id2 years from set/updateTells visitors apart.', '__sv_hit10 minutesLimits the rate.'].join('\n')),
    ).toEqual([
      ['_sv_id', '2 years'],
      ['__sv_hit', '10 minutes'],
    ]);
    // The lifetime column last: the last lifetime the row states, after a sentence's full stop.
    expect(
      names(
        [
          'Cookie namePurposeRetention period',
          'STAT_SESSIDGroups the pages of a visit, until the browser is closed.15 days',
        ].join('\n'),
      ),
    ).toEqual([['STAT_SESSID', '15 days']]);
    // A type column after the name: its lower-case word is no part of the name.
    expect(
      names(
        [
          'CookieTypeDurationDescription',
          '_st_apersistent2 yearsTells visitors apart.',
          '_st_csessionsessionMarks a visit.',
        ].join('\n'),
      ),
    ).toEqual([
      ['_st_a', '2 years'],
      ['_st_c', 'session'],
    ]);
    // One glued line alone, and prose, are no table.
    expect(names('_sv_id2 years from set/update\nWe use cookies for 2 years.')).toEqual([]);
  });

  it('does not take the line introducing a table for one of its column labels', () => {
    const text = ['Cookies set by us:', 'Name |', 'Provider |', 'Expiry |', 'Apbct_test |', 'Site |', 'Session |'];
    expect(names(text.join('\n'))).toEqual([['Apbct_test', 'Session']]);
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

  it('reads a comma-separated export, quoted fields holding commas', () => {
    const text = [
      'Cookie ID,Domain,Duration,Description',
      '_ga,.example.org,1 year,"Tells visitors apart, and counts visits"',
    ];
    expect(readTextTables(text)[0]?.rows.map((row) => row.cells)).toEqual([
      { name: '_ga', domain: '.example.org', lifetime: '1 year', purpose: 'Tells visitors apart, and counts visits' },
    ]);
  });

  it('reads Markdown cells with <br> line breaks and escaped bars', () => {
    const text = [
      '| Name | Purpose | Expiry |',
      '|:--|:--|--:|',
      '| `_ga`<br>`_ga_*` | Visitors \\| visits | 2 years |',
    ];
    expect(readTextTables(text)[0]?.rows.map((row) => row.cells)).toEqual([
      { name: '_ga\n_ga_*', purpose: 'Visitors | visits', lifetime: '2 years' },
    ]);
  });

  it('reads a Markdown row opened by a lone bar, its cells on the next lines', () => {
    const text = [
      '| Cookie | Description | Duration |',
      '|---|---|---|',
      '|',
      'spam_test |',
      'Tells people from robots. | 3 days |',
    ];
    expect(names(text.join('\n'))).toEqual([['spam_test', '3 days']]);
  });

  it('gives bare numbers the unit the header names', () => {
    const text = ['| Cookie | Expiry (days) |', '|---|---|', '| visitor_ref | 30 |'];
    expect(readTextTables(text)[0]?.rows.map((row) => row.cells.lifetime)).toEqual(['30 days']);
  });

  it('does not take a line of labelled fields for a header', () => {
    expect(
      readTextTables(['Nom : _pk_id | Finalité : visiteur | Durée : 13 mois', 'Nom : _pk_ses | Durée : 30 minutes']),
    ).toEqual([]);
  });

  it('reads cells copied with a bar after each and no name header, rows ending at their lifetime', () => {
    const text = [
      '|',
      'Default expiry |',
      'Measurement cookies |',
      '_mz_a |',
      'Tells visitors apart. |',
      '2 years from set/update |',
      'vid | Tells visitors',
      'apart. | 2 years | |',
    ];
    expect(names(text.join('\n'))).toEqual([
      ['_mz_a', '2 years from set/update'],
      ['vid', '2 years'],
    ]);
    // Labelled fields are not cells of such a table.
    expect(readTextTables(['Nom : _pk_id | Durée : 13 mois', 'Nom : _pk_ses | Durée : 30 minutes'])).toEqual([]);
  });
  it('reads a copy with a bar after each cell under a header, each name cell a label then names in brackets', () => {
    const text = [
      'Cookie (Name)',
      '|',
      'Purpose & Expiry',
      '|',
      'Site banner',
      '(banner_seen) |',
      'Remembers the banner was closed. Expires after 6 months. |',
      'Statistics',
      '(_st_id, _st_ses) |',
      'Counts visits. Expiration varies up to 13 months. |',
    ];
    expect(names(text.join('\n'))).toEqual([
      ['Site banner (banner_seen)', 'Remembers the banner was closed. Expires after 6 months.'],
      ['Statistics (_st_id, _st_ses)', 'Counts visits. Expiration varies up to 13 months.'],
    ]);
    expect(names(['Cookie (Name)', '|', 'Purpose & Expiry', '|', 'Some text |', 'More text |'].join('\n'))).toEqual([]);
  });
  it('reads rows whose names, description and lifetime are glued, without a header', () => {
    const text = [
      '_stat_idCounts visits13 months',
      'ad_one, ad_twoSet by the partner',
      'BannerChoiceKeeps your choiceSession',
      '',
      'JavaScript is needed2 years',
    ];
    expect(names(text.join('\n'))).toEqual([
      ['_stat_id', '13 months'],
      ['ad_one, ad_two', ''],
      ['BannerChoice', 'Session'],
    ]);
    expect(names('_stat_idCounts visits13 months\nA sentence follows.')).toEqual([]);
  });
  it('reads rows whose cells a space parts under a glued header, the lifetimes offered at the end as one cell', () => {
    const text = [
      'CookieSet byPurposeLifetime',
      '__cf_bm, cf_clearance Cloudflare Bot detection. Needed for safety. Session — 30 mins',
      '_ga, _ga_7QX2 Google Analytics Tells visitors apart. Up to 13 months',
      '',
      'Not a row here 1 year',
    ];
    expect(names(text.join('\n'))).toEqual([
      ['__cf_bm, cf_clearance', 'Session — 30 mins'],
      ['_ga, _ga_7QX2', 'Up to 13 months'],
    ]);
  });

  it('keeps a label it does not know ("Source") in its place in a table copied one cell per line', () => {
    const text = [
      'Name',
      'Source',
      'Purpose',
      'Type',
      'Expiry',
      '_pref_a',
      'This site',
      'Keeps it',
      'Persistent',
      '1 year',
    ];
    expect(names(text.join('\n'))).toEqual([['_pref_a', '1 year']]);
  });
});
