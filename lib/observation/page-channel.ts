import { apply, getterOf, toJson } from './page-intrinsics';
import type { PageWrite } from './page-write';

/**
 * The private channel between a frame's page hook (the page's own world) and its relay (the isolated world). The
 * two share nothing but the DOM, so they talk through events dispatched on the document, and no page script may
 * see them: a page that could would know Cookie Lens is watching, and could behave differently for an auditor.
 *
 * - Each end listens on the window, in the capture phase, from document start: before any page script can listen,
 *   so its listener comes first on the event's path, and it stops the events it takes there.
 * - The ends greet each other, whichever runs first: the relay hands the hook a random key, before any page script
 *   runs. The hook marks its batches with the key, and the relay takes only batches that carry it.
 * - A page can dispatch the same event types, but cannot forge a batch, and its own events go on as if Cookie Lens
 *   were not there: an end stops only the events it takes.
 */
export const HOOK_HELLO = 'cookie-lens:hook';
export const RELAY_HELLO = 'cookie-lens:relay';
export const REPORTS_EVENT = 'cookie-lens:reports';

export interface HookChannel {
  /** Hands a batch to the relay; false while there is no relay to take it (the hook keeps it). */
  send(reports: PageWrite[]): boolean;
}

/**
 * The hook's end; `onOpen` runs once the relay has answered. Call it before any page script runs. What it calls
 * later was captured now (page-intrinsics): the key and the batches go from the hook's own code to the relay without
 * passing through anything a page could have replaced since, and the event's init dictionary has no prototype, so
 * no getter a page put on Object.prototype reads it.
 */
export function openHookChannel(win: Window, onOpen: () => void): HookChannel {
  const doc = win.document;
  const Custom = CustomEvent;
  const dispatch = EventTarget.prototype.dispatchEvent as (event: Event) => boolean;
  const stop = Event.prototype.stopImmediatePropagation as () => void;
  const cancel = Event.prototype.preventDefault as () => void;
  const detailOf = getterOf(CustomEvent.prototype, 'detail');
  const unlisten = win.removeEventListener.bind(win);
  let key: string | null = null;

  const onRelayHello = (event: Event) => {
    if (key !== null || !detailOf) return;
    const detail = detailOf(event);
    if (typeof detail !== 'string') return;
    key = detail;
    apply(cancel, event, []); // tells the relay its greeting was taken
    apply(stop, event, []);
    unlisten(RELAY_HELLO, onRelayHello, true);
    onOpen();
  };
  win.addEventListener(RELAY_HELLO, onRelayHello, true);
  // A relay already listening answers at once (with its own greeting, which the listener above takes).
  apply(dispatch, doc, [new Custom(HOOK_HELLO, { __proto__: null, cancelable: true } as CustomEventInit)]);

  return {
    send(reports) {
      if (key === null) return false;
      const detail = '{"key":' + toJson(key) + ',"reports":' + toJson(reports) + '}';
      apply(dispatch, doc, [new Custom(REPORTS_EVENT, { __proto__: null, detail } as CustomEventInit)]);
      return true;
    },
  };
}

/** 128 random bits as hex (crypto.randomUUID exists only in secure contexts; the relay runs in http: pages too). */
export function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The relay's end: `onBatch` gets each batch's reports (unchecked: the background validates them). Call it before
 * any page script runs. Returns a function that closes it.
 */
export function openRelayChannel(win: Window, onBatch: (reports: unknown[]) => void, key = randomKey()): () => void {
  const doc = win.document;
  let greeted = false;

  const greet = () => doc.dispatchEvent(new CustomEvent(RELAY_HELLO, { detail: key, cancelable: true }));
  // The hook greets first when it runs first; it answers only the first greeting, which no page could send.
  const onHookHello = (event: Event) => {
    if (greeted) return;
    greeted = true;
    event.stopImmediatePropagation();
    greet();
  };
  const onReports = (event: Event) => {
    try {
      if (event.target !== doc) return;
      const reports = batchReports((event as CustomEvent<unknown>).detail, key);
      if (reports === null) return; // not the hook's: let the page's own event go on
      event.stopImmediatePropagation();
      onBatch(reports);
    } catch {
      // Never throw into the page's dispatch.
    }
  };
  win.addEventListener(HOOK_HELLO, onHookHello, true);
  win.addEventListener(REPORTS_EVENT, onReports, true);
  // A hook already there takes this greeting (and cancels it); otherwise the hook's own greeting comes later.
  if (!greet()) greeted = true;
  return () => {
    win.removeEventListener(HOOK_HELLO, onHookHello, true);
    win.removeEventListener(REPORTS_EVENT, onReports, true);
  };
}

/** A batch event's reports, or null when the event does not carry the key. */
export function batchReports(detail: unknown, key: string): unknown[] | null {
  if (typeof detail !== 'string') return null;
  let data: unknown;
  try {
    data = JSON.parse(detail);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { key: carried, reports } = data as { key?: unknown; reports?: unknown };
  return carried === key && Array.isArray(reports) ? (reports as unknown[]) : null;
}
