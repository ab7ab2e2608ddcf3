import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evidenceAddress, evidencePath, valueShaped } from './evidence-address';

describe('evidenceAddress', () => {
  it('keeps the scheme, the host, the port and a readable path', () => {
    expect(evidenceAddress('https://monespaceclient.cnp.fr/espace-client/mes-contrats/index.html')).toBe(
      'https://monespaceclient.cnp.fr/espace-client/mes-contrats/index.html',
    );
    expect(evidenceAddress('http://shop.example:8080/')).toBe('http://shop.example:8080/');
    expect(evidenceAddress('https://cdn.example/libs/jquery-3.7.1.min.js')).toBe(
      'https://cdn.example/libs/jquery-3.7.1.min.js',
    );
    expect(evidenceAddress('https://www.example.fr/2024/12/actualites')).toBe(
      'https://www.example.fr/2024/12/actualites',
    );
  });

  it('drops the query, the fragment, the user and the password', () => {
    const token = randomBytes(6).toString('hex');
    expect(evidenceAddress(`https://user:${token}@www.example.fr/login?PHPSESSID=${token}&next=/a#${token}`)).toBe(
      'https://www.example.fr/login',
    );
    expect(evidenceAddress(`https://cdn.example/tag.js?token=${token}`)).toBe('https://cdn.example/tag.js');
    expect(evidenceAddress(`https://www.example.fr/#/account/${token}`)).toBe('https://www.example.fr/');
  });

  it('drops path parameters, such as a Java session id', () => {
    expect(evidenceAddress('https://www.example.fr/app/;jsessionid=abc')).toBe('https://www.example.fr/app/');
    expect(evidenceAddress('https://www.example.fr/app;jsessionid=abc/page;v=2')).toBe(
      'https://www.example.fr/app/page',
    );
    expect(evidenceAddress('https://www.example.fr/app/%3Bjsessionid=abc')).toBe('https://www.example.fr/app/…');
  });

  it('replaces a value-shaped segment by an ellipsis, and keeps the rest of the path', () => {
    const hex = randomBytes(16).toString('hex');
    const b64 = randomBytes(18).toString('base64url');
    const uuid = randomUUID();
    expect(evidenceAddress(`https://www.example.fr/s/${hex}/account`)).toBe('https://www.example.fr/s/…/account');
    expect(evidenceAddress(`https://www.example.fr/session/${uuid}`)).toBe('https://www.example.fr/session/…');
    expect(evidenceAddress(`https://www.example.fr/t/${b64}/x.js`)).toBe('https://www.example.fr/t/…/x.js');
    expect(evidenceAddress('https://www.example.fr/order/12345678/pay')).toBe('https://www.example.fr/order/…/pay');
    expect(evidenceAddress('https://www.example.fr/assets/app.3f9a1c2e.js')).toBe('https://www.example.fr/assets/…');
    expect(evidenceAddress('https://www.example.fr/sid=abc/home')).toBe('https://www.example.fr/…/home');
  });

  it('keeps only the scheme of other addresses, and nothing of what is not an address', () => {
    expect(evidenceAddress('data:text/javascript,document.cookie="sid=abc"')).toBe('data:');
    expect(evidenceAddress('about:srcdoc')).toBe('about:');
    expect(evidenceAddress('javascript:void(document.cookie="sid=abc")')).toBe('javascript:');
    expect(evidenceAddress(`blob:https://www.example.fr/${randomUUID()}`)).toBe('blob:https://www.example.fr');
    expect(evidenceAddress('/home/user/app.js')).toBeNull();
    expect(evidenceAddress('<anonymous>')).toBeNull();
    expect(evidenceAddress('')).toBeNull();
  });

  it('keeps no random token in any position of the path, whatever its alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const tokens = [
        randomBytes(8).toString('hex'),
        randomBytes(18).toString('base64url'),
        randomUUID(),
        String(100_000 + ((i * 7919) % 900_000)),
      ];
      for (const token of tokens) {
        const kept = evidenceAddress(`https://www.example.fr/a/${token}/b/x${token}y.js?q=${token}#${token}`)!;
        expect(kept, token).not.toContain(token);
        expect(kept).toMatch(/^https:\/\/www\.example\.fr\/a\/…\/b\/…$/);
      }
    }
  });
});

describe('evidencePath', () => {
  it('keeps a cookie path as an address path is kept', () => {
    expect(evidencePath('/')).toBe('/');
    expect(evidencePath('/espace-client')).toBe('/espace-client');
    expect(evidencePath(`/s/${randomBytes(16).toString('hex')}`)).toBe('/s/…');
    expect(evidencePath('/app/;jsessionid=abc')).toBe('/app/');
  });
});

describe('valueShaped', () => {
  it('leaves the words of paths alone', () => {
    for (const word of [
      '',
      'app',
      'index.html',
      'mon-espace-client',
      'v2',
      'fr',
      'tag.js',
      '2024',
      'html5',
      'utf8',
      'login_form',
      'XSRF-Token',
      'api-v2-docs',
      'Default.aspx',
      'page-2-of-10',
    ]) {
      expect(valueShaped(word), word).toBe(false);
    }
  });

  it('takes for values the tokens that separators cut into short pieces, and mixed-case runs', () => {
    for (const token of ['9jcwv-rH3-CPG_Sq', 'a1b2c3d4', 'ab12-cd34-ef56', 'MyAccount', 'QWxhZGRp'])
      expect(valueShaped(token), token).toBe(true);
  });
});
