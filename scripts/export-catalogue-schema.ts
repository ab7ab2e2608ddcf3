import { writeFileSync } from 'node:fs';
import { catalogueJsonSchema } from './catalogue-json-schema';

const target = new URL('../docs/catalogue.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(catalogueJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
