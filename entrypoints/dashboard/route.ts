/** The dashboard's places, in the address's fragment so that each can be linked to, reloaded and printed. */
export type Route =
  | { view: 'catalogues' }
  | { view: 'catalogue'; id: string }
  | { view: 'history' }
  | { view: 'visit'; id: string }
  | { view: 'settings' }
  /** An address that leads nowhere (an unknown place, a broken escape): said so, rather than a blank page. */
  | { view: 'unknown'; address: string };

export function parseRoute(hash: string): Route {
  const fragment = hash.replace(/^#/, '');
  if (fragment === '') return { view: 'catalogues' };
  const [name = '', value = ''] = fragment.split('=', 2);
  let id: string;
  try {
    id = decodeURIComponent(value);
  } catch {
    return { view: 'unknown', address: fragment };
  }
  if (name === 'visit' && id) return { view: 'visit', id };
  if (name === 'catalogue' && id) return { view: 'catalogue', id };
  if ((name === 'catalogues' || name === 'history' || name === 'settings') && !fragment.includes('='))
    return { view: name };
  return { view: 'unknown', address: fragment };
}

export const hrefOf = {
  visit: (id: string) => `#visit=${encodeURIComponent(id)}`,
  catalogue: (id: string) => `#catalogue=${encodeURIComponent(id)}`,
};
