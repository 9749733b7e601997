import { afterEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker } from '../../../harness/http/breaker.js';
import { RequestFailedError, ScimClient } from '../../../harness/http/client.js';
import { Redactor } from '../../../harness/http/redact.js';
import { Transcript } from '../../../harness/http/transcript.js';
import { hostileTarget, type HostileTarget } from '../hostile-target.js';
import { fakeTarget, SCIM_JSON } from './fake-target.js';

const raw = (transcript: Transcript) => ({ transcript, kind: 'raw' as const, step: 0 });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9999'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9999 });

describe('CircuitBreaker', () => {
  it('trips after `limit` failures in a row, with the last as its reason', () => {
    const breaker = new CircuitBreaker(3);
    breaker.failed('a');
    breaker.failed('b');
    expect(breaker.signal.aborted).toBe(false);
    breaker.failed('GET /Users: connection refused');
    expect(breaker.signal.aborted).toBe(true);
    expect(breaker.reason).toBe('3 of the last 3 requests got no usable answer from the target, the last: GET /Users: connection refused');
  });

  it('trips on `limit` failures among the last `2 × limit` requests, answers in between or not', () => {
    // A target that still answers discovery between waves of timeouts has stopped answering all the same.
    const breaker = new CircuitBreaker(3);
    breaker.failed('x');
    breaker.answered();
    breaker.failed('y');
    breaker.answered();
    breaker.answered();
    expect(breaker.reason).toBeUndefined();
    breaker.failed('GET /Users: no response within 30 s');
    expect(breaker.reason).toBe('3 of the last 6 requests got no usable answer from the target, the last: GET /Users: no response within 30 s');
  });

  it('forgets failures older than the last `2 × limit` requests', () => {
    const breaker = new CircuitBreaker(2);
    breaker.failed('a');
    for (let i = 0; i < 3; i++) breaker.answered();
    breaker.failed('b');
    expect(breaker.reason).toBeUndefined();
    breaker.answered();
    breaker.failed('c');
    expect(breaker.reason).toMatch(/^2 of the last 4 requests/);
  });

  it('never trips with a limit of 0', () => {
    const breaker = new CircuitBreaker(0);
    for (let i = 0; i < 100; i++) breaker.failed('x');
    expect(breaker.reason).toBeUndefined();
  });
});

describe('the client and its breaker', () => {
  it('counts refused connections; once tripped it sends nothing more', async () => {
    const breaker = new CircuitBreaker(2);
    const { agent, pool } = fakeTarget();
    const client = new ScimClient({ baseUrl: 'http://127.0.0.1:9999/scim/v2', credentials: { kind: 'none' }, redactor: new Redactor(), dispatcher: agent, breaker });
    pool.intercept({ path: () => true, method: 'GET' }).replyWithError(refused()).times(2);
    const transcript = new Transcript();
    for (let i = 0; i < 2; i++) await expect(client.send({ method: 'GET', path: '/Users' }, raw(transcript))).rejects.toThrow(/connection refused/);
    expect(breaker.reason).toMatch(/^2 of the last 2 requests got no usable answer from the target, the last: GET http:\/\/127\.0\.0\.1:9999\/scim\/v2\/Users: connection refused/);

    // No interceptor is left: a request sent now would fail on the MockAgent, not with this.
    await expect(client.send({ method: 'DELETE', path: '/Users/1' }, raw(transcript))).rejects.toThrow(RequestFailedError);
    expect(transcript.exchanges.at(-1)!.error).toBe('the run stopped, as the target stopped answering (--max-failures)');
    await agent.close();
  });

  it('does not count what a fault injected on purpose (its x-scimulator-fault header), nor what an uncounted view meets', async () => {
    const breaker = new CircuitBreaker(1);
    const { agent, pool } = fakeTarget();
    const client = new ScimClient({ baseUrl: 'http://127.0.0.1:9999/scim/v2', credentials: { kind: 'none' }, redactor: new Redactor(), dispatcher: agent, breaker, maxResponseBytes: 10 });
    pool.intercept({ path: '/scim/v2/Users', method: 'GET' }).reply(200, 'x'.repeat(100), { headers: { ...SCIM_JSON, 'x-scimulator-fault': 'oversized' } });
    pool.intercept({ path: '/scim/v2/Groups', method: 'GET' }).replyWithError(refused());
    const transcript = new Transcript();
    await expect(client.send({ method: 'GET', path: '/Users' }, raw(transcript))).rejects.toThrow(/response larger than 10 bytes: stopped reading \(--max-response-size\) \(injected: oversized\)$/);
    await expect(client.uncounted().send({ method: 'GET', path: '/Groups' }, raw(transcript))).rejects.toThrow(/connection refused/);
    expect(breaker.reason).toBeUndefined();
    await agent.close();
  });

  describe('requests in flight when it trips', () => {
    let target: HostileTarget;
    afterEach(() => target.close());

    it('are abandoned at once, without counting', async () => {
      target = await hostileTarget({ kind: 'hang' });
      const breaker = new CircuitBreaker(1);
      const client = new ScimClient({ baseUrl: target.url, credentials: { kind: 'bearer', token: target.token }, redactor: new Redactor(), breaker });
      const transcript = new Transcript();
      const hanging = client.send({ method: 'GET', path: '/Users' }, raw(transcript)).catch((error: unknown) => error);
      // It takes milliseconds for the request to reach the target; an upper bound for a loaded machine.
      await vi.waitFor(() => expect(target.hostile).toBe(1), { timeout: 20_000 });
      breaker.failed('GET /Groups: connection reset');
      expect(await hanging).toBeInstanceOf(RequestFailedError);
      expect(transcript.exchanges[0]!.error).toBe('the run stopped, as the target stopped answering (--max-failures)');
      expect(breaker.reason).toMatch(/the last: GET \/Groups: connection reset$/);
      await client.close();
    });
  });
});
