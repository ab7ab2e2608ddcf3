import { DAY, MINUTE } from '../../lib/audit/lifetime';
import type { CookieWrite, Expiry, ObservedItem, VisitCoverage } from '../../lib/observation/observed';

/** The moment every test visit starts: 2026-11-23 10:00 UTC. */
export const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);

export interface CookieSketch {
  name: string;
  domain?: string;
  path?: string;
  store?: ObservedItem['store'];
  party?: 'first' | 'third';
  by?: CookieWrite['by'];
  /** Requested lifetime in seconds; 'session' for a session cookie; null when unknown. */
  requested?: number | 'session' | null;
  /** Stored lifetime in seconds (defaults to the requested one, capped at 400 days as browsers do). */
  stored?: number | 'session' | null;
  firstDeposit?: number;
  renewals?: number;
  /** A later write replacing the first (e.g. a consent cookie rewritten once the visitor chooses). */
  thenRequested?: number | 'session';
}

const BROWSER_CAP = 400 * DAY;

function expiry(lifetime: number | 'session' | null, at: number): Expiry | null {
  if (lifetime === null) return null;
  return lifetime === 'session' ? { session: true } : { session: false, at: at + lifetime * 1000 };
}

function write(
  at: number,
  by: CookieWrite['by'],
  requested: number | 'session' | null,
  stored?: number | 'session' | null,
): CookieWrite {
  const kept =
    stored !== undefined ? stored : typeof requested === 'number' ? Math.min(requested, BROWSER_CAP) : requested;
  return { at, by, url: 'https://example.test/set', requested: expiry(requested, at), stored: expiry(kept, at) };
}

/** An observed cookie with sensible defaults, for tests. */
export function observed(sketch: CookieSketch): ObservedItem {
  const first = write(
    NOW,
    sketch.by ?? 'header',
    sketch.requested === undefined ? 'session' : sketch.requested,
    sketch.stored,
  );
  const last =
    sketch.thenRequested !== undefined ? write(NOW + 5 * MINUTE * 1000, first.by, sketch.thenRequested) : first;
  const rank = (w: CookieWrite) => (w.requested && !w.requested.session ? w.requested.at - w.at : 0);
  return {
    store: sketch.store ?? 'cookie',
    name: sketch.name,
    domain: sketch.domain ?? 'monespaceclient.cnp.fr',
    path: sketch.path ?? '/',
    party: sketch.party ?? 'first',
    firstSeen: NOW,
    lastSeen: last.at,
    firstDeposit: sketch.firstDeposit ?? NOW,
    renewals: sketch.renewals ?? (last === first ? 0 : 1),
    firstWrite: first,
    lastWrite: last,
    longestWrite: rank(last) > rank(first) ? last : first,
  };
}

export function coverage(site = 'monespaceclient.cnp.fr'): VisitCoverage {
  return { site, startedAt: NOW, endedAt: NOW + 3 * MINUTE * 1000, pages: 4, hosts: [site] };
}
