import { describe, expect, it } from 'vitest';
import { isPasswordName, REDACTED, Redactor } from '../../../harness/http/redact.js';

describe('Redactor', () => {
  it('keeps the scheme of Authorization, and blanks a configured auth header', () => {
    const redactor = new Redactor([], ['X-Api-Key']);
    expect(
      redactor.headers({ Authorization: 'Bearer abc', 'proxy-authorization': 'Basic eHk=', 'x-api-key': 'k', authorization: 'opaque', accept: 'a' }),
    ).toEqual({ Authorization: `Bearer ${REDACTED}`, 'proxy-authorization': `Basic ${REDACTED}`, 'x-api-key': REDACTED, authorization: REDACTED, accept: 'a' });
  });

  it('replaces every secret in text, raw and URL-encoded, the longest first', () => {
    const redactor = new Redactor(['s3cret', 's3cret-and-more', 'a b/c', '']);
    expect(redactor.text('x s3cret y s3cret-and-more z')).toBe(`x ${REDACTED} y ${REDACTED} z`);
    expect(redactor.text('/Users?q=a%20b%2Fc')).toBe(`/Users?q=${REDACTED}`);
    expect(redactor.text('nothing here')).toBe('nothing here');
  });

  it('replaces secrets in header values, keys and values of JSON', () => {
    const redactor = new Redactor(['tok3n9']);
    expect(redactor.headers({ 'x-echo': 'got tok3n9' })).toEqual({ 'x-echo': `got ${REDACTED}` });
    expect(redactor.json({ tok3n9: ['tok3n9', 1, null, true, { nested: 'a tok3n9 b' }] })).toEqual({
      [REDACTED]: [REDACTED, 1, null, true, { nested: `a ${REDACTED} b` }],
    });
  });

  it('blanks password members at any depth, in any case, URN-qualified too', () => {
    const redactor = new Redactor();
    expect(
      redactor.json({
        password: 'p1',
        PASSWORD: { complex: 'p2' },
        'urn:ietf:params:scim:schemas:core:2.0:User:password': 'p3',
        Operations: [{ data: { passWord: 'p4' } }],
        passwordHint: 'kept',
      }),
    ).toEqual({
      password: REDACTED,
      PASSWORD: REDACTED,
      'urn:ietf:params:scim:schemas:core:2.0:User:password': REDACTED,
      Operations: [{ data: { passWord: REDACTED } }],
      passwordHint: 'kept',
    });
  });

  it('blanks the value of an operation whose path is the password, in PATCH and in Bulk', () => {
    const redactor = new Redactor();
    const patch = {
      Operations: [
        { op: 'replace', path: 'password', value: 'p1' },
        { op: 'Replace', Path: 'urn:ietf:params:scim:schemas:core:2.0:User:password', Value: 'p2' },
        { op: 'replace', path: 'displayName', value: 'kept' },
      ],
    };
    expect(redactor.json(patch)).toEqual({
      Operations: [
        { op: 'replace', path: 'password', value: REDACTED },
        { op: 'Replace', Path: 'urn:ietf:params:scim:schemas:core:2.0:User:password', Value: REDACTED },
        { op: 'replace', path: 'displayName', value: 'kept' },
      ],
    });
    const bulk = { Operations: [{ method: 'PATCH', path: '/Users/1', data: patch }] };
    expect(JSON.stringify(redactor.json(bulk))).not.toMatch(/p1|p2/);
  });

  it('keeps a __proto__ member a member', () => {
    const redacted = new Redactor().json(JSON.parse('{"__proto__": {"password": "p"}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(Object.keys(redacted)).toEqual(['__proto__']);
  });

  it('blanks password members in text that is not parsable JSON', () => {
    const redactor = new Redactor(['tok3n9']);
    expect(redactor.bodyText('{"userName":"a","password":"p\\"q","urn:x:User:Password" : "r", "tok3n9": 1')).toBe(
      `{"userName":"a","password":"${REDACTED}","urn:x:User:Password" : "${REDACTED}", "${REDACTED}": 1`,
    );
  });

  it('adds the secrets and header of credentials', () => {
    const basic = new Redactor(['extra-secret']).withCredentials({ kind: 'basic', user: 'ada', password: 'pw1-long' });
    expect(basic.text(`extra-secret pw1-long ${Buffer.from('ada:pw1-long').toString('base64')} ada`)).toBe(`${REDACTED} ${REDACTED} ${REDACTED} ada`);
    const header = new Redactor().withCredentials({ kind: 'header', name: 'X-Key', value: 'v' });
    expect(header.headers({ 'x-key': 'anything' })).toEqual({ 'x-key': REDACTED });
  });

  it('recognises password names', () => {
    expect(['password', 'Password', 'urn:ietf:params:scim:schemas:core:2.0:User:password'].every(isPasswordName)).toBe(true);
    expect(['passwords', 'oldPassword2', 'userName'].some(isPasswordName)).toBe(false);
  });
});

describe('short secrets', () => {
  it('are redacted as whole values but not blanked inside other text', () => {
    const redactor = new Redactor(['t']);
    expect(redactor.text('t')).toBe('[redacted]');
    expect(redactor.text('http://127.0.0.1/scim/v2/Users')).toBe('http://127.0.0.1/scim/v2/Users');
    expect(redactor.headers({ authorization: 'Bearer t' }).authorization).toBe('Bearer [redacted]');
  });
});
