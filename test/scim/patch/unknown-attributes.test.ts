import { describe, expect, it } from 'vitest';
import { STRICT, type Compat } from '../../../scim/compat.js';
import { applyPatch } from '../../../scim/patch/apply.js';
import { userModel } from '../../../scim/schema/index.js';
import { URN } from '../../../scim/schema/urns.js';
import { validateResource } from '../../../scim/validate.js';
import { scimError } from './scim-error.js';

/**
 * Attributes no schema defines are treated in PATCH as POST and PUT treat them: a member of a
 * value object is invalidSyntax when strict and dropped with ignoreUnknownAttributes; a path that
 * names one is invalidPath when strict, and its operation is skipped with ignoreUnknownAttributes.
 */

const patch = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });
const ENTERPRISE = URN.enterpriseUser;
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User';
const ignoring: Compat = { ...STRICT, ignoreUnknownAttributes: true };

const ada = {
  schemas: [URN.user],
  id: 'u1',
  userName: 'ada',
  name: { givenName: 'Ada' },
  emails: [{ value: 'ada@example.com', type: 'work' }],
  meta: { resourceType: 'User' },
};

/** Members of value objects, and what the same member does in a PUT body. */
const members: [string, unknown, Record<string, unknown>][] = [
  ['a path-less value', { op: 'add', value: { displayName: 'Ada L', shoeSize: 42 } }, { shoeSize: 42 }],
  ['a path-less value, URN-qualified', { op: 'replace', value: { displayName: 'Ada L', [`${CUSTOM}:costCode`]: 'x' } }, { [`${CUSTOM}:costCode`]: 'x' }],
  ['a path-less value, a custom extension object', { op: 'add', value: { displayName: 'Ada L', [CUSTOM]: { costCode: 'x' } } }, { [CUSTOM]: { costCode: 'x' } }],
  ['a path-less value, a key that is not an attribute name', { op: 'add', value: { displayName: 'Ada L', 'shoe size': 42 } }, { 'shoe size': 42 }],
  ['a path-less value, an unknown member of a complex attribute', { op: 'add', value: { displayName: 'Ada L', name: { shoeSize: 42 } } }, { name: { shoeSize: 42 } }],
  ['a complex attribute\'s value', { op: 'replace', path: 'name', value: { givenName: 'Augusta', shoeSize: 42 } }, { name: { shoeSize: 42 } }],
  ['a multi-valued attribute\'s value', { op: 'add', path: 'emails', value: [{ value: 'ada@home.example', colour: 'red' }] }, { emails: [{ value: 'x@y', colour: 'red' }] }],
  ['a filtered value', { op: 'replace', path: 'emails[type eq "work"]', value: { value: 'ada@work.example', type: 'work', colour: 'red' } }, { emails: [{ value: 'x@y', colour: 'red' }] }],
  ['a whole extension\'s value', { op: 'add', path: ENTERPRISE, value: { department: 'R&D', shoeSize: 42 } }, { [ENTERPRISE]: { shoeSize: 42 } }],
];

describe.each(members)('an unknown member in %s', (_where, operation, putBody) => {
  const put = { schemas: [URN.user, ENTERPRISE], userName: 'ada', ...putBody };

  it('strict: invalidSyntax, as a PUT with the same member', () => {
    expect(scimError(() => applyPatch(ada, patch(operation), userModel)).scimType).toBe('invalidSyntax');
    expect(scimError(() => validateResource(put, userModel, { mode: 'replace', existing: ada })).scimType).toBe('invalidSyntax');
  });

  it('ignoreUnknownAttributes: dropped, the rest applied, as a PUT drops it', () => {
    const result = applyPatch(ada, patch(operation), userModel, { compat: ignoring });
    expect(JSON.stringify(result)).not.toMatch(/shoe|colour|costCode|CustomExtensionName/i);
    expect(result).not.toEqual(ada);
    expect(JSON.stringify(validateResource(put, userModel, { mode: 'replace', existing: ada, compat: ignoring }))).not.toMatch(/shoe|colour|costCode/i);
  });
});

describe('a path naming no attribute', () => {
  const paths = ['shoeSize', 'name.shoeSize', 'emails[type eq "work"].colour', `${CUSTOM}:costCode`, `${ENTERPRISE}:shoeSize`];

  it.each(paths)('strict: %s is invalidPath (RFC 7644 §3.5.2)', (path) => {
    const error = scimError(() => applyPatch(ada, patch({ op: 'replace', path, value: 'x' }), userModel));
    expect(error.scimType).toBe('invalidPath');
    expect(error.message).toMatch(/^Operation 1/);
  });

  it.each(paths)('ignoreUnknownAttributes: %s is skipped, as POST and PUT drop it, and the other operations apply', (path) => {
    for (const op of ['add', 'replace', 'remove']) {
      const result = applyPatch(ada, patch({ op, path, value: 'x' }, { op: 'replace', path: 'displayName', value: 'Ada L' }), userModel, {
        compat: ignoring,
      });
      expect(result).toEqual({ ...ada, displayName: 'Ada L' });
    }
  });

  it('ignoreUnknownAttributes: a malformed path is still invalidPath', () => {
    expect(scimError(() => applyPatch(ada, patch({ op: 'add', path: 'emails[type eq', value: 'x' }), userModel, { compat: ignoring })).scimType).toBe(
      'invalidPath',
    );
  });

  it('ignoreUnknownAttributes: __proto__ and constructor keys, and a constructor path, are skipped without reaching a prototype', () => {
    const raw = '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}';
    const ops = [
      { op: 'add', value: JSON.parse(raw) },
      { op: 'add', path: 'constructor', value: { prototype: { polluted: true } } },
      { op: 'add', path: ENTERPRISE, value: JSON.parse(raw) },
    ];
    expect(applyPatch(ada, patch(...ops), userModel, { compat: ignoring })).toEqual(ada);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
