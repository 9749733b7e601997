/**
 * What a profile's `compat` decides (scim/compat.ts), both ways: a request outside RFC 7644 (an
 * IdP's dialect) that only a departure the profile leaves off would accept, and a refusal RFC 7644
 * asks for that a departure the profile turns on makes an acceptance. Judged with scim/'s own
 * reading of the request (its filter, a POST or PUT body, a PATCH under the profile's rules applied
 * to a minimal resource) under the profile's compat, and under it with departures switched.
 */
import { endpointOf } from '../../../reference-server/profile/answers.js';
import { COMPAT_OPTIONS, type Compat, type CompatOption } from '../../../scim/compat.js';
import { isScimError } from '../../../scim/errors.js';
import { parseFilter } from '../../../scim/filter/parse.js';
import { applyPatch } from '../../../scim/patch/apply.js';
import type { Profile } from '../../../scim/profile/fields.js';
import { rulePatch } from '../../../scim/profile/patch.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import { isObject } from '../../../scim/schema/keys.js';
import { URN } from '../../../scim/schema/urns.js';
import { validateResource } from '../../../scim/validate.js';
import { filterOf } from '../../steps/refusal.js';
import type { RequestSpec } from '../../types.js';
import { untemplated } from '../attribute-needs.js';
import type { Gap } from './gap.js';
import { profileRules } from './patch.js';

/** What each departure accepts, in a few words. */
const ACCEPTS: Record<CompatOption, string> = {
  caseInsensitiveOps: 'PATCH ops in any case, as "Replace"',
  stringBooleans: '"True" and "False" for a boolean',
  dottedPathlessKeys: 'attribute paths as the keys of a path-less PATCH value',
  createOnFilteredPath: 'a filtered PATCH path that matches nothing, creating the element',
  removeWithValue: 'a remove with a value list, removing only those values',
  complexFromScalar: 'a bare string for a complex value',
  filterOnSingleComplex: 'a value filter on a single-valued complex attribute',
  unqualifiedExtensionAttributes: 'extension attributes named without their URN',
  ignoreUnknownAttributes: 'attributes no schema defines, dropping them',
  unquotedFilterValues: 'filter values without quotes',
};

/** Whether the reference server with `profile` but `compat` takes the request: its filter, and its body as the resource type's POST, PUT or PATCH (under the profile's PATCH rules). */
function accepts(profile: Profile, request: RequestSpec, compat: Compat): boolean {
  const method = String(request.method).toUpperCase();
  const path = untemplated(String(request.path)).split('?', 1)[0]!;
  const filter = filterOf(request);
  const target = /^\/(Users|Groups)(\/[^/]+)?$/i.exec(path);
  try {
    if (filter !== undefined) parseFilter(untemplated(filter), { unquotedValues: compat.unquotedFilterValues });
    if (!target || request.body === undefined) return true;
    const users = target[1]!.toLowerCase() === 'users';
    const model = users ? userModel : groupModel;
    // The smallest resource there is: what a PATCH or PUT needs of the stored one is judged elsewhere.
    const existing = { schemas: [model.core.id], id: 'x', ...(users ? { userName: 'x' } : { displayName: 'x' }) };
    const one = target[2] !== undefined;
    if (method === 'POST' && !one) validateResource(request.body, model, { mode: 'create', compat });
    if (method === 'PUT' && one) validateResource(request.body, model, { mode: 'replace', existing, compat });
    if (method === 'PATCH' && one) {
      // A profile may not check `schemas` (patch.checkSchemas), as the server does not.
      const sent = profile.patch.checkSchemas || !isObject(request.body) ? request.body : { ...request.body, schemas: [URN.patchOp] };
      const ruled = rulePatch(sent, profileRules(profile, users ? 'User' : 'Group'), compat);
      if (!ruled.empty) applyPatch(existing, ruled.body, model, { compat });
    }
    return true;
  } catch (error) {
    if (isScimError(error)) return false;
    throw error;
  }
}

const switched = (compat: Compat, options: readonly CompatOption[], on: boolean): Compat => ({ ...compat, ...Object.fromEntries(options.map((o) => [o, on])) });

/** Of `options`, all on in `taking` (a compat that accepts the request), those it cannot do without; else the first, when any one of several would do. */
function needed(profile: Profile, request: RequestSpec, taking: Compat, options: readonly CompatOption[]): CompatOption[] {
  const each = options.filter((option) => !accepts(profile, request, switched(taking, [option], false)));
  return each.length ? each : options.slice(0, 1);
}

const named = (options: readonly CompatOption[]) => options.map((o) => `compat.${o} (${ACCEPTS[o]})`).join(' and ');

const route = (request: RequestSpec) => {
  const method = String(request.method).toUpperCase();
  const path = untemplated(String(request.path)).split('?', 1)[0]!;
  return `${method} ${endpointOf(path, '') ?? path}`;
};

/** A request the profile refuses that the departures it leaves off would accept: the scenario expects it taken. */
export function refusedDialect(profile: Profile, request: RequestSpec): Gap | undefined {
  const { compat } = profile;
  const off = COMPAT_OPTIONS.filter((option) => !compat[option]);
  const lenient = switched(compat, off, true);
  if (accepts(profile, request, compat) || !accepts(profile, request, lenient)) return undefined;
  const needs = needed(profile, request, lenient, off);
  return {
    what: `${route(request)} needs ${named(needs)}`,
    key: `compat-off:${needs[0]}`,
    summary: `refuses what only compat.${needs[0]} accepts (${ACCEPTS[needs[0]!]})`,
  };
}

/** A request RFC 7644 has refused that the departures the profile turns on accept: the scenario expects the refusal. */
export function acceptedDeparture(profile: Profile, request: RequestSpec): Gap | undefined {
  const { compat } = profile;
  const on = COMPAT_OPTIONS.filter((option) => compat[option]);
  if (!accepts(profile, request, compat) || accepts(profile, request, switched(compat, on, false))) return undefined;
  const takes = needed(profile, request, compat, on);
  return {
    what: `a refusal of ${route(request)}, which ${named(takes)} accepts`,
    key: `compat-on:${takes[0]}`,
    summary: `accepts with compat.${takes[0]} what RFC 7644 refuses (${ACCEPTS[takes[0]!]})`,
  };
}
