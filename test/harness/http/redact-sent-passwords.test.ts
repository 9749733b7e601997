import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, sentPasswords } from '../../../harness/http/redact.js';
import { Transcript, type RawExchange } from '../../../harness/http/transcript.js';

/** The passwords a request sends become secrets of its transcript: its own answer and every later exchange. */

const recording = { redactor: new Redactor(), bodyCap: 4096 };

function exchange(body: string | undefined, answer: string, headers: Record<string, string> = {}): RawExchange {
  return {
    step: 0,
    kind: 'raw',
    request: { method: 'POST', url: 'http://h/scim/v2/Users', headers: { 'content-type': 'application/scim+json' }, ...(body !== undefined && { body }) },
    response: { status: 400, headers: { 'content-type': 'text/plain', ...headers }, body: answer },
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1,
  };
}

describe('sentPasswords', () => {
  it('finds password members at any depth and the values of password operations, in PATCH and in Bulk', () => {
    const body = {
      password: 'p-top',
      'urn:ietf:params:scim:schemas:core:2.0:User:Password': 'p-urn',
      Operations: [
        { op: 'replace', path: 'password', value: 'p-path' },
        { op: 'replace', value: { password: 'p-value-object' } },
        { op: 'replace', path: 'displayName', value: 'not a password' },
        { method: 'PATCH', path: '/Users/1', data: { Operations: [{ op: 'replace', Path: 'PASSWORD', Value: 12345678 }] } },
      ],
      passwordHint: 'not a password either',
    };
    expect(sentPasswords(JSON.stringify(body))).toEqual(['p-top', 'p-urn', 'p-path', 'p-value-object', '12345678']);
  });

  it('finds them in JSON-looking text that does not parse, its escapes read', () => {
    expect(sentPasswords('{"userName":"a","password":"p\\"q", "urn:x:User:password" : "r"')).toEqual(['p"q', 'r']);
  });

  it('finds none where none is sent', () => {
    expect(sentPasswords(undefined)).toEqual([]);
    expect(sentPasswords('')).toEqual([]);
    expect(sentPasswords('{"userName":"password"}')).toEqual([]);
  });
});

describe('a transcript keeps the passwords its requests sent out of every record', () => {
  it("in the same exchange's answer, its headers, and every later exchange's", () => {
    const transcript = new Transcript();
    const first = transcript.record(exchange('{"password":"Canary-Pw-61a"}', 'password Canary-Pw-61a is too weak', { 'x-echo': 'Canary-Pw-61a' }), recording);
    expect(first.response?.body?.text).toBe(`password ${REDACTED} is too weak`);
    expect(first.response?.headers['x-echo']).toBe(REDACTED);
    const later = transcript.record(exchange(undefined, 'you sent Canary-Pw-61a before'), recording);
    expect(later.response?.body?.text).toBe(`you sent ${REDACTED} before`);
    expect(transcript.sentPasswords).toEqual(['Canary-Pw-61a']);
  });

  it('as a target would echo one: inside a JSON string, and HTML-escaped', () => {
    const transcript = new Transcript();
    const sent = JSON.stringify({ password: 'Tr0ub"4dor&3' });
    const json = transcript.record(exchange(sent, '{"detail": "password Tr0ub\\"4dor&3 is too weak"'), recording);
    expect(json.response?.body?.text).toBe(`{"detail": "password ${REDACTED} is too weak"`);
    const html = transcript.record(exchange(undefined, '<p>password Tr0ub&quot;4dor&amp;3 is too weak</p>'), recording);
    expect(html.response?.body?.text).toBe(`<p>password ${REDACTED} is too weak</p>`);
  });

  it('a short password only where it is a whole value', () => {
    const transcript = new Transcript();
    const answer = transcript.record(exchange('{"password":"abc"}', 'abc'), recording);
    expect(answer.response?.body?.text).toBe(REDACTED);
    const embedded = transcript.record(exchange(undefined, 'the abc of it'), recording);
    expect(embedded.response?.body?.text).toBe('the abc of it');
  });
});
