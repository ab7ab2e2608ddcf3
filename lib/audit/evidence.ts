import type { Catalogue, Entry, LifetimeRule } from '../catalogue/schema';
import { consentBasisOf } from '../consent/basis';
import { requestedLifetime, storedLifetime, type CookieWrite, type ObservedItem } from '../observation/observed';
import { explain } from './explanations';
import type { CookieEvidence, EntryEvidence, Finding, FindingKind, RuleEvidence, Severity } from './findings';
import type { Match } from './matching';

/** The evidence a finding carries, built from what was observed and declared, and the finding itself with its id. */

export function cookieEvidence(item: ObservedItem, write: CookieWrite): CookieEvidence {
  return {
    store: item.store,
    name: item.name,
    domain: item.domain,
    path: item.path,
    party: item.party,
    setBy: write.by,
    setterUrl: write.url ?? null,
    firstSeen: item.firstSeen,
    firstDeposit: item.firstDeposit,
    renewals: item.renewals,
    attributes: item.attributes ?? null,
    requested: write.requested ? requestedLifetime(write) : { kind: 'unknown' },
    stored: storedLifetime(write),
    writtenAt: write.at,
  };
}

export function entryEvidence(catalogue: Catalogue, entry: Entry, match: Match | null): EntryEvidence {
  const name = match?.name ?? entry.names[0] ?? null;
  return {
    catalogueId: catalogue.id,
    entryId: entry.id,
    vendor: entry.vendor,
    printedName: name?.printed ?? null,
    pattern: name?.pattern ?? null,
    category: entry.category,
    purpose: entry.purpose,
    lifetime: entry.lifetime,
    party: entry.party,
    storage: entry.storage,
    excerpt: entry.provenance.excerpt,
    source: entry.provenance.source,
    lines: entry.provenance.lines ?? null,
    consent: consentBasisOf(catalogue, entry),
  };
}

export function ruleEvidence(catalogue: Catalogue, rule: LifetimeRule): RuleEvidence {
  return {
    catalogueId: catalogue.id,
    ruleId: rule.id,
    appliesTo: rule.appliesTo,
    lifetime: rule.lifetime,
    excerpt: rule.provenance.excerpt,
    source: rule.provenance.source,
    lines: rule.provenance.lines ?? null,
  };
}

export type FindingParts = Partial<Omit<Finding, 'id' | 'kind' | 'severity' | 'explanation'>>;

export function finding(kind: FindingKind, severity: Severity, parts: FindingParts): Finding {
  const complete: Omit<Finding, 'id' | 'explanation'> = {
    kind,
    severity,
    cookie: parts.cookie ?? null,
    entry: parts.entry ?? null,
    rule: parts.rule ?? null,
    match: parts.match ?? null,
    measurement: parts.measurement ?? null,
    coverage: parts.coverage ?? null,
    catalogueId: parts.catalogueId ?? parts.entry?.catalogueId ?? null,
    vendor: parts.vendor ?? null,
    consent: parts.consent ?? null,
    notes: parts.notes ?? [],
  };
  const c = complete.cookie;
  const id = [
    kind,
    c ? `${c.store}:${c.name}@${c.domain}${c.path}` : '',
    complete.entry
      ? `${complete.entry.catalogueId}/${complete.entry.entryId}`
      : (complete.catalogueId ?? complete.consent?.banner?.site ?? ''),
    complete.rule?.ruleId ?? '',
  ].join('|');
  return { ...complete, id, explanation: explain(complete) };
}
