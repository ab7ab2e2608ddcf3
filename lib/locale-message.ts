/**
 * One entry of a locale's messages.json and how a browser fills it in. Apart from lib/strings.ts, which imports the
 * whole table, so that the popup can use it without bundling the table it gets through `browser.i18n`.
 */
export interface LocaleMessage {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
export type Messages = Record<string, LocaleMessage>;

/**
 * What browsers do with a messages.json entry: named placeholders first ($name$), then $n, and "$$" for "$". Chrome
 * reads "$3$4" as a placeholder named 3 and refuses to load an extension that does not define it.
 */
export function fillMessage(entry: LocaleMessage | undefined, substitutions: ReadonlyArray<string | number>): string {
  if (!entry) return '';
  if (!entry.message.includes('$')) return entry.message;
  const placeholders = entry.placeholders;
  const named = placeholders
    ? entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
        const found = Object.entries(placeholders).find(([n]) => n.toLowerCase() === name.toLowerCase());
        return found ? found[1].content : whole;
      })
    : entry.message;
  return named.replace(/\$(\$|[1-9])/g, (_, which: string) =>
    which === '$' ? '$' : String(substitutions[Number(which) - 1] ?? ''),
  );
}
