import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { ReferenceServerOptions } from '../../reference-server/options.js';
import { ERROR_SCHEMA } from '../../scim/errors.js';
import { BULK_RESPONSE_JSON_SCHEMA } from '../../scim/messages/json-schemas.js';
import { URN } from '../../scim/schema/urns.js';
import { referenceServer } from './store-helpers.js';

// ajv-formats is CommonJS: its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
addFormats(ajv);
const validateBulkResponse = ajv.compile(BULK_RESPONSE_JSON_SCHEMA);

const BASE = 'http://localhost:80/scim/v2';
const headers = { authorization: 'Bearer t', 'content-type': 'application/scim+json' };

type Json = Record<string, any>;

function server(options: ReferenceServerOptions = {}) {
  return referenceServer({ tokens: ['t'], ...options }).app;
}

type App = ReturnType<typeof server>;

function bulkRequest(Operations: unknown[], extra: Json = {}): Json {
  return { schemas: [URN.bulkRequest], ...extra, Operations };
}

async function bulk(app: App, body: Json | string) {
  const res = await app.inject({ method: 'POST', url: '/scim/v2/Bulk', headers, payload: body });
  return { res, body: res.json() as Json };
}

/** A bulk answer that is RFC 7644 §3.7.3 JSON with the operations' results. */
async function bulkOk(app: App, body: Json): Promise<Json[]> {
  const { res, body: answer } = await bulk(app, body);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/scim+json; charset=utf-8');
  expect(validateBulkResponse(answer), ajv.errorsText(validateBulkResponse.errors)).toBe(true);
  expect(answer.schemas).toEqual([URN.bulkResponse]);
  return answer.Operations;
}

async function get(app: App, location: string): Promise<Json> {
  const res = await app.inject({ url: location.slice('http://localhost:80'.length), headers });
  return { statusCode: res.statusCode, ...res.json() };
}

const idOf = (location: string) => location.split('/').pop()!;

const user = (userName: string, more: Json = {}) => ({ schemas: [URN.user], userName, ...more });
const group = (displayName: string, members: Json[] = []) => ({ schemas: [URN.group], displayName, members });
const postUser = (bulkId: string, userName: string, more: Json = {}) => ({ method: 'POST', path: '/Users', bulkId, data: user(userName, more) });
const postGroup = (bulkId: string, displayName: string, members: Json[] = []) => ({ method: 'POST', path: '/Groups', bulkId, data: group(displayName, members) });

function expectFailure(result: Json, status: number, scimType?: string): void {
  expect(result.status).toBe(String(status));
  expect(result.response).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status) });
  expect(result.response.scimType).toBe(scimType);
  expect(typeof result.response.detail).toBe('string');
}

describe('bulkId references (RFC 7644 §3.7.2)', () => {
  it('answers the RFC example: a User, and a Group whose member is that User', async () => {
    const app = server();
    const [alice, tourGuides] = await bulkOk(
      app,
      bulkRequest([postUser('qwerty', 'Alice'), postGroup('ytrewq', 'Tour Guides', [{ type: 'User', value: 'bulkId:qwerty' }])]),
    );
    expect(alice).toEqual({ method: 'POST', bulkId: 'qwerty', location: expect.stringMatching(`^${BASE}/Users/`), version: 'W/"1"', status: '201' });
    expect(tourGuides).toEqual({ method: 'POST', bulkId: 'ytrewq', location: expect.stringMatching(`^${BASE}/Groups/`), version: 'W/"1"', status: '201' });
    const stored = await get(app, tourGuides.location);
    expect(stored.members).toEqual([{ value: idOf(alice.location), type: 'User', $ref: alice.location }]);
    expect((await get(app, alice.location)).groups).toEqual([expect.objectContaining({ value: idOf(tourGuides.location) })]);
  });

  it('runs a Group before the User it refers to comes: the User first', async () => {
    const app = server();
    const results = await bulkOk(app, bulkRequest([postGroup('ytrewq', 'Tour Guides', [{ value: 'bulkId:qwerty' }]), postUser('qwerty', 'Alice')]));
    expect(results.map((r) => [r.bulkId, r.status])).toEqual([
      ['qwerty', '201'],
      ['ytrewq', '201'],
    ]);
    const members = (await get(app, results[1]!.location)).members;
    expect(members).toEqual([expect.objectContaining({ value: idOf(results[0]!.location), type: 'User' })]);
  });

  it('replaces references anywhere in data: an enterprise manager, a PATCH value', async () => {
    const app = server();
    const results = await bulkOk(
      app,
      bulkRequest([
        postUser('emp', 'Bob', { schemas: [URN.user, URN.enterpriseUser], [URN.enterpriseUser]: { manager: { value: 'bulkId:boss' } } }),
        postUser('boss', 'Carol'),
        postGroup('team', 'Team'),
        {
          method: 'PATCH',
          path: '/Groups/bulkId:team',
          data: { schemas: [URN.patchOp], Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:emp' }] }] },
        },
      ]),
    );
    expect(results.map((r) => r.status)).toEqual(['201', '201', '201', '200']);
    const byId = Object.fromEntries(results.filter((r) => r.bulkId).map((r) => [r.bulkId, idOf(r.location)]));
    expect((await get(app, `${BASE}/Users/${byId.emp}`))[URN.enterpriseUser].manager.value).toBe(byId.boss);
    expect((await get(app, `${BASE}/Groups/${byId.team}`)).members).toEqual([expect.objectContaining({ value: byId.emp })]);
  });

  it('runs PUT, PATCH and DELETE on the path of a resource created by bulkId', async () => {
    const app = server();
    const results = await bulkOk(
      app,
      bulkRequest([
        postUser('qwerty', 'Alice'),
        { method: 'PUT', path: '/Users/bulkId:qwerty', data: user('Alice', { displayName: 'Alice A.' }) },
        {
          method: 'PATCH',
          path: '/Users/bulkId:qwerty',
          version: 'W/"2"',
          data: { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'nickName', value: 'Al' }] },
        },
        { method: 'PUT', path: '/Users/bulkId:qwerty', version: 'W/"1"', data: user('Alice') },
      ]),
    );
    const location = results[0]!.location;
    expect(results.slice(1, 3)).toEqual([
      { method: 'PUT', location, version: 'W/"2"', status: '200' },
      { method: 'PATCH', location, version: 'W/"3"', status: '200' },
    ]);
    // The operation's version is its If-Match (RFC 7644 §3.7, §3.14).
    expect(results[3]).toMatchObject({ method: 'PUT', location });
    expectFailure(results[3]!, 412);
    expect(await get(app, location)).toMatchObject({ displayName: 'Alice A.', nickName: 'Al' });

    const [deleted] = await bulkOk(app, bulkRequest([{ method: 'delete', path: `/Users/${idOf(location)}` }]));
    expect(deleted).toEqual({ method: 'DELETE', location, status: '204' });
    expect((await get(app, location)).statusCode).toBe(404);
  });

  it('reports PATCH as 204 when the server answers PATCH without a body', async () => {
    const app = server({ patchStatus: 204 });
    const patch = { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'active', value: false }] };
    const results = await bulkOk(app, bulkRequest([postUser('u', 'ada'), { method: 'PATCH', path: '/Users/bulkId:u', data: patch }]));
    expect(results[1]).toMatchObject({ method: 'PATCH', version: 'W/"2"', status: '204' });
  });

  it('resolves circular references (RFC 7644 §3.7.1): two groups that are members of each other', async () => {
    const app = server();
    const results = await bulkOk(
      app,
      bulkRequest([
        postGroup('qwerty', 'Group A', [{ type: 'Group', value: 'bulkId:ytrewq' }]),
        postGroup('ytrewq', 'Group B', [{ type: 'Group', value: 'bulkId:qwerty' }]),
      ]),
    );
    expect(results.map((r) => [r.bulkId, r.status])).toEqual(
      expect.arrayContaining([
        ['qwerty', '201'],
        ['ytrewq', '201'],
      ]),
    );
    const [a, b] = ['qwerty', 'ytrewq'].map((id) => results.find((r) => r.bulkId === id)!);
    const groupA = await get(app, a!.location);
    const groupB = await get(app, b!.location);
    expect(groupA.members).toEqual([expect.objectContaining({ value: idOf(b!.location), type: 'Group' })]);
    expect(groupB.members).toEqual([expect.objectContaining({ value: idOf(a!.location), type: 'Group' })]);
    // Each answer carries the version the resource ended with.
    expect(a!.version).toBe(groupA.meta.version);
    expect(b!.version).toBe(groupB.meta.version);
  });

  it('resolves a cycle of references, and waits for it before touching its resources', async () => {
    const app = server();
    const results = await bulkOk(
      app,
      bulkRequest([
        { method: 'PATCH', path: '/Groups/bulkId:a', data: { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'displayName', value: 'A2' }] } },
        postGroup('a', 'A', [{ value: 'bulkId:b' }]),
        postGroup('b', 'B', [{ value: 'bulkId:a' }]),
      ]),
    );
    expect(results.every((r) => r.status.startsWith('2'))).toBe(true);
    const a = results.find((r) => r.bulkId === 'a')!;
    const b = results.find((r) => r.bulkId === 'b')!;
    expect(results.at(-1)!.method).toBe('PATCH');
    const stored = await get(app, a.location);
    expect(stored.displayName).toBe('A2');
    expect(stored.members.map((m: Json) => m.value)).toEqual([idOf(b.location)]);
  });

  it('refuses a group that names itself as a member', async () => {
    const app = server();
    const results = await bulkOk(app, bulkRequest([postGroup('a', 'A', [{ value: 'bulkId:a' }])]));
    expect(results[0]!.status).not.toMatch(/^2/);
  });

  it('answers 409 for a reference that cannot be resolved, and keeps going', async () => {
    const app = server();
    const results = await bulkOk(
      app,
      bulkRequest([
        postGroup('g1', 'Nobody', [{ value: 'bulkId:nope' }]),
        { method: 'POST', path: '/Users', bulkId: 'bad', data: { schemas: [URN.user] } },
        postGroup('g2', 'Broken', [{ value: 'bulkId:bad' }]),
        { method: 'DELETE', path: '/Users/bulkId:bad' },
        postUser('ok', 'Fine'),
      ]),
    );
    expect(results.map((r) => r.bulkId ?? r.method)).toEqual(['g1', 'bad', 'g2', 'DELETE', 'ok']);
    expectFailure(results[0]!, 409);
    expect(results[0]!.response.detail).toContain('bulkId:nope');
    expect(results[0]).not.toHaveProperty('location');
    expectFailure(results[1]!, 400, 'invalidValue');
    expectFailure(results[2]!, 409);
    expectFailure(results[3]!, 409);
    expect(results[3]!.location).toBe(`${BASE}/Users/bulkId:bad`);
    expect(results[4]!.status).toBe('201');
  });

  it('answers 409 to both POSTs of a cycle that cannot be created without its references', async () => {
    const app = server();
    // Each user's own userName is a reference, so neither can be created first.
    const results = await bulkOk(
      app,
      bulkRequest([
        { method: 'POST', path: '/Users', bulkId: 'x', data: user('bulkId:y') },
        { method: 'POST', path: '/Users', bulkId: 'y', data: user('bulkId:x') },
      ]),
    );
    expect(results).toHaveLength(2);
    for (const result of results) expectFailure(result, 409);
    const list = (await app.inject({ url: '/scim/v2/Users', headers })).json();
    expect(list.totalResults).toBe(0);
  });
});

describe('failOnErrors (RFC 7644 §3.7.3)', () => {
  const ops = [
    postUser('a', 'ada'),
    postUser('b', 'ada'), // 409 uniqueness
    { method: 'DELETE', path: '/Users/nobody' }, // 404
    postUser('c', 'carl'),
  ];

  it('goes on after errors without it', async () => {
    const results = await bulkOk(server(), bulkRequest(ops));
    expect(results.map((r) => r.status)).toEqual(['201', '409', '404', '201']);
    expect(results[1]!.response.scimType).toBe('uniqueness');
    expect(results[2]!.location).toBe(`${BASE}/Users/nobody`);
  });

  it('stops after the first error with failOnErrors 1', async () => {
    const app = server();
    const results = await bulkOk(app, bulkRequest(ops, { failOnErrors: 1 }));
    expect(results.map((r) => r.status)).toEqual(['201', '409']);
    const list = (await app.inject({ url: '/scim/v2/Users?filter=userName eq "carl"', headers })).json();
    expect(list.totalResults).toBe(0);
  });

  it('stops after the second error with failOnErrors 2', async () => {
    const results = await bulkOk(server(), bulkRequest(ops, { failOnErrors: 2 }));
    expect(results.map((r) => r.status)).toEqual(['201', '409', '404']);
  });

  it('leaves nothing of a cycle it stopped in', async () => {
    const app = server();
    const results = await bulkOk(
      app,
      bulkRequest(
        [
          postGroup('a', 'A', [{ value: 'bulkId:b' }]),
          { method: 'POST', path: '/Groups', bulkId: 'b', data: { schemas: [URN.group], members: [{ value: 'bulkId:a' }] } },
        ],
        { failOnErrors: 1 },
      ),
    );
    expect(results).toEqual([expect.objectContaining({ bulkId: 'b', status: '400' })]);
    expect((await app.inject({ url: '/scim/v2/Groups', headers })).json().totalResults).toBe(0);
  });
});

describe('limits (RFC 7644 §3.7.4)', () => {
  it('refuses more operations than maxOperations with 413', async () => {
    const app = server({ bulk: { maxOperations: 2 } });
    const { res, body } = await bulk(app, bulkRequest([postUser('a', 'a'), postUser('b', 'b'), postUser('c', 'c')]));
    expect(res.statusCode).toBe(413);
    expect(body).toEqual({ schemas: [ERROR_SCHEMA], status: '413', detail: expect.stringContaining('maxOperations of 2') });
    expect((await app.inject({ url: '/scim/v2/Users', headers })).json().totalResults).toBe(0);
  });

  it('refuses a body larger than maxPayloadSize with 413', async () => {
    const app = server({ bulk: { maxPayloadSize: 500 } });
    const { res, body } = await bulk(app, bulkRequest([postUser('a', 'x'.repeat(600))]));
    expect(res.statusCode).toBe(413);
    expect(body).toEqual({ schemas: [ERROR_SCHEMA], status: '413', detail: expect.stringContaining('500 bytes') });
  });

  it('accepts bulk bodies up to maxPayloadSize, beyond the body limit of other endpoints', async () => {
    const app = server({ bodyLimit: 400, bulk: { maxPayloadSize: 4000 } });
    const big = postUser('a', 'x'.repeat(1000));
    expect((await app.inject({ method: 'POST', url: '/scim/v2/Users', headers, payload: big.data })).statusCode).toBe(413);
    expect((await bulkOk(app, bulkRequest([big])))[0]!.status).toBe('201');
  });
});

describe('malformed requests and operations', () => {
  it.each([
    ['no schemas', { Operations: [] }],
    ['the wrong schema', { schemas: [URN.patchOp], Operations: [] }],
    ['no Operations', { schemas: [URN.bulkRequest] }],
    ['Operations not an array', { schemas: [URN.bulkRequest], Operations: { method: 'POST' } }],
    ['a negative failOnErrors', { schemas: [URN.bulkRequest], failOnErrors: -1, Operations: [] }],
    ['a failOnErrors string', { schemas: [URN.bulkRequest], failOnErrors: '1', Operations: [] }],
  ])('answers 400 invalidSyntax to a BulkRequest with %s', async (_name, request) => {
    const { res, body } = await bulk(server(), request);
    expect(res.statusCode).toBe(400);
    expect(body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidSyntax' });
  });

  it('answers 400 to malformed JSON', async () => {
    const { res, body } = await bulk(server(), '{"schemas": [');
    expect(res.statusCode).toBe(400);
    expect(body.scimType).toBe('invalidSyntax');
  });

  it('answers an empty Operations list with an empty result', async () => {
    expect(await bulkOk(server(), bulkRequest([]))).toEqual([]);
  });

  it('accepts attribute names and methods in any case', async () => {
    const app = server();
    const { res, body } = await bulk(app, {
      Schemas: [URN.bulkRequest.toUpperCase()],
      operations: [{ Method: 'post', Path: '/Users', BulkId: 'q', Data: user('ada') }],
    });
    expect(res.statusCode).toBe(200);
    expect(body.Operations).toEqual([expect.objectContaining({ method: 'POST', bulkId: 'q', status: '201' })]);
  });

  it('gives each malformed operation its own error result', async () => {
    const results = (
      await bulk(
        server(),
        bulkRequest([
          { method: 'GET', path: '/Users/x' },
          { path: '/Users' },
          'DELETE /Users/x',
          { method: 'PUT', path: '/Widgets/1', data: {} },
          { method: 'POST', path: '/Users', data: user('nobulkid') },
          { method: 'POST', path: '/Users/1', bulkId: 'p', data: user('p') },
          { method: 'DELETE', path: '/Groups' },
          { method: 'PUT', path: '/Users/x', version: 3, data: user('x') },
          { method: 'PATCH', path: '/Users/%E0%A4%A' },
          postUser('dup', 'first'),
          postUser('dup', 'second'),
        ]),
      )
    ).body.Operations as Json[];
    expect(results.map((r) => [r.method, r.status, r.response?.scimType])).toEqual([
      ['GET', '400', 'invalidSyntax'],
      [undefined, '400', 'invalidSyntax'],
      [undefined, '400', 'invalidSyntax'],
      ['PUT', '404', undefined],
      ['POST', '400', 'invalidSyntax'],
      ['POST', '405', undefined],
      ['DELETE', '405', undefined],
      ['PUT', '400', 'invalidSyntax'],
      ['PATCH', '400', undefined],
      ['POST', '201', undefined],
      ['POST', '400', 'invalidValue'],
    ]);
    expect(results[3]!.location).toBe(`${BASE}/Widgets/1`);
    expect(results[5]).not.toHaveProperty('location');
  });

  it('answers 405 to other methods on /Bulk', async () => {
    const res = await server().inject({ url: '/scim/v2/Bulk', headers });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it('keeps __proto__ keys and bulkIds as plain data', async () => {
    const app = server();
    // Written out, as JSON.parse makes `__proto__` an own key where an object literal would set the prototype.
    const payload = `{"schemas":["${URN.bulkRequest}"],"Operations":[
      {"method":"POST","path":"/Users","bulkId":"__proto__","data":{"schemas":["${URN.user}"],"userName":"proto"}},
      {"method":"POST","path":"/Groups","bulkId":"g","data":{"schemas":["${URN.group}"],"displayName":"G","members":[{"value":"bulkId:__proto__"}]}},
      {"method":"POST","path":"/Users","bulkId":"p","data":{"schemas":["${URN.user}"],"userName":"p","__proto__":{"polluted":true,"value":"bulkId:g"}}}]}`;
    const { res, body } = await bulk(app, payload);
    expect(res.statusCode).toBe(200);
    const results = body.Operations as Json[];
    expect(results.map((r) => [r.bulkId, r.status.startsWith('2')])).toEqual([
      ['__proto__', true],
      ['g', true],
      ['p', false], // an unknown attribute for the strict server
    ]);
    expect((await get(app, results[1]!.location)).members).toEqual([expect.objectContaining({ value: idOf(results[0]!.location) })]);
    expect(({} as Json).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
