import type { Category } from '../../catalogue/schema';
import {
  asJson,
  buildDraft,
  declaredName,
  isRecord,
  jsonExcerpt,
  lifetimeFromNumber,
  notFound,
  plainText,
  text,
  UNKNOWN_LIFETIME,
  type DraftConsent,
  type DraftEntry,
  type ExtractionResult,
  type ExtractOptions,
  type NotUnderstood,
} from '../draft';
import { categoryFromLabel } from '../labels';

/**
 * OneTrust's cookie list: the domain data its banner loads from `cdn.cookielaw.org/consent/<domain-id>/<rule-set-id>/
 * <language>.json` (`{ DomainData: { Groups: [...] } }`; the mobile SDK wraps it as `{ culture: { DomainData } }`).
 * Each group (a category: `GroupName`, `OptanonGroupId` C0001…C0005) lists its cookies in `FirstPartyCookies` (older
 * files: `Cookies`) and, per third-party host, in `Hosts[].Cookies`; subcategories sit in `SubGroups`. A cookie is
 * `{ Name, Host, IsSession, Length (days), description, … }`.
 * The rule-set file `consent/<domain-id>/<domain-id>.json` holds no cookies: it is reported as not found, with the
 * rule-set ids that lead to the domain data.
 */
const EXTRACTOR = 'OneTrust cookie list';

// OneTrust's default group ids, used when a group's name says nothing the category reader knows.
const DEFAULT_GROUPS: Record<string, Category> = {
  C0001: 'strictly-necessary',
  C0002: 'performance',
  C0003: 'functional',
  C0004: 'advertising',
  C0005: 'social',
};

function domainData(json: unknown): Record<string, unknown> | null {
  if (!isRecord(json)) return null;
  if (isRecord(json.DomainData)) return json.DomainData;
  if (isRecord(json.culture) && isRecord(json.culture.DomainData)) return json.culture.DomainData;
  return Array.isArray(json.Groups) ? json : null;
}

function groupCategory(group: Record<string, unknown>, inherited: Category): Category {
  const byName = categoryFromLabel(text(group.GroupName));
  if (byName !== 'unknown') return byName;
  const id = text(group.OptanonGroupId) || text(group.CustomGroupId);
  return DEFAULT_GROUPS[id] ?? inherited;
}

/** How OneTrust treats a group: what it sets without asking, and what a visitor's choice governs. */
interface GroupConsent {
  consent: DraftConsent;
  note: string;
  /** `Status` as the group gives it, or as its parent does: "always active", "active", "inactive". */
  status: string;
}

/**
 * OneTrust sets a group's cookies without asking when the group is strictly necessary, which it shows "always active";
 * it asks consent for every other group. The excerpt is the group's name, the platform's own word for it.
 */
function groupConsent(group: Record<string, unknown>, category: Category, inheritedStatus: string): GroupConsent {
  const name = text(group.GroupName) || text(group.OptanonGroupId) || 'unnamed group';
  const status = text(group.Status).toLowerCase() || inheritedStatus;
  if (category === 'strictly-necessary' || status === 'always active')
    return {
      consent: { basis: 'exempt', excerpt: name },
      note: `Consent: OneTrust sets the group "${name}" without asking (strictly necessary${status === 'always active' ? ', always active' : ''}).`,
      status,
    };
  return {
    consent: { basis: 'required', excerpt: name },
    note:
      `Consent: OneTrust asks it for the group "${name}", as for every group but the strictly necessary ones.` +
      (status === 'active' ? ' The group is active by default: OneTrust may set it before any choice.' : ''),
    status,
  };
}

function cookieEntry(
  cookie: Record<string, unknown>,
  group: Record<string, unknown>,
  category: Category,
  consent: GroupConsent,
  host: Record<string, unknown> | null,
  party: 'first' | 'third' | 'unspecified',
): DraftEntry | NotUnderstood {
  const excerpt = jsonExcerpt(cookie, ['Name', 'Host', 'IsSession', 'Length', 'description']);
  const name = declaredName(text(cookie.Name));
  if (!name) return { text: excerpt, reason: 'OneTrust cookie without a usable Name' };
  const days = Number(text(cookie.Length) || Number.NaN);
  // Length is in days; 0 without IsSession is under a day (OneTrust prints "A few seconds"): not a session cookie.
  const lifetime =
    cookie.IsSession === true
      ? lifetimeFromNumber(0, 'days')
      : days > 0
        ? lifetimeFromNumber(days, 'days')
        : UNKNOWN_LIFETIME;
  const notes = [
    `OneTrust group "${text(group.GroupName) || text(group.OptanonGroupId)}"; host ${text(cookie.Host) || 'not given'}.`,
  ];
  notes.push(consent.note);
  if (lifetime.parsed.kind === 'unknown') {
    notes.push(
      days === 0
        ? 'OneTrust Length 0 (not a session cookie): under a day, no exact duration.'
        : 'OneTrust gives no Length for this cookie.',
    );
  }
  return {
    names: [name],
    vendor: host ? text(host.DisplayName) || text(host.HostName) || null : null,
    purpose: plainText(text(cookie.description) || text(cookie.thirdPartyDescription)),
    category,
    lifetime,
    party: cookie.isThirdParty === true ? 'third' : party,
    storage: 'cookie',
    excerpt,
    consent: consent.consent,
    notes,
  };
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function extractOneTrust(input: unknown, options: ExtractOptions): ExtractionResult {
  const json = asJson(input);
  if (json === undefined) return notFound(EXTRACTOR, 'the input is not JSON', String(input), options);
  const data = domainData(json);
  if (!data) {
    if (isRecord(json) && Array.isArray(json.RuleSet)) {
      const ids = records(json.RuleSet)
        .map((rule) => text(rule.Id))
        .filter(Boolean);
      const reason =
        "this is OneTrust's rule-set file, which lists no cookies; the cookie list is the domain data at " +
        `consent/<domain-id>/<rule-set id>/<language>.json${ids.length > 0 ? ` (rule sets: ${ids.join(', ')})` : ''}`;
      return notFound(EXTRACTOR, reason, JSON.stringify(json).slice(0, 200), options);
    }
    return notFound(
      EXTRACTOR,
      'no OneTrust DomainData.Groups in this JSON',
      JSON.stringify(json).slice(0, 200),
      options,
    );
  }

  const entries: DraftEntry[] = [];
  const notUnderstood: NotUnderstood[] = [];
  const add = (made: DraftEntry | NotUnderstood) => ('names' in made ? entries.push(made) : notUnderstood.push(made));
  const visit = (group: Record<string, unknown>, inherited: Category, inheritedStatus: string) => {
    const category = groupCategory(group, inherited);
    const consent = groupConsent(group, category, inheritedStatus);
    for (const cookie of records(group.FirstPartyCookies))
      add(cookieEntry(cookie, group, category, consent, null, 'first'));
    for (const cookie of records(group.Cookies))
      add(cookieEntry(cookie, group, category, consent, null, 'unspecified'));
    for (const host of records(group.Hosts)) {
      for (const cookie of records(host.Cookies)) add(cookieEntry(cookie, group, category, consent, host, 'third'));
    }
    for (const sub of records(group.SubGroups)) visit(sub, category, consent.status);
  };
  const groups = records(data.Groups);
  for (const group of groups) visit(group, 'unknown', '');
  if (groups.length === 0) notUnderstood.push({ text: 'DomainData', reason: 'OneTrust domain data without groups' });
  else if (entries.length === 0)
    notUnderstood.push({ text: 'DomainData.Groups', reason: 'OneTrust groups list no cookie' });

  return buildDraft({ extractor: EXTRACTOR, entries, notUnderstood }, options);
}
