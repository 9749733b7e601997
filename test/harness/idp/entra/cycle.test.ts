import { afterEach, describe, expect, it } from 'vitest';
import { FakeTarget } from './fake-target.js';
import { answerProbes, EntraRig, list, scimError } from './rig.js';

/** The cycle engine of Entra ref §5 against an in-memory conforming target, with faults where a test adds them. */

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let rig: EntraRig;
let target: FakeTarget;
afterEach(async () => rig?.close());

const users = {
  adele: { userPrincipalName: 'adele@contoso.com', givenName: 'Adele', surname: 'Vance', jobTitle: 'Retail Manager' },
  megan: { userPrincipalName: 'megan@contoso.com', givenName: 'Megan', surname: 'Bowen' },
};

/** A rig with the fake target behind any routes `faults` adds first. */
function setUp(settings: Record<string, unknown>, directory: Record<string, unknown>, faults: (r: EntraRig) => void = () => {}): EntraRig {
  rig = answerProbes(new EntraRig({ settings, directory }));
  faults(rig);
  target = new FakeTarget();
  target.install(rig);
  return rig;
}

/** The random-GUID user probe (Entra ref §3). */
const PROBE = /^GET \/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}%22$/;
const requests = (r: EntraRig) => r.lines().filter((l) => !/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/.test(l));

describe('the initial cycle (Entra ref §5.2)', () => {
  it('probes, matches and creates users in order, links managers in a second pass, then groups and their members; reports Active', async () => {
    setUp(
      {},
      {
        users: { ...users, adele: { ...users.adele, manager: 'megan' } },
        groups: { sales: { displayName: 'Sales', members: ['adele', 'megan'] } },
        assignments: ['sales'],
      },
    );
    await rig.perform('cycle', 'initial');
    expect(rig.lines()[0]).toMatch(/^GET \/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}%22$/);
    expect(rig.lines()[1]).toMatch(/^GET \/Groups\?excludedAttributes=members&filter=displayName\+eq\+%22[0-9a-f-]{36}%22$/);
    expect(requests(rig)).toEqual([
      'GET /Users?filter=userName+eq+%22adele%40contoso.com%22',
      'POST /Users',
      'GET /Users?filter=userName+eq+%22megan%40contoso.com%22',
      'POST /Users',
      'PATCH /Users/u1',
      'GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Sales%22',
      'POST /Groups',
      'PATCH /Groups/g3',
    ]);
    expect(target.users.get('u1')![ENTERPRISE]).toEqual({ manager: { value: 'u2' } });
    expect(target.groups.get('g3')!.members).toEqual([{ value: 'u1' }, { value: 'u2' }]);
    expect(rig.logs().map((r) => [r.user ?? r.group, r.action, r.status])).toEqual([
      ['adele', 'Create', 'Success'],
      ['megan', 'Create', 'Success'],
      ['adele', 'Update', 'Success'],
      ['sales', 'Create', 'Success'],
    ]);
    expect(rig.statuses()).toEqual([{ code: 'Active', nextCycle: '2026-01-05T09:40:00.000Z' }]);
  });

  it('a match links the existing user and updates only what differs (§5.2 step 5)', async () => {
    setUp({ provisionGroups: false }, { users, assignments: ['adele'] });
    target.users.set('x1', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'x1', userName: 'adele@contoso.com', externalId: 'adele', active: true, name: { givenName: 'Adele', familyName: 'Vance', formatted: 'Adele Vance' } });
    await rig.perform('cycle', 'initial');
    expect(requests(rig)).toEqual(['GET /Users?filter=userName+eq+%22adele%40contoso.com%22', 'PATCH /Users/x1']);
    expect(JSON.parse(rig.writes()[0]!.body!).Operations).toEqual([{ op: 'Add', path: 'title', value: 'Retail Manager' }]);
    expect(rig.logs()[0]).toMatchObject({ user: 'adele', action: 'Update', status: 'Success', modifiedProperties: [{ displayName: 'title', oldValue: null, newValue: 'Retail Manager' }] });
  });

  it('with several matching attributes, queries in precedence order until one matches (§6.1)', async () => {
    setUp({ provisionGroups: false, userMappings: { externalId: { matching: 2 } } }, { users, assignments: ['adele'] });
    target.users.set('x1', { id: 'x1', userName: 'old@contoso.com', externalId: 'adele', active: true });
    await rig.perform('cycle', 'initial');
    expect(requests(rig).slice(0, 3)).toEqual(['GET /Users?filter=userName+eq+%22adele%40contoso.com%22', 'GET /Users?filter=externalId+eq+%22adele%22', 'PATCH /Users/x1']);
  });

  it('more than one match is DuplicateTargetEntries (§6.1)', async () => {
    setUp({ provisionGroups: false }, { users, assignments: ['adele'] }, (r) => r.on('GET', /^\/Users\?filter=userName\+eq\+%22adele/, list([{ id: 'a' }, { id: 'b' }])));
    await rig.perform('cycle', 'initial');
    expect(rig.writes()).toEqual([]);
    expect(rig.logs()[0]).toMatchObject({ action: 'Other', status: 'Failure', errorCode: 'DuplicateTargetEntries' });
  });

  it('a user without a value for the matching attribute is skipped with ImportSkipped (§6.1)', async () => {
    setUp({ provisionGroups: false, userMappings: { userName: { matching: false }, externalId: { source: 'employeeId', matching: 1 } } }, { users, assignments: ['adele'] });
    await rig.perform('cycle', 'initial');
    expect(rig.writes()).toEqual([]);
    expect(rig.logs()[0]).toMatchObject({ status: 'Skipped', errorCode: 'ImportSkipped' });
  });

  it('a disabled user is never created (§10.20); with "Sync all", users outside the scoping filter are Skipped (§5.2 step 2)', async () => {
    setUp(
      { provisionGroups: false, scope: 'all', scopingFilter: [{ attribute: 'jobTitle', operator: 'IS NOT NULL' }] },
      { users: { ...users, blocked: { userPrincipalName: 'blocked@contoso.com', jobTitle: 'X', accountEnabled: false } } },
    );
    await rig.perform('cycle', 'initial');
    expect(rig.writes().map((w) => w.method)).toEqual(['POST']);
    expect(rig.logs().map((r) => [r.user, r.action, r.status, r.errorCode])).toEqual([
      ['adele', 'Create', 'Success', undefined],
      ['megan', 'Other', 'Skipped', 'EntrySynchronizationSkipped'],
      ['blocked', 'Other', 'Skipped', 'NotEffectivelyEntitled'],
    ]);
  });

  it('B2B guests: #EXT# and the tenant domain are stripped from the UPN (§1.2)', async () => {
    setUp({ provisionGroups: false }, { users: { guest: { userPrincipalName: 'ada_example.com#EXT#@contoso.onmicrosoft.com' } }, assignments: ['guest'] });
    await rig.perform('cycle', 'initial');
    expect(requests(rig)[0]).toBe('GET /Users?filter=userName+eq+%22ada_example.com%22');
    expect(JSON.parse(rig.writes()[0]!.body!).userName).toBe('ada_example.com');
  });

  it('apply on-create only and default-if-null are used when creating, never in updates (§1.2)', async () => {
    setUp({ provisionGroups: false, userMappings: { title: { apply: 'on-create', default: 'Staff' }, displayName: { default: 'Nobody' } } }, { users: { megan: users.megan }, assignments: ['megan'] });
    await rig.perform('cycle', 'initial');
    expect(JSON.parse(rig.writes()[0]!.body!)).toMatchObject({ title: 'Staff', displayName: 'Nobody' });
    await rig.perform('update', { user: 'megan', set: { jobTitle: 'CEO' } });
    rig.clear();
    await rig.perform('advance', '40m');
    expect(rig.writes()).toEqual([]);
    expect(rig.logs()[0]).toMatchObject({ action: 'Other', status: 'Skipped', errorCode: 'RedundantExport' });
  });
});

describe('incremental cycles (Entra ref §5.3)', () => {
  async function provisioned(settings: Record<string, unknown> = {}): Promise<EntraRig> {
    setUp({ provisionGroups: false, ...settings }, { users, assignments: ['adele', 'megan'] });
    await rig.perform('cycle', 'initial');
    rig.clear();
    return rig;
  }

  it('run every 40 minutes and process only what changed since the watermark, reading linked users by id', async () => {
    await provisioned();
    await rig.perform('update', { user: 'megan', set: { jobTitle: 'CEO' } });
    await rig.perform('advance', '39m');
    expect(rig.sent).toEqual([]);
    await rig.perform('advance', '1m');
    expect(requests(rig)).toEqual(['GET /Users/u2', 'PATCH /Users/u2']);
    expect(rig.transcript.exchanges.at(-3)!.virtualTime).toBe('2026-01-05T09:40:00.000Z');
  });

  it('converge: a cycle with no source changes sends only its probe; a restart re-reads everyone and writes nothing to a conforming target', async () => {
    await provisioned();
    await rig.perform('advance', '2h');
    expect(rig.lines()).toEqual([expect.stringMatching(PROBE), expect.stringMatching(PROBE), expect.stringMatching(PROBE)]);
    rig.clear();
    await rig.perform('restart');
    expect(rig.writes()).toEqual([]);
    expect(requests(rig)).toEqual(['GET /Users/u1', 'GET /Users/u2']);
    expect(rig.logs().map((r) => [r.action, r.status, r.errorCode])).toEqual([
      ['Other', 'Skipped', 'RedundantExport'],
      ['Other', 'Skipped', 'RedundantExport'],
    ]);
  });

  it('every cycle opens with the probe, one with nothing to do as well (§3: "each cycle"), at the 40-minute marks', async () => {
    await provisioned();
    await rig.perform('advance', '80m');
    expect(rig.lines()).toEqual([expect.stringMatching(PROBE), expect.stringMatching(PROBE)]);
    expect(rig.transcript.exchanges.slice(-2).map((e) => e.virtualTime)).toEqual(['2026-01-05T09:40:00.000Z', '2026-01-05T10:20:00.000Z']);
    expect(rig.logs()).toEqual([]);
  });

  it('a target that drops a value is re-sent it at every evaluation, reported as non-convergence naming the attribute (§6.3)', async () => {
    setUp({ provisionGroups: false }, { users, assignments: ['adele'] }, (r) =>
      r.on('POST', '/Users', (sent) => target.handle({ ...sent, body: JSON.stringify({ ...JSON.parse(sent.body!), title: undefined }) })),
    );
    await rig.perform('cycle', 'initial');
    expect(rig.logs()[0]).not.toHaveProperty('nonConverging');
    for (let i = 0; i < 2; i++) {
      rig.clear();
      await rig.perform('restart');
      expect(rig.writes().map((w) => JSON.parse(w.body!).Operations)).toEqual([[{ op: 'Add', path: 'title', value: 'Retail Manager' }]]);
      expect(rig.logs()[0]).toMatchObject({ action: 'Update', status: 'Success', nonConverging: ['title'] });
      target.users.get('u1')!.title = undefined;
    }
  });

  it('unassigning disables; the user is then no longer managed, so a later hard delete sends no DELETE (§6.4, §6.5)', async () => {
    await provisioned();
    await rig.perform('unassign', 'adele');
    await rig.perform('advance', '40m');
    expect(rig.logs()[0]).toMatchObject({ user: 'adele', action: 'Disable', status: 'Success' });
    expect(target.users.get('u1')!.active).toBe(false);
    await rig.perform('hard-delete', 'adele');
    rig.clear();
    await rig.perform('advance', '40m');
    expect(rig.lines()).toEqual([expect.stringMatching(PROBE)]);
    expect(target.users.has('u1')).toBe(true);
  });

  it('soft delete disables, restore re-enables, and a hard delete of a soft-deleted user sends DELETE (§5.3 steps 7–8)', async () => {
    await provisioned();
    await rig.perform('soft-delete', 'megan');
    await rig.perform('advance', '40m');
    await rig.perform('restore', 'megan');
    await rig.perform('advance', '40m');
    await rig.perform('soft-delete', 'megan');
    await rig.perform('advance', '40m');
    await rig.perform('hard-delete', 'megan');
    await rig.perform('advance', '40m');
    expect(rig.logs().map((r) => r.action)).toEqual(['Disable', 'Update', 'Disable', 'Delete']);
    expect(requests(rig).filter((l) => !l.startsWith('GET'))).toEqual(['PATCH /Users/u2', 'PATCH /Users/u2', 'PATCH /Users/u2', 'DELETE /Users/u2']);
    expect(target.users.has('u2')).toBe(false);
  });

  it('accountEnabled=false disables with the other changed attributes in the same PATCH (§6.3, §6.4)', async () => {
    await provisioned();
    await rig.perform('update', { user: 'adele', set: { jobTitle: 'Former' } });
    await rig.perform('disable', 'adele');
    await rig.perform('advance', '40m');
    expect(JSON.parse(rig.writes()[0]!.body!).Operations).toEqual([
      { op: 'Replace', path: 'active', value: 'False' },
      { op: 'Replace', path: 'title', value: 'Former' },
    ]);
    expect(rig.logs()[0]).toMatchObject({ action: 'Disable', status: 'Success' });
  });

  it('SkipOutOfScopeDeletions: a user leaving scope is skipped, not disabled (§1.1, §6.4)', async () => {
    await provisioned({ skipOutOfScopeDeletions: true });
    await rig.perform('unassign', 'adele');
    await rig.perform('advance', '40m');
    expect(rig.writes()).toEqual([]);
    expect(rig.logs()[0]).toMatchObject({ action: 'Other', status: 'Skipped', errorCode: 'EntrySynchronizationSkipped' });
  });

  it('without the active mapping, an unassigned user is skipped as NotEffectivelyEntitled, with no PATCH (§6.4)', async () => {
    await provisioned({ userMappings: { active: null } });
    await rig.perform('unassign', 'adele');
    await rig.perform('advance', '40m');
    expect(rig.writes()).toEqual([]);
    expect(rig.logs()[0]).toMatchObject({ status: 'Skipped', errorCode: 'NotEffectivelyEntitled' });
  });

  it('target object actions: without Update nothing is patched; without Delete a hard delete sends nothing (§1.1)', async () => {
    await provisioned({ targetObjectActions: { users: { update: false, delete: false } } });
    await rig.perform('update', { user: 'adele', set: { jobTitle: 'CEO' } });
    await rig.perform('hard-delete', 'megan');
    await rig.perform('advance', '40m');
    expect(rig.writes()).toEqual([]);
    expect(rig.logs().map((r) => [r.user, r.status, r.reason])).toEqual([
      ['adele', 'Skipped', 'Update is not among the job\'s target object actions.'],
      ['megan', 'Skipped', 'Delete is not among the job\'s target object actions.'],
    ]);
  });

  it('a linked user the target no longer has is InvalidAnchor (§9)', async () => {
    await provisioned();
    target.users.delete('u1');
    await rig.perform('update', { user: 'adele', set: { jobTitle: 'CEO' } });
    await rig.perform('advance', '40m');
    expect(rig.logs()[0]).toMatchObject({ action: 'Other', status: 'Failure', errorCode: 'InvalidAnchor' });
  });

  it('a manager returned as a bare string cannot be deserialised: ServiceIncompatible (§4, §10.6)', async () => {
    await provisioned();
    target.users.get('u1')![ENTERPRISE] = { manager: 'u2' };
    await rig.perform('update', { user: 'adele', set: { jobTitle: 'CEO' } });
    await rig.perform('advance', '40m');
    expect(rig.logs()[0]).toMatchObject({ status: 'Failure', errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible' });
    expect(rig.logs()[0]!.reason).toMatch(
      /^Failed to match an entry in the source and target systems User 'adele@contoso.com'; Error: We are not able to deserialize the resource received from your SCIM endpoint because your SCIM endpoint is not fully compatible with the Azure Active Directory SCIM client\.\n/,
    );
  });

  it('a manager not provisioned on day one is not linked until a restart (§5.3 known gaps)', async () => {
    setUp({ provisionGroups: false }, { users: { ...users, adele: { ...users.adele, manager: 'megan' } }, assignments: ['adele'] });
    await rig.perform('cycle', 'initial');
    await rig.perform('assign', 'megan');
    await rig.perform('advance', '40m');
    expect(target.users.get('u1')![ENTERPRISE]).toBeUndefined();
    await rig.perform('restart');
    expect(target.users.get('u1')![ENTERPRISE]).toEqual({ manager: { value: 'u2' } });
  });
});

describe('groups (Entra ref §7)', () => {
  const directory = { users, groups: { sales: { displayName: 'Sales', members: ['adele'] } }, assignments: ['sales'] };

  it('membership changes are pushed; a member who comes back into scope is not noticed until a restart (§5.3 known gaps)', async () => {
    setUp({}, directory);
    await rig.perform('cycle', 'initial');
    await rig.perform('remove-member', { group: 'sales', user: 'adele' });
    await rig.perform('advance', '40m');
    expect(target.users.get('u1')!.active).toBe(false);
    expect(target.groups.get('g2')!.members ?? []).toEqual([]);
    await rig.perform('add-member', { group: 'sales', user: 'adele' });
    rig.clear();
    await rig.perform('advance', '40m');
    expect(target.users.get('u1')!.active).toBe(false);
    await rig.perform('restart');
    expect(target.users.get('u1')!.active).toBe(true);
  });

  it('a group returned with members despite excludedAttributes is MultipleEntriesInResponse (§9)', async () => {
    setUp({}, directory, (r) => r.on('GET', /^\/Groups\?excludedAttributes=members&filter=displayName\+eq\+%22Sales/, list([{ id: 'g9', displayName: 'Sales', members: [{ value: 'x' }] }])));
    await rig.perform('cycle', 'initial');
    expect(rig.logs()[1]).toMatchObject({ group: 'sales', status: 'Failure', errorCode: 'SystemForCrossDomainIdentityManagementMultipleEntriesInResponse' });
  });

  it('a failed member PATCH fails the group, which is retried next cycle (§5.5)', async () => {
    setUp({}, directory, (r) => r.once('PATCH', /^\/Groups\//, scimError(500, 'boom')));
    await rig.perform('cycle', 'initial');
    expect(rig.logs()[1]).toMatchObject({ group: 'sales', action: 'Update', status: 'Failure', errorCode: 'InternalServerError' });
    rig.clear();
    await rig.perform('advance', '40m');
    expect(requests(rig)).toEqual(['GET /Groups/g2?excludedAttributes=members', 'PATCH /Groups/g2']);
    expect(rig.logs()[0]).toMatchObject({ group: 'sales', action: 'Update', status: 'Success' });
  });
});

describe('nested groups (Entra ref §7.4)', () => {
  const nested = {
    users: { ...users, nestor: { userPrincipalName: 'nestor@contoso.com' } },
    groups: {
      staff: { displayName: 'Staff', members: ['adele', 'sales', 'support'] },
      sales: { displayName: 'Sales', members: ['megan'] },
      support: { displayName: 'Support', members: ['nestor'] },
    },
    assignments: ['staff', 'sales'],
  };

  it('a nested group goes as a member value once provisioned, exported before its parent; its members are not flattened, and an unassigned one brings none into scope', async () => {
    setUp({}, nested);
    await rig.perform('cycle', 'initial');
    expect(requests(rig)).toEqual([
      'GET /Users?filter=userName+eq+%22adele%40contoso.com%22',
      'POST /Users',
      'GET /Users?filter=userName+eq+%22megan%40contoso.com%22',
      'POST /Users',
      'GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Sales%22',
      'POST /Groups',
      'PATCH /Groups/g3',
      'GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Staff%22',
      'POST /Groups',
      'PATCH /Groups/g4',
    ]);
    expect(target.groups.get('g3')!.members).toEqual([{ value: 'u2' }]);
    expect(target.groups.get('g4')!.members).toEqual([{ value: 'u1' }, { value: 'g3' }]);
    expect(rig.logs().map((r) => r.user ?? r.group)).toEqual(['adele', 'megan', 'sales', 'staff']);
  });

  it('a nested group deleted in Entra leaves its parent: DELETE, and the parent forgets it', async () => {
    setUp({}, nested);
    await rig.perform('cycle', 'initial');
    await rig.perform('hard-delete', { group: 'sales' });
    rig.clear();
    await rig.perform('advance', '40m');
    expect(requests(rig)).toEqual(['DELETE /Groups/g3']);
    await rig.perform('update', { group: 'staff', set: { description: 'Everyone' } });
    rig.clear();
    await rig.perform('advance', '40m');
    expect(requests(rig)).toEqual(['GET /Groups/g4?excludedAttributes=members']);
  });
});

describe('provision on demand of a group (Entra ref §5.9)', () => {
  const five = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => [n, { userPrincipalName: `${n}@contoso.com` }]));

  it('the chosen members, then the group with those members alone, in the legacy dialect; no watermark', async () => {
    setUp({ flags: ['aadOptscim062020'] }, { users: five, groups: { team: { displayName: 'Team', members: Object.keys(five) } }, assignments: ['team'] });
    await rig.perform('provision-on-demand', { group: 'team', members: ['a', 'b'] });
    expect(requests(rig)).toEqual([
      'GET /Users?filter=userName+eq+%22a%40contoso.com%22',
      'POST /Users',
      'GET /Users?filter=userName+eq+%22b%40contoso.com%22',
      'POST /Users',
      'GET /Groups?excludedAttributes=members&filter=displayName+eq+%22Team%22',
      'POST /Groups',
      'PATCH /Groups/g3',
    ]);
    expect(JSON.parse(rig.writes().at(-1)!.body!).Operations).toEqual([{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u1' }, { $ref: null, value: 'u2' }] }]);
    expect(rig.logs().map((r) => [r.user ?? r.group, r.action, r.status, r.initiatedBy])).toEqual([
      ['a', 'Create', 'Success', 'OnDemand'],
      ['b', 'Create', 'Success', 'OnDemand'],
      ['team', 'Create', 'Success', 'OnDemand'],
    ]);
    expect(rig.statuses()).toEqual([]);
    await expect(rig.perform('cycle', 'incremental')).rejects.toThrow(/no initial cycle/);
  });

  it('more than 5 members must be chosen; members must belong to the group; an unassigned group is skipped', async () => {
    setUp({}, { users: { ...five, zoe: { userPrincipalName: 'zoe@contoso.com' } }, groups: { team: { members: Object.keys(five) }, solo: { members: ['zoe'] } }, assignments: ['team'] });
    await expect(rig.perform('provision-on-demand', 'team')).rejects.toThrow('provision-on-demand takes a group with up to 5 members (Entra ref §5.9); team has 6: choose them with members: [...]');
    await expect(rig.perform('provision-on-demand', { group: 'solo', members: ['b'] })).rejects.toThrow('b is not a member of solo');
    expect(rig.sent).toEqual([]);
    await rig.perform('provision-on-demand', 'solo');
    expect(rig.logs().map((r) => [r.user ?? r.group, r.status, r.errorCode])).toEqual([
      ['zoe', 'Skipped', 'EntrySynchronizationSkipped'],
      ['solo', 'Skipped', 'EntrySynchronizationSkipped'],
    ]);
    expect(rig.writes()).toEqual([]);
  });
});
