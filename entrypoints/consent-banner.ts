import { browser } from 'wxt/browser';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { runBannerEngine } from '../lib/consent/banner-engine-client';

// The banner engine (autoconsent), isolated world, every frame, from document_start: not in the manifest, registered by
// the background (lib/background/consent-banner.ts) only while the answerBanners setting or an audit needs it. An
// unlisted script rather than a WXT content script, for the reason page-relay.ts gives: WXT's content-script context
// announces itself to the page.
export default defineUnlistedScript(() => {
  runBannerEngine((message) => browser.runtime.sendMessage(message));
});
