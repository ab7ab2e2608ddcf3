import '../../lib/ui/theme.css';
import { mount } from 'svelte';
import { initI18n } from '../../lib/i18n';
import { ask } from '../../lib/ui/messaging';
import Dashboard from './Dashboard.svelte';

async function start(): Promise<void> {
  const settings = await ask({ type: 'get-settings' }).catch(() => null);
  await initI18n(settings?.settings.language ?? 'auto');
  mount(Dashboard, { target: document.getElementById('app')! });
}

void start();
