import { describe, expect, it } from 'vitest';
import { validateCatalogue } from '../../catalogue/schema';
import { DAY } from '../../audit/lifetime';
import { duration, fixture, session, summarize, unknown } from '../../../tests/fixtures/extraction/fixtures';
import { extractOneTrust } from './onetrust';

const source =
  'https://cdn.cookielaw.org/consent/0188a0b6-1f2e-7d3c-9b4a-5e6f7a8b9c0d/01889f6a-2b3c-7d4e-8f5a-6b7c8d9e0f1a/en.json';

describe('extractOneTrust', () => {
  it('reads every group, first-party cookie, host cookie and subgroup of the domain data', () => {
    const result = extractOneTrust(fixture('onetrust-domaindata.json'), { source });
    expect(validateCatalogue(result.catalogue).ok).toBe(true);
    expect(result.catalogue.id).toBe('draft-cdn-cookielaw-org');
    expect(summarize(result.catalogue)).toEqual([
      {
        names: ['OptanonConsent'],
        lifetime: duration(364 * DAY),
        category: 'strictly-necessary',
        storage: 'cookie',
        party: 'first',
        vendor: null,
      },
      {
        names: ['OptanonAlertBoxClosed'],
        lifetime: duration(364 * DAY),
        category: 'strictly-necessary',
        storage: 'cookie',
        party: 'first',
        vendor: null,
      },
      {
        names: ['JSESSIONID'],
        lifetime: session,
        category: 'strictly-necessary',
        storage: 'cookie',
        party: 'first',
        vendor: null,
      },
      {
        names: ['_ga'],
        lifetime: duration(729 * DAY),
        category: 'performance',
        storage: 'cookie',
        party: 'first',
        vendor: null,
      },
      { names: ['_gid'], lifetime: unknown, category: 'performance', storage: 'cookie', party: 'first', vendor: null },
      {
        names: ['_hjSessionUser_1234567'],
        lifetime: duration(365 * DAY),
        category: 'performance',
        storage: 'cookie',
        party: 'third',
        vendor: 'hotjar.com',
      },
      {
        names: ['fr'],
        lifetime: duration(89 * DAY),
        category: 'advertising',
        storage: 'cookie',
        party: 'third',
        vendor: 'Facebook',
      },
      {
        names: ['bcookie'],
        lifetime: duration(365 * DAY),
        category: 'social',
        storage: 'cookie',
        party: 'third',
        vendor: 'LinkedIn',
      },
    ]);
    expect(result.understood).toBe(8);
    expect(result.notUnderstood).toEqual([
      expect.objectContaining({ reason: 'OneTrust cookie without a usable Name' }),
    ]);
    const consent = result.catalogue.entries[0]!;
    expect(consent.provenance).toEqual({ source, excerpt: expect.stringContaining('"Name":"OptanonConsent"') });
    expect(consent.lifetime.text).toBe('364 days');
  });

  it('accepts the mobile SDK wrapping and a bare Groups object', () => {
    const data = JSON.parse(fixture('onetrust-domaindata.json')) as { DomainData: unknown };
    expect(extractOneTrust({ culture: data }, { source: 'sdk.json' }).understood).toBe(8);
    expect(extractOneTrust(data.DomainData, { source: 'groups.json' }).understood).toBe(8);
  });

  it('says the rule-set file lists no cookies and where the domain data is', () => {
    const result = extractOneTrust(fixture('onetrust-ruleset.json'), { source: 'ruleset.json' });
    expect(result.understood).toBe(0);
    expect(result.catalogue.entries).toEqual([]);
    expect(result.notUnderstood[0]!.reason).toContain('rule sets: 01889f6a-2b3c-7d4e-8f5a-6b7c8d9e0f1a');
  });

  it('reports input that is not OneTrust data', () => {
    expect(extractOneTrust('<html></html>', { source: 'x.html' }).notUnderstood[0]!.reason).toBe(
      'the input is not JSON',
    );
    expect(extractOneTrust({ Groups: [] }, { source: 'x.json' }).notUnderstood[0]!.reason).toBe(
      'OneTrust domain data without groups',
    );
  });

  it('declares the strictly necessary group exempt and every other group required, in the group’s own name', () => {
    const result = extractOneTrust(fixture('onetrust-domaindata.json'), { source });
    expect(
      result.catalogue.entries.map((e) => [e.names[0]!.printed, e.consent?.basis, e.consent?.provenance.excerpt]),
    ).toEqual([
      ['OptanonConsent', 'exempt', 'Strictly Necessary Cookies'],
      ['OptanonAlertBoxClosed', 'exempt', 'Strictly Necessary Cookies'],
      ['JSESSIONID', 'exempt', 'Strictly Necessary Cookies'],
      ['_ga', 'required', 'Performance Cookies'],
      ['_gid', 'required', 'Performance Cookies'],
      ['_hjSessionUser_1234567', 'required', 'Performance Cookies'],
      ['fr', 'required', 'Cookies de ciblage'],
      // A subgroup is its own category, asked for like its parent.
      ['bcookie', 'required', 'Share on social media'],
    ]);
    expect(result.catalogue.entries[3]!.consent?.provenance.source).toBe(source);
    expect(result.catalogue.entries[3]!.notes).toContainEqual(expect.stringMatching(/^Consent: OneTrust asks it/));
  });

  it('reads an always active group as set without asking, and warns of a group active by default', () => {
    const group = (GroupName: string, Status: string, Name: string) => ({
      GroupName,
      OptanonGroupId: 'C0099',
      Status,
      FirstPartyCookies: [{ Name, Host: 'exemple.fr', IsSession: true }],
    });
    const result = extractOneTrust(
      { DomainData: { Groups: [group('Site operation', 'always active', 'lb'), group('Mesure', 'active', '_pk_id')] } },
      { source: 'x.json' },
    );
    expect(result.catalogue.entries.map((e) => e.consent?.basis)).toEqual(['exempt', 'required']);
    expect(result.catalogue.entries[1]!.notes?.join(' ')).toMatch(
      /active by default: OneTrust may set it before any choice/,
    );
  });
});
