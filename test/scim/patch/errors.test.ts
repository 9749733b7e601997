import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../scim/patch/apply.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import { URN } from '../../../scim/schema/urns.js';
import { scimError } from './scim-error.js';

const patch = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });

const user = {
  schemas: [URN.user],
  id: 'u1',
  userName: 'bjensen',
  emails: [{ value: 'bjensen@example.com', type: 'work' }],
  meta: { resourceType: 'User' },
};

describe('PATCH errors are SCIM errors with the RFC 7644 scimType', () => {
  it.each([
    ['a body that is not an object', 'nope', 'invalidSyntax'],
    ['a body without the PatchOp schema', { Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    ['no Operations', { schemas: [URN.patchOp] }, 'invalidSyntax'],
    ['empty Operations', patch(), 'invalidSyntax'],
    ['an unknown op', patch({ op: 'move', path: 'title' }), 'invalidSyntax'],
    ['an op that is not a string', patch({ op: 1, path: 'title' }), 'invalidSyntax'],
    ['add without a value', patch({ op: 'add', path: 'title' }), 'invalidSyntax'],
    ['remove without a path', patch({ op: 'remove' }), 'noTarget'],
    ['a path that does not parse', patch({ op: 'add', path: 'emails[type eq', value: 'x' }), 'invalidPath'],
    ['a path to no attribute', patch({ op: 'add', path: 'shoeSize', value: 44 }), 'invalidPath'],
    ['a path to no sub-attribute', patch({ op: 'add', path: 'name.shoeSize', value: 44 }), 'invalidPath'],
    // No path to be invalid: refused as POST and PUT refuse the same member.
    ['a path-less value with a key no schema defines', patch({ op: 'add', value: { shoeSize: 44 } }), 'invalidSyntax'],
    ['a path-less value with a key that is not an attribute name', patch({ op: 'add', value: { 'shoe size': 44 } }), 'invalidSyntax'],
    ['a whole extension value with a member it does not define', patch({ op: 'add', path: URN.enterpriseUser, value: { shoeSize: 44 } }), 'invalidSyntax'],
    ['a filter on a single-valued attribute', patch({ op: 'replace', path: 'name[givenName eq "x"]', value: {} }), 'invalidPath'],
    ['a replace whose filter matches nothing', patch({ op: 'replace', path: 'emails[type eq "home"].value', value: 'x' }), 'noTarget'],
    ['a remove whose filter matches nothing', patch({ op: 'remove', path: 'emails[type eq "home"]' }), 'noTarget'],
    ['a readOnly attribute', patch({ op: 'replace', path: 'id', value: 'other' }), 'mutability'],
    ['a readOnly attribute in a path-less value', patch({ op: 'replace', value: { meta: {} } }), 'mutability'],
    ['removing a required attribute', patch({ op: 'remove', path: 'userName' }), 'mutability'],
    ['replacing a required attribute with null', patch({ op: 'replace', path: 'userName', value: null }), 'mutability'],
    ['a value of the wrong type', patch({ op: 'replace', path: 'active', value: 'yes' }), 'invalidValue'],
    ['a path-less value that is not an object', patch({ op: 'replace', value: 'x' }), 'invalidValue'],
    ['a string where a complex value belongs', patch({ op: 'replace', path: 'name', value: 'Babs' }), 'invalidValue'],
    ['a __proto__ path', patch({ op: 'add', path: '__proto__', value: { polluted: true } }), 'invalidPath'],
  ])('%s', (_name, body, scimType) => {
    const error = scimError(() => applyPatch(user, body, userModel));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('changing an immutable member value is a mutability error', () => {
    const group = { schemas: [URN.group], id: 'g1', displayName: 'G', members: [{ value: 'u1' }] };
    const error = scimError(() =>
      applyPatch(group, patch({ op: 'replace', path: 'members[value eq "u1"].value', value: 'u2' }), groupModel),
    );
    expect(error.scimType).toBe('mutability');
  });

  it('path-less keys named __proto__ or constructor do not reach any prototype', () => {
    const error = scimError(() =>
      applyPatch(user, patch({ op: 'add', value: JSON.parse('{"__proto__": {"polluted": true}}') }), userModel),
    );
    expect(error.scimType).toBe('invalidSyntax');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('deeply nested values give a SCIM error, not a crash', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const error = scimError(() => applyPatch(user, patch({ op: 'replace', path: 'name', value: deep }), userModel));
    expect(error.status).toBe(400);
  });

  it('the error detail names the operation that failed', () => {
    const error = scimError(() =>
      applyPatch(user, patch({ op: 'replace', path: 'title', value: 'x' }, { op: 'remove', path: 'userName' }), userModel),
    );
    expect(error.message).toMatch(/^Operation 2 \(remove userName\): /);
  });
});

describe('readOnly attributes set to the value they already have', () => {
  const group = { schemas: [URN.group], id: 'g1', displayName: 'Eng', meta: { resourceType: 'Group' } };
  it("are accepted as no change: Okta's reconciliation PATCH carries the group's own id (Okta ref §10.4)", () => {
    const result = applyPatch(group, patch({ op: 'replace', value: { id: 'g1', displayName: 'Engineering' } }), groupModel);
    expect(result).toMatchObject({ id: 'g1', displayName: 'Engineering' });
  });
  it('are still refused when the value differs', () => {
    const error = scimError(() => applyPatch(group, patch({ op: 'replace', value: { id: 'g2' } }), groupModel));
    expect(error.scimType).toBe('mutability');
  });
});
