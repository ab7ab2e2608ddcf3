import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../../../tests/support/linear-time';
import { decodeTarteaucitron } from './tarteaucitron';

const choice = (value: string) => {
  const read = decodeTarteaucitron(value);
  return read.ok ? read.value.choice : read.reason;
};

describe('the tarteaucitron cookie', () => {
  it('reads each service’s answer: all allowed, all refused, some of each', () => {
    expect(choice('!gtag=true!facebook=true')).toBe('accepted-all');
    expect(choice('!gtag=false!facebook=false')).toBe('refused');
    expect(decodeTarteaucitron('!gtag=true!facebook=false!youtube=wait')).toEqual({
      ok: true,
      value: { choice: 'accepted-part', granted: null, purposes: null, platformCategories: ['gtag'] },
    });
  });

  it('counts a service still waiting as not allowed, and only waiting services as no choice', () => {
    expect(choice('!gtag=true!youtube=wait')).toBe('accepted-part');
    expect(choice('!gtag=false!youtube=wait')).toBe('refused');
    expect(choice('!gtag=wait!youtube=wait')).toBe('no-choice');
    expect(choice('!')).toBe('no-choice');
  });

  it('calls malformed a service without an answer it knows', () => {
    expect(decodeTarteaucitron('!gtag=yes')).toEqual({ ok: false, reason: 'malformed' });
    expect(decodeTarteaucitron('!=true')).toEqual({ ok: false, reason: 'malformed' });
    expect(decodeTarteaucitron('{"a":1}')).toEqual({ ok: false, reason: 'malformed' });
  });

  it('keeps only id-like service names, never a value smuggled in one', () => {
    const read = decodeTarteaucitron('!gtag=true!session token 1234 of a visitor=true!matomo=false');
    expect(read).toMatchObject({ ok: true, value: { choice: 'accepted-part', platformCategories: ['gtag'] } });
  });

  it('takes time in proportion to the value, however hostile', () => {
    expect(
      measureLinearTime((size) => {
        const value = '!s=true!t=false'.repeat(size / 15);
        return () => decodeTarteaucitron(value);
      }),
    ).toMatchObject({ brokeAt: null });
    expect(
      measureLinearTime((size) => {
        const value = `!${'='.repeat(size)}`;
        return () => decodeTarteaucitron(value);
      }),
    ).toMatchObject({ brokeAt: null });
  });
});
