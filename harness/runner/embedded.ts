import { randomBytes } from 'node:crypto';
import { createReferenceServer } from '../../reference-server/app.js';
import type { FaultControl } from '../../reference-server/faults/injector.js';

export interface EmbeddedTarget {
  url: string;
  token: string;
  /** The server's fault rules (docs/faults.md). */
  faults: FaultControl;
  close(): Promise<void>;
}

/**
 * The reference server, in-process on a free loopback port: the target of a run without
 * `--target`, with a profile (a bundled name or a file; default strict). Fault delays and hangs
 * wait on the real timers: the client's own timeout ends a hang (see docs/scenario-format.md).
 */
export async function startEmbeddedTarget(options: { profile?: string } = {}): Promise<EmbeddedTarget> {
  const token = randomBytes(24).toString('base64url');
  const server = createReferenceServer({
    tokens: [token],
    host: '127.0.0.1',
    port: 0,
    ...(options.profile !== undefined && { profile: options.profile }),
  });
  const { url } = await server.listen();
  return { url, token, faults: server.faults, close: () => server.close() };
}
