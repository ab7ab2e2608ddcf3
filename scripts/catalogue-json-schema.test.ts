import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { catalogueJsonSchema } from './catalogue-json-schema';

it('docs/catalogue.schema.json is the JSON Schema of the current format (run `npm run schema` after a change)', () => {
  const committed = JSON.parse(readFileSync(new URL('../docs/catalogue.schema.json', import.meta.url), 'utf8'));
  expect(committed).toEqual(catalogueJsonSchema());
  expect(committed.required).toEqual(expect.arrayContaining(['id', 'publisher', 'entries', 'rules', 'sites']));
});
