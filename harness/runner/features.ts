import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { getKey, isObject } from '../../scim/schema/keys.js';
import type { ScimClient } from '../http/client.js';
import type { Transcript } from '../http/transcript.js';
import type { Scenario } from '../types.js';
import type { TargetInfo } from '../result.js';
import { UsageError } from './errors.js';

/** The optional features of RFC 7643 §5, as /ServiceProviderConfig names them. */
export const SPC_FEATURES = ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag'] as const;

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
    return { features: Object.fromEntries(SPC_FEATURES.map((f) => [f, true])), source: 'assumed' };
  }
  const features: Record<string, boolean> = {};
  for (const name of SPC_FEATURES) {
    const entry = getKey(spc, name);
    features[name] = isObject(entry) && getKey(entry, 'supported') === true;
  }
  return { features, source: 'ServiceProviderConfig' };
}

/** A target profile file: `features: { bulk: false, sort: true }` decides instead of /ServiceProviderConfig. */
export async function loadProfile(file: string): Promise<Record<string, boolean>> {
  let data: unknown;
  try {
    data = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`Cannot read the profile ${file}: ${(error as Error).message}`);
  }
  const features = isObject(data) ? data.features : undefined;
  if (!isObject(features) || Object.values(features).some((v) => typeof v !== 'boolean')) {
    throw new UsageError(`The profile ${file} must have "features:" mapping feature names to true or false, e.g. "features: { bulk: false }"`);
  }
  return features as Record<string, boolean>;
}

/** True when a PUT or PATCH body sets `password` (at the top level, or as an operation's path or value key). */
function setsPassword(method: string, body: unknown): boolean {
  const isPassword = (key: unknown) => typeof key === 'string' && /^(urn:ietf:params:scim:schemas:core:2\.0:User:)?password$/i.test(key);
  if (method === 'PUT') return isObject(body) && Object.keys(body).some(isPassword);
  if (method !== 'PATCH' || !isObject(body) || !Array.isArray(body.Operations)) return false;
  return body.Operations.some((op) => isObject(op) && (isPassword(op.path) || (op.path === undefined && isObject(op.value) && Object.keys(op.value).some(isPassword))));
}

/**
 * The features a scenario needs: those it declares, and `changePassword` when a step that expects
 * success changes a password (RFC 7643 §5: a target may say it cannot).
 */
export function neededFeatures(scenario: Scenario): string[] {
  const changes = scenario.steps.some(
    (step) =>
      step.kind === 'request' &&
      [step.expect?.status ?? 200].flat().every((s) => s < 400) &&
      /^\/Users\//i.test(String(step.request.path)) &&
      setsPassword(String(step.request.method).toUpperCase(), step.request.body),
  );
  return changes && !scenario.features.includes('changePassword') ? [...scenario.features, 'changePassword'] : scenario.features;
}

/**
 * The features a scenario needs that the target lacks; empty when it can run. The features of
 * /ServiceProviderConfig must be declared; any other (`okta.deactivateUsers`) is assumed unless
 * a profile says `false`.
 */
export function missingFeatures(scenario: Scenario, features: Record<string, boolean>): string[] {
  const declared = (f: string) => (SPC_FEATURES as readonly string[]).includes(f);
  return neededFeatures(scenario).filter((f) => (declared(f) ? features[f] !== true : features[f] === false));
}
