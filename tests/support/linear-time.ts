/**
 * Linear time, bounded by input size rather than by a clock: the time per KB of input at each size up to 256 KB (1 MB
 * at most, by `largest`) must stay within `factor` times the time per KB at 16 KB. Quadratic code breaks the default
 * bound (6×) by 128 KB (8× per KB) and the bound of 8 by 256 KB (16×), so larger sizes only add minutes to the suite;
 * linear code passes on a loaded machine, because each size is run until one run is within the bound (up to `runs`
 * times) and the reference is the best of several runs; a size past the bound is the best of all its runs, so that one
 * slowed by the machine does not raise the bound after it.
 */
export interface LinearTimeResult {
  /** Per-KB time at each size, ms. */
  perKb: Record<number, number>;
  /** The first size whose best per-KB time broke the bound, or null. */
  brokeAt: number | null;
}

export const KB = 1024;
const SIZES = [16 * KB, 32 * KB, 64 * KB, 128 * KB, 256 * KB, 512 * KB, 1024 * KB];
/** After the one step allowed: how much more the cost per KB may grow. Quadratic code doubles it at each size. */
const STEP_FACTOR = 1.6;

/**
 * `make(size)` builds an input of about `size` characters and returns the call to time on it. A call that builds many
 * objects slows per KB as its heap grows: `factor` 8 suits it (quadratic code still breaks it, by 256 KB), and
 * `largest` keeps a slow call's sizes small.
 */
export function measureLinearTime(
  make: (size: number) => () => unknown,
  options: { factor?: number; runs?: number; largest?: number } = {},
): LinearTimeResult {
  // A pause of the whole machine (another test file's work, a collection) can break the bound once; quadratic code
  // breaks it every time. So a broken bound is measured again, whole, before it counts.
  const first = measureOnce(make, options);
  return first.brokeAt === null ? first : measureOnce(make, options);
}

function measureOnce(
  make: (size: number) => () => unknown,
  { factor = 6, runs = 5, largest = 256 * KB } = {},
): LinearTimeResult {
  const time = (call: () => unknown) => {
    const start = performance.now();
    call();
    return performance.now() - start;
  };
  const [reference] = SIZES as [number];
  const referenceCall = make(reference);
  for (let i = 0; i < 5; i++) referenceCall(); // warm-up
  let best = Infinity;
  for (let i = 0; i < 7; i++) best = Math.min(best, time(referenceCall));
  // A floor of 1 µs per KB keeps a call too fast for the clock from making any bound impossible.
  const referencePerKb = Math.max(best / (reference / KB), 0.001);
  const perKb: Record<number, number> = { [reference]: referencePerKb };
  let bound = factor * referencePerKb;
  let steppedAt: number | null = null;
  for (const size of SIZES.slice(1).filter((size) => size <= largest)) {
    const call = make(size);
    let bestPerKb = Infinity;
    for (let i = 0; i < runs && bestPerKb > bound; i++) bestPerKb = Math.min(bestPerKb, time(call) / (size / KB));
    perKb[size] = bestPerKb;
    if (bestPerKb <= bound) continue;
    // One step up is allowed, if the cost per KB stays there: past a size, V8 allocates a string in its large-object
    // space, whose pages are new to the process (on some machines, a fault per page). Quadratic code goes on growing.
    if (steppedAt !== null || size === largest || size === SIZES.at(-1)) return { perKb, brokeAt: steppedAt ?? size };
    steppedAt = size;
    // Its best time again, over as many runs more: a pause of the machine during the first ones would raise the
    // bound after the step past what quadratic code reaches (twice the cost per KB at the next size).
    for (let i = 0; i < runs; i++) bestPerKb = Math.min(bestPerKb, time(call) / (size / KB));
    perKb[size] = bestPerKb;
    bound = STEP_FACTOR * bestPerKb;
  }
  return { perKb, brokeAt: null };
}
