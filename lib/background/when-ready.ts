/** Runs `work` now if the background's state is restored, or holds it until then, in the order events arrived. */
export type WhenReady = (work: () => void) => void;

/**
 * The MV3 rule: listeners are registered synchronously at start (the event that wakes the background is delivered
 * to them only), and what they hear before the state is restored from storage is held, then replayed in order.
 */
export function holdUntilReady(): { whenReady: WhenReady; ready: () => void } {
  let isReady = false;
  const held: Array<() => void> = [];
  return {
    whenReady: (work) => void (isReady ? work() : held.push(work)),
    ready: () => {
      isReady = true;
      for (const work of held.splice(0)) work();
    },
  };
}
