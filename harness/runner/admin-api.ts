import { Pool, request, type Dispatcher } from 'undici';
import { readLimited } from '../http/body.js';
import { duration } from '../http/client.js';
import { HARNESS_USER_AGENT } from '../http/user-agent.js';

/*
 * The admin API of a separately served reference server (`scimulator serve --admin-token`):
 * `/_scimulator/faults` (docs/faults.md), `/_scimulator/invites` and `/_scimulator/token` (docs/profiles.md), at
 * the root of the target's origin, outside its SCIM base path. The admin token is sent to that API
 * only; a recording (`run --record`) keeps its calls with the token redacted.
 */

/** An answer other than the one expected: its status, the SCIM error's detail when there is one, and the message in words. */
export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly detail: string | undefined,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

/** One request to the admin API: `api` names the part it uses (`fault`, `invite`) in messages. */
export interface AdminRequest {
  api: string;
  method: 'PUT' | 'POST' | 'DELETE';
  /** From the origin: `/_scimulator/faults`. */
  path: string;
  expected: number;
  body?: unknown;
}

export interface AdminApi {
  /** Sends `request` with the admin token. Throws an AdminApiError when its status is not the one expected, an Error in words when no answer came. */
  send(request: AdminRequest): Promise<void>;
  /** Ends its connection. */
  close(): Promise<void>;
}

/**
 * What an admin API answer means for the user, past the status: the token or the server to fix.
 * A server without the admin API answers its paths like any unknown one: 404, or a SCIM 401 to a
 * token that is no SCIM credential; the admin API's own 401 names its realm.
 */
function adminAdvice(api: string, status: number, authenticate: string, detail: string | undefined): string {
  if (status === 401 && authenticate.includes('scimulator-admin')) return 'the target refused the admin token: give run --admin-token the token given to scimulator serve --admin-token';
  if (status === 404 || status === 401) return `the target has no ${api} admin API: start it with scimulator serve --admin-token TOKEN and give run --admin-token the same token`;
  return detail ?? 'unexpected answer';
}

/** The admin API answers a few hundred bytes; more is not its answer, and is not read (issue 20). */
const ANSWER_LIMIT = 64 * 1024;

/** The SCIM error detail of a body, when it is one. */
function detailOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { detail?: unknown };
    return typeof parsed.detail === 'string' ? parsed.detail : undefined;
  } catch {
    // Not JSON: the status says enough.
    return undefined;
  }
}

/**
 * The admin API of the reference server serving `targetUrl`, over one connection. `timeoutMs`
 * bounds each wait, `deadlineMs` (the run's --deadline) a whole request: an answer that drips in
 * slower than the timeout is given up on all the same (issue 20). Through `dispatcher`, the run's,
 * when it has one: `run --record` records the admin calls with the others, `replay` answers them
 * from the recording; its owner closes it.
 */
export function adminApi(targetUrl: string, token: string, timeoutMs: number, deadlineMs: number, dispatcher?: Dispatcher): AdminApi {
  const origin = new URL(targetUrl).origin;
  const pool = dispatcher ?? new Pool(origin, { connections: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: timeoutMs } });
  return {
    async send({ api, method, path, expected, body }) {
      const url = `${origin}${path}`;
      let answer: { status: number; authenticate: string; text: string };
      const deadline = AbortSignal.timeout(deadlineMs);
      try {
        const response = await request(url, {
          dispatcher: pool,
          signal: deadline,
          method,
          headers: { authorization: `Bearer ${token}`, 'user-agent': HARNESS_USER_AGENT, ...(body !== undefined && { 'content-type': 'application/json' }) },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
        const authenticate = [response.headers['www-authenticate'] ?? []].flat().join(', ');
        answer = { status: response.statusCode, authenticate, text: (await readLimited(response.body, ANSWER_LIMIT)).toString('utf8') };
      } catch (error) {
        const why = deadline.aborted ? `no complete answer within ${duration(deadlineMs)} (--deadline)` : (error as Error).message;
        throw new Error(`${method} ${url} got no answer: ${why}`);
      }
      if (answer.status === expected) return;
      const detail = detailOf(answer.text);
      throw new AdminApiError(`${method} ${url} answered ${answer.status}: ${adminAdvice(api, answer.status, answer.authenticate, detail)}`, answer.status, detail);
    },
    close: async () => {
      if (!dispatcher) await pool.close();
    },
  };
}
