import { browser } from 'wxt/browser';
import type { Answer, RequestInput, Response } from '../messages';

/**
 * Asks the background, typed by the protocol map (`Replies` in lib/messages.ts). A refusal throws, except an
 * import's, whose answer says what is wrong with the file. Types only from lib/messages.ts: its validators (valibot)
 * stay out of the popup's bundle.
 */
export async function ask<R extends RequestInput>(request: R): Promise<Response<R['type']>> {
  const answer = (await browser.runtime.sendMessage(request)) as Answer<R['type']> | undefined;
  if (!answer) throw new Error('Cookie Lens’s background did not answer.');
  if (answer.ok === false && !('issues' in answer)) throw new Error(answer.error);
  return answer as Response<R['type']>;
}

/** Opens an extension page (the dashboard) in a new tab. */
export async function openExtensionPage(path: string): Promise<void> {
  await browser.tabs.create({ url: browser.runtime.getURL(path as '/popup.html') });
}
