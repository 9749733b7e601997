import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { resourceJsonSchema } from '../../../scim/messages/json-schemas.js';
import { COMMON_ATTRIBUTES } from '../../../scim/schema/common.js';
import {
  CORE_SCHEMAS,
  ENTERPRISE_USER_SCHEMA,
  GROUP_RESOURCE_TYPE,
  GROUP_SCHEMA,
  groupModel,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_RESOURCE_TYPE,
  USER_SCHEMA,
  userModel,
} from '../../../scim/schema/index.js';
import { ResourceModel } from '../../../scim/schema/model.js';
import type { AttributeDefinition, SchemaDefinition } from '../../../scim/schema/types.js';
import { URN } from '../../../scim/schema/urns.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

function attr(schema: SchemaDefinition, name: string, sub?: string): AttributeDefinition {
  const top = schema.attributes.find((a) => a.name === name);
  if (!top) throw new Error(`${schema.name} has no ${name}`);
  if (sub === undefined) return top;
  const found = top.subAttributes?.find((a) => a.name === sub);
  if (!found) throw new Error(`${schema.name}.${name} has no ${sub}`);
  return found;
}

function names(list: readonly AttributeDefinition[] | undefined): string[] {
  return (list ?? []).map((a) => a.name);
}

describe('User schema (RFC 7643 §4.1, §8.7.1)', () => {
  it('has the attributes of §8.7.1 in order', () => {
    expect(names(USER_SCHEMA.attributes)).toEqual([
      'userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage',
      'locale', 'timezone', 'active', 'password', 'emails', 'phoneNumbers', 'ims', 'photos', 'addresses',
      'groups', 'entitlements', 'roles', 'x509Certificates',
    ]);
    expect(USER_SCHEMA).toMatchObject({ id: URN.user, name: 'User', description: 'User Account' });
  });

  it('userName is required, unique per server and case-insensitive', () => {
    expect(attr(USER_SCHEMA, 'userName')).toMatchObject({
      type: 'string', multiValued: false, required: true, caseExact: false,
      mutability: 'readWrite', returned: 'default', uniqueness: 'server',
    });
  });

  it('password is writeOnly and never returned', () => {
    expect(attr(USER_SCHEMA, 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never', required: false });
  });

  it('emails is multi-valued complex with canonical types work/home/other', () => {
    expect(attr(USER_SCHEMA, 'emails')).toMatchObject({ type: 'complex', multiValued: true });
    expect(names(attr(USER_SCHEMA, 'emails').subAttributes)).toEqual(['value', 'display', 'type', 'primary']);
    expect(attr(USER_SCHEMA, 'emails', 'type').canonicalValues).toEqual(['work', 'home', 'other']);
    expect(attr(USER_SCHEMA, 'emails', 'primary').type).toBe('boolean');
    expect(attr(USER_SCHEMA, 'phoneNumbers', 'type').canonicalValues).toEqual(['work', 'home', 'mobile', 'fax', 'pager', 'other']);
  });

  it('groups is readOnly down to its sub-attributes', () => {
    expect(attr(USER_SCHEMA, 'groups')).toMatchObject({ mutability: 'readOnly', multiValued: true });
    for (const sub of attr(USER_SCHEMA, 'groups').subAttributes!) expect(sub.mutability).toBe('readOnly');
    expect(attr(USER_SCHEMA, 'groups', 'type').canonicalValues).toEqual(['direct', 'indirect']);
  });

  it('types references and binaries as §8.7.1 does', () => {
    expect(attr(USER_SCHEMA, 'profileUrl')).toMatchObject({ type: 'reference', referenceTypes: ['external'] });
    expect(attr(USER_SCHEMA, 'photos', 'value')).toMatchObject({ type: 'reference', referenceTypes: ['external'] });
    expect(attr(USER_SCHEMA, 'x509Certificates', 'value').type).toBe('binary');
    expect(attr(USER_SCHEMA, 'active').type).toBe('boolean');
  });

  it('gives addresses a primary (RFC 7643 §2.4, used by the §8.2 example)', () => {
    expect(attr(USER_SCHEMA, 'addresses', 'primary').type).toBe('boolean');
  });
});

describe('Group schema (RFC 7643 §4.2)', () => {
  it('displayName is required', () => {
    expect(attr(GROUP_SCHEMA, 'displayName').required).toBe(true);
  });

  it('members sub-attributes are immutable, with display added', () => {
    expect(attr(GROUP_SCHEMA, 'members')).toMatchObject({ type: 'complex', multiValued: true, mutability: 'readWrite' });
    expect(names(attr(GROUP_SCHEMA, 'members').subAttributes)).toEqual(['value', '$ref', 'type', 'display']);
    for (const sub of attr(GROUP_SCHEMA, 'members').subAttributes!) expect(sub.mutability).toBe('immutable');
    expect(attr(GROUP_SCHEMA, 'members', '$ref').referenceTypes).toEqual(['User', 'Group']);
    expect(attr(GROUP_SCHEMA, 'members', 'type').canonicalValues).toEqual(['User', 'Group']);
  });
});

describe('Enterprise User extension (RFC 7643 §4.3)', () => {
  it('manager is complex with value, $ref and a readOnly displayName', () => {
    expect(ENTERPRISE_USER_SCHEMA).toMatchObject({ id: URN.enterpriseUser, name: 'EnterpriseUser' });
    expect(attr(ENTERPRISE_USER_SCHEMA, 'manager')).toMatchObject({ type: 'complex', multiValued: false });
    expect(names(attr(ENTERPRISE_USER_SCHEMA, 'manager').subAttributes)).toEqual(['value', '$ref', 'displayName']);
    expect(attr(ENTERPRISE_USER_SCHEMA, 'manager', 'value').mutability).toBe('readWrite');
    expect(attr(ENTERPRISE_USER_SCHEMA, 'manager', '$ref')).toMatchObject({ type: 'reference', referenceTypes: ['User'] });
    expect(attr(ENTERPRISE_USER_SCHEMA, 'manager', 'displayName').mutability).toBe('readOnly');
  });
});

describe('service provider schemas (RFC 7643 §5–§7, §8.7.2)', () => {
  it('makes every configuration attribute readOnly and requires the features', () => {
    for (const a of SERVICE_PROVIDER_CONFIG_SCHEMA.attributes) expect(a.mutability).toBe('readOnly');
    for (const name of ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag', 'authenticationSchemes']) {
      expect(attr(SERVICE_PROVIDER_CONFIG_SCHEMA, name).required).toBe(true);
    }
    expect(attr(SERVICE_PROVIDER_CONFIG_SCHEMA, 'bulk', 'maxPayloadSize').type).toBe('integer');
    expect(attr(SERVICE_PROVIDER_CONFIG_SCHEMA, 'authenticationSchemes', 'type').canonicalValues).toContain('oauthbearertoken');
  });

  it('describes resource types with a multi-valued schemaExtensions', () => {
    expect(attr(RESOURCE_TYPE_SCHEMA, 'schemaExtensions')).toMatchObject({ multiValued: true, required: false });
    expect(attr(RESOURCE_TYPE_SCHEMA, 'schema')).toMatchObject({ type: 'reference', caseExact: true, required: true });
  });

  it('describes schemas, one level of sub-attributes deep', () => {
    const subAttributes = attr(SCHEMA_SCHEMA, 'attributes', 'subAttributes');
    expect(subAttributes.subAttributes!.some((s) => s.name === 'subAttributes')).toBe(false);
    expect(subAttributes.subAttributes!.find((s) => s.name === 'referenceTypes')!.multiValued).toBe(true);
  });

  it('lists all six schemas, with unique ids', () => {
    expect(CORE_SCHEMAS.map((s) => s.id)).toEqual([
      URN.user, URN.group, URN.enterpriseUser, URN.serviceProviderConfig, URN.resourceType, URN.schema,
    ]);
  });
});

describe('every definition', () => {
  function* all(list: readonly AttributeDefinition[]): Generator<AttributeDefinition> {
    for (const a of list) {
      yield a;
      yield* all(a.subAttributes ?? []);
    }
  }

  it('is well formed: sub-attributes exactly on complex attributes, referenceTypes exactly on references, a description', () => {
    for (const schema of CORE_SCHEMAS) {
      for (const a of all(schema.attributes)) {
        expect(a.subAttributes !== undefined, `${schema.name}.${a.name}`).toBe(a.type === 'complex');
        expect(a.referenceTypes !== undefined, `${schema.name}.${a.name}`).toBe(a.type === 'reference');
        expect(a.description.length, `${schema.name}.${a.name}`).toBeGreaterThan(0);
      }
    }
  });

  it('keeps the common attributes out of the resource schemas', () => {
    const common = new Set(names(COMMON_ATTRIBUTES));
    for (const schema of [USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA]) {
      expect(schema.attributes.filter((a) => common.has(a.name))).toEqual([]);
    }
  });
});

describe('resource types and models', () => {
  it('Users at /Users with an optional Enterprise User extension, Groups at /Groups', () => {
    expect(USER_RESOURCE_TYPE).toMatchObject({ endpoint: '/Users', schema: URN.user, schemaExtensions: [{ schema: URN.enterpriseUser, required: false }] });
    expect(GROUP_RESOURCE_TYPE).toMatchObject({ endpoint: '/Groups', schema: URN.group, schemaExtensions: [] });
    expect(userModel.schemaIds).toEqual([URN.user, URN.enterpriseUser]);
    expect(groupModel.schemaIds).toEqual([URN.group]);
    expect(userModel.resolve({ uri: URN.enterpriseUser, attr: 'manager', subAttr: 'displayName' })?.subAttribute?.mutability).toBe('readOnly');
  });

  it('serialised as /Schemas resources, validate against the JSON Schema of the Schema resource type', () => {
    const schemaModel = new ResourceModel(
      { id: 'Schema', name: 'Schema', endpoint: '/Schemas', description: 'Schema', schema: URN.schema, schemaExtensions: [] },
      CORE_SCHEMAS,
    );
    const ajv = new Ajv2020({ allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(resourceJsonSchema(schemaModel));
    for (const schema of CORE_SCHEMAS) {
      const resource = { schemas: [URN.schema], ...JSON.parse(JSON.stringify(schema)), meta: { resourceType: 'Schema' } };
      expect(validate(resource), `${schema.name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });
});
