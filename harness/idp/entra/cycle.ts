import { getKey, isObject, type JsonObject } from '../../../scim/schema/keys.js';
import type { VirtualClock } from '../clock.js';
import type { EntraGroup, EntraTenant, EntraUser } from './directory.js';
import { guid } from './ids.js';
import {
  errorCodeFor,
  errors,
  exportEventName,
  failureReason,
  httpFailureReason,
  LogEntry,
  PROBE_NOT_FOUND,
  skips,
  statusName,
  type Action,
  type LogRecord,
  type Phase,
} from './logs.js';
import { MANAGER, managerOf, mappedValue, matchingOrder, readTarget, sameValue, type Mapping, type SourceView } from './mapping.js';
import type { EntraSettings } from './settings.js';
import type { GroupLink, JobState, UserLink } from './state.js';
import type { Answer, EntraTransport } from './transport.js';
import * as wire from './wire.js';

/**
 * One provisioning cycle (entra-wire §5.2–§5.3): the random-GUID probe, then each user that is due
 * (all in an initial cycle, those changed since the watermark or escrowed in an incremental one),
 * then the manager references in a second pass, then groups and their memberships. Each object
 * yields one provisioning log record (§9).
 */

export interface CycleEnv {
  settings: EntraSettings;
  tenant: EntraTenant;
  state: JobState;
  clock: VirtualClock;
  transport: EntraTransport;
  userMappings: Mapping[];
  groupMappings: Mapping[];
  seed: string;
  report(record: LogRecord): void;
}

export interface CycleOptions {
  kind: 'initial' | 'incremental' | 'on-demand';
  /** Numbers the cycle's id and probe GUIDs. */
  number: number;
  /** When a failed object is retried next: "It will be retried again after this date" (entra-wire §9). */
  nextRetry: string;
  /** Deletions go out whatever the accidental-deletion threshold says (ForceDeletes, entra-wire §5.7–§5.8). */
  forceDeletes: boolean;
}

/** How a cycle ended: its objects processed, or stopped by a problem that quarantines the job at once (entra-wire §5.6). */
export type CycleEnd = { completed: true; retrySucceeded: boolean; staged: number } | { completed: false; error: { code: string; message: string } };

const INCOMPATIBLE = 'SystemForCrossDomainIdentityManagementServiceIncompatible';
const CREDENTIALS = 'SystemForCrossDomainIdentityManagementCredentialValidationFailure';

/** An object's export failed: the phase, the §9 error code, and the answer (or the words) behind it. */
class ObjectFailed extends Error {
  constructor(
    readonly phase: Phase,
    readonly code: string,
    readonly detail: { answer: Answer } | { error: string },
  ) {
    super(code);
  }
}

/** Bad credentials in the middle of a cycle: the cycle stops and the job is quarantined (entra-wire §3, §5.6). */
class Quarantined extends Error {
  constructor(readonly error: { code: string; message: string }) {
    super(error.message);
  }
}

/** A user linked and entitled after the first pass, for the reference pass. */
interface Linked {
  user: EntraUser;
  link: UserLink;
  /** The manager id the target holds, as last read or created. */
  managerInTarget: string | undefined;
}

const isOk = (status: number) => status >= 200 && status < 300;
const bool = (value: boolean) => (value ? 'True' : 'False');

function resourceOf(answer: Answer, phase: Phase): JsonObject {
  const body = answer.json;
  if (!isObject(body)) throw new ObjectFailed(phase, INCOMPATIBLE, { error: errors.cannotDeserialize });
  if (typeof getKey(body, 'id') !== 'string') throw new ObjectFailed(phase, INCOMPATIBLE, { error: errors.noId });
  return body;
}

/** A ListResponse's resources; anything Entra cannot read fails the match (entra-wire §4: always a ListResponse). */
function resourcesOf(answer: Answer): JsonObject[] {
  const body = answer.json;
  if (!isObject(body)) throw new ObjectFailed('match', INCOMPATIBLE, { error: errors.cannotDeserialize });
  const list = getKey(body, 'Resources');
  if (list === undefined && getKey(body, 'totalResults') === 0) return [];
  if (!Array.isArray(list) || list.some((r) => !isObject(r) || typeof getKey(r, 'id') !== 'string')) {
    throw new ObjectFailed('match', INCOMPATIBLE, { error: errors.cannotDeserialize });
  }
  return list as JsonObject[];
}

/** A user as Entra reads it: a bare-string manager cannot be deserialised (entra-wire §4, §10.6). */
function readableUser(resource: JsonObject): JsonObject {
  if (managerOf(resource).bare) throw new ObjectFailed('match', INCOMPATIBLE, { error: errors.cannotDeserialize });
  return resource;
}

/** A group read with excludedAttributes=members must carry none (entra-wire §9, MultipleEntriesInResponse). */
function readableGroup(resource: JsonObject): JsonObject {
  const members = getKey(resource, 'members');
  if (Array.isArray(members) && members.length > 0) {
    throw new ObjectFailed('match', 'SystemForCrossDomainIdentityManagementMultipleEntriesInResponse', { error: errors.membersReturned });
  }
  return resource;
}

/** What the probe's answer means: nothing, or the reason to quarantine at once (entra-wire §3, §5.6). */
function probeProblem(reply: Awaited<ReturnType<EntraTransport['send']>>): { code: string; message: string } | undefined {
  if ('error' in reply) return { code: 'WebExceptionProtocolError', message: `Entra could not connect to the SCIM endpoint: ${reply.error}.` };
  if (reply.status === 401 || reply.status === 403) {
    return {
      code: CREDENTIALS,
      message: `An HTTP/${reply.status} ${statusName(reply.status)} response was returned rather than the expected HTTP/200 OK response: the Secret Token is invalid or expired.`,
    };
  }
  if (reply.status === 404) return { code: INCOMPATIBLE, message: PROBE_NOT_FOUND };
  return undefined;
}

export class Cycle {
  readonly id: string;
  private readonly dialect: wire.Dialect;
  private retrySucceeded = false;
  private readonly linked: Linked[] = [];

  constructor(
    private readonly env: CycleEnv,
    private readonly options: CycleOptions,
  ) {
    this.id = guid(env.seed, 'cycle', String(options.number));
    this.dialect = wire.dialectOf(env.settings, options.kind === 'on-demand');
  }

  async run(): Promise<CycleEnd> {
    const { settings, state } = this.env;
    const users = this.dueUsers();
    const groups = settings.provisionGroups ? this.dueGroups() : [];
    // The probe comes "at the start of any activity" (entra-wire §3); whether an incremental cycle with an
    // empty delta is activity is unverified, hence probeIdleCycles. Quarantine retries always probe.
    const idle = this.options.kind === 'incremental' && users.length === 0 && groups.length === 0 && state.code !== 'Quarantine';
    if (idle && !settings.probeIdleCycles) return { completed: true, retrySucceeded: false, staged: 0 };
    const problem = await this.probe();
    if (problem) return { completed: false, error: problem };
    try {
      const staged = this.stage(users, groups);
      for (const user of users) if (!staged.has(`user:${user.name}`)) await this.user(user);
      // References after every user exists in the target (entra-wire §5.2 step 6, §6.6).
      for (const item of this.linked) await this.reference(item);
      for (const group of groups) if (!staged.has(`group:${group.name}`)) await this.group(group);
      return { completed: true, retrySucceeded: this.retrySucceeded, staged: staged.size };
    } catch (error) {
      if (error instanceof Quarantined) return { completed: false, error: error.error };
      throw error;
    }
  }

  /**
   * Provision on demand (entra-wire §5.9): Test connection (shown only when it fails), then the one
   * user through the same steps, in the legacy dialect whatever the flags; no escrow, no watermark.
   */
  async onDemand(user: EntraUser): Promise<void> {
    const problem = await this.probe();
    const entry = this.userEntry(user);
    if (problem) {
      entry.step('TestConnection', 'Processing', 'Failure', problem.message);
      this.env.report(entry.record(this.env.clock.iso(), 'Other', 'Failure', { errorCode: problem.code, errorCategory: 'NonServiceFailure', reason: problem.message }));
      return;
    }
    if (user.state !== 'active' || user.properties.accountEnabled !== true) {
      const reason = 'Provisioning on demand cannot process users disabled or deleted in Azure Active Directory: they cannot be searched.';
      this.env.report(entry.record(this.env.clock.iso(), 'Other', 'Skipped', { errorCode: 'NotEffectivelyEntitled', reason }));
      return;
    }
    const link = this.env.state.users.get(user.name);
    if (link && !link.managed && !this.env.tenant.inScope(user, this.env.settings)) {
      this.skip(entry, skips.outOfScope);
      return;
    }
    await this.user(user);
    for (const item of this.linked) await this.reference(item);
  }

  // --- the probe --------------------------------------------------------------------------------

  /** The random-GUID query on the first matching attribute, and on /Groups when groups are provisioned (entra-wire §3). */
  private async probe(): Promise<{ code: string; message: string } | undefined> {
    const { settings, seed, transport } = this.env;
    const n = String(this.options.number);
    const checks = [wire.findUsers(matchingOrder(this.env.userMappings)[0]!.target, guid(seed, 'probe', n), settings)];
    if (settings.provisionGroups && settings.groupProbe) checks.push(wire.findGroups(matchingOrder(this.env.groupMappings)[0]!.target, guid(seed, 'group-probe', n), settings));
    for (const request of checks) {
      const problem = probeProblem(await transport.send(request));
      if (problem) return problem;
    }
    return undefined;
  }

  // --- what is due ------------------------------------------------------------------------------

  private due(object: EntraUser | EntraGroup, keys: string[]): boolean {
    const { state } = this.env;
    if (this.options.kind !== 'incremental') return true;
    return object.changed > (state.watermark ?? -1) || keys.some((key) => state.escrows.has(key) || state.staged.has(key));
  }

  /** Users the cycle evaluates; with "Sync assigned", users never in scope are not even imported (entra-wire §5.2 step 2). */
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
    return [...tenant.groups.values()].filter((group) => {
      if (!this.due(group, [`group:${group.name}`])) return false;
      if (tenant.groupInScope(group, settings)) return true;
      return state.groups.has(group.name) && (group.deleted || settings.deleteGroupsOnScopeExit);
    });
  }

  private hasActiveMapping(): boolean {
    return this.env.userMappings.some((m) => m.target === 'active');
  }

  /** Whether processing the user would disable or delete it in the target (entra-wire §5.8 counts both). */
  private deprovisions(user: EntraUser): boolean {
    const { tenant, state, settings } = this.env;
    const link = state.users.get(user.name);
    if (!link?.managed) return false;
    if (user.state === 'hard-deleted') return settings.targetObjectActions.users.delete;
    const inScope = tenant.inScope(user, settings);
    if (tenant.entitled(user, settings) || !link.active || !this.hasActiveMapping() || !settings.targetObjectActions.users.update) return false;
    return inScope || !settings.skipOutOfScopeDeletions;
  }

  /** Holds back every disable and delete of the cycle when they are more than the threshold (entra-wire §5.8). */
  private stage(users: EntraUser[], groups: EntraGroup[]): Set<string> {
    const { settings, state, tenant, clock } = this.env;
    const threshold = settings.accidentalDeletionThreshold;
    const deletions = [
      ...users.filter((u) => this.deprovisions(u)).map((u) => ({ key: `user:${u.name}`, entry: () => this.userEntry(u) })),
      ...groups.filter((g) => !tenant.groupInScope(g, settings) && settings.targetObjectActions.groups.delete).map((g) => ({ key: `group:${g.name}`, entry: () => this.groupEntry(g) })),
    ];
    if (threshold === undefined || this.options.forceDeletes || deletions.length <= threshold) return new Set();
    for (const deletion of deletions) {
      const entry = deletion.entry();
      state.staged.add(deletion.key);
      entry.step('EntrySynchronizationSkip', 'Export', 'Skipped', skips.staged.reason);
      this.env.report(entry.record(clock.iso(), 'StagedDelete', 'Skipped', skips.staged));
    }
    return new Set(deletions.map((d) => d.key));
  }

  // --- records ----------------------------------------------------------------------------------

  private userEntry(user: EntraUser): LogEntry {
    const display = String(this.env.tenant.view(user).property('userPrincipalName'));
    return new LogEntry({ type: 'User', display, name: user.name, objectId: user.objectId }, this.id, this.options.kind === 'on-demand' ? 'OnDemand' : 'System');
  }

  private groupEntry(group: EntraGroup): LogEntry {
    return new LogEntry({ type: 'Group', display: String(group.properties.displayName), name: group.name, objectId: group.objectId }, this.id, 'System');
  }

  private skip(entry: LogEntry, skip: { errorCode: string; reason: string }, action: Action = 'Other', extra: Partial<LogRecord> = {}): void {
    entry.step('EntrySynchronizationSkip', 'Export', 'Skipped', skip.reason);
    this.env.report(entry.record(this.env.clock.iso(), action, 'Skipped', { ...skip, ...extra }));
  }

  private succeeded(entry: LogEntry, key: string, action: Action, phase: Exclude<Phase, 'match'>, extra: Partial<LogRecord> = {}): void {
    const { state, clock } = this.env;
    if (state.escrows.delete(key)) this.retrySucceeded = true;
    state.staged.delete(key);
    if (this.options.kind !== 'on-demand') state.counts.successes++;
    const verb = { create: 'created in', update: 'updated in', delete: 'deleted from' }[phase];
    entry.step(exportEventName(phase), 'Export', 'Success', `${entry.subject.type} '${entry.subject.display}' was ${verb} customappsso`, undefined, phase !== 'create');
    this.env.report(entry.record(clock.iso(), action, 'Success', extra));
  }

  /** Records a failure with Entra's reason, escrows the object for the next cycle (entra-wire §5.5, §9); bad credentials quarantine at once. */
  private failed(entry: LogEntry, key: string, failure: ObjectFailed, action: Action): void {
    const { state, clock } = this.env;
    const previous = state.escrows.get(key);
    const retry = { retried: previous ? previous.retries + 1 : 0, nextRetry: this.options.nextRetry };
    if (this.options.kind !== 'on-demand') {
      state.escrows.set(key, { retries: retry.retried });
      if (key.startsWith('manager:')) state.counts.referenceFailures++;
      else state.counts.failures++;
    }
    const reason =
      'answer' in failure.detail
        ? httpFailureReason(failure.phase, entry.subject, failure.detail.answer, failure.code, retry)
        : failureReason(failure.phase, entry.subject, failure.detail.error, retry);
    const [name, type] = failure.phase === 'match' ? (['EntryImport', 'Matching'] as const) : ([exportEventName(failure.phase), 'Export'] as const);
    entry.step(name, type, 'Failure', reason, undefined, failure.phase === 'update' || failure.phase === 'delete');
    this.env.report(entry.record(clock.iso(), action, 'Failure', { errorCode: failure.code, errorCategory: 'NonServiceFailure', reason }));
    if (failure.code === CREDENTIALS && this.options.kind !== 'on-demand') throw new Quarantined({ code: CREDENTIALS, message: reason });
  }

  // --- requests ---------------------------------------------------------------------------------

  /** Sends; anything but a 2xx fails the object with the §9 code for it. */
  private async call(request: wire.WireRequest, phase: Phase): Promise<Answer> {
    const reply = await this.env.transport.send(request);
    if ('error' in reply) throw new ObjectFailed(phase, reply.timedOut ? 'Timeout' : 'WebExceptionProtocolError', { error: errors.noAnswer(reply) });
    if (!isOk(reply.status)) throw new ObjectFailed(phase, errorCodeFor(reply.status, phase), { answer: reply });
    return reply;
  }

  /**
   * Queries by each matching attribute in precedence order until one finds the object (entra-wire
   * §6.1): the match, undefined for none, `missing` when the source has no matching value at all.
   */
  private async match(
    mappings: Mapping[],
    source: SourceView,
    find: (attribute: string, value: string) => wire.WireRequest,
    entry: LogEntry,
  ): Promise<JsonObject | undefined | 'missing'> {
    let queried = false;
    for (const mapping of matchingOrder(mappings)) {
      const value = mappedValue(mapping, source, false);
      if (value === undefined) continue;
      queried = true;
      const found = resourcesOf(await this.call(find(mapping.target, String(value)), 'match'));
      if (found.length > 1) throw new ObjectFailed('match', 'DuplicateTargetEntries', { error: errors.duplicates(`${mapping.target} eq "${String(value)}"`, found.length) });
      if (found.length === 1) {
        entry.step('EntryImport', 'Matching', 'Success', `Retrieved '${entry.subject.display}' from customappsso`, { id: String(getKey(found[0]!, 'id')) });
        return found[0];
      }
    }
    if (!queried) return 'missing';
    entry.step('EntryImport', 'Matching', 'Success', `'${entry.subject.display}' was not found in customappsso`);
    return undefined;
  }

  private async read(request: wire.WireRequest, entry: LogEntry): Promise<JsonObject> {
    const resource = resourceOf(await this.call(request, 'match'), 'match');
    entry.step('EntryImport', 'Matching', 'Success', `Retrieved '${entry.subject.display}' from customappsso`, { id: String(getKey(resource, 'id')) });
    return resource;
  }

  // --- users ------------------------------------------------------------------------------------

  private sourceDetails(user: EntraUser, isSoftDeleted: boolean): Record<string, string> {
    const details: Record<string, string> = {};
    for (const [key, value] of Object.entries(user.properties)) details[key] = typeof value === 'boolean' ? bool(value) : String(value);
    details.IsSoftDeleted = bool(isSoftDeleted);
    return details;
  }

  /** The user's mapped values for a create: every mapping, "Default value if null" applied (entra-wire §1.2, §6.2). */
  private createLeaves(user: EntraUser): wire.Leaf[] {
    const view = this.env.tenant.view(user, false);
    const leaves: wire.Leaf[] = [];
    for (const mapping of this.env.userMappings) {
      if (mapping.target === MANAGER) {
        const managerId = this.managerId(user);
        if (this.env.settings.managerInCreate && managerId !== undefined) leaves.push({ target: MANAGER, value: managerId });
        continue;
      }
      const value = mappedValue(mapping, view, true);
      if (value !== undefined) leaves.push({ target: mapping.target, value });
    }
    return leaves;
  }

  /** The target id of the user's manager, once the manager is provisioned (entra-wire §6.6). */
  private managerId(user: EntraUser): string | undefined {
    const mapping = this.env.userMappings.find((m) => m.target === MANAGER);
    const manager = mapping?.source === undefined ? undefined : user.properties[mapping.source];
    return typeof manager === 'string' ? this.env.state.users.get(manager)?.id : undefined;
  }

  /**
   * What differs between Entra's values and the target's, as Add (no value there) or Replace
   * (entra-wire §6.3); nothing for a null source (§1.2), except a Remove with the old value when
   * `clearedValues` says so. Values Entra exported before and finds different again did not stick.
   */
  private diff(user: EntraUser, link: UserLink, resource: JsonObject, isSoftDeleted: boolean): { changes: wire.Change[]; nonConverging: string[] } {
    const view = this.env.tenant.view(user, isSoftDeleted);
    const changes: wire.Change[] = [];
    const nonConverging: string[] = [];
    for (const mapping of this.env.userMappings) {
      if (mapping.target === MANAGER || mapping.apply === 'on-create') continue;
      const wanted = mappedValue(mapping, view, false);
      const actual = readTarget(resource, mapping.target);
      if (wanted === undefined) {
        const removable = typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean';
        if (this.env.settings.clearedValues === 'remove-with-value' && removable && link.exported.has(mapping.target)) {
          changes.push({ target: mapping.target, op: 'Remove', value: typeof actual === 'boolean' ? actual : String(actual) });
        }
        continue;
      }
      if (sameValue(wanted, actual)) continue;
      if (link.exported.get(mapping.target) === wanted) nonConverging.push(mapping.target);
      changes.push({ target: mapping.target, op: actual === undefined ? 'Add' : 'Replace', value: wanted });
    }
    return { changes, nonConverging };
  }

  /** The first pass for one user (entra-wire §5.2 steps 3–5; §5.3 steps 3–8). */
  private async user(user: EntraUser): Promise<void> {
    const { tenant, state, settings } = this.env;
    const key = `user:${user.name}`;
    const entry = this.userEntry(user);
    let link = state.users.get(user.name);
    if (user.state === 'hard-deleted') return this.deleteUser(user, link!, entry, key);
    const inScope = tenant.inScope(user, settings);
    const entitled = tenant.entitled(user, settings);
    entry.step('EntryImport', 'Import', 'Success', `Retrieved User '${entry.subject.display}' from Azure Active Directory`, this.sourceDetails(user, !entitled));
    entry.step('EntrySynchronizationScoping', 'Scoping', inScope ? 'Success' : 'Skipped', 'Determine if User in scope by evaluating against each scoping filter', {
      IsActive: bool(user.state === 'active' && user.properties.accountEnabled === true),
      Assigned: bool(tenant.isAssigned(user)),
      IsEffectivelyEntitledForProvisioning: bool(entitled),
      IsInProvisioningScopeDisplayName: bool(inScope),
      ScopeEvaluationResult: inScope ? 'Passed' : 'Failed',
    });
    if (!link && !inScope) return this.skip(entry, skips.outOfScope);
    if (!link && !entitled) return this.skip(entry, skips.disabledNeverCreated);
    if (link && inScope) link.managed = true;
    // Without the active mapping nothing deprovisions: the user is just skipped (entra-wire §6.4, azure-docs#22948).
    if (link && !entitled && !this.hasActiveMapping()) {
      if (!inScope) link.managed = false;
      return this.skip(entry, skips.notEntitled);
    }
    if (link && !inScope && settings.skipOutOfScopeDeletions) {
      link.managed = false;
      return this.skip(entry, skips.skipOutOfScopeDeletions);
    }
    try {
      let resource: JsonObject | undefined;
      if (!link || settings.incrementalLookup === 'filter') {
        const found = await this.match(this.env.userMappings, tenant.view(user), (a, v) => wire.findUsers(a, v, settings), entry);
        if (found === 'missing') return this.skip(entry, skips.matchingValueMissing(matchingOrder(this.env.userMappings)[0]!.target));
        if (found !== undefined) {
          resource = readableUser(found);
          const id = String(getKey(found, 'id'));
          if (link?.id !== id) link = state.linkUser(user.name, id, !sameValue(false, readTarget(found, 'active')));
        }
      } else {
        resource = readableUser(await this.read(wire.getUser(link.id), entry));
      }
      if (resource === undefined) {
        if (!entitled) return this.skip(entry, skips.disabledNeverCreated);
        return await this.createUser(user, entry, key);
      }
      entry.targetId = link!.id;
      await this.updateUser(user, link!, resource, { inScope, entitled }, entry, key);
    } catch (error) {
      if (!(error instanceof ObjectFailed)) throw error;
      const action: Action = error.phase === 'create' ? 'Create' : error.phase === 'update' ? (entitled ? 'Update' : 'Disable') : 'Other';
      this.failed(entry, key, error, action);
    }
  }

  private async createUser(user: EntraUser, entry: LogEntry, key: string): Promise<void> {
    const { settings, state } = this.env;
    if (!settings.targetObjectActions.users.create) return this.skip(entry, skips.actionOff('create'));
    const leaves = this.createLeaves(user);
    const request = wire.createUser(leaves, { primaryOnAddressesAndPhones: settings.primaryOnAddressesAndPhones, activeString: settings.activeStringInCreate });
    const created = resourceOf(await this.call(request, 'create'), 'create');
    const link = state.linkUser(user.name, String(getKey(created, 'id')), true);
    for (const leaf of leaves) {
      link.exported.set(leaf.target, leaf.value);
      entry.modify(leaf.target, null, leaf.value);
    }
    entry.targetId = link.id;
    this.succeeded(entry, key, 'Create', 'create');
    this.linked.push({ user, link, managerInTarget: leaves.find((l) => l.target === MANAGER)?.value as string | undefined });
  }

  /** PATCH only what differs; a user no longer entitled gets `active` False with it (entra-wire §6.3–§6.4). */
  private async updateUser(user: EntraUser, link: UserLink, resource: JsonObject, scope: { inScope: boolean; entitled: boolean }, entry: LogEntry, key: string): Promise<void> {
    const { settings } = this.env;
    link.active = !sameValue(false, readTarget(resource, 'active'));
    const { changes, nonConverging } = this.diff(user, link, resource, !scope.entitled);
    const extra = nonConverging.length > 0 ? { nonConverging } : {};
    const managerInTarget = managerOf(resource).id;
    if (changes.length === 0) {
      if (!scope.inScope) link.managed = false;
      if (this.env.state.escrows.delete(key)) this.retrySucceeded = true;
      if (scope.entitled) this.linked.push({ user, link, managerInTarget });
      return this.skip(entry, skips.redundant('user'), 'Other', extra);
    }
    if (!settings.targetObjectActions.users.update) return this.skip(entry, skips.actionOff('update'));
    const disabling = changes.some((c) => c.target === 'active' && c.value === false);
    await this.call(wire.patchUser(link.id, changes, this.dialect), 'update');
    for (const change of changes) {
      entry.modify(change.target, readTarget(resource, change.target) ?? null, change.op === 'Remove' ? null : change.value);
      if (change.op === 'Remove') link.exported.delete(change.target);
      else link.exported.set(change.target, change.value);
      if (change.target === 'active') link.active = change.value === true;
    }
    // Disabled for leaving scope: "the service doesn't manage the user" any more (entra-wire §6.5).
    if (disabling && !scope.inScope) link.managed = false;
    this.succeeded(entry, key, disabling ? 'Disable' : 'Update', 'update', extra);
    if (scope.entitled) this.linked.push({ user, link, managerInTarget });
  }

  /** A hard delete sends DELETE when Delete is a target object action (entra-wire §5.3 step 8, §6.5). */
  private async deleteUser(user: EntraUser, link: UserLink, entry: LogEntry, key: string): Promise<void> {
    const { settings, state } = this.env;
    entry.targetId = link.id;
    entry.step('EntryImport', 'Import', 'Success', `User '${entry.subject.display}' was deleted from Azure Active Directory`);
    if (!settings.targetObjectActions.users.delete) {
      link.managed = false;
      return this.skip(entry, skips.actionOff('delete'));
    }
    try {
      await this.call(wire.deleteUser(link.id), 'delete');
    } catch (error) {
      if (!(error instanceof ObjectFailed)) throw error;
      return this.failed(entry, key, error, 'Delete');
    }
    state.users.delete(user.name);
    for (const group of state.groups.values()) group.members.delete(user.name);
    this.succeeded(entry, key, 'Delete', 'delete');
  }

  /** The manager in its own PATCH, once both users exist in the target (entra-wire §5.2 step 6, §6.6). */
  private async reference({ user, link, managerInTarget }: Linked): Promise<void> {
    const { settings, state, tenant } = this.env;
    if (!this.env.userMappings.some((m) => m.target === MANAGER)) return;
    const key = `manager:${user.name}`;
    const wanted = this.managerId(user);
    let request: wire.WireRequest;
    if (wanted !== undefined && wanted !== managerInTarget) {
      request = wire.setManager(link.id, wanted, managerInTarget === undefined ? 'Add' : 'Replace', this.dialect);
    } else if (wanted === undefined && user.properties.manager === undefined && managerInTarget !== undefined && settings.managerRemoval === 'filtered-remove') {
      request = wire.removeManager(link.id, managerInTarget, this.dialect);
    } else {
      if (state.escrows.delete(key)) this.retrySucceeded = true;
      return;
    }
    const entry = this.userEntry(user);
    entry.targetId = link.id;
    const manager = typeof user.properties.manager === 'string' ? tenant.users.get(user.properties.manager) : undefined;
    entry.step('EntryReferenceResolution', 'ReferenceResolution', 'Success', manager ? `Resolved the manager '${tenant.view(manager).property('userPrincipalName')}' to '${wanted}' in customappsso` : 'The manager was removed in Azure Active Directory');
    try {
      await this.call(request, 'update');
    } catch (error) {
      if (!(error instanceof ObjectFailed)) throw error;
      return this.failed(entry, key, error, 'Update');
    }
    entry.modify(MANAGER, managerInTarget ?? null, wanted ?? null);
    this.succeeded(entry, key, 'Update', 'update');
  }

  // --- groups -----------------------------------------------------------------------------------

  /** Groups after users: created empty, then members added by PATCH; members are never read back (entra-wire §5.2, §7). */
  private async group(group: EntraGroup): Promise<void> {
    const { tenant, state, settings } = this.env;
    const key = `group:${group.name}`;
    const entry = this.groupEntry(group);
    let link = state.groups.get(group.name);
    if (!tenant.groupInScope(group, settings)) return this.deleteGroup(group, link!, entry, key);
    entry.step('EntryImport', 'Import', 'Success', `Retrieved Group '${entry.subject.display}' from Azure Active Directory`);
    try {
      let created = false;
      const changes: wire.Change[] = [];
      if (!link || settings.incrementalLookup === 'filter') {
        const found = await this.match(this.env.groupMappings, tenant.groupView(group), (a, v) => wire.findGroups(a, v, settings), entry);
        if (found === 'missing') return this.skip(entry, skips.matchingValueMissing(matchingOrder(this.env.groupMappings)[0]!.target));
        if (found === undefined) {
          if (!settings.targetObjectActions.groups.create) return this.skip(entry, skips.actionOff('create'));
          link = await this.createGroup(group, entry);
          created = true;
        } else {
          readableGroup(found);
          const id = String(getKey(found, 'id'));
          if (link?.id !== id) link = state.linkGroup(group.name, id);
          changes.push(...this.groupDiff(group, found));
        }
      } else {
        changes.push(...this.groupDiff(group, readableGroup(await this.read(wire.getGroup(link.id), entry))));
      }
      entry.targetId = link.id;
      if (!settings.targetObjectActions.groups.update) changes.length = 0;
      if (changes.length > 0) {
        await this.call(wire.patchGroup(link.id, changes, this.dialect), 'update');
        for (const change of changes) {
          entry.modify(change.target, null, change.value);
          link.exported.set(change.target, change.value);
        }
      }
      const membersChanged = await this.members(group, link, entry);
      if (created) this.succeeded(entry, key, 'Create', 'create');
      else if (changes.length > 0 || membersChanged) this.succeeded(entry, key, 'Update', 'update');
      else {
        if (state.escrows.delete(key)) this.retrySucceeded = true;
        this.skip(entry, skips.redundant('group'));
      }
    } catch (error) {
      if (!(error instanceof ObjectFailed)) throw error;
      this.failed(entry, key, error, error.phase === 'create' ? 'Create' : error.phase === 'match' ? 'Other' : 'Update');
    }
  }

  private groupLeaves(group: EntraGroup): wire.Leaf[] {
    const view = this.env.tenant.groupView(group);
    const leaves: wire.Leaf[] = [];
    for (const mapping of this.env.groupMappings) {
      if (mapping.target === 'members') continue;
      const value = mappedValue(mapping, view, true);
      if (value !== undefined) leaves.push({ target: mapping.target, value });
    }
    return leaves;
  }

  private groupDiff(group: EntraGroup, resource: JsonObject): wire.Change[] {
    const view = this.env.tenant.groupView(group);
    const changes: wire.Change[] = [];
    for (const mapping of this.env.groupMappings) {
      if (mapping.target === 'members' || mapping.apply === 'on-create') continue;
      const wanted = mappedValue(mapping, view, false);
      const actual = readTarget(resource, mapping.target);
      if (wanted !== undefined && !sameValue(wanted, actual)) changes.push({ target: mapping.target, op: actual === undefined ? 'Add' : 'Replace', value: wanted });
    }
    return changes;
  }

  private async createGroup(group: EntraGroup, entry: LogEntry): Promise<GroupLink> {
    const { settings, state } = this.env;
    const leaves = this.groupLeaves(group);
    const created = resourceOf(await this.call(wire.createGroup(leaves, settings.adscimGroupSchema), 'create'), 'create');
    const link = state.linkGroup(group.name, String(getKey(created, 'id')));
    for (const leaf of leaves) {
      link.exported.set(leaf.target, leaf.value);
      entry.modify(leaf.target, null, leaf.value);
    }
    return link;
  }

  /** Adds the provisioned members Entra has not added yet, removes those who left (entra-wire §7.4–§7.5). */
  private async members(group: EntraGroup, link: GroupLink, entry: LogEntry): Promise<boolean> {
    const { settings, state } = this.env;
    if (!this.env.groupMappings.some((m) => m.target === 'members')) return false;
    const size = settings.memberBatchSize;
    const adds = group.members.filter((m) => state.users.has(m) && !link.members.has(m));
    const removes = [...link.members].filter((m) => !group.members.includes(m) && state.users.has(m));
    const idOf = (name: string) => state.users.get(name)!.id;
    const requests = [
      ...wire.addMembers(link.id, adds.map(idOf), this.dialect, size).map((request, i) => ({ request, names: adds.slice(i * size, (i + 1) * size), add: true })),
      ...wire.removeMembers(link.id, removes.map(idOf), this.dialect, size).map((request, i) => ({ request, names: removes.slice(i * size, (i + 1) * size), add: false })),
    ];
    for (const { request, names, add } of requests) {
      await this.call(request, 'update');
      for (const name of names) {
        if (add) link.members.add(name);
        else link.members.delete(name);
      }
    }
    if (adds.length > 0 || removes.length > 0) entry.modify('members', removes.length > 0 ? removes.map(idOf).join(', ') : null, adds.length > 0 ? adds.map(idOf).join(', ') : null);
    return requests.length > 0;
  }

  /** A group deleted in Entra, or out of scope, is deleted when Delete is a target object action (entra-wire §7.6). */
  private async deleteGroup(group: EntraGroup, link: GroupLink, entry: LogEntry, key: string): Promise<void> {
    const { settings, state } = this.env;
    entry.targetId = link.id;
    entry.step('EntryImport', 'Import', 'Success', group.deleted ? `Group '${entry.subject.display}' was deleted from Azure Active Directory` : `Group '${entry.subject.display}' left the provisioning scope`);
    if (!settings.targetObjectActions.groups.delete) {
      state.groups.delete(group.name);
      return this.skip(entry, skips.actionOff('delete'));
    }
    try {
      await this.call(wire.deleteGroup(link.id), 'delete');
    } catch (error) {
      if (!(error instanceof ObjectFailed)) throw error;
      return this.failed(entry, key, error, 'Delete');
    }
    state.groups.delete(group.name);
    this.succeeded(entry, key, 'Delete', 'delete');
  }
}
