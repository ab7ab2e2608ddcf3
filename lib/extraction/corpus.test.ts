import { describe, expect, it } from 'vitest';
import { scoreCorpus } from '../../tests/fixtures/extraction/corpus-score';

// A corpus of 150 structures and more, read through the path `npm run extract` takes: over 5 s on a loaded machine.
describe('extraction corpus', { timeout: 30_000 }, () => {
  it('finds the names and lifetimes of every policy structure of the corpus, and nothing else', () => {
    const score = scoreCorpus();
    for (const fixture of score.fixtures) {
      const wrong = fixture.missed.length + fixture.extra.length + fixture.wrongLifetimes.length;
      if (wrong + fixture.wrongConsent.length === 0) continue;
      console.log(
        `${fixture.file}: missed [${fixture.missed.join(', ')}] extra [${fixture.extra.join(', ')}] wrong lifetimes [${fixture.wrongLifetimes.join('; ')}] wrong consent [${fixture.wrongConsent.join('; ')}]`,
      );
    }
    console.log(
      `corpus of ${score.fixtures.length}: recall ${score.recall.toFixed(3)}, precision ${score.precision.toFixed(3)}, lifetime accuracy ${score.lifetimeAccuracy.toFixed(3)}, consent accuracy ${score.consentAccuracy.toFixed(3)}`,
    );
    expect(score.fixtures.length).toBeGreaterThanOrEqual(30);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.lifetimeAccuracy).toBeGreaterThanOrEqual(0.9);
    // Where a fixture says what its source states of consent, the draft states the same, and nothing where it is silent.
    expect(score.fixtures.filter((fixture) => fixture.consentExpected > 0).length).toBeGreaterThanOrEqual(2);
    expect(score.consentAccuracy).toBe(1);
  });
});
