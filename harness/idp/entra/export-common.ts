/**
 * What the user and group exports of one cycle share (Entra ref §6, §9): the cycle's context, the
 * requests (send, match, read), the provisioning log records with their escrows, and the one
 * implementation of the create leaves, the diff and the delete that both object types use.
 */
import { getKey, isObject, type JsonObject } from '../../../scim/schema/keys.js';
import type { VirtualClock } from '../clock.js';
import type { EntraTenant, EntraUser } from './directory.js';
import { guid } from './ids.js';
import {
  errorCodeFor,
  errors,
  exportEventName,
  failureReason,
  httpFailureReason,
  LogEntry,
  skips,
  type Action,
  type LogRecord,
  type Phase,
} from './logs.js';
import { mappedValue, matchingOrder, readTarget, sameValue, type Mapping, type SourceView } from './mapping.js';
import type { EntraSettings } from './settings.js';
import { CYCLE_INTERVAL, type JobState, type UserLink } from './state.js';
import type { Answer, EntraTransport } from './transport.js';
import * as wire from './wire.js';

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
  /** When the cycle started, in ms on the virtual clock. */
  began: number;
  /** When the next cycle runs, in ms: 40 minutes on, or the quarantine's next attempt (Entra ref §5.3, §5.6). */
  nextCycle: number;
  /** Deletions go out whatever the accidental-deletion threshold says (ForceDeletes, Entra ref §5.7–§5.8). */
  forceDeletes: boolean;
}

export const INCOMPATIBLE = 'SystemForCrossDomainIdentityManagementServiceIncompatible';
export const CREDENTIALS = 'SystemForCrossDomainIdentityManagementCredentialValidationFailure';

/** An object's export failed: the phase, the §9 error code, and the answer (or the words) behind it. */
export class ObjectFailed extends Error {
  constructor(
    readonly phase: Phase,
    readonly code: string,
    readonly detail: { answer: Answer } | { error: string },
  ) {
    super(code);
  }
}

/** Bad credentials in the middle of a cycle: the cycle stops and the job is quarantined (Entra ref §3, §5.6). */
export class Quarantined extends Error {
  constructor(readonly error: { code: string; message: string }) {
    super(error.message);
  }
}

/** A user linked and entitled after the first pass, for the reference pass (Entra ref §5.2 step 6). */
export interface Linked {
  user: EntraUser;
  link: UserLink;
  /** The manager id the target holds, as last read or created. */
  managerInTarget: string | undefined;
}

const isOk = (status: number) => status >= 200 && status < 300;

/** A created or read resource: Entra needs an object with the id it caches as the anchor. */
export function resourceOf(answer: Answer, phase: Phase): JsonObject {
  const body = answer.json;
  if (!isObject(body)) throw new ObjectFailed(phase, INCOMPATIBLE, { error: errors.cannotDeserialize });
  if (typeof getKey(body, 'id') !== 'string') throw new ObjectFailed(phase, INCOMPATIBLE, { error: errors.noId });
  return body;
}

/** A ListResponse's resources; anything Entra cannot read fails the match (Entra ref §4: always a ListResponse). */
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

/**
 * The attribute an object type exports by requests of its own rather than with the others: a
 * user's manager (the reference pass, §6.6) and a group's members (PATCHed after the create, §7).
 * `value` is what a create carries for it, if anything.
 */
export interface OwnAttribute {
  target: string;
  value?: string | boolean;
}

/** The mapped values of a create: every mapping, "Default value if null" applied (Entra ref §1.2, §6.2). */
export function createLeaves(mappings: readonly Mapping[], source: SourceView, own: OwnAttribute): wire.Leaf[] {
  const leaves: wire.Leaf[] = [];
  for (const mapping of mappings) {
    // The own attribute keeps its mapping's place: the create body lists the leaves in mapping order.
    const value = mapping.target === own.target ? own.value : mappedValue(mapping, source, true);
    if (value !== undefined) leaves.push({ target: mapping.target, value });
  }
  return leaves;
}

/**
 * What differs between Entra's values and the target's, as Add (no value there) or Replace
 * (Entra ref §6.3); nothing for a null source (§1.2), except a Remove with the old value when
 * `removeCleared` says so and Entra exported a value before. Values Entra exported before and
 * finds different again did not stick: they are `nonConverging`.
 */
export function diff(
  mappings: readonly Mapping[],
  source: SourceView,
  resource: JsonObject,
  options: { own: string; exported: ReadonlyMap<string, string | boolean>; removeCleared: boolean },
): { changes: wire.Change[]; nonConverging: string[] } {
  const changes: wire.Change[] = [];
  const nonConverging: string[] = [];
  for (const mapping of mappings) {
    if (mapping.target === options.own || mapping.apply === 'on-create') continue;
    const wanted = mappedValue(mapping, source, false);
    const actual = readTarget(resource, mapping.target);
    if (wanted === undefined) {
      const removable = typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean';
      if (options.removeCleared && removable && options.exported.has(mapping.target)) {
        changes.push({ target: mapping.target, op: 'Remove', value: typeof actual === 'boolean' ? actual : String(actual) });
      }
      continue;
    }
    if (sameValue(wanted, actual)) continue;
    if (options.exported.get(mapping.target) === wanted) nonConverging.push(mapping.target);
    changes.push({ target: mapping.target, op: actual === undefined ? 'Add' : 'Replace', value: wanted });
  }
  return { changes, nonConverging };
}

/** One object's delete: its DELETE, whether Delete is a target object action, and what Entra forgets. */
export interface Deletion {
  targetId: string;
  request: wire.WireRequest;
  /** The Import step's sentence: why the object goes. */
  why: string;
  allowed: boolean;
  /** With Delete off, what Entra stops managing instead. */
  unmanage(): void;
  /** After the DELETE, the links Entra drops. */
  forget(): void;
}

/** One provisioning cycle's context: what the exports read and the records they write (Entra ref §5.2–§5.5). */
export class CycleContext {
  readonly id: string;
  readonly dialect: wire.Dialect;
  /** An escrowed object went through this cycle: the job may leave an escrow quarantine (Entra ref §5.6). */
  retrySucceeded = false;
  readonly linked: Linked[] = [];

  constructor(
    readonly env: CycleEnv,
    readonly options: CycleOptions,
  ) {
    this.id = guid(env.seed, 'cycle', String(options.number));
    this.dialect = wire.dialectOf(env.settings, options.kind === 'on-demand');
  }

  // --- records ----------------------------------------------------------------------------------

  entry(subject: LogEntry['subject']): LogEntry {
    return new LogEntry(subject, this.id, this.options.kind === 'on-demand' ? 'OnDemand' : 'System');
  }

  /** The object needs nothing more: it leaves escrow, which counts as a successful retry. */
  settle(key: string): void {
    if (this.env.state.escrows.delete(key)) this.retrySucceeded = true;
  }

  recordSkip(entry: LogEntry, skip: { errorCode: string; reason: string }, action: Action = 'Other', extra: Partial<LogRecord> = {}): void {
    entry.step('EntrySynchronizationSkip', 'Export', 'Skipped', skip.reason);
    this.env.report(entry.record(this.env.clock.iso(), action, 'Skipped', { ...skip, ...extra }));
  }

  recordSuccess(entry: LogEntry, key: string, action: Action, phase: Exclude<Phase, 'match'>, extra: Partial<LogRecord> = {}): void {
    const { state, clock } = this.env;
    this.settle(key);
    state.staged.delete(key);
    if (this.options.kind !== 'on-demand') state.counts.successes++;
    const verb = { create: 'created in', update: 'updated in', delete: 'deleted from' }[phase];
    entry.step(exportEventName(phase), 'Export', 'Success', `${entry.subject.type} '${entry.subject.display}' was ${verb} customappsso`, undefined, phase !== 'create');
    this.env.report(entry.record(clock.iso(), action, 'Success', extra));
  }

  /**
   * When an object that failed after `retried` retries is due again (Entra ref §5.5): at the next
   * cycle after its first failure, "retried in the next sync cycle"; then, "gradually scaling back
   * the frequency of retries", `escrowRetryCycles` intervals on (a synthesised schedule). Never
   * before the next cycle, which in quarantine is the next attempt.
   */
  private retryDue(retried: number): number {
    const cycles = this.env.settings.escrowRetryCycles;
    return Math.max(this.options.began + CYCLE_INTERVAL * cycles[Math.min(retried, cycles.length - 1)]!, this.options.nextCycle);
  }

  /** Records a failure with Entra's reason, escrows the object until its retry (Entra ref §5.5, §9); bad credentials quarantine at once. */
  recordFailure(entry: LogEntry, key: string, failure: ObjectFailed, action: Action): void {
    const { state, clock, settings } = this.env;
    const previous = state.escrows.get(key);
    const retried = previous ? previous.retries + 1 : 0;
    const due = this.retryDue(retried);
    const retry = { retried, nextRetry: new Date(due).toISOString() };
    if (this.options.kind !== 'on-demand') {
      state.escrows.set(key, { retries: retried, due });
      if (key.startsWith('manager:')) state.counts.referenceFailures++;
      else state.counts.failures++;
    }
    const reason =
      'answer' in failure.detail
        ? httpFailureReason(failure.phase, entry.subject, failure.detail.answer, failure.code, retry)
        : failureReason(failure.phase, entry.subject, failure.detail.error, retry);
    const [name, type] = failure.phase === 'match' ? (['EntryImport', 'Matching'] as const) : ([exportEventName(failure.phase), 'Export'] as const);
    entry.step(name, type, 'Failure', reason, undefined, failure.phase === 'update' || failure.phase === 'delete');
    // Under the UNVERIFIED retry-after policy, a 429 fails the object only by the simulator's own
    // rules: the resends ran out (retryAfterAttempts) or there was no Retry-After to wait for.
    const throttled = failure.code === 'TooManyRequests' && settings.throttling === 'retry-after' && 'answer' in failure.detail;
    const extra = throttled ? { sends: failure.detail.answer.sends ?? 1, synthesised: true } : {};
    this.env.report(entry.record(clock.iso(), action, 'Failure', { errorCode: failure.code, errorCategory: 'NonServiceFailure', reason, ...extra }));
    if (failure.code === CREDENTIALS && this.options.kind !== 'on-demand') throw new Quarantined({ code: CREDENTIALS, message: reason });
  }

  /** Runs an object's requests; a failed one ends the object as a failure recorded under `action`. */
  async attempt(entry: LogEntry, key: string, action: Action | ((failure: ObjectFailed) => Action), work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof ObjectFailed)) throw error;
      this.recordFailure(entry, key, error, typeof action === 'function' ? action(error) : action);
    }
  }

  // --- requests ---------------------------------------------------------------------------------

  /** Sends; anything but a 2xx fails the object with the §9 code for it. */
  async send(request: wire.WireRequest, phase: Phase): Promise<Answer> {
    const reply = await this.env.transport.send(request);
    if ('error' in reply) throw new ObjectFailed(phase, reply.timedOut ? 'Timeout' : 'WebExceptionProtocolError', { error: errors.noAnswer(reply) });
    if (!isOk(reply.status)) throw new ObjectFailed(phase, errorCodeFor(reply.status, phase), { answer: reply });
    return reply;
  }

  /**
   * Queries by each matching attribute in precedence order until one finds the object (Entra ref
   * §6.1): the match, undefined for none, `missing` when the source has no matching value at all.
   */
  async findMatch(
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
      const found = resourcesOf(await this.send(find(mapping.target, String(value)), 'match'));
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

  /** GETs a linked object by its cached id (Entra ref §6.7). */
  async readResource(request: wire.WireRequest, entry: LogEntry): Promise<JsonObject> {
    const resource = resourceOf(await this.send(request, 'match'), 'match');
    entry.step('EntryImport', 'Matching', 'Success', `Retrieved '${entry.subject.display}' from customappsso`, { id: String(getKey(resource, 'id')) });
    return resource;
  }

  /** Sends the DELETE when Delete is a target object action; otherwise Entra just stops managing the object (Entra ref §6.5, §7.6). */
  async deleteResource(entry: LogEntry, key: string, deletion: Deletion): Promise<void> {
    entry.targetId = deletion.targetId;
    entry.step('EntryImport', 'Import', 'Success', deletion.why);
    if (!deletion.allowed) {
      deletion.unmanage();
      return this.recordSkip(entry, skips.actionOff('delete'));
    }
    await this.attempt(entry, key, 'Delete', async () => {
      const gone = await this.sendDelete(deletion.request);
      deletion.forget();
      this.recordSuccess(entry, key, 'Delete', 'delete', gone ? { synthesised: true } : {});
    });
  }

  /**
   * The DELETE. A 404 is `InvalidAnchor` like any 404 on a cached id (Entra ref §9), escrowed and
   * retried (§5.5); with `deleteNotFound: gone` (synthesised: the reference says nothing of a 404
   * to a DELETE) it means the object is gone already: true then.
   */
  private async sendDelete(request: wire.WireRequest): Promise<boolean> {
    try {
      await this.send(request, 'delete');
      return false;
    } catch (error) {
      const notFound = error instanceof ObjectFailed && 'answer' in error.detail && error.detail.answer.status === 404;
      if (notFound && this.env.settings.deleteNotFound === 'gone') return true;
      throw error;
    }
  }
}
