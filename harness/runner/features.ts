import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { getKey, isObject } from '../../scim/schema/keys.js';
import type { ScimClient } from '../http/client.js';
import type { Transcript } from '../http/transcript.js';
import { OPTIONAL_FEATURES, type OptionalFeature, type Scenario } from '../types.js';
import type { TargetInfo } from '../result.js';
import { UsageError } from './errors.js';
import { suggest } from '../../scim/suggest.js';

export interface Discovery {
  features: Record<string, boolean>;
  source: TargetInfo['featureSource'];
}

/** Reads what the target says it supports from GET /ServiceProviderConfig (RFC 7644 §4). */
export async function discoverFeatures(client: ScimClient, transcript: Transcript): Promise<Discovery> {
  const response = await client.send({ method: 'GET', path: '/ServiceProviderConfig' }, { transcript, kind: 'discovery', step: null });
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

/**
 * A target profile file (`run --profile FILE`): what the target supports, `supports: { bulk: false,
 * sort: true }`, deciding instead of /ServiceProviderConfig; a feature it does not name is not
 * supported. Every reading of a profile is here.
 */
export async function loadProfile(file: string): Promise<Record<string, boolean>> {
  let data: unknown;
  try {
    data = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`Cannot read the profile ${file}: ${(error as Error).message}`);
  }
  const example = '"supports: { bulk: false, sort: true }"';
  if (isObject(data) && 'features' in data) {
    throw new UsageError(`The profile ${file} says "features:", which is now "supports:": rename it (${example})`);
  }
  const supports = isObject(data) ? data.supports : undefined;
  if (!isObject(supports) || Object.values(supports).some((v) => typeof v !== 'boolean')) {
    throw new UsageError(`The profile ${file} must have "supports:" mapping optional features (${OPTIONAL_FEATURES.join(', ')}) to true or false, e.g. ${example}`);
  }
  const unknown = Object.keys(supports).find((name) => !(OPTIONAL_FEATURES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    const hint = suggest(unknown, OPTIONAL_FEATURES);
    throw new UsageError(`The profile ${file} names "${unknown}" in "supports:"${hint ? `: did you mean "${hint}"?` : ''} (the optional features are ${OPTIONAL_FEATURES.join(', ')})`);
  }
  return supports as Record<string, boolean>;
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
