import type { FastifyReply, FastifyRequest } from 'fastify';
import { ScimError } from '../../scim/errors.js';
import type { ServerContext } from '../context.js';
import { baseUrl } from '../http/base-url.js';
import { profileRoute, refusingFilters } from '../profile/answers.js';
import { headerMatches } from '../resources/etag.js';
import { versionOf } from '../resources/meta.js';
import { readListRequest, readProjection, searchRequestFields, withoutIgnored, type ListRequest } from '../resources/query.js';
import { locationOf } from '../resources/render.js';
import type { ResourceTypeName } from '../store/types.js';
import type { ScimRoutes } from './types.js';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

const idOf = (request: FastifyRequest): string => (request.params as { id: string }).id;

/** Answers a list or search with an RFC 7644 §3.4.2 ListResponse; a refused filter as the profile says. */
async function answerList(context: ServerContext, type: ResourceTypeName, request: FastifyRequest, read: () => ListRequest) {
  const list = read();
  const page = await context.services[type].list(list);
  const items = page.resources.map((resource) => ({ type, resource }));
  return context.renderer.listJson(items, page.totalResults, list.startIndex, baseUrl(request, context.options.basePath), list);
}

function resourceRoutes(type: ResourceTypeName, endpoint: 'Users' | 'Groups'): ScimRoutes {
  return (app, context) => {
    const service = context.services[type];
    const { patchStatus, profile } = context.options;
    const queryOf = (request: FastifyRequest): Record<string, unknown> => withoutIgnored(request.query as Record<string, unknown>, profile);
    // Without meta.version (a profile's attributes.<type>.meta), a resource has no ETag (RFC 7644 §3.14).
    const versionShown = (resource: Record<string, unknown>) => (profile.attributes[type].meta.includes('version') ? versionOf(resource) : undefined);

    async function answerOne(request: FastifyRequest, reply: FastifyReply, resource: Record<string, unknown>, status = 200) {
      const version = versionShown(resource);
      if (version) reply.header('etag', version);
      const body = await context.renderer.json(type, resource, baseUrl(request, context.options.basePath), readProjection(queryOf(request)));
      return reply.code(status).send(body);
    }

    const list = (request: FastifyRequest, source: () => Record<string, unknown>) =>
      refusingFilters(context.options, () => answerList(context, type, request, () => readListRequest(source(), context.options)));

    profileRoute(app, context, `/${endpoint}`, `/${endpoint}`, {
      GET: (request) => list(request, () => queryOf(request)),
      async POST(request, reply) {
        const created = await service.create(request.body);
        // A POST that invites an existing account (a profile's team) answers as the profile says.
        const status = context.team.createdStatus(created.id as string);
        if (status >= 400) throw new ScimError(status, undefined, `${String(created.userName).slice(0, 200)} has an account already: it was invited, and joins when the invite is accepted`);
        reply.header('location', locationOf(baseUrl(request, context.options.basePath), type, created.id as string));
        return answerOne(request, reply, created, status);
      },
    });

    // Registered even when the profile takes it away: /Users/.search would otherwise reach /Users/{id}.
    profileRoute(app, context, `/${endpoint}/.search`, `/${endpoint}/.search`, {
      POST: (request) => list(request, () => withoutIgnored(searchRequestFields(request.body), profile)),
    });

    profileRoute(app, context, `/${endpoint}/{id}`, `/${endpoint}/:id`, {
      async GET(request, reply) {
        const resource = await service.view(idOf(request));
        const ifNoneMatch = header(request, 'if-none-match');
        const version = versionShown(resource);
        if (ifNoneMatch !== undefined && headerMatches(ifNoneMatch, version)) {
          if (version) reply.header('etag', version);
          return reply.code(304).removeHeader('content-type').send();
        }
        return answerOne(request, reply, resource);
      },
      async PUT(request, reply) {
        return answerOne(request, reply, await service.replace(idOf(request), request.body, header(request, 'if-match')));
      },
      async PATCH(request, reply) {
        const patched = await service.patch(idOf(request), request.body, header(request, 'if-match'));
        // RFC 7644 §3.5.2: a PATCH that asks for attributes gets them, with 200, whatever the server's habit.
        const query = queryOf(request);
        if (patchStatus === 204 && query.attributes === undefined && query.excludedAttributes === undefined) {
          const version = versionShown(patched);
          if (version) reply.header('etag', version);
          return reply.code(204).removeHeader('content-type').send();
        }
        return answerOne(request, reply, patched);
      },
      async DELETE(request, reply) {
        await service.delete(idOf(request), header(request, 'if-match'));
        return reply.code(204).removeHeader('content-type').send();
      },
    });
  };
}

export const registerUserRoutes = resourceRoutes('User', 'Users');
export const registerGroupRoutes = resourceRoutes('Group', 'Groups');
