import { ScimError } from '../../scim/errors.js';
import { unknownFilterPaths } from '../../scim/filter/check.js';
import { URN } from '../../scim/schema/urns.js';
import { compareSortKeys, NO_SORT_KEY, sortKeyReader, type SortKey } from '../../scim/sort.js';
import { baseUrl } from '../http/base-url.js';
import { routePath } from '../http/path-route.js';
import { readListRequest, searchRequestFields } from '../resources/query.js';
import { render } from '../resources/render.js';
import { MODELS } from '../resources/service.js';
import type { Resource, ResourceTypeName } from '../store/types.js';
import type { ScimRoutes } from './types.js';

const TYPES: readonly ResourceTypeName[] = ['User', 'Group'];

/**
 * POST /.search at the root (RFC 7644 §3.4.3): one result list across Users and Groups. A filter
 * or sortBy attribute need only exist in one of them; the other type just has no value for it.
 */
export const registerSearchRoutes: ScimRoutes = (app, context) => {
  routePath(app, '/.search', {
    async POST(request) {
      const list = readListRequest(searchRequestFields(request.body), context.options.maxPageSize);
      if (list.filter && !context.options.compat.ignoreUnknownAttributes) {
        const unknown = TYPES.map((type) => unknownFilterPaths(list.filter!, MODELS[type]));
        if (unknown.every((paths) => paths.length > 0)) {
          throw ScimError.badRequest('invalidFilter', `The filter names ${unknown[0]!.map((p) => `"${p}"`).join(', ')}, which neither Users nor Groups define`);
        }
      }
      const readers = new Map<ResourceTypeName, (r: Resource) => SortKey>();
      if (list.sortBy) {
        for (const type of TYPES) {
          try {
            readers.set(type, sortKeyReader(list.sortBy, MODELS[type]));
          } catch {
            // This type has no such attribute: its resources sort as having no value.
          }
        }
        if (readers.size === 0) throw ScimError.badRequest('invalidValue', 'sortBy names an attribute that neither Users nor Groups define');
      }
      const matches: { type: ResourceTypeName; resource: Resource; key?: SortKey }[] = [];
      for (const type of TYPES) {
        const { resources } = await context.store.list(type, { filter: list.filter });
        const read = readers.get(type);
        for (const resource of resources) matches.push({ type, resource, key: read?.(resource) });
      }
      if (list.sortBy) {
        matches.sort((a, b) => compareSortKeys(a.key ?? NO_SORT_KEY, b.key ?? NO_SORT_KEY, list.sortOrder));
      }
      const page = matches.slice(list.startIndex - 1, list.startIndex - 1 + list.count);
      const base = baseUrl(request, context.options.basePath);
      const Resources = await Promise.all(page.map((m) => render(m.type, m.resource, base, context.store, list)));
      return { schemas: [URN.listResponse], totalResults: matches.length, itemsPerPage: Resources.length, startIndex: list.startIndex, Resources };
    },
  });
};
