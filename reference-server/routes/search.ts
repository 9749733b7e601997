import type { FastifyRequest } from 'fastify';
import { ScimError } from '../../scim/errors.js';
import { FilterBudget } from '../../scim/filter/budget.js';
import { unknownFilterPaths } from '../../scim/filter/check.js';
import { formatAttrPath } from '../../scim/filter/lex.js';
import { formatFilter } from '../../scim/filter/parse.js';
import type { Filter } from '../../scim/filter/types.js';
import { compareSortKeys, NO_SORT_KEY, sortKeyReader, type SortKey } from '../../scim/sort.js';
import { baseUrl } from '../http/base-url.js';
import { refusedFilterAttribute } from '../../scim/profile/filter.js';
import { profileRoute, refusingFilters } from '../profile/answers.js';
import { readListRequest, searchRequestFields, withoutIgnored } from '../resources/query.js';
import type { ServedSchemas } from '../resources/schemas.js';
import { assertFilterSupported } from '../resources/service.js';
import type { Resource, ResourceTypeName } from '../store/types.js';
import type { ScimRoutes } from './types.js';

const TYPES: readonly ResourceTypeName[] = ['User', 'Group'];

/**
 * The terms of `filter` (comparisons, presence tests, value filters) that no resource type can
 * resolve. Judged term by term: `userName eq "x" or members pr` is valid across types although
 * each type knows only one of its attributes.
 */
function termsNoTypeDefines(filter: Filter, models: ServedSchemas['models']): string[] {
  const unknown: string[] = [];
  const pending: Filter[] = [filter];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind === 'and' || node.kind === 'or') pending.push(node.right, node.left);
    else if (node.kind === 'not') pending.push(node.filter);
    else if (TYPES.every((type) => unknownFilterPaths(node, models[type]).length > 0)) {
      const text = node.kind === 'valuePath' ? formatFilter(node) : formatAttrPath(node.path);
      unknown.push(text.length > 200 ? `${text.slice(0, 200)}…` : text);
    }
  }
  return unknown;
}

/**
 * POST /.search at the root (RFC 7644 §3.4.3): one result list across Users and Groups. A filter
 * or sortBy attribute need only exist in one of them; the other type just has no value for it.
 */
export const registerSearchRoutes: ScimRoutes = (app, context) => {
  const { models } = context.options.schemas;
  const { attributes } = context.options.profile.filter;
  profileRoute(app, context, '/.search', '/.search', {
    POST: (request) => refusingFilters(context.options, () => search(request)),
  });

  async function search(request: FastifyRequest) {
    const list = readListRequest(withoutIgnored(searchRequestFields(request.body), context.options.profile), context.options);
    if (list.filter && !context.options.compat.ignoreUnknownAttributes) {
      const unknown = termsNoTypeDefines(list.filter, models);
      if (unknown.length > 0) {
        throw ScimError.badRequest('invalidFilter', `The filter names ${unknown.map((t) => `"${t}"`).join(', ')}, which neither Users nor Groups define`);
      }
    }
    if (list.filter) for (const type of TYPES) assertFilterSupported(list.filter, models[type]);
    // With filter.attributes, a filter needs one resource type that accepts it whole.
    if (list.filter && TYPES.every((type) => attributes[type])) {
      const refusals = TYPES.map((type) => refusedFilterAttribute(list.filter!, attributes[type]!, `${type}s`, models[type].core.id));
      if (refusals.every((r) => r !== undefined)) throw ScimError.badRequest('invalidFilter', refusals.join('; '));
    }
    const readers = new Map<ResourceTypeName, (r: Resource) => SortKey>();
    if (list.sortBy) {
      for (const type of TYPES) {
        try {
          readers.set(type, sortKeyReader(list.sortBy, models[type]));
        } catch {
          // This type has no such attribute: its resources sort as having no value.
        }
      }
      if (readers.size === 0) throw ScimError.badRequest('invalidValue', 'sortBy names an attribute that neither Users nor Groups define');
    }
    const matches: { type: ResourceTypeName; resource: Resource; key?: SortKey }[] = [];
    // One request's work, for both types.
    const budget = new FilterBudget();
    for (const type of TYPES) {
      const { resources } = await context.store.list(type, { filter: list.filter, budget });
      const read = readers.get(type);
      for (const resource of resources) matches.push({ type, resource, key: read?.(resource) });
    }
    if (list.sortBy) {
      matches.sort((a, b) => compareSortKeys(a.key ?? NO_SORT_KEY, b.key ?? NO_SORT_KEY, list.sortOrder));
    }
    const page = matches.slice(list.startIndex - 1, list.startIndex - 1 + list.count);
    const base = baseUrl(request, context.options.basePath);
    return context.renderer.listJson(page, matches.length, list.startIndex, base, list);
  }
};
