import type { FastifyInstance } from 'fastify';
import { createReferenceServer } from '../../../reference-server/app.js';

/**
 * One deliberate fault, injected into an otherwise conforming reference server, so that a run
 * against it should fail exactly the scenarios that exercise the fault.
 */
export type Fault = 'filter-500' | 'plain-text-errors' | 'no-location' | 'patch-ignores-path';

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
  }
}

export async function startFaultyTarget(fault: Fault): Promise<FaultyTarget> {
  const token = `faulty-${fault}`;
  const server = createReferenceServer({ tokens: [token] });
  inject(server.app, fault);
  const { url } = await server.listen();
  return { url, token, close: () => server.close() };
}
