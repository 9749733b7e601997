import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { OktaContext } from '../../../../harness/idp/okta/context.js';
import { EVENTS } from '../../../../harness/idp/okta/events.js';
import * as users from '../../../../harness/idp/okta/users.js';
import { IDPS } from '../../../../harness/idp/registry.js';
import { runScenarios } from '../../../../harness/runner/run.js';
import { describeMutations, problems, scenarioLibrary, withSettings, type Mutation } from '../../runner/scenario-mutations.js';

/**
 * The Okta scenarios of issue 16's "documented behaviour no scenario exercises" that need no fault
 * and show no failure (those are in test/harness/runner/fault-scenarios.test.ts and
 * failure-scenarios.test.ts): each passes on the embedded reference server, and FAILS when the
 * simulator does the wrong thing — a documented setting turned the other way, or a test-only patch
 * of one event.
 */

const OIN = join(import.meta.dirname, '../../../../scenarios/okta/oin');
const FILES = ['force-sync-and-provision-user', 'push-group-batches', 'push-now-pathless-replace', 'scheduled-import'];
const library = scenarioLibrary(FILES.map((file) => join(OIN, `${file}.yaml`)));

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
    const result = await runScenarios(library.all(), { idps: IDPS });
    expect(result.scenarios.map((s) => s.id).sort()).toEqual(Object.keys(MUTATIONS).sort());
    expect(problems(result)).toEqual([]);
  });
});

describeMutations(MUTATIONS, library.byId);
