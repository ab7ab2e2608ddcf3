import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute } from './route';

describe('the dashboard’s addresses', () => {
  it.each([
    ['', { view: 'catalogues' }],
    ['#catalogues', { view: 'catalogues' }],
    ['#history', { view: 'history' }],
    ['#settings', { view: 'settings' }],
    [hrefOf.visit('visit/1 é%'), { view: 'visit', id: 'visit/1 é%' }],
    [hrefOf.catalogue('cnp-monespaceclient'), { view: 'catalogue', id: 'cnp-monespaceclient' }],
  ] as const)('reads %j', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it.each(['#visit=%E0%A4%A', '#catalogue=%', '#visit/%E0%A4%A', '#nowhere', '#history=2', '#visit=', '#settings=x'])(
    'says that %j leads nowhere, never throwing',
    (hash) => {
      expect(parseRoute(hash)).toEqual({ view: 'unknown', address: hash.slice(1) });
    },
  );
});
