import { ScimError } from '../errors.js';
import { formatAttrPath } from '../filter/lex.js';
import type { AttrPath, Filter } from '../filter/types.js';
import { FILTER_OPERATORS, type AttributeOperator, type FilterOperator } from './fields.js';

/*
 * A profile's `filter.operators` and `filter.attributes`, checked on a parsed filter. Refusals are
 * 400 invalidFilter: RFC 7644 §3.12 Table 9 covers "the specified attribute and filter comparison
 * combination is not supported".
 */

/** `a`, `a and b`, `a, b and c`, each quoted. */
function quotedList(items: readonly string[]): string {
  const quoted = items.map((item) => `"${item}"`);
  return quoted.length <= 1 ? (quoted[0] ?? 'none') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/**
 * The first operator of `filter`, in written order, that `allowed` lacks; a value filter counts
 * as `[]`, shown as `attr[…]`. Iterative: a long `and` chain nests as deep as it is long.
 */
function firstRefusedOperator(filter: Filter, allowed: ReadonlySet<FilterOperator>): string | undefined {
  // Nodes still to expand, and operators reached in written order (a stack, so pushed in reverse).
  const pending: (Filter | { op: FilterOperator; shown: string })[] = [filter];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if (!('kind' in item)) {
      if (!allowed.has(item.op)) return item.shown;
      continue;
    }
    switch (item.kind) {
      case 'and':
      case 'or':
        pending.push(item.right, { op: item.kind, shown: item.kind }, item.left);
        break;
      case 'not':
        pending.push(item.filter, { op: 'not', shown: 'not' });
        break;
      case 'valuePath':
        pending.push(item.filter, { op: '[]', shown: `${formatAttrPath(item.path)}[…]` });
        break;
      case 'present':
        pending.push({ op: 'pr', shown: 'pr' });
        break;
      case 'compare':
        pending.push({ op: item.op, shown: item.op });
    }
  }
  return undefined;
}

/** Refuses a filter with an operator the profile does not accept. */
export function assertFilterOperators(filter: Filter, operators: readonly FilterOperator[]): void {
  if (operators.length === FILTER_OPERATORS.length) return;
  const refused = firstRefusedOperator(filter, new Set(operators));
  if (refused === undefined) return;
  const what = refused.endsWith('[…]') ? `Value filters such as ${refused} are` : `The filter operator "${refused}" is`;
  const only = operators.filter((op) => op !== '[]');
  throw ScimError.badRequest('invalidFilter', `${what} not supported: filters here may use only ${quotedList(only)}, with parentheses`);
}

/** Every attribute test of a filter: its path (a value filter's terms as `emails.type`) and operator. */
function terms(filter: Filter): { path: AttrPath; op: AttributeOperator }[] {
  const out: { path: AttrPath; op: AttributeOperator }[] = [];
  const pending: [Filter, AttrPath | undefined][] = [[filter, undefined]];
  while (pending.length > 0) {
    const [node, outer] = pending.pop()!;
    if (node.kind === 'and' || node.kind === 'or') pending.push([node.right, outer], [node.left, outer]);
    else if (node.kind === 'not') pending.push([node.filter, outer]);
    else if (node.kind === 'valuePath') pending.push([node.filter, node.path]);
    else {
      const path: AttrPath = outer && node.path.uri === undefined && node.path.subAttr === undefined ? { ...outer, subAttr: node.path.attr } : node.path;
      out.push({ path, op: node.kind === 'present' ? 'pr' : node.op });
    }
  }
  return out;
}

/** An attribute path as a profile writes it: the core schema's URN left out, compared ignoring case. */
function profileName(path: AttrPath, coreUrn: string): string {
  const plain = path.uri !== undefined && path.uri.toLowerCase() === coreUrn.toLowerCase() ? { ...path, uri: undefined } : path;
  return formatAttrPath(plain).toLowerCase();
}

/** The operators `table` allows on `path`, or undefined when it names no such attribute. */
function operatorsFor(table: Record<string, AttributeOperator[]>, path: AttrPath, coreUrn: string): AttributeOperator[] | undefined {
  const name = profileName(path, coreUrn);
  const key = Object.keys(table).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : table[key];
}

/**
 * Why a filter is refused on a resource type whose attributes `table` lists (filter.attributes),
 * or undefined when every term names a listed attribute with one of its operators.
 */
export function refusedFilterAttribute(filter: Filter, table: Record<string, AttributeOperator[]>, endpoint: string, coreUrn: string): string | undefined {
  for (const { path, op } of terms(filter)) {
    const allowed = operatorsFor(table, path, coreUrn);
    const shown = formatAttrPath(path).slice(0, 200);
    if (allowed === undefined) {
      const listed = Object.entries(table).map(([name, ops]) => `${name} (${ops.join(', ')})`);
      return `${endpoint} cannot be filtered on "${shown}" here: filter on ${listed.join(', ') || 'nothing'}`;
    }
    if (!allowed.includes(op)) return `"${shown}" takes only ${allowed.join(', ') || 'no operator'} here, not "${op}"`;
  }
  return undefined;
}

/** Refuses a filter naming an attribute, or using an operator on one, that the resource type's `filter.attributes` table does not list. */
export function assertFilterAttributes(filter: Filter, table: Record<string, AttributeOperator[]>, type: 'User' | 'Group', coreUrn: string): void {
  const refused = refusedFilterAttribute(filter, table, `${type}s`, coreUrn);
  if (refused) throw ScimError.badRequest('invalidFilter', refused);
}
