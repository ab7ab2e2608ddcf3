import { describe, expect, it } from 'vitest';
import { measureLinearTime } from '../tests/support/linear-time';
import { NOT_AN_ADDRESS, printedAddress, withPrintedAddresses } from './printed-address';

/** A URL as a person could paste it: a token in the query, a session id in the path and its parameters, a fragment. */
const URL_WITH_SECRETS =
  'https://shop.example:8443/s/3f9a1c2e7b4d5a6f/account;jsessionid=SECRET-1?token=SECRET-2&lang=fr#frag-SECRET-3';
const PRINTED = 'https://shop.example:8443/s/…/account';

describe('printedAddress', () => {
  it('prints an address as a report keeps it: no query, fragment, path parameter or value-shaped segment', () => {
    expect(printedAddress(URL_WITH_SECRETS)).toBe(PRINTED);
    expect(printedAddress(new URL(URL_WITH_SECRETS))).toBe(PRINTED);
    expect(printedAddress('https://user:SECRET@shop.example/mon-espace-client/')).toBe(
      'https://shop.example/mon-espace-client/',
    );
  });

  it('prints nothing of what is not an absolute address', () => {
    expect(printedAddress('shop.example/?token=SECRET')).toBe(NOT_AN_ADDRESS);
  });
});

describe('withPrintedAddresses', () => {
  it('cuts each address in a browser’s error line, and keeps the rest of the sentence', () => {
    // Firefox (puppeteer) appends " at <url>"; Playwright names it in quotes; a sentence ends with a full stop.
    expect(withPrintedAddresses(`NS_ERROR_UNKNOWN_HOST at ${URL_WITH_SECRETS}`)).toBe(
      `NS_ERROR_UNKNOWN_HOST at ${PRINTED}`,
    );
    expect(withPrintedAddresses(`navigating to "${URL_WITH_SECRETS}", waiting until "load"`)).toBe(
      `navigating to "${PRINTED}", waiting until "load"`,
    );
    expect(withPrintedAddresses(`could not load (${URL_WITH_SECRETS}).`)).toBe(`could not load (${PRINTED}).`);
    const two = withPrintedAddresses(
      `from ${URL_WITH_SECRETS} to WSS://socket.example/t?k=SECRET-4 blob:${URL_WITH_SECRETS}`,
    );
    expect(two).toBe(`from ${PRINTED} to wss://socket.example/t blob:${PRINTED}`);
    expect(two).not.toContain('SECRET');
    expect(withPrintedAddresses('net::ERR_CONNECTION_REFUSED')).toBe('net::ERR_CONNECTION_REFUSED');
    expect(withPrintedAddresses('https://?token=SECRET')).toBe(NOT_AN_ADDRESS);
  });

  it('takes time linear in the text, whatever the text', () => {
    const unit = `at ${URL_WITH_SECRETS}${'.'.repeat(40)}x `;
    const result = measureLinearTime((size) => {
      const text = unit.repeat(Math.ceil(size / unit.length)) + `https://a.example/${'.'.repeat(size)}`;
      return () => withPrintedAddresses(text);
    });
    expect(result.brokeAt, JSON.stringify(result.perKb)).toBeNull();
  });
});
