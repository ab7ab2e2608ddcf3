import { toJsonSchema } from '@valibot/to-json-schema';
import { CATALOGUE_FORMAT_VERSION, CatalogueSchema } from '../lib/catalogue/schema';

/**
 * The catalogue format as JSON Schema, for tools other than Cookie Lens. The checks that JSON Schema cannot say
 * (unique entry ids, `unnamed` agreeing with `names`, line ranges in order) are listed in its description.
 */
export function catalogueJsonSchema(): Record<string, unknown> {
  const schema = toJsonSchema(CatalogueSchema, { target: 'draft-2020-12', ignoreActions: ['check', 'trim', 'finite'] });
  return {
    ...schema,
    $id: `https://cookie-lens.dev/schema/catalogue-v${CATALOGUE_FORMAT_VERSION}.json`,
    title: 'Cookie Lens catalogue',
    description:
      'One published cookie policy turned into data (docs/catalogue-format.md). Also required, beyond this schema: ' +
      'entry ids, rule ids and consent rule ids unique within the catalogue; `unnamed` true exactly when `names` is ' +
      'empty; a provenance line range that does not end before it starts; a `pattern` with a literal character and ' +
      'no "**"; a policy with an address or a document name. Cookie Lens also reads a file of format version 1 (this ' +
      'format before consent declarations) and upgrades it to version 2 as it reads it.',
  };
}
