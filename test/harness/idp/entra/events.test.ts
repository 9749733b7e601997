import { afterEach, describe, expect, it } from 'vitest';
import { answerProbes, EntraRig } from './rig.js';

/** The scenario events of docs/entra.md: what they accept, and errors that say what to write. */

let rig: EntraRig;
afterEach(async () => rig?.close());

const directory = {
  users: { adele: { userPrincipalName: 'adele@contoso.com' }, megan: { userPrincipalName: 'megan@contoso.com' } },
  groups: { sales: { displayName: 'Sales', members: ['adele'] } },
  assignments: ['adele'],
};

describe('Entra events', () => {
  it.each([
    ['assign', 'adele', 'adele is already assigned to the app'],
    ['assign', 'nobody', '"nobody" is not a user in directory.users (adele, megan)'],
    ['assign', { user: 'adele', group: 'sales' }, 'assign takes a user or a group'],
    ['unassign', 'megan', 'megan is not assigned to the app directly'],
    ['update', { user: 'adele' }, 'update needs set: write update: { user, group, set }'],
    ['update', { user: 'adele', set: { accountEnabled: false } }, 'update cannot set accountEnabled: use the disable and enable events'],
    ['update', { user: 'adele', set: { manager: 'adele' } }, 'update: manager must name another user of directory.users, got "adele"'],
    ['enable', 'adele', 'adele is already enabled (accountEnabled: true)'],
    ['restore', 'adele', 'adele is active; only a soft-deleted user can be restored'],
    ['add-member', { group: 'sales', user: 'adele' }, 'adele is already a member of sales'],
    ['cycle', 'full', 'cycle takes initial or incremental, got "full"'],
    ['cycle', 'incremental', 'no initial cycle has completed yet: run cycle: initial first'],
    ['advance', '40 minutes', 'advance takes a duration such as 40m, 6h, 30d, 1h30m, got "40 minutes"'],
    ['restart', 'now', 'restart takes no argument, or { resetScope: [Full] }'],
    ['allow-deletes', null, 'allow-deletes: no deletion is held back'],
    ['set-secret-token', 42, "set-secret-token takes a token, or null for the run's credentials, got 42"],
  ])('%s %j: %s', async (action, args, message) => {
    rig = new EntraRig({ directory });
    await expect(rig.perform(action, args)).rejects.toThrow(message);
    expect(rig.sent).toEqual([]);
  });

  it('directory events send nothing until a cycle runs; a second initial cycle is refused', async () => {
    rig = answerProbes(new EntraRig({ settings: { provisionGroups: false }, directory }));
    await rig.perform('cycle', 'initial');
    rig.clear();
    await rig.perform('assign', { group: 'sales' });
    await rig.perform('update', { group: 'sales', set: { displayName: 'Sales 2' } });
    await rig.perform('disable', 'megan');
    await rig.perform('soft-delete', 'megan');
    expect(rig.sent).toEqual([]);
    await expect(rig.perform('cycle', 'initial')).rejects.toThrow('the initial cycle has run; restart runs a new one');
  });

  it('advance before any cycle runs the initial cycle, which was due when the job started', async () => {
    rig = answerProbes(new EntraRig({ settings: { provisionGroups: false } }));
    await rig.perform('advance', '1m');
    expect(rig.transcript.exchanges.map((e) => e.virtualTime)).toEqual(['2026-01-05T09:00:00.000Z']);
    expect(rig.statuses()).toEqual([{ code: 'Active', nextCycle: '2026-01-05T09:40:00.000Z' }]);
    expect(rig.simulator.now()).toBe('2026-01-05T09:01:00.000Z');
  });
});
