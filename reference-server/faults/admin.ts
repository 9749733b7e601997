import { hash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, onRequestHookHandler } from 'fastify';
import { ScimError } from '../../scim/errors.js';
import type { BearerTokenOption } from '../auth.js';
import { SCIM_CONTENT_TYPE } from '../http/content-type.js';
import { routePath } from '../http/path-route.js';
import { checkFaultSet, FaultSetError } from './check.js';
import type { FaultControl } from './injector.js';
import type { FaultSet } from './types.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The fault admin API: guarded by the admin token, never by the SCIM credentials. */
    admin?: boolean;
  }
}

/**
 * The fault admin API, outside the SCIM base path, so that a harness in another process can
 * inject faults into `scimulator serve`: GET lists the rules and their counts, PUT replaces the
 * set, POST adds rules, DELETE clears. It exists only when an admin token is configured; without
 * one the path is unknown like any other (404, or 401 without a SCIM credential).
 */
export const ADMIN_PATH = '/_scimulator/faults';

const ADMIN_REALM = 'Bearer realm="scimulator-admin"';

const digest = (secret: string): Buffer => hash('sha256', secret, 'buffer');

/**
 * The onRequest check of the admin routes: `Authorization: Bearer <admin token>`, compared in
 * constant time. The SCIM credentials do not pass it, and the admin token passes nothing else.
 * Throws when the token is empty or is also a SCIM token.
 */
export function adminGuard(token: string, scimTokens: readonly (string | BearerTokenOption)[]): onRequestHookHandler {
  if (typeof token !== 'string' || !/^\S+$/.test(token)) throw new Error('adminToken must be a non-empty token without spaces, for the fault admin API');
  if (scimTokens.some((scim) => (typeof scim === 'string' ? scim : scim.token) === token)) throw new Error('adminToken must differ from every SCIM bearer token: the admin API and SCIM take separate credentials');
  const expected = digest(token);
  return function checkAdminToken(request, reply, done) {
    const presented = /^\s*bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    // Compared even when absent, so that the answer takes as long either way.
    const equal = timingSafeEqual(expected, digest(presented ?? ''));
    if (equal && presented !== undefined) return done();
    reply
      .code(401)
      .header('www-authenticate', ADMIN_REALM)
      .type(SCIM_CONTENT_TYPE)
      .send(new ScimError(401, undefined, 'The admin API needs Authorization: Bearer <admin token>, the token given to serve --admin-token').toBody());
  };
}

/** A mistake in the body as a SCIM 400 that names the rule and the field. */
function checked(change: () => void): void {
  try {
    change();
  } catch (error) {
    if (error instanceof FaultSetError) throw ScimError.badRequest('invalidValue', error.message);
    throw error;
  }
}

function listing(reply: FastifyReply, control: FaultControl): void {
  reply.type('application/json; charset=utf-8').send(JSON.stringify(control.list()));
}

/** The admin routes at ADMIN_PATH (other methods get 405); their requests carry `config.admin`. */
export function registerAdminRoutes(app: FastifyInstance, control: FaultControl): void {
  routePath(
    app,
    ADMIN_PATH,
    {
      GET: (_request, reply) => listing(reply, control),
      PUT: (request, reply) => {
        checked(() => control.install((request.body ?? {}) as FaultSet));
        listing(reply, control);
      },
      POST: (request, reply) => {
        checked(() => {
          const { seed, rules } = checkFaultSet(request.body ?? {});
          if (seed !== undefined) throw new FaultSetError(['seed'], 'only PUT sets the seed (it restarts the generator); POST adds rules');
          control.add(rules);
        });
        listing(reply, control);
      },
      DELETE: (_request, reply) => {
        control.clear();
        reply.code(204).send();
      },
    },
    { config: { admin: true } },
  );
}
