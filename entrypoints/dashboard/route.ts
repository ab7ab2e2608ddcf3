/** The dashboard's places, in the address's fragment so that each can be linked to, reloaded and printed. */
export type Route =
  | { view: 'catalogues' }
  | { view: 'catalogue'; id: string }
  | { view: 'history' }
  | { view: 'visit'; id: string }
  | { view: 'settings' };

export function parseRoute(hash: string): Route {
  const fragment = hash.replace(/^#/, '');
  const [name = '', value = ''] = fragment.split('=', 2);
  const id = decodeURIComponent(value);
  if (name === 'visit' && id) return { view: 'visit', id };
  if (name === 'catalogue' && id) return { view: 'catalogue', id };
  if (name === 'history' || name === 'settings') return { view: name };
  return { view: 'catalogues' };
}

export const hrefOf = {
  visit: (id: string) => `#visit=${encodeURIComponent(id)}`,
  catalogue: (id: string) => `#catalogue=${encodeURIComponent(id)}`,
};
