import { scoreCorpus } from '../tests/fixtures/extraction/corpus-score';

/**
 * How much of the policy structures of the extraction corpus (tests/fixtures/extraction/corpus) `npm run extract`
 * reads: names found, names drafted that are right, and lifetimes right among the names found.
 */
export function benchExtract(): Record<string, number> {
  const score = scoreCorpus();
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    extractRecall: round(score.recall),
    extractPrecision: round(score.precision),
    extractLifetimeAccuracy: round(score.lifetimeAccuracy),
  };
}
