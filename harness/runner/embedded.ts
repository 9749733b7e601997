import { randomBytes } from 'node:crypto';
import { createReferenceServer } from '../../reference-server/app.js';
import type { FaultControl } from '../../reference-server/faults/injector.js';
import type { Timers } from '../../reference-server/faults/timers.js';
import type { InviteControl } from '../../reference-server/team/team.js';

export interface EmbeddedTarget {
  url: string;
  token: string;
  /** The server's fault rules (docs/faults.md). */
  faults: FaultControl;
  /** The pending invites of its profile's team, as the team admin sees them; absent when the profile has no team accounts to invite. */
  invites?: InviteControl;
  /** Makes `token` its key; the keys before it stay valid for its profile's auth.rotationGrace. */
  rotateToken(token: string): void;
  close(): Promise<void>;
}

/**
 * The reference server, in-process on a free loopback port: the target of a run without
 * `--target`, with a profile (a bundled name or a file; default strict) and a clock (`now`, default
 * the real one: a scenario's own server may be given one it moves) and the timers its fault delays
 * and hangs wait on (`timers`, default the real ones: a scenario's own server is given watched ones,
 * so that an IdP with a virtual clock sees the wait and counts it in virtual time, docs/okta.md).
 */
export async function startEmbeddedTarget(options: { profile?: string; store?: string; now?: () => Date; timers?: Timers } = {}): Promise<EmbeddedTarget> {
  const token = randomBytes(24).toString('base64url');
  const server = createReferenceServer({
    tokens: [token],
    host: '127.0.0.1',
    port: 0,
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.store !== undefined && { store: options.store }),
    ...(options.now !== undefined && { now: options.now }),
    ...(options.timers !== undefined && { timers: options.timers }),
  });
  const { url } = await server.listen();
  const invites = server.options.profile.team.accounts.length > 0 ? server.invites : undefined;
  return { url, token, faults: server.faults, ...(invites && { invites }), rotateToken: (next) => server.rotateToken(next), close: () => server.close() };
}
