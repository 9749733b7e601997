import { findKey, getKey, isObject } from '../../scim/schema/keys.js';
import type { Resource } from './types.js';

/** What every store reads of a resource it is given: its id and, for a group, its members' ids. */
export function idOf(resource: Resource): string {
  const id = resource.id;
  if (typeof id !== 'string' || id === '') throw new TypeError('a stored resource needs a non-empty string id');
  return id;
}

/** The ids in a group's `members[].value`. */
export function memberIds(group: Resource): Set<string> {
  const ids = new Set<string>();
  const members = getKey(group, 'members');
  if (!Array.isArray(members)) return ids;
  for (const member of members) {
    const value = isObject(member) ? getKey(member, 'value') : undefined;
    if (typeof value === 'string') ids.add(value);
  }
  return ids;
}

/** A copy of `group` whose `members` no longer list `memberId`: a delete's cascade. */
export function withoutMember(group: Resource, memberId: string): Resource {
  const copy = { ...group };
  const key = findKey(copy, 'members');
  if (key !== undefined) copy[key] = (copy[key] as unknown[]).filter((member) => !(isObject(member) && getKey(member, 'value') === memberId));
  return copy;
}
