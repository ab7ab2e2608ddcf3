import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../tests/support/linear-time';
import {
  octets,
  parseCookieAttributes,
  parseCookieDate,
  parseSetCookie,
  splitSetCookieHeader,
  type CookieContext,
} from './set-cookie';

const receivedAt = Date.UTC(2025, 5, 1, 12, 0, 0); // Sun, 01 Jun 2025 12:00:00 GMT
const SECOND = 1000;
const DAY = 86_400 * SECOND;
const context: CookieContext = { receivedAt, requestHost: 'www.example.com' };
const parse = (line: string, extra: Partial<CookieContext> = {}) => parseSetCookie(line, { ...context, ...extra });
const at = (line: string, extra: Partial<CookieContext> = {}) => {
  const requested = parse(line, extra)?.requested;
  return requested && !requested.session ? requested.at : 'session';
};

describe('splitSetCookieHeader', () => {
  it('splits the Firefox newline-joined value and never on the commas of dates', () => {
    const value = [
      '_pk_id.1.a1b2=4c1f2e3d4b5a6978.1717243200.; expires=Thu, 02 Jul 2026 12:00:00 GMT; path=/; SameSite=Lax',
      'ASP.NET_SessionId=kx3rjq0vgk1b2yv5zq4rbd2m; path=/; HttpOnly; SameSite=Lax',
      'ADRUM_BT1=R:53|i:1234|e:12; Max-Age=30; Path=/; Secure',
    ].join('\n');
    const lines = splitSetCookieHeader(value);
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => parse(line)?.name)).toEqual(['_pk_id.1.a1b2', 'ASP.NET_SessionId', 'ADRUM_BT1']);
  });

  it('keeps a single Chrome header whole and drops blank lines and CRs', () => {
    expect(splitSetCookieHeader('a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT, b=2')).toEqual([
      'a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT, b=2',
    ]);
    expect(splitSetCookieHeader('a=1\r\n\n  \nb=2\n')).toEqual(['a=1', 'b=2']);
    expect(splitSetCookieHeader('')).toEqual([]);
  });
});

describe('parseSetCookie on real header lines', () => {
  it('reads a Matomo visitor cookie', () => {
    expect(
      parse('_pk_id.1.a1b2=4c1f2e3d4b5a6978.1717243200.; expires=Thu, 02 Jul 2026 12:00:00 GMT; path=/; SameSite=Lax'),
    ).toEqual({
      name: '_pk_id.1.a1b2',
      domain: null,
      hostOnly: true,
      path: '/',
      requested: { session: false, at: Date.UTC(2026, 6, 2, 12, 0, 0) },
      deletion: false,
      secure: false,
      httpOnly: false,
      sameSite: 'lax',
      partitioned: false,
    });
  });

  it('reads an ASP.NET session cookie', () => {
    expect(parse('ASP.NET_SessionId=kx3rjq0vgk1b2yv5zq4rbd2m; path=/; HttpOnly; SameSite=Lax')).toMatchObject({
      name: 'ASP.NET_SessionId',
      requested: { session: true },
      deletion: false,
      httpOnly: true,
      secure: false,
      sameSite: 'lax',
    });
  });

  it('reads AppDynamics ADRUM_BT1 with Max-Age=30', () => {
    const cookie = parse(
      'ADRUM_BT1=R:53|i:1234|e:12; Max-Age=30; Expires=Sun, 01 Jun 2025 12:00:30 GMT; Path=/; Secure',
    );
    expect(cookie).toMatchObject({
      name: 'ADRUM_BT1',
      secure: true,
      requested: { session: false, at: receivedAt + 30 * SECOND },
    });
  });

  it('keeps a two-year Expires as asked, without the 400-day cap', () => {
    const line = '_ga=GA1.2.1234567890.1717243200; expires=Tue, 01 Jun 2027 12:00:00 GMT; path=/; domain=.example.com';
    expect(at(line)).toBe(receivedAt + 730 * DAY);
    expect(parse(line)).toMatchObject({ domain: 'example.com', hostOnly: false });
  });

  it('reads Max-Age=0 and a past Expires as deletions', () => {
    expect(parse('ADRUM_BT1=; Max-Age=0; Path=/')).toMatchObject({
      deletion: true,
      requested: { session: false, at: receivedAt },
    });
    expect(parse('ADRUM_BT1=x; Max-Age=-1')).toMatchObject({ deletion: true, requested: { at: receivedAt - SECOND } });
    expect(parse('_pk_ses.1.a1b2=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/')).toMatchObject({ deletion: true });
    expect(parse('a=b; Max-Age=1')?.deletion).toBe(false);
  });

  it('reads a partitioned (CHIPS) cookie', () => {
    expect(parse('__Host-embed=e5f6; Secure; Path=/; SameSite=None; Partitioned')).toMatchObject({
      name: '__Host-embed',
      secure: true,
      sameSite: 'no_restriction',
      partitioned: true,
      path: '/',
    });
  });

  it('reads Domain=.cnp.fr set by a subdomain', () => {
    const cookie = parse('TS01a2b3c4=01d2e3f4a5b6; Path=/; Domain=.cnp.fr', { requestHost: 'monespaceclient.cnp.fr' });
    expect(cookie).toMatchObject({ domain: 'cnp.fr', hostOnly: false, path: '/' });
  });

  it('reads RFC 850 and asctime dates', () => {
    expect(at('a=b; expires=Sunday, 06-Nov-94 08:49:37 GMT')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(at('a=b; expires=Sun Nov  6 08:49:37 1994')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
  });

  it('measures Expires from the Date header to cancel server clock skew', () => {
    const serverDate = receivedAt + 3600 * SECOND; // the server's clock is an hour ahead
    const expires = new Date(serverDate + DAY).toUTCString();
    expect(at(`a=b; Expires=${expires}`, { serverDate })).toBe(receivedAt + DAY);
    expect(at(`a=b; Expires=${expires}`, { serverDate: null })).toBe(serverDate + DAY);
    // Past for the server, though in the future for the browser's clock: the site asked for a deletion.
    const skewed = parse(`a=b; Expires=${new Date(receivedAt + 60 * SECOND).toUTCString()}`, { serverDate });
    expect(skewed?.deletion).toBe(true);
  });
});

describe('parseSetCookie expiry rules', () => {
  it('lets Max-Age win over Expires wherever each stands', () => {
    expect(at('a=b; Max-Age=60; Expires=Thu, 01 Jan 2099 00:00:00 GMT')).toBe(receivedAt + 60 * SECOND);
    expect(at('a=b; Expires=Thu, 01 Jan 2099 00:00:00 GMT; Max-Age=60')).toBe(receivedAt + 60 * SECOND);
    expect(at('a=b; Max-Age=0; Expires=Thu, 01 Jan 2099 00:00:00 GMT')).toBe(receivedAt);
  });

  it('ignores an invalid Max-Age or Expires', () => {
    for (const bad of ['', 'abc', '+5', '1.5', '5s', ' -', '1e3', '0x10'])
      expect(at(`a=b; Max-Age=${bad}`)).toBe('session');
    expect(at('a=b; Max-Age=abc; Expires=Thu, 01 Jan 2026 00:00:00 GMT')).toBe(Date.UTC(2026, 0, 1));
    for (const bad of ['', 'tomorrow', '2026-01-01', 'Thu, 31 Apr 2026 00:00:00 GMT', 'Thu, 01 Jan 2026']) {
      expect(at(`a=b; Expires=${bad}`)).toBe('session');
    }
    expect(at('a=b; Expires=Thu, 01 Jan 2026 00:00:00 GMT; Expires=never')).toBe(Date.UTC(2026, 0, 1));
  });

  it('takes the last valid occurrence of an attribute', () => {
    expect(at('a=b; Max-Age=10; Max-Age=20')).toBe(receivedAt + 20 * SECOND);
    expect(parse('a=b; Path=/a; Path=/b')?.path).toBe('/b');
    expect(parse('a=b; SameSite=Strict; SameSite=Lax')?.sameSite).toBe('lax');
  });

  it('holds a huge Max-Age to the range of a Date', () => {
    expect(at(`a=b; Max-Age=${'9'.repeat(400)}`)).toBe(8.64e15);
    expect(parse(`a=b; Max-Age=-${'9'.repeat(400)}`)).toMatchObject({ deletion: true, requested: { at: -8.64e15 } });
  });
});

describe('parseSetCookie attributes', () => {
  it('reads attribute names case-insensitively and ignores unknown ones', () => {
    expect(
      parse('a=b; SECURE; httponly; sAmEsItE=STRICT; PATH=/x; DoMaIn=Example.COM; mAx-AgE=5; Priority=High; foo; =bar'),
    ).toEqual({
      name: 'a',
      domain: 'example.com',
      hostOnly: false,
      path: '/x',
      requested: { session: false, at: receivedAt + 5 * SECOND },
      deletion: false,
      secure: true,
      httpOnly: true,
      sameSite: 'strict',
      partitioned: false,
    });
  });

  it('reads SameSite values, an unknown one as unspecified', () => {
    expect(parse('a=b; SameSite=None')?.sameSite).toBe('no_restriction');
    expect(parse('a=b; SameSite=Bogus')?.sameSite).toBe('unspecified');
    expect(parse('a=b; SameSite')?.sameSite).toBe('unspecified');
    expect(parse('a=b')?.sameSite).toBe('unspecified');
  });

  it('drops a Path that does not start with "/" and an attribute value over 1024 octets', () => {
    expect(parse('a=b; Path=foo')?.path).toBeNull();
    expect(parse('a=b; Path=')?.path).toBeNull();
    expect(parse(`a=b; Path=/ok; Path=/${'x'.repeat(1024)}`)?.path).toBe('/ok');
  });

  it('ignores an empty Domain', () => {
    expect(parse('a=b; Domain=')).toMatchObject({ domain: null, hostOnly: true });
  });

  it('returns null for a Domain the request host may not set, as browsers ignore that cookie', () => {
    expect(parse('a=b; Domain=google.com', { requestHost: 'www.cnp.fr' })).toBeNull();
    expect(parse('a=b; Domain=ample.com', { requestHost: 'example.com' })).toBeNull();
    expect(parse('a=b; Domain=www.example.com', { requestHost: 'example.com' })).toBeNull();
    expect(parse('a=b; Domain=.co.uk', { requestHost: 'shop.example.co.uk' })).toBeNull();
    expect(parse('a=b; Domain=github.io', { requestHost: 'foo.github.io' })).toBeNull();
    expect(parse('a=b; Domain=0.0.1', { requestHost: '127.0.0.1' })).toBeNull();
  });

  it('makes a Domain naming an IP address, localhost or a public suffix itself host-only', () => {
    expect(parse('a=b; Domain=127.0.0.1', { requestHost: '127.0.0.1' })).toMatchObject({
      domain: null,
      hostOnly: true,
    });
    expect(parse('a=b; Domain=localhost', { requestHost: 'localhost' })).toMatchObject({
      domain: null,
      hostOnly: true,
    });
    expect(parse('a=b; Domain=github.io', { requestHost: 'github.io' })).toMatchObject({
      domain: null,
      hostOnly: true,
    });
    expect(parse('a=b; Domain=www.example.co.uk', { requestHost: 'WWW.Example.co.uk' })).toMatchObject({
      domain: 'www.example.co.uk',
    });
  });
});

describe('parseSetCookie names', () => {
  it('returns a nameless cookie with name "" and null only when there is nothing', () => {
    expect(parse('foo')).toMatchObject({ name: '', requested: { session: true } });
    expect(parse('foo; Max-Age=5')).toMatchObject({ name: '', requested: { at: receivedAt + 5 * SECOND } });
    expect(parse('=foo')?.name).toBe('');
    expect(parse('foo=')?.name).toBe('foo');
    for (const nothing of ['', '   ', '=', ' = ', ';', '; Path=/', '=; Max-Age=0']) expect(parse(nothing)).toBeNull();
  });

  it('trims only spaces and tabs around the name', () => {
    expect(parse(' \t name \t = value ; path=/')?.name).toBe('name');
    expect(parse('\u00a0name=v')?.name).toBe('\u00a0name');
    expect(parse('first name=v')?.name).toBe('first name');
    expect(parse('a=b=c')?.name).toBe('a');
  });

  it('keeps hostile, unicode and 4 KB names as they are', () => {
    expect(parse('<img src=x onerror=alert(1)>; Path=/')?.name).toBe('<img src');
    expect(parse('"<script>alert(1)</script>"=1')?.name).toBe('"<script>alert(1)</script>"');
    expect(parse('préférences_🍪=1')?.name).toBe('préférences_🍪');
    const long = 'n'.repeat(4096);
    expect(parse(`${long}=`)?.name).toBe(long);
  });

  it('returns null past 4096 octets of name and value, or with a control character, as browsers ignore those', () => {
    expect(parse(`${'n'.repeat(4096)}=x`)).toBeNull();
    expect(parse(`n=${'é'.repeat(2048)}`)).toBeNull(); // 1 + 4096 octets
    expect(parse(`n=${'e'.repeat(4094)}`)?.name).toBe('n');
    expect(parse('a\x00b=c')).toBeNull();
    expect(parse('a=b; Path=/\x7F')).toBeNull();
    expect(parse('a=b\tc')?.name).toBe('a');
  });
});

describe('cookie values never leave the parser', () => {
  it.each([
    'sid=VALUE_SECRET_4f9a8b7c; Path=/; HttpOnly',
    'VALUE_SECRET_4f9a8b7c',
    'a= VALUE_SECRET_4f9a8b7c ; Max-Age=0',
    'a="VALUE_SECRET_4f9a8b7c"; Domain=example.com; Expires=Thu, 01 Jan 2099 00:00:00 GMT',
    'tok=VALUE_SECRET_4f9a8b7c=padding==; Secure; SameSite=None; Partitioned',
  ])('%s', (line) => {
    const result = parse(line);
    expect(result).not.toBeNull();
    expect(JSON.stringify(result)).not.toContain('VALUE_SECRET');
    expect(JSON.stringify(result)).not.toContain('4f9a8b7c');
  });
});

describe('parseCookieAttributes', () => {
  it('reads the attribute text the page hook reports for a document.cookie write', () => {
    const cookie = parseCookieAttributes(
      '_pk_ref.1.a1b2',
      'expires=Thu, 01 Jan 2026 00:00:00 GMT; path=/; secure',
      context,
    );
    expect(cookie).toEqual({
      name: '_pk_ref.1.a1b2',
      domain: null,
      hostOnly: true,
      path: '/',
      requested: { session: false, at: Date.UTC(2026, 0, 1) },
      deletion: false,
      secure: true,
      httpOnly: false,
      sameSite: 'unspecified',
      partitioned: false,
    });
  });

  it('accepts the text with or without its leading semicolon, and no text at all', () => {
    expect(parseCookieAttributes('a', '; Max-Age=0; domain=.example.com', context)).toMatchObject({
      deletion: true,
      domain: 'example.com',
    });
    expect(parseCookieAttributes(' a ', '', context)).toMatchObject({
      name: 'a',
      requested: { session: true },
      hostOnly: true,
    });
    expect(parseCookieAttributes('', 'path=/', context)?.name).toBe('');
  });

  it('applies the same rules as parseSetCookie', () => {
    const attributes = 'Max-Age=30; Expires=Thu, 01 Jan 2099 00:00:00 GMT; SameSite=Strict; Partitioned';
    const fromScript = parseCookieAttributes('x', attributes, context);
    expect(fromScript).toEqual(parse(`x=1; ${attributes}`));
    expect(parseCookieAttributes('x', 'domain=evil.test', context)).toBeNull();
    expect(parseCookieAttributes('x\n', '', context)).toBeNull();
  });
});

describe('parseCookieDate', () => {
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)], // RFC 1123
    ['Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)], // RFC 850
    ['Sun Nov  6 08:49:37 1994', Date.UTC(1994, 10, 6, 8, 49, 37)], // asctime
    ['Thu, 01-Jan-2026 00:00:00 GMT', Date.UTC(2026, 0, 1)],
    ['Thu, 01 Jan 70 00:00:00 GMT', 0],
    ['01 Jan 69 00:00:00', Date.UTC(2069, 0, 1)],
    ['Wed, 21 OCTOBER 2026 7:8:9 GMT', Date.UTC(2026, 9, 21, 7, 8, 9)],
    ['2026 Oct 21 07:28:00', Date.UTC(2026, 9, 21, 7, 28)],
    ['21 Oct 2026 07:28:00 +0200', Date.UTC(2026, 9, 21, 7, 28)], // the zone is ignored: cookie dates are UTC
    ['Sat, 29 Feb 2028 00:00:00 GMT', Date.UTC(2028, 1, 29)],
    ['Mon, 01 Jan 1601 00:00:00 GMT', Date.UTC(1601, 0, 1)],
  ])('%s', (text, expected) => {
    expect(parseCookieDate(text)).toBe(expected);
  });

  it.each([
    '',
    'never',
    '2026-10-21T07:28:00Z',
    '21/Oct/2026:07:28:00 +0200', // the year token swallows the time
    'Wed, 21 Oct 2026',
    'Wed, 32 Oct 2026 07:28:00 GMT',
    'Wed, 00 Oct 2026 07:28:00 GMT',
    'Fri, 29 Feb 2027 00:00:00 GMT',
    'Wed, 21 Oct 2026 24:00:00 GMT',
    'Wed, 21 Oct 2026 07:60:00 GMT',
    'Wed, 21 Oct 1600 07:28:00 GMT',
    'Wed, 21 Xyz 2026 07:28:00 GMT',
  ])('rejects %j', (text) => {
    expect(parseCookieDate(text)).toBeNull();
  });
});

// A page controls its Set-Cookie headers and cookie writes: one long run of spaces must not freeze the background.
describe('on hostile headers, in time linear in their size', () => {
  const spaces = (size: number) => ' '.repeat(size);

  it('reads a name and a value padded by a long run of spaces', () => {
    expect(parse(`id${spaces(1000)}=v${spaces(1000)}; Path=/`)).toMatchObject({ name: 'id', path: '/' });
    expect(
      measureLinearTime((size) => {
        const line = `id${spaces(size / 2)}=v${spaces(size / 2)}x; Path=/`;
        return () => parse(line);
      }),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads attributes whose names and values are padded by long runs of spaces and tabs', () => {
    expect(parse(`id=v; Path${spaces(1000)}=/; ${spaces(1000)}Secure${spaces(1000)}`)).toMatchObject({
      path: '/',
      secure: true,
    });
    expect(
      measureLinearTime((size) => {
        const run = ' \t'.repeat(size / 8);
        const line = `id=v; Path=/${run}x; Expires=Thu,${run}01 Jan 2026 00:00:00 GMT; x${run}y=z${run}w`;
        return () => parse(line);
      }),
    ).toMatchObject({ brokeAt: null });
  });

  it('splits a newline-joined header holding a line of spaces', () => {
    expect(splitSetCookieHeader(`a=1\n${spaces(1000)}\nb=2`)).toEqual(['a=1', 'b=2']);
    expect(
      measureLinearTime((size) => {
        const value = `a=1\n;${spaces(size)};\nb=2`;
        return () => splitSetCookieHeader(value);
      }),
    ).toMatchObject({ brokeAt: null });
  });

  it('reads a script write whose name is padded by a long run of spaces', () => {
    expect(parseCookieAttributes(`${spaces(1000)}id${spaces(1000)}`, 'path=/', context)).toMatchObject({ name: 'id' });
    expect(
      measureLinearTime((size) => {
        const name = `id${spaces(size)}x`;
        return () => parseCookieAttributes(name, 'path=/', context);
      }),
    ).toMatchObject({ brokeAt: null });
  });
});

describe('octets', () => {
  it('counts what UTF-8 takes, as TextEncoder does', () => {
    const encoder = new TextEncoder();
    for (const text of ['', 'abc', 'é', '€uro', '😀', 'a\uD800b', '\uDC00', 'x\uD83D', '日本語😀é'])
      expect(octets(text)).toBe(encoder.encode(text).length);
  });
});
