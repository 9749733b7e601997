import type { FastifyInstance } from 'fastify';
import { ScimError } from '../../scim/errors.js';
import { routePath } from '../http/path-route.js';

/**
 * The team admin regenerating the SCIM API key (Postman ref §6: the old key may stay valid
 * briefly), for a harness in another process: POST `{ "token": NEW }` makes NEW the key, and the
 * keys accepted so far stay valid for the profile's `auth.rotationGrace` seconds on the server's
 * clock. The harness chooses the key, so that the server never has to send one back. Guarded
 * like the fault admin API (faults/admin.ts), and present only with it.
 */
export const TOKEN_PATH = '/_scimulator/token';

/** A bearer token is a few dozen characters; the body holds one. */
export const MAX_TOKEN = 512;
export const TOKEN_BODY_LIMIT = 2 * 1024;

export function registerTokenRoutes(app: FastifyInstance, rotate: (token: string) => void, adminToken: string): void {
  routePath(
    app,
    TOKEN_PATH,
    {
      POST: (request, reply) => {
        const token = (request.body as { token?: unknown } | null)?.token;
        // Never quotes the token: it is a secret.
        if (typeof token !== 'string' || !/^\S+$/.test(token) || token.length > MAX_TOKEN) {
          throw ScimError.badRequest('invalidValue', `the body must be { "token": NEW }: a bearer token of 1 to ${MAX_TOKEN} characters without spaces`);
        }
        if (token === adminToken) throw ScimError.badRequest('invalidValue', 'the new token must differ from the admin token: the admin API and SCIM take separate credentials');
        rotate(token);
        reply.code(204).removeHeader('content-type').send();
      },
    },
    { config: { admin: true }, bodyLimit: TOKEN_BODY_LIMIT },
  );
}
