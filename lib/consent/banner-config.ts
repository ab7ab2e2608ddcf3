import type { Config } from '@duckduckgo/autoconsent';

/** autoconsent's configuration for a frame: no heuristics, no cosmetic hiding (hiding a banner is not answering it). */
export function engineConfig(autoAction: Config['autoAction']): Config {
  return {
    enabled: true,
    autoAction,
    disabledCmps: [],
    // Hides a banner's flash before it is answered; never when only looking.
    enablePrehide: autoAction !== null,
    enableCosmeticRules: false,
    enableGeneratedRules: true,
    enableHeuristicDetection: false,
    enablePopupMutationObserver: false,
    detectRetries: 20,
    isMainWorld: false,
    prehideTimeout: 2000,
    visualTest: false,
    logs: {
      lifecycle: false,
      rulesteps: false,
      detectionsteps: false,
      evals: false,
      errors: false,
      messages: false,
      waits: false,
    },
    performanceLoggingEnabled: false,
    heuristicPopupSearchTimeout: 100,
    heuristicMode: 'off',
  };
}
