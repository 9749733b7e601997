import { vi } from 'vitest';
import type { Reply } from '../../../harness/idp/okta/messages.js';
import { Task } from '../../../harness/idp/okta/transport.js';
import type { WireRequest } from '../../../harness/idp/okta/wire.js';

/*
 * Test-only patches of Okta's transport: how a simulator that ignores what the target answered
 * would behave. Each is installed by a mutation (scenario-mutations.ts) and undone after the test.
 */

interface TaskInternals {
  once(request: WireRequest): Promise<Reply>;
  retries(reply: Reply): boolean;
}

const internals = Task.prototype as unknown as TaskInternals;

/** Every answer passes through `change` before the task reads it. */
function rewriteReplies(change: (reply: Reply, request: WireRequest) => Reply): void {
  const once = internals.once;
  vi.spyOn(internals, 'once').mockImplementation(async function (this: TaskInternals, request: WireRequest) {
    return change(await once.call(this, request), request);
  });
}

/** Resends a throttled request at once, whatever Retry-After says (Okta ref §11). */
export function oktaRetriesAtOnce(): void {
  vi.spyOn(Task.prototype, 'send').mockImplementation(async function (this: Task, request: WireRequest) {
    const task = this as unknown as TaskInternals;
    for (let attempt = 1; ; attempt++) {
      const reply = await task.once(request);
      this.attempts = Math.max(this.attempts, attempt);
      if (attempt === 10 || !task.retries(reply)) return reply;
      this.waits.push(0);
    }
  });
}

/** Never retries a 429: the first one fails the task. */
export function oktaNeverRetries(): void {
  vi.spyOn(internals, 'retries').mockReturnValue(false);
}

/** Retries an answer with `status` on the 429 schedule (Okta ref §11 documents retries for 429 only). */
export function oktaRetriesStatus(status: number): () => void {
  return () => {
    const retries = internals.retries;
    vi.spyOn(internals, 'retries').mockImplementation(function (this: TaskInternals, reply: Reply) {
      return ('status' in reply && reply.status === status) || retries.call(this, reply);
    });
  };
}

/** Retries once a request that got no answer (a timeout is a real wait against a served target: once keeps it short). */
export function oktaRetriesNoAnswerOnce(): void {
  const retries = internals.retries;
  let retried = false;
  vi.spyOn(internals, 'retries').mockImplementation(function (this: TaskInternals, reply: Reply) {
    if (!('error' in reply) || retried) return retries.call(this, reply);
    retried = true;
    return true;
  });
}

/** Counts a Retry-After that is an HTTP date as the seconds until it (§11 says it does not count). */
export function oktaCountsRetryAfterDates(): void {
  rewriteReplies((reply) => {
    const date = 'headers' in reply ? Date.parse(reply.headers['retry-after'] ?? '') : NaN;
    if ('headers' in reply && !Number.isNaN(date)) reply.headers['retry-after'] = String(Math.max(0, Math.round((date - Date.now()) / 1000)));
    return reply;
  });
}

/** Reads a body that is not JSON (a proxy's HTML page) as an empty one. */
export function oktaIgnoresNonJsonBodies(): void {
  rewriteReplies((reply) => {
    if ('text' in reply && reply.text.trim().startsWith('<')) reply.text = '';
    return reply;
  });
}

/** Fails the existing-user lookup answered 404, as any other error would (§4.1 says it is a miss). */
export function oktaFailsLookup404(): void {
  rewriteReplies((reply, request) => ('status' in reply && reply.status === 404 && request.path.startsWith('/Users?filter=') ? { error: 'Not Found' } : reply));
}

/** Reads an empty create answer as a user (Okta ref §4.3 says the task fails). */
export function oktaReadsEmptyCreateAsUser(): void {
  rewriteReplies((reply, request) => {
    if ('text' in reply && request.method === 'POST' && reply.text.trim() === '') reply.text = '{"id":"read-from-nothing"}';
    return reply;
  });
}

/** Reads an error answer with `status` as a 200 with an empty ListResponse: the refusal is ignored. */
export function oktaIgnoresStatus(status: number): () => void {
  return () =>
    rewriteReplies((reply) =>
      'status' in reply && reply.status === status
        ? { ...reply, status: 200, text: '{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}' }
        : reply,
    );
}
