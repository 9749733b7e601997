import type { FastifyInstance } from 'fastify';
import { ScimError } from '../../scim/errors.js';
import { routePath } from '../http/path-route.js';

/**
 * The server's clock moved forward by its admin, for a harness in another process that must see
 * time pass without waiting for it: a rotated key's grace (auth.rotationGrace), a fault window.
 * POST `{ "advanceMs": N }` moves it N milliseconds on; it never goes back. Synthesised: a test
 * device, no IdP or service has it. Guarded like the fault admin API, and present only with it.
 */
export const CLOCK_PATH = '/_scimulator/clock';

/** A year: more says the body is a mistake. */
export const MAX_ADVANCE_MS = 366 * 86_400_000;
export const CLOCK_BODY_LIMIT = 1024;

/** A clock that is `base` moved forward by what its admin asked. */
export class MovedClock {
  private offsetMs = 0;

  constructor(private readonly base: () => Date) {}

  readonly now = (): Date => new Date(this.base().getTime() + this.offsetMs);

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export function registerClockRoutes(app: FastifyInstance, clock: MovedClock): void {
  routePath(
    app,
    CLOCK_PATH,
    {
      POST: (request, reply) => {
        const ms = (request.body as { advanceMs?: unknown } | null)?.advanceMs;
        if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > MAX_ADVANCE_MS) {
          throw ScimError.badRequest('invalidValue', `the body must be { "advanceMs": N }: whole milliseconds from 1 to ${MAX_ADVANCE_MS} (a year); the clock never goes back`);
        }
        clock.advance(ms);
        reply.type('application/json; charset=utf-8').send(JSON.stringify({ now: clock.now().toISOString() }));
      },
    },
    { config: { admin: true }, bodyLimit: CLOCK_BODY_LIMIT },
  );
}
