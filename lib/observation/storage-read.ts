import * as v from 'valibot';
import { webOriginOf } from './host';

/**
 * Everyday mode's account of Web Storage, without the page hook: the key names each frame's storages hold, read when
 * a report is asked for (lib/background/observation.ts). `readFrameStorage` is run by `scripting.executeScript` in
 * every frame, in the extension's isolated world, whose built-ins the page cannot replace; it reads names, never a
 * value.
 */
const MAX_KEYS = 10_000;
const MAX_NAME = 4096;

/** What a frame's storages hold: names only. Null where a storage cannot be read (an opaque origin, storage blocked). */
export interface FrameStorage {
  origin: string;
  localStorage: string[] | null;
  sessionStorage: string[] | null;
}

/** One storage area's key names, as the recorder takes them (`frameUrl`: the origin's root, no frame's address). */
export interface StorageFound {
  area: 'localStorage' | 'sessionStorage';
  keys: string[];
  origin: string;
  frameUrl: string;
}

/** Injected into each frame: must hold everything it uses (it is serialised, not imported). */
export function readFrameStorage(): FrameStorage {
  const keysOf = (area: 'localStorage' | 'sessionStorage'): string[] | null => {
    try {
      const storage = window[area];
      const keys: string[] = [];
      // length and key() rather than Object.keys: a key named like a Storage method is still a key.
      for (let i = 0; i < storage.length && keys.length < 10_000; i++) {
        const name = storage.key(i);
        if (name !== null) keys.push(name);
      }
      return keys;
    } catch {
      return null;
    }
  };
  return {
    origin: location.origin,
    localStorage: keysOf('localStorage'),
    sessionStorage: keysOf('sessionStorage'),
  };
}

const KeysSchema = v.nullable(v.pipe(v.array(v.pipe(v.string(), v.maxLength(MAX_NAME))), v.maxLength(MAX_KEYS)));
const FrameStorageSchema = v.object({
  origin: v.pipe(v.string(), v.maxLength(2048)),
  localStorage: KeysSchema,
  sessionStorage: KeysSchema,
});

/**
 * The storages the frames' answers tell of, each under its frame's web origin; an answer of the wrong shape, or from
 * an opaque origin (which keeps no storage), tells nothing.
 */
export function storagesFound(answers: readonly unknown[]): StorageFound[] {
  const found: StorageFound[] = [];
  for (const answer of answers) {
    const parsed = v.safeParse(FrameStorageSchema, answer);
    if (!parsed.success) continue;
    const { origin, localStorage, sessionStorage } = parsed.output;
    // The origin whose storage it is (an about:blank or srcdoc frame's is its parent's); no address of the frame is kept.
    if (webOriginOf(origin) !== origin) continue;
    const url = `${origin}/`;
    for (const [area, keys] of [
      ['localStorage', localStorage],
      ['sessionStorage', sessionStorage],
    ] as const)
      if (keys && keys.length > 0) found.push({ area, keys, origin, frameUrl: url });
  }
  return found;
}
