import { describe, expect, it } from 'vitest';
import { LENIENT, STRICT, type Compat } from '../../scim/compat.js';
import { ScimError } from '../../scim/errors.js';
import { cloneJson, type JsonObject } from '../../scim/schema/keys.js';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, groupModel, USER_SCHEMA, userModel } from '../../scim/schema/index.js';
import { ResourceModel } from '../../scim/schema/model.js';
import { defineAttribute } from '../../scim/schema/common.js';
import { URN } from '../../scim/schema/urns.js';
import { coerceAttributeValue, MAX_VALUES, validateResource } from '../../scim/validate.js';
import {
  RFC7643_ENTERPRISE_USER,
  RFC7643_FULL_USER,
  RFC7643_GROUP,
  RFC7643_MINIMAL_USER,
} from '../fixtures/rfc7643-examples.js';

const create = { mode: 'create' } as const;

function user(extra: JsonObject = {}): JsonObject {
  return { schemas: [URN.user], userName: 'ada@example.com', ...extra };
}

/** The ScimError `fn` throws. */
function failure(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

function expectScimError(fn: () => unknown, scimType: string, detail?: RegExp | string): void {
  const error = failure(fn);
  expect(error.status).toBe(400);
  expect(error.scimType).toBe(scimType);
  if (detail !== undefined) expect(error.detail).toMatch(detail);
}

describe('the RFC 7643 §8 examples', () => {
  it.each([
    ['§8.1 minimal user', RFC7643_MINIMAL_USER],
    ['§8.2 full user', RFC7643_FULL_USER],
    ['§8.3 enterprise user', RFC7643_ENTERPRISE_USER],
  ])('%s validates in create mode', (_, example) => {
    const out = validateResource(example, userModel, create);
    expect(out.userName).toBe('bjensen@example.com');
  });

  it('§8.4 group validates in create mode', () => {
    const out = validateResource(RFC7643_GROUP, groupModel, create);
    expect(out.displayName).toBe('Tour Guides');
    expect(out.members).toEqual(RFC7643_GROUP.members);
  });

  it('drops readOnly values (id, meta, groups, manager.displayName) and keeps writeOnly ones', () => {
    const out = validateResource(RFC7643_ENTERPRISE_USER, userModel, create);
    expect(out).not.toHaveProperty('id');
    expect(out).not.toHaveProperty('meta');
    expect(out).not.toHaveProperty('groups');
    expect(out[URN.enterpriseUser]).toMatchObject({ manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d' } });
    expect((out[URN.enterpriseUser] as JsonObject).manager).not.toHaveProperty('displayName');
    expect(out.password).toBe('t1meMa$heen');
    expect(out.schemas).toEqual([URN.user, URN.enterpriseUser]);
  });

  it('returns a copy: the input is frozen and the output is a different object', () => {
    const out = validateResource(RFC7643_FULL_USER, userModel, create);
    expect(out.emails).not.toBe(RFC7643_FULL_USER.emails);
    expect(out.emails).toEqual(RFC7643_FULL_USER.emails);
  });
});

describe('broken resources', () => {
  it('rejects what is not an object', () => {
    for (const input of [null, 'x', 1, [user()]]) expectScimError(() => validateResource(input, userModel, create), 'invalidSyntax');
  });

  it('rejects a missing or wrong "schemas"', () => {
    expectScimError(() => validateResource({ userName: 'a' }, userModel, create), 'invalidValue', /"schemas" is required/);
    expectScimError(() => validateResource({ schemas: URN.user, userName: 'a' }, userModel, create), 'invalidValue', /array/);
    expectScimError(() => validateResource({ schemas: [URN.group], userName: 'a' }, userModel, create), 'invalidValue', URN.group);
    expectScimError(() => validateResource({ schemas: [URN.enterpriseUser], userName: 'a' }, userModel, create), 'invalidValue', /must include/);
    expectScimError(() => validateResource({ schemas: [URN.user, 7], userName: 'a' }, userModel, create), 'invalidValue', /only strings/);
  });

  it('matches schema URNs case-insensitively and normalises "schemas"', () => {
    const input = { schemas: [URN.enterpriseUser.toUpperCase(), URN.user.toLowerCase(), URN.user], userName: 'a', [URN.enterpriseUser]: { department: 'R&D' } };
    expect(validateResource(input, userModel, create).schemas).toEqual([URN.user, URN.enterpriseUser]);
  });

  it('drops an extension listed in "schemas" but not used', () => {
    const input = { schemas: [URN.user, URN.enterpriseUser], userName: 'a' };
    expect(validateResource(input, userModel, create).schemas).toEqual([URN.user]);
  });

  it('rejects an extension object that "schemas" does not list, unless lenient', () => {
    const input = user({ [URN.enterpriseUser]: { department: 'R&D' } });
    expectScimError(() => validateResource(input, userModel, create), 'invalidValue', /does not list it/);
    const out = validateResource(input, userModel, { mode: 'create', compat: LENIENT });
    expect(out.schemas).toEqual([URN.user, URN.enterpriseUser]);
  });

  it('rejects an unknown URN in "schemas" strictly and drops it leniently', () => {
    const custom = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
    const input = { schemas: [URN.user, custom], userName: 'a', [custom]: { x: 1 } };
    expectScimError(() => validateResource(input, userModel, create), 'invalidValue', custom);
    expect(validateResource(input, userModel, { mode: 'create', compat: LENIENT })).toEqual({ schemas: [URN.user], userName: 'a' });
  });

  it('missing userName → invalidValue', () => {
    expectScimError(() => validateResource({ schemas: [URN.user] }, userModel, create), 'invalidValue', "Attribute 'userName' is required");
    expectScimError(() => validateResource(user({ userName: '' }), userModel, create), 'invalidValue', /must not be empty/);
    expectScimError(() => validateResource(user({ userName: null }), userModel, create), 'invalidValue', /required/);
  });

  it('missing Group displayName → invalidValue', () => {
    expectScimError(() => validateResource({ schemas: [URN.group], members: [] }, groupModel, create), 'invalidValue', "'displayName' is required");
  });

  it('active: "yes" → invalidValue', () => {
    expectScimError(() => validateResource(user({ active: 'yes' }), userModel, create), 'invalidValue', "Attribute 'active' must be a boolean, got string");
  });

  it('names the element and sub-attribute in errors', () => {
    const input = user({ emails: [{ value: 'a@b.c' }, { value: 'd@e.f', primary: 'true' }] });
    expectScimError(() => validateResource(input, userModel, create), 'invalidValue', "Attribute 'emails[1].primary' must be a boolean, got string");
    const manager = user({ schemas: [URN.user, URN.enterpriseUser], [URN.enterpriseUser]: { manager: { value: 42 } } });
    expectScimError(() => validateResource(manager, userModel, create), 'invalidValue', `Attribute '${URN.enterpriseUser}:manager.value' must be a string, got integer`);
  });

  it('emails: {…} not an array → invalidValue', () => {
    const input = user({ emails: { value: 'a@b.c', type: 'work' } });
    expectScimError(() => validateResource(input, userModel, create), 'invalidValue', /'emails' must be an array/);
  });

  it('an array for a single-valued attribute → invalidValue', () => {
    expectScimError(() => validateResource(user({ displayName: ['a'] }), userModel, create), 'invalidValue', /'displayName' must be a single string/);
    expectScimError(() => validateResource(user({ name: [{ givenName: 'a' }] }), userModel, create), 'invalidValue', /'name' must be a single complex/);
  });

  it('two primaries → invalidValue', () => {
    const input = user({ emails: [{ value: 'a@b.c', primary: true }, { value: 'd@e.f', primary: true }] });
    expectScimError(() => validateResource(input, userModel, create), 'invalidValue', /'emails' has 2 values with "primary": true/);
  });

  it('unknown attribute → invalidSyntax strictly, dropped leniently', () => {
    const input = user({ favouriteColour: 'blue', name: { givenName: 'Ada', nickname: 'A' } });
    expectScimError(() => validateResource(input, userModel, create), 'invalidSyntax', "'favouriteColour'");
    const onlySub = user({ name: { givenName: 'Ada', nickname: 'A' } });
    expectScimError(() => validateResource(onlySub, userModel, create), 'invalidSyntax', "'name.nickname'");
    expect(validateResource(input, userModel, { mode: 'create', compat: { ...STRICT, ignoreUnknownAttributes: true } })).toEqual(
      user({ name: { givenName: 'Ada' } }),
    );
  });

  it('"True" → invalidValue strictly, true with stringBooleans', () => {
    expectScimError(() => validateResource(user({ active: 'True' }), userModel, create), 'invalidValue', /must be a boolean/);
    const compat: Compat = { ...STRICT, stringBooleans: true };
    expect(validateResource(user({ active: 'True' }), userModel, { mode: 'create', compat }).active).toBe(true);
    expect(validateResource(user({ active: 'false' }), userModel, { mode: 'create', compat }).active).toBe(false);
    expectScimError(() => validateResource(user({ active: 'yes' }), userModel, { mode: 'create', compat }), 'invalidValue');
  });

  it('rejects a key given twice in different case', () => {
    expectScimError(() => validateResource(user({ USERNAME: 'b' }), userModel, create), 'invalidSyntax', /given twice/);
  });
});

describe('types (RFC 7643 §2.3)', () => {
  const number = (type: 'integer' | 'decimal') => defineAttribute('n', { type });

  it('integers must be integral, decimals any number', () => {
    expect(coerceAttributeValue(3, number('integer'), 'n')).toBe(3);
    expect(() => coerceAttributeValue(3.5, number('integer'), 'n')).toThrow(/must be an integer, got decimal/);
    expect(() => coerceAttributeValue('3', number('integer'), 'n')).toThrow(/got string/);
    expect(coerceAttributeValue(3.5, number('decimal'), 'n')).toBe(3.5);
    expect(() => coerceAttributeValue('3.5', number('decimal'), 'n')).toThrow(/got string/);
  });

  it('dateTime is xsd:dateTime', () => {
    const dt = defineAttribute('t', { type: 'dateTime' });
    for (const ok of ['2008-01-23T04:56:22Z', '2008-01-23T04:56:22.123+05:30', '2008-01-23T04:56:22', '2024-02-29T00:00:00Z']) {
      expect(coerceAttributeValue(ok, dt, 't')).toBe(ok);
    }
    for (const bad of ['2008-01-23', '2008-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2008-01-23 04:56:22Z', 'yesterday', 1200000000]) {
      expect(() => coerceAttributeValue(bad, dt, 't')).toThrow(/xsd:dateTime/);
    }
  });

  it('binary is base64', () => {
    const bin = defineAttribute('b', { type: 'binary' });
    expect(coerceAttributeValue('TWFu', bin, 'b')).toBe('TWFu');
    expect(coerceAttributeValue('TWE=', bin, 'b')).toBe('TWE=');
    expect(() => coerceAttributeValue('not base64!', bin, 'b')).toThrow(/base64/);
  });

  it('complexFromScalar turns a bare string into { value }', () => {
    const manager = ENTERPRISE_USER_SCHEMA.attributes.find((a) => a.name === 'manager')!;
    expect(() => coerceAttributeValue('42', manager, 'manager')).toThrow(/complex value/);
    expect(coerceAttributeValue('42', manager, 'manager', { ...STRICT, complexFromScalar: true })).toEqual({ value: '42' });
  });

  it('coerceAttributeValue spells sub-attributes canonically and drops nulls, empty arrays and empty objects', () => {
    const emails = USER_SCHEMA.attributes.find((a) => a.name === 'emails')!;
    expect(coerceAttributeValue([{ VALUE: 'a@b.c', Type: null }, null, {}], emails, 'emails')).toEqual([{ value: 'a@b.c' }]);
    expect(coerceAttributeValue([], emails, 'emails')).toBeUndefined();
    expect(coerceAttributeValue(null, emails, 'emails')).toBeUndefined();
  });
});

describe('keys and nulls', () => {
  it('matches attribute names case-insensitively and writes the canonical spelling', () => {
    const out = validateResource({ SCHEMAS: [URN.user], USERNAME: 'a', Name: { GIVENNAME: 'Ada' } }, userModel, create);
    expect(out).toEqual({ schemas: [URN.user], userName: 'a', name: { givenName: 'Ada' } });
  });

  it('treats null as absent', () => {
    const out = validateResource(user({ displayName: null, emails: null, name: { givenName: null } }), userModel, create);
    expect(out).toEqual(user());
  });

  it('writes attributes in schema order', () => {
    const out = validateResource({ active: true, userName: 'a', schemas: [URN.user], externalId: 'x' }, userModel, create);
    expect(Object.keys(out)).toEqual(['schemas', 'externalId', 'userName', 'active']);
  });
});

describe('replace mode', () => {
  const stored = validateResource(RFC7643_ENTERPRISE_USER, userModel, create);
  const existing: JsonObject = {
    ...cloneJson(stored),
    id: 'u1',
    meta: { resourceType: 'User', created: '2020-01-01T00:00:00Z' },
    groups: [{ value: 'g1', display: 'Admins' }],
    [URN.enterpriseUser]: { manager: { value: 'm1', displayName: 'Boss' } },
  };
  const replace = { mode: 'replace', existing } as const;

  it('carries readOnly values over from existing and ignores the client’s', () => {
    const out = validateResource(user({ id: 'other', meta: { resourceType: 'Nope' }, groups: [{ value: 'x' }] }), userModel, replace);
    expect(out).toMatchObject({ id: 'u1', meta: { resourceType: 'User' }, groups: [{ value: 'g1', display: 'Admins' }] });
    expect(Object.keys(out).slice(0, 4)).toEqual(['schemas', 'id', 'meta', 'userName']);
  });

  it('keeps a readOnly sub-attribute while `value` is unchanged, and drops it when `value` changes', () => {
    const same = user({ schemas: [URN.user, URN.enterpriseUser], [URN.enterpriseUser]: { manager: { value: 'm1' } } });
    expect(validateResource(same, userModel, replace)[URN.enterpriseUser]).toEqual({ manager: { value: 'm1', displayName: 'Boss' } });
    const other = user({ schemas: [URN.user, URN.enterpriseUser], [URN.enterpriseUser]: { manager: { value: 'm2' } } });
    expect(validateResource(other, userModel, replace)[URN.enterpriseUser]).toEqual({ manager: { value: 'm2' } });
  });

  it('re-validates its own output unchanged (the PATCH engine use)', () => {
    const once = validateResource(cloneJson(existing), userModel, replace);
    expect(validateResource(once, userModel, { mode: 'replace', existing: once })).toEqual(once);
  });

  const codeModel = new ResourceModel(
    { id: 'Thing', name: 'Thing', endpoint: '/Things', description: '', schema: 'urn:example:Thing', schemaExtensions: [] },
    [
      {
        id: 'urn:example:Thing',
        name: 'Thing',
        description: '',
        attributes: [
          defineAttribute('code', { mutability: 'immutable' }),
          defineAttribute('label', {}),
          defineAttribute('badge', {
            type: 'complex',
            subAttributes: [defineAttribute('serial', { mutability: 'immutable', caseExact: true }), defineAttribute('colour', {})],
          }),
        ],
      },
    ],
  );
  const thing = (extra: JsonObject): JsonObject => ({ schemas: ['urn:example:Thing'], ...extra });

  it('changed immutable on replace → mutability', () => {
    const before = thing({ id: 't', code: 'A1' });
    expectScimError(() => validateResource(thing({ code: 'B2' }), codeModel, { mode: 'replace', existing: before }), 'mutability', "'code' is immutable");
    expectScimError(() => validateResource(thing({ label: 'x' }), codeModel, { mode: 'replace', existing: before }), 'mutability');
    expect(validateResource(thing({ code: 'a1' }), codeModel, { mode: 'replace', existing: before }).code).toBe('a1');
    // Not yet set: may be set now.
    expect(validateResource(thing({ code: 'B2' }), codeModel, { mode: 'replace', existing: thing({ id: 't' }) }).code).toBe('B2');
  });

  it('checks immutable sub-attributes of a single-valued complex attribute', () => {
    const before = thing({ badge: { serial: 'S1', colour: 'red' } });
    expect(validateResource(thing({ badge: { serial: 'S1', colour: 'blue' } }), codeModel, { mode: 'replace', existing: before })).toBeTruthy();
    expectScimError(
      () => validateResource(thing({ badge: { serial: 's1' } }), codeModel, { mode: 'replace', existing: before }),
      'mutability',
      "'badge.serial'",
    );
  });

  it('lets group members come and go although their sub-attributes are immutable', () => {
    const before = validateResource(RFC7643_GROUP, groupModel, create);
    const after = { schemas: [URN.group], displayName: 'Tour Guides', members: [{ value: 'someone-else', display: 'X' }] };
    expect(validateResource(after, groupModel, { mode: 'replace', existing: before }).members).toEqual(after.members);
  });
});

describe('hostile input', () => {
  it('treats __proto__ and constructor as unknown attributes, without prototype pollution', () => {
    const input = JSON.parse(`{"schemas":["${URN.user}"],"userName":"a","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"name":{"__proto__":{"polluted":true}}}`);
    expectScimError(() => validateResource(input, userModel, create), 'invalidSyntax', /__proto__|constructor/);
    const out = validateResource(input, userModel, { mode: 'create', compat: LENIENT });
    expect(out).toEqual({ schemas: [URN.user], userName: 'a' });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as JsonObject).polluted).toBeUndefined();
  });

  it('answers very deep nesting with a ScimError', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { value: deep };
    for (const input of [user({ name: { givenName: deep } }), user({ displayName: deep }), user({ emails: [deep] }), user({ nope: deep })]) {
      expect(failure(() => validateResource(input, userModel, create)).status).toBe(400);
      expect(failure(() => validateResource(input, userModel, { mode: 'create', compat: { ...STRICT, complexFromScalar: true } })).status).toBe(400);
    }
    let deepArray: unknown = [];
    for (let i = 0; i < 100_000; i++) deepArray = [deepArray];
    expect(failure(() => validateResource(user({ emails: deepArray }), userModel, create)).scimType).toBe('invalidValue');
  });

  it('answers huge arrays with a ScimError', () => {
    const huge = new Array(MAX_VALUES + 1).fill({ value: 'a@b.c' });
    expectScimError(() => validateResource(user({ emails: huge }), userModel, create), 'invalidValue', /at most/);
    expectScimError(() => validateResource({ schemas: new Array(MAX_VALUES + 1).fill(URN.user), userName: 'a' }, userModel, create), 'invalidValue');
    const members = Array.from({ length: 20_000 }, (_, i) => ({ value: `u${i}` }));
    expect((validateResource({ schemas: [URN.group], displayName: 'big', members }, groupModel, create).members as unknown[]).length).toBe(20_000);
  });

  it('quotes long strings and keys briefly in errors', () => {
    const error = failure(() => coerceAttributeValue('x'.repeat(1_000_000), defineAttribute('t', { type: 'dateTime' }), 't'));
    expect(error.detail.length).toBeLessThan(200);
    expect(failure(() => validateResource(user({ ['k'.repeat(1_000_000)]: 1 }), userModel, create)).detail.length).toBeLessThan(400);
    expect(failure(() => validateResource({ schemas: [URN.user, 'u'.repeat(1_000_000)] }, userModel, create)).detail.length).toBeLessThan(400);
  });
});

describe('group members', () => {
  it('validates members and their canonical types loosely (canonicalValues are suggestions)', () => {
    const out = validateResource({ schemas: [URN.group], displayName: 'g', members: [{ value: '1', type: 'Robot' }] }, groupModel, create);
    expect(out.members).toEqual([{ value: '1', type: 'Robot' }]);
    expect(GROUP_SCHEMA.attributes[0]!.name).toBe('displayName');
  });
});

describe('type labels (RFC 7643 §2.4, §4.1.2, §7)', () => {
  const CERT =
    'MIIBizCCATGgAwIBAgIUYtDBBvTqvZx9QBiJohPueBhXDyIwCgYIKoZIzj0EAwIwGjEYMBYGA1UEAwwPc2NpbXVsYXRvciB0ZXN0MCAXDTI2MTIwMzE2NDAzM1oYDzIxMjYxMTA5MTY0MDMzWjAaMRgwFgYDVQQDDA9zY2ltdWxhdG9yIHRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASCoZkHiVlL+y7QUt52XKu0fRkitJVe2XrfsGeX7oIiDVkH+F/gDeghAYO8LfKOoSTDErDaycfM95x3BqGoe276o1MwUTAdBgNVHQ4EFgQUmIJ7iihuKYzEWEUprpQfm5VoxGswHwYDVR0jBBgwFoAUmIJ7iihuKYzEWEUprpQfm5VoxGswDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiB3t1SZWYQOIPp4EajZEMD2oEiyHe47v10FOZyC1UaCwAIhAINOkgdQSFnpxneJkbDaoHtAw4XDteYnOY/+ut6ZhfRH';

  it('roles, entitlements and x509Certificates have no canonical types: any label is kept', () => {
    const values = {
      roles: [{ value: 'Faculty', type: 'WindowsAzureActiveDirectoryRole', primary: true }, { value: 'Student', type: 'campus:2024 intake' }],
      entitlements: [{ value: 'vpn', type: 'Network Access' }],
      x509Certificates: [{ value: CERT, type: 'signing-2024' }],
    };
    for (const attribute of ['roles', 'entitlements', 'x509Certificates']) {
      const definition = USER_SCHEMA.attributes.find((a) => a.name === attribute)!;
      const type = definition.subAttributes!.find((s) => s.name === 'type')!;
      expect(type.canonicalValues ?? [], attribute).toEqual([]);
    }
    expect(validateResource(user(values), userModel, create)).toMatchObject(values);
  });

  it('canonical types of emails and phoneNumbers are suggestions: another label is kept, not refused', () => {
    const values = {
      emails: [{ value: 'ada@example.com', type: 'Alumni' }],
      phoneNumbers: [{ value: 'tel:+1-201-555-0123', type: 'satellite' }],
    };
    expect(validateResource(user(values), userModel, create)).toMatchObject(values);
  });
});
