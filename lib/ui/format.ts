import type { Category } from '../catalogue/schema';
import type { FindingKind, Severity } from '../audit/findings';
import { formatRelative, t, type MessageKey } from '../i18n';
import { formatDuration } from '../audit/lifetime';
import type { MatchHow } from '../audit/matching';
import {
  requestedLifetime,
  storedLifetime,
  type CookieWrite,
  type ObservedItem,
  type SetBy,
  type StoreKind,
  type WriteLifetime,
} from '../observation/observed';
import type { Row } from '../audit/report-rows';

/** Words for the codes the reports carry, and the lifetimes of a row, in the interface's language. */

export const severityLabel = (severity: Severity): string => t(`severity_${severity}` as MessageKey);
export function kindLabel(kind: FindingKind): string {
  const key = `kind_${kind.replaceAll('-', '_')}` as MessageKey;
  const label = t(key);
  // A kind newer than the words shows as its identifier rather than as a message key.
  return label === key ? kind : label;
}
export const categoryLabel = (category: Category): string =>
  t(`category_${category.replaceAll('-', '_')}` as MessageKey);
export const setByLabel = (by: SetBy): string => t(`setBy_${by}` as MessageKey);
export const matchLabel = (how: MatchHow): string => t(`match_${how}` as MessageKey);
export const partyLabel = (party: 'first' | 'third' | 'unspecified'): string => t(`party_${party}` as MessageKey);
export const storeLabel = (store: ObservedItem['store'] | 'unknown'): string => t(`store_${store}` as MessageKey);

export function lifetimeText(lifetime: WriteLifetime): string {
  if (lifetime.kind === 'session') return t('lifeSession');
  if (lifetime.kind === 'unknown') return t('lifeUnknown');
  return formatDuration(lifetime.seconds, t);
}

/**
 * The life a write asked for and the one the browser kept, as one short text: "13 months", or "requested 2 years ·
 * stored 400 days" when the browser cut it down.
 */
export function actualLifetime(store: StoreKind, write: Omit<CookieWrite, 'url'>): string {
  if (store === 'localStorage') return t('lifeUntilCleared');
  if (store === 'sessionStorage') return t('lifeTabSession');
  const requested = write.requested ? requestedLifetime(write) : null;
  const stored = storedLifetime(write);
  if (!requested) return lifetimeText(stored);
  if (stored.kind === 'unknown' || sameLifetime(requested, stored)) return lifetimeText(requested);
  return `${t('lifeRequested', lifetimeText(requested))} · ${t('lifeStored', lifetimeText(stored))}`;
}

/** Within a minute (or 1 %) counts as the same: Expires is written on a clock, Max-Age counted on another. */
function sameLifetime(a: WriteLifetime, b: WriteLifetime): boolean {
  if (a.kind !== 'seconds' || b.kind !== 'seconds') return a.kind === b.kind;
  return Math.abs(a.seconds - b.seconds) <= Math.max(60, a.seconds * 0.01);
}

/** "expires in 12 days", "expired 3 hours ago", or nothing for a session cookie and storage. */
export function expiryText(row: Pick<Row, 'removed' | 'store' | 'expiry'>, now: number): string {
  if (row.removed) return t('lifeRemoved');
  if (row.store !== 'cookie') return '';
  const expiry = row.expiry;
  if (!expiry || expiry.session) return '';
  const seconds = (expiry.at - now) / 1000;
  return seconds >= 0 ? t('expiresIn', formatRelative(seconds)) : t('expiredAgo', formatRelative(seconds));
}

export function declaredLifetime(row: Row): string {
  if (!row.entry) return '';
  return row.entry.lifetime.trim() || t('lifeNotStated');
}

/** "policy.txt, lines 209–335". */
export function sourceText(source: string, lines: [number, number] | null): string {
  if (!lines) return source;
  return lines[0] === lines[1] ? t('sourceLine', source, lines[0]) : t('sourceLines', source, lines[0], lines[1]);
}
