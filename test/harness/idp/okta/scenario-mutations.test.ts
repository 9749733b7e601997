import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OktaContext } from '../../../../harness/idp/okta/context.js';
import { EVENTS } from '../../../../harness/idp/okta/events.js';
import * as users from '../../../../harness/idp/okta/users.js';
import { IDPS } from '../../../../harness/idp/registry.js';
import { runScenarios } from '../../../../harness/runner/run.js';
import { loadScenarios } from '../../../../harness/scenario/load.js';
import type { Scenario } from '../../../../harness/types.js';
import { describeMutations, failedChecks, withSettings, type Mutation } from '../../runner/scenario-mutations.js';

/**
 * The Okta scenarios of issue 16's "documented behaviour no scenario exercises" that need no fault
 * (those that do are in test/harness/runner/fault-scenarios.test.ts): each passes on the embedded
 * reference server, and FAILS when the simulator does the wrong thing — a documented setting
 * turned the other way, or a test-only patch of one event.
 */

const OIN = join(import.meta.dirname, '../../../../scenarios/okta/oin');
const FILES = ['create-users-off', 'force-sync-and-provision-user', 'push-group-batches', 'push-now-pathless-replace', 'scheduled-import'];
let library: Scenario[];

beforeAll(async () => {
  const { scenarios, errors } = await loadScenarios(
    FILES.map((file) => join(OIN, `${file}.yaml`)),
    { idps: IDPS },
  );
  expect(errors.map(String)).toEqual([]);
  library = scenarios;
});

afterEach(() => {
  vi.restoreAllMocks();
});

const byId = (id: string): Scenario => library.find((s) => s.id === id)!;

/** An event, patched to also create the assigned users Okta has not provisioned (Okta ref §4 says neither does). */
function createsWaitingUsers(event: 'force-sync' | 'enable-provisioning'): () => void {
  return () => {
    const original = EVENTS[event]!;
    vi.spyOn(EVENTS, event).mockImplementation(async (ctx: OktaContext, args: unknown) => {
      await original(ctx, args);
      for (const user of ctx.org.users.values()) if (ctx.org.isAssigned(user.name) && !ctx.org.appUsers.has(user.name)) await users.provision(ctx, user);
    });
  };
}

/** Force Sync, patched to send nothing. */
function forceSyncSendsNothing(): void {
  vi.spyOn(EVENTS, 'force-sync').mockResolvedValue(undefined);
}

const MUTATIONS: Record<string, Mutation[]> = {
  'okta.oin.create-users-off': [{ what: 'creates the user anyway (createUsers: true)', scenario: withSettings({ provisioningFeatures: { createUsers: true } }), fails: ['sent', 'outcome[0]'] }],
  'okta.oin.force-sync-and-provision-user': [
    { what: 'provisions the users assigned before when provisioning is enabled', patch: createsWaitingUsers('enable-provisioning'), fails: ['sent'] },
    { what: 'creates the waiting user on Force Sync', patch: createsWaitingUsers('force-sync'), fails: ['sent'] },
    { what: 'sends nothing on Force Sync', patch: forceSyncSendsNothing, fails: ['sent', 'outcome[0]'] },
  ],
  'okta.oin.push-group-batches': [{ what: 'puts every member in one PATCH (groupPatchBatchSize: 100)', scenario: withSettings({ groupPatchBatchSize: 100 }), fails: ['sent'] }],
  'okta.oin.scheduled-import': [{ what: 'runs no scheduled import (importSchedule: never)', scenario: withSettings({ importSchedule: 'never' }), fails: ['outcome[0]'] }],
  'okta.oin.push-now-pathless-replace': [{ what: 'sends Push Now with path: members (pathlessMembersReplace: false)', scenario: withSettings({ pathlessMembersReplace: false }), fails: ['sent[9]'] }],
};

describe('Okta scenarios without faults (issue 16)', () => {
  it('each passes as it is', async () => {
    const result = await runScenarios(library, { idps: IDPS });
    expect(result.scenarios.map((s) => `${s.id}: ${s.status} ${failedChecks(s).map((c) => c.message).join('; ')}`)).toEqual(library.map((s) => `${s.id}: passed `));
  });
});

describeMutations(MUTATIONS, byId);
