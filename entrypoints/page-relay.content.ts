import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { installPageRelay } from '../lib/observation/page-relay';

// The page hook's other half: same frames, isolated world, forwards its batches to the background.
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  matchOriginAsFallback: true,
  main(ctx) {
    ctx.onInvalidated(installPageRelay(document, (message) => browser.runtime.sendMessage(message)));
  },
});
