import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { linksToFollow, PageLinksSchema, type Anchor } from './links';

const a = (href: string, download = false): Anchor => ({ href, download });
const PAGE = 'https://www.example.fr/fr/accueil?x=1#haut';

describe('linksToFollow', () => {
  it('keeps same-site http(s) pages once each, in document order, without their fragment', () => {
    const anchors = [
      a('https://www.example.fr/fr/accueil?x=1'),
      a('https://www.example.fr/fr/offres#tarifs'),
      a('https://www.example.fr/fr/offres#contact'),
      a('http://boutique.example.fr/'),
      a('https://www.example.fr/fr/aide'),
    ];
    expect(linksToFollow(anchors, PAGE, 5)).toEqual([
      'https://www.example.fr/fr/offres',
      'http://boutique.example.fr/',
      'https://www.example.fr/fr/aide',
    ]);
    expect(linksToFollow(anchors, PAGE, 1)).toEqual(['https://www.example.fr/fr/offres']);
    expect(linksToFollow(anchors, PAGE, 0)).toEqual([]);
  });

  it('skips other sites, other schemes, sign-outs, files and what is not an address', () => {
    const anchors = [
      a('https://www.example.com/'),
      a('https://example.fr.evil.test/'),
      a('javascript:void(0)'),
      a('tel:+33100000000'),
      a('not a url'),
      a('https://www.example.fr/logout'),
      a('https://www.example.fr/compte/se-deconnecter?r=1'),
      a('https://www.example.fr/compte?action=sign-out'),
      a('https://www.example.fr/d%C3%A9connexion'),
      a('https://www.example.fr/docs/cgv.PDF'),
      a('https://www.example.fr/img/logo.svg'),
      a('https://www.example.fr/export', true),
    ];
    expect(linksToFollow(anchors, PAGE, 5)).toEqual([]);
  });

  it('follows nothing from a page that is not a web page', () => {
    expect(linksToFollow([a('https://www.example.fr/a')], 'about:blank', 1)).toEqual([]);
  });
});

describe('PageLinksSchema', () => {
  it('refuses what a hostile page could flood the audit with', () => {
    const many = { url: PAGE, anchors: Array.from({ length: 2001 }, () => a(PAGE)) };
    expect(v.safeParse(PageLinksSchema, many).success).toBe(false);
    expect(v.safeParse(PageLinksSchema, { url: PAGE, anchors: [{ href: 1, download: false }] }).success).toBe(false);
    expect(v.safeParse(PageLinksSchema, { url: PAGE, anchors: [a(PAGE)] }).success).toBe(true);
  });
});
