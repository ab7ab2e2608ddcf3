import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { RejectedLine } from './list';
import { clearUnfinished, finishedSites, readRejected, readResult, siteDir, writeRejected } from './store';
import { writeSweepSummary } from './summary';

/**
 * Gathers the finished sites and rejected lines of shard folders into `out` and builds its summary there, which is
 * then the summary an unsharded sweep of the same list writes. Sites already in `out` are kept as they are.
 */
export function mergeSweeps(dirs: readonly string[], out: string): ReturnType<typeof writeSweepSummary> {
  const rejected = new Map<number, RejectedLine>();
  for (const line of readRejected(out)) rejected.set(line.line, line);
  for (const dir of dirs) {
    if (!existsSync(dir)) throw new Error(`${dir}: no such folder`);
    if (path.resolve(dir) === path.resolve(out)) continue;
    for (const id of finishedSites(dir)) {
      if (readResult(out, id)) continue;
      // Copied whole before its result, like a site audited here: a merge cut short is redone by running it again.
      clearUnfinished(out, id);
      cpSync(siteDir(dir, id), siteDir(out, id), { recursive: true, filter: (src) => !src.endsWith('result.json') });
      cpSync(path.join(siteDir(dir, id), 'result.json'), path.join(siteDir(out, id), 'result.json'));
    }
    for (const line of readRejected(dir)) rejected.set(line.line, line);
  }
  writeRejected(
    out,
    [...rejected.values()].sort((a, b) => a.line - b.line),
  );
  return writeSweepSummary(out);
}
