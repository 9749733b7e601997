import { describe, expect, it } from 'vitest';
import { CredentialChecker } from '../../reference-server/auth.js';
import { createReferenceServer } from '../../reference-server/app.js';
import { ERROR_SCHEMA } from '../../scim/errors.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function clock(iso: string) {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
}

describe('CredentialChecker', () => {
  const fixed = () => new Date('2026-01-01T00:00:00Z');

  it('accepts any of several bearer tokens, with the scheme in any case', () => {
    const checker = new CredentialChecker({ tokens: ['alpha', { token: 'beta' }], now: fixed });
    expect(checker.check('Bearer alpha')).toEqual({ ok: true });
    expect(checker.check('bearer beta')).toEqual({ ok: true });
    expect(checker.check('BEARER   alpha  ')).toEqual({ ok: true });
  });

  it('tells a missing credential from a wrong one and from an unsupported scheme', () => {
    const checker = new CredentialChecker({ tokens: ['alpha'], now: fixed });
    expect(checker.check(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(checker.check('   ')).toEqual({ ok: false, reason: 'missing' });
    expect(checker.check('Bearer alph')).toEqual({ ok: false, reason: 'invalidToken' });
    expect(checker.check('Bearer alphaalpha')).toEqual({ ok: false, reason: 'invalidToken' });
    expect(checker.check('Bearer')).toEqual({ ok: false, reason: 'invalidToken' });
    expect(checker.check('alpha')).toEqual({ ok: false, reason: 'unsupportedScheme' });
    expect(checker.check(basic('u', 'p'))).toEqual({ ok: false, reason: 'unsupportedScheme' });
  });

  it('accepts a rotated token until its grace period ends', () => {
    const time = clock('2026-01-01T00:00:00Z');
    const checker = new CredentialChecker({
      tokens: ['new', { token: 'old', expiresAt: '2026-01-01T01:00:00Z' }, { token: 'older', expiresAt: Date.parse('2025-12-31T00:00:00Z') }],
      now: time.now,
    });
    expect(checker.check('Bearer old')).toEqual({ ok: true });
    expect(checker.check('Bearer older')).toEqual({ ok: false, reason: 'expiredToken' });
    time.set('2026-01-01T00:59:59.999Z');
    expect(checker.check('Bearer old')).toEqual({ ok: true });
    time.set('2026-01-01T01:00:00Z');
    expect(checker.check('Bearer old')).toEqual({ ok: false, reason: 'expiredToken' });
    expect(checker.check('Bearer new')).toEqual({ ok: true });
  });

  it('answers a repeated header from memory, and still refuses near misses and the other secrets\' expiry', () => {
    const time = clock('2026-01-01T00:00:00Z');
    const checker = new CredentialChecker({ tokens: ['alpha', { token: 'old', expiresAt: '2026-01-01T01:00:00Z' }], basic: [{ user: 'u', password: 'p' }], now: time.now });
    for (let i = 0; i < 3; i++) {
      expect(checker.check('Bearer alpha')).toEqual({ ok: true });
      expect(checker.check('Bearer old')).toEqual({ ok: true });
      expect(checker.check(basic('u', 'p'))).toEqual({ ok: true });
      expect(checker.check('Bearer alphb')).toEqual({ ok: false, reason: 'invalidToken' });
      expect(checker.check(basic('u', 'q'))).toEqual({ ok: false, reason: 'invalidBasic' });
    }
    // More spellings of valid headers than the memory holds: all still accepted.
    for (let spaces = 1; spaces < 200; spaces++) expect(checker.check(`Bearer${' '.repeat(spaces)}alpha`)).toEqual({ ok: true });
    time.set('2026-01-01T01:00:00Z');
    expect(checker.check('Bearer old')).toEqual({ ok: false, reason: 'expiredToken' });
    expect(checker.check('Bearer alpha')).toEqual({ ok: true });
  });

  it('checks HTTP Basic pairs, a colon in the password included', () => {
    const checker = new CredentialChecker({ basic: [{ user: 'okta', password: 'pa:ss' }], now: fixed });
    expect(checker.check(basic('okta', 'pa:ss'))).toEqual({ ok: true });
    expect(checker.check(basic('okta', 'pa:s'))).toEqual({ ok: false, reason: 'invalidBasic' });
    expect(checker.check(basic('Okta', 'pa:ss'))).toEqual({ ok: false, reason: 'invalidBasic' });
    expect(checker.check('Basic !!!not-base64')).toEqual({ ok: false, reason: 'invalidBasic' });
    expect(checker.check('Bearer pa:ss')).toEqual({ ok: false, reason: 'unsupportedScheme' });
  });

  it('challenges with every enabled scheme', () => {
    expect(new CredentialChecker({ tokens: ['t'], now: fixed }).challenges).toEqual(['Bearer realm="scimulator"']);
    expect(new CredentialChecker({ tokens: ['t'], basic: [{ user: 'u', password: 'p' }], now: fixed }).challenges).toEqual([
      'Bearer realm="scimulator"',
      'Basic realm="scimulator", charset="UTF-8"',
    ]);
  });

  it('never quotes the presented credential in an error', () => {
    const checker = new CredentialChecker({ tokens: ['alpha'], now: fixed });
    for (const header of ['Bearer s3cr3t-token', 's3cr3t-token', 'Token s3cr3t-token']) {
      const result = checker.check(header);
      if (result.ok) throw new Error('unexpected success');
      expect(JSON.stringify(checker.error(result).toBody())).not.toContain('s3cr3t');
    }
  });

  it('refuses configurations a server could not use', () => {
    expect(() => new CredentialChecker({ now: fixed })).toThrow(/no credential configured/);
    expect(() => new CredentialChecker({ tokens: [''], now: fixed })).toThrow(/tokens\[0\] is empty/);
    expect(() => new CredentialChecker({ tokens: [{ token: 't', expiresAt: 'soon' }], now: fixed })).toThrow(/expiresAt/);
    expect(() => new CredentialChecker({ basic: [{ user: 'a:b', password: 'p' }], now: fixed })).toThrow(/without ":"/);
  });
});

describe('authentication over HTTP', () => {
  const SPC = '/scim/v2/ServiceProviderConfig';

  it('answers a request without a credential with 401, a SCIM body and a challenge', async () => {
    const { app } = createReferenceServer({ tokens: ['t1'] });
    const res = await app.inject({ url: SPC });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="scimulator"');
    expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(res.json()).toEqual({ schemas: [ERROR_SCHEMA], status: '401', detail: expect.stringContaining('Authorization header') });
  });

  it('answers a wrong token with 401 and a good one with 200', async () => {
    const { app } = createReferenceServer({ tokens: ['t1', 't2'] });
    const wrong = await app.inject({ url: SPC, headers: { authorization: 'Bearer t3' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().detail).toBe('The bearer token is not valid');
    expect(wrong.body).not.toContain('t3');
    expect((await app.inject({ url: SPC, headers: { authorization: 'Bearer t1' } })).statusCode).toBe(200);
    expect((await app.inject({ url: SPC, headers: { authorization: 'Bearer t2' } })).statusCode).toBe(200);
  });

  it('accepts a rotated token inside its grace period and refuses it after, on the server clock', async () => {
    const time = clock('2026-03-01T12:00:00Z');
    const { app } = createReferenceServer({ tokens: ['current', { token: 'previous', expiresAt: new Date('2026-03-02T12:00:00Z') }], now: time.now });
    const withPrevious = () => app.inject({ url: SPC, headers: { authorization: 'Bearer previous' } });
    expect((await withPrevious()).statusCode).toBe(200);
    time.set('2026-03-02T12:00:00Z');
    const expired = await withPrevious();
    expect(expired.statusCode).toBe(401);
    expect(expired.json().detail).toMatch(/expired/);
    expect((await app.inject({ url: SPC, headers: { authorization: 'Bearer current' } })).statusCode).toBe(200);
  });

  it('accepts HTTP Basic when enabled and challenges with both schemes', async () => {
    const { app } = createReferenceServer({ tokens: ['t1'], basic: [{ user: 'entra', password: 'hunter2' }] });
    expect((await app.inject({ url: SPC, headers: { authorization: basic('entra', 'hunter2') } })).statusCode).toBe(200);
    const wrong = await app.inject({ url: SPC, headers: { authorization: basic('entra', 'hunter3') } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toEqual(['Bearer realm="scimulator"', 'Basic realm="scimulator", charset="UTF-8"']);
  });

  it('guards discovery endpoints, unknown routes and /Me by default', async () => {
    const { app } = createReferenceServer({ tokens: ['t1'] });
    for (const url of ['/scim/v2/Schemas', '/scim/v2/ResourceTypes/User', SPC, '/scim/v2/Me', '/scim/v2/Nowhere', '/elsewhere']) {
      expect((await app.inject({ url })).statusCode, url).toBe(401);
    }
  });

  it('answers discovery without a credential with publicDiscovery, and nothing else', async () => {
    const { app } = createReferenceServer({ tokens: ['t1'], publicDiscovery: true });
    for (const url of ['/scim/v2/Schemas', '/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group', '/scim/v2/ResourceTypes', '/scim/v2/ResourceTypes/User', SPC]) {
      expect((await app.inject({ url })).statusCode, url).toBe(200);
    }
    expect((await app.inject({ method: 'DELETE', url: SPC })).statusCode).toBe(405);
    for (const url of ['/scim/v2/Me', '/scim/v2/Nowhere']) {
      expect((await app.inject({ url })).statusCode, url).toBe(401);
    }
  });

  it('makes up a token when none is configured', async () => {
    const server = createReferenceServer();
    expect(server.generatedToken).toMatch(/^[\w-]{32}$/);
    expect((await server.app.inject({ url: SPC, headers: { authorization: `Bearer ${server.generatedToken}` } })).statusCode).toBe(200);
    expect(createReferenceServer({ tokens: ['t'] }).generatedToken).toBeUndefined();
  });
});
