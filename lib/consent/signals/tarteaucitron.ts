import { choiceOf, decoded, malformed, platformIds, type Decoded } from './reading';

/**
 * tarteaucitron: `!gtag=true!facebook=false!youtube=wait`, one service per `!`, each allowed (`true`), refused
 * (`false`) or not answered yet (`wait`). The services are the site's own choice of names: kept as the platform's.
 */
export function decodeTarteaucitron(value: string): Decoded {
  const allowed: string[] = [];
  let refused = 0;
  let waiting = 0;
  for (const part of value.split('!')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    if (equals <= 0) return malformed;
    const state = part.slice(equals + 1);
    if (state === 'true') allowed.push(part.slice(0, equals));
    else if (state === 'false') refused++;
    else if (state === 'wait') waiting++;
    else return malformed;
  }
  // A service still waiting is not allowed: beside allowed ones it makes the acceptance partial; alone, no choice.
  const choice = allowed.length > 0 ? choiceOf(allowed.length, refused + waiting) : choiceOf(0, refused);
  return decoded({
    choice,
    granted: null,
    purposes: null,
    platformCategories: choice === 'accepted-part' || choice === 'accepted-all' ? platformIds(allowed) : null,
  });
}
