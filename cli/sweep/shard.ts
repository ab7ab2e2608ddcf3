import { sha256 } from './list';

/** The part `index` (0-based, like a Kubernetes completion index) of `count` parts of a list. */
export interface Shard {
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 0, count: 1 };

/** Parses `i/n`, 0 ≤ i < n. */
export function parseShard(text: string): Shard | { error: string } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count)
    return { error: `--shard ${text}: write it i/n with 0 ≤ i < n, e.g. --shard 0/4.` };
  return { index, count };
}

/**
 * The shard a URL (or a rejected line's text) belongs to: a stable hash of it, so every machine that reads the
 * same list splits it the same way, whatever the order of the lines.
 */
export function shardOf(key: string, count: number): number {
  return Number(BigInt(`0x${sha256(key).slice(0, 12)}`) % BigInt(count));
}

export function inShard(key: string, shard: Shard): boolean {
  return shard.count === 1 || shardOf(key, shard.count) === shard.index;
}
