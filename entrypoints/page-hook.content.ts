import { defineContentScript } from 'wxt/utils/define-content-script';
import { installPageHook, relayPoster } from '../lib/observation/page-hook';

// Runs in the page's own world, before any page script, in every frame (about:blank, srcdoc, data: and blob:
// frames included), so it sees the page's writes; it has no extension API and hands its batches to page-relay.
export default defineContentScript({
  matches: ['<all_urls>'],
  world: 'MAIN',
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  // No `var pageHook = …` on the page's window.
  globalName: false,
  main() {
    installPageHook(window, relayPoster(document));
  },
});
