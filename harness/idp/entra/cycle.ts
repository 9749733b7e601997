/**
 * One provisioning cycle (Entra ref §5.2–§5.3): the random-GUID probe, then each user that is due
 * (all in an initial cycle, those changed since the watermark or escrowed in an incremental one),
 * then the manager references in a second pass, then groups and their memberships. Each object
 * yields one provisioning log record (§9). The exports themselves are in export-users.ts and
 * export-groups.ts; what they share is in export-common.ts.
 */
import type { EntraGroup, EntraUser } from './directory.js';
import { CycleContext, Quarantined, type CycleEnv, type CycleOptions } from './export-common.js';
import { deletesGroup, exportGroup, groupEntry } from './export-groups.js';
import { deprovisionsUser, exportManager, exportUser, userEntry } from './export-users.js';
import { skips, type LogEntry } from './logs.js';
import { probeProblem, probeRequests } from './probe.js';
import type { JobError } from './state.js';

// What the job builds a cycle from.
export type { CycleEnv, CycleOptions };

/** How a cycle ended: its objects processed, or stopped by a problem that quarantines the job at once (Entra ref §5.6). */
export type CycleEnd = { completed: true; retrySucceeded: boolean; staged: number } | { completed: false; error: JobError };

export class Cycle {
  private readonly ctx: CycleContext;

  constructor(
    private readonly env: CycleEnv,
    private readonly options: CycleOptions,
  ) {
    this.ctx = new CycleContext(env, options);
  }

  async run(): Promise<CycleEnd> {
    const { settings } = this.env;
    const { ctx } = this;
    const users = this.dueUsers();
    const groups = settings.provisionGroups ? this.dueGroups() : [];
    // Every cycle opens with the probe, one with nothing to do as well (Entra ref §3: "each cycle and each on-demand run").
    const problem = await this.probe();
    if (problem) return { completed: false, error: problem };
    try {
      const staged = this.stage(users, groups);
      for (const user of users) if (!staged.has(`user:${user.name}`)) await exportUser(ctx, user);
      // References after every user exists in the target (Entra ref §5.2 step 6, §6.6).
      for (const linked of ctx.linked) await exportManager(ctx, linked);
      for (const group of groups) if (!staged.has(`group:${group.name}`)) await exportGroup(ctx, group);
      return { completed: true, retrySucceeded: ctx.retrySucceeded, staged: staged.size };
    } catch (error) {
      if (error instanceof Quarantined) return { completed: false, error: error.error };
      throw error;
    }
  }

  /**
   * Provision on demand (Entra ref §5.9): Test connection (shown only when it fails), then one user,
   * or one group and up to 5 of its members (the members first, as a cycle does users before
   * groups), through the same steps, in the legacy dialect whatever the flags; no escrow, no
   * watermark, no quarantine.
   */
  async onDemand(subject: { user: EntraUser } | { group: EntraGroup; members: EntraUser[] }): Promise<void> {
    const { ctx } = this;
    const { clock, tenant, settings } = this.env;
    const problem = await this.probe();
    if (problem) {
      const entry = 'user' in subject ? userEntry(ctx, subject.user) : groupEntry(ctx, subject.group);
      entry.step('TestConnection', 'Processing', 'Failure', problem.message);
      this.env.report(entry.record(clock.iso(), 'Other', 'Failure', { errorCode: problem.code, errorCategory: 'NonServiceFailure', reason: problem.message }));
      return;
    }
    for (const user of 'user' in subject ? [subject.user] : subject.members) await this.userOnDemand(user);
    for (const linked of ctx.linked) await exportManager(ctx, linked);
    if ('user' in subject) return;
    const { group, members } = subject;
    if (!tenant.groupInScope(group, settings)) {
      const entry = groupEntry(ctx, group);
      entry.step('EntryImport', 'Import', 'Success', `Retrieved Group '${entry.subject.display}' from Azure Active Directory`);
      return ctx.recordSkip(entry, skips.groupOutOfScope);
    }
    await exportGroup(ctx, group, new Set(members.map((m) => m.name)));
  }

  /** One user on demand: those disabled or deleted in Entra "can't be searched" (Entra ref §5.9). */
  private async userOnDemand(user: EntraUser): Promise<void> {
    const { ctx } = this;
    const { clock, state, tenant, settings } = this.env;
    const entry = userEntry(ctx, user);
    if (user.state !== 'active' || user.properties.accountEnabled !== true) {
      const reason = 'Provisioning on demand cannot process users disabled or deleted in Azure Active Directory: they cannot be searched.';
      this.env.report(entry.record(clock.iso(), 'Other', 'Skipped', { errorCode: 'NotEffectivelyEntitled', reason }));
      return;
    }
    const link = state.users.get(user.name);
    if (link && !link.managed && !tenant.inScope(user, settings)) return ctx.recordSkip(entry, skips.outOfScope);
    await exportUser(ctx, user);
  }

  /** The random-GUID query on the first matching attribute, and on /Groups when groups are provisioned (Entra ref §3). */
  private async probe(): Promise<JobError | undefined> {
    for (const request of probeRequests(this.env, 'probe', this.options.number)) {
      const problem = probeProblem(await this.env.transport.send(request), false);
      if (problem) return problem;
    }
    return undefined;
  }

  // --- what is due ------------------------------------------------------------------------------

  /** In an incremental cycle: changed since the watermark, held back, or escrowed and due for its retry (Entra ref §5.3, §5.5). */
  private due(object: EntraUser | EntraGroup, keys: string[]): boolean {
    const { state } = this.env;
    if (this.options.kind !== 'incremental') return true;
    const retryDue = (key: string) => (state.escrows.get(key)?.due ?? Infinity) <= this.options.began;
    return object.changed > (state.watermark ?? -1) || keys.some((key) => retryDue(key) || state.staged.has(key));
  }

  /** Users the cycle evaluates; with "Sync assigned", users never in scope are not even imported (Entra ref §5.2 step 2). */
  private dueUsers(): EntraUser[] {
    const { tenant, state, settings } = this.env;
    return [...tenant.users.values()].filter((user) => {
      if (!this.due(user, [`user:${user.name}`, `manager:${user.name}`])) return false;
      const link = state.users.get(user.name);
      if (user.state === 'hard-deleted') return link?.managed === true;
      if (tenant.inScope(user, settings)) return true;
      return link ? link.managed : settings.scope === 'all';
    });
  }

  private dueGroups(): EntraGroup[] {
    const { tenant, state, settings } = this.env;
    return tenant.groupsMembersFirst().filter((group) => {
      if (!this.due(group, [`group:${group.name}`])) return false;
      if (tenant.groupInScope(group, settings)) return true;
      return state.groups.has(group.name) && (group.deleted || settings.deleteGroupsOnScopeExit);
    });
  }

  /** Holds back every disable and delete of the cycle when they are more than the threshold (Entra ref §5.8). */
  private stage(users: EntraUser[], groups: EntraGroup[]): Set<string> {
    const { ctx } = this;
    const { settings, state } = this.env;
    const threshold = settings.accidentalDeletionThreshold;
    const deletions: { key: string; entry: () => LogEntry }[] = [
      ...users.filter((u) => deprovisionsUser(ctx, u)).map((u) => ({ key: `user:${u.name}`, entry: () => userEntry(ctx, u) })),
      ...groups.filter((g) => deletesGroup(ctx, g)).map((g) => ({ key: `group:${g.name}`, entry: () => groupEntry(ctx, g) })),
    ];
    if (threshold === undefined || this.options.forceDeletes || deletions.length <= threshold) return new Set();
    for (const deletion of deletions) {
      state.staged.add(deletion.key);
      ctx.recordSkip(deletion.entry(), skips.staged, 'StagedDelete');
    }
    return new Set(deletions.map((d) => d.key));
  }
}
