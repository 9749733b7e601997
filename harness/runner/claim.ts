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
import { isScimError, ScimError, type ScimType } from '../../scim/errors.js';
import { formatAttrPath } from '../../scim/filter/lex.js';
import { parseFilter } from '../../scim/filter/parse.js';
import type { AttrPath, Filter } from '../../scim/filter/types.js';
import { readPatchRequest, type PatchOperation } from '../../scim/patch/request.js';
import { ENDPOINT_METHODS, PATCH_OPS, type FilterOperator, type Profile, type SupportFeature } from '../../scim/profile/fields.js';
import { rulePatch, type PatchRules } from '../../scim/profile/patch.js';
import { ProfileError } from '../../scim/profile/resolve.js';
import { groupModel, userModel } from '../../scim/schema/index.js';
import { isObject } from '../../scim/schema/keys.js';
import { URN } from '../../scim/schema/urns.js';
import { suggest } from '../../scim/suggest.js';
import { parseYaml } from '../scenario/yaml-positions.js';
import { filterOf } from '../steps/refusal.js';
import type { Exchange, ScenarioResult } from '../result.js';
import type { RequestSpec, ResponseExpectation, Scenario } from '../types.js';
import { expectsSuccess, resourceOf, untemplated, type ResourceKind } from './attribute-needs.js';
import { requestShape } from './causes.js';
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

/** Something a scenario needs beyond the claim: in the reason's words, and as the cause every such scenario shares. */
interface Gap {
  what: string;
  key: string;
  /** Said of the profile: `has no DELETE /Users/{id}`. */
  summary: string;
}

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
 * route the profile says is absent, a filter or a PATCH it refuses or does not apply (in steps
 * that expect success), a scimType it leaves out of its errors. Attributes are judged as
 * /Schemas' are (support.ts).
 */
export function unclaimed(scenario: Scenario, claim: Claim): Why | undefined {
  const missing = missingFeatures(scenario, claim.features);
  if (missing.length) return why(claim, { what: missing.join(', '), key: `feature:${missing[0]}`, summary: `does not claim ${missing[0]}` });
  for (const step of scenario.steps) {
    const gap = step.kind === 'request' ? (requestGap(claim.profile, step.request, expectsSuccess(step.expect)) ?? scimTypeGap(claim.profile, step.expect)) : undefined;
    if (gap) return why(claim, gap);
  }
  return undefined;
}

/**
 * Why the target refused one of an IdP's requests, when the profile says it would: a route it
 * lacks, a filter or a PATCH it refuses. What a simulator sends is known only once it has sent it.
 */
export function unclaimedExchange(exchange: Exchange, claim: Claim): Why | undefined {
  let search: string;
  try {
    search = new URL(exchange.request.url).search;
  } catch {
    return undefined;
  }
  const [method, path] = requestShape(exchange).split(' ', 2) as [string, string];
  const gap = requestGap(claim.profile, { method, path: `${path}${search}`, body: exchange.request.body?.json }, true);
  return gap && why(claim, gap);
}

/** What one request needs beyond the profile: its route; when it expects success, its filter and its PATCH (or a Bulk request's PATCHes). */
function requestGap(profile: Profile, request: RequestSpec, success: boolean): Gap | undefined {
  const method = String(request.method).toUpperCase();
  const path = untemplated(String(request.path)).split('?', 1)[0]!;
  const endpoint = endpointOf(path, '');
  // A method the endpoint can never have (PUT /Users) is the RFC's to judge, not the profile's.
  if (endpoint && (ENDPOINT_METHODS[endpoint] as readonly string[]).includes(method) && !(profile.endpoints.methods[endpoint] as readonly string[]).includes(method)) {
    return { what: `${method} ${endpoint} is absent`, key: `endpoint:${method} ${endpoint}`, summary: `has no ${method} ${endpoint}` };
  }
  if (!success) return undefined;
  const resource = resourceOf(path);
  const filter = filterOf(request);
  const gap = filter === undefined ? undefined : filterGap(profile, resource, filter);
  if (gap) return gap;
  if (method === 'PATCH') return resource && patchGap(profile, resource, request.body);
  if (!/^\/Bulk$/i.test(path)) return undefined;
  // PATCH in Bulk follows the same rules (docs/profiles.md).
  const operations = isObject(request.body) && Array.isArray(request.body.Operations) ? request.body.Operations : [];
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

/** Each test of a filter, in written order: its operator and, for an attribute test, the attribute (a value filter's terms as `emails.type`). */
function filterTests(filter: Filter, outer?: AttrPath): { op: FilterOperator; path?: AttrPath }[] {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return [...filterTests(filter.left, outer), { op: filter.kind }, ...filterTests(filter.right, outer)];
    case 'not':
      return [{ op: 'not' }, ...filterTests(filter.filter, outer)];
    case 'valuePath':
      return [{ op: '[]', path: filter.path }, ...filterTests(filter.filter, filter.path)];
    case 'present':
    case 'compare': {
      const inner = outer && filter.path.uri === undefined && filter.path.subAttr === undefined;
      return [{ op: filter.kind === 'present' ? 'pr' : filter.op, path: inner ? { ...outer, subAttr: filter.path.attr } : filter.path }];
    }
  }
}

/** A filter's operators against `filter.operators`, then its attribute tests against the resource type's `filter.attributes`, as the server checks them. */
function filterGap(profile: Profile, resource: ResourceKind | undefined, text: string): Gap | undefined {
  let filter: Filter;
  try {
    filter = parseFilter(untemplated(text), { unquotedValues: profile.compat.unquotedFilterValues });
  } catch {
    return undefined; // A malformed filter is what the step tests.
  }
  const core = resource === 'Group' ? URN.group : URN.user;
  const named = (path: AttrPath) => {
    const plain = formatAttrPath(path.uri?.toLowerCase() === core.toLowerCase() ? { ...path, uri: undefined } : path);
    return { plain, shown: resource ? `${resource}.${plain}` : plain };
  };
  const tests = filterTests(filter);
  for (const { op, path } of tests) {
    if (profile.filter.operators.includes(op)) continue;
    const on = path ? named(path).shown : undefined;
    const what = op === '[]' ? `value filter ${on}[…]` : `filter operator ${op}${on ? ` on ${on}` : ''}`;
    return { what, key: `filter-operator:${op}`, summary: `does not claim filter operator "${op}"` };
  }
  const table = resource && profile.filter.attributes[resource];
  if (!table) return undefined;
  for (const { op, path } of tests) {
    if (!path || op === '[]') continue;
    const { plain, shown } = named(path);
    const allowed = Object.entries(table).find(([name]) => name.toLowerCase() === plain.toLowerCase())?.[1];
    if (!allowed) return { what: `filter on ${shown}`, key: `filter-attribute:${shown.toLowerCase()}`, summary: `does not claim filters on ${shown}` };
    if (!(allowed as readonly string[]).includes(op)) return { what: `filter operator ${op} on ${shown}`, key: `filter-attribute:${shown.toLowerCase()} ${op}`, summary: `does not claim filter operator "${op}" on ${shown}` };
  }
  return undefined;
}

/** A PATCH's ops against `patch.ops`, then its paths against the resource type's `patch.paths`: one it ignores is not applied either. */
function patchGap(profile: Profile, resource: ResourceKind, body: unknown): Gap | undefined {
  const { ops, paths } = profile.patch;
  const table = paths[resource];
  if (ops.length === PATCH_OPS.length && !table) return undefined;
  let operations: PatchOperation[];
  try {
    operations = readPatchRequest(body, profile.compat);
  } catch {
    return undefined; // A malformed PATCH is what the step tests.
  }
  const refusedOp = operations.find((operation) => !ops.includes(operation.op));
  if (refusedOp) return { what: `PATCH op ${refusedOp.op}`, key: `patch-op:${refusedOp.op}`, summary: `does not claim PATCH op "${refusedOp.op}"` };
  if (!table) return undefined;
  const model = resource === 'User' ? userModel : groupModel;
  // Judged as `refuse` whatever `otherwise` says, so that the profile's own rules name what they would not apply.
  const rules: PatchRules = { ops: PATCH_OPS, paths: { apply: table.apply, otherwise: 'refuse' }, coreUrn: model.core.id, extensions: model.extensions.map((e) => e.id) };
  const refuses = (operation: Record<string, unknown>) => {
    try {
      rulePatch({ schemas: [URN.patchOp], Operations: [operation] }, rules, profile.compat);
      return false;
    } catch (error) {
      if (isScimError(error)) return error.scimType === 'mutability';
      throw error;
    }
  };
  for (const { op, pathText, value, hasValue } of operations) {
    const operation = { op, ...(pathText !== undefined && { path: pathText }), ...(hasValue && { value }) };
    if (!refuses(operation)) continue;
    // A path-less value: the member it does not apply.
    const member = pathText === undefined && isObject(value) ? Object.keys(value).find((key) => refuses({ op, value: { [key]: value[key] } })) : undefined;
    const path = pathText ?? member ?? 'of a path-less value';
    return { what: `PATCH path ${path} on ${resource}s`, key: `patch-path:${resource}.${path.toLowerCase()}`, summary: `does not apply PATCH path ${path} on ${resource}s` };
  }
  return undefined;
}
