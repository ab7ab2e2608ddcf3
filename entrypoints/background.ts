import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../lib/background';

export default defineBackground(() => {
  startBackground(browser, { isChrome: import.meta.env.CHROME });
});
