/** Where a sweep stands, for its progress line. */
export interface SweepProgress {
  total: number;
  /** Sites finished, by this run or an earlier one. */
  done: number;
  failed: number;
  /** Sites finished by this run, over `elapsedMs`: the rate. */
  doneThisRun: number;
  elapsedMs: number;
}

/** "12/40 sites, 1 failing, 3.2 sites/min, about 9 min left". */
export function progressLine(p: SweepProgress): string {
  const perMinute = p.elapsedMs > 0 ? (p.doneThisRun * 60_000) / p.elapsedMs : 0;
  const left = p.total - p.done;
  const eta =
    left === 0 ? 'done' : perMinute > 0 ? `about ${duration((left / perMinute) * 60_000)} left` : 'time left unknown';
  return `${p.done}/${p.total} sites, ${p.failed} failing, ${perMinute.toFixed(1)} sites/min, ${eta}`;
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.max(1, Math.round(ms / 1000))} s`;
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
