import AutoConsent, { type ContentScriptMessage } from '@duckduckgo/autoconsent';
import type { Answer, BannerEngineMessage, RequestInput } from '../messages';

/** The content script's messages the background reads; the others (autoconsent's reports, errors) stay here. */
const FORWARDED = new Set<string>([
  'init',
  'eval',
  'cmpDetected',
  'popupFound',
  'optOutResult',
  'optInResult',
  'autoconsentDone',
]);

/** Only the fields the background reads: an eval's code, the page's address, a report's state stay in the frame. */
function forwarded(message: ContentScriptMessage): BannerEngineMessage | null {
  if (!FORWARDED.has(message.type)) return null;
  switch (message.type) {
    case 'init':
      return { type: 'init' };
    case 'eval':
      return { type: 'eval', id: message.id, snippetId: message.snippetId };
    case 'cmpDetected':
    case 'popupFound':
      return { type: message.type, cmp: message.cmp };
    case 'optOutResult':
    case 'optInResult':
      return { type: message.type, cmp: message.cmp, result: message.result };
    case 'autoconsentDone':
      return { type: message.type, cmp: message.cmp, totalClicks: message.totalClicks };
    default:
      return null;
  }
}

/**
 * Runs autoconsent in this frame (isolated world), its messages answered by the background through the replies of
 * `send` (autoconsent's own extension answers through tabs.sendMessage; a reply needs no listener in the frame).
 */
export function runBannerEngine(send: (message: RequestInput) => Promise<unknown>): void {
  const forward = async (message: BannerEngineMessage): Promise<void> => {
    const answer = (await send({ type: 'banner-engine', message }).catch(() => null)) as Answer<'banner-engine'> | null;
    if (answer?.ok && answer.reply) await engine.receiveMessageCallback(answer.reply);
  };

  /** autoconsent tells that detection ended only when it found no platform; the end of `_start` says it in all cases. */
  class BannerEngine extends AutoConsent {
    // The background times the answer from here, before the first click, once it has heard (the reply awaited).
    override async doOptOut(): Promise<boolean> {
      await forward({ type: 'answerStarting', action: 'opt-out' });
      return super.doOptOut();
    }

    override async doOptIn(): Promise<boolean> {
      await forward({ type: 'answerStarting', action: 'opt-in' });
      return super.doOptIn();
    }

    override async _start(): Promise<boolean> {
      try {
        return await super._start();
      } finally {
        void forward({ type: 'detectionEnded' });
      }
    }
  }

  const engine: AutoConsent = new BannerEngine(async (message) => {
    const kept = forwarded(message);
    if (kept) await forward(kept);
  });
}
