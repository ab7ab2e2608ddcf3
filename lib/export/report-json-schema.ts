import { toJsonSchema } from '@valibot/to-json-schema';
import { AuditReportSchema, REPORT_FORMAT_VERSION } from './report-schema';

/**
 * The report format as JSON Schema (docs/report.schema.json), for tools other than Cookie Lens. Kept apart from
 * report-schema.ts so that the extension's pages, which need only the valibot schema, do not bundle the converter.
 */
export function reportJsonSchema(): Record<string, unknown> {
  const schema = toJsonSchema(AuditReportSchema, {
    target: 'draft-2020-12',
    ignoreActions: ['check', 'trim', 'finite'],
  });
  return {
    ...schema,
    $id: `https://cookie-lens.dev/schema/report-v${REPORT_FORMAT_VERSION}.json`,
    title: 'Cookie Lens audit report',
    description:
      'One or more visits to a site, checked against the cookie policies that apply to it (docs/report-format.md). ' +
      'A report never holds a cookie value. Times are UTC, as JavaScript’s toISOString writes them.',
  };
}

export function reportJsonSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}
