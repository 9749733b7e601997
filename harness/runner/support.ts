/**
 * Whether the target can run a scenario at all: the features its ServiceProviderConfig declares
 * and the attributes its /Schemas declares, or with `run --profile` what the profile claims
 * (claim.ts) and the attributes /Schemas declares. A scenario beyond them is skipped as not
 * supported or not claimed, with a cause shared by every scenario missing the same thing; never failed.
 */
import type { IdpRegistry } from '../idp/types.js';
import type { Scenario } from '../types.js';
import type { Cause, ScenarioResult } from '../result.js';
import { attributeNeeds, sentAttributeNeeds, showNeed, undeclaredNeeds, withoutImpliedNeeds, type AttributeNeed } from './attribute-needs.js';
import { notClaimed, unclaimed, unclaimedExchanges, type Claim, type Why } from './claim.js';
import { missingFeatures, type Discovery } from './features.js';
import { scenarioResult } from './run-scenario.js';

/** Who says an attribute is missing, in the reason's words and the cause's. */
interface AttributeSource {
  reason(names: readonly string[], why: string): string;
  cause(first: string): Pick<Cause, 'key' | 'summary'>;
}

const SCHEMAS: AttributeSource = {
  reason: (names, why) => `not supported: attribute ${names.join(', ')} (Schemas)${why}`,
  cause: (first) => ({ key: `attribute:${first}`, summary: `target does not declare ${first} in /Schemas` }),
};

/** A profile's claim: the attributes it does not store. */
const storedBy = (claim: Claim): AttributeSource => ({
  reason: (names, why) => notClaimed(claim, `${names.length === 1 ? 'attribute' : 'attributes'} ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not stored${why}`),
  cause: (first) => ({ key: `claim:attribute:${first}`, summary: `profile ${claim.name} does not store ${first}` }),
});

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The reason lists every missing attribute; the cause names one, so that every scenario missing,
 * say, `User.name` shares it: the one the server's answer names, else the first by name.
 */
function attributeCause(source: AttributeSource, absent: readonly AttributeNeed[], declared: Record<string, string[]>, why = '', detail = ''): Why {
  const needs = withoutImpliedNeeds(absent);
  const names = needs.map(showNeed);
  const named = needs.find((need) => new RegExp(`\\b${escapeRegExp(need.written)}\\b`, 'i').test(detail));
  const chosen = named ?? [...needs].sort((a, b) => showNeed(a).localeCompare(showNeed(b)))[0]!;
  // An extension the target does not declare at all is the cause, not each of its attributes.
  const urn = chosen.path.startsWith('urn:') ? chosen.written.slice(0, chosen.written.lastIndexOf(':')) : undefined;
  const wholeExtension = urn !== undefined && !(declared[chosen.resource] ?? []).some((path) => path.startsWith(`${urn.toLowerCase()}:`));
  const first = wholeExtension ? `the ${chosen.resource} extension ${urn}` : showNeed(chosen);
  return { reason: source.reason(names, why), cause: source.cause(first) };
}

/**
 * The scenario skipped, when it needs a feature or an attribute the target does not declare, or
 * (with a profile) anything the profile does not claim; else undefined. `idps` name the variant
 * of an IdP scenario, as a result says it.
 */
export function unsupported(scenario: Scenario, discovery: Discovery, attributes: Record<string, string[]> | undefined, idps: IdpRegistry): ScenarioResult | undefined {
  const skipped = (why: Why) => scenarioResult(scenario, idps, { status: 'skipped', ...why, durationMs: 0, steps: [], exchanges: [], outcomes: [] });
  const needs = attributeNeeds(scenario);
  const { claim } = discovery;
  if (claim) {
    const unstored = undeclaredNeeds(needs, claim.attributes);
    const why = unclaimed(scenario, claim) ?? (unstored.length ? attributeCause(storedBy(claim), unstored, claim.attributes) : undefined);
    if (why) return skipped(why);
  } else {
    const missing = missingFeatures(scenario, discovery.features);
    if (missing.length) {
      const reason = `not supported: ${missing.join(', ')} (${discovery.source})`;
      return skipped({ reason, cause: { key: `feature:${missing[0]}`, summary: `target does not support ${missing[0]} (${discovery.source})` } });
    }
  }
  const absent = attributes ? undeclaredNeeds(needs, attributes) : [];
  return absent.length ? skipped(attributeCause(SCHEMAS, absent, attributes!)) : undefined;
}

/**
 * An IdP scenario that did not pass because the target refused a request of the IdP's that it
 * cannot take: one carrying attributes the target does not declare (or, with a profile, store),
 * or (any of its refused requests) one the profile says it lacks or refuses (a route, a filter,
 * a PATCH path, a dialect only a compat departure takes). Not supported or
 * not claimed, rather than failed. What a simulator sends follows its mappings, so this is known
 * only once it has sent it; the transcript is kept to show it.
 */
export function unsentable(result: ScenarioResult, attributes: Record<string, string[]> | undefined, claim?: Claim): ScenarioResult {
  if (result.idp === 'none' || (result.status !== 'failed' && result.status !== 'error')) return result;
  const beyond = claim && unclaimedExchanges(result, claim);
  if (beyond) return { ...result, status: 'skipped', ...beyond };
  const refused = result.exchanges.find((e) => e.seq === result.cause?.exchange);
  const status = refused?.response?.status ?? 0;
  if (!refused || status < 400) return result;
  const sent = status < 500 ? sentAttributeNeeds([refused]) : [];
  const detail = result.cause?.answer?.detail;
  const unstored = claim ? undeclaredNeeds(sent, claim.attributes) : [];
  const absent = attributes ? undeclaredNeeds(sent, attributes) : [];
  const why =
    (unstored.length ? attributeCause(storedBy(claim!), unstored, claim!.attributes, ', which the IdP sends', detail) : undefined) ??
    (absent.length ? attributeCause(SCHEMAS, absent, attributes!, ', which the IdP sends', detail) : undefined);
  return why ? { ...result, status: 'skipped', ...why } : result;
}
