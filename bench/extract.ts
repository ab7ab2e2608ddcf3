import { fileURLToPath } from 'node:url';
import { scoreCorpus } from '../tests/fixtures/extraction/corpus-score';

/**
 * How much of the policy structures of the extraction corpus (tests/fixtures/extraction/corpus) `npm run extract`
 * reads: names found, names drafted that are right, and lifetimes right among the names found.
 */
export function benchExtract(select?: (file: string) => boolean, dir?: string): Record<string, number> {
  const score = scoreCorpus(select, dir);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    extractRecall: round(score.recall),
    extractPrecision: round(score.precision),
    extractLifetimeAccuracy: round(score.lifetimeAccuracy),
  };
}

/**
 * `npx tsx bench/extract.ts [--from N] [--dir folder]`: the figures, and what each fixture missed; `--from 63` scores
 * the fixtures numbered 63 and up only (a batch added to measure the extraction on structures it was not fixed for);
 * `--dir` scores a folder of the corpus's shape instead (policies kept outside the project, never fixed for).
 */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const option = (name: string) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const from = Number(option('--from') ?? 0);
  const select = (file: string) => from === 0 || Number.parseInt(file, 10) >= from;
  const score = scoreCorpus(select, option('--dir'));
  for (const fixture of score.fixtures) {
    const wrong = [
      fixture.missed.length > 0 ? `missed [${fixture.missed.join(', ')}]` : '',
      fixture.extra.length > 0 ? `extra [${fixture.extra.join(', ')}]` : '',
      fixture.wrongLifetimes.length > 0 ? `wrong lifetimes [${fixture.wrongLifetimes.join('; ')}]` : '',
    ].filter(Boolean);
    if (wrong.length > 0) console.log(`${fixture.file}: ${wrong.join(' ')}`);
  }
  console.log(`${score.fixtures.length} fixtures`, JSON.stringify(benchExtract(select, option('--dir'))));
}
