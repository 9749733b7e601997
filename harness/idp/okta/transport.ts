import { RequestFailedError } from '../../http/client.js';
import type { VirtualClock } from '../clock.js';
import { watchForTimeout } from '../virtual-timeout.js';
import type { StepRun } from '../types.js';
import type { Reply } from './messages.js';
import type { OktaSettings } from './settings.js';
import { OKTA_HEADER_ORDER, oktaHeaders, type WireRequest } from './wire.js';

/** Attempts of one request before the task fails for good (Okta ref §11). */
const MAX_ATTEMPTS = 10;
/** The first wait without a usable Retry-After, in seconds; it doubles with each retry (Okta ref §11). */
const DEFAULT_WAIT_SECONDS = 300;

/** What Okta (Java) reports when no data came within its timeout (docs/okta.md, Messages). */
const READ_TIMED_OUT = 'Read timed out';
/** What Java reports for a connection the server reset or closed mid-answer (UNVERIFIED: no capture, Okta ref §12). */
const CONNECTION_RESET = 'Connection reset';

/** `Retry-After` in seconds if it is a plain integer; an HTTP-date or anything else does not count (Okta ref §11). */
function retryAfter(headers: Record<string, string>): number | undefined {
  const value = headers['retry-after']?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * One provisioning task's traffic: each request with Okta's headers through the run's client, as
 * IdP traffic at the virtual time, and 429 handling in virtual time: the first wait is an integer
 * Retry-After, otherwise 5 minutes; each later one doubles the one before (or, with `retryWaits:
 * retry-after`, follows its own Retry-After); at most 10 attempts (Okta ref §11). The throttled
 * request itself is sent again once the task resumes. A request without an answer within
 * `timeoutSeconds` (Okta ref §2.4, §13.19) is a failure, and the virtual clock moves on by the time
 * Okta waited for it. Against a target whose waits the run sees (a scenario's own embedded server:
 * its fault delays and hangs), that wait is virtual: a hold as long as the timeout is the timeout at
 * once, a shorter one moves the clock on by itself and the answer comes. Against any other target
 * it is real time (silence is told from a slow answer only by waiting), and the run's --deadline
 * bounds each request all the same (a shorter one ends it as a deadline, not as Okta's timeout).
 */
export class Task {
  /** The most attempts any one request of the task took. */
  attempts = 1;
  /** The waits before each retry, in seconds. */
  readonly waits: number[] = [];

  constructor(
    private readonly run: StepRun,
    private readonly clock: VirtualClock,
    private readonly settings: Pick<OktaSettings, 'timeoutSeconds' | 'retryServerErrors' | 'retryWaits' | 'secretToken'>,
  ) {}

  async send(request: WireRequest): Promise<Reply> {
    for (let attempt = 1; ; attempt++) {
      const reply = await this.once(request);
      this.attempts = Math.max(this.attempts, attempt);
      if (attempt === MAX_ATTEMPTS || !this.retries(reply)) return reply;
      const given = 'headers' in reply ? retryAfter(reply.headers) : undefined;
      const previous = attempt > 1 ? this.waits.at(-1) : undefined;
      const wait =
        previous !== undefined && (this.settings.retryWaits === 'double' || given === undefined) ? previous * 2 : (given ?? DEFAULT_WAIT_SECONDS);
      this.waits.push(wait);
      this.clock.advance(wait * 1000);
    }
  }

  private retries(reply: Reply): boolean {
    if ('error' in reply) return this.settings.retryServerErrors;
    return reply.status === 429 || (this.settings.retryServerErrors && reply.status >= 500);
  }

  private async once(request: WireRequest): Promise<Reply> {
    const timeoutMs = this.settings.timeoutSeconds * 1000;
    const watch = this.run.waits && watchForTimeout(this.run.waits, timeoutMs, this.clock);
    const client = watch ? this.run.client.abortableBy(watch.signal) : this.run.client;
    try {
      const response = await client.send(
        { method: request.method, path: request.path, headers: oktaHeaders(request), headerOrder: OKTA_HEADER_ORDER, body: request.body, timeoutMs },
        {
          transcript: this.run.transcript,
          kind: 'idp',
          by: 'okta',
          step: this.run.step,
          virtualTime: this.clock.iso(),
          // A scenario's own API token in place of the run's credentials; recorded as `Bearer [redacted]`.
          ...(this.settings.secretToken !== undefined && { auth: { bearer: this.settings.secretToken } }),
        },
      );
      return { status: response.status, text: response.text, headers: response.headers };
    } catch (error) {
      if (!(error instanceof RequestFailedError)) throw error;
      if (error.reason === 'timeout' || watch?.timedOut()) {
        this.clock.advance(timeoutMs);
        return { error: READ_TIMED_OUT };
      }
      const failure = error.exchange.error ?? error.message;
      return { error: /^connection closed by /.test(failure) ? CONNECTION_RESET : failure };
    } finally {
      watch?.stop();
    }
  }
}
