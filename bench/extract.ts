import { fileURLToPath } from 'node:url';
import { scoreCorpus } from '../tests/fixtures/extraction/corpus-score';

/**
 * How much of the policy structures of the extraction corpus (tests/fixtures/extraction/corpus) `npm run extract`
 * reads: names found, names drafted that are right, and lifetimes right among the names found.
 */
export function benchExtract(select?: (file: string) => boolean): Record<string, number> {
  const score = scoreCorpus(select);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    extractRecall: round(score.recall),
    extractPrecision: round(score.precision),
    extractLifetimeAccuracy: round(score.lifetimeAccuracy),
  };
}

/**
 * `npx tsx bench/extract.ts [--from N]`: the figures, and what each fixture missed; `--from 63` scores the fixtures
 * numbered 63 and up only (a batch added to measure the extraction on structures it was not fixed for).
 */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--from');
  const from = at >= 0 ? Number(process.argv[at + 1]) : 0;
  const select = (file: string) => Number.parseInt(file, 10) >= from;
  const score = scoreCorpus(select);
  for (const fixture of score.fixtures) {
    const wrong = [
      fixture.missed.length > 0 ? `missed [${fixture.missed.join(', ')}]` : '',
      fixture.extra.length > 0 ? `extra [${fixture.extra.join(', ')}]` : '',
      fixture.wrongLifetimes.length > 0 ? `wrong lifetimes [${fixture.wrongLifetimes.join('; ')}]` : '',
    ].filter(Boolean);
    if (wrong.length > 0) console.log(`${fixture.file}: ${wrong.join(' ')}`);
  }
  console.log(`${score.fixtures.length} fixtures`, JSON.stringify(benchExtract(select)));
}
