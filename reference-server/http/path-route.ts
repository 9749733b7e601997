import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RouteHandlerMethod } from 'fastify';
import { ScimError } from '../../scim/errors.js';
import { sendScimError } from './errors.js';

export type ScimMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type MethodHandlers = Partial<Record<ScimMethod, RouteHandlerMethod>>;

export interface PathRouteOptions {
  config?: FastifyContextConfig;
  /** A body limit for this path alone (Bulk's maxPayloadSize). */
  bodyLimit?: number;
  /** Answers the methods the path lacks instead of the 405 (a profile's `endpoints.absent`). */
  refuse?: (request: FastifyRequest, reply: FastifyReply) => void;
}

/**
 * Registers the handlers of one path, and a 405 with an `Allow` header for every other method
 * fastify routes — fastify itself would answer 404. `url` is relative to the base path; the 405
 * detail shows it with `{id}` for `:id`.
 */
export function routePath(app: FastifyInstance, url: string, handlers: MethodHandlers, options: PathRouteOptions = {}): void {
  const methods = Object.keys(handlers) as ScimMethod[];
  // fastify answers HEAD for every GET route by itself (exposeHeadRoutes).
  const allowed: string[] = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
  const allow = allowed.join(', ');
  const shown = url.replace(/:(\w+)/g, '{$1}');
  for (const method of methods) {
    app.route({ method, url, handler: handlers[method]!, config: options.config, bodyLimit: options.bodyLimit });
  }
  const refused = app.supportedMethods.filter((method) => !allowed.includes(method)) as HTTPMethods[];
  app.route({
    method: refused,
    url,
    config: options.config,
    // Answered in onRequest, before the body is read: a refused method gets 405, not a body error.
    onRequest(request, reply, _done) {
      if (options.refuse) return options.refuse(request, reply);
      reply.header('allow', allow);
      sendScimError(reply, new ScimError(405, undefined, `${request.method} is not allowed on ${shown}: use ${allow}`));
    },
    handler() {
      throw new Error('unreachable: the onRequest hook answers');
    },
  });
}

/**
 * Answers every method on `url` as `answer` does, before the body is read: for a path that would
 * otherwise reach a parametric route (`/Users/.search` is `/Users/{id}`) but must look absent.
 */
export function absentPath(app: FastifyInstance, url: string, answer: (request: FastifyRequest, reply: FastifyReply) => void): void {
  app.route({
    method: app.supportedMethods as HTTPMethods[],
    url,
    onRequest(request, reply, _done) {
      answer(request, reply);
    },
    handler() {
      throw new Error('unreachable: the onRequest hook answers');
    },
  });
}
