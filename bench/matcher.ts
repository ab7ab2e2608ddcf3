import { bundledCatalogues } from '../lib/catalogue/bundled';
import type { Catalogue, Entry } from '../lib/catalogue/schema';
import { indexOf, scanMatch, type CookieIdentity } from '../lib/audit/matching';

/** Lookups per second of the indexed matcher and of a scan of every pattern, on the same names. */

export function generatedCatalogue(size: number): Catalogue {
  const entries: Entry[] = [];
  for (let i = 0; i < size; i++) {
    const pattern =
      i % 2 === 0 ? `vendor${i}_cookie_${(i * 7919) % 100_003}` : `tracker${i}_${(i * 104_729) % 99_991}.*`;
    entries.push({
      id: `entry-${i}`,
      vendor: `Vendor ${i % 50}`,
      names: [{ printed: pattern, pattern }],
      unnamed: false,
      purpose: 'generated',
      category: 'unknown',
      lifetime: { text: '13 mois', parsed: { kind: 'duration', seconds: 34_186_698, maximum: false } },
      party: 'unspecified',
      storage: 'cookie',
      controller: null,
      dataCollected: null,
      provenance: { source: 'generated', excerpt: pattern },
    });
  }
  return { ...bundledCatalogues()[0]!, id: 'generated', entries, rules: [] };
}

/** A realistic mix: declared names, pattern hits, case and spelling variants, and undeclared names. */
export function namesFor(catalogue: Catalogue, count: number): CookieIdentity[] {
  const declared = catalogue.entries.flatMap((e) => e.names.map((n) => n.pattern));
  if (declared.length === 0) return [];
  const names: CookieIdentity[] = [];
  for (let i = 0; i < count; i++) {
    const base = declared[(i * 31) % declared.length]!;
    const name =
      i % 5 === 0
        ? `undeclared_${i}`
        : i % 5 === 1
          ? base.toUpperCase().replace('*', '1')
          : base.replace('*', `${i}.abc`);
    names.push({ name, domain: 'example.test' });
  }
  return names;
}

function rate(names: CookieIdentity[], lookup: (cookie: CookieIdentity) => unknown, minMs: number): number {
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const cookie of names) lookup(cookie);
    done += names.length;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return Math.round((done / elapsed) * 1000);
}

export function benchMatcher(): Record<string, number> {
  const bundled = bundledCatalogues();
  const bundledNames = bundled
    .filter((c) => c.entries.some((e) => e.names.length > 0))
    .flatMap((c) => namesFor(c, 400));
  const generated = generatedCatalogue(10_000);
  const generatedNames = namesFor(generated, 20_000);

  const indexedBundled = (cookie: CookieIdentity) => bundled.map((c) => indexOf(c).lookup(cookie));
  const scannedBundled = (cookie: CookieIdentity) => bundled.map((c) => scanMatch(cookie, c));
  const index = indexOf(generated);
  rate(generatedNames, (cookie) => index.lookup(cookie), 300); // warm-up
  rate(generatedNames.slice(0, 50), (cookie) => scanMatch(cookie, generated), 300);

  const matcherLookupsPerSec10k = rate(generatedNames, (cookie) => index.lookup(cookie), 1500);
  const figures = {
    matcherLookupsPerSecBundled: rate(bundledNames, indexedBundled, 1000),
    naiveLookupsPerSecBundled: rate(bundledNames, scannedBundled, 1000),
    matcherLookupsPerSec10k,
    naiveLookupsPerSec10k: rate(generatedNames.slice(0, 500), (cookie) => scanMatch(cookie, generated), 1500),
  };
  return { ...figures, matcherSpeedup10k: Math.round(figures.matcherLookupsPerSec10k / figures.naiveLookupsPerSec10k) };
}
