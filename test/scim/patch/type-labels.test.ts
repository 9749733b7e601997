import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../scim/patch/apply.js';
import { userModel } from '../../../scim/schema/index.js';
import { URN } from '../../../scim/schema/urns.js';

/** RFC 7643 §4.1.2: roles and entitlements have no canonical types, so any `type` label is a value like another. */

const patch = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });
const ada = { schemas: [URN.user], id: 'u1', userName: 'ada', roles: [{ value: 'Faculty', type: 'campus:north' }], meta: { resourceType: 'User' } };

describe('PATCH of multi-valued attributes without canonical types', () => {
  it('adds roles and entitlements with any type, and selects them by it', () => {
    const result = applyPatch(
      ada,
      patch(
        { op: 'add', path: 'roles', value: [{ value: 'Admin', type: 'WindowsAzureActiveDirectoryRole', primary: true }] },
        { op: 'add', value: { entitlements: [{ value: 'vpn', type: 'Network Access' }] } },
        { op: 'replace', path: 'roles[type eq "campus:north"].value', value: 'Student' },
      ),
      userModel,
    );
    expect(result.roles).toEqual([
      { value: 'Student', type: 'campus:north' },
      { value: 'Admin', type: 'WindowsAzureActiveDirectoryRole', primary: true },
    ]);
    expect(result.entitlements).toEqual([{ value: 'vpn', type: 'Network Access' }]);
  });
});
