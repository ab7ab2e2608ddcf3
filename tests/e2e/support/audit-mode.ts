import { replyOf, type Evaluating } from '../../../cli/browsers';

/**
 * Turns audit mode on, as a person does in the settings: the live account of the jar, and the page hook in every page
 * loaded from then on, which tells which script wrote each cookie and storage key, and when. The scenarios that assert
 * what only the hook can tell run with it; everyday-mode.e2e.test.ts checks what everyday mode tells without it.
 */
export async function turnOnAuditMode(session: {
  openExtensionPage(path: string): Promise<Evaluating & { close(): Promise<void> }>;
}): Promise<void> {
  const page = await session.openExtensionPage('popup.html');
  const answer = await replyOf(page, { type: 'put-settings', settings: { auditMode: true } });
  if (!answer.settings.auditMode) throw new Error('audit mode did not turn on');
  await page.close();
}
