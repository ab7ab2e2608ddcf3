import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLifetime } from '../audit/lifetime';
import { bundledCatalogues } from './bundled';
import { validateCatalogue, type Catalogue, type Provenance } from './schema';

const SEEDS = join(__dirname, '../../../shared/seeds');
const fold = (text: string) => text.replace(/\s+/g, ' ').trim();
const seedLines = (file: string) => readFileSync(join(SEEDS, file), 'utf8').split('\n');

/** Every cookie name each seed prints, as the text extraction gives it (line breaks folded to spaces). */
const PRINTED_NAMES: Record<string, { seed: string; names: string[] }> = {
  'cnp-monespaceclient': {
    seed: '000_f2dd0101e5f31d62.txt',
    names: [
      'Jsessionid',
      'JWT_TOKEN',
      'XSRF-Token',
      'REFRESH_TOKEN',
      'aReponduEnqueteSatisfaction',
      'cookies_INFV_ASTER_*',
      'dydu.*',
      'DYDU_clientId',
      'DYDU_PUSH_session',
      'ADRUM_BT1',
      'ADRUM_BTa',
      'TC_PRIVACY',
      'TC_PRIVACY_CENTER',
      'WID',
      'TCID',
      'TCPID',
      '.ASPXANONYMOUS',
      '.ASPXANONYMOUS-same-site-copy',
      'ASP.NET_SessionId',
      'ASP.NET_Session-same-site-copy',
      '_pk_id.id',
      '_pk_ref.id',
      '_pk_ses.id',
    ],
  },
  'europ-assistance-amex': {
    seed: '001_f8cfcfcc53a92002.txt',
    names: [
      '_pk_id#',
      'ppms_webstorage',
      'pk_ses#',
      'stg_last_interaction',
      'stg_returning_visito r',
      'stg_externalReferre r',
      'stg_traffic_source_p riority',
      'ARRAffinity',
      'ARRAffinitySameSite',
      'AspNetCore.Session',
      'AspNetCore.Antifor gery.cdV5uW_Ejgc',
      'ASP.NET_SessionId',
      'ai_session',
      'ai_user',
      'assistanceCookies',
      'Cookies_visitor',
    ],
  },
  'europ-assistance-extranet-partenaires': {
    seed: '002_7288f3b59f30aac3.txt',
    names: ['ARRAffinity', 'ARRAffinitySameSite', 'ASP.NET_SessionId'],
  },
  'assurance-maladie-opendatasoft': {
    seed: '003_8e360ae828c07308.txt',
    names: ['Sessionid', 'django_language', 'Csrf token'],
  },
  'assu2000-protection-donnees': { seed: '004_65e0c4b9a194d754.txt', names: [] },
};

function citedText(provenance: Provenance): string {
  const lines = seedLines(provenance.source);
  const [from, to] = provenance.lines ?? [1, lines.length];
  return fold(lines.slice(from - 1, to).join(' '));
}

describe('bundled catalogues', () => {
  const catalogues = bundledCatalogues();

  it('bundles one catalogue per seed, each valid against the schema', () => {
    expect(catalogues.map((c) => c.id).sort()).toEqual(Object.keys(PRINTED_NAMES).sort());
    for (const catalogue of catalogues) expect(validateCatalogue(catalogue)).toEqual({ ok: true, catalogue });
  });

  describe.each(Object.entries(PRINTED_NAMES))('%s', (id, { seed, names }) => {
    const catalogue = catalogues.find((c) => c.id === id) as Catalogue;

    it('holds every cookie name the seed prints, and only names the seed prints', () => {
      const declared = catalogue.entries.flatMap((entry) =>
        entry.names.map((name) => fold(name.extracted ?? name.printed)),
      );
      expect(declared.sort()).toEqual([...names].sort());
      const text = fold(seedLines(seed).join(' '));
      for (const name of names) expect(text).toContain(name);
    });

    it('cites, for every entry and rule, lines of the seed that hold its names and excerpt', () => {
      for (const item of [...catalogue.entries, ...catalogue.rules]) {
        expect(item.provenance.source).toBe(seed);
        const cited = citedText(item.provenance);
        for (const piece of item.provenance.excerpt.split(' … ')) expect(cited).toContain(fold(piece));
        for (const name of 'names' in item ? item.names : [])
          expect(cited).toContain(fold(name.extracted ?? name.printed));
      }
    });

    it('cites, for every consent declaration, lines of the seed that hold its excerpt', () => {
      const declarations = [
        ...(catalogue.consentRules ?? []),
        ...catalogue.entries.flatMap((entry) => (entry.consent ? [entry.consent] : [])),
      ];
      for (const { provenance } of declarations) {
        expect(provenance.source).toBe(seed);
        const cited = citedText(provenance);
        for (const piece of provenance.excerpt.split(' … ')) expect(cited).toContain(fold(piece));
      }
    });

    it('parses every declared lifetime as the lifetime parser reads its text', () => {
      for (const item of [...catalogue.entries, ...catalogue.rules]) {
        expect(item.lifetime.parsed, `${item.id}: "${item.lifetime.text}"`).toEqual(parseLifetime(item.lifetime.text));
      }
    });

    it('explains every name whose pattern or spelling differs from what the seed prints', () => {
      for (const name of catalogue.entries.flatMap((entry) => entry.names)) {
        if (name.pattern !== name.printed || name.extracted !== undefined) expect(name.reading).toBeTruthy();
      }
    });
  });

  it('repairs the names the PDF split, and records the repair', () => {
    const amex = catalogues.find((c) => c.id === 'europ-assistance-amex')!;
    const visitor = amex.entries.flatMap((e) => e.names).find((n) => n.printed === 'stg_returning_visitor');
    expect(visitor).toMatchObject({ extracted: 'stg_returning_visito r', pattern: 'stg_returning_visitor' });
  });

  it('marks described-but-unnamed cookies, and gives ASSU2000 no entry and a note that it refers elsewhere', () => {
    const cnp = catalogues.find((c) => c.id === 'cnp-monespaceclient')!;
    expect(
      cnp.entries
        .filter((e) => e.unnamed)
        .map((e) => e.id)
        .sort(),
    ).toEqual(['login-identifier', 'remember-identifier']);
    const assu = catalogues.find((c) => c.id === 'assu2000-protection-donnees')!;
    expect(assu.entries).toEqual([]);
    expect(assu.notes?.join(' ')).toMatch(/Gestion des cookies/);
  });

  it('keeps the category lifetime rules and blanket maxima the policies state', () => {
    const rules = (id: string) =>
      catalogues.find((c) => c.id === id)!.rules.map((r) => [r.appliesTo, r.role, r.lifetime.parsed]);
    const thirteenMonthsMax = { kind: 'duration', seconds: 34186698, maximum: true };
    expect(rules('cnp-monespaceclient')).toEqual([
      ['strictly-necessary', 'default', { kind: 'session' }],
      ['functional', 'default', { kind: 'duration', seconds: 7889238, maximum: false }],
      ['audience-measurement', 'maximum', thirteenMonthsMax],
      ['support-chat', 'maximum', thirteenMonthsMax],
    ]);
    for (const id of [
      'europ-assistance-amex',
      'europ-assistance-extranet-partenaires',
      'assurance-maladie-opendatasoft',
    ]) {
      expect(rules(id)).toEqual([['all', 'maximum', thirteenMonthsMax]]);
    }
  });

  describe('consent declarations, from each policy’s own words', () => {
    const consentRules = (id: string) =>
      (catalogues.find((c) => c.id === id)!.consentRules ?? []).map((r) => [r.appliesTo, r.basis]);
    const entryBases = (id: string) =>
      catalogues.find((c) => c.id === id)!.entries.flatMap((e) => (e.consent ? [[e.id, e.consent.basis]] : []));

    it('AMEX: 11.1’s navigation and audience cookies are exempt, every other needs prior consent (10.2)', () => {
      expect(consentRules('europ-assistance-amex')).toEqual([
        ['strictly-necessary', 'exempt'],
        ['security', 'exempt'],
        ['functional', 'exempt'],
        ['audience-measurement', 'exempt'],
        ['advertising', 'required'],
        ['social', 'required'],
        ['all', 'required'],
        ['consent', 'unspecified'],
      ]);
      const amex = catalogues.find((c) => c.id === 'europ-assistance-amex')!;
      const all = amex.consentRules!.find((r) => r.appliesTo === 'all')!;
      expect(all.provenance.excerpt).toMatch(/sans son consentement préalable\.$/);
      expect(amex.consentRules!.find((r) => r.appliesTo === 'consent')!.notes?.join(' ')).toMatch(/regulator/);
      expect(entryBases('europ-assistance-amex')).toEqual([]);
    });

    it('CNP: the strictly necessary cookies are exempt, the rest needs consent, its consent cookies are not said', () => {
      expect(consentRules('cnp-monespaceclient')).toEqual([
        ['strictly-necessary', 'exempt'],
        ['all', 'required'],
        ['consent', 'unspecified'],
      ]);
      const cnp = catalogues.find((c) => c.id === 'cnp-monespaceclient')!;
      expect(cnp.consentRules![1]!.provenance.excerpt).toContain(
        'accepter ou de refuser l’installation des cookies qui nécessitent votre consentement',
      );
      // "comme" gives the necessary cookies as an example: the reading is explained.
      expect(cnp.consentRules![1]!.notes?.join(' ')).toMatch(/comme/);
    });

    it('the Extranet: its navigation cookies are exempt; it names none that need consent', () => {
      expect(consentRules('europ-assistance-extranet-partenaires')).toEqual([
        ['strictly-necessary', 'exempt'],
        ['functional', 'exempt'],
      ]);
      expect(
        catalogues.find((c) => c.id === 'europ-assistance-extranet-partenaires')!.consentRules![0]!.provenance.excerpt,
      ).toContain('d’autres cookies sont exemptés de consentement');
    });

    it('Opendatasoft: its three cookies, listed as strictly necessary and impossible to turn off, are exempt', () => {
      expect(consentRules('assurance-maladie-opendatasoft')).toEqual([['strictly-necessary', 'exempt']]);
      expect(entryBases('assurance-maladie-opendatasoft')).toEqual([
        ['sessionid', 'exempt'],
        ['django-language', 'exempt'],
        ['csrf-token', 'exempt'],
      ]);
    });

    it('ASSU2000: says nothing of consent, so declares nothing and says the regulator’s rule decides', () => {
      const assu = catalogues.find((c) => c.id === 'assu2000-protection-donnees')!;
      expect(assu.consentRules).toBeUndefined();
      expect(assu.notes?.at(-1)).toMatch(/regulator's rule decides/);
    });
  });
});
