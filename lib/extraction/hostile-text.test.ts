import { describe, expect, it } from 'vitest';
import { KB, measureLinearTime } from '../../tests/support/linear-time';
import { extractPolicyText, readPolicyText } from './policy-text';
import { identifierStrength, namesInCell } from './identifiers';
import { findLifetimes } from './lifetime-phrases';
import { plainText } from './draft';

/**
 * A policy page's HTML and text, and pasted text, are the page's or the paster's to shape: reading them takes time
 * linear in their size, whatever runs of one character they hold.
 */
const run = (text: string, size: number) => text.repeat(Math.max(1, Math.floor(size / text.length)));

describe('reading names', () => {
  it('tells the strength of a word of any length in linear time', () => {
    expect(identifierStrength('XSRFtoken')).toBe('strong');
    expect(identifierStrength('AspNetCore.Session')).toBe('strong');
    expect(identifierStrength(run('A', 1000))).toBe('caps');
    expect(
      measureLinearTime((size) => {
        const capitals = run('A', size);
        const letters = run('a', size);
        return () => [identifierStrength(capitals), identifierStrength(letters)];
      }),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads a name cell holding long runs of "(" and of spaces in linear time', () => {
    expect(namesInCell('_ga (Google) , _gid')).toEqual({ names: ['_ga', '_gid'], description: null });
    expect(namesInCell(`_ga (a (b)${run(' ', 1000)}`).names).toEqual(['_ga']);
    expect(
      measureLinearTime((size) => {
        const cell = `_ga ${run('(', size / 2)}\n_gid${run(' ', size / 2)}x`;
        return () => namesInCell(cell);
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('reading glued and bracketed rows', { timeout: 600_000 }, () => {
  it('reads glued rows and name cells ending in brackets in linear time', () => {
    expect(namesInCell('Label (a_b, c_d)').names).toEqual(['a_b', 'c_d']);
    expect(
      measureLinearTime((size) => {
        const glued = `_aThese words2 years\n${run('b_cSet by us\n', size)}`;
        const capitals = `${run('a_', size / 2)}${run('Ab', size / 2)} x 1 day\n`;
        const cell = `Label ${run('(', size / 2)}${run('a_b, ', size / 2)})`;
        const tags = `${run('<b ', size / 2)}${run('<p>_a_b: 1 day', size / 2)}`;
        return () => [readPolicyText(glued), readPolicyText(capitals), namesInCell(cell), readPolicyText(tags)];
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('reading placeholders', { timeout: 600_000 }, () => {
  it('reads a line of unclosed and nested brackets in linear time', () => {
    expect(readPolicyText('Pool.[User ID].idToken: 1 year').entries.map((e) => e.names[0]?.printed)).toEqual([
      'Pool.[User ID].idToken',
    ]);
    expect(
      measureLinearTime(
        (size) => {
          const text = `Nom Durée\n${run('x[a b c d [{<a b ', size)} 13 mois`;
          return () => readPolicyText(text);
        },
        { factor: 8 },
      ),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('reading lifetimes', { timeout: 600_000 }, () => {
  it('finds lifetimes in linear time in a text of many of them', () => {
    expect(findLifetimes('_ga\nsession\nla session\n13 mois').map((f) => f.text)).toEqual(['session', '13 mois']);
    expect(
      measureLinearTime((size) => {
        const text = run('_x\nsession\n13 mois\n', size);
        return () => findLifetimes(text);
      }),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads a long word full of "expir" in linear time', () => {
    expect(findLifetimes('Ils expirent à la fermeture du navigateur.').map((f) => f.text)).toEqual([
      'expirent à la fermeture du navigateur',
    ]);
    expect(
      measureLinearTime((size) => {
        const text = run('expir', size);
        return () => findLifetimes(text);
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

// Reading a policy text builds many objects: a looser bound (see measureLinearTime), and time to measure up to 1 MB.
describe('reading a policy text', { timeout: 600_000 }, () => {
  it('reads a name closed by a long run of punctuation in linear time', () => {
    expect(readPolicyText(`Nom Durée\n_ga${run('!', 1000)} 13 mois`).entries.map((e) => e.names[0]?.printed)).toEqual([
      '_ga',
    ]);
    expect(
      measureLinearTime(
        (size) => {
          const text = `Nom Durée\n_ga${run('!', size)}x 13 mois`;
          return () => readPolicyText(text);
        },
        { factor: 8 },
      ),
    ).toMatchObject({ brokeAt: null });
  });

  it('puts back lost list breaks, and reads long lists of names and of quoted names, in linear time', () => {
    expect(
      measureLinearTime(
        (size) => {
          // Many ")" before a glued name; many lines of names, each line's comma-opened successor; quoted names.
          const parentheses = `${run(')', size / 4)}_hc_id\n– 13 mois`;
          const names = run('_hc_a\n,_hc_b\n', size / 4);
          const prose = run('une ligne de texte assez longue _hc_x\n, lorsque\n', size / 4);
          const quoted = `- ${run('‘_hc_q’, ', size / 4)}: quand`;
          return () => readPolicyText([parentheses, names, prose, quoted].join('\n'));
        },
        { factor: 8 },
      ),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads a text of many table headers in linear time', () => {
    expect(
      measureLinearTime(
        (size) => {
          const text = `${run('Nom Durée\n', size)}_ga 13 mois`;
          return () => readPolicyText(text);
        },
        { factor: 8 },
      ),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads a text of many tables copied one cell per paragraph, and headers a tab apart, in linear time', () => {
    expect(
      measureLinearTime(
        (size) => {
          const paragraphs = `${run('Name\n\nPurpose\n\nExpiry\n\n', size / 2)}_ga 13 months`;
          const tabbed = `${run('Name\tPurpose\tExpiry\n_ga\nCounts visits\n', size / 2)}2 years`;
          return () => [readPolicyText(paragraphs), readPolicyText(tabbed)];
        },
        { factor: 8 },
      ),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads long lines of unclosed italics and of spaces before a bar in linear time', () => {
    expect(
      measureLinearTime((size) => {
        const italics = `*a${run(' a', size / 2)}`;
        const spaces = `a${run(' ', size)}b`;
        return () => [readPolicyText(italics), readPolicyText(spaces)];
      }),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads long runs of bar lines, cells or header labels alike, in linear time', () => {
    const table =
      'Cookies on this site\n|\n_mz_a |\nTells visits apart. |\n2 years |\nvid |\nTells visitors apart. |\n1 year |\n';
    expect(readPolicyText(table).entries.map((entry) => entry.names[0]?.printed)).toEqual(['_mz_a', 'vid']);
    expect(
      measureLinearTime((size) => {
        const cells = run('x |\n', size);
        const labels = run('Name |\n', size);
        return () => [readPolicyText(cells), readPolicyText(labels)];
      }),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads many names above a distant header, a code item before a long run of spaces, and rows under delimiter lines, in linear time', () => {
    expect(
      measureLinearTime((size) => {
        const names = `${run('_ga\nfoo bar baz\n', size)}Name Purpose Expiry\n`;
        const item = `* \`ab\`${run(' ', size)}x`;
        const rows = run('a | b\n---\n', size);
        return () => [readPolicyText(names), readPolicyText(item), readPolicyText(rows)];
      }),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads a table of 140,000 names without overflowing the call stack', { timeout: 120_000 }, () => {
    const text = `Name\tPurpose\tExpiry\n${run('_ga\n', 4 * 140_000)}`;
    expect(readPolicyText(text).entries.length).toBeGreaterThan(1);
  });

  it('pairs many names with as many lifetimes in linear time', () => {
    const table = (count: number) =>
      `Nom Durée\n${Array.from({ length: count }, (_, i) => `_ck${i}`).join(' ')}\n${Array.from({ length: count }, (_, i) => `${i + 1} jours`).join(' ')}`;
    expect(readPolicyText(table(3)).entries.map((e) => [e.names[0]?.printed, e.lifetime?.text])).toEqual([
      ['_ck0', '1 jours'],
      ['_ck1', '2 jours'],
      ['_ck2', '3 jours'],
    ]);
    expect(
      measureLinearTime(
        (size) => {
          const text = table(Math.floor(size / 12));
          return () => readPolicyText(text);
        },
        { factor: 8 },
      ),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads a row of half a million words after a name', () => {
    const text = `Nom Durée\n_ga ${run('mot ', 2_000_000)}13 mois`;
    expect(readPolicyText(text).entries.map((e) => [e.names[0]?.printed, e.lifetime?.text])).toEqual([
      ['_ga', '13 mois'],
    ]);
  });

  it('reads many rules on one line after a long run of spaces in linear time', () => {
    const text = (size: number) => `${run(' ', size / 2)}${run('Ces cookies expirent en 13 mois. ', size / 2)}`;
    expect(readPolicyText(text(2000)).rules.length).toBeGreaterThan(10);
    expect(
      measureLinearTime(
        (size) => {
          const input = text(size);
          return () => readPolicyText(input);
        },
        { factor: 8 },
      ),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads many consent sentences, and one long sentence of consent words, in linear time', () => {
    const many = (size: number) => run('Tous les cookies nécessitent votre consentement. ', size);
    const long = (size: number) => `Ces cookies ${run('nécessit ', size / 2)}${run('ne pas ', size / 2)}consentement.`;
    expect(readPolicyText(many(2000)).consentRules.length).toBeGreaterThan(10);
    expect(
      measureLinearTime(
        (size) => {
          const inputs = [many(size), long(size)];
          return () => inputs.map((input) => extractPolicyText(input, { source: 'test.txt' }));
        },
        { factor: 8 },
      ),
    ).toMatchObject({ brokeAt: null });
  });

  it('gives ids to many entries of one name in linear time', () => {
    const text = (size: number) => run('_ga 13 mois\n', size);
    expect(extractPolicyText(text(36), { source: 'test.txt' }).catalogue.entries.map((e) => e.id)).toEqual([
      'ga',
      'ga-2',
      'ga-3',
    ]);
    expect(
      measureLinearTime((size) => {
        const input = text(size);
        return () => extractPolicyText(input, { source: 'test.txt' });
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('names listed in prose and in brackets', { timeout: 300_000 }, () => {
  it('reads a long list of names said to be cookies, and many bracketed names above lifetime fields, in linear time', () => {
    const list = (size: number) => `${run('a_b, ', size)}c_d and the like are cookies.\n`;
    const bracketed = (size: number) => run('cookie (a_b) (c_d)\nLifespan: 1 year\n', size);
    expect(
      measureLinearTime((size) => {
        const inputs = [list(size), bracketed(size), run('a_b, _ ', size)];
        return () => inputs.map((input) => extractPolicyText(input, { source: 'test.txt' }));
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('reading lists of names, labels and remarks', { timeout: 600_000 }, () => {
  it('reads long lists of one-word items, "Cookies set:" labels, bracketed lifetimes and wrapped remarks in linear time', () => {
    const items = (size: number) =>
      `• Session Cookies: erased when you close your browser.\n${run('• a_b\n• SID\n• word\n', size)}`;
    const labels = (size: number) => run('Looks like: a_b, c_d Or this; e_f, ', size);
    const bracketed = (size: number) => `Cookies: ${run('lang (1 year), PHPSESSID (session), ', size)}`;
    const remarks = (size: number) => `Cookie Name\nUsed by\nDescription\n_ga\n${run('(where\n', size)}`;
    const terms = (size: number) =>
      run('KSESSIONID\nKeeps you signed in for now.\nterm\nA line of four words.\n', size);
    expect(
      measureLinearTime((size) => {
        const inputs = [items(size), labels(size), bracketed(size), remarks(size), terms(size)];
        return () => inputs.map((input) => extractPolicyText(input, { source: 'test.txt' }));
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('reading field lines and list items', { timeout: 600_000 }, () => {
  it('reads a field line after a long run of spaces, and a long item of mentions, in linear time', () => {
    const spaces = (size: number) => `_ga_cookie\n${run(' ', size)}x\n_gid_cookie\n${run(' ', size)}=\n`;
    const mentions = (size: number) => `${run(' ', size / 2)}_ga_x sets ${run('with a ', size / 2)}`;
    expect(
      measureLinearTime((size) => {
        const inputs = [spaces(size), mentions(size)];
        return () => inputs.map((input) => extractPolicyText(input, { source: 'test.txt' }));
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('reading spaced rows, stored keys and repeated names', { timeout: 600_000 }, () => {
  it('reads rows under a glued header, keys listed with values, and names a table and prose share, in linear time', () => {
    const rows = (size: number) =>
      `CookieSet byPurposeLifetime\n${run('a_b, c_d Vendor Counts visits. Session — 30 mins\n', size)}`;
    const keys = (size: number) => `Kept in local storage:\n\n${run('App/Store/x = {\n    "a": 1\n}\n', size)}`;
    const offered = (size: number) =>
      `CookieSet byPurposeLifetime\n_ga_x Google Counts visits 1 year${run('\u00a0', size)}x 30 mins\n`;
    const compound = (size: number) => `_ga 1 year${run(' ', size)}x\n`;
    const shared = (size: number) =>
      `| Cookie | Duration |\n|---|---|\n${run('| `a_b` | 1 year |\n', size / 2)}${run('The cookies `a_*` and `a_b` keep data 2 years.\n', size / 2)}`;
    expect(
      measureLinearTime((size) => {
        const inputs = [rows(size), keys(size), shared(size), offered(size), compound(size)];
        return () => inputs.map((input) => extractPolicyText(input, { source: 'test.txt' }));
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('reading fixed-width and list tables, repeated headers and named cookies', { timeout: 600_000 }, () => {
  it('reads long runs of column borders, list rows under no header, repeated headers, glued CamelCase, scripts and name-opened lines, in linear time', () => {
    const border = '=====  =====  =====\n';
    const borders = (size: number) =>
      run(`${border} Name   Purpose  Lifetime\n${border} a_b    x        1 year\n`, size);
    const headerless = (size: number) => `.. list-table::\n\n${run('   * - a_b\n     - 1 year\n', size)}`;
    const groups = (size: number) =>
      `| Cookie |\nPurpose |\nDuration |\n${run('a_b |\nCounts |\n1 year |\nHeading\n| Cookie |\nPurpose |\nDuration |\n', size)}`;
    const glued = (size: number) =>
      `CookiePurposeDuration\n_a${run('PostHog', size)} 1 year\nb_c${run('Xy', size)} 2 years\n`;
    const called = (size: number) => run("We set a cookie called 'refdom' for a day. ", size);
    const scripts = (size: number) => `${run('<script>x', size / 2)}${run('<style>a</style>', size / 2)}`;
    const opened = (size: number) => run('a_b Holds a value here.\nlang Holds the language.\n', size);
    // A header again over each group whose rows name no cookie so: no table trimmed to nothing, read again from each.
    const unnamed = (size: number) => run('Cookie\nPurpose\nDuration\nSome words here\nCounts visits\n1 year\n', size);
    const bracketed = (size: number) =>
      run('| Cookie |\nPurpose |\nDuration |\nDjango (csrftoken) |\nBlocks forged posts |\n1 year |\nMore\n', size);
    const colons = (size: number) =>
      run('ABCSESSID: This is the session cookie.\n_a_b: Used to limit requests.\n', size);
    expect(readPolicyText(borders(200)).entries.length).toBeGreaterThan(0);
    expect(
      measureLinearTime(
        (size) => {
          const inputs = [
            borders(size),
            headerless(size),
            groups(size),
            glued(size),
            called(size),
            scripts(size),
            opened(size),
            colons(size),
            unnamed(size),
            bracketed(size),
          ];
          return () => inputs.map((input) => readPolicyText(input));
          // Ten inputs: up to 128 KB, where quadratic code already breaks the bound (8× per KB against 6×).
        },
        { largest: 128 * KB },
      ),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('plainText', () => {
  it('strips tags from a description holding a long run of "<" in linear time', () => {
    expect(plainText('<b>Mesure</b> d&apos;audience < 13 mois')).toBe("Mesure d'audience < 13 mois");
    expect(plainText('a <b <i>c')).toBe('a c');
    expect(
      measureLinearTime((size) => {
        const html = `<p>${run('<', size)}`;
        return () => plainText(html);
      }),
    ).toMatchObject({ brokeAt: null });
  });
});
