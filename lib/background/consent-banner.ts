import { evalSnippets, type AutoConsentCMPRule, type Config } from '@duckduckgo/autoconsent';
import * as v from 'valibot';
import type { browser as wxtBrowser } from 'wxt/browser';
import type { ConsentChange } from '../consent/consent-state';
import { BANNER_MODES, type BannerMode, type BannerOutcome } from '../consent/banner-outcome';
import { engineConfig } from '../consent/banner-config';
import { mergeConsentRules, projectConsentRules, readConsentRules, rulesForFrame } from '../consent/banner-rules';
import type { BannerEngineMessage, Response } from '../messages';
import type { VisitRecorder } from '../observation/visit-recorder';
import { t, type Language } from '../strings';
import type { SettingsStore } from './settings';

type Browser = typeof wxtBrowser;
type Reply = Response<'banner-engine'>['reply'];

/** The banner engine's content script, registered only while a mode needs it (see sync). */
export const BANNER_SCRIPT_ID = 'cookie-lens-consent-banner';
const BANNER_SCRIPT_FILE = 'consent-banner.js';
/** autoconsent's own rules, copied into the build by wxt.config.ts: fetched the first time the engine needs them. */
export const AUTOCONSENT_RULES_FILE = 'autoconsent-rules.json';
const AUDIT_MODE_KEY = 'bannerAuditMode';

const AUTO_ACTIONS: Record<Exclude<BannerMode, 'off'>, Config['autoAction']> = {
  refuse: 'optOut',
  accept: 'optIn',
  detect: null,
};

/** What the engine knows of the banner of one visit of a tab. */
interface TabBanner {
  visitId: string | null;
  found: { rule: string; at: number; answering: boolean } | null;
  result: { rule: string; action: 'opt-out' | 'opt-in'; ok: boolean; at: number; change: ConsentChange | null } | null;
  clicks: number | null;
  /** When the engine was about to click its answer: the answer's change counts from then. */
  answerStarting: number | null;
  /** The top frame's current document ended its detection. */
  topEnded: boolean;
}

export interface ConsentBannerDeps {
  browser: Browser;
  recorder: VisitRecorder;
  settings: SettingsStore;
  /** autoconsent's own rules; by default fetched from the extension's AUTOCONSENT_RULES_FILE. */
  autoconsentRules?: () => Promise<AutoConsentCMPRule[]>;
  /** The project's rules files (lib/consent/banner-rules/*.json); by default those of the build. */
  projectRuleFiles?: Record<string, unknown>;
  now?: () => number;
}

/**
 * The banner engine's background half: registers autoconsent's content script while the person's setting
 * (`answerBanners`) or an audit's mode needs it, and unregisters it otherwise, so that an everyday page load costs
 * nothing more; answers the script's messages as autoconsent's own extension does (docs/api.md); records what it
 * recognised or answered as the consent changes of the tab's visit; tells the audit what became of the banner.
 */
export class ConsentBanner {
  private auditMode: BannerMode | null = null;
  private auditRules: AutoConsentCMPRule[] = [];
  private bundledRules: Promise<AutoConsentCMPRule[]> | null = null;
  private merged: { audit: AutoConsentCMPRule[]; rules: Promise<AutoConsentCMPRule[]> } | null = null;
  private readonly tabs = new Map<number, TabBanner>();
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ConsentBannerDeps) {}

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** The audit's mode for this session, or the person's setting. */
  get mode(): BannerMode {
    return this.auditMode ?? this.deps.settings.current.answerBanners;
  }

  /** Registered with the other listeners, before anything asynchronous. */
  listen(): void {
    this.deps.browser.tabs.onRemoved.addListener((tabId) => void this.tabs.delete(tabId));
  }

  /** On waking (the settings loaded): the audit's mode of this session, if any, and the registration that fits. */
  async load(): Promise<void> {
    try {
      const stored = (await this.deps.browser.storage.session.get(AUDIT_MODE_KEY))[AUDIT_MODE_KEY];
      const parsed = v.safeParse(v.object({ mode: v.picklist(BANNER_MODES), rules: v.unknown() }), stored);
      if (parsed.success) {
        const rules = readConsentRules(parsed.output.rules, 'en');
        this.auditMode = parsed.output.mode;
        this.auditRules = rules.ok ? rules.rules : [];
      }
    } catch (error) {
      console.error('Cookie Lens could not read the audit’s banner mode.', error);
    }
    await this.sync();
  }

  /**
   * Registers the content script when the mode needs it and unregisters it when not; one change at a time, the last
   * one asked winning. Not persisted across browser sessions: each wake registers it again if needed.
   */
  sync(): Promise<void> {
    this.syncing = this.syncing
      .then(() => this.syncNow())
      .catch((error: unknown) => console.error('Cookie Lens could not (un)register its banner engine.', error));
    return this.syncing;
  }

  private async syncNow(): Promise<void> {
    const { scripting } = this.deps.browser;
    const wanted = this.mode !== 'off';
    const registered = (await scripting.getRegisteredContentScripts({ ids: [BANNER_SCRIPT_ID] })).length > 0;
    if (wanted && !registered)
      // Options both Chromium and Firefox (128+) accept; the isolated world is the default.
      await scripting.registerContentScripts([
        {
          id: BANNER_SCRIPT_ID,
          js: [BANNER_SCRIPT_FILE],
          matches: ['<all_urls>'],
          allFrames: true,
          runAt: 'document_start',
          persistAcrossSessions: false,
        },
      ]);
    else if (!wanted && registered) await scripting.unregisterContentScripts({ ids: [BANNER_SCRIPT_ID] });
  }

  /** The audit's mode for this browser session, with its extra rules, validated (problems in `language`). */
  async setMode(mode: BannerMode, rules: unknown, language: Language): Promise<Response<'set-banner-mode'>> {
    let extra: AutoConsentCMPRule[] = [];
    if (rules !== undefined) {
      const read = readConsentRules(rules, language);
      if (!read.ok) return { ok: false, error: t(language, 'banner_rulesRefused'), problems: read.problems };
      extra = read.rules;
    }
    this.auditMode = mode;
    this.auditRules = extra;
    await this.deps.browser.storage.session.set({ [AUDIT_MODE_KEY]: { mode, rules: extra } });
    await this.sync();
    return { ok: true, mode, rules: extra.length };
  }

  /** What became of the banner of the tab's visit. */
  outcome(tabId: number): BannerOutcome {
    const tab = this.tabOf(tabId);
    const { result, found } = tab;
    if (result)
      return {
        status: result.ok ? 'answered' : 'failed',
        rule: result.rule,
        action: result.action,
        clicks: result.ok ? tab.clicks : null,
        at: result.at,
      };
    if (found)
      return {
        status: found.answering ? 'pending' : 'detected',
        rule: found.rule,
        action: null,
        clicks: null,
        at: found.at,
      };
    return { status: tab.topEnded ? 'not-recognised' : 'pending', rule: null, action: null, clicks: null, at: null };
  }

  /** A message of the content script in frame `frameId` of tab `tabId` (the browser's, never the message's). */
  async message(message: BannerEngineMessage, tabId: number, frameId: number, frameUrl: string): Promise<Reply> {
    switch (message.type) {
      case 'init': {
        const mode = this.mode;
        if (frameId === 0) this.tabOf(tabId).topEnded = false;
        if (mode === 'off')
          return { type: 'initResp', config: { ...engineConfig(null), enabled: false }, rules: { autoconsent: [] } };
        const rules = rulesForFrame(await this.rules(), frameUrl, frameId === 0);
        return { type: 'initResp', config: engineConfig(AUTO_ACTIONS[mode]), rules: { autoconsent: rules } };
      }
      case 'eval':
        return { type: 'evalResp', id: message.id, result: await this.evalSnippet(message.snippetId, tabId, frameId) };
      case 'cmpDetected':
      case 'popupFound': {
        const tab = this.tabOf(tabId);
        if (message.type === 'popupFound' && !tab.found)
          tab.found = { rule: message.cmp, at: this.now, answering: this.mode !== 'detect' };
        // The banner shown (not merely its platform detected) starts the answer: consent findings judge a write between
        // the two under the answer (lib/audit/consent-findings.ts). Once answered, the platform met again on the site's
        // next page is not a return to no choice.
        if (message.type === 'popupFound' && !tab.result?.ok) this.record(tabId, 'no-choice', message.cmp, 'detected');
        return null;
      }
      case 'optOutResult':
      case 'optInResult': {
        const tab = this.tabOf(tabId);
        const action = message.type === 'optOutResult' ? 'opt-out' : 'opt-in';
        if (tab.result?.ok) return null;
        // The answer counts from its first click: what the page wrote in response came before autoconsent told the result.
        const change = message.result
          ? this.record(
              tabId,
              action === 'opt-out' ? 'refused' : 'accepted-all',
              message.cmp,
              action,
              tab.answerStarting ?? undefined,
            )
          : null;
        tab.result = { rule: message.cmp, action, ok: message.result, at: this.now, change };
        return null;
      }
      case 'autoconsentDone': {
        const tab = this.tabOf(tabId);
        if (!tab.result?.ok || tab.result.rule !== message.cmp) return null;
        tab.clicks = message.totalClicks;
        if (tab.result.change) this.deps.recorder.bannerClicks(tabId, tab.result.change, message.totalClicks);
        return null;
      }
      case 'answerStarting': {
        const tab = this.tabOf(tabId);
        if (!tab.result?.ok) tab.answerStarting = this.now;
        return null;
      }
      case 'detectionEnded':
        if (frameId === 0) this.tabOf(tabId).topEnded = true;
        return null;
    }
  }

  private record(
    tabId: number,
    choice: ConsentChange['choice'],
    rule: string,
    action: 'detected' | 'opt-out' | 'opt-in',
    at: number = this.now,
  ): ConsentChange {
    const change: ConsentChange = {
      at,
      choice,
      granted: null,
      purposes: null,
      platformCategories: null,
      source: { kind: 'banner', rule, action, clicks: null },
    };
    this.deps.recorder.consentChanged(tabId, change);
    return change;
  }

  /** A snippet autoconsent ships, run by its id in the frame's main world, as autoconsent's extension does. */
  private async evalSnippet(snippetId: string | undefined, tabId: number, frameId: number): Promise<boolean> {
    if (snippetId === undefined || !Object.hasOwn(evalSnippets, snippetId)) return false;
    const func = evalSnippets[snippetId as keyof typeof evalSnippets] as () => unknown;
    try {
      const [first] = await this.deps.browser.scripting.executeScript({
        target: { tabId, frameIds: [frameId] },
        world: 'MAIN',
        func,
      });
      return Boolean(first?.result);
    } catch {
      return false;
    }
  }

  /** The tab's banner, afresh when the tab has started another visit. */
  private tabOf(tabId: number): TabBanner {
    const visitId = this.deps.recorder.visitIdOf(tabId);
    let tab = this.tabs.get(tabId);
    if (!tab || tab.visitId !== visitId) {
      tab = { visitId, found: null, result: null, clicks: null, answerStarting: null, topEnded: false };
      this.tabs.set(tabId, tab);
    }
    return tab;
  }

  /** The audit's rules, then the project's, then autoconsent's: a later rule of an earlier one's name is left out. */
  private rules(): Promise<AutoConsentCMPRule[]> {
    if (this.merged?.audit !== this.auditRules) {
      const audit = this.auditRules;
      this.bundledRules ??= (this.deps.autoconsentRules ?? (() => fetchAutoconsentRules(this.deps.browser)))().catch(
        (error: unknown) => {
          console.error('Cookie Lens could not load autoconsent’s rules.', error);
          // Tried again for the next frame.
          this.bundledRules = null;
          this.merged = null;
          return [];
        },
      );
      const bundled = this.bundledRules;
      this.merged = {
        audit,
        rules: bundled.then((rules) => mergeConsentRules(audit, projectRules(this.deps.projectRuleFiles), rules)),
      };
    }
    return this.merged.rules;
  }
}

function projectRules(files: Record<string, unknown> | undefined): AutoConsentCMPRule[] {
  const read = projectConsentRules(files);
  if (read.ok) return read.rules;
  console.error(`Cookie Lens's own banner rules are wrong:\n${read.problems.join('\n')}`);
  return [];
}

async function fetchAutoconsentRules(browser: Browser): Promise<AutoConsentCMPRule[]> {
  const response = await fetch(browser.runtime.getURL(`/${AUTOCONSENT_RULES_FILE}` as '/'));
  const json = (await response.json()) as { autoconsent?: unknown };
  if (!Array.isArray(json.autoconsent)) throw new Error(`${AUTOCONSENT_RULES_FILE} holds no rules`);
  return json.autoconsent as AutoConsentCMPRule[];
}
