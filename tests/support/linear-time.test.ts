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

  // A loop in a loop, as quadratic code is written: Array#indexOf's own speed varies with the array's size (from 1.4
  // to 2 times the cost per KB when the size doubles), which made these checks of the checker flaky.
  const quadratic = (size: number) => {
    const items = Array.from({ length: size / 32 }, (_, i) => i);
    return () => {
      let found = 0;
      for (let i = 0; i < items.length; i++) for (let k = 0; k < items.length; k++) if (items[k] === -i - 1) found++;
      return found;
    };
  };

  it('breaks on code quadratic in its input, by 256 KB', () => {
    const result = measureLinearTime(quadratic, { largest: 1024 * KB });
    expect(result.brokeAt).not.toBeNull();
    expect(result.brokeAt).toBeLessThanOrEqual(256 * KB);
  }, 60_000);

  it('breaks on code quadratic in its input within its default sizes, at either bound', () => {
    expect(measureLinearTime(quadratic).brokeAt).not.toBeNull();
    expect(measureLinearTime(quadratic, { factor: 8 }).brokeAt).not.toBeNull();
  }, 60_000);
});
