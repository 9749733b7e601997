import { StrictRefusal, type Compat } from '../compat.js';
import { ScimError } from '../errors.js';
import { parsePatchPath } from '../path/parse.js';
import type { PatchPath } from '../path/types.js';
import { findKey, getKey, isObject } from '../schema/keys.js';
import { listsSchema, URN } from '../schema/urns.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../values/depth.js';

export type PatchOpName = 'add' | 'remove' | 'replace';

/** One operation of a PatchOp request, checked and with its path parsed. */
export interface PatchOperation {
  /** 1-based position in `Operations`, for error messages. */
  index: number;
  op: PatchOpName;
  /** The path as sent, for error messages. */
  pathText?: string;
  path?: PatchPath;
  /** Absent when the request had no `value` member. */
  value?: unknown;
  hasValue: boolean;
}

const OPS: readonly PatchOpName[] = ['add', 'remove', 'replace'];

function readOp(raw: unknown, index: number, compat: Compat): PatchOpName {
  if (typeof raw !== 'string') {
    throw ScimError.badRequest('invalidSyntax', `Operation ${index}: "op" must be a string, one of add, remove, replace`);
  }
  const op = (compat.caseInsensitiveOps ? raw.toLowerCase() : raw) as PatchOpName;
  if (OPS.includes(op)) return op;
  const reason = `Operation ${index}: op "${raw}" is not one of add, remove, replace`;
  if (OPS.includes(raw.toLowerCase() as PatchOpName)) {
    throw new StrictRefusal('invalidSyntax', `${reason}: RFC 7644 §3.5.2 ops are lowercase`, "accepts Entra's capitalised ops", 'caseInsensitiveOps');
  }
  throw ScimError.badRequest('invalidSyntax', reason);
}

/**
 * Reads a PatchOp request body (RFC 7644 §3.5.2). Member names of the message are matched
 * case-insensitively, like attribute names; the values are checked strictly.
 */
export function readPatchRequest(body: unknown, compat: Compat): PatchOperation[] {
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', 'A PATCH body must be a JSON object with "schemas" and "Operations"');
  if (!listsSchema(body, URN.patchOp)) {
    throw ScimError.badRequest('invalidSyntax', `A PATCH body's "schemas" must contain "${URN.patchOp}"`);
  }
  const operations = getKey(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.badRequest('invalidSyntax', 'A PATCH body must have a non-empty "Operations" array');
  }
  return operations.map((raw, i) => {
    const index = i + 1;
    if (!isObject(raw)) throw ScimError.badRequest('invalidSyntax', `Operation ${index} must be a JSON object`);
    const op = readOp(getKey(raw, 'op'), index, compat);
    const operation: PatchOperation = { index, op, hasValue: findKey(raw, 'value') !== undefined };
    const pathText = getKey(raw, 'path');
    if (pathText !== undefined && pathText !== null) {
      if (typeof pathText !== 'string') throw ScimError.badRequest('invalidPath', `Operation ${index}: "path" must be a string`);
      operation.pathText = pathText;
      try {
        operation.path = parsePatchPath(pathText);
      } catch (error) {
        if (error instanceof ScimError) throw new ScimError(error.status, error.scimType, `Operation ${index}: ${error.message}`);
        throw error;
      }
    }
    if (operation.hasValue) operation.value = getKey(raw, 'value');
    if (nestsDeeperThan(operation.value)) {
      throw ScimError.badRequest('invalidValue', `Operation ${index}: the value nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    if (op === 'remove' && !operation.path) {
      throw ScimError.badRequest('noTarget', `Operation ${index}: remove needs a "path" (RFC 7644 §3.5.2.2)`);
    }
    // A `replace` with null unassigns (RFC 7643 §2.5: null and unassigned are the same state).
    if ((op === 'add' && (!operation.hasValue || operation.value === null)) || (op === 'replace' && !operation.hasValue)) {
      throw ScimError.badRequest('invalidSyntax', `Operation ${index}: ${op} needs a "value"`);
    }
    return operation;
  });
}
