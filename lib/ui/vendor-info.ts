import { cookieDocumentation, type CookieDocumentation } from '../vendors/open-cookie-database';
import { ask } from './messaging';

/**
 * What is publicly known of a cookie no catalogue declares: the vendor's documentation (it wins), else the row of the
 * Open Cookie Database the user imported. Loaded only when a row is expanded, to keep the popup small.
 */
export async function vendorDocumentation(name: string): Promise<CookieDocumentation | null> {
  const fromVendor = cookieDocumentation(name);
  if (fromVendor) return fromVendor;
  const answer = await ask({ type: 'get-open-cookie-database', name }).catch(() => null);
  const entry = answer?.entry ?? null;
  return cookieDocumentation(name, {
    known: () => null,
    openCookieDb: entry ? { entries: [entry], problems: [] } : null,
  });
}
