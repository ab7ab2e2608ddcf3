import { describe, expect, it } from 'vitest';
import { scoreCorpus } from '../../tests/fixtures/extraction/corpus-score';

describe('extraction corpus', () => {
  it('finds the names and lifetimes of every policy structure of the corpus, and nothing else', () => {
    const score = scoreCorpus();
    for (const fixture of score.fixtures) {
      if (fixture.missed.length + fixture.extra.length + fixture.wrongLifetimes.length === 0) continue;
      console.log(
        `${fixture.file}: missed [${fixture.missed.join(', ')}] extra [${fixture.extra.join(', ')}] wrong lifetimes [${fixture.wrongLifetimes.join('; ')}]`,
      );
    }
    console.log(
      `corpus of ${score.fixtures.length}: recall ${score.recall.toFixed(3)}, precision ${score.precision.toFixed(3)}, lifetime accuracy ${score.lifetimeAccuracy.toFixed(3)}`,
    );
    expect(score.fixtures.length).toBeGreaterThanOrEqual(30);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.lifetimeAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
