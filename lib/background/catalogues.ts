import * as v from 'valibot';
import { bundledCatalogues } from '../catalogue/bundled';
import { validateCatalogue, type Catalogue } from '../catalogue/schema';
import type { SiteBinding } from '../catalogue/sites';
import type { Language } from '../i18n';
import type { CatalogueListing, ErrorResponse, Response } from '../messages';
import type { Db } from '../storage/db';
import { getSetting, putSetting } from '../storage/queries';
import { t } from '../strings';

const BindingsSchema = v.array(v.object({ site: v.string(), catalogueId: v.string() }));

/**
 * The catalogues (the bundled ones, and those imported, stored in IndexedDB) and the sites each is bound to. Every
 * change is written before it is kept in memory.
 */
export class CatalogueStore {
  all: Catalogue[] = bundledCatalogues();
  bindings: SiteBinding[] = [];
  private imported = new Map<string, number>();

  constructor(private readonly db: () => Promise<Db>) {}

  /** Reads the bindings and the imported catalogues, on waking. */
  async load(database: Db): Promise<void> {
    this.bindings = await getSetting(database, 'bindings', [], BindingsSchema);
    await this.loadImported(database);
  }

  listing(): CatalogueListing {
    return {
      catalogues: this.all.map((catalogue) => ({
        catalogue,
        origin: this.imported.has(catalogue.id) ? 'imported' : 'bundled',
        importedAt: this.imported.get(catalogue.id) ?? null,
      })),
      bindings: this.bindings,
    };
  }

  /** Validates a catalogue file whole; a bad one changes nothing and says what is wrong. */
  async import(text: string, language: Language): Promise<Response<'import-catalogue'>> {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return {
        ok: false,
        error: `The file is not JSON: ${error instanceof Error ? error.message : String(error)}`,
        issues: [],
      };
    }
    const result = validateCatalogue(data, language);
    if (!result.ok)
      return {
        ok: false,
        error: `The file is not a valid catalogue (${result.total} problem(s)).`,
        issues: result.issues,
        total: result.total,
      };
    const { catalogue, upgradedFrom } = result;
    if (bundledCatalogues().some((c) => c.id === catalogue.id)) {
      return {
        ok: false,
        error: `A bundled catalogue already has the id "${catalogue.id}": give the imported one another id.`,
        issues: [{ path: 'id', message: t(language, 'problem_idOfBundledCatalogue') }],
      };
    }
    const database = await this.db();
    const replaced = this.imported.has(catalogue.id);
    await database.put('catalogues', { id: catalogue.id, importedAt: Date.now(), catalogue });
    await this.loadImported(database);
    return upgradedFrom === undefined
      ? { ok: true, id: catalogue.id, replaced }
      : { ok: true, id: catalogue.id, replaced, upgradedFrom };
  }

  async remove(id: string): Promise<Response<'remove-catalogue'> | ErrorResponse> {
    if (!this.imported.has(id)) return { ok: false, error: `no imported catalogue has the id "${id}"` };
    const database = await this.db();
    await database.delete('catalogues', id);
    await this.saveBindings(this.bindings.filter((b) => b.catalogueId !== id));
    await this.loadImported(database);
    return { ok: true };
  }

  async bind(site: string, catalogueId: string): Promise<Response<'bind-catalogue'> | ErrorResponse> {
    if (!this.all.some((c) => c.id === catalogueId))
      return { ok: false, error: `no catalogue has the id "${catalogueId}"` };
    const others = this.bindings.filter((b) => b.site !== site || b.catalogueId !== catalogueId);
    await this.saveBindings([...others, { site, catalogueId }]);
    return { ok: true };
  }

  async unbind(site: string, catalogueId: string): Promise<Response<'unbind-catalogue'>> {
    await this.saveBindings(this.bindings.filter((b) => b.site !== site || b.catalogueId !== catalogueId));
    return { ok: true };
  }

  /**
   * Reads the stored catalogues as the import does: one saved in an older format version is upgraded in memory and
   * stays stored as it was, so nothing a person saved is lost, and an older Cookie Lens could still read it.
   */
  private async loadImported(database: Db): Promise<void> {
    const records = await database.getAll('catalogues');
    const valid = records.flatMap((record) => {
      const checked = validateCatalogue(record.catalogue);
      return checked.ok ? [{ catalogue: checked.catalogue, importedAt: record.importedAt }] : [];
    });
    this.imported = new Map(valid.map(({ catalogue, importedAt }) => [catalogue.id, importedAt]));
    this.all = [...bundledCatalogues(), ...valid.map(({ catalogue }) => catalogue)];
  }

  private async saveBindings(next: SiteBinding[]): Promise<void> {
    await putSetting(await this.db(), 'bindings', next);
    this.bindings = next;
  }
}
