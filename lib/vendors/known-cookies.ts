import type { Category, DeclaredLifetime, ParsedLifetime, Storage } from '../catalogue/schema';
import { describeLifetime, parseLifetime } from '../audit/lifetime';
import { fitsPieces, variantFolded } from '../audit/matching';
import { sayIn, t, type Language } from '../strings';

/**
 * Common cookies and storage keys as their vendors document them: the default lifetime the vendor's code sets, where
 * the name lives, and the page that says so. This is the vendor's documentation, never the site's declaration: a site
 * may configure other lifetimes, and only its policy says what it declares.
 */
export const VENDOR_DOCUMENTATION_NOTE =
  "Vendor documentation of the default behaviour, not the site's declaration: the site may have configured it otherwise.";

export interface KnownCookie {
  /** `*` stands for any run of characters, as in catalogue patterns. */
  pattern: string;
  vendor: string;
  category: Category;
  storage: Storage;
  /** The documented default lifetime. */
  lifetime: DeclaredLifetime;
  documentation: string;
  /** What else the documentation says about the lifetime (renewal, maximum…). */
  detail?: string;
  source: 'vendor-documentation';
  note: typeof VENDOR_DOCUMENTATION_NOTE;
}

const row = (
  pattern: string,
  vendor: string,
  category: Category,
  storage: Storage,
  lifetime: string,
  documentation: string,
  detail?: string,
): KnownCookie => ({
  pattern,
  vendor,
  category,
  storage,
  lifetime: { text: lifetime, parsed: parseLifetime(lifetime) },
  documentation,
  ...(detail ? { detail } : {}),
  source: 'vendor-documentation',
  note: VENDOR_DOCUMENTATION_NOTE,
});

const MATOMO = 'https://matomo.org/faq/general/faq_146/';
const PIWIK_PRO = 'https://help.piwik.pro/support/privacy/cookies-created-by-piwik-pro/';
const GA4 = 'https://support.google.com/analytics/answer/11397207';
const GA_UNIVERSAL = 'https://developers.google.com/analytics/devguides/collection/analyticsjs/cookie-usage';
const GOOGLE_ADS = 'https://business.safety.google/adscookies/';
const META = 'https://www.facebook.com/policy/cookies/';
const HOTJAR = 'https://help.hotjar.com/hc/en-us/articles/6952777582999-Cookies-Set-by-the-Hotjar-Tracking-Code';
const CLARITY = 'https://learn.microsoft.com/en-us/clarity/setup-and-installation/cookie-list';
const CLARITY_EXPIRY =
  'The cookie list names the cookie and its purpose; the expiry is the one Clarity sets by default, not shown on that page.';
const APP_INSIGHTS = 'https://learn.microsoft.com/en-us/azure/azure-monitor/app/javascript-sdk-configuration';
const APPDYNAMICS = 'https://docs.appdynamics.com/appd/22.x/latest/en/end-user-monitoring/eum-data';
const AZURE_ARR = 'https://learn.microsoft.com/en-us/azure/app-service/configure-common';
const ASPNET_SESSION = 'https://learn.microsoft.com/en-us/previous-versions/aspnet/ms178581(v=vs.100)';
const ASPNET_ANONYMOUS =
  'https://learn.microsoft.com/en-us/dotnet/api/system.web.configuration.anonymousidentificationsection.cookietimeout';
const ASPNETCORE_SESSION = 'https://learn.microsoft.com/en-us/aspnet/core/fundamentals/app-state';
const ASPNETCORE_ANTIFORGERY = 'https://learn.microsoft.com/en-us/aspnet/core/security/anti-request-forgery';
const SERVLET =
  'https://jakarta.ee/specifications/servlet/6.0/apidocs/jakarta.servlet/jakarta/servlet/sessioncookieconfig';
const DJANGO = 'https://docs.djangoproject.com/en/stable/ref/settings/';
const PHP = 'https://www.php.net/manual/en/session.configuration.php#ini.session.cookie-lifetime';
const COMMANDERS_ACT = 'https://doc.commandersact.com/configure/cookies';
const ONETRUST = 'https://my.onetrust.com/articles/en_US/Knowledge/UUID-2dc719a8-4be5-8d16-1dc8-c7b4147b88e0';
const ONETRUST_EXPIRY = 'The consent lifetime is configurable in OneTrust; one year is its default.';
const COOKIEBOT = 'https://support.cookiebot.com/hc/en-us/community/posts/360008683879-Duration-of-CookieConsent-2020';
const DIDOMI = 'https://developers.didomi.io/cmp/web-sdk/consent-notice/cookies';
const DIDOMI_RECOLLECT = 'https://developers.didomi.io/cmp/web-sdk/consent-notice/notice/behavior';
const AXEPTIO = 'https://support.axeptio.eu/en/articles/274085-what-cookies-does-axeptio-set';
const DYDU = 'https://github.com/Do-you-dream-up/CV5/blob/master/src/tools/storage.js';

export const KNOWN_COOKIES: readonly KnownCookie[] = [
  row(
    '_pk_id.*',
    'Matomo',
    'audience-measurement',
    'cookie',
    '13 months',
    MATOMO,
    'Set as _pk_id.<siteId>.<domainHash>.',
  ),
  row('_pk_ses.*', 'Matomo', 'audience-measurement', 'cookie', '30 minutes', MATOMO),
  row('_pk_ref.*', 'Matomo', 'audience-measurement', 'cookie', '6 months', MATOMO),
  row('_pk_cvar.*', 'Matomo', 'audience-measurement', 'cookie', '30 minutes', MATOMO),
  row('_pk_hsr.*', 'Matomo', 'audience-measurement', 'cookie', '30 minutes', MATOMO),
  row('mtm_consent', 'Matomo', 'consent', 'cookie', '30 years', MATOMO),
  row('mtm_consent_removed', 'Matomo', 'consent', 'cookie', '30 years', MATOMO),
  row(
    '_pk_id.*',
    'Piwik PRO',
    'audience-measurement',
    'cookie',
    '13 months',
    PIWIK_PRO,
    'Set as _pk_id.<appID>.<domainHash>; not extended.',
  ),
  row(
    '_pk_ses.*',
    'Piwik PRO',
    'audience-measurement',
    'cookie',
    '30 minutes',
    PIWIK_PRO,
    'Extended automatically while the visit goes on.',
  ),
  row('ppms_privacy_*', 'Piwik PRO', 'consent', 'cookie', '12 months', PIWIK_PRO),
  row('ppms_privacy_bar_*', 'Piwik PRO', 'consent', 'cookie', 'session', PIWIK_PRO),
  row('stg_traffic_source_priority', 'Piwik PRO', 'audience-measurement', 'cookie', '30 minutes', PIWIK_PRO),
  row('stg_last_interaction', 'Piwik PRO', 'audience-measurement', 'cookie', '365 days', PIWIK_PRO),
  row('stg_returning_visitor', 'Piwik PRO', 'audience-measurement', 'cookie', '365 days', PIWIK_PRO),
  row('stg_externalReferrer', 'Piwik PRO', 'audience-measurement', 'cookie', 'session', PIWIK_PRO),
  row('stg_utm_campaign', 'Piwik PRO', 'audience-measurement', 'cookie', 'session', PIWIK_PRO),
  row('stg_pk_campaign', 'Piwik PRO', 'audience-measurement', 'cookie', 'session', PIWIK_PRO),
  row('stg_fired_*', 'Piwik PRO', 'audience-measurement', 'cookie', 'session', PIWIK_PRO),
  row(
    'ppms_webstorage',
    'Piwik PRO',
    'performance',
    'localStorage',
    'persistent',
    PIWIK_PRO,
    'A localStorage key of the Piwik PRO tracker (no expiry); the cookie page we read does not list it.',
  ),
  row('_ga', 'Google Analytics', 'audience-measurement', 'cookie', '2 years', GA4),
  row('_ga_*', 'Google Analytics', 'audience-measurement', 'cookie', '2 years', GA4, 'Set as _ga_<container-id>.'),
  row('_gid', 'Google Analytics', 'audience-measurement', 'cookie', '24 hours', GA_UNIVERSAL),
  row('_gat', 'Google Analytics', 'audience-measurement', 'cookie', '1 minute', GA_UNIVERSAL),
  row('_gat_*', 'Google Analytics', 'audience-measurement', 'cookie', '1 minute', GA_UNIVERSAL),
  row('_dc_gtm_*', 'Google Analytics', 'audience-measurement', 'cookie', '1 minute', GA_UNIVERSAL),
  row('_gac_*', 'Google Analytics', 'advertising', 'cookie', '90 days', GA_UNIVERSAL),
  row('_gcl_au', 'Google Ads', 'advertising', 'cookie', '90 days', GOOGLE_ADS),
  row('_gcl_aw', 'Google Ads', 'advertising', 'cookie', '90 days', GOOGLE_ADS),
  row('_gcl_dc', 'Google Ads', 'advertising', 'cookie', '90 days', GOOGLE_ADS),
  row('_fbp', 'Meta', 'advertising', 'cookie', '90 days', META),
  row('_fbc', 'Meta', 'advertising', 'cookie', '90 days', META),
  row('fr', 'Meta', 'advertising', 'cookie', '90 days', META),
  row(
    '_hjSessionUser_*',
    'Hotjar',
    'audience-measurement',
    'cookie',
    '365 days',
    HOTJAR,
    'Set as _hjSessionUser_{site_id}.',
  ),
  row('_hjSession_*', 'Hotjar', 'audience-measurement', 'cookie', '30 minutes', HOTJAR, 'Set as _hjSession_{site_id}.'),
  row('_hjAbsoluteSessionInProgress', 'Hotjar', 'audience-measurement', 'cookie', '30 minutes', HOTJAR),
  row('_clck', 'Microsoft Clarity', 'audience-measurement', 'cookie', '1 year', CLARITY, CLARITY_EXPIRY),
  row('_clsk', 'Microsoft Clarity', 'audience-measurement', 'cookie', '1 day', CLARITY, CLARITY_EXPIRY),
  row('CLID', 'Microsoft Clarity', 'audience-measurement', 'cookie', '1 year', CLARITY, CLARITY_EXPIRY),
  row('MUID', 'Microsoft', 'advertising', 'cookie', '1 year', CLARITY, 'Identifies browsers across Microsoft sites.'),
  row(
    'ai_user',
    'Microsoft Application Insights',
    'audience-measurement',
    'cookie',
    '1 year',
    APP_INSIGHTS,
    'Identifies a returning user.',
  ),
  row(
    'ai_session',
    'Microsoft Application Insights',
    'audience-measurement',
    'cookie',
    '30 minutes to 24 hours',
    APP_INSIGHTS,
    'One session: renewed after 30 minutes of inactivity (sessionRenewalMs), 24 hours at most (sessionExpirationMs).',
  ),
  row(
    'ADRUM_BT*',
    'AppDynamics',
    'performance',
    'cookie',
    '30 seconds',
    APPDYNAMICS,
    'Set by the server agent to correlate the page with its business transaction; expires 30 seconds after being set.',
  ),
  row(
    'ADRUM',
    'AppDynamics',
    'performance',
    'cookie',
    '',
    APPDYNAMICS,
    'A short-lived cookie of the JavaScript agent; no duration read in the documentation.',
  ),
  row('ARRAffinity', 'Microsoft Azure App Service', 'strictly-necessary', 'cookie', 'session', AZURE_ARR),
  row('ARRAffinitySameSite', 'Microsoft Azure App Service', 'strictly-necessary', 'cookie', 'session', AZURE_ARR),
  row('ASP.NET_SessionId', 'Microsoft ASP.NET', 'strictly-necessary', 'cookie', 'session', ASPNET_SESSION),
  row(
    '.ASPXANONYMOUS',
    'Microsoft ASP.NET',
    'functional',
    'cookie',
    '100000 minutes',
    ASPNET_ANONYMOUS,
    'About 69 days (cookieTimeout 69.10:40:00), sliding: renewed on requests once less than half remains.',
  ),
  row('.AspNetCore.Session', 'Microsoft ASP.NET Core', 'strictly-necessary', 'cookie', 'session', ASPNETCORE_SESSION),
  row(
    '.AspNetCore.Antiforgery.*',
    'Microsoft ASP.NET Core',
    'security',
    'cookie',
    'session',
    ASPNETCORE_ANTIFORGERY,
    'The suffix is generated per application.',
  ),
  row(
    'JSESSIONID',
    'Java Servlet container',
    'strictly-necessary',
    'cookie',
    'session',
    SERVLET,
    'Session tracking cookie; max-age -1 (until the browser closes) unless configured.',
  ),
  row(
    'sessionid',
    'Django',
    'strictly-necessary',
    'cookie',
    '2 weeks',
    DJANGO,
    'SESSION_COOKIE_AGE = 1209600 seconds.',
  ),
  row('csrftoken', 'Django', 'security', 'cookie', '52 weeks', DJANGO, 'CSRF_COOKIE_AGE = 31449600 seconds.'),
  row(
    'django_language',
    'Django',
    'functional',
    'cookie',
    'session',
    DJANGO,
    'LANGUAGE_COOKIE_AGE = None: a session cookie.',
  ),
  row(
    'PHPSESSID',
    'PHP',
    'strictly-necessary',
    'cookie',
    'session',
    PHP,
    'session.cookie_lifetime = 0: until the browser is closed.',
  ),
  row('TC_PRIVACY', 'TagCommander (Commanders Act)', 'consent', 'cookie', '396 days', COMMANDERS_ACT),
  row('TC_PRIVACY_CENTER', 'TagCommander (Commanders Act)', 'consent', 'cookie', '396 days', COMMANDERS_ACT),
  row(
    'TCID',
    'TagCommander (Commanders Act)',
    'audience-measurement',
    'cookie',
    '365 days',
    COMMANDERS_ACT,
    'Set on .commander1.com.',
  ),
  row('TCPID', 'TagCommander (Commanders Act)', 'audience-measurement', 'cookie', '365 days', COMMANDERS_ACT),
  row(
    'WID',
    'TagCommander (Commanders Act)',
    'audience-measurement',
    'cookie',
    'session',
    COMMANDERS_ACT,
    'Set on .commander1.com.',
  ),
  row('CAID', 'TagCommander (Commanders Act)', 'audience-measurement', 'cookie', '365 days', COMMANDERS_ACT),
  row('OptanonConsent', 'OneTrust', 'consent', 'cookie', '1 year', ONETRUST, ONETRUST_EXPIRY),
  row('OptanonAlertBoxClosed', 'OneTrust', 'consent', 'cookie', '1 year', ONETRUST, ONETRUST_EXPIRY),
  row('CookieConsent', 'Cookiebot', 'consent', 'cookie', '12 months', COOKIEBOT),
  row(
    'didomi_token',
    'Didomi',
    'consent',
    'cookie',
    '13 months',
    DIDOMI,
    'Also kept in localStorage; consent is collected again after 13 months (' + DIDOMI_RECOLLECT + ').',
  ),
  row(
    'euconsent-v2',
    'Didomi',
    'consent',
    'cookie',
    '13 months',
    DIDOMI,
    'The IAB TCF consent string; consent is collected again after 13 months.',
  ),
  row(
    'axeptio_cookies',
    'Axeptio',
    'consent',
    'cookie',
    '6 months',
    AXEPTIO,
    'userCookiesDuration, 6 months by default.',
  ),
  row('axeptio_authorized_vendors', 'Axeptio', 'consent', 'cookie', '6 months', AXEPTIO),
  row('axeptio_all_vendors', 'Axeptio', 'consent', 'cookie', '6 months', AXEPTIO),
  row(
    'DYDU_clientId_*',
    'DoYouDreamUp',
    'support-chat',
    'localStorage',
    'persistent',
    DYDU,
    'localStorage key DYDU_clientId_<botId>_<space>_<locale>, no expiry.',
  ),
  row('DYDU_lastvisitfor_*', 'DoYouDreamUp', 'support-chat', 'localStorage', 'persistent', DYDU),
  row(
    'dydu.*',
    'DoYouDreamUp',
    'support-chat',
    'localStorage',
    'persistent',
    DYDU,
    'Mostly localStorage keys (dydu.client, dydu.context…); the few real cookies it sets (dydu.locale) default to 10 minutes.',
  ),
];

type Fold = (text: string) => string;
const FOLDS: readonly Fold[] = [(text) => text, (text) => text.toLowerCase(), variantFolded];

/**
 * Every documented row a name matches, at the best tier of the catalogue matcher (lib/audit/matching.ts): as printed, then
 * ignoring case, then folding spelling variants; within a tier an exact name before patterns, longer literal starts
 * first. Several rows can match (Matomo and Piwik PRO both set `_pk_id.*`).
 */
export function knownCookies(name: string): KnownCookie[] {
  for (const fold of FOLDS) {
    const key = fold(name);
    const exact = KNOWN_COOKIES.filter((known) => !known.pattern.includes('*') && fold(known.pattern) === key);
    if (exact.length > 0) return exact;
    const fitting = KNOWN_COOKIES.filter((known) => {
      const pieces = known.pattern.split('*').map(fold);
      return pieces.length > 1 && fitsPieces(key, pieces);
    });
    if (fitting.length > 0) {
      const start = (known: KnownCookie) => known.pattern.indexOf('*');
      const longest = Math.max(...fitting.map(start));
      return fitting.filter((known) => start(known) === longest);
    }
  }
  return [];
}

/** The first documented row for a name, or null. */
export function knownCookie(name: string): KnownCookie | null {
  return knownCookies(name)[0] ?? null;
}

/** A declared lifetime more than this many times shorter or longer than the documented one contradicts it. */
export const CONTRADICTION_FACTOR = 2;
/** A declared maximum the documented default exceeds by more than this share contradicts it (as findings' tolerance). */
export const MAXIMUM_TOLERANCE = 0.05;

type Bounds =
  { kind: 'session' } | { kind: 'persistent' } | { kind: 'span'; min: number; max: number; maximum: boolean };

function bounds(lifetime: ParsedLifetime): Bounds | null {
  switch (lifetime.kind) {
    case 'session':
      return { kind: 'session' };
    case 'persistent':
      return { kind: 'persistent' };
    case 'duration':
      return { kind: 'span', min: lifetime.seconds, max: lifetime.seconds, maximum: lifetime.maximum };
    case 'range':
      return { kind: 'span', min: lifetime.minSeconds, max: lifetime.maxSeconds, maximum: true };
    case 'unknown':
      return null;
  }
}

function compare(declared: Bounds, documented: Bounds): boolean {
  if (documented.kind === 'session') return declared.kind !== 'session';
  if (documented.kind === 'persistent') return declared.kind === 'session';
  if (declared.kind === 'session') return true;
  if (declared.kind === 'persistent') return false;
  if (declared.maximum)
    return (
      documented.max > declared.max * (1 + MAXIMUM_TOLERANCE) || declared.max < documented.min / CONTRADICTION_FACTOR
    );
  return declared.max > documented.max * CONTRADICTION_FACTOR || declared.max < documented.min / CONTRADICTION_FACTOR;
}

/**
 * Whether a declared lifetime contradicts the vendor's documented default (for the `vendor-default-contradiction`
 * finding): a session declared for a cookie the vendor keeps (or the reverse), a declared duration more than twice as
 * long or less than half as long as the documented one, or a declared maximum the documented default exceeds.
 * Unknown lifetimes on either side contradict nothing.
 */
export function vendorDefaultContradiction(
  entryLifetime: ParsedLifetime,
  known: KnownCookie,
): { contradicts: boolean; explanation: { fr: string; en: string } } {
  const declared = bounds(entryLifetime);
  const documented = bounds(known.lifetime.parsed);
  const inBoth = (words: (language: Language) => string) => ({ fr: words('fr'), en: words('en') });
  if (!declared || !documented) {
    return {
      contradicts: false,
      explanation: inBoth((language) =>
        t(
          language,
          'vendorCannotCompare',
          !declared
            ? t(language, 'vendorCannotCompareNoDeclared')
            : t(language, 'vendorCannotCompareNoDocumented', known.vendor),
          known.pattern,
        ),
      ),
    };
  }
  const contradicts = compare(declared, documented);
  const compared = (language: Language) =>
    t(
      language,
      known.detail ? 'vendorComparedDetail' : 'vendorCompared',
      describeLifetime(entryLifetime, sayIn(language)),
      known.pattern,
      known.vendor,
      describeLifetime(known.lifetime.parsed, sayIn(language)),
      known.detail ?? '',
    );
  return {
    contradicts,
    explanation: inBoth((language) =>
      contradicts
        ? t(language, 'vendorContradicts', compared(language), known.documentation)
        : t(language, 'vendorNoContradiction', compared(language)),
    ),
  };
}
