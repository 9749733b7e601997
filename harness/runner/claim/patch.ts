/**
 * A PATCH against a profile's `patch.ops`, `patch.paths` and `patch.values`, as the reference
 * server's rulePatch judges it (claim.ts).
 */
import { LENIENT } from '../../../scim/compat.js';
import { isScimError } from '../../../scim/errors.js';
import { readPatchRequest, type PatchOperation } from '../../../scim/patch/request.js';
import { PATCH_OPS, type PatchValues, type Profile } from '../../../scim/profile/fields.js';
import { refusedShape, rulePatch, type PatchRules } from '../../../scim/profile/patch.js';
import { shapeWords } from '../../../scim/profile/patch-values.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import { COMMON_ATTRIBUTES } from '../../../scim/schema/common.js';
import { isObject } from '../../../scim/schema/keys.js';
import { URN } from '../../../scim/schema/urns.js';
import type { ResourceKind } from '../attribute-needs.js';
import type { Gap } from './gap.js';

/** The PATCH's operations as the profile's compat reads them, else as every departure would (what compat decides is judged in compat.ts); undefined when malformed either way, which is what the step tests. */
function readable(profile: Profile, body: unknown): PatchOperation[] | undefined {
  for (const compat of [profile.compat, LENIENT]) {
    try {
      return readPatchRequest(body, compat);
    } catch {
      // Read again with every departure.
    }
  }
  return undefined;
}

/** The rules the reference server applies to a PATCH of `resource` under `profile`, but for the attributes it does not store. */
export function profileRules(profile: Profile, resource: ResourceKind): PatchRules {
  const model = resource === 'User' ? userModel : groupModel;
  const { ops, paths, values } = profile.patch;
  return { ops, paths: paths[resource], values: values[resource], coreUrn: model.core.id, extensions: model.extensions.map((e) => e.id) };
}

/** A PATCH's ops against `patch.ops`, then its paths against the resource type's `patch.paths` (one it ignores is not applied either), then its value shapes against `patch.values`. */
export function patchGap(profile: Profile, resource: ResourceKind, body: unknown): Gap | undefined {
  const { ops, paths, values } = profile.patch;
  const table = paths[resource];
  if (ops.length === PATCH_OPS.length && !table && !values[resource]) return undefined;
  const operations = readable(profile, body);
  if (!operations) return undefined;
  const refusedOp = operations.find((operation) => !ops.includes(operation.op));
  if (refusedOp) return { what: `PATCH op ${refusedOp.op}`, key: `patch-op:${refusedOp.op}`, summary: `does not claim PATCH op "${refusedOp.op}"` };
  if (!table) return shapeGap(operations, values[resource], resource);
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
  for (const { op, pathText, value: sent, hasValue } of operations) {
    const value = pathText === undefined && isObject(sent) && table.otherwise === 'ignore' ? withoutReadOnly(sent) : sent;
    const operation = { op, ...(pathText !== undefined && { path: pathText }), ...(hasValue && { value }) };
    if (!refuses(operation)) continue;
    // A path-less value: the member it does not apply.
    const member = pathText === undefined && isObject(value) ? Object.keys(value).find((key) => refuses({ op, value: { [key]: value[key] } })) : undefined;
    const path = pathText ?? member ?? 'of a path-less value';
    return { what: `PATCH path ${path} on ${resource}s`, key: `patch-path:${resource}.${path.toLowerCase()}`, summary: `does not apply PATCH path ${path} on ${resource}s` };
  }
  return shapeGap(operations, values[resource], resource);
}

const READ_ONLY = new Set(COMMON_ATTRIBUTES.filter((a) => a.mutability === 'readOnly').map((a) => a.name.toLowerCase()));

/**
 * A path-less value without `id` and `meta`: no server applies them (RFC 7643 §2.2, readOnly), so a
 * profile that ignores what it does not list still does what a value such as Okta's rename
 * `{id, displayName}` asks. One that refuses them refuses the whole operation: a real gap.
 */
function withoutReadOnly(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !READ_ONLY.has(key.toLowerCase())));
}

/** The first value shape the resource type's `patch.values` does not take, `refuse` and `ignore` alike. */
function shapeGap(operations: readonly PatchOperation[], values: PatchValues | undefined, resource: ResourceKind): Gap | undefined {
  if (!values) return undefined;
  const coreUrn = (resource === 'User' ? userModel : groupModel).core.id;
  for (const operation of operations) {
    const refusal = refusedShape(operation, values, coreUrn);
    if (!refusal) continue;
    const words = shapeWords(refusal);
    return { what: `PATCH ${words} on ${resource}s`, key: `patch-value:${resource}.${words.toLowerCase()}`, summary: `does not take PATCH ${words} on ${resource}s` };
  }
  return undefined;
}
