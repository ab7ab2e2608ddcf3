import { describe, expect, it } from 'vitest';
import { hostOf } from './host';

describe('hostOf', () => {
  it('gives the lower-cased host of an http(s) address, and null for anything else', () => {
    expect(hostOf('https://www.Mutuelle-Exemple.fr:8443/politique-cookies?x=1')).toBe('www.mutuelle-exemple.fr');
    expect(hostOf('http://a.test/')).toBe('a.test');
    expect(hostOf('chrome://extensions')).toBeNull();
    expect(hostOf('not a url')).toBeNull();
  });
});
