import { describe, expect, it } from 'vitest';
import { checkSchema, SCHEMA_NAMES } from '../../../harness/steps/schema-check.js';
import { URN } from '../../../scim/schema/urns.js';
import { RFC7643_FULL_USER, RFC7643_GROUP } from '../../fixtures/rfc7643-examples.js';

describe('schema checks', () => {
  it('pass for conforming bodies', () => {
    expect(checkSchema(RFC7643_FULL_USER, 'User')).toEqual({ passed: true, message: 'the body matches the User schema', errors: [] });
    expect(checkSchema(RFC7643_GROUP, 'Group').passed).toBe(true);
    expect(checkSchema({ schemas: [URN.listResponse], totalResults: 0 }, 'ListResponse').passed).toBe(true);
    expect(checkSchema({ schemas: [URN.error], status: '404', detail: 'not found' }, 'Error').passed).toBe(true);
  });

  it('fail with ajv errors in words: instance path and message', () => {
    const user = { schemas: [URN.user], id: '1', userName: 'ada', emails: [{ value: 'a@x', primary: 'yes' }] };
    expect(checkSchema(user, 'User')).toEqual({
      passed: false,
      message: 'body does not match the User schema: /emails/0/primary must be boolean',
      errors: ['/emails/0/primary must be boolean'],
    });
    expect(checkSchema({ schemas: [URN.group], id: '1', userName: 'ada' }, 'User').message).toBe(
      `body does not match the User schema: /schemas must contain "${URN.user}"`,
    );
    expect(checkSchema({ schemas: [URN.error], status: 404 }, 'Error').message).toBe('body does not match the Error schema: /status must be string');
    expect(checkSchema('text', 'Error').message).toBe('body does not match the Error schema: the body must be object');
  });

  it('shows five errors and counts the rest', () => {
    const message = checkSchema({}, 'ServiceProviderConfig').message;
    expect(message).toMatch(/^body does not match the ServiceProviderConfig schema: the body must have required property 'schemas'; /);
    expect(message).toMatch(/; and \d+ more$/);
  });

  it('compiles every schema, once, and does not require an id of the service provider config or a resource type', () => {
    for (const name of SCHEMA_NAMES) expect(() => checkSchema({}, name)).not.toThrow();
    expect(checkSchema({}, 'ServiceProviderConfig').errors).not.toContain("the body must have required property 'id'");
    expect(checkSchema({}, 'ResourceType').errors).not.toContain("the body must have required property 'id'");
    expect(checkSchema({}, 'Schema').errors).toContain("the body must have required property 'id'");
    const started = performance.now();
    for (let i = 0; i < 200; i++) checkSchema(RFC7643_FULL_USER, 'User');
    // Compiling the User schema each time would take seconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('accepts discovery resources shaped like RFC 7643 §8.5–§8.7', () => {
    const spc = {
      schemas: [URN.serviceProviderConfig],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: true },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [{ name: 'OAuth Bearer Token', description: 'Authentication scheme using the OAuth Bearer Token Standard', type: 'oauthbearertoken' }],
    };
    expect(checkSchema(spc, 'ServiceProviderConfig')).toMatchObject({ passed: true });
    // Bulk limits are needed only when Bulk is supported.
    expect(checkSchema({ ...spc, bulk: { supported: false } }, 'ServiceProviderConfig')).toMatchObject({ passed: true });
    expect(checkSchema({ ...spc, bulk: { supported: true } }, 'ServiceProviderConfig').errors).toContain("/bulk must have required property 'maxOperations'");
    const resourceType = { schemas: [URN.resourceType], id: 'User', name: 'User', endpoint: '/Users', schema: URN.user };
    expect(checkSchema(resourceType, 'ResourceType')).toMatchObject({ passed: true });
  });
});
