import { benchBackground } from './background';
import { benchExtract } from './extract';
import { benchMatcher } from './matcher';
import { benchPageLoad } from './page-load';
import { benchPopup } from './popup';
import { benchScenarios } from './scenarios';
import { benchSetCookie } from './set-cookie';
import { benchSweep } from './sweep';

/**
 * `npm run bench`: prints each figure as it is measured, then one JSON line of them all (the last line), which
 * other tools read. Targets are in README.md; a benchmark informs, it does not fail.
 */
const figures: Record<string, number> = {};
const startedAt = Date.now();

function report(section: string, measured: Record<string, number>): void {
  for (const [key, value] of Object.entries(measured))
    console.log(
      `${section.padEnd(10)} ${key.padEnd(32)} ${value < 1 ? value.toPrecision(3) : value.toLocaleString('en')}`,
    );
  Object.assign(figures, measured);
}

report('matcher', benchMatcher());
report('set-cookie', benchSetCookie());
report('background', await benchBackground());
report('page load', await benchPageLoad());
report('popup', await benchPopup());
report('extract', benchExtract());
report('sweep', await benchSweep());
report('consent', await benchScenarios());
// The whole run's time, to keep it under 15 minutes (the page-load rounds take most of it).
report('total', { benchSeconds: Math.round((Date.now() - startedAt) / 1000) });
console.log(JSON.stringify(figures));
