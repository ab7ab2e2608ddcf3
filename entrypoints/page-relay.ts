import { browser } from 'wxt/browser';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { installPageRelay } from '../lib/observation/page-relay';

// The page hook's other half: same frames, isolated world, forwards its batches to the background. Registered with
// the hook by the background in audit mode (lib/background/page-hook-scripts.ts), as an unlisted script rather than a
// WXT content script: WXT's content-script context announces itself to every page (a window message and a DOM event
// named with the extension's id), which pages would see, and could use to recognise Cookie Lens and behave
// differently while it watches.
export default defineUnlistedScript({
  globalName: false,
  main() {
    installPageRelay(window, (message) => browser.runtime.sendMessage(message));
  },
});
