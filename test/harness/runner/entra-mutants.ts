import { vi } from 'vitest';
import { Cycle, type CycleEnd } from '../../../harness/idp/entra/cycle.js';
import { CycleContext } from '../../../harness/idp/entra/export-common.js';
import { EntraJob, type JobEnv } from '../../../harness/idp/entra/job.js';
import { TEST_CONNECTION } from '../../../harness/idp/entra/logs.js';
import { probeRequests } from '../../../harness/idp/entra/probe.js';
import { EntraTransport } from '../../../harness/idp/entra/transport.js';

/*
 * Test-only patches of the Entra simulator: how one that ignores what the target answered, or what
 * the reference says follows from it, would behave. Each is installed by a mutation
 * (scenario-mutations.ts) and undone after the test.
 */

/** Does not escrow a failed object: nothing is retried in the next cycle (Entra ref §5.5). */
export function entraDoesNotEscrow(): void {
  const record = CycleContext.prototype.recordFailure;
  vi.spyOn(CycleContext.prototype, 'recordFailure').mockImplementation(function (this: CycleContext, ...args: Parameters<CycleContext['recordFailure']>) {
    try {
      record.apply(this, args);
    } finally {
      this.env.state.escrows.delete(args[1]);
    }
  });
}

type Probing = { probe(): Promise<unknown> };

/** Sends its probe and goes on whatever the answer (Entra ref §3, §5.6 say it quarantines). */
export function entraIgnoresProbe(): void {
  const probe = (Cycle.prototype as unknown as Probing).probe;
  vi.spyOn(Cycle.prototype as unknown as Probing, 'probe').mockImplementation(async function (this: Probing) {
    await probe.call(this);
    return undefined;
  });
}

/** Sends nothing in a cycle with nothing to do, not even the probe: the `probeIdleCycles: false` of before issue 16 (Entra ref §3 says every cycle opens with it). */
export function entraSkipsIdleCycles(): void {
  type Due = { dueUsers(): unknown[]; dueGroups(): unknown[]; env: { settings: { provisionGroups: boolean } } };
  const run = Cycle.prototype.run;
  vi.spyOn(Cycle.prototype, 'run').mockImplementation(async function (this: Cycle): Promise<CycleEnd> {
    const cycle = this as unknown as Due;
    const idle = cycle.dueUsers().length === 0 && (!cycle.env.settings.provisionGroups || cycle.dueGroups().length === 0);
    return idle ? { completed: true, retrySucceeded: false, staged: 0 } : run.call(this);
  });
}

/** Resends a throttled request at once: only the 1/requestsPerSecond of each request passes (Entra ref §5.10). */
export function entraResendsAtOnce(): void {
  const send = EntraTransport.prototype.send;
  vi.spyOn(EntraTransport.prototype, 'send').mockImplementation(async function (this: EntraTransport, request) {
    const clock = (this as unknown as { clock: { advance(ms: number): void } }).clock;
    const advance = clock.advance;
    clock.advance = (ms: number) => (ms < 1000 ? advance.call(clock, ms) : undefined);
    try {
      return await send.call(this, request);
    } finally {
      clock.advance = advance;
    }
  });
}

/** Runs a cycle for Test Connection: its failure then quarantines the job (Entra ref §3 says it is not a cycle). */
export function entraTestConnectionIsACycle(): void {
  vi.spyOn(EntraJob.prototype, 'testConnection').mockImplementation(async function (this: EntraJob) {
    await this.cycle(this.state.watermark === undefined ? 'initial' : 'incremental');
  });
}

/** Reports a Test Connection as passed whatever the probe's answer. */
export function entraTestConnectionAlwaysPasses(): void {
  vi.spyOn(EntraJob.prototype, 'testConnection').mockImplementation(async function (this: EntraJob) {
    const env = (this as unknown as { env: JobEnv }).env;
    for (const request of probeRequests(env, 'test-connection', 1)) await env.transport.send(request);
    env.report({ idp: 'entra', kind: 'testConnection', virtualTime: env.clock.iso(), record: { status: 'Success', message: TEST_CONNECTION.success } });
  });
}

/** Never finds its escrow thresholds passed (Entra ref §5.6). */
export function entraIgnoresThresholds(): void {
  vi.spyOn(EntraJob.prototype as unknown as { escrowProblem(): unknown }, 'escrowProblem').mockReturnValue(undefined);
}

/** Keeps a quarantined job running its retries past the 28 days after which Entra disables it (Entra ref §5.6). */
export function entraNeverDisables(): void {
  vi.spyOn(EntraJob.prototype as unknown as { disable(): void }, 'disable').mockImplementation(() => {});
}

/** Sends every disable and delete of a cycle, however many: the accidental-deletion threshold ignored (Entra ref §5.8). */
export function entraIgnoresDeletionThreshold(): void {
  vi.spyOn(Cycle.prototype as unknown as { stage(): Set<string> }, 'stage').mockReturnValue(new Set());
}

/** Restarts with `scope` whatever the admin asked for (Entra ref §5.7: only Full and ConnectorDataStore drop the links). */
export function entraRestartsWith(scope: Parameters<EntraJob['restart']>[0]): () => void {
  return () => {
    const restart = EntraJob.prototype.restart;
    vi.spyOn(EntraJob.prototype, 'restart').mockImplementation(async function (this: EntraJob) {
      await restart.call(this, scope);
    });
  };
}
