import type { Catalogue } from '../catalogue/schema';
import type { ObservedItem } from '../observation/observed';
import type { VisitRecord } from '../storage/db';
import type { StorageStatus } from '../storage/persister';
import type { EntryEvidence, Finding } from './findings';
import type { MatchHow } from './matching';

/** Everything a page needs to show one visit: what was seen, against which policies, and what does not match. */
export interface VisitReport {
  visit: VisitRecord;
  items: ObservedItem[];
  catalogues: CatalogueSummary[];
  findings: Finding[];
  /** True for a private window's visit: kept in memory only. */
  isPrivate: boolean;
  storage: StorageStatus;
  /** What declares each item, in the order of `items`: null where no applied catalogue does. */
  matches?: Array<ItemMatch | null>;
}

export interface ItemMatch {
  entry: EntryEvidence;
  how: MatchHow;
}

export interface CatalogueSummary {
  id: string;
  publisher: string;
  title: string;
  policy: Catalogue['policy'];
  date: Catalogue['date'];
  entries: number;
}

export function summarizeCatalogue(catalogue: Catalogue): CatalogueSummary {
  const { id, publisher, title, policy, date } = catalogue;
  return { id, publisher, title, policy, date, entries: catalogue.entries.length };
}
