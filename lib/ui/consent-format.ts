import type { ConsentBasis } from '../catalogue/schema';
import {
  CONSENT_PLATFORM_NAMES,
  type ConsentChange,
  type ConsentSource,
  type EffectiveConsentBasis,
} from '../consent/consent-state';
import type { ConsentSummary } from '../consent/summary';
import { formatDate, formatNumber, t, type MessageKey } from '../i18n';
import { categoryLabel } from './format';

/** A visit's consent state, its changes and a row's consent basis, in the interface's language. */

/** "Audience measurement, Advertising", "TCF purposes 1, 3", the platform's own names, or '' when nothing says. */
export function allowedText(change: Pick<ConsentChange, 'granted' | 'purposes' | 'platformCategories'>): string {
  const parts: string[] = [];
  if (change.granted?.length) parts.push(change.granted.map(categoryLabel).join(', '));
  if (change.purposes?.length) parts.push(t('consentUi_tcfPurposes', change.purposes.join(', ')));
  if (!parts.length && change.platformCategories?.length) parts.push(change.platformCategories.join(', '));
  return parts.join(' · ');
}

/** A change's state in a few words: "Refused", "Accepted in part". */
export function choiceLabel(choice: ConsentSummary['state']): string {
  return t(`consentUi_choice_${choice.replaceAll('-', '_')}` as MessageKey);
}

/** Whose word a change is: the site's consent cookie, the platform's script, or Cookie Lens's banner engine. */
export function consentSourceText(source: ConsentSource): string {
  switch (source.kind) {
    case 'signal':
      return t('consentUi_sourceSignal', source.name, CONSENT_PLATFORM_NAMES[source.platform]);
    case 'platform-loaded':
      return t('consentUi_sourcePlatformLoaded', CONSENT_PLATFORM_NAMES[source.platform], source.host);
    case 'banner':
      return source.action === 'detected'
        ? t('consentUi_sourceBannerDetected', source.rule)
        : t(
            source.action === 'opt-out' ? 'consentUi_sourceBannerRefused' : 'consentUi_sourceBannerAccepted',
            source.rule,
          );
  }
}

function countClause(count: number, one: MessageKey, many: MessageKey): string {
  return count === 1 ? t(one) : t(many, formatNumber(count));
}

/**
 * The sentence at the top of the popup: the state, then what the findings caught of cookies that need consent
 * ("You refused: 3 cookies that need consent were set afterwards"). With a policy applied and nothing caught after a
 * refusal, it says so; without one, nothing can be said of the cookies.
 */
export function consentHeadline(summary: ConsentSummary, hasPolicy: boolean): string {
  const { state, current } = summary;
  let headline: string;
  if (state === 'accepted-part') {
    const allowed = current ? allowedText(current) : '';
    headline = allowed ? t('consentUi_acceptedPart', allowed) : t('consentUi_acceptedPartUnsaid');
  } else {
    headline = t(
      (
        {
          unknown: 'consentUi_unknown',
          'no-choice': 'consentUi_noChoice',
          refused: 'consentUi_refused',
          'accepted-all': 'consentUi_acceptedAll',
        } as const
      )[state],
    );
  }
  const clauses: string[] = [];
  if (summary.setAfterRefusal > 0) {
    clauses.push(countClause(summary.setAfterRefusal, 'consentUi_afterRefusalOne', 'consentUi_afterRefusalMany'));
  } else if (state === 'refused' && hasPolicy) {
    clauses.push(t('consentUi_afterRefusalNone'));
  }
  if (summary.setBeforeConsent > 0) {
    clauses.push(countClause(summary.setBeforeConsent, 'consentUi_beforeConsentOne', 'consentUi_beforeConsentMany'));
  }
  if (clauses.length === 2) return t('consentUi_withTwoClauses', headline, clauses[0]!, clauses[1]!);
  return clauses.length ? t('consentUi_withClauses', headline, clauses[0]!) : headline;
}

/** When the state was set and whose word it is; '' when the state is unknown. */
export function consentProvenance(summary: ConsentSummary): string {
  const current = summary.current;
  if (!current) return '';
  const when = t(current.choice === 'no-choice' ? 'consentUi_seenAt' : 'consentUi_chosenAt', formatDate(current.at));
  const provenance = `${when} · ${consentSourceText(current.source)}`;
  return summary.contradictedBy
    ? `${provenance} · ${t('consentUi_contradicted', consentSourceText(summary.contradictedBy.source))}`
    : provenance;
}

/** A row's basis: "needs consent", "exempt", "not said". */
export const basisLabel = (basis: ConsentBasis): string => t(`consentUi_basis_${basis}` as MessageKey);

/** Whose word a basis is: the policy's (its entry or one of its rules), or the CNIL's rule where the policy is silent. */
export const basisFromLabel = (from: EffectiveConsentBasis['from']): string =>
  t(from === 'regulator' ? 'consentUi_fromRegulator' : 'consentUi_fromPolicy');
