import { evidenceAddress } from '../lib/observation/evidence-address';

/**
 * What the command line prints of an address: its evidence address (lib/observation/evidence-address.ts), as a report
 * keeps it. A URL's query, fragment or a value-shaped path segment can carry a session id or a token, which are cookie
 * values, and a terminal's output ends up in CI logs, bug reports and sweep folders.
 */
export function printedAddress(address: string | URL): string {
  return evidenceAddress(String(address)) ?? NOT_AN_ADDRESS;
}

/** Printed for what is not an absolute address: none of it is shown, since it cannot be cut by the rules. */
export const NOT_AN_ADDRESS = '(not an address)';

/** A web address in a text, up to the next white space (a browser's error ends with the URL it failed on). */
const WEB_ADDRESS = /(?:https?|wss?):\/\/\S+/gi;
/** Punctuation a sentence puts after an address: kept after the address printed, so that the sentence still reads. */
const CLOSING = new Set(')]}>"\'.,;:!?');

/** `text` with every web address in it printed as `printedAddress` prints it. Linear in the text's length. */
export function withPrintedAddresses(text: string): string {
  return text.replace(WEB_ADDRESS, (found) => {
    let end = found.length;
    while (end > 0 && CLOSING.has(found[end - 1]!)) end--;
    return printedAddress(found.slice(0, end)) + found.slice(end);
  });
}
