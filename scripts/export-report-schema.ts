import { writeFileSync } from 'node:fs';
import { reportJsonSchemaText } from '../lib/export/report-json-schema';

const target = new URL('../docs/report.schema.json', import.meta.url);
writeFileSync(target, reportJsonSchemaText());
console.log(`wrote ${target.pathname}`);
