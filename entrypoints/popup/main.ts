import '../../lib/ui/theme.css';
import { mount } from 'svelte';
import { browser } from 'wxt/browser';
import { initI18n, type LanguageSetting } from '../../lib/i18n';
import type { TabRows } from '../../lib/audit/report-rows';
import { firstScreenRows } from '../../lib/audit/report-rows';
import { ask } from '../../lib/ui/messaging';
import Popup from './Popup.svelte';

// `popup.html?tabId=N` shows tab N: the dashboard and the tests open it as a page.
const asked = new URLSearchParams(location.search).get('tabId');

/**
 * What the popup needs before it paints, in one request: the rows of the tab's first screen (the popup asks for the
 * others once it is painted) and the language setting.
 */
async function firstScreen(
  tabId: number | null,
): Promise<{ language: LanguageSetting; view: Promise<TabRows | null> }> {
  if (tabId === null) {
    const settings = await ask({ type: 'get-settings' }).catch(() => null);
    return { language: settings?.settings.language ?? 'auto', view: Promise.resolve(null) };
  }
  const answer = ask({ type: 'get-tab-rows', tabId, first: firstScreenRows(window.innerHeight) });
  const language = await answer.then(
    (rows) => rows.language,
    () => 'auto' as const,
  );
  return { language, view: answer.then((rows) => rows.view) };
}

async function start(): Promise<void> {
  const tabId =
    asked !== null ? Number(asked) : ((await browser.tabs.query({ active: true, currentWindow: true }))[0]?.id ?? null);
  const { language, view } = await firstScreen(tabId);
  await initI18n(language);
  mount(Popup, { target: document.getElementById('app')!, props: { tabId, initial: view, inPopup: asked === null } });
}

void start();
