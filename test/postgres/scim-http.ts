import { request } from 'undici';
import { createReferenceServer, type ReferenceServer } from '../../reference-server/app.js';
import { URN } from '../../scim/schema/urns.js';

export const TOKEN = 'pg-test-token-0123456789';

export type Json = Record<string, any>;

export interface Answer {
  status: number;
  etag: string | undefined;
  body: Json;
}

/** One SCIM request over real HTTP (loopback); the body read as JSON when there is one. */
export async function scim(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await request(`${base}${path}`, {
    method: method as 'GET',
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  const etag = response.headers.etag;
  return { status: response.statusCode, etag: typeof etag === 'string' ? etag : undefined, body: text === '' ? {} : (JSON.parse(text) as Json) };
}

export const newUser = (userName: string, more: Json = {}) => ({ schemas: [URN.user], userName, ...more });
export const newGroup = (displayName: string, members: { value: string }[] = []) => ({ schemas: [URN.group], displayName, members });
export const patch = (...Operations: Json[]) => ({ schemas: [URN.patchOp], Operations });

/** A strict reference server on `store` (a PostgreSQL URL or 'memory'), listening on a free loopback port. */
export async function startServer(store: string): Promise<{ server: ReferenceServer; base: string }> {
  const server = createReferenceServer({ store, tokens: [TOKEN], port: 0 });
  const { url } = await server.listen();
  return { server, base: url };
}
