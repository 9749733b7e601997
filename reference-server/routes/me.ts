import type { RouteHandlerMethod } from 'fastify';
import { ScimError } from '../../scim/errors.js';
import { sendScimError } from '../http/errors.js';
import { profileRoute } from '../profile/answers.js';
import type { ScimRoutes } from './types.js';

/** RFC 7644 §3.11: a provider that does not map credentials to a resource answers /Me with 501. */
export const registerMeRoutes: ScimRoutes = (app, context) => {
  const notImplemented: RouteHandlerMethod = (_request, reply) => {
    sendScimError(reply, new ScimError(501, undefined, '/Me is not implemented: a token here is not tied to a User; use /Users/{id}'));
  };
  profileRoute(app, context, '/Me', '/Me', { GET: notImplemented, POST: notImplemented, PUT: notImplemented, PATCH: notImplemented, DELETE: notImplemented });
};
