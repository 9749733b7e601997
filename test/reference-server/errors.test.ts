import { describe, expect, it } from 'vitest';
import { BASE, ENTERPRISE, expectScimError, GROUP, patchBody, testServer, USER, type Json } from './resource-helpers.js';

/** Every failure of the resource endpoints is an RFC 7644 §3.12 error with the status and scimType of Table 8/9. */

describe('request bodies', () => {
  it('malformed JSON is 400 invalidSyntax, on every method that takes a body', async () => {
    const s = testServer();
    const user = await s.createUser('ada');
    for (const [method, url] of [['POST', '/Users'], ['PUT', `/Users/${user.id}`], ['PATCH', `/Users/${user.id}`], ['POST', '/Users/.search'], ['POST', '/.search']] as const) {
      const body = expectScimError(await s.request(method, url, undefined, { raw: '{"userName": "ada",}' }), 400, 'invalidSyntax');
      expect(body.detail).toMatch(/not valid JSON/);
    }
  });

  it('a body that is not an object is 400 invalidSyntax', async () => {
    const s = testServer();
    for (const raw of ['[]', '"ada"', '7', 'null', 'true']) {
      expectScimError(await s.post('/Users', undefined, { raw }), 400, 'invalidSyntax');
    }
  });

  it('a missing body is 400 on POST, PUT and PATCH', async () => {
    const s = testServer();
    const user = await s.createUser('ada');
    expectScimError(await s.post('/Users'), 400, 'invalidSyntax');
    expectScimError(await s.post('/Groups', undefined, { raw: '', contentType: 'application/scim+json' }), 400, 'invalidSyntax');
    expectScimError(await s.put(`/Users/${user.id}`), 400, 'invalidSyntax');
    expectScimError(await s.patch(`/Users/${user.id}`), 400, 'invalidSyntax');
  });

  it('a text/plain (or any non-JSON) body is 415', async () => {
    const s = testServer();
    const body = expectScimError(await s.post('/Users', undefined, { raw: 'userName=ada', contentType: 'text/plain' }), 415);
    expect(body.detail).toContain('application/scim+json');
    expectScimError(await s.post('/Users', undefined, { raw: '<User/>', contentType: 'application/xml' }), 415);
    expectScimError(await s.post('/Users', undefined, { raw: JSON.stringify({ schemas: [USER], userName: 'a' }), contentType: 'application/json; charset=latin1' }), 415);
  });

  it('accepts application/json with or without charset', async () => {
    const s = testServer();
    for (const [i, contentType] of ['application/json', 'application/json; charset=utf-8', 'application/scim+json; charset=UTF-8'].entries()) {
      const res = await s.post('/Users', undefined, { raw: JSON.stringify({ schemas: [USER], userName: `u${i}` }), contentType });
      expect(res.statusCode, contentType).toBe(201);
      expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    }
  });

  it('a body over the limit is 413', async () => {
    const s = testServer({ bodyLimit: 1000 });
    const body = expectScimError(await s.post('/Users', { schemas: [USER], userName: 'a'.repeat(2000) }), 413);
    expect(body.detail).toContain('1000 bytes');
    const user = await s.createUser('ada');
    expectScimError(await s.put(`/Users/${user.id}`, { schemas: [USER], userName: 'a'.repeat(2000) }), 413);
    expectScimError(await s.patch(`/Users/${user.id}`, patchBody({ op: 'add', path: 'nickName', value: 'n'.repeat(2000) })), 413);
    expectScimError(await s.post('/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: `userName eq "${'x'.repeat(2000)}"` }), 413);
  });
});

describe('resource validation', () => {
  it('a missing userName is 400 invalidValue', async () => {
    const s = testServer();
    const body = expectScimError(await s.post('/Users', { schemas: [USER], displayName: 'Ada' }), 400, 'invalidValue');
    expect(body.detail).toContain('userName');
    expectScimError(await s.post('/Users', { schemas: [USER], userName: '' }), 400, 'invalidValue');
    expectScimError(await s.post('/Users', { schemas: [USER], userName: null }), 400, 'invalidValue');
  });

  it('a value of the wrong type is 400 invalidValue, naming the attribute', async () => {
    const s = testServer();
    const cases: [Json, string][] = [
      [{ userName: 42 }, 'userName'],
      [{ userName: 'a', active: 'true' }, 'active'],
      [{ userName: 'a', name: 'Ada Lovelace' }, 'name'],
      [{ userName: 'a', name: { givenName: ['Ada'] } }, 'name.givenName'],
      [{ userName: 'a', emails: { value: 'a@example.com' } }, 'emails'],
      [{ userName: 'a', emails: ['a@example.com'] }, 'emails'],
      [{ userName: 'a', emails: [{ value: 'a@b', primary: true }, { value: 'c@d', primary: true }] }, 'emails'],
      [{ userName: 'a', x509Certificates: [{ value: 'not base64!' }] }, 'x509Certificates'],
      [{ userName: 'a', [ENTERPRISE]: { employeeNumber: 5 } }, 'employeeNumber'],
    ];
    for (const [attributes, named] of cases) {
      const schemas = ENTERPRISE in attributes ? [USER, ENTERPRISE] : [USER];
      const body = expectScimError(await s.post('/Users', { schemas, ...attributes }), 400, 'invalidValue');
      expect(body.detail, JSON.stringify(attributes)).toContain(named);
    }
    expect((await s.get('/Users')).json().totalResults).toBe(0);
  });

  it('schemas missing, not an array, or naming the wrong resource type is 400 invalidValue', async () => {
    const s = testServer();
    expectScimError(await s.post('/Users', { userName: 'a' }), 400, 'invalidValue');
    expectScimError(await s.post('/Users', { schemas: USER, userName: 'a' }), 400, 'invalidValue');
    expectScimError(await s.post('/Users', { schemas: [GROUP], userName: 'a' }), 400, 'invalidValue');
    expectScimError(await s.post('/Users', { schemas: [USER, 'urn:example:unknown'], userName: 'a' }), 400, 'invalidValue');
  });

  it('an attribute no schema defines is 400 invalidSyntax (strict), and dropped when lenient', async () => {
    const s = testServer();
    const body = expectScimError(await s.post('/Users', { schemas: [USER], userName: 'a', shoeSize: 42 }), 400, 'invalidSyntax');
    expect(body.detail).toContain('shoeSize');
    const lenient = testServer({ compat: { ignoreUnknownAttributes: true } });
    const res = await lenient.post('/Users', { schemas: [USER], userName: 'a', shoeSize: 42 });
    expect(res.statusCode).toBe(201);
    expect(res.json().shoeSize).toBeUndefined();
  });

  it('a userName taken is 409 uniqueness', async () => {
    const s = testServer();
    await s.createUser('ada');
    expectScimError(await s.post('/Users', { schemas: [USER], userName: 'ADA' }), 409, 'uniqueness');
  });
});

describe('PATCH errors (RFC 7644 §3.5.2)', () => {
  async function withUser() {
    const s = testServer();
    const user = await s.createUser('ada', { emails: [{ value: 'ada@work.example', type: 'work' }] });
    return { s, url: `/Users/${user.id}`, user };
  }

  it('a read-only attribute is 400 mutability', async () => {
    const { s, url, user } = await withUser();
    for (const op of [
      { op: 'replace', path: 'id', value: 'x' },
      { op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' },
      { op: 'add', path: 'meta', value: { version: 'W/"9"' } },
      { op: 'remove', path: 'meta' },
      { op: 'replace', value: { id: 'x' } },
      { op: 'add', path: 'groups', value: [{ value: 'g' }] },
    ]) {
      expectScimError(await s.patch(url, patchBody(op)), 400, 'mutability');
    }
    expect((await s.get(url)).json()).toEqual(user);
  });

  it('removing the required userName is 400 mutability', async () => {
    const { s, url } = await withUser();
    expectScimError(await s.patch(url, patchBody({ op: 'remove', path: 'userName' })), 400, 'mutability');
  });

  it('an unknown or malformed path is 400 invalidPath', async () => {
    const { s, url } = await withUser();
    for (const path of ['shoeSize', 'name.shoeSize', 'emails[type eq "work"].colour', 'emails[type eq', 'urn:example:x:attr', '__proto__', 'name..givenName']) {
      const body = expectScimError(await s.patch(url, patchBody({ op: 'replace', path, value: 'x' })), 400, 'invalidPath');
      expect(body.detail, path).toMatch(/Operation 1/);
    }
    expectScimError(await s.patch(url, patchBody({ op: 'add', path: 5, value: 'x' })), 400, 'invalidPath');
  });

  it('a value filter matching nothing is 400 noTarget (replace and remove)', async () => {
    const { s, url } = await withUser();
    expectScimError(await s.patch(url, patchBody({ op: 'replace', path: 'emails[type eq "home"].value', value: 'x@home' })), 400, 'noTarget');
    expectScimError(await s.patch(url, patchBody({ op: 'remove', path: 'emails[type eq "home"]' })), 400, 'noTarget');
    expectScimError(await s.patch(url, patchBody({ op: 'replace', path: 'phoneNumbers.value', value: '+1' })), 400, 'noTarget');
  });

  it('remove without a path is 400 noTarget', async () => {
    const { s, url } = await withUser();
    expectScimError(await s.patch(url, patchBody({ op: 'remove' })), 400, 'noTarget');
  });

  it('a malformed PatchOp is 400 invalidSyntax', async () => {
    const { s, url } = await withUser();
    expectScimError(await s.patch(url, { Operations: [{ op: 'add', path: 'nickName', value: 'x' }] }), 400, 'invalidSyntax');
    expectScimError(await s.patch(url, patchBody()), 400, 'invalidSyntax');
    expectScimError(await s.patch(url, patchBody({ op: 'Replace', path: 'nickName', value: 'x' })), 400, 'invalidSyntax');
    expectScimError(await s.patch(url, patchBody({ op: 'move', path: 'nickName', value: 'x' })), 400, 'invalidSyntax');
    expectScimError(await s.patch(url, patchBody({ op: 'add', path: 'nickName' })), 400, 'invalidSyntax');
    expectScimError(await s.patch(url, patchBody('add')), 400, 'invalidSyntax');
  });

  it('a value of the wrong type is 400 invalidValue; the whole PATCH is refused', async () => {
    const { s, url, user } = await withUser();
    expectScimError(
      await s.patch(url, patchBody({ op: 'replace', path: 'nickName', value: 'fine' }, { op: 'replace', path: 'active', value: 'yes' })),
      400,
      'invalidValue',
    );
    expect((await s.get(url)).json()).toEqual(user);
  });

  it('Entra\'s capitalised ops pass with the caseInsensitiveOps compatibility option', async () => {
    const s = testServer({ compat: { caseInsensitiveOps: true, stringBooleans: true } });
    const user = await s.createUser('ada');
    const res = await s.patch(`/Users/${user.id}`, patchBody({ op: 'Replace', path: 'active', value: 'False' }));
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
  });
});

describe('routes', () => {
  it('an unknown id is 404 on every method, for Users and Groups', async () => {
    const s = testServer();
    for (const endpoint of ['Users', 'Groups']) {
      const url = `/${endpoint}/2819c223-7f76-453a-919d-413861904646`;
      expectScimError(await s.get(url), 404);
      expectScimError(await s.put(url, { schemas: [endpoint === 'Users' ? USER : GROUP], userName: 'a', displayName: 'a' }), 404);
      expectScimError(await s.patch(url, patchBody({ op: 'add', path: 'displayName', value: 'x' })), 404);
      expectScimError(await s.del(url), 404);
    }
  });

  it('an id with reserved or odd characters is a plain 404', async () => {
    const s = testServer();
    for (const id of ['%2F..%2F..', '%00', 'a%20b', '%E2%9C%93', 'x'.repeat(1000)]) {
      expectScimError(await s.get(`/Users/${id}`), 404);
    }
    expectScimError(await s.get(`/Users/${'x'.repeat(1100)}`), 414);
  });

  it('an unknown route is 404', async () => {
    const s = testServer();
    for (const url of [`${BASE}/Widgets`, `${BASE}/Users/a/b`, `${BASE}/users`, `${BASE}/Users/.find`, '/Users', '/']) {
      expectScimError(await s.app.inject({ method: 'GET', url, headers: { authorization: 'Bearer t' } }), 404);
    }
  });

  it('a wrong method is 405 with Allow', async () => {
    const s = testServer();
    const user = await s.createUser('ada');
    const cases: [method: 'PUT' | 'PATCH' | 'DELETE' | 'POST', url: string, allow: string][] = [
      ['PUT', '/Users', 'GET, POST, HEAD'],
      ['PATCH', '/Users', 'GET, POST, HEAD'],
      ['DELETE', '/Groups', 'GET, POST, HEAD'],
      ['POST', `/Users/${user.id}`, 'GET, PUT, PATCH, DELETE, HEAD'],
      ['POST', '/Groups/anything', 'GET, PUT, PATCH, DELETE, HEAD'],
      ['PUT', '/Users/.search', 'POST'],
      ['DELETE', '/.search', 'POST'],
    ];
    for (const [method, url, allow] of cases) {
      const res = await s.request(method, url, { schemas: [USER], userName: 'x' });
      expectScimError(res, 405);
      expect(res.headers.allow, `${method} ${url}`).toBe(allow);
    }
  });

  it('no credential is 401 with WWW-Authenticate', async () => {
    const s = testServer();
    const res = await s.app.inject({ method: 'GET', url: `${BASE}/Users` });
    expectScimError(res, 401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="scimulator"');
    expectScimError(await s.app.inject({ method: 'POST', url: `${BASE}/Users`, headers: { authorization: 'Bearer wrong', 'content-type': 'application/scim+json' }, payload: '{}' }), 401);
  });
});
