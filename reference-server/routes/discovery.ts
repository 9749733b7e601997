import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimError } from '../../scim/errors.js';
import type { ResourceTypeDefinition, SchemaDefinition } from '../../scim/schema/types.js';
import { URN } from '../../scim/schema/urns.js';
import type { ServerContext } from '../context.js';
import { baseUrl } from '../http/base-url.js';
import { routePath } from '../http/path-route.js';
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

/** RFC 7643 §5, describing what this server does, limits included. */
function serviceProviderConfig({ options, auth }: ServerContext, base: string): Record<string, unknown> {
  const schemes: Record<string, unknown>[] = [];
  if (auth.bearer) {
    schemes.push({
      type: 'oauthbearertoken',
      name: 'OAuth Bearer Token',
      description: 'A bearer token in the Authorization header',
      specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
    });
  }
  if (auth.basic) {
    schemes.push({
      type: 'httpbasic',
      name: 'HTTP Basic',
      description: 'A user name and password in the Authorization header',
      specUri: 'https://www.rfc-editor.org/rfc/rfc7617',
    });
  }
  schemes[0]!.primary = true;
  return {
    schemas: [URN.serviceProviderConfig],
    patch: { supported: true },
    // `minimal-spc` omits the limits of an unsupported Bulk, as servers in the field do, although RFC 7643 §5 marks them REQUIRED.
    bulk: options.variations.has('minimal-spc')
      ? { supported: false }
      : { supported: true, maxOperations: options.bulk.maxOperations, maxPayloadSize: options.bulk.maxPayloadSize },
    filter: { supported: true, maxResults: options.maxPageSize },
    // The server stores a password a client sets or changes (never returning it); `minimal-spc` says it cannot.
    changePassword: { supported: !options.variations.has('minimal-spc') },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: schemes,
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

function byId<T extends { id: string }>(items: readonly T[], id: string, what: string): T {
  // Schema URNs compare ignoring case (RFC 8141 §3.1 for the NID; SCIM treats them as case-insensitive).
  const lower = id.toLowerCase();
  const found = items.find((item) => item.id.toLowerCase() === lower);
  if (!found) throw ScimError.notFound(`${what} ${id} not found: GET /${what}s lists them`);
  return found;
}

/** /ServiceProviderConfig, /ResourceTypes and /Schemas (RFC 7644 §4), public with `publicDiscovery`. */
export const registerDiscoveryRoutes: ScimRoutes = (app, context) => {
  const base = (request: FastifyRequest) => baseUrl(request, context.options.basePath);
  const discovery = { config: { discovery: true } };
  const { schemas, resourceTypes } = context.options.schemas;
  const get = (answer: (request: FastifyRequest) => unknown) => ({
    GET(request: FastifyRequest, reply: FastifyReply) {
      refuseFilter(request);
      reply.send(answer(request));
    },
  });

  routePath(app, '/ServiceProviderConfig', get((request) => serviceProviderConfig(context, base(request))), discovery);
  routePath(app, '/ResourceTypes', get((request) => listResponse(resourceTypes.map((t) => resourceTypeResource(t, base(request))))), discovery);
  routePath(
    app,
    '/ResourceTypes/:id',
    get((request) => resourceTypeResource(byId(resourceTypes, (request.params as { id: string }).id, 'ResourceType'), base(request))),
    discovery,
  );
  routePath(app, '/Schemas', get((request) => listResponse(schemas.map((s) => schemaResource(s, base(request))))), discovery);
  routePath(
    app,
    '/Schemas/:id',
    get((request) => schemaResource(byId(schemas, (request.params as { id: string }).id, 'Schema'), base(request))),
    discovery,
  );
};
