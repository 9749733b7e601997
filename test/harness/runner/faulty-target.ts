import type { FastifyInstance } from 'fastify';
import { createReferenceServer } from '../../../reference-server/app.js';

/**
 * One deliberate fault, injected into an otherwise conforming reference server, so that a run
 * against it should fail exactly the scenarios that exercise the fault.
 */
export type Fault =
  | 'filter-500'
  | 'plain-text-errors'
  | 'no-location'
  | 'patch-ignores-path'
  | 'pathless-patch-400'
  | 'throttle-twice'
  | 'throttle-twice-no-retry-after';

export interface FaultyTarget {
  url: string;
  token: string;
  close(): Promise<void>;
}

function inject(app: FastifyInstance, fault: Fault): void {
  switch (fault) {
    case 'filter-500':
      app.addHook('onRequest', async (request, reply) => {
        if (/[?&]filter=/.test(request.url)) {
          await reply.code(500).header('content-type', 'application/scim+json').send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'boom' });
        }
      });
      return;
    case 'plain-text-errors':
      app.addHook('onSend', async (_request, reply, payload) => {
        if (reply.statusCode < 400) return payload;
        reply.header('content-type', 'text/plain; charset=utf-8');
        return `Error ${reply.statusCode}`;
      });
      return;
    case 'no-location':
      app.addHook('onSend', async (_request, reply, payload) => {
        reply.removeHeader('location');
        return payload;
      });
      return;
    case 'patch-ignores-path':
      // Operations with a path are acknowledged and dropped; path-less ones still apply.
      app.addHook('preHandler', async (request) => {
        if (request.method !== 'PATCH') return;
        const body = request.body as { Operations?: { path?: unknown }[] } | undefined;
        if (!body || !Array.isArray(body.Operations)) return;
        const kept = body.Operations.filter((op) => op.path === undefined);
        body.Operations = kept.length > 0 ? kept : [{ op: 'add', value: {} } as never];
      });
      return;
    case 'pathless-patch-400':
      // The servers of okta-wire §6.1 that break on Okta's deactivation: every operation needs a path.
      app.addHook('preHandler', async (request, reply) => {
        const body = request.body as { Operations?: { path?: unknown }[] } | undefined;
        if (request.method !== 'PATCH' || !body?.Operations?.some((op) => op.path === undefined)) return;
        await reply.code(400).send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], scimType: 'noTarget', detail: 'PATCH operations need a path', status: '400' });
      });
      return;
    case 'throttle-twice':
    case 'throttle-twice-no-retry-after': {
      // The first two requests from Okta's client are throttled (okta-wire §11); the harness's own reads are not.
      let throttled = 0;
      app.addHook('onRequest', async (request, reply) => {
        if (request.headers['user-agent'] !== 'Okta SCIM Client 1.0.0' || throttled >= 2) return;
        throttled++;
        if (fault === 'throttle-twice') reply.header('retry-after', '7');
        await reply.code(429).send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'Too many requests', status: '429' });
      });
      return;
    }
  }
}

export async function startFaultyTarget(fault: Fault): Promise<FaultyTarget> {
  const token = `faulty-${fault}`;
  const server = createReferenceServer({ tokens: [token] });
  inject(server.app, fault);
  const { url } = await server.listen();
  return { url, token, close: () => server.close() };
}
