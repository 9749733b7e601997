import { eventFields, noEventArgument } from '../event-arguments.js';
import type { OktaContext } from './context.js';
import * as users from './users.js';

/*
 * The admin's user actions around provisioning (Okta ref §4, §5, §11): enabling provisioning, Force
 * Sync on the To App page, Provision User on the Assignments tab for a user assigned before
 * provisioning was enabled, and Retry Selected on the failed tasks.
 */

function needsProvisioning(ctx: OktaContext, event: string): void {
  if (!ctx.org.provisioningEnabled) throw new Error(`${event} needs provisioning enabled: add an enable-provisioning step first, or leave settings.provisioningEnabled at true`);
}

/** Turns provisioning on. Okta sends nothing: users assigned before stay unprovisioned until Provision User (Okta ref §4). */
export async function enableProvisioning(ctx: OktaContext, args: unknown): Promise<void> {
  noEventArgument('enable-provisioning', args);
  if (ctx.org.provisioningEnabled) throw new Error('provisioning is already enabled (settings.provisioningEnabled is true unless the scenario sets it to false)');
  ctx.org.provisioningEnabled = true;
}

/**
 * Force Sync: the profile of every provisioned, active, assigned user is pushed as a profile update
 * (Okta ref §5: "also Force Sync"); users assigned before provisioning was enabled are not created
 * (Okta ref §4, S14).
 */
export async function forceSync(ctx: OktaContext, args: unknown): Promise<void> {
  noEventArgument('force-sync', args);
  needsProvisioning(ctx, 'force-sync');
  const { org } = ctx;
  for (const name of [...org.appUsers.keys()]) {
    const user = org.users.get(name);
    if (user?.status === 'ACTIVE' && org.isAssigned(name)) await users.pushProfile(ctx, user, new Set(Object.keys(user.profile)));
  }
}

/** Provision User: the create flow for an assigned user Okta has not provisioned (Okta ref §4). */
export async function provisionUser(ctx: OktaContext, args: unknown): Promise<void> {
  const { user } = eventFields('provision-user', args, ['user'], ['user'], 'user');
  needsProvisioning(ctx, 'provision-user');
  const { org } = ctx;
  const oktaUser = org.user(user);
  if (!org.isAssigned(oktaUser.name)) throw new Error(`provision-user needs a user assigned to the app; ${oktaUser.name} is not: assign it first`);
  if (org.appUsers.has(oktaUser.name)) throw new Error(`${oktaUser.name} is already provisioned`);
  if (oktaUser.status !== 'ACTIVE') throw new Error(`provision-user needs an active user; ${oktaUser.name} is ${oktaUser.status}`);
  await users.provision(ctx, oktaUser);
}

/**
 * Retry Selected on Dashboard → Tasks, for every failed assignment task: failures other than a 429
 * are not retried by Okta but wait as tasks the admin retries (Okta ref §11, §12). A task whose
 * user is no longer assigned and active has left the list. That the retry runs the whole create
 * flow again, lookup first, is inferred: the task is the user's provisioning, which starts with the
 * lookup (Okta ref §4.1). With no failed task, nothing is sent.
 */
export async function retryTasks(ctx: OktaContext, args: unknown): Promise<void> {
  noEventArgument('retry-tasks', args);
  needsProvisioning(ctx, 'retry-tasks');
  const { org } = ctx;
  const failed = [...org.failedAssignments];
  org.failedAssignments.clear();
  for (const name of failed) {
    const user = org.users.get(name);
    if (user?.status === 'ACTIVE' && org.isAssigned(name) && !org.appUsers.has(name)) await users.provision(ctx, user);
  }
}
