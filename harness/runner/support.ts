/**
 * Whether the target can run a scenario at all: the features its ServiceProviderConfig (or a
 * profile) declares and the attributes its /Schemas declares. A scenario beyond them is skipped as
 * not supported, with a cause shared by every scenario missing the same thing; never failed.
 */
import type { IdpRegistry } from '../idp/types.js';
import type { Scenario } from '../types.js';
import type { ScenarioResult } from '../result.js';
import { attributeNeeds, sentAttributeNeeds, showNeed, undeclaredNeeds, withoutImpliedNeeds, type AttributeNeed } from './attribute-needs.js';
import { missingFeatures, type Discovery } from './features.js';
import { scenarioResult } from './run-scenario.js';

type Why = Pick<ScenarioResult, 'reason' | 'cause'>;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The reason lists every missing attribute; the cause names one, so that every scenario missing,
 * say, `User.name` shares it: the one the server's answer names, else the first by name.
 */
function attributeCause(absent: readonly AttributeNeed[], declared: Record<string, string[]>, why = '', detail = ''): Why {
  const needs = withoutImpliedNeeds(absent);
  const names = needs.map(showNeed);
  const named = needs.find((need) => new RegExp(`\\b${escapeRegExp(need.written)}\\b`, 'i').test(detail));
  const chosen = named ?? [...needs].sort((a, b) => showNeed(a).localeCompare(showNeed(b)))[0]!;
  // An extension the target does not declare at all is the cause, not each of its attributes.
  const urn = chosen.path.startsWith('urn:') ? chosen.written.slice(0, chosen.written.lastIndexOf(':')) : undefined;
  const wholeExtension = urn !== undefined && !(declared[chosen.resource] ?? []).some((path) => path.startsWith(`${urn.toLowerCase()}:`));
  const first = wholeExtension ? `the ${chosen.resource} extension ${urn}` : showNeed(chosen);
  return {
    reason: `not supported: attribute ${names.join(', ')} (Schemas)${why}`,
    cause: { key: `attribute:${first}`, summary: `target does not declare ${first} in /Schemas` },
  };
}

/**
 * The scenario skipped, when it needs a feature or an attribute the target does not declare; else
 * undefined. `idps` name the variant of an IdP scenario, as a result says it.
 */
export function unsupported(scenario: Scenario, discovery: Discovery, attributes: Record<string, string[]> | undefined, idps: IdpRegistry): ScenarioResult | undefined {
  const skipped = (why: Why) => scenarioResult(scenario, idps, { status: 'skipped', ...why, durationMs: 0, steps: [], exchanges: [], outcomes: [] });
  const missing = missingFeatures(scenario, discovery.features);
  if (missing.length) {
    const reason = `not supported: ${missing.join(', ')} (${discovery.source})`;
    return skipped({ reason, cause: { key: `feature:${missing[0]}`, summary: `target does not support ${missing[0]} (${discovery.source})` } });
  }
  const absent = attributes ? undeclaredNeeds(attributeNeeds(scenario), attributes) : [];
  return absent.length ? skipped(attributeCause(absent, attributes!)) : undefined;
}

/**
 * An IdP scenario that did not pass because the target refused (4xx) a write of the IdP's that
 * carried attributes the target does not declare: not supported, rather than failed. What a
 * simulator sends follows its mappings, so this is known only once it has sent it; the
 * transcript is kept to show it.
 */
export function unsentable(result: ScenarioResult, attributes: Record<string, string[]> | undefined): ScenarioResult {
  if (result.idp === 'none' || (result.status !== 'failed' && result.status !== 'error') || !attributes) return result;
  const refused = result.exchanges.find((e) => e.seq === result.cause?.exchange);
  const status = refused?.response?.status ?? 0;
  if (!refused || status < 400 || status >= 500) return result;
  const absent = undeclaredNeeds(sentAttributeNeeds([refused]), attributes);
  if (absent.length === 0) return result;
  return { ...result, status: 'skipped', ...attributeCause(absent, attributes, ', which the IdP sends', result.cause?.answer?.detail) };
}
