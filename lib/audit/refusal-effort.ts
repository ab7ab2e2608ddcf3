import { finding } from './evidence';
import type { BannerEvidence, Finding } from './findings';

/**
 * How hard refusing is against accepting, from an audit's refuse and accept scenarios on the same banner: the CNIL's
 * recommendation (2020-092) asks that refusing be as easy as accepting.
 */
export interface BannerEffort {
  /** The autoconsent rule that recognised the banner. */
  rule: string;
  /** Clicks the banner engine needed to refuse, and to accept. */
  refuseClicks: number;
  acceptClicks: number;
}

/** Whether refusing took more clicks than accepting. */
export function refusalIsHarder(banner: BannerEffort): boolean {
  return banner.refuseClicks > banner.acceptClicks;
}

/** The `refusal-harder-than-acceptance` finding of `site` (its registrable domain); call it when refusalIsHarder. */
export function refusalHarderThanAcceptance(site: string, banner: BannerEffort): Finding {
  const evidence: BannerEvidence = {
    site,
    rule: banner.rule,
    refuseClicks: banner.refuseClicks,
    acceptClicks: banner.acceptClicks,
  };
  return finding('refusal-harder-than-acceptance', 'medium', {
    consent: {
      choice: 'refused',
      state: null,
      contradictedBy: null,
      basis: null,
      itemsNeedingConsent: null,
      banner: evidence,
    },
  });
}
