/**
 * What a target claims, read from its profile (`run --profile NAME|FILE`, docs/profiles.md): what
 * the reference server would do with that profile. A scenario that needs more is skipped as *not
 * claimed by profile NAME: …*, instead of being run into a failure or a block. The profile is
 * read as the reference server reads it, so that the two never disagree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolveOptions } from '../../reference-server/options.js';
import { endpointOf } from '../../reference-server/profile/answers.js';
import { bundledProfileChoices, bundledProfileName, bundledVariationNames } from '../../reference-server/profile/load.js';
import { withScimTypePolicy } from '../../reference-server/http/errors.js';
import { ScimError, type ScimType } from '../../scim/errors.js';
import { ENDPOINT_METHODS, type Profile, type SupportFeature } from '../../scim/profile/fields.js';
import { ProfileError } from '../../scim/profile/resolve.js';
import { isObject } from '../../scim/schema/keys.js';
import { suggest } from '../../scim/suggest.js';
import { parseYaml } from '../scenario/yaml-positions.js';
import { filterOf } from '../steps/refusal.js';
import type { Exchange, ScenarioResult } from '../result.js';
import type { RequestSpec, ResponseExpectation, Scenario } from '../types.js';
import { expectsSuccess, resourceOf, untemplated } from './attribute-needs.js';
import { requestShape } from './causes.js';
import { acceptedDeparture, refusedDialect } from './claim/compat.js';
import { schemaGap } from './claim/discovery.js';
import { filterGap } from './claim/filter.js';
import type { Gap } from './claim/gap.js';
import { patchGap } from './claim/patch.js';
import { putGap } from './claim/put.js';
import { UsageError } from './errors.js';
import { missingFeatures } from './features.js';
import { declaredAttributes } from './schemas.js';

export interface Claim {
  /** The profile's name, as reasons and the run result give it. */
  name: string;
  /** The profile as `createReferenceServer({ profile })` takes it: a bundled name or a file. */
  option: string;
  profile: Profile;
  /** The optional features it claims: its `supports`, else what the ServiceProviderConfig it describes declares. */
  features: Record<SupportFeature, boolean>;
  /** The attributes it stores, by resource type, as `declaredAttributes` writes them. */
  attributes: Record<string, string[]>;
}

/** Why a scenario is skipped, in its reason and as the cause it shares. */
export type Why = Pick<ScenarioResult, 'reason' | 'cause'>;

export const notClaimed = (claim: Claim, what: string) => `not claimed by profile ${claim.name}: ${what}`;

const why = (claim: Claim, gap: Gap): Why => ({
  reason: notClaimed(claim, gap.what),
  cause: { key: `claim:${gap.key}`, summary: `profile ${claim.name} ${gap.summary}` },
});

// ---- reading ----

/**
 * The claim of a profile given as `--profile` takes it: a bundled name (`strict`, `eq-and-filters`
 * or `variations/eq-and-filters`) or a file, its `extends` resolved. A mistake is a UsageError
 * naming the file and line where it can, else the profile reader's field path.
 */
export function readClaim(given: string): Claim {
  const option = profileOption(given);
  let options;
  try {
    options = resolveOptions({ profile: option });
  } catch (error) {
    if (error instanceof ProfileError) throw new UsageError(located(error));
    throw error;
  }
  const { profile, supports, schemas } = options;
  return { name: profile.name, option, profile, features: supports, attributes: declaredAttributes(schemas.schemas) ?? {} };
}

/** The profile option as the reference server takes it: `variations/NAME` is the bundled NAME. */
function profileOption(given: string): string {
  const bundled = bundledProfileName(given);
  if (bundled !== undefined) return bundled;
  if (existsSync(given)) return given;
  const names = bundledProfileChoices();
  const hint = suggest(given, [...names, ...bundledVariationNames()]);
  throw new UsageError(`--profile ${given} is neither a bundled profile nor a file: ${hint ? `did you mean ${hint}?` : `the bundled ones are ${names.join(', ')}`}`);
}

/** `filter.attributes.User["emails.value"][0]` as the keys and indexes it names; undefined for a place given otherwise (`line 3, column 1`). */
function fieldSegments(path: string): (string | number)[] | undefined {
  if (path === 'the profile') return [];
  const segment = /(?:^|\.)([A-Za-z_][\w-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  const segments: (string | number)[] = [];
  while (segment.lastIndex < path.length) {
    const match = segment.exec(path);
    if (!match) return undefined;
    segments.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (JSON.parse(match[3]!) as string)));
  }
  return segments;
}

/** The profile reader's mistakes, each at `file:line` when its file can be read again, with the rename of `features:`. */
function located(error: ProfileError): string {
  let yaml: ReturnType<typeof parseYaml> | undefined;
  try {
    yaml = parseYaml(readFileSync(error.where, 'utf8'));
  } catch {
    // Not a file (`profile NAME`, for attributes RFC 7643 lacks): the field path says where.
  }
  return error.problems
    .map(({ path, message }) => {
      const segments = fieldSegments(path);
      const at = yaml && segments && yaml.errors.length === 0 ? `${error.where}:${yaml.locate(segments, 'key').line}` : error.where;
      const said = path === 'features' && message.startsWith('unknown key') ? '"features:" is now "supports:": rename it, e.g. supports: { bulk: false, sort: true }' : message;
      return `${at}: ${path}: ${said}`;
    })
    .join('\n');
}

// ---- judging ----

/**
 * Why `scenario` lies outside the claim, or undefined: a feature it needs, then, step by step, a
 * route the profile says is absent, a request it refuses or does not apply (in steps that expect
 * success) or accepts (in steps that expect a refusal), a scimType it leaves out of its errors, an
 * attribute its /Schemas leaves out; then a PUT expected to clear what it keeps. Attributes are
 * judged as /Schemas' are (support.ts).
 */
export function unclaimed(scenario: Scenario, claim: Claim): Why | undefined {
  const missing = missingFeatures(scenario, claim.features);
  if (missing.length) return why(claim, { what: missing.join(', '), key: `feature:${missing[0]}`, summary: `does not claim ${missing[0]}` });
  for (const step of scenario.steps) {
    if (step.kind !== 'request') continue;
    const gap =
      requestGap(claim.profile, step.request, expectsSuccess(step.expect)) ??
      scimTypeGap(claim.profile, step.expect) ??
      schemaGap(claim.attributes, step.request, step.expect?.body);
    if (gap) return why(claim, gap);
  }
  const gap = putGap(claim.profile, scenario.steps);
  return gap && why(claim, gap);
}

/**
 * Why the target refused one of an IdP's requests, when the profile says it would: a route it
 * lacks, a filter or a PATCH it refuses, a dialect only a compat departure it leaves off takes.
 * What a simulator sends is known only once it has sent it.
 */
function unclaimedExchange(exchange: Exchange, claim: Claim): Why | undefined {
  let search: string;
  try {
    search = new URL(exchange.request.url).search;
  } catch {
    return undefined;
  }
  const [method, path] = requestShape(exchange).split(' ', 2) as [string, string];
  const request = { method, path: `${path}${search}`, body: exchange.request.body?.json };
  // Only once refused is a request known to need a departure: the resource it met is not known before.
  const gap = requestGap(claim.profile, request, true) ?? refusedDialect(claim.profile, request);
  return gap && why(claim, gap);
}

/**
 * Why an IdP scenario that did not pass lies outside the claim: a request of the IdP's the target
 * refused as the profile says it would (the one the failure names first). Once one is refused,
 * what the IdP does next is no longer what the scenario expects; injected answers are the
 * scenario's own doing.
 */
export function unclaimedExchanges(result: ScenarioResult, claim: Claim): Why | undefined {
  const refused = result.exchanges.filter((e) => e.kind === 'idp' && e.fault === undefined && (e.response?.status ?? 0) >= 400);
  const first = refused.filter((e) => e.seq === result.cause?.exchange);
  for (const exchange of [...first, ...refused]) {
    const found = unclaimedExchange(exchange, claim);
    if (found) return found;
  }
  return undefined;
}

/**
 * The claims an embedded run judges by: a scenario runs on a reference server with its own
 * `target.profile`, else its IdP's, else the run's, and is judged by that profile, read once.
 */
export function embeddedClaims(run: Claim): (option: string) => Claim {
  const read = new Map([[run.option, run]]);
  return (option) => {
    let claim = read.get(option);
    if (!claim) read.set(option, (claim = readClaim(option)));
    return claim;
  };
}

/**
 * What one request needs beyond the profile: its route; when it expects success, its filter and
 * its PATCH (or a Bulk request's PATCHes); when it expects a refusal, none that the profile's
 * compat departures accept.
 */
function requestGap(profile: Profile, request: RequestSpec, success: boolean): Gap | undefined {
  const method = String(request.method).toUpperCase();
  const path = untemplated(String(request.path)).split('?', 1)[0]!;
  const endpoint = endpointOf(path, '');
  // A method the endpoint can never have (PUT /Users) is the RFC's to judge, not the profile's.
  if (endpoint && (ENDPOINT_METHODS[endpoint] as readonly string[]).includes(method) && !(profile.endpoints.methods[endpoint] as readonly string[]).includes(method)) {
    return { what: `${method} ${endpoint} is absent`, key: `endpoint:${method} ${endpoint}`, summary: `has no ${method} ${endpoint}` };
  }
  if (!success) return acceptedDeparture(profile, request);
  const resource = resourceOf(path);
  const filter = filterOf(request);
  return (
    (filter === undefined ? undefined : filterGap(profile, resource, filter)) ??
    (method === 'PATCH' && resource ? patchGap(profile, resource, request.body) : undefined) ??
    (/^\/Bulk$/i.test(path) ? bulkGap(profile, request.body) : undefined)
  );
}

/** The first PATCH in a Bulk request the profile does not apply: PATCH in Bulk follows the same rules (docs/profiles.md). */
function bulkGap(profile: Profile, body: unknown): Gap | undefined {
  const operations = isObject(body) && Array.isArray(body.Operations) ? body.Operations : [];
  for (const operation of operations) {
    const target = isObject(operation) && String(operation.method).toUpperCase() === 'PATCH' ? resourceOf(String(operation.path)) : undefined;
    const inner = target && patchGap(profile, target, operation.data);
    if (inner) return inner;
  }
  return undefined;
}

/** The scimTypes a step expects an error to carry, as `equals` or `oneOf` give them; undefined when it names none. */
function expectedScimTypes(expect: ResponseExpectation | undefined): string[] | undefined {
  const matcher = Object.entries(expect?.body ?? {}).find(([path]) => path.toLowerCase() === 'scimtype')?.[1];
  if (typeof matcher?.equals === 'string') return [matcher.equals];
  return matcher?.oneOf?.filter((value): value is string => typeof value === 'string');
}

/** A step that expects a scimType the profile's `errors.scimType` leaves out of every error it could be in, as the server does. */
function scimTypeGap(profile: Profile, expect: ResponseExpectation | undefined): Gap | undefined {
  const expected = expectedScimTypes(expect);
  const policy = profile.errors.scimType;
  if (!expected?.length || expected.some((type) => withScimTypePolicy(new ScimError(400, type as ScimType, ''), policy).scimType !== undefined)) return undefined;
  const sends = policy === 'never' ? 'sends no scimType' : 'sends a scimType only where RFC 7644 requires one';
  return { what: `scimType ${expected.join(' or ')} in an error`, key: 'scim-type', summary: `${sends} (errors.scimType: ${policy})` };
}
