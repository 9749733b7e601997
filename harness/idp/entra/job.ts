import type { Outcome } from '../../result.js';
import type { VirtualClock } from '../clock.js';
import { Cycle, type CycleEnv } from './cycle.js';
import type { EntraTenant, EntraUser } from './directory.js';
import type { LogRecord } from './logs.js';
import type { Mapping } from './mapping.js';
import type { EntraSettings } from './settings.js';
import { JobState, type QuarantineReason } from './state.js';
import type { EntraTransport } from './transport.js';

/*
 * The provisioning job on the virtual clock (Entra ref §5): cycles every 40 minutes, quarantine
 * with its back-off and the job disabled after four weeks, restart, provisioning on demand, and
 * the job status reported whenever it changes.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** "approximately every 40 minutes", not configurable (Entra ref §1.1, §5.3). */
export const CYCLE_INTERVAL = 40 * MINUTE;
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

  constructor(private readonly env: JobEnv) {
    this.nextDue = env.clock.now().getTime();
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
    const watermark = tenant.changeNumber;
    const nextRetry = new Date(state.quarantine ? nextAttempt(state.quarantine.seriesBegan, state.quarantine.seriesCount + 1) : began + CYCLE_INTERVAL).toISOString();
    const end = await new Cycle(this.cycleEnv(), { kind, number: ++state.cycles, nextRetry, forceDeletes }).run();
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
      if (problem && kind === 'initial' && problem.reason !== 'TooManyDeletes') {
        // The initial cycle prunes its escrows instead of quarantining (Entra ref §5.6).
        state.escrows.clear();
        state.resetCounts();
        state.escrowsPruned = true;
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
    while (this.state.code !== 'Disabled' && this.nextDue <= until) {
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
   * Restart provisioning (Entra ref §5.7): clears the watermark, the escrows and the quarantine,
   * keeps the links to target objects, and runs a new initial cycle at once.
   */
  async restart(): Promise<void> {
    const { state } = this;
    state.watermark = undefined;
    state.escrows.clear();
    state.staged.clear();
    state.quarantine = undefined;
    state.escrowsPruned = false;
    state.resetCounts();
    if (state.code !== 'NotRun') state.code = 'Active';
    await this.cycle('initial');
  }

  /** "Allow deletes" after TooManyDeletes: the held-back deletions go out now (ForceDeletes, Entra ref §5.7–§5.8). */
  async allowDeletes(): Promise<void> {
    if (this.state.staged.size === 0) throw new Error('allow-deletes: no deletion is held back (see settings.accidentalDeletionThreshold)');
    await this.cycle(this.state.watermark === undefined ? 'initial' : 'incremental', true);
  }

  /** One user now, outside the schedule; the job's watermark, escrows and status stay as they are (Entra ref §5.9). */
  async provisionOnDemand(user: EntraUser): Promise<void> {
    const nextRetry = new Date(this.env.clock.now().getTime() + CYCLE_INTERVAL).toISOString();
    await new Cycle(this.cycleEnv(), { kind: 'on-demand', number: ++this.state.cycles, nextRetry, forceDeletes: false }).onDemand(user);
  }

  private escrowProblem(): { reason: QuarantineReason; error: { code: string; message: string } } | undefined {
    const { failures, referenceFailures, successes } = this.state.counts;
    const limits = this.env.settings.escrowThresholds;
    const error = (reason: QuarantineReason, why: string) => ({ reason, error: { code: reason, message: `${failures} exports failed and ${successes} succeeded${why}.` } });
    if (failures + referenceFailures > limits.absolute) return error('EncounteredBaseEscrowThreshold', `, with ${referenceFailures} reference failures: more than ${limits.absolute} failures in all`);
    if (failures < limits.minimum) return undefined;
    if (failures > limits.total) return error('EncounteredTotalEscrowThreshold', `: more than ${limits.total} failures`);
    if (failures / (failures + successes) > limits.proportion) return error('EncounteredEscrowProportionThreshold', `: more than ${limits.proportion * 100}% of the exports failed`);
    return undefined;
  }

  private tooManyDeletes(staged: number): { reason: QuarantineReason; error: { code: string; message: string } } {
    const threshold = this.env.settings.accidentalDeletionThreshold;
    return { reason: 'TooManyDeletes', error: { code: 'TooManyDeletes', message: `${staged} disables and deletes in one cycle exceed the accidental-deletion threshold of ${threshold}.` } };
  }

  /** Enters quarantine, or records one more failed attempt of the series; a changed reason begins a new current quarantine. */
  private quarantine(reason: QuarantineReason, error: { code: string; message: string }, at: number): void {
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

  /** After 28 days in quarantine the escrows are dropped and the job is disabled (Entra ref §5.6). */
  private disable(): void {
    this.state.code = 'Disabled';
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
    this.env.report({ idp: 'entra', kind: 'jobStatus', virtualTime, record: { ...record, ...(state.code !== 'Disabled' && { nextCycle: new Date(this.nextDue).toISOString() }) } });
  }
}
