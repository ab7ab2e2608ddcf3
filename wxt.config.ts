import { createRequire } from 'node:module';
import { defineConfig } from 'wxt';
import { FIREFOX_ADDON_ID } from './lib/firefox-addon-id';

// Entry points stay thin: they wire browser events to the domain code in lib/.
export default defineConfig({
  modules: ['@wxt-dev/module-svelte', '@wxt-dev/webextension-polyfill'],
  imports: false,
  hooks: {
    // autoconsent's rules, for the banner engine: a file the background fetches when the engine is first needed, rather
    // than 700 kB parsed with the background's bundle on every wake (lib/background/consent-banner.ts).
    'build:publicAssets': (_wxt, files) => {
      files.push({
        absoluteSrc: createRequire(import.meta.url).resolve('@duckduckgo/autoconsent/rules/rules.json'),
        relativeDest: 'autoconsent-rules.json',
      });
    },
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extensionName__',
    description: '__MSG_extensionDescription__',
    default_locale: 'en',
    permissions: ['cookies', 'webRequest', 'webNavigation', 'tabs', 'alarms', 'storage', 'scripting'],
    host_permissions: ['<all_urls>'],
    options_ui: { page: 'dashboard.html', open_in_tab: true },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: FIREFOX_ADDON_ID,
              strict_min_version: '140.0',
              // web-ext lint asks for it.
              data_collection_permissions: { required: ['none'] },
            },
            // data_collection_permissions came to Firefox 140 and to Firefox for Android 142 (ESR 128 is out of support).
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
