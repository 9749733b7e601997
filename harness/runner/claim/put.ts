/**
 * A profile's `users.put` and `groups.put`: with `keep-omitted` (RFC 7644 §3.5.1 lets a server
 * take an omitted attribute as "not asserted") a PUT keeps what its body leaves out, so a scenario
 * expecting a PUT to clear an omitted attribute, or to be refused for lacking a required one, is
 * beyond the claim.
 */
import type { Profile } from '../../../scim/profile/fields.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import { findKey, isObject } from '../../../scim/schema/keys.js';
import type { ExpectStep, Matcher, RequestStep, Step } from '../../types.js';
import { expectsSuccess, resourceOf, untemplated, type ResourceKind } from '../attribute-needs.js';
import type { Gap } from './gap.js';

const REQUIRED: Record<ResourceKind, string> = { User: 'userName', Group: 'displayName' };
const field = (resource: ResourceKind) => (resource === 'User' ? 'users.put' : 'groups.put');

const keeps = (profile: Profile, resource: ResourceKind) => (resource === 'User' ? profile.users : profile.groups).put === 'keep-omitted';

const gap = (resource: ResourceKind, what: string): Gap => ({
  what: `${what} (${field(resource)}: keep-omitted keeps it)`,
  key: `put-keeps-omitted:${resource}`,
  summary: `keeps what a PUT omits on ${resource}s (${field(resource)}: keep-omitted, RFC 7644 §3.5.1)`,
});

/** A body path's attribute as a PUT body holds it: its key, and for an extension attribute the member under the extension's key. */
function placeOf(path: string, resource: ResourceKind): { key: string; member?: string } {
  const model = resource === 'User' ? userModel : groupModel;
  const bracketed = /^\["([^"]+)"\]\.?([^.[]*)/.exec(path);
  if (bracketed) return { key: bracketed[1]!, member: bracketed[2] || undefined };
  if (path.toLowerCase().startsWith('urn:') && !model.extension(path)) {
    const cut = path.lastIndexOf(':');
    return { key: path.slice(0, cut), member: path.slice(cut + 1).split(/[.[]/, 1)[0] };
  }
  return { key: path.split(/[.[]/, 1)[0]! };
}

/** True when a PUT of `body` would clear the attribute at `path` by leaving it out: a readWrite attribute that is returned, and not in `body`. */
function clearedByOmission(path: string, resource: ResourceKind, body: Record<string, unknown>): boolean {
  const model = resource === 'User' ? userModel : groupModel;
  const { key, member } = placeOf(path, resource);
  const resolved = member === undefined ? model.resolve({ attr: key }) : model.resolve({ uri: key, attr: member });
  if (!resolved || resolved.attribute.mutability !== 'readWrite' || resolved.attribute.returned === 'never') return false;
  const given = findKey(body, key);
  if (given === undefined) return true;
  const value = body[given];
  return member !== undefined && isObject(value) && findKey(value, member) === undefined;
}

const absentPaths = (matchers: Record<string, Matcher> | undefined) =>
  Object.entries(matchers ?? {})
    .filter(([, matcher]) => matcher.absent === true)
    .map(([path]) => path);

/** A request step's PUT: what it replaces, and that resource's path as written. */
function putOf(step: Step): { resource: ResourceKind; path: string; body: Record<string, unknown> } | undefined {
  if (step.kind !== 'request' || String(step.request.method).toUpperCase() !== 'PUT' || !isObject(step.request.body)) return undefined;
  const path = untemplated(String(step.request.path)).split('?', 1)[0]!;
  const resource = /^\/(Users|Groups)\/[^/]+$/i.test(path) ? resourceOf(path) : undefined;
  return resource && { resource, path, body: step.request.body };
}

/** The steps after a PUT that read what it left, up to the next request that changes the resource. */
function readsAfter(steps: readonly Step[], from: number, path: string): RequestStep[] {
  const reads: RequestStep[] = [];
  for (const step of steps.slice(from + 1)) {
    if (step.kind !== 'request' || untemplated(String(step.request.path)).split('?', 1)[0] !== path) continue;
    if (String(step.request.method).toUpperCase() !== 'GET') break;
    reads.push(step);
  }
  return reads;
}

/** A request step's PUT that the scenario expects to clear what it omits, or to be refused for lacking the required attribute. */
function requestGap(profile: Profile, steps: readonly Step[], index: number): Gap | undefined {
  const put = putOf(steps[index]!);
  if (!put || !keeps(profile, put.resource)) return undefined;
  const { resource, path, body } = put;
  const route = `PUT /${resource}s/{id}`;
  if (!expectsSuccess((steps[index] as RequestStep).expect)) {
    const required = REQUIRED[resource];
    return findKey(body, required) === undefined ? gap(resource, `a refusal of ${route} without ${required}`) : undefined;
  }
  for (const step of [steps[index] as RequestStep, ...readsAfter(steps, index, path)]) {
    const cleared = absentPaths(step.expect?.body).find((p) => clearedByOmission(p, resource, body));
    if (cleared) return gap(resource, `${route} clearing ${cleared}, which its body omits`);
  }
  return undefined;
}

/**
 * An IdP's PUT the scenario expects to have cleared an attribute on the target: one its `sent`
 * lists, whose body (as far as `sent` shows it) leaves the attribute out.
 */
function expectGap(profile: Profile, step: ExpectStep): Gap | undefined {
  const absent = Object.values(step.target ?? {}).flatMap(absentPaths);
  for (const sent of step.sent ?? []) {
    const line = typeof sent === 'string' ? sent : isObject(sent) ? `${String(sent.method)} ${String(sent.path)}` : '';
    const [method = '', path = ''] = untemplated(line).split(' ', 2);
    const resource = method.toUpperCase() === 'PUT' ? resourceOf(path) : undefined;
    if (!resource || !keeps(profile, resource)) continue;
    const body = isObject(sent) && isObject(sent.body) ? sent.body : {};
    const cleared = absent.find((p) => clearedByOmission(p, resource, body));
    if (cleared) return gap(resource, `an IdP's PUT /${resource}s/{id} clearing ${cleared}, which it omits`);
  }
  return undefined;
}

/** The first step that counts on a PUT replacing whole what the profile's PUT keeps. */
export function putGap(profile: Profile, steps: readonly Step[]): Gap | undefined {
  for (const [index, step] of steps.entries()) {
    const found = step.kind === 'request' ? requestGap(profile, steps, index) : step.kind === 'expect' ? expectGap(profile, step) : undefined;
    if (found) return found;
  }
  return undefined;
}
