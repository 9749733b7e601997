import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  BULK_REQUEST_JSON_SCHEMA,
  BULK_RESPONSE_JSON_SCHEMA,
  ERROR_JSON_SCHEMA,
  LIST_RESPONSE_JSON_SCHEMA,
  MESSAGE_JSON_SCHEMAS,
  PATCH_OP_JSON_SCHEMA,
  resourceJsonSchema,
  SEARCH_REQUEST_JSON_SCHEMA,
  type JsonSchema,
} from '../../scim/messages/json-schemas.js';
import { ScimError } from '../../scim/errors.js';
import { cloneJson, type JsonObject } from '../../scim/schema/keys.js';
import { groupModel, userModel } from '../../scim/schema/index.js';
import { URN } from '../../scim/schema/urns.js';
import { RFC7643_ENTERPRISE_USER, RFC7643_FULL_USER, RFC7643_GROUP, RFC7643_MINIMAL_USER } from '../fixtures/rfc7643-examples.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

// The strictest ajv settings the schemas are written for (see the module comment).
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
addFormats(ajv);

function validator(schema: JsonSchema): (data: unknown) => string | true {
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? true : ajv.errorsText(validate.errors));
}

const PATCH = URN.patchOp;
const BABS = '2819c223-7f76-453a-919d-413861904646';

describe('the schemas compile', () => {
  it.each(Object.entries(MESSAGE_JSON_SCHEMAS))('%s', (_, schema) => {
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it('resource schemas compile for User and Group', () => {
    expect(() => ajv.compile(resourceJsonSchema(userModel))).not.toThrow();
    expect(() => ajv.compile(resourceJsonSchema(groupModel))).not.toThrow();
  });
});

describe('ListResponse (RFC 7644 §3.4.2)', () => {
  const check = validator(LIST_RESPONSE_JSON_SCHEMA);

  it('accepts the RFC examples', () => {
    expect(
      check({
        schemas: [URN.listResponse],
        totalResults: 2,
        Resources: [
          { id: BABS, userName: 'bjensen' },
          { id: 'c75ad752-64ae-4823-840d-ffa80929976c', userName: 'jsmith' },
        ],
      }),
    ).toBe(true);
    expect(
      check({ totalResults: 100, itemsPerPage: 10, startIndex: 1, schemas: [URN.listResponse], Resources: [{ id: BABS }] }),
    ).toBe(true);
    expect(check({ schemas: [URN.listResponse], totalResults: 0 })).toBe(true);
  });

  it('rejects broken ones', () => {
    expect(check({ schemas: [URN.listResponse], totalResults: '2', Resources: [] })).toMatch(/totalResults/);
    expect(check({ schemas: [URN.listResponse], totalResults: -1 })).toMatch(/totalResults/);
    expect(check({ schemas: [URN.listResponse], totalResults: 3 })).toMatch(/Resources/);
    expect(check({ schemas: [URN.error], totalResults: 0 })).toMatch(/schemas/);
    expect(check({ schemas: [URN.listResponse], totalResults: 1, resources: [{}] })).toMatch(/Resources/);
    expect(check({ schemas: [URN.listResponse], totalResults: 1, Resources: [{}], startIndex: 0 })).toMatch(/startIndex/);
  });
});

describe('Error (RFC 7644 §3.12)', () => {
  const check = validator(ERROR_JSON_SCHEMA);

  it('accepts the RFC examples, and what ScimError produces', () => {
    expect(check({ schemas: [URN.error], detail: `Resource ${BABS} not found`, status: '404' })).toBe(true);
    expect(check({ schemas: [URN.error], scimType: 'mutability', detail: "Attribute 'id' is readOnly", status: '400' })).toBe(true);
    expect(check(ScimError.badRequest('invalidFilter', 'x').toBody())).toBe(true);
  });

  it('rejects a numeric status, an unknown scimType and a missing status', () => {
    expect(check({ schemas: [URN.error], status: 404 })).toMatch(/status must be string/);
    expect(check({ schemas: [URN.error], status: '400', scimType: 'badThing' })).toMatch(/scimType/);
    expect(check({ schemas: [URN.error], detail: 'no' })).toMatch(/status/);
    expect(check({ schemas: [URN.error], status: 'Bad Request' })).toMatch(/status/);
  });
});

describe('PatchOp (RFC 7644 §3.5.2)', () => {
  const check = validator(PATCH_OP_JSON_SCHEMA);
  const patch = (...Operations: JsonObject[]) => ({ schemas: [PATCH], Operations });
  const babs = { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS };

  it.each([
    ['§3.5.2 add members', patch({ op: 'add', path: 'members', value: [babs] })],
    ['§3.5.2.1 add without path', patch({ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } })],
    ['§3.5.2.2 remove one member', patch({ op: 'remove', path: `members[value eq "${BABS}"]` })],
    ['§3.5.2.2 remove all members', patch({ op: 'remove', path: 'members' })],
    [
      '§3.5.2.2 remove and add',
      patch({ op: 'remove', path: `members[value eq "${BABS}"]` }, { op: 'add', path: 'members', value: [{ display: 'James Smith', value: '08e1d05d-121c-4561-8b96-473d93df9210' }] }),
    ],
    ['§3.5.2.3 replace members', patch({ op: 'replace', path: 'members', value: [babs] })],
    [
      '§3.5.2.3 replace a work address',
      patch({ op: 'replace', path: 'addresses[type eq "work"]', value: { type: 'work', streetAddress: '911 Universal City Plaza', primary: true } }),
    ],
    ['§3.5.2.3 replace a sub-attribute', patch({ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' })],
    ['§3.5.2.3 replace without path', patch({ op: 'replace', value: { emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }], nickname: 'Babs' } })],
  ])('accepts the %s example', (_, body) => {
    expect(check(body)).toBe(true);
  });

  it('rejects broken ones', () => {
    expect(check(patch({ op: 'Replace', path: 'active', value: false }))).toMatch(/op must be equal to one of the allowed values/);
    expect(check(patch({ op: 'remove' }))).toMatch(/path/);
    expect(check(patch({ op: 'add', path: 'nickName' }))).toMatch(/value/);
    expect(check(patch({ op: 'replace', value: 'Babs' }))).toMatch(/value must be object/);
    expect(check(patch())).toMatch(/Operations/);
    expect(check({ schemas: [PATCH] })).toMatch(/Operations/);
    expect(check({ Operations: [{ op: 'remove', path: 'x' }] })).toMatch(/schemas/);
  });
});

describe('SearchRequest (RFC 7644 §3.4.3)', () => {
  const check = validator(SEARCH_REQUEST_JSON_SCHEMA);

  it('accepts the RFC example and rejects broken ones', () => {
    const example = { schemas: [URN.searchRequest], attributes: ['displayName', 'userName'], filter: 'displayName sw "smith"', startIndex: 1, count: 10 };
    expect(check(example)).toBe(true);
    expect(check({ ...example, attributes: 'displayName,userName' })).toMatch(/attributes/);
    expect(check({ ...example, sortOrder: 'up' })).toMatch(/sortOrder/);
    expect(check({ ...example, count: '10' })).toMatch(/count/);
  });
});

describe('BulkRequest and BulkResponse (RFC 7644 §3.7)', () => {
  const checkRequest = validator(BULK_REQUEST_JSON_SCHEMA);
  const checkResponse = validator(BULK_RESPONSE_JSON_SCHEMA);
  const groupPost = (bulkId: string, name: string, other: string) => ({
    method: 'POST',
    path: '/Groups',
    bulkId,
    data: { schemas: [URN.group], displayName: name, members: [{ type: 'Group', value: `bulkId:${other}` }] },
  });

  it('accepts the §3.7.1 request and the §3.7 one (its PATCH data corrected to a PatchOp)', () => {
    expect(checkRequest({ schemas: [URN.bulkRequest], Operations: [groupPost('qwerty', 'Group A', 'ytrewq'), groupPost('ytrewq', 'Group B', 'qwerty')] })).toBe(true);
    expect(
      checkRequest({
        schemas: [URN.bulkRequest],
        failOnErrors: 1,
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'qwerty', data: { schemas: [URN.user], userName: 'Alice' } },
          { method: 'PUT', path: '/Users/b7c14771-226c-4d05-8860-134711653041', version: 'W/"3694e05e9dff591"', data: { schemas: [URN.user], id: 'b7c14771-226c-4d05-8860-134711653041', userName: 'Bob' } },
          {
            method: 'PATCH',
            path: '/Users/5d8d29d3-342c-4b5f-8683-a3cb6763ffcc',
            version: 'W/"edac3253e2c0ef2"',
            data: { schemas: [PATCH], Operations: [{ op: 'remove', path: 'nickName' }, { op: 'replace', path: 'userName', value: 'Dave' }] },
          },
          { method: 'DELETE', path: '/Users/e9025315-6bea-44e1-899c-1e07454e468b', version: 'W/"0ee8add0a938e1a"' },
        ],
      }),
    ).toBe(true);
  });

  it('rejects broken requests', () => {
    const post = groupPost('qwerty', 'Group A', 'ytrewq');
    expect(checkRequest({ schemas: [URN.bulkRequest], Operations: [{ ...post, bulkId: undefined }] })).toMatch(/bulkId/);
    expect(checkRequest({ schemas: [URN.bulkRequest], Operations: [{ method: 'PUT', path: '/Users/1' }] })).toMatch(/data/);
    expect(checkRequest({ schemas: [URN.bulkRequest], Operations: [{ ...post, method: 'post' }] })).toMatch(/method/);
    expect(checkRequest({ schemas: [URN.bulkRequest], Operations: [{ method: 'PATCH', path: '/Users/1', data: [{ op: 'remove', path: 'x' }] }] })).toMatch(/data/);
  });

  it('accepts the §3.7.3 responses and rejects broken ones', () => {
    const ok = {
      schemas: [URN.bulkResponse],
      Operations: [
        { location: 'https://example.com/v2/Users/92b725cd-9465-4e7d-8c16-01f8e146b87a', method: 'POST', bulkId: 'qwerty', version: 'W/"oY4m4wn58tkVjJxK"', status: '201' },
        { location: 'https://example.com/v2/Users/b7c14771-226c-4d05-8860-134711653041', method: 'PUT', version: 'W/"huJj29dMNgu3WXPD"', status: '200' },
        { location: 'https://example.com/v2/Users/5d8d29d3-342c-4b5f-8683-a3cb6763ffcc', method: 'PATCH', version: 'W/"huJj29dMNgu3WXPD"', status: '200' },
        { location: 'https://example.com/v2/Users/e9025315-6bea-44e1-899c-1e07454e468b', method: 'DELETE', status: '204' },
      ],
    };
    const failed = {
      schemas: [URN.bulkResponse],
      Operations: [
        {
          method: 'POST',
          bulkId: 'qwerty',
          status: '400',
          response: { schemas: [URN.error], scimType: 'invalidSyntax', detail: 'Request is unparsable, syntactically incorrect, or violates schema.', status: '400' },
        },
      ],
    };
    expect(checkResponse(ok)).toBe(true);
    expect(checkResponse(failed)).toBe(true);
    expect(checkResponse({ schemas: [URN.bulkResponse], Operations: [{ method: 'POST', bulkId: 'q', status: '400' }] })).toMatch(/response/);
    expect(checkResponse({ schemas: [URN.bulkResponse], Operations: [{ method: 'PUT', status: '200' }] })).toMatch(/location/);
    expect(checkResponse({ schemas: [URN.bulkResponse], Operations: [{ ...ok.Operations[3], status: 204 }] })).toMatch(/status/);
  });
});

describe('resourceJsonSchema', () => {
  const checkUser = validator(resourceJsonSchema(userModel));
  const checkGroup = validator(resourceJsonSchema(groupModel));

  it('accepts the RFC 7643 §8 examples', () => {
    for (const example of [RFC7643_MINIMAL_USER, RFC7643_FULL_USER, RFC7643_ENTERPRISE_USER]) expect(checkUser(example)).toBe(true);
    expect(checkGroup(RFC7643_GROUP)).toBe(true);
  });

  it('requires schemas, id and the required attributes', () => {
    const user = cloneJson(RFC7643_MINIMAL_USER) as JsonObject;
    expect(checkUser({ ...user, id: undefined })).toMatch(/id/);
    expect(checkUser({ ...user, schemas: [URN.group] })).toMatch(/schemas/);
    expect(checkUser({ ...user, userName: undefined })).toMatch(/userName/);
    expect(checkUser({ ...user, userName: null })).toMatch(/userName/);
    expect(checkGroup({ ...cloneJson(RFC7643_GROUP), displayName: undefined })).toMatch(/displayName/);
  });

  it('checks types, multi-valuedness, sub-attributes and extensions', () => {
    const user = cloneJson(RFC7643_MINIMAL_USER) as JsonObject;
    expect(checkUser({ ...user, active: 'yes' })).toMatch(/active must be boolean/);
    expect(checkUser({ ...user, emails: { value: 'a@b.c' } })).toMatch(/emails must be array/);
    expect(checkUser({ ...user, emails: [{ value: 'a@b.c', primary: 'true' }] })).toMatch(/primary must be boolean/);
    expect(checkUser({ ...user, meta: { created: 'yesterday' } })).toMatch(/created must match format "date-time"/);
    expect(checkUser({ ...user, x509Certificates: [{ value: 'not base64!' }] })).toMatch(/value must match pattern/);
    expect(checkUser({ ...user, [URN.enterpriseUser]: { manager: 'boss' } })).toMatch(/manager must be object/);
  });

  it('allows null for optional attributes (RFC 7643 §2.5) and leaves canonical values open', () => {
    const user = cloneJson(RFC7643_MINIMAL_USER) as JsonObject;
    expect(checkUser({ ...user, nickName: null, emails: null, [URN.enterpriseUser]: null })).toBe(true);
    expect(checkUser({ ...user, emails: [{ value: 'a@b.c', type: 'holiday' }] })).toBe(true);
  });
});
