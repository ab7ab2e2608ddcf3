import type { Catalogue } from './schema';

/**
 * Host patterns, as catalogues write them: `example.com` is that host only; `*.example.com` is example.com and
 * every host below it. Hosts compare without case and without a trailing dot.
 */
export function hostMatches(pattern: string, host: string): boolean {
  const wanted = pattern.toLowerCase().replace(/\.$/, '');
  const actual = host.toLowerCase().replace(/\.$/, '');
  if (!wanted.startsWith('*.')) return actual === wanted;
  const base = wanted.slice(2);
  return actual === base || actual.endsWith(`.${base}`);
}

/** A user's choice to apply a catalogue to a site the catalogue does not name. */
export interface SiteBinding {
  /** Host pattern of the site, as in `Catalogue.sites`. */
  site: string;
  catalogueId: string;
}

/** The catalogues that apply to a site: those naming it, then those a user bound to it, each once. */
export function cataloguesForSite(
  host: string,
  catalogues: readonly Catalogue[],
  bindings: readonly SiteBinding[] = [],
): Catalogue[] {
  const applied = catalogues.filter((catalogue) => catalogue.sites.some((site) => hostMatches(site, host)));
  for (const binding of bindings) {
    if (!hostMatches(binding.site, host)) continue;
    const catalogue = catalogues.find((c) => c.id === binding.catalogueId);
    if (catalogue && !applied.includes(catalogue)) applied.push(catalogue);
  }
  return applied;
}
