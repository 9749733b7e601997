import { randomBytes } from 'node:crypto';
import { LENIENT } from '../../scim/compat.js';
import { createReferenceServer } from '../../reference-server/app.js';

export interface EmbeddedTarget {
  url: string;
  token: string;
  close(): Promise<void>;
}

/** The reference server, in-process on a free loopback port: the target of a run without `--target`. */
export async function startEmbeddedTarget(options: { lenient?: boolean } = {}): Promise<EmbeddedTarget> {
  const token = randomBytes(24).toString('base64url');
  const server = createReferenceServer({
    tokens: [token],
    host: '127.0.0.1',
    port: 0,
    ...(options.lenient ? { compat: LENIENT } : {}),
  });
  const { url } = await server.listen();
  return { url, token, close: () => server.close() };
}
