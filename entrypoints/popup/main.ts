import '../../lib/ui/theme.css';
import { mount } from 'svelte';
import { browser } from 'wxt/browser';
import { initI18n } from '../../lib/i18n';
import { firstScreenRows } from '../../lib/report-rows';
import { ask } from '../../lib/ui/messaging';
import Popup from './Popup.svelte';

// `popup.html?tabId=N` shows tab N: the dashboard and the tests open it as a page.
const asked = new URLSearchParams(location.search).get('tabId');

async function start(): Promise<void> {
  const tabId = asked !== null ? Number(asked) : ((await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id ?? null);
  // Both asked at once: the words load while the first screen's rows come (the popup asks for the others once it is
  // painted).
  const settings = ask({ type: 'get-settings' }).catch(() => null);
  const view = tabId === null ? Promise.resolve(null) : ask({ type: 'get-tab-rows', tabId, first: firstScreenRows(window.innerHeight) }).then((answer) => answer.view);
  await initI18n((await settings)?.settings.language ?? 'auto');
  mount(Popup, { target: document.getElementById('app')!, props: { tabId, initial: view, inPopup: asked === null } });
}

void start();
