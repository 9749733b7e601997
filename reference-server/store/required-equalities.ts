import type { Filter } from '../../scim/filter/types.js';
import type { AttrPath } from '../../scim/path/types.js';

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
