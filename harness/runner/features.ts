import { getKey, isObject } from '../../scim/schema/keys.js';
import type { ClientResponse, ScimClient } from '../http/client.js';
import type { Transcript } from '../http/transcript.js';
import { OPTIONAL_FEATURES, type OptionalFeature, type Scenario } from '../types.js';
import type { TargetInfo } from '../result.js';
import type { Claim } from './claim.js';

export interface Discovery {
  features: Record<string, boolean>;
  source: TargetInfo['featureSource'];
  /** With `run --profile`: what the profile claims, which decides instead of discovery. */
  claim?: Claim;
}

/**
 * Reads what the target says it supports from GET /ServiceProviderConfig (RFC 7644 §4): from
 * `answered`, the answer the preflight got already, else from one sent now.
 */
export async function discoverFeatures(client: ScimClient, transcript: Transcript, answered?: Pick<ClientResponse, 'status' | 'json'>): Promise<Discovery> {
  const response = answered ?? (await client.send({ method: 'GET', path: '/ServiceProviderConfig' }, { transcript, kind: 'discovery', step: null }));
  const spc = response.json;
  if (response.status !== 200 || !isObject(spc)) {
    // Without a readable configuration (the preflight has already turned away a refused credential),
    // every feature is assumed, so that what is missing shows as failures.
    return { features: Object.fromEntries(OPTIONAL_FEATURES.map((f) => [f, true])), source: 'assumed' };
  }
  const features: Record<string, boolean> = {};
  for (const name of OPTIONAL_FEATURES) {
    const entry = getKey(spc, name);
    features[name] = isObject(entry) && getKey(entry, 'supported') === true;
  }
  return { features, source: 'ServiceProviderConfig' };
}

/** True when a PUT or PATCH body sets `password` (at the top level, or as an operation's path or value key). */
function setsPassword(method: string, body: unknown): boolean {
  const isPassword = (key: unknown) => typeof key === 'string' && /^(urn:ietf:params:scim:schemas:core:2\.0:User:)?password$/i.test(key);
  if (method === 'PUT') return isObject(body) && Object.keys(body).some(isPassword);
  if (method !== 'PATCH' || !isObject(body) || !Array.isArray(body.Operations)) return false;
  return body.Operations.some((op) => isObject(op) && (isPassword(op.path) || (op.path === undefined && isObject(op.value) && Object.keys(op.value).some(isPassword))));
}

/**
 * The features a scenario needs: those it requires, and `changePassword` when a step that expects
 * success changes a password (RFC 7643 §5: a target may say it cannot).
 */
export function neededFeatures(scenario: Scenario): OptionalFeature[] {
  const changes = scenario.steps.some(
    (step) =>
      step.kind === 'request' &&
      [step.expect?.status ?? 200].flat().every((s) => s < 400) &&
      /^\/Users\//i.test(String(step.request.path)) &&
      setsPassword(String(step.request.method).toUpperCase(), step.request.body),
  );
  return changes && !scenario.requires.includes('changePassword') ? [...scenario.requires, 'changePassword'] : scenario.requires;
}

/** The features a scenario needs that the target does not declare supported; empty when it can run. */
export function missingFeatures(scenario: Scenario, features: Record<string, boolean>): OptionalFeature[] {
  return neededFeatures(scenario).filter((f) => features[f] !== true);
}
