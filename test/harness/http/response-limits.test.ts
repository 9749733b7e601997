import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestFailedError, ScimClient, type ClientResponse } from '../../../harness/http/client.js';
import { Redactor } from '../../../harness/http/redact.js';
import { Transcript } from '../../../harness/http/transcript.js';
import { hostileTarget, type HostileMode, type HostileTarget } from '../hostile-target.js';

const raw = (transcript: Transcript) => ({ transcript, kind: 'raw' as const, step: 0 });
const LIMIT = 1024 * 1024;
/** The target sees the close within milliseconds; an upper bound for a loaded machine. */
const CLOSED_SOON = { timeout: 20_000 };

let target: HostileTarget | undefined;
let client: ScimClient | undefined;
afterEach(async () => {
  await client?.close();
  await target?.close();
  client = target = undefined;
});

/** A GET /Users against a hostile loopback target, through a client limited to 1 MB. */
async function fetchFrom(mode: HostileMode, options: { deadlineMs?: number; timeoutMs?: number } = {}) {
  target = await hostileTarget(mode);
  client = new ScimClient({ baseUrl: target.url, credentials: { kind: 'bearer', token: target.token }, redactor: new Redactor(), maxResponseBytes: LIMIT, ...options });
  const transcript = new Transcript();
  const started = performance.now();
  const failure = await client.send({ method: 'GET', path: '/Users' }, raw(transcript)).catch((error: unknown) => error);
  return { failure: failure as RequestFailedError, exchange: transcript.exchanges[0]!, ms: performance.now() - started };
}

describe('a response body past --max-response-size (issue 20, finding 5)', () => {
  it('an endless body: stops reading at the limit, says so, and closes the connection', async () => {
    const { failure, exchange } = await fetchFrom({ kind: 'endless' });
    expect(failure).toBeInstanceOf(RequestFailedError);
    expect(failure.reason).toBe('too-large');
    expect(failure.message).toBe(`GET ${target!.url}/Users: response larger than 1 MB: stopped reading (--max-response-size)`);
    expect(exchange.error).toBe('response larger than 1 MB: stopped reading (--max-response-size)');
    expect(exchange.response).toBeUndefined();
    // The target learns it: it stops writing.
    await vi.waitFor(() => expect(target!.closed).toBe(1), CLOSED_SOON);
  });

  it('a body larger than the limit, with its Content-Length (50 MB stands for any size above it)', async () => {
    const { failure } = await fetchFrom({ kind: 'large', bytes: 50 * 1024 * 1024 });
    expect(failure.message).toMatch(/: response larger than 1 MB: stopped reading \(--max-response-size\)$/);
    await vi.waitFor(() => expect(target!.closed).toBe(1), CLOSED_SOON);
    expect(target!.written).toBeLessThan(50 * 1024 * 1024);
  });

  it('a gzip bomb: a small body that would inflate past the limit is refused while decompressing', async () => {
    const { failure, exchange } = await fetchFrom({ kind: 'gzip-bomb', bytes: 20 * LIMIT });
    expect(target!.written).toBeLessThan(LIMIT);
    expect(failure.reason).toBe('too-large');
    expect(exchange.error).toBe('response larger than 1 MB once decompressed (gzip): stopped reading (--max-response-size)');
  });

  it('a body at the limit is read whole', async () => {
    const { failure: answer } = await fetchFrom({ kind: 'large', bytes: LIMIT });
    expect((answer as unknown as ClientResponse).text).toHaveLength(LIMIT);
  });
});

describe('a whole request has a deadline besides the idle timeout (issue 20, finding 6)', () => {
  it('a target that drips its answer faster than the idle timeout is given up on at the deadline', async () => {
    // An idle timeout far beyond the deadline: a loaded machine's late byte cannot end the request first.
    const { failure, exchange, ms } = await fetchFrom({ kind: 'drip', everyMs: 20 }, { timeoutMs: 60_000, deadlineMs: 300 });
    expect(failure.reason).toBe('deadline');
    expect(exchange.error).toBe('no complete response within 300 ms (--deadline)');
    expect(ms).toBeGreaterThanOrEqual(290);
    // Given up on at the deadline, not at the 60 s idle timeout (the drip alone would go on for ever); an upper bound for a loaded machine.
    expect(ms).toBeLessThan(20_000);
  });

  it("an IdP's own, longer timeout for one request still ends at the deadline", async () => {
    target = await hostileTarget({ kind: 'hang' });
    client = new ScimClient({ baseUrl: target.url, credentials: { kind: 'bearer', token: target.token }, redactor: new Redactor(), deadlineMs: 200 });
    const transcript = new Transcript();
    const failure = await client.send({ method: 'GET', path: '/Users', timeoutMs: 60_000 }, raw(transcript)).catch((error: unknown) => error);
    expect((failure as RequestFailedError).reason).toBe('deadline');
    expect(transcript.exchanges[0]!.error).toBe('no complete response within 200 ms (--deadline)');
  });
});
