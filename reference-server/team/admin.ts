import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routePath } from '../http/path-route.js';
import type { InviteControl } from './team.js';

/**
 * The team admin's side of invites, for a harness in another process acting as the admin of a
 * served target (Postman ref §7: an invite pending until the admin deletes it or the invitee accepts):
 * GET lists the pending invites, POST …/{id or email}/accept accepts one, DELETE …/{id or email}
 * deletes one. Guarded like the fault admin API (faults/admin.ts), and present only with it.
 */
export const INVITES_PATH = '/_scimulator/invites';

const ADMIN = { config: { admin: true } };

function json(reply: FastifyReply, body: unknown): void {
  reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}

const keyOf = (request: FastifyRequest): string => (request.params as { key: string }).key;

export function registerInviteRoutes(app: FastifyInstance, invites: InviteControl): void {
  routePath(app, INVITES_PATH, { GET: (_request, reply) => json(reply, invites.list()) }, ADMIN);
  routePath(
    app,
    `${INVITES_PATH}/:key`,
    {
      DELETE: async (request, reply) => {
        await invites.delete(keyOf(request));
        reply.code(204).removeHeader('content-type').send();
      },
    },
    ADMIN,
  );
  routePath(app, `${INVITES_PATH}/:key/accept`, { POST: async (request, reply) => json(reply, await invites.accept(keyOf(request))) }, ADMIN);
}
