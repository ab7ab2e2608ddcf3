import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { openHookChannel } from '../lib/observation/page-channel';
import { installPageHook, type PageHook } from '../lib/observation/page-hook';

// Runs in the page's own world, before any page script, in every frame (about:blank, srcdoc, data: and blob:
// frames included), so it sees the page's writes; it has no extension API and hands its batches to page-relay.
// Audit mode only: the background registers it, with its relay, while the setting is on
// (lib/background/page-hook-scripts.ts).
export default defineUnlistedScript({
  // No `var pageHook = …` on the page's window.
  globalName: false,
  main() {
    let hook: PageHook | undefined;
    // Reports made before the relay answers wait in the hook; they go as soon as it does.
    const channel = openHookChannel(window, () => hook?.flush());
    hook = installPageHook(window, (reports) => channel.send(reports));
  },
});
