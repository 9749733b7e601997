import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../scim/patch/apply.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import { URN } from '../../../scim/schema/urns.js';

const BABS = '2819c223-7f76-453a-919d-413861904646';
const JAMES = '08e1d05d-121c-4561-8b96-473d93df9210';
const babsMember = { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS}`, value: BABS };
const jamesMember = { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES}`, value: JAMES };

const patch = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });

function group(members: unknown[] = []) {
  return {
    schemas: [URN.group],
    id: 'acbf3ae7-8463-4692-b4fd-9b4da3f908ce',
    displayName: 'Tour Guides',
    ...(members.length ? { members } : {}),
    meta: { resourceType: 'Group', version: 'W/"1"' },
  };
}

function user(extra: Record<string, unknown> = {}) {
  return {
    schemas: [URN.user],
    id: BABS,
    userName: 'bjensen',
    name: { familyName: 'Jensen', givenName: 'Barbara' },
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    addresses: [
      { type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', primary: true },
      { type: 'home', streetAddress: '456 Hollywood Blvd', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA' },
    ],
    meta: { resourceType: 'User', version: 'W/"1"' },
    ...extra,
  };
}

describe('RFC 7644 §3.5.2.1 add', () => {
  it('adds a member to a group', () => {
    const result = applyPatch(group(), patch({ op: 'add', path: 'members', value: [babsMember] }), groupModel);
    expect(result.members).toEqual([babsMember]);
  });

  it('adding a member that is already there changes nothing', () => {
    const before = group([babsMember]);
    const result = applyPatch(before, patch({ op: 'add', path: 'members', value: [{ value: BABS }] }), groupModel);
    expect(result.members).toEqual([babsMember]);
  });

  it('path-less add appends to emails and sets nickName', () => {
    const result = applyPatch(
      user({ emails: [{ value: 'bjensen@example.com', type: 'work' }] }),
      patch({ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }),
      userModel,
    );
    expect(result.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work' },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
    expect(result.nickName).toBe('Babs');
    expect(result).not.toHaveProperty('nickname');
  });

  it('add on a single-valued attribute that has a value replaces it', () => {
    const result = applyPatch(user({ nickName: 'B' }), patch({ op: 'add', path: 'nickName', value: 'Babs' }), userModel);
    expect(result.nickName).toBe('Babs');
  });

  it('add on a complex attribute merges sub-attributes', () => {
    const result = applyPatch(user(), patch({ op: 'add', path: 'name', value: { middleName: 'Jane' } }), userModel);
    expect(result.name).toEqual({ familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane' });
  });

  it('adding an extension attribute creates the extension and lists its schema', () => {
    const result = applyPatch(
      user(),
      patch({ op: 'add', path: `${URN.enterpriseUser}:employeeNumber`, value: '701984' }),
      userModel,
    );
    expect(result[URN.enterpriseUser]).toEqual({ employeeNumber: '701984' });
    expect(result.schemas).toEqual([URN.user, URN.enterpriseUser]);
  });

  it('add with the whole extension as path merges its attributes', () => {
    const result = applyPatch(
      user({ schemas: [URN.user, URN.enterpriseUser], [URN.enterpriseUser]: { department: 'Tour Operations' } }),
      patch({ op: 'add', path: URN.enterpriseUser, value: { employeeNumber: '701984' } }),
      userModel,
    );
    expect(result[URN.enterpriseUser]).toEqual({ department: 'Tour Operations', employeeNumber: '701984' });
  });

  it('adding a primary email makes the other emails non-primary', () => {
    const result = applyPatch(
      user(),
      patch({ op: 'add', path: 'emails', value: [{ value: 'new@example.com', type: 'other', primary: true }] }),
      userModel,
    );
    const emails = result.emails as { value: string; primary?: boolean }[];
    expect(emails.filter((e) => e.primary === true).map((e) => e.value)).toEqual(['new@example.com']);
  });
});

describe('RFC 7644 §3.5.2.2 remove', () => {
  it('removes all members of a group', () => {
    const result = applyPatch(group([babsMember, jamesMember]), patch({ op: 'remove', path: 'members' }), groupModel);
    expect(result).not.toHaveProperty('members');
  });

  it('removes one member by filter', () => {
    const result = applyPatch(
      group([babsMember, jamesMember]),
      patch({ op: 'remove', path: `members[value eq "${BABS}"]` }),
      groupModel,
    );
    expect(result.members).toEqual([jamesMember]);
  });

  it('removes values matching a complex filter', () => {
    const result = applyPatch(
      user(),
      patch({ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' }),
      userModel,
    );
    expect(result.emails).toEqual([{ value: 'babs@jensen.org', type: 'home' }]);
  });

  it('removes all members and adds a new list in one request', () => {
    const result = applyPatch(
      group([babsMember]),
      patch({ op: 'remove', path: 'members' }, { op: 'add', path: 'members', value: [jamesMember] }),
      groupModel,
    );
    expect(result.members).toEqual([jamesMember]);
  });

  it('removes a sub-attribute of a complex attribute', () => {
    const result = applyPatch(user(), patch({ op: 'remove', path: 'name.givenName' }), userModel);
    expect(result.name).toEqual({ familyName: 'Jensen' });
  });

  it('removing the last value leaves the attribute unassigned', () => {
    const result = applyPatch(group([babsMember]), patch({ op: 'remove', path: `members[value eq "${BABS}"]` }), groupModel);
    expect(result).not.toHaveProperty('members');
  });

  it('removing the last extension attribute drops the extension and its schema', () => {
    const result = applyPatch(
      user({ schemas: [URN.user, URN.enterpriseUser], [URN.enterpriseUser]: { department: 'Tour Operations' } }),
      patch({ op: 'remove', path: `${URN.enterpriseUser}:department` }),
      userModel,
    );
    expect(result).not.toHaveProperty(URN.enterpriseUser);
    expect(result.schemas).toEqual([URN.user]);
  });
});

describe('RFC 7644 §3.5.2.3 replace', () => {
  it('replaces all members of a group', () => {
    const result = applyPatch(group([babsMember]), patch({ op: 'replace', path: 'members', value: [jamesMember] }), groupModel);
    expect(result.members).toEqual([jamesMember]);
  });

  it('replace of members with [] empties the group', () => {
    const result = applyPatch(group([babsMember, jamesMember]), patch({ op: 'replace', path: 'members', value: [] }), groupModel);
    expect(result).not.toHaveProperty('members');
  });

  it('replaces the work address selected by a filter', () => {
    const work = {
      type: 'work',
      streetAddress: '911 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'US',
      formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
      primary: true,
    };
    const result = applyPatch(user(), patch({ op: 'replace', path: 'addresses[type eq "work"]', value: work }), userModel);
    const addresses = result.addresses as Record<string, unknown>[];
    expect(addresses[0]).toEqual(work);
    expect(addresses[1]!.type).toBe('home');
  });

  it('replaces one sub-attribute of the matching value', () => {
    const result = applyPatch(
      user(),
      patch({ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' }),
      userModel,
    );
    const addresses = result.addresses as Record<string, unknown>[];
    expect(addresses[0]!.streetAddress).toBe('1010 Broadway Ave');
    expect(addresses[0]!.locality).toBe('Hollywood');
    expect(addresses[1]!.streetAddress).toBe('456 Hollywood Blvd');
  });

  it('path-less replace replaces emails and nickName', () => {
    const emails = [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ];
    const result = applyPatch(
      user({ emails: [{ value: 'old@example.com', type: 'work' }] }),
      patch({ op: 'replace', value: { emails, nickName: 'Babs' } }),
      userModel,
    );
    expect(result.emails).toEqual(emails);
    expect(result.nickName).toBe('Babs');
  });

  it('replace on a complex attribute leaves unnamed sub-attributes alone', () => {
    const result = applyPatch(user(), patch({ op: 'replace', path: 'name', value: { givenName: 'Babs' } }), userModel);
    expect(result.name).toEqual({ familyName: 'Jensen', givenName: 'Babs' });
  });

  it('replace on an absent attribute adds it', () => {
    const result = applyPatch(user(), patch({ op: 'replace', path: 'title', value: 'Tour Guide' }), userModel);
    expect(result.title).toBe('Tour Guide');
  });

  it('Okta deactivation: path-less replace of active', () => {
    const result = applyPatch(user({ active: true }), patch({ op: 'replace', value: { active: false } }), userModel);
    expect(result.active).toBe(false);
  });

  it('setting primary through a filtered path clears the other primary', () => {
    const result = applyPatch(user(), patch({ op: 'replace', path: 'emails[type eq "home"].primary', value: true }), userModel);
    expect(result.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home', primary: true },
    ]);
  });
});

describe('PATCH leaves its input alone and applies all or nothing', () => {
  it('does not mutate the resource it is given', () => {
    const before = user();
    const copy = structuredClone(before);
    applyPatch(before, patch({ op: 'replace', path: 'name.givenName', value: 'Babs' }, { op: 'remove', path: 'emails' }), userModel);
    expect(before).toEqual(copy);
  });

  it('a failing second operation undoes nothing visible: the input is intact and an error names the operation', () => {
    const before = user();
    expect(() =>
      applyPatch(before, patch({ op: 'replace', path: 'title', value: 'x' }, { op: 'replace', path: 'nope', value: 1 }), userModel),
    ).toThrow(/Operation 2 \(replace nope\)/);
    expect(before).not.toHaveProperty('title');
  });
});
