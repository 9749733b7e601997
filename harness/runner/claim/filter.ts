/**
 * A filter against a profile's `filter.operators` and `filter.attributes`, as the reference
 * server checks it (claim.ts).
 */
import { formatAttrPath } from '../../../scim/filter/lex.js';
import { parseFilter } from '../../../scim/filter/parse.js';
import type { AttrPath, Filter } from '../../../scim/filter/types.js';
import type { FilterOperator, Profile } from '../../../scim/profile/fields.js';
import { URN } from '../../../scim/schema/urns.js';
import { untemplated, type ResourceKind } from '../attribute-needs.js';
import type { Gap } from './gap.js';

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

/** The filter parsed as the profile's compat reads it, else with unquoted values (what compat decides is judged in compat.ts); undefined when malformed either way. */
function parsed(profile: Profile, text: string): Filter | undefined {
  for (const unquotedValues of new Set([profile.compat.unquotedFilterValues, true])) {
    try {
      return parseFilter(untemplated(text), { unquotedValues });
    } catch {
      // Tried again with unquoted values; a filter malformed either way is what the step tests.
    }
  }
  return undefined;
}

/** A filter's operators against `filter.operators`, then its attribute tests against the resource type's `filter.attributes`, as the server checks them. */
export function filterGap(profile: Profile, resource: ResourceKind | undefined, text: string): Gap | undefined {
  const filter = parsed(profile, text);
  if (!filter) return undefined;
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
