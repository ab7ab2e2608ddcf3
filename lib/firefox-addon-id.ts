/** The add-on's id in Firefox (`browser_specific_settings.gecko.id`): fixed, so that tests can pin its moz-extension UUID. */
export const FIREFOX_ADDON_ID = 'cookie-lens@cookie-lens.dev';
