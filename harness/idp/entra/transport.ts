import { watchForTimeout } from '../virtual-timeout.js';
import { RequestFailedError } from '../../http/client.js';
import type { VirtualClock } from '../clock.js';
import type { StepRun } from '../types.js';
import type { EntraSettings } from './settings.js';
import { retryAfterSeconds } from './retry-after.js';
import type { WireRequest } from './wire.js';

/**
 * What came back for a request: an HTTP answer, or none (a network failure or a timeout).
 * `sends` counts the times a throttled request went out under `throttling: retry-after`, when more than one.
 */
export type Reply = { status: number; text: string; json?: unknown; headers: Record<string, string>; sends?: number } | { error: string; timedOut: boolean };

export type Answer = Extract<Reply, { status: number }>;

/** The body as JSON whatever its Content-Type (Entra's .NET client deserialises the text); undefined when it is not JSON. */
function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Entra's requests through the run's client, as IdP traffic at the virtual time: only
 * Authorization (the Secret Token when the scenario sets one), Content-Type with a body, no
 * User-Agent, and no Accept unless `accept` says so (Entra ref §2, §10.8). Each request takes
 * 1/requestsPerSecond of virtual time, and one without an answer `timeoutSeconds` more.
 */
export class EntraTransport {
  run!: StepRun;
  /** The Secret Token Entra sends; `undefined` sends the run's credentials. */
  secretToken: string | undefined;

  constructor(
    private readonly clock: VirtualClock,
    private readonly settings: EntraSettings,
  ) {
    this.secretToken = settings.secretToken;
  }

  /**
   * Sends; under `throttling: retry-after` (UNVERIFIED, Entra ref §5.10) a 429 with Retry-After is
   * waited out on the virtual clock and the request resent, up to `retryAfterAttempts` sends in all,
   * each wait at most `retryAfterMaxSeconds` (synthesised caps: the reference gives none, and a
   * target that always throttles, or asks for years, must not hold the cycle or move its clock
   * without end). A 429 not waited out is the answer: the object fails and is escrowed (§5.5).
   */
  async send(request: WireRequest): Promise<Reply> {
    const { settings } = this;
    for (let sends = 1; ; sends++) {
      const reply = await this.once(request);
      const wait = 'status' in reply && reply.status === 429 && settings.throttling === 'retry-after' ? retryAfterSeconds(reply.headers, this.clock.now().getTime()) : undefined;
      if (wait === undefined || wait > settings.retryAfterMaxSeconds || sends === settings.retryAfterAttempts) return 'status' in reply && sends > 1 ? { ...reply, sends } : reply;
      this.clock.advance(wait * 1000);
    }
  }

  private async once(request: WireRequest): Promise<Reply> {
    const { settings } = this;
    // Unverified whether the Tenant-URL flags reach the server (Entra ref §1.1); by default they are stripped.
    const flags = settings.forwardFlags && settings.flags.length > 0 ? `${request.path.includes('?') ? '&' : '?'}${settings.flags.join('&')}` : '';
    const virtualTime = this.clock.iso();
    // On a target whose waits the run sees (a scenario's own embedded server), the timeout is virtual: harness/idp/virtual-timeout.ts.
    const timeoutMs = settings.timeoutSeconds === undefined ? undefined : settings.timeoutSeconds * 1000;
    const watch = timeoutMs !== undefined && this.run.waits ? watchForTimeout(this.run.waits, timeoutMs, this.clock) : undefined;
    const client = watch ? this.run.client.abortableBy(watch.signal) : this.run.client;
    try {
      const response = await client.send(
        {
          method: request.method,
          path: request.path + flags,
          ...(request.body !== undefined && { body: request.body }),
          ...(timeoutMs !== undefined && { timeoutMs }),
          ...(settings.accept === 'none' ? { omitHeaders: ['accept'] } : { headers: { accept: settings.accept } }),
        },
        {
          transcript: this.run.transcript,
          kind: 'idp',
          by: 'entra',
          step: this.run.step,
          virtualTime,
          ...(this.secretToken !== undefined && { auth: { bearer: this.secretToken } }),
        },
      );
      const json = parseJson(response.text);
      return { status: response.status, text: response.text, headers: response.headers, ...(json !== undefined && { json }) };
    } catch (error) {
      if (!(error instanceof RequestFailedError)) throw error;
      const timedOut = error.reason === 'timeout' || watch?.timedOut() === true;
      // Entra waited that long for the answer (Entra ref §9 Timeout).
      if (timedOut && timeoutMs !== undefined) this.clock.advance(timeoutMs);
      return { error: error.exchange.error ?? error.message, timedOut };
    } finally {
      watch?.stop();
      this.clock.advance(1000 / settings.requestsPerSecond);
    }
  }
}
