/**
 * HTML built by a tagged template that escapes every interpolated value: data (cookie names, domains, policy text,
 * URLs) enters a page only through `escapeHtml`, and only markup written in a template literal stays markup.
 */
export class Markup {
  constructor(readonly text: string) {}
}

export type Part = Markup | string | number | boolean | null | undefined | readonly Part[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

function render(part: Part): string {
  if (part instanceof Markup) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Markup {
  let text = strings[0]!;
  parts.forEach((part, i) => (text += render(part) + strings[i + 1]!));
  return new Markup(text);
}

/** Only web addresses become links: a catalogue could hold a `javascript:` URL. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url);
}
