import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../harness/http/redact.js';
import { createdResources, parseJsonBody, Transcript, type RawExchange } from '../../../harness/http/transcript.js';
import type { Exchange } from '../../../harness/result.js';

const recording = { redactor: new Redactor(['hush-hush']), bodyCap: 1024 };

function raw(overrides: Partial<RawExchange> = {}): RawExchange {
  return {
    step: 0,
    kind: 'raw',
    request: { method: 'GET', url: 'http://h/scim/v2/Users', headers: {} },
    response: { status: 200, headers: {} },
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1,
    ...overrides,
  };
}

describe('Transcript', () => {
  it('numbers exchanges from 1 and redacts them as they are recorded', () => {
    const transcript = new Transcript();
    transcript.record(raw(), recording);
    const second = transcript.record(
      raw({ request: { method: 'GET', url: 'http://h/x?k=hush-hush', headers: { authorization: 'Bearer hush-hush' } }, response: undefined, error: 'hush-hush failed' }),
      recording,
    );
    expect(transcript.exchanges.map((e) => e.seq)).toEqual([1, 2]);
    expect(second).toEqual({
      seq: 2,
      step: 0,
      kind: 'raw',
      by: 'harness',
      request: { method: 'GET', url: 'http://h/x?k=[redacted]', headers: { authorization: 'Bearer [redacted]' } },
      error: '[redacted] failed',
      startedAt: '2025-01-01T00:00:00.000Z',
      durationMs: 1,
    });
  });

  it('redacts a cut JSON body before cutting it', () => {
    const transcript = new Transcript();
    const body = JSON.stringify({ password: 'p'.repeat(50), rest: 'x'.repeat(100) });
    const exchange = transcript.record(raw({ response: { status: 200, headers: { 'Content-Type': 'application/json' }, body } }), {
      ...recording,
      bodyCap: 40,
    });
    expect(exchange.response?.body).toEqual({ text: '{"password":"[redacted]","rest":"xxxxxxx', truncated: true, bytes: body.length });
  });
});

describe('parseJsonBody', () => {
  it('parses JSON-ish content types and bodies without one', () => {
    expect(parseJsonBody('{"a":1}', 'application/scim+json; charset=utf-8')).toEqual({ a: 1 });
    expect(parseJsonBody('[1]', 'application/json')).toEqual([1]);
    expect(parseJsonBody('{"a":1}', 'application/vnd.api+json')).toEqual({ a: 1 });
    expect(parseJsonBody('{"a":1}', undefined)).toEqual({ a: 1 });
    expect(parseJsonBody('{"a":1}', 'text/plain')).toBeUndefined();
    expect(parseJsonBody('{"a":', 'application/json')).toBeUndefined();
    expect(parseJsonBody('', 'application/json')).toBeUndefined();
  });
});

function created(method: string, url: string, status: number, headers: Record<string, string>, json?: unknown): Exchange {
  return {
    seq: 1,
    step: 0,
    kind: 'raw',
    request: { method, url, headers: {} },
    response: { status, headers, ...(json !== undefined && { body: { json, bytes: 1 } }) },
    startedAt: '',
    durationMs: 0,
  };
}

describe('createdResources', () => {
  const base = 'http://h/scim/v2';

  it('takes the Location of a 201 to POST /Users or /Groups', () => {
    expect(createdResources(created('POST', `${base}/Users`, 201, { location: `${base}/Users/1` }, { id: '1' }))).toEqual([`${base}/Users/1`]);
    expect(createdResources(created('POST', `${base}/Groups/`, 201, { location: '/scim/v2/Groups/g' }))).toEqual([`${base}/Groups/g`]);
  });

  it('falls back to meta.location, then to the endpoint and the id', () => {
    expect(createdResources(created('POST', `${base}/Users`, 201, {}, { id: '1', META: { Location: `${base}/Users/1` } }))).toEqual([`${base}/Users/1`]);
    expect(createdResources(created('POST', `${base}/Users?x=1`, 201, {}, { id: 'a b' }))).toEqual([`${base}/Users/a%20b`]);
    expect(createdResources(created('POST', `${base}/Users`, 201, {}, { userName: 'no id' }))).toEqual([]);
  });

  it('ignores what did not create a resource', () => {
    expect(createdResources(created('POST', `${base}/Users`, 200, { location: `${base}/Users/1` }, { id: '1' }))).toEqual([]);
    expect(createdResources(created('PUT', `${base}/Users`, 201, { location: `${base}/Users/1` }, { id: '1' }))).toEqual([]);
    expect(createdResources(created('POST', `${base}/Users/.search`, 201, {}, { id: '1' }))).toEqual([]);
    expect(createdResources({ ...created('POST', `${base}/Users`, 201, {}), response: undefined, error: 'refused' })).toEqual([]);
  });

  it('takes each created resource of a Bulk response', () => {
    const bulk = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
      Operations: [
        { method: 'POST', bulkId: 'a', status: '201', location: `${base}/Users/1` },
        { method: 'POST', bulkId: 'b', status: 201, location: '/scim/v2/Groups/2' },
        { method: 'POST', bulkId: 'c', status: '409', response: {} },
        { method: 'PUT', status: '200', location: `${base}/Users/3` },
      ],
    };
    expect(createdResources(created('POST', `${base}/Bulk`, 200, {}, bulk))).toEqual([`${base}/Users/1`, `${base}/Groups/2`]);
  });
});

describe('what the target injected, in the transcript', () => {
  it('records the response header, and for a failure without one the fault the target counted since the exchange before', () => {
    const counted = ['slow: delay 10 ms', undefined, 'cut: reset before headers', 'hush-hush: no answer'];
    const transcript = new Transcript(() => counted.shift());
    // A fault counted with an answer is the header's to name: it is not carried to the next exchange.
    const answered = transcript.record(raw(), recording);
    const throttled = transcript.record(raw({ response: { status: 429, headers: {} }, fault: 'throttle: 429 Retry-After 30' }), recording);
    const reset = transcript.record(raw({ response: undefined, error: 'connection closed' }), recording);
    const hung = transcript.record(raw({ response: undefined, error: 'no response within 1 s' }), recording);
    expect([answered, throttled, reset, hung].map((e) => e.fault)).toEqual([undefined, 'throttle: 429 Retry-After 30', 'cut: reset before headers', '[redacted]: no answer']);
  });

  it('records no fault where nothing was injected', () => {
    const exchange = new Transcript().record(raw({ response: undefined, error: 'connection refused' }), recording);
    expect('fault' in exchange).toBe(false);
  });
});
