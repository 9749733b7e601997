import { describe, expect, it } from 'vitest';
import { EntraTenant } from '../../../../harness/idp/entra/directory.js';
import { buildMappings, matchingOrder, readTarget } from '../../../../harness/idp/entra/mapping.js';
import { ENTRA_DEFAULTS, readEntraSettings } from '../../../../harness/idp/entra/settings.js';
import { createEntraSimulator } from '../../../../harness/idp/entra/simulator.js';
import type { Scenario } from '../../../../harness/types.js';

/** Settings, mappings and the directory: defaults from Entra ref §1, §8, §12, and errors that say what to write. */

describe('readEntraSettings', () => {
  it('defaults: legacy dialect, assigned scope, groups on, and the §12 suggestions', () => {
    const settings = readEntraSettings(undefined);
    expect(settings).toEqual({ ...ENTRA_DEFAULTS, targetObjectActions: ENTRA_DEFAULTS.targetObjectActions });
    expect(settings).toMatchObject({
      flags: [],
      scope: 'assigned',
      provisionGroups: true,
      incrementalLookup: 'get-by-id',
      groupProbe: true,
      memberBatchSize: 20,
      requestsPerSecond: 10,
      throttling: 'escrow',
      retryAfterAttempts: 5,
      retryAfterMaxSeconds: 300,
      deleteNotFound: 'invalid-anchor',
      escrowRetryCycles: [1, 2, 4, 8, 16, 36],
      foldSingleAttribute: false,
      managerInCreate: false,
      activeStringInCreate: false,
      deleteGroupsOnScopeExit: true,
      adscimGroupSchema: true,
      escrowThresholds: { minimum: 5000, proportion: 0.4, total: 40000, absolute: 60000 },
    });
    expect(settings.accidentalDeletionThreshold).toBeUndefined();
  });

  it('reads the structured settings over the defaults', () => {
    const settings = readEntraSettings({
      flags: 'aadOptscim062020',
      scopingFilter: [{ attribute: 'department', operator: 'EQUALS', value: 'Retail' }],
      targetObjectActions: { users: { delete: false } },
      escrowThresholds: { minimum: 3, proportion: 0.5 },
      userMappings: { title: null, externalId: { source: 'objectId', matching: 2 } },
    });
    expect(settings.flags).toEqual(['aadOptscim062020']);
    expect(settings.targetObjectActions).toEqual({ users: { create: true, update: true, delete: false }, groups: { create: true, update: true, delete: true } });
    expect(settings.escrowThresholds).toEqual({ minimum: 3, proportion: 0.5, total: 40000, absolute: 60000 });
  });

  it.each([
    [{ scope: 'everyone' }, 'settings.scope must be one of assigned, all, got "everyone"'],
    [{ flags: ['aadOptscim2020'] }, "settings.flags[0] must be one of aadOptscim062020, AzureAdScimPatch062020, AzureAdScimPatch2017, got \"aadOptscim2020\": did you mean 'aadOptscim062020'?"],
    [{ flags: 2020 }, 'settings.flags must be aadOptscim062020, AzureAdScimPatch062020 or AzureAdScimPatch2017 or a list of aadOptscim062020, AzureAdScimPatch062020, AzureAdScimPatch2017, got 2020'],
    [{ flags: ['aadOptscim062020', 'AzureAdScimPatch2017'] }, 'AzureAdScimPatch2017 downgrades to the legacy dialect'],
    [{ memberBatchSize: 0 }, 'settings.memberBatchSize must be a positive integer, got 0'],
    [{ scopeFilter: [] }, "unknown setting scopeFilter for the Entra simulator: did you mean 'scopingFilter'? (see docs/entra.md)"],
    [{ scopingFilter: [{ attribute: 'department', operator: 'EQUALS' }] }, 'settings.scopingFilter[0]: EQUALS needs value, as text'],
    [{ scopingFilter: [{ attribute: 'x', operator: 'LIKE', value: 'y' }] }, 'settings.scopingFilter[0].operator must be one of EQUALS'],
    [{ scopingFilter: [{ attribute: 'x', operator: 'IS NULL', value: 'y' }] }, 'settings.scopingFilter[0]: IS NULL takes no value'],
    [{ scopingFilter: [{ attribute: 'x', operator: 'REGEX MATCH', value: '(' }] }, 'settings.scopingFilter[0].value is not a regular expression'],
    [{ scopingFilter: [{ operator: 'IS NULL' }] }, "settings.scopingFilter[0] needs 'attribute'"],
    [{ targetObjectActions: { users: { remove: false } } }, 'unknown setting targetObjectActions.users.remove for the Entra simulator; known: create, update, delete (see docs/entra.md)'],
    [{ escrowThresholds: { proportion: 40 } }, 'settings.escrowThresholds.proportion must be a number between 0 and 1, got 40'],
    [{ accidentalDeletionThreshold: 0 }, 'settings.accidentalDeletionThreshold must be a positive integer, got 0'],
    [{ escrowRetryCycles: [] }, 'settings.escrowRetryCycles needs at least one interval, such as [1] for a retry at every cycle'],
    [{ escrowRetryCycles: [1, 0] }, 'settings.escrowRetryCycles[1] must be a positive integer, got 0'],
    [{ retryAfterAttempts: 0 }, 'settings.retryAfterAttempts must be a positive integer, got 0'],
    [{ userMappings: { title: { source: 'jobTitle', constant: 'x' } } }, 'settings.userMappings.title takes a source or a constant, not both'],
    [{ userMappings: { title: { matching: 0 } } }, 'settings.userMappings.title.matching must be a positive integer or false, got 0'],
    [{ userMappings: { title: { matching: true } } }, 'settings.userMappings.title.matching must be one of false, got true'],
    [{ userMappings: { title: { apply: 'sometimes' } } }, 'settings.userMappings.title.apply must be one of always, on-create, got "sometimes"'],
    [{ groupMappings: { members: 'none' } }, 'settings.groupMappings.members must be null or a mapping { source, constant, matching, apply, default }, got "none"'],
  ])('%j is refused: %s', (raw, message) => {
    expect(() => readEntraSettings(raw)).toThrow(message);
  });
});

describe('buildMappings (Entra ref §1.2)', () => {
  it('the default user mappings, userName matching first, manager a reference', () => {
    const mappings = buildMappings('users', {});
    expect(mappings.map((m) => m.target)).toEqual([
      'userName',
      'active',
      'displayName',
      'title',
      'emails[type eq "work"].value',
      'preferredLanguage',
      'name.givenName',
      'name.familyName',
      'name.formatted',
      'addresses[type eq "work"].formatted',
      'addresses[type eq "work"].streetAddress',
      'addresses[type eq "work"].locality',
      'addresses[type eq "work"].region',
      'addresses[type eq "work"].postalCode',
      'addresses[type eq "work"].country',
      'phoneNumbers[type eq "work"].value',
      'phoneNumbers[type eq "mobile"].value',
      'phoneNumbers[type eq "fax"].value',
      'externalId',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
    ]);
    expect(matchingOrder(mappings).map((m) => m.target)).toEqual(['userName']);
    expect(buildMappings('groups', {}).map((m) => [m.target, m.source, m.matching])).toEqual([
      ['displayName', 'displayName', 1],
      ['externalId', 'objectId', undefined],
      ['members', 'members', undefined],
    ]);
  });

  it('edits: externalId from objectId, matching precedence, a removed mapping, a new one', () => {
    const mappings = buildMappings('users', { externalId: { source: 'objectId', matching: 1 }, userName: { matching: 2 }, title: null, nickName: { constant: 'x' } });
    expect(matchingOrder(mappings).map((m) => m.target)).toEqual(['externalId', 'userName']);
    expect(mappings.find((m) => m.target === 'externalId')).toMatchObject({ source: 'objectId' });
    expect(mappings.some((m) => m.target === 'title')).toBe(false);
    expect(mappings.at(-1)).toEqual({ target: 'nickName', constant: 'x', apply: 'always' });
  });

  it.each([
    [{ nickname: null }, 'nickname is not a default mapping, so it cannot be removed'],
    [{ 'emails[type work].value': { source: 'mail' } }, 'is not a target attribute Entra can map to'],
    [{ nickName: { apply: 'on-create' } }, 'settings.userMappings.nickName is a new mapping: give it a source or a constant'],
    [{ externalId: { matching: 1 } }, 'two matching attributes have the same precedence'],
    [{ userName: { matching: false } }, 'no matching attribute is left'],
  ])('%j is refused: %s', (edits, message) => {
    expect(() => buildMappings('users', edits as never)).toThrow(message);
  });

  it('reads target values at Entra paths: filtered elements, sub-attributes, extension URNs', () => {
    const resource = { name: { givenName: 'Ada' }, emails: [{ type: 'home', value: 'h' }, { type: 'Work', value: 'w' }], 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R' } };
    expect(readTarget(resource, 'name.givenName')).toBe('Ada');
    expect(readTarget(resource, 'emails[type eq "work"].value')).toBe('w');
    expect(readTarget(resource, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department')).toBe('R');
    expect(readTarget(resource, 'title')).toBeUndefined();
  });
});

describe('the directory (Entra ref §1.2)', () => {
  it('users get a deterministic objectId, accountEnabled true and mailNickname from the UPN', () => {
    const tenant = new EntraTenant({ users: { adele: { userPrincipalName: 'adele@contoso.com' } } }, 'seed');
    const adele = tenant.user('adele');
    expect(adele.objectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new EntraTenant({ users: { adele: { userPrincipalName: 'x@y' } } }, 'seed').user('adele').objectId).toBe(adele.objectId);
    expect(adele.properties).toMatchObject({ accountEnabled: true, mailNickname: 'adele', userPrincipalName: 'adele@contoso.com' });
  });

  it.each([
    [{ users: { a: { userName: 'a@x' } } }, 'directory.users.a needs userPrincipalName (adele@contoso.com) (Entra calls it userPrincipalName; userName is what the target gets)'],
    [{ users: { a: { userPrincipalName: 'a@x', manager: 'b' } } }, 'directory.users.a.manager must name another user of directory.users, got "b"'],
    [{ users: { a: { userPrincipalName: 'a@x' } }, groups: { g: { members: ['b'] } } }, 'directory.groups.g.members must list names of other users and groups of the directory (a), got ["b"]'],
    [{ groups: { g: { members: ['g'] }, h: {} } }, 'directory.groups.g.members must list names of other users and groups of the directory (h), got ["g"]'],
    [{ users: { a: { userPrincipalName: 'a@x' } }, assignments: ['z'] }, 'directory.assignments: "z" is not a user or group of the directory'],
    [{ people: {} }, 'unknown key people in directory: the Entra directory has users, groups and assignments'],
    [{ users: { a: { userPrincipalName: 'a@x', accountEnabled: 'no' } } }, 'directory.users.a.accountEnabled must be true or false'],
  ])('%j is refused: %s', (directory, message) => {
    expect(() => new EntraTenant(directory, 'seed')).toThrow(message);
  });

  it('a mistake in settings or directory is the first event\'s error; an unknown event suggests the right one', async () => {
    const scenario = (settings: Record<string, unknown>): Scenario => ({
      id: 'entra.t',
      title: 't',
      refs: [],
      tags: [],
      requires: [],
      covers: [],
      idp: 'entra',
      settings,
      steps: [],
      source: { file: 'x', line: 1, column: 1 },
    });
    const run = {} as never;
    const step = (action: string) => ({ kind: 'idp' as const, action, args: 'initial', source: { file: 'x', line: 1, column: 1 } });
    await expect(createEntraSimulator(scenario({ scope: 'x' })).perform(step('cycle'), run)).rejects.toThrow('settings.scope must be one of');
    await expect(createEntraSimulator(scenario({})).perform(step('cycel'), run)).rejects.toThrow('cycel is not an Entra event: did you mean cycle?');
  });
});
