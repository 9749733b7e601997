import { describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../reference-server/app.js';
import { URN } from '../../scim/schema/urns.js';

const auth = { authorization: 'Bearer t1' };
const host = { ...auth, host: 'scim.example.com' };

describe('/ServiceProviderConfig', () => {
  it('describes what the server supports, its limits included', async () => {
    const { app } = createReferenceServer({ tokens: ['t1'], maxPageSize: 250, bulk: { maxOperations: 50, maxPayloadSize: 2_000_000 } });
    const res = await app.inject({ url: '/scim/v2/ServiceProviderConfig', headers: host });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      schemas: [URN.serviceProviderConfig],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 50, maxPayloadSize: 2_000_000 },
      filter: { supported: true, maxResults: 250 },
      changePassword: { supported: true },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        { type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: expect.any(String), specUri: 'https://www.rfc-editor.org/rfc/rfc6750', primary: true },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: 'http://scim.example.com/scim/v2/ServiceProviderConfig' },
    });
  });

  it('declares the body limit as the bulk payload limit by default, and Basic when enabled', async () => {
    const { app } = createReferenceServer({ tokens: ['t1'], bodyLimit: 4096, basic: [{ user: 'u', password: 'p' }] });
    const body = (await app.inject({ url: '/scim/v2/ServiceProviderConfig', headers: auth })).json();
    expect(body.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 4096 });
    expect(body.filter.maxResults).toBe(1000);
    expect(body.authenticationSchemes.map((s: { type: string; primary?: boolean }) => [s.type, s.primary])).toEqual([
      ['oauthbearertoken', true],
      ['httpbasic', undefined],
    ]);
  });

  it('lists only Basic when no token is configured', async () => {
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    const { app } = createReferenceServer({ basic: [{ user: 'u', password: 'p' }] });
    const body = (await app.inject({ url: '/scim/v2/ServiceProviderConfig', headers: { authorization: basic } })).json();
    expect(body.authenticationSchemes).toEqual([expect.objectContaining({ type: 'httpbasic', primary: true })]);
  });
});

describe('/ResourceTypes', () => {
  const { app } = createReferenceServer({ tokens: ['t1'] });

  it('lists User and Group in a ListResponse', async () => {
    const body = (await app.inject({ url: '/scim/v2/ResourceTypes', headers: host })).json();
    expect(body).toMatchObject({ schemas: [URN.listResponse], totalResults: 2, itemsPerPage: 2, startIndex: 1 });
    expect(body.Resources).toEqual([
      {
        schemas: [URN.resourceType],
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        description: 'User Account',
        schema: URN.user,
        schemaExtensions: [{ schema: URN.enterpriseUser, required: false }],
        meta: { resourceType: 'ResourceType', location: 'http://scim.example.com/scim/v2/ResourceTypes/User' },
      },
      {
        schemas: [URN.resourceType],
        id: 'Group',
        name: 'Group',
        endpoint: '/Groups',
        description: 'Group',
        schema: URN.group,
        meta: { resourceType: 'ResourceType', location: 'http://scim.example.com/scim/v2/ResourceTypes/Group' },
      },
    ]);
  });

  it('answers one by id, and 404 for an unknown one', async () => {
    const group = await app.inject({ url: '/scim/v2/ResourceTypes/Group', headers: auth });
    expect(group.json()).toMatchObject({ id: 'Group', endpoint: '/Groups' });
    const unknown = await app.inject({ url: '/scim/v2/ResourceTypes/Device', headers: auth });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ status: '404', detail: 'ResourceType Device not found: GET /ResourceTypes lists them' });
  });
});

describe('/Schemas', () => {
  const { app } = createReferenceServer({ tokens: ['t1'] });

  it('lists every schema the server knows', async () => {
    const body = (await app.inject({ url: '/scim/v2/Schemas', headers: auth })).json();
    expect(body.schemas).toEqual([URN.listResponse]);
    const ids = body.Resources.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([URN.user, URN.group, URN.enterpriseUser]));
    expect(body.totalResults).toBe(ids.length);
    for (const schema of body.Resources) {
      expect(schema.schemas).toEqual([URN.schema]);
      expect(schema.meta).toEqual({ resourceType: 'Schema', location: `http://localhost:80/scim/v2/Schemas/${schema.id}` });
    }
  });

  it('answers one by its URN, in any case, and 404 for an unknown one', async () => {
    const user = (await app.inject({ url: `/scim/v2/Schemas/${URN.user}`, headers: auth })).json();
    expect(user).toMatchObject({ id: URN.user, name: 'User' });
    expect(user.attributes.map((a: { name: string }) => a.name)).toContain('userName');
    const upper = await app.inject({ url: `/scim/v2/Schemas/${URN.group.toUpperCase()}`, headers: auth });
    expect(upper.json().id).toBe(URN.group);
    expect((await app.inject({ url: '/scim/v2/Schemas/urn:example:nothing', headers: auth })).statusCode).toBe(404);
  });

  it('answers a filter on a discovery endpoint with 403 (RFC 7644 §4)', async () => {
    for (const url of ['/scim/v2/Schemas', '/scim/v2/ResourceTypes', '/scim/v2/ServiceProviderConfig']) {
      const res = await app.inject({ url, query: { filter: 'id eq "User"' }, headers: auth });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().status).toBe('403');
    }
    expect((await app.inject({ url: '/scim/v2/Schemas', query: { count: '1', sortBy: 'id' }, headers: auth })).json().totalResults).toBeGreaterThan(1);
  });
});
