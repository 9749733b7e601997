import { describe, expect, it } from 'vitest';
import { OktaOrg } from '../../../../harness/idp/okta/directory.js';
import { leavesOf, mergeLeaves } from '../../../../harness/idp/okta/mapping.js';
import { OKTA_DEFAULTS } from '../../../../harness/idp/okta/settings.js';

describe('the directory (docs/okta.md)', () => {
  it('users get 20-character 00u ids from the seed and their name, and Okta profile defaults', () => {
    const org = new OktaOrg({ users: { ada: { login: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', department: 'R&D' } } }, 'seed-1');
    const ada = org.user('ada');
    expect(ada.id).toMatch(/^00u[0-9A-Za-z]{17}$/);
    expect(new OktaOrg({ users: { ada: { login: 'x@example.com' } } }, 'seed-1').user('ada').id).toBe(ada.id);
    expect(new OktaOrg({ users: { ada: { login: 'x@example.com' } } }, 'seed-2').user('ada').id).not.toBe(ada.id);
    expect(ada).toMatchObject({
      status: 'ACTIVE',
      profile: { login: 'ada@example.com', email: 'ada@example.com', displayName: 'Ada Lovelace', locale: 'en-US', firstName: 'Ada', department: 'R&D' },
    });
    expect(org.fullName(ada)).toBe('Ada Lovelace');
    expect(org.appUsername(ada, { ...OKTA_DEFAULTS, appUsernameFormat: 'email' })).toBe('ada@example.com');
  });

  it('groups get 00g ids, a name (the key by default) and members from the users', () => {
    const org = new OktaOrg({ users: { ada: { login: 'a@x.io' } }, groups: { eng: { members: ['ada', 'ada'] }, ops: { id: '00gabcdefghijklmnopq', name: 'Operations' } } }, 's');
    expect(org.group('eng')).toMatchObject({ displayName: 'eng', members: ['ada'] });
    expect(org.group('eng').id).toMatch(/^00g[0-9A-Za-z]{17}$/);
    expect(org.group('ops')).toMatchObject({ id: '00gabcdefghijklmnopq', displayName: 'Operations', members: [] });
  });

  it.each([
    [{ users: [] }, 'directory.users must be a mapping of names to profiles'],
    [{ users: { ada: { login: 'a@x.io', id: '00u123' } } }, 'directory.users.ada.id must be an Okta user id: 00u and 17 letters or digits, got "00u123"'],
    [{ users: { ada: { login: 'a@x.io', status: 'LOCKED_OUT' } } }, 'directory.users.ada.status must be one of ACTIVE, SUSPENDED, DEPROVISIONED'],
    [{ groups: { eng: { members: ['zed'] } } }, 'directory.groups.eng.members must list user names from directory.users (none), got ["zed"]'],
    [{ groups: { eng: { displayName: 'Eng' } } }, 'unknown key displayName in directory.groups.eng: an Okta group has id, name, members'],
    [{ assignments: {} }, 'unknown key assignments in directory: the Okta directory has users and groups'],
    [
      { users: { a: { login: 'a@x.io', id: '00uaaaaaaaaaaaaaaaaa' }, b: { login: 'b@x.io', id: '00uaaaaaaaaaaaaaaaaa' } } },
      'directory: b and a have the same id 00uaaaaaaaaaaaaaaaaa',
    ],
  ])('%j is refused', (directory, message) => {
    expect(() => new OktaOrg(directory, 's')).toThrow(message);
  });
});

describe('the read-modify-write merge (Okta ref §5.1)', () => {
  const LOGIN = { appUsername: 'login', extended: false } as const;

  it('keeps the server keys in place and their case, adds new ones at the end, sets active and groups: []', () => {
    const server = { id: '1', UserName: 'old@x.io', Name: { GivenName: 'Old' }, Active: false, meta: { version: 'W/"3"' } };
    const merged = mergeLeaves(server, leavesOf({ login: 'new@x.io', firstName: 'New', title: 'Dr' }, LOGIN, new Set(['login', 'firstName', 'title'])), 'omit', true);
    expect(JSON.stringify(merged)).toBe('{"id":"1","UserName":"new@x.io","Name":{"GivenName":"New"},"Active":true,"meta":{"version":"W/\\"3\\""},"title":"Dr","groups":[]}');
    expect(server.UserName).toBe('old@x.io');
  });

  it('changes the primary email in place and keeps the other entries', () => {
    const server = { emails: [{ value: 'home@x.io', type: 'home' }, { value: 'old@x.io', type: 'work', primary: true, display: 'Old' }] };
    const merged = mergeLeaves(server, leavesOf({ email: 'new@x.io' }, LOGIN, new Set(['email'])), 'omit', true);
    expect(merged.emails).toEqual([{ value: 'home@x.io', type: 'home' }, { value: 'new@x.io', type: 'work', primary: true, display: 'Old' }]);
  });

  it('a __proto__ key from the server stays data', () => {
    const server = JSON.parse('{"__proto__":{"polluted":true},"id":"1"}') as Record<string, unknown>;
    const merged = mergeLeaves(server, [], 'omit', true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(merged)).toEqual(['__proto__', 'id', 'active', 'groups']);
  });
});
