import * as v from 'valibot';
import amex from './bundled/europ-assistance-amex.json';
import extranet from './bundled/europ-assistance-extranet-partenaires.json';
import ameli from './bundled/assurance-maladie-opendatasoft.json';
import assu2000 from './bundled/assu2000-protection-donnees.json';
import cnp from './bundled/cnp-monespaceclient.json';
import { CatalogueSchema, type Catalogue } from './schema';

/** The catalogues shipped with Cookie Lens, one per seed policy, in the order the dashboard lists them. */
const SOURCES: unknown[] = [cnp, amex, extranet, ameli, assu2000];

let parsed: Catalogue[] | undefined;

export function bundledCatalogues(): Catalogue[] {
  parsed ??= SOURCES.map((source) => v.parse(CatalogueSchema, source));
  return parsed;
}
