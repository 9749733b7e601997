import type { Filter } from '../../scim/filter/types.js';
import type { AttrPath } from '../../scim/path/types.js';
import { URN } from '../../scim/schema/urns.js';
import type { LookupIndex, ResourceTypeName } from './types.js';

/** `path eq "value"`, with a string value. */
export interface Equality {
  path: AttrPath;
  value: string;
}

/**
 * The `eq` comparisons with a string value that every resource matching `filter` satisfies: the
 * filter itself, or the terms of a top-level `and` chain. A store answers these from an index and
 * evaluates the whole filter only on the few candidates.
 */
export function requiredEqualities(filter: Filter): Equality[] {
  const found: Equality[] = [];
  const pending: Filter[] = [filter];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind === 'and') pending.push(node.right, node.left);
    else if (node.kind === 'compare' && node.op === 'eq' && typeof node.value === 'string') {
      found.push({ path: node.path, value: node.value });
    }
  }
  return found;
}

/** The attributes each type's stores look up without a scan (LookupIndex says how case is compared). */
export const LOOKUPS: Record<ResourceTypeName, readonly LookupIndex[]> = {
  User: ['userName', 'externalId'],
  Group: ['displayName', 'externalId'],
};

/** Core schema URNs: a filter may qualify an indexed attribute with them (`urn:…:User:userName eq "x"`). */
const CORE_URN: Record<ResourceTypeName, string> = { User: URN.user, Group: URN.group };

/** A lookup an `eq` of a filter allows: by id, or by an indexed attribute. */
export interface Lookup {
  index: LookupIndex | 'id';
  value: string;
}

/** The required `eq`s of `filter` (requiredEqualities) on an attribute of `type` looked up without a scan. */
export function indexedLookups(type: ResourceTypeName, filter: Filter): Lookup[] {
  const found: Lookup[] = [];
  for (const { path, value } of requiredEqualities(filter)) {
    if (path.subAttr !== undefined) continue;
    if (path.uri !== undefined && path.uri.toLowerCase() !== CORE_URN[type].toLowerCase()) continue;
    const attr = path.attr.toLowerCase();
    const index = attr === 'id' ? 'id' : LOOKUPS[type].find((name) => name.toLowerCase() === attr);
    if (index) found.push({ index, value });
  }
  return found;
}
