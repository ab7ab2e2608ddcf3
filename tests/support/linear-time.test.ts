import { describe, expect, it } from 'vitest';
import { KB, measureLinearTime } from './linear-time';

describe('measureLinearTime', () => {
  it('passes code linear in its input', () => {
    const result = measureLinearTime((size) => {
      const text = 'a'.repeat(size);
      return () => text.split('').reverse().join('');
    });
    expect(result.brokeAt).toBeNull();
  });

  it('breaks on code quadratic in its input, by 256 KB', () => {
    const result = measureLinearTime(
      (size) => {
        const items = Array.from({ length: size / 32 }, (_, i) => i);
        return () => items.reduce((found, _, i) => found + (items.indexOf(-i - 1) === -1 ? 1 : 0), 0);
      },
      { largest: 1024 * KB },
    );
    expect(result.brokeAt).not.toBeNull();
    expect(result.brokeAt).toBeLessThanOrEqual(256 * KB);
  }, 60_000);

  it('breaks on code quadratic in its input within its default sizes, at either bound', () => {
    const quadratic = (size: number) => {
      const items = Array.from({ length: size / 32 }, (_, i) => i);
      return () => items.reduce((found, _, i) => found + (items.indexOf(-i - 1) === -1 ? 1 : 0), 0);
    };
    expect(measureLinearTime(quadratic).brokeAt).not.toBeNull();
    expect(measureLinearTime(quadratic, { factor: 8 }).brokeAt).not.toBeNull();
  }, 60_000);
});
