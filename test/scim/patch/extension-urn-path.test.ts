import { describe, expect, it } from 'vitest';
import { LENIENT, STRICT, type Compat } from '../../../scim/compat.js';
import { applyPatch } from '../../../scim/patch/apply.js';
import { ENTERPRISE_USER_SCHEMA, USER_RESOURCE_TYPE, USER_SCHEMA, userModel } from '../../../scim/schema/index.js';
import type { JsonObject } from '../../../scim/schema/keys.js';
import { ResourceModel } from '../../../scim/schema/model.js';
import { URN } from '../../../scim/schema/urns.js';
import { scimError } from './scim-error.js';

/** RFC 7644 §3.5.2: a path that is a whole extension's URN targets the extension as one complex value. */

const patch = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });
const ENTERPRISE = URN.enterpriseUser;

const plain = { schemas: [URN.user], id: 'u1', userName: 'bjensen', meta: { resourceType: 'User' } };
const employed = {
  ...plain,
  schemas: [URN.user, ENTERPRISE],
  [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: 'm1', displayName: 'John Smith' } },
};

describe.each<[string, Compat]>([
  ['strict', STRICT],
  ['lenient', LENIENT],
])('a whole extension as the path (%s)', (_mode, compat) => {
  const run = (resource: JsonObject, ...ops: unknown[]) => applyPatch(resource, patch(...ops), userModel, { compat });

  it('add to a user without the extension creates it and lists its schema', () => {
    const result = run(plain, { op: 'add', path: ENTERPRISE, value: { employeeNumber: '701984', department: 'Tour Operations' } });
    expect(result[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'Tour Operations' });
    expect(result.schemas).toEqual([URN.user, ENTERPRISE]);
  });

  it('add to an existing extension sets the members given and keeps the others', () => {
    const result = run(employed, { op: 'add', path: ENTERPRISE, value: { costCenter: '4130', department: 'Theme Park' } });
    expect(result[ENTERPRISE]).toEqual({
      employeeNumber: '701984',
      costCenter: '4130',
      department: 'Theme Park',
      manager: { value: 'm1', displayName: 'John Smith' },
    });
  });

  it('replace sets the members given and leaves the others unchanged (§3.5.2.3)', () => {
    const result = run(employed, { op: 'replace', path: ENTERPRISE, value: { department: 'Sales' } });
    expect(result[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'Sales', manager: { value: 'm1', displayName: 'John Smith' } });
    expect(result.schemas).toEqual([URN.user, ENTERPRISE]);
  });

  it('replace of a user without the extension adds it', () => {
    const result = run(plain, { op: 'replace', path: ENTERPRISE, value: { department: 'Sales' } });
    expect(result[ENTERPRISE]).toEqual({ department: 'Sales' });
    expect(result.schemas).toEqual([URN.user, ENTERPRISE]);
  });

  it('replace keeps the readOnly manager.displayName of an unchanged manager, and drops it for another one', () => {
    const same = run(employed, { op: 'replace', path: ENTERPRISE, value: { manager: { value: 'm1' } } });
    expect((same[ENTERPRISE] as Record<string, unknown>).manager).toEqual({ value: 'm1', displayName: 'John Smith' });
    const other = run(employed, { op: 'replace', path: ENTERPRISE, value: { manager: { value: 'm2' } } });
    expect((other[ENTERPRISE] as Record<string, unknown>).manager).toEqual({ value: 'm2' });
  });

  it('remove clears the extension and drops its URN from schemas', () => {
    const result = run(employed, { op: 'remove', path: ENTERPRISE });
    expect(result).not.toHaveProperty(ENTERPRISE);
    expect(result.schemas).toEqual([URN.user]);
    expect(result.userName).toBe('bjensen');
  });

  it('replace with null is a remove', () => {
    const result = run(employed, { op: 'replace', path: ENTERPRISE, value: null });
    expect(result).not.toHaveProperty(ENTERPRISE);
    expect(result.schemas).toEqual([URN.user]);
  });

  it('remove of an absent extension changes nothing', () => {
    expect(run(plain, { op: 'remove', path: ENTERPRISE })).toEqual(plain);
  });

  it('the URN matches ignoring case, and the result uses its canonical spelling', () => {
    const result = run(plain, { op: 'add', path: ENTERPRISE.toLowerCase(), value: { department: 'Sales' } });
    expect(result[ENTERPRISE]).toEqual({ department: 'Sales' });
    expect(result.schemas).toEqual([URN.user, ENTERPRISE]);
  });

  it('the members of the value are type-checked', () => {
    expect(scimError(() => run(plain, { op: 'add', path: ENTERPRISE, value: { employeeNumber: 701984 } })).scimType).toBe('invalidValue');
  });

  it('a value that is not an object is invalidValue', () => {
    expect(scimError(() => run(plain, { op: 'replace', path: ENTERPRISE, value: 'Sales' })).scimType).toBe('invalidValue');
  });

  it('the same extension as a path-less value key behaves alike', () => {
    const result = run(employed, { op: 'replace', value: { [ENTERPRISE]: { department: 'Sales' } } });
    expect(result[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'Sales', manager: { value: 'm1', displayName: 'John Smith' } });
  });
});

describe('a whole required extension as the path', () => {
  const required = new ResourceModel({ ...USER_RESOURCE_TYPE, schemaExtensions: [{ schema: ENTERPRISE, required: true }] }, [
    USER_SCHEMA,
    ENTERPRISE_USER_SCHEMA,
  ]);

  it('cannot be removed (mutability), and the resource is unchanged', () => {
    const error = scimError(() => applyPatch(employed, patch({ op: 'remove', path: ENTERPRISE }), required));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('mutability');
  });

  it('can be replaced member by member', () => {
    const result = applyPatch(employed, patch({ op: 'replace', path: ENTERPRISE, value: { department: 'Sales' } }), required);
    expect(result[ENTERPRISE]).toMatchObject({ employeeNumber: '701984', department: 'Sales' });
  });
});
