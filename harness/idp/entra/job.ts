import type { Outcome } from '../../result.js';
import type { VirtualClock } from '../clock.js';
import { Cycle, type CycleEnv } from './cycle.js';
import type { EntraGroup, EntraTenant, EntraUser } from './directory.js';
import { TEST_CONNECTION, type LogRecord } from './logs.js';
import type { Mapping } from './mapping.js';
import { probeProblem, probeRequests } from './probe.js';
import type { EntraSettings } from './settings.js';
import { CYCLE_INTERVAL, JobState, type JobError, type QuarantineReason } from './state.js';
import type { EntraTransport } from './transport.js';

/*
 * The provisioning job on the virtual clock (Entra ref §5): cycles every 40 minutes, quarantine
 * with its back-off and the job disabled after four weeks, restart, provisioning on demand, and
 * the job status reported whenever it changes.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** "stays in quarantine for more than four weeks → disabled" (Entra ref §5.6). */
export const DISABLED_AFTER = 28 * DAY;

/** When the n-th retry of a quarantine series comes, from its first failure: 6 h, 12 h, 24 h, then every 24 h (Entra ref §5.6). */
export function attemptOffset(seriesCount: number): number {
  return seriesCount === 1 ? 6 * HOUR : seriesCount === 2 ? 12 * HOUR : (seriesCount - 2) * DAY;
}

/** The retry after `seriesCount` failures; the one that would fall after four weeks is when the job is disabled instead. */
function nextAttempt(seriesBegan: string, seriesCount: number): number {
  const begun = Date.parse(seriesBegan);
  return Math.min(begun + attemptOffset(seriesCount), begun + DISABLED_AFTER);
}

/** Graph's synchronizationJobRestartScope values (Entra ref §5.7). */
export const RESET_SCOPES = ['None', 'ConnectorDataStore', 'Escrows', 'Watermark', 'QuarantineState', 'Full', 'ForceDeletes'] as const;
export type ResetScope = (typeof RESET_SCOPES)[number];
/** What the portal's "Restart provisioning" resets (Entra ref §5.7). */
const PORTAL_RESTART: ResetScope[] = ['QuarantineState', 'Watermark', 'Escrows'];

export interface JobEnv {
  settings: EntraSettings;
  tenant: EntraTenant;
  clock: VirtualClock;
  transport: EntraTransport;
  userMappings: Mapping[];
  groupMappings: Mapping[];
  seed: string;
  report(outcome: Outcome): void;
}

const ESCROW_REASONS: QuarantineReason[] = ['EncounteredBaseEscrowThreshold', 'EncounteredTotalEscrowThreshold', 'EncounteredEscrowProportionThreshold'];

export class EntraJob {
  readonly state = new JobState();
  /** When the next cycle is due, in ms: the job starts with the scenario, so its initial cycle is due at once. */
  private nextDue: number;
  private lastStatus = '';
  /** Test Connections so far, numbering their probe GUIDs. */
  private tests = 0;

  constructor(private readonly env: JobEnv) {
    this.nextDue = env.clock.now().getTime();
    // Users in the recycle bin when the scenario starts went there then, as far as the purge is concerned.
    for (const user of env.tenant.users.values()) if (user.state === 'soft-deleted') user.softDeletedAt = this.nextDue;
  }

  private cycleEnv(): CycleEnv {
    const report = (record: LogRecord) => this.env.report({ idp: 'entra', kind: 'provisioningLog', virtualTime: record.activityDateTime, record });
    return { ...this.env, state: this.state, report };
  }

  /** Runs a cycle now (an event, a scheduled cycle or a quarantine retry) and settles the job's status. */
  async cycle(kind: 'initial' | 'incremental', forceDeletes = false): Promise<void> {
    const { clock, tenant } = this.env;
    const { state } = this;
    const began = clock.now().getTime();
    tenant.purge(began);
    const watermark = tenant.changeNumber;
    const nextCycle = state.quarantine ? nextAttempt(state.quarantine.seriesBegan, state.quarantine.seriesCount + 1) : began + CYCLE_INTERVAL;
    const end = await new Cycle(this.cycleEnv(), { kind, number: ++state.cycles, began, nextCycle, forceDeletes }).run();
    if (!end.completed) {
      // Bad credentials, a 404 probe, no connection: quarantine at once, whatever the counts (Entra ref §5.6).
      this.quarantine('EncounteredQuarantineException', end.error, began);
    } else {
      state.watermark = watermark;
      if (state.code === 'NotRun') state.code = 'Active';
      const quarantine = state.quarantine;
      // "Any successful retry lifts quarantine automatically"; a probe that passes lifts a connection quarantine (Entra ref §5.6).
      if (
        quarantine &&
        (quarantine.reason === 'EncounteredQuarantineException' ||
          (quarantine.reason === 'TooManyDeletes' && end.staged === 0) ||
          (ESCROW_REASONS.includes(quarantine.reason) && (end.retrySucceeded || state.escrows.size === 0)))
      ) {
        this.lift();
      }
      const problem = this.escrowProblem() ?? (end.staged > 0 ? this.tooManyDeletes(end.staged) : undefined);
      state.escrowsPruned = false;
      if (problem && kind === 'initial' && problem.reason !== 'TooManyDeletes') {
        // The initial cycle prunes its escrows instead of quarantining, then the job pauses "and waits
        // for the customer to clean up the errors" (Entra ref §5.6, GRAPH synchronizationStatus).
        state.escrows.clear();
        state.resetCounts();
        state.escrowsPruned = true;
        state.code = 'Paused';
      } else if (problem) {
        this.quarantine(problem.reason, problem.error, began);
      } else if (state.quarantine) {
        this.quarantine(state.quarantine.reason, state.quarantine.error, began);
      }
    }
    this.nextDue = state.code === 'Quarantine' ? Date.parse(state.quarantine!.nextAttempt) : Math.max(began + CYCLE_INTERVAL, clock.now().getTime());
    this.reportStatus();
  }

  /** Moves the clock, running every cycle that falls due on the way (Entra ref §5.3, §5.6). */
  async advance(ms: number): Promise<void> {
    const { clock } = this.env;
    const until = clock.now().getTime() + ms;
    while (this.state.code !== 'Paused' && this.nextDue <= until) {
      const now = clock.now().getTime();
      if (this.nextDue > now) clock.advance(this.nextDue - now);
      const quarantine = this.state.quarantine;
      if (quarantine && clock.now().getTime() >= Date.parse(quarantine.seriesBegan) + DISABLED_AFTER) {
        this.disable();
        break;
      }
      await this.cycle(this.state.watermark === undefined ? 'initial' : 'incremental');
    }
    const now = clock.now().getTime();
    if (until > now) clock.advance(until - now);
  }

  /**
   * Restart provisioning (Entra ref §5.7, Graph restart): `resetScope` names what is cleared. The
   * portal's restart is QuarantineState, Watermark and Escrows: a new initial cycle that keeps the
   * links to target objects. ConnectorDataStore drops those links, so objects are matched again;
   * Full is all of them; ForceDeletes sends what the accidental-deletion threshold held back. The
   * next cycle runs now: an initial one when the watermark went, else an incremental one.
   */
  async restart(resetScope: readonly ResetScope[] = PORTAL_RESTART): Promise<void> {
    const { state } = this;
    const resets = (scope: ResetScope) => resetScope.includes(scope) || resetScope.includes('Full');
    if (resets('Watermark')) state.watermark = undefined;
    if (resets('Escrows')) {
      state.escrows.clear();
      state.staged.clear();
      state.escrowsPruned = false;
      state.resetCounts();
    }
    if (resets('QuarantineState')) {
      state.quarantine = undefined;
      state.resetCounts();
    }
    if (resets('ConnectorDataStore')) {
      state.users.clear();
      state.groups.clear();
    }
    if (state.code !== 'NotRun') state.code = state.quarantine ? 'Quarantine' : 'Active';
    await this.cycle(state.watermark === undefined ? 'initial' : 'incremental', resetScope.includes('ForceDeletes'));
  }

  /** Stop provisioning (Entra ref §5.1, §5.3): the current cycle is over (cycles are atomic here), no further one starts, and the job keeps its state. */
  stop(): void {
    if (this.state.code === 'Paused') throw new Error('stop: the job is already paused');
    this.state.code = 'Paused';
    this.reportStatus();
  }

  /**
   * Start provisioning (GRAPH synchronizationJob start): a paused job "continues processing changes
   * from the point where it was paused", a quarantined one has its quarantine cleared. The next
   * cycle runs now, from the watermark; the escrows stay.
   */
  async start(): Promise<void> {
    const { state } = this;
    if (state.code !== 'Paused' && state.code !== 'Quarantine') throw new Error(`start: the job is ${state.code}; start is for a paused or quarantined job`);
    state.quarantine = undefined;
    state.resetCounts();
    state.code = state.watermark === undefined ? 'NotRun' : 'Active';
    await this.cycle(state.watermark === undefined ? 'initial' : 'incremental');
  }

  /** "Allow deletes" after TooManyDeletes: the held-back deletions go out now (ForceDeletes, Entra ref §5.7–§5.8). */
  async allowDeletes(): Promise<void> {
    if (this.state.staged.size === 0) throw new Error('allow-deletes: no deletion is held back (see settings.accidentalDeletionThreshold)');
    await this.cycle(this.state.watermark === undefined ? 'initial' : 'incremental', true);
  }

  /** One user, or one group with up to 5 of its members, now, outside the schedule; the job's watermark, escrows and status stay as they are (Entra ref §5.9). */
  async provisionOnDemand(subject: { user: EntraUser } | { group: EntraGroup; members: EntraUser[] }): Promise<void> {
    const began = this.env.clock.now().getTime();
    const options = { kind: 'on-demand' as const, number: ++this.state.cycles, began, nextCycle: began + CYCLE_INTERVAL, forceDeletes: false };
    await new Cycle(this.cycleEnv(), options).onDemand(subject);
  }

  /**
   * Test Connection (Entra ref §3): the probe, outside any cycle. It expects the 200 with an empty
   * ListResponse; anything else is the admin's error notification, and the job, its schedule and
   * its quarantine stay as they are.
   */
  async testConnection(): Promise<void> {
    const n = ++this.tests;
    let problem: JobError | undefined;
    for (const request of probeRequests(this.env, 'test-connection', n)) {
      problem = probeProblem(await this.env.transport.send(request), true);
      if (problem) break;
    }
    // The headline is Entra's; which code and details follow it for each answer is the simulator's.
    const record = problem
      ? { status: 'Failure', message: `${TEST_CONNECTION.failure}\nError code: ${problem.code}\nDetails: ${problem.message}`, errorCode: problem.code, synthesised: true }
      : { status: 'Success', message: TEST_CONNECTION.success };
    this.env.report({ idp: 'entra', kind: 'testConnection', virtualTime: this.env.clock.iso(), record });
  }

  private escrowProblem(): { reason: QuarantineReason; error: JobError } | undefined {
    const { failures, referenceFailures, successes } = this.state.counts;
    const limits = this.env.settings.escrowThresholds;
    // The reason codes are Graph's; the sentence is the simulator's (Entra ref §5.6 gives none).
    const error = (reason: QuarantineReason, why: string) => ({ reason, error: { code: reason, message: `${failures} exports failed and ${successes} succeeded${why}.`, synthesised: true as const } });
    if (failures + referenceFailures > limits.absolute) return error('EncounteredBaseEscrowThreshold', `, with ${referenceFailures} reference failures: more than ${limits.absolute} failures in all`);
    if (failures < limits.minimum) return undefined;
    if (failures > limits.total) return error('EncounteredTotalEscrowThreshold', `: more than ${limits.total} failures`);
    if (failures / (failures + successes) > limits.proportion) return error('EncounteredEscrowProportionThreshold', `: more than ${limits.proportion * 100}% of the exports failed`);
    return undefined;
  }

  private tooManyDeletes(staged: number): { reason: QuarantineReason; error: JobError } {
    const threshold = this.env.settings.accidentalDeletionThreshold;
    const message = `${staged} disables and deletes in one cycle exceed the accidental-deletion threshold of ${threshold}.`;
    return { reason: 'TooManyDeletes', error: { code: 'TooManyDeletes', message, synthesised: true } };
  }

  /** Enters quarantine, or records one more failed attempt of the series; a changed reason begins a new current quarantine. */
  private quarantine(reason: QuarantineReason, error: JobError, at: number): void {
    const { state } = this;
    const time = new Date(at).toISOString();
    const series = state.quarantine;
    const next = series
      ? { ...series, reason, error, seriesCount: series.seriesCount + 1, currentBegan: series.reason === reason ? series.currentBegan : time }
      : { reason, error, seriesBegan: time, currentBegan: time, seriesCount: 1 };
    state.quarantine = { ...next, nextAttempt: new Date(nextAttempt(next.seriesBegan, next.seriesCount)).toISOString() };
    state.code = 'Quarantine';
  }

  private lift(): void {
    this.state.quarantine = undefined;
    this.state.code = 'Active';
    this.state.resetCounts();
  }

  /**
   * After 28 days in quarantine the escrows are dropped and the job is disabled (Entra ref §5.6):
   * Graph's code for a job that runs no more cycles is Paused (§5.1); its last quarantine stays on
   * the record until a start or a restart.
   */
  private disable(): void {
    this.state.code = 'Paused';
    this.state.escrows.clear();
    this.reportStatus();
  }

  /** The job status as Graph's synchronizationStatus has it (Entra ref §5.1), reported when it changes. */
  private reportStatus(): void {
    const { state } = this;
    const record: Record<string, unknown> = {
      code: state.code,
      ...(state.quarantine && { quarantine: { ...state.quarantine } }),
      ...(state.escrowsPruned && { escrowsPruned: true }),
    };
    const signature = JSON.stringify([state.code, state.quarantine?.reason, state.quarantine?.seriesCount, state.escrowsPruned]);
    if (signature === this.lastStatus) return;
    this.lastStatus = signature;
    const virtualTime = this.env.clock.iso();
    this.env.report({ idp: 'entra', kind: 'jobStatus', virtualTime, record: { ...record, ...(state.code !== 'Paused' && { nextCycle: new Date(this.nextDue).toISOString() }) } });
  }
}
