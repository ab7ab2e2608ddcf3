import { parseSetCookie, splitSetCookieHeader } from '../lib/observation/set-cookie';

/**
 * Time to parse hostile Set-Cookie headers, per KB of header, at 1 KB and at 1 MB: equal figures mean parsing is
 * linear in the header's size, so no page can hold the background by sending a long one.
 */

/** A newline-joined header (as Firefox gives them) of about `size` characters, every field padded by runs of spaces. */
export function hostileSetCookieHeader(size: number): string {
  const run = ' \t'.repeat(Math.max(1, Math.floor(size / 16)));
  return [
    `id${run}x=v${run}w; Path=/${run}x; Expires=Thu,${run}01 Jan 2026 00:00:00 GMT; x${run}y=z`,
    `;${run};`,
    `${run}session${run}=1; Max-Age=${run}60; SameSite=${run}Lax`,
  ].join('\n');
}

function parseHeader(value: string): void {
  for (const line of splitSetCookieHeader(value))
    parseSetCookie(line, { receivedAt: 0, requestHost: 'www.example.com' });
}

/** Milliseconds per KB of header: the best of several rounds, each long enough for the clock. */
function msPerKb(size: number): number {
  const value = hostileSetCookieHeader(size);
  const kb = value.length / 1024;
  for (let i = 0; i < 3; i++) parseHeader(value); // warm-up
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < 50) {
      parseHeader(value);
      calls++;
      elapsed = performance.now() - start;
    }
    best = Math.min(best, elapsed / calls / kb);
  }
  return Number(best.toPrecision(3));
}

export function benchSetCookie(): Record<string, number> {
  const perKb1k = msPerKb(1024);
  const perKb1M = msPerKb(1024 * 1024);
  return { setCookieParseMsPerKB1k: perKb1k, setCookieParseMsPerKB1M: perKb1M, setCookieParseMsPerKB: perKb1M };
}
