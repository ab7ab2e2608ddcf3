import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Cookie names and policy text are hostile input: no component may hand text to the page as markup. */
const ROOTS = ['../../entrypoints/popup', '../../entrypoints/dashboard', '.'].map(
  (dir) => new URL(`${dir}/`, import.meta.url),
);

function components(): Array<[string, string]> {
  return ROOTS.flatMap((root) =>
    readdirSync(root)
      .filter((file) => file.endsWith('.svelte'))
      .map((file): [string, string] => [file, readFileSync(new URL(file, root), 'utf8')]),
  );
}

describe('the interface’s components', () => {
  it('are there to check', () => {
    expect(components().length).toBeGreaterThan(10);
  });

  it('never render raw HTML nor set innerHTML', () => {
    for (const [file, source] of components()) {
      expect(source, file).not.toMatch(/\{@html/);
      expect(source, file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML/);
    }
  });

  it('link a policy’s address only once it is known to be a web address', () => {
    for (const [file, source] of components()) {
      expect(source.match(/href=\{[^}]*policy\.url\}/g)?.length ?? 0, file).toBe(
        source.match(/\{#if [^}]*isWebUrl\([^}]*\}[^{]*<a\s+href=\{[^}]*policy\.url\}/g)?.length ?? 0,
      );
    }
  });

  it('use runes only: no legacy reactive statements or exported props', () => {
    for (const [file, source] of components()) {
      expect(source, file).not.toMatch(/^\s*\$:/m);
      expect(source, file).not.toMatch(/export let /);
    }
  });
});
