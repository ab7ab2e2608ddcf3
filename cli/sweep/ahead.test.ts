import { describe, expect, it } from 'vitest';
import { startAhead } from './ahead';

/** A fake launcher: browser n is the n-th started; records which were closed. */
function browsers(fail: (n: number) => boolean = () => false) {
  let started = 0;
  const closed: number[] = [];
  return {
    launch: () => {
      const n = ++started;
      return fail(n) ? Promise.reject(new Error(`browser ${n} did not start`)) : Promise.resolve(n);
    },
    close: (n: number) => {
      closed.push(n);
      return Promise.resolve();
    },
    started: () => started,
    closed,
  };
}

describe('browsers started ahead', () => {
  it('gives each site a browser of its own, starting the next ones before they are asked for', async () => {
    const b = browsers();
    const ahead = startAhead(b.launch, b.close, 5, 2);
    expect(await ahead.take()).toBe(1);
    expect(b.started()).toBe(3);
    expect(await ahead.take()).toBe(2);
    expect(await ahead.take()).toBe(3);
    expect(await ahead.take()).toBe(4);
    expect(await ahead.take()).toBe(5);
    // Five sites, five browsers: none started for no site.
    expect(b.started()).toBe(5);
    await ahead.closeAll();
    expect(b.closed).toEqual([]);
  });

  it('closes the browsers started and not taken when the sweep stops early', async () => {
    const b = browsers();
    const ahead = startAhead(b.launch, b.close, 10, 2);
    await ahead.take();
    await ahead.closeAll();
    expect(b.closed).toEqual([2, 3]);
    // After the end, a site still gets its browser, but none is started ahead any more.
    expect(await ahead.take()).toBe(4);
    expect(b.started()).toBe(4);
  });

  it('fails the site that takes a browser that did not start, and only that one', async () => {
    const b = browsers((n) => n === 2);
    const ahead = startAhead(b.launch, b.close, 3, 1);
    expect(await ahead.take()).toBe(1);
    await expect(ahead.take()).rejects.toThrow('browser 2 did not start');
    expect(await ahead.take()).toBe(3);
  });
});
