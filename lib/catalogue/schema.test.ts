import { describe, expect, it } from 'vitest';
import { bundledCatalogues } from './bundled';
import { validateCatalogue } from './schema';
import { cataloguesForSite, hostMatches } from './sites';

/** A catalogue as a test edits it: any field, at any depth, may be made wrong. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test breaks a different field
type CatalogueDraft = Record<string, any>;

const valid = () =>
  structuredClone(bundledCatalogues().find((c) => c.id === 'cnp-monespaceclient')!) as unknown as CatalogueDraft;

describe('validateCatalogue', () => {
  it('names the path and the problem of each defect', () => {
    const broken = valid();
    broken.entries[2].category = 'tracking';
    broken.entries[3].lifetime.parsed = { kind: 'duration', seconds: -1, maximum: false };
    delete broken.publisher;
    broken.sites = ['https://monespaceclient.cnp.fr/'];
    const result = validateCatalogue(broken);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => i.path).sort()).toEqual([
      'entries.2.category',
      'entries.3.lifetime.parsed.seconds',
      'publisher',
      'sites.0',
    ]);
    expect(issues.find((i) => i.path === 'sites.0')?.message).toBe(
      'a site is a host name, optionally starting with "*."',
    );
  });

  it('words each problem in French for a French reader, valibot’s own included', () => {
    const broken = valid();
    broken.entries[2].category = 'tracking';
    delete broken.publisher;
    broken.sites = ['https://monespaceclient.cnp.fr/'];
    broken.entries[4].id = broken.entries[3].id;
    const french = validateCatalogue(broken, 'fr');
    expect(french.ok ? [] : french.issues).toEqual([
      { path: 'publisher', message: 'Clé manquante : "publisher"' },
      { path: 'sites.0', message: 'un site est un nom d’hôte, qui peut commencer par « *. »' },
      {
        path: 'entries.2.category',
        message: expect.stringMatching(/^Type invalide : \("strictly-necessary" \| .*\) attendu, "tracking" reçu$/),
      },
    ]);
    broken.entries[2].category = 'functional';
    broken.publisher = 'CNP';
    broken.sites = [];
    expect(validateCatalogue(broken, 'fr')).toEqual({
      ok: false,
      issues: [{ path: 'entries.4.id', message: `l’identifiant d’entrée « ${broken.entries[3].id} » sert deux fois` }],
      total: 1,
    });
    // English stays the default, after a French validation as before it.
    expect(validateCatalogue({ ...broken, publisher: 1 })).toMatchObject({
      issues: [{ message: 'Invalid type: Expected string but received 1' }],
    });
  });

  it('refuses what the shape allows but the format does not: repeated ids, an unnamed entry with names', () => {
    const broken = valid();
    broken.entries[3].id = broken.entries[2].id;
    broken.entries[4].unnamed = true;
    const result = validateCatalogue(broken);
    expect(result.ok ? [] : result.issues).toEqual([
      { path: 'entries.3.id', message: `entry id "${broken.entries[2].id}" is used twice` },
      { path: 'entries.4.unnamed', message: 'an unnamed entry must not list names' },
    ]);
  });

  it.each([null, 42, 'catalogue', [], {}, { formatVersion: 2 }])(
    'refuses %j with a message, never a throw',
    (input) => {
      const result = validateCatalogue(input);
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.issues.length).toBeGreaterThan(0);
    },
  );

  it('refuses a declared range whose minimum exceeds its maximum, in the reader’s language', () => {
    const broken = valid();
    broken.entries[2].lifetime.parsed = { kind: 'range', minSeconds: 86_400 * 30, maxSeconds: 86_400 };
    broken.rules = [
      {
        ...broken.rules[0],
        lifetime: { text: '13 à 1 mois', parsed: { kind: 'range', minSeconds: 2, maxSeconds: 1 } },
      },
    ];
    expect(validateCatalogue(broken)).toEqual({
      ok: false,
      issues: [
        {
          path: 'rules.0.lifetime.parsed',
          message: 'a range’s minimum (minSeconds) must not exceed its maximum (maxSeconds)',
        },
        {
          path: 'entries.2.lifetime.parsed',
          message: 'a range’s minimum (minSeconds) must not exceed its maximum (maxSeconds)',
        },
      ],
      total: 2,
    });
    expect(validateCatalogue(broken, 'fr')).toMatchObject({
      issues: [{ message: 'le minimum d’une plage (minSeconds) ne doit pas dépasser son maximum (maxSeconds)' }, {}],
    });
    broken.rules = [];
    broken.entries[2].lifetime.parsed = { kind: 'range', minSeconds: 86_400, maxSeconds: 86_400 };
    expect(validateCatalogue(broken).ok).toBe(true);
  });

  it('lists the first 100 problems of a file of millions of wrong entries and counts the rest, in bounded work', () => {
    const huge = { ...valid(), entries: Array.from({ length: 2_000_000 }, () => 1) };
    const before = process.memoryUsage().heapUsed;
    const result = validateCatalogue(huge, 'fr');
    const grown = process.memoryUsage().heapUsed - before;
    expect(result).toMatchObject({ ok: false, total: 2_000_000 });
    const issues = result.ok ? [] : result.issues;
    expect(issues).toHaveLength(100);
    expect(issues[0]).toEqual({
      path: 'entries.0',
      message: expect.stringMatching(/^Type invalide : Object attendu, 1 reçu$/),
    });
    expect(issues[99]?.path).toBe('entries.99');
    // The answer the dashboard gets stays small, far from a message's 64 MiB.
    expect(JSON.stringify(result).length).toBeLessThan(20_000);
    // Two million issues kept would take hundreds of MB; one entry's at a time, a few.
    expect(grown).toBeLessThan(100_000_000);
  });

  it.each([
    'javascript:alert(document.domain)',
    'JavaScript:void(0)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
  ])('refuses the policy address %j, which would become a link that is not to a web page', (url) => {
    const broken = valid();
    broken.policy.url = url;
    expect(validateCatalogue(broken)).toEqual({
      ok: false,
      issues: [
        { path: 'policy.url', message: 'a policy’s address must be a web address, starting with http:// or https://' },
      ],
      total: 1,
    });
    expect(validateCatalogue(broken, 'fr')).toMatchObject({
      issues: [{ message: 'l’adresse d’une politique doit être une adresse web, commençant par http:// ou https://' }],
    });
  });

  it('refuses a pattern that is only a wildcard, which would declare every cookie', () => {
    const broken = valid();
    broken.entries[2].names[0].pattern = '*';
    expect(validateCatalogue(broken)).toMatchObject({ ok: false, issues: [{ path: 'entries.2.names.0.pattern' }] });
  });
});

describe('format versions and consent declarations', () => {
  /** A catalogue as Cookie Lens wrote them before consent: format version 1, no consent field anywhere. */
  const versionOne = () => {
    const old = valid();
    old.formatVersion = 1;
    delete old.consentRules;
    for (const entry of old.entries) delete entry.consent;
    return old;
  };

  it('reads a version 1 file as version 2, keeping all it holds and saying in a note what the upgrade did', () => {
    const old = versionOne();
    const given = structuredClone(old);
    const result = validateCatalogue(old, 'fr');
    expect(result).toMatchObject({ ok: true, upgradedFrom: 1 });
    const catalogue = result.ok ? result.catalogue : undefined;
    expect(catalogue?.formatVersion).toBe(2);
    expect(catalogue?.entries).toEqual(old.entries);
    expect(catalogue?.rules).toEqual(old.rules);
    expect(catalogue?.notes).toEqual([
      ...(old.notes ?? []),
      'Lu depuis la version 1 du format de catalogue, antérieure aux déclarations de consentement : là où ce ' +
        'catalogue ne déclare aucune base de consentement, la règle du régulateur décide.',
    ]);
    expect('consentRules' in catalogue!).toBe(false);
    expect(old).toEqual(given);
    const english = validateCatalogue(versionOne());
    expect(english.ok ? english.catalogue.notes?.at(-1) : undefined).toMatch(/^Read from catalogue format version 1/);
    // A current file is not upgraded, and says so by having no `upgradedFrom`.
    expect(validateCatalogue(valid())).not.toHaveProperty('upgradedFrom');
  });

  it('refuses a format version it does not know, saying which it reads', () => {
    const future = { ...valid(), formatVersion: 3 };
    expect(validateCatalogue(future)).toEqual({
      ok: false,
      issues: [{ path: 'formatVersion', message: 'Cookie Lens reads catalogue format versions 1 and 2' }],
      total: 1,
    });
    expect(validateCatalogue(future, 'fr')).toMatchObject({
      issues: [{ message: 'Cookie Lens lit les versions 1 et 2 du format de catalogue' }],
    });
    // A version 1 file with a defect is refused for the defect, not for its version.
    const brokenOld = versionOne();
    brokenOld.entries[0].category = 'tracking';
    expect(validateCatalogue(brokenOld)).toMatchObject({ ok: false, issues: [{ path: 'entries.0.category' }] });
  });

  it('refuses bad consent declarations with their path and a message in the reader’s language', () => {
    const broken = valid();
    const provenance = broken.entries[0].provenance;
    broken.entries[0].consent = { basis: 'maybe', provenance };
    broken.entries[1].consent = { basis: 'exempt' };
    broken.consentRules = [
      { id: 'all-need-consent', appliesTo: 'all', basis: 'required', provenance },
      { id: 'all-need-consent', appliesTo: 'tracking', basis: 'required', provenance },
    ];
    expect(validateCatalogue(broken)).toEqual({
      ok: false,
      issues: [
        { path: 'consentRules.1.appliesTo', message: expect.stringMatching(/^Invalid type/) },
        { path: 'entries.0.consent.basis', message: 'a consent basis is "required", "exempt" or "unspecified"' },
        { path: 'entries.1.consent.provenance', message: 'Invalid key: Expected "provenance" but received undefined' },
      ],
      total: 3,
    });
    expect(validateCatalogue(broken, 'fr')).toMatchObject({
      issues: [
        { message: expect.stringMatching(/^Type invalide/) },
        { message: 'une base de consentement est « required », « exempt » ou « unspecified »' },
        { message: 'Clé manquante : "provenance"' },
      ],
    });
    broken.entries[0].consent.basis = 'required';
    broken.entries[1].consent.provenance = provenance;
    broken.consentRules[1].appliesTo = 'advertising';
    expect(validateCatalogue(broken)).toEqual({
      ok: false,
      issues: [{ path: 'consentRules.1.id', message: 'consent rule id "all-need-consent" is used twice' }],
      total: 1,
    });
    expect(validateCatalogue(broken, 'fr')).toMatchObject({
      issues: [{ message: 'l’identifiant de règle de consentement « all-need-consent » sert deux fois' }],
    });
    broken.consentRules[1].id = 'advertising-needs-consent';
    expect(validateCatalogue(broken)).toMatchObject({ ok: true });
  });
});

describe('sites', () => {
  it('reads host patterns: a host alone, or a domain and every host below it', () => {
    expect(hostMatches('monespaceclient.cnp.fr', 'MonEspaceClient.cnp.fr.')).toBe(true);
    expect(hostMatches('monespaceclient.cnp.fr', 'www.cnp.fr')).toBe(false);
    expect(hostMatches('*.cnp.fr', 'cnp.fr')).toBe(true);
    expect(hostMatches('*.cnp.fr', 'a.b.cnp.fr')).toBe(true);
    expect(hostMatches('*.cnp.fr', 'notcnp.fr')).toBe(false);
  });

  it('applies the catalogues naming the site, then those a user bound to it', () => {
    const all = bundledCatalogues();
    expect(cataloguesForSite('monespaceclient.cnp.fr', all).map((c) => c.id)).toEqual(['cnp-monespaceclient']);
    expect(cataloguesForSite('extranet.example.fr', all)).toEqual([]);
    const bound = cataloguesForSite('extranet.example.fr', all, [
      { site: '*.example.fr', catalogueId: 'europ-assistance-extranet-partenaires' },
      { site: 'extranet.example.fr', catalogueId: 'no-such-catalogue' },
    ]);
    expect(bound.map((c) => c.id)).toEqual(['europ-assistance-extranet-partenaires']);
  });
});
