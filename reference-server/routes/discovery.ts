import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimError } from '../../scim/errors.js';
import type { ResourceTypeDefinition, SchemaDefinition } from '../../scim/schema/types.js';
import { URN } from '../../scim/schema/urns.js';
import { baseUrl } from '../http/base-url.js';
import type { Endpoint } from '../../scim/profile/fields.js';
import { profileRoute } from '../profile/answers.js';
import { serviceProviderConfig } from '../profile/service-provider-config.js';
import type { ScimRoutes } from './types.js';

/**
 * RFC 7644 §4: query parameters on discovery endpoints are ignored, but a filter SHOULD get 403
 * so that a client cannot believe its conditions were applied.
 */
function refuseFilter(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown>;
  if (query.filter !== undefined) {
    throw new ScimError(403, undefined, 'Discovery endpoints do not filter (RFC 7644 §4): drop the filter parameter');
  }
}

function listResponse(resources: unknown[]): Record<string, unknown> {
  return { schemas: [URN.listResponse], totalResults: resources.length, itemsPerPage: resources.length, startIndex: 1, Resources: resources };
}

function schemaResource(schema: SchemaDefinition, base: string): Record<string, unknown> {
  return { schemas: [URN.schema], ...schema, meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` } };
}

function resourceTypeResource(type: ResourceTypeDefinition, base: string): Record<string, unknown> {
  const { schemaExtensions, ...rest } = type;
  return {
    schemas: [URN.resourceType],
    ...rest,
    // The RFC 7643 §8.6 Group example omits an empty list rather than sending [].
    ...(schemaExtensions.length > 0 ? { schemaExtensions } : {}),
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${type.id}` },
  };
}

function byId<T extends { id: string }>(items: readonly T[], id: string, what: string): T {
  // Schema URNs compare ignoring case (RFC 8141 §3.1 for the NID; SCIM treats them as case-insensitive).
  const lower = id.toLowerCase();
  const found = items.find((item) => String(item.id).toLowerCase() === lower);
  if (!found) throw ScimError.notFound(`${what} ${id} not found: GET /${what}s lists them`);
  return found;
}

/** /ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4), as the profile's `discovery` says; public with `discovery.public`. */
export const registerDiscoveryRoutes: ScimRoutes = (app, context) => {
  const base = (request: FastifyRequest) => baseUrl(request, context.options.basePath);
  const discovery = { config: { discovery: true } };
  const { resourceTypes } = context.options.schemas;
  const { discovery: shape } = context.options.profile;
  // A profile may serve schema resources of its own, as given.
  const schemas = (shape.schemas as unknown as SchemaDefinition[] | undefined) ?? context.options.schemas.schemas;
  const route = (endpoint: Endpoint, url: string, answer: (request: FastifyRequest) => unknown) => profileRoute(app, context, endpoint, url, get(answer), discovery);
  const get = (answer: (request: FastifyRequest) => unknown) => ({
    GET(request: FastifyRequest, reply: FastifyReply) {
      refuseFilter(request);
      reply.send(answer(request));
    },
  });

  route('/ServiceProviderConfig', '/ServiceProviderConfig', (request) => serviceProviderConfig(context.options, context.auth, base(request)));
  route('/ResourceTypes', '/ResourceTypes', (request) => {
    const all = resourceTypes.map((t) => resourceTypeResource(t, base(request)));
    // Postman's shape: a bare JSON array rather than RFC 7644 §4's ListResponse.
    return shape.resourceTypes === 'array' ? all : listResponse(all);
  });
  route('/ResourceTypes', '/ResourceTypes/:id', (request) =>
    resourceTypeResource(byId(resourceTypes, (request.params as { id: string }).id, 'ResourceType'), base(request)),
  );
  route('/Schemas', '/Schemas', (request) => listResponse(schemas.map((s) => schemaResource(s, base(request)))));
  route('/Schemas', '/Schemas/:id', (request) => schemaResource(byId(schemas, (request.params as { id: string }).id, 'Schema'), base(request)));
};
