import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isScimError, ScimError } from '../../scim/errors.js';
import type { Endpoint } from '../../scim/profile/fields.js';
import type { ServerContext } from '../context.js';
import { CustomAnswer, notFoundHandler, sendCustom, sendScimError } from '../http/errors.js';
import { absentPath, routePath, type MethodHandlers, type PathRouteOptions } from '../http/path-route.js';
import type { ResolvedOptions } from '../options.js';

/*
 * The answers a profile gives in its own words: for an endpoint or method the target lacks
 * (`endpoints.absent`), for a filter it refuses (`filter.refusal`), and for an error status
 * (`errors.answers`, e.g. a non-SCIM 401 body).
 */

type Answerer = (request: FastifyRequest, reply: FastifyReply) => void;

/** What a request to a route or method the target lacks gets: the profile's `endpoints.absent`, or the server's 404. */
export function absentAnswer(options: Pick<ResolvedOptions, 'profile' | 'basePath'>): Answerer {
  const notFound = notFoundHandler(options.basePath);
  const given = options.profile.endpoints.absent;
  if (!given) return notFound;
  return (request, reply) => {
    if (given.body !== undefined) return sendCustom(reply, given.status, given.body);
    const path = request.url.split('?', 1)[0]!.slice(0, 200);
    sendScimError(reply, new ScimError(given.status, undefined, `No endpoint at ${request.method} ${path}`));
  };
}

/**
 * Registers `url` with the methods the profile gives `endpoint`: the others answer 405 (or the
 * profile's absent answer), and an endpoint without any answers as an unknown one.
 */
export function profileRoute(app: FastifyInstance, context: ServerContext, endpoint: Endpoint, url: string, handlers: MethodHandlers, options: PathRouteOptions = {}): void {
  const { profile } = context.options;
  const methods: readonly string[] = profile.endpoints.methods[endpoint];
  const kept: MethodHandlers = Object.fromEntries(Object.entries(handlers).filter(([method]) => methods.includes(method)));
  const absent = absentAnswer(context.options);
  if (Object.keys(kept).length === 0) return absentPath(app, url, absent);
  routePath(app, url, kept, { ...options, ...(profile.endpoints.absent && { refuse: absent }) });
}

/**
 * Runs a list or search, answering a filter it refuses (400 invalidFilter) as the profile's
 * `filter.refusal` says: another status, or a body of its own.
 */
export async function refusingFilters<T>(options: Pick<ResolvedOptions, 'profile'>, run: () => Promise<T>): Promise<T> {
  const { refusal } = options.profile.filter;
  if (refusal.status === 400 && refusal.body === undefined) return run();
  try {
    return await run();
  } catch (error) {
    if (!isScimError(error) || error.scimType !== 'invalidFilter') throw error;
    if (refusal.body !== undefined) throw new CustomAnswer(refusal.status, refusal.body, error.detail);
    throw new ScimError(refusal.status, 'invalidFilter', error.detail);
  }
}

/** The profile endpoint a request URL reaches (`/Users/{id}` for /scim/v2/Users/42), if any. */
export function endpointOf(url: string, basePath: string): Endpoint | undefined {
  const path = url.split('?', 1)[0]!;
  if (!path.startsWith(`${basePath}/`)) return undefined;
  const [first, second, ...rest] = path.slice(basePath.length + 1).split('/').filter((part) => part !== '');
  if (rest.length > 0 || first === undefined) return undefined;
  if (first === 'Users' || first === 'Groups') {
    if (second === undefined) return `/${first}`;
    return second === '.search' ? `/${first}/.search` : `/${first}/{id}`;
  }
  if (first === 'ResourceTypes' || first === 'Schemas') return `/${first}`;
  if (second !== undefined) return undefined;
  return ['Me', 'Bulk', '.search', 'ServiceProviderConfig'].includes(first) ? (`/${first}` as Endpoint) : undefined;
}

/** Replaces the body of error answers as the profile's `errors.answers` says, whoever answered (the 401 of the credential check too). */
export function registerErrorAnswers(app: FastifyInstance, options: Pick<ResolvedOptions, 'profile' | 'basePath'>): void {
  const { answers } = options.profile.errors;
  if (answers.length === 0) return;
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400) return payload;
    const endpoint = endpointOf(request.url, options.basePath);
    const answer = answers.find((a) => a.status === reply.statusCode && (a.endpoint === undefined || a.endpoint === endpoint));
    if (!answer) return payload;
    reply.type('application/json; charset=utf-8');
    return JSON.stringify(answer.body);
  });
}
