import { afterEach, describe, expect, it } from 'vitest';
import { created, LIST_EMPTY, OktaRig } from './rig.js';

/** The events of docs/okta.md: what each changes in the org, and which provisioning it triggers. */

const directory = {
  users: {
    ada: { login: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    bob: { login: 'bob@example.com', firstName: 'Bob', lastName: 'Kahn' },
    eve: { login: 'eve@example.com', status: 'SUSPENDED' },
  },
  groups: { eng: { name: 'Engineering', members: ['ada', 'bob', 'eve'] }, ops: { members: ['ada'] } },
};

let rig: OktaRig;
afterEach(async () => rig?.close());

function target(settings: Record<string, unknown> = {}): OktaRig {
  rig = new OktaRig({ settings, directory });
  let n = 0;
  rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', (sent) => created(`u${++n}`)(sent));
  rig.on('GET', /^\/Users\/u\d$/, (sent) => ({ status: 200, body: { id: sent.path.slice(7), active: true } }));
  rig.on('PATCH', /^\/Users\/u\d$/, { status: 204 }).on('PUT', /^\/Users\/u\d$/, { status: 200, body: {} });
  return rig;
}

const posts = () => rig.lines().filter((l) => l === 'POST /Users').length;

describe('assignments (Okta ref §4, §6)', () => {
  it('a group assignment provisions each active member once; a suspended member gets nothing (Okta ref §13.16)', async () => {
    target();
    await rig.perform('assign', { group: 'eng' });
    expect(posts()).toBe(2);
    expect(rig.records().map((r) => r.user)).toEqual(['ada', 'bob']);
    rig.clear();
    await rig.perform('assign', 'ada');
    await rig.perform('assign', { group: 'ops' });
    expect(rig.sent).toEqual([]);
  });

  it('{ user, via } assigns the group the user belongs to', async () => {
    target();
    await rig.perform('assign', { user: 'ada', via: 'ops' });
    expect(rig.records()).toMatchObject([{ user: 'ada', status: 'success' }]);
    await expect(rig.perform('assign', { user: 'bob', via: 'ops' })).rejects.toThrow('bob is not a member of ops');
  });

  it('unassigning deprovisions only when no other assignment remains', async () => {
    target();
    await rig.perform('assign', 'ada');
    await rig.perform('assign', { group: 'ops' });
    rig.clear();
    await rig.perform('unassign', 'ada');
    expect(rig.sent).toEqual([]);
    await rig.perform('unassign', { group: 'ops' });
    expect(rig.lines()).toEqual(['GET /Users/u1', 'PATCH /Users/u1']);
  });

  it('leaving an assigning group deprovisions; joining one provisions', async () => {
    target();
    await rig.perform('assign', { group: 'ops' });
    await rig.perform('remove-member', { group: 'ops', user: 'ada' });
    expect(rig.records().map((r) => r.eventType)).toEqual(['application.provision.user.push', 'application.provision.user.deactivate']);
    rig.clear();
    await rig.perform('add-member', { group: 'ops', user: 'ada' });
    expect(rig.lines().map((l) => l.split('?')[0])).toEqual(['GET /Users', 'POST /Users']);
  });

  it('re-assignment after unassignment runs the create flow again, filter first (Okta ref §13.22)', async () => {
    target();
    await rig.perform('assign', 'ada');
    await rig.perform('unassign', 'ada');
    rig.clear();
    await rig.perform('assign', 'ada');
    expect(rig.lines()[0]).toMatch(/^GET \/Users\?filter=/);
  });

  it('Deactivate Users off: unassigning sends nothing', async () => {
    target({ provisioningFeatures: { deactivateUsers: false } });
    await rig.perform('assign', 'ada');
    rig.clear();
    await rig.perform('unassign', 'ada');
    expect(rig.sent).toEqual([]);
  });
});

describe('the Okta user lifecycle (Okta ref §6, §7)', () => {
  it('suspend and unsuspend send nothing; changes of a suspended user are not pushed (Okta ref §13.16)', async () => {
    target();
    await rig.perform('assign', 'ada');
    rig.clear();
    await rig.perform('suspend', 'ada');
    await rig.perform('update', { user: 'ada', set: { title: 'Countess' } });
    await rig.perform('unsuspend', 'ada');
    expect(rig.sent).toEqual([]);
    expect(rig.records()).toEqual([]);
  });

  it('deleting a deactivated user sends nothing; deleting an active one deactivates it first', async () => {
    target();
    await rig.perform('assign', 'ada');
    await rig.perform('deactivate', 'ada');
    rig.clear();
    await rig.perform('delete', 'ada');
    expect(rig.sent).toEqual([]);
    await rig.perform('assign', 'bob');
    rig.clear();
    await rig.perform('delete', 'bob');
    expect(rig.lines()).toEqual(['GET /Users/u2', 'PATCH /Users/u2']);
    expect(rig.simulator.targetOf('bob')).toBe('/Users/u2');
    await expect(rig.perform('assign', 'bob')).rejects.toThrow('"bob" is not a user in directory.users');
  });

  it('a reactivated user comes back by itself only when assigned through a group (S22 C9293)', async () => {
    target();
    await rig.perform('assign', 'ada');
    await rig.perform('deactivate', 'ada');
    rig.clear();
    await rig.perform('reactivate', 'ada');
    expect(rig.sent).toEqual([]);
    await rig.perform('assign', { group: 'ops' });
    await rig.perform('deactivate', 'ada');
    rig.clear();
    await rig.perform('reactivate', 'ada');
    expect(rig.lines()).toEqual(['GET /Users/u2', 'PATCH /Users/u2', 'PUT /Users/u2']);
  });

  it('status rules are checked', async () => {
    target();
    await expect(rig.perform('reactivate', 'ada')).rejects.toThrow('reactivate needs a user whose status is DEPROVISIONED; ada is ACTIVE');
    await expect(rig.perform('suspend', 'eve')).rejects.toThrow('eve is SUSPENDED');
  });
});

describe('Group Push preconditions (Okta ref §10)', () => {
  it('only provisioned members are pushed; a non-member joining a pushed group is pushed once provisioned', async () => {
    target({ groupRenameOnMembershipUpdate: false });
    rig.on('GET', /^\/Groups\?filter=/, LIST_EMPTY).on('POST', '/Groups', { status: 201, body: { id: 'g1' } }).on('PATCH', '/Groups/g1', { status: 204 });
    await rig.perform('assign', 'ada');
    await rig.perform('push-group', 'eng');
    const add = JSON.parse(rig.sent.at(-1)!.body!) as { Operations: { value: unknown }[] };
    expect(add.Operations[0]!.value).toEqual([{ value: 'u1', display: 'ada@example.com' }]);
  });

  it('a link needs the group in the app; Push Groups off refuses the event', async () => {
    target();
    rig.on('GET', /^\/Groups\?filter=/, LIST_EMPTY);
    await rig.perform('push-group', { group: 'eng', match: 'link' });
    expect(rig.records()).toEqual([
      {
        eventType: 'application.provision.group.add',
        group: 'eng',
        status: 'failure',
        message: 'Unable to update Group Push mapping target App group Engineering: No group named Engineering was found in the app to link to',
      },
    ]);
    await rig.close();
    target({ provisioningFeatures: { pushGroups: false } });
    await expect(rig.perform('push-group', 'eng')).rejects.toThrow('push-group needs settings.provisioningFeatures.pushGroups: true');
    await expect(rig.perform('push-now', 'eng')).rejects.toThrow('push-now needs settings.provisioningFeatures.pushGroups: true');
  });

  it('Push Now of a group that was never pushed is a step error', async () => {
    target();
    await expect(rig.perform('push-now', 'eng')).rejects.toThrow('eng is not pushed: push it first (push-group: eng)');
  });
});

describe('clock, mistakes and setup', () => {
  it('advance moves the virtual clock', async () => {
    target();
    const before = Date.parse(rig.simulator.now());
    await rig.perform('advance', '1h30m');
    expect(Date.parse(rig.simulator.now()) - before).toBe(5_400_000);
    await expect(rig.perform('advance', 'soon')).rejects.toThrow('advance takes a duration such as 90s, 5m, 1h30m, got "soon"');
  });

  it.each([
    ['asign', 'ada', 'asign is not an Okta event: did you mean assign?'],
    ['assign', 'zed', '"zed" is not a user in directory.users (ada, bob, eve)'],
    ['assign', { usr: 'ada' }, 'unknown key usr in assign: write assign: { user, group, via }'],
    ['update', { user: 'ada' }, 'update needs set: write update: { user, set }'],
    ['import-users', 'now', 'import-users takes no argument'],
    ['unlink-group', { group: 'eng', delete: 'yes' }, 'unlink-group: delete must be true'],
  ])('%s %j: %s', async (action, args, message) => {
    target();
    await expect(rig.perform(action, args)).rejects.toThrow(message);
  });

  it('a mistake in the settings or the directory is the first event\'s error', async () => {
    rig = new OktaRig({ settings: { variant: 'classic' } });
    await expect(rig.perform('test-credentials')).rejects.toThrow('settings.variant must be one of oin, aiw, got "classic"');
    await rig.close();
    rig = new OktaRig({ directory: { users: { ada: { userName: 'ada@example.com' } } } });
    await expect(rig.perform('assign', 'ada')).rejects.toThrow('directory.users.ada needs login, the Okta username (ada@example.com) (Okta calls the username login; userName is what the target gets)');
  });
});
