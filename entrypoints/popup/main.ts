import '../../lib/ui/theme.css';
import { mount } from 'svelte';
import { browser } from 'wxt/browser';
import { initI18n } from '../../lib/i18n';
import { ask } from '../../lib/ui/messaging';
import Popup from './Popup.svelte';

// `popup.html?tabId=N` shows tab N: the dashboard and the tests open it as a page.
const asked = new URLSearchParams(location.search).get('tabId');

async function start(): Promise<void> {
  const tabId = asked !== null ? Number(asked) : ((await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id ?? null);
  // Asked at once, while the words load.
  const report = tabId === null ? Promise.resolve(null) : ask({ type: 'get-tab-report', tabId }).then((answer) => answer.report);
  const settings = await ask({ type: 'get-settings' }).catch(() => null);
  await initI18n(settings?.settings.language ?? 'auto');
  mount(Popup, { target: document.getElementById('app')!, props: { tabId, initial: report, inPopup: asked === null } });
}

void start();
