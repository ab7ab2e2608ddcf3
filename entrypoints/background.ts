import { defineBackground } from 'wxt/utils/define-background';

export default defineBackground(() => {
  // Wiring of observation arrives with the observation issue.
});
