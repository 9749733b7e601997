import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Cycle } from '../../../harness/idp/entra/cycle.js';
import { CycleContext } from '../../../harness/idp/entra/export-common.js';
import { EntraJob, type JobEnv } from '../../../harness/idp/entra/job.js';
import { TEST_CONNECTION } from '../../../harness/idp/entra/logs.js';
import { probeRequests } from '../../../harness/idp/entra/probe.js';
import { EntraTransport } from '../../../harness/idp/entra/transport.js';
import type { Reply } from '../../../harness/idp/okta/messages.js';
import { Task } from '../../../harness/idp/okta/transport.js';
import type { WireRequest } from '../../../harness/idp/okta/wire.js';
import { IDPS } from '../../../harness/idp/registry.js';
import { injectsFaults } from '../../../harness/runner/faults.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import type { ScenarioResult } from '../../../harness/result.js';
import type { Scenario } from '../../../harness/types.js';

/**
 * Issue 15's done-when: each scenario that shows an IdP's reaction to a target failure receives
 * that failure (its `target.faults`), and FAILS when the simulator ignores it. Each scenario file
 * runs through the runner on its own embedded reference server, once as it is (it passes) and
 * once with the reaction mutated: a test-only patch of the simulator (a transport that resends a
 * 429 at once, an Entra that does not escrow or that ignores its probe's answer) or a documented
 * setting turned the other way. Nothing here adds a production flag.
 */

const ROOT = join(import.meta.dirname, '../../../scenarios');
let library: Scenario[];

beforeAll(async () => {
  const { scenarios, errors } = await loadScenarios([join(ROOT, 'okta'), join(ROOT, 'entra')], { idps: IDPS });
  expect(errors.map(String)).toEqual([]);
  library = scenarios;
});

afterEach(() => {
  vi.restoreAllMocks();
});

const byId = (id: string): Scenario => {
  const scenario = library.find((s) => s.id === id);
  if (!scenario) throw new Error(`no scenario ${id}`);
  return scenario;
};

const failedChecks = (result: ScenarioResult) => result.steps.flatMap((step) => step.checks.filter((check) => !check.passed));

async function run(scenario: Scenario): Promise<ScenarioResult> {
  const result = await runScenarios([scenario], { idps: IDPS });
  return result.scenarios[0]!;
}

// --- the mutants: how a simulator that ignores the fault would behave ------------------------------

interface OktaTaskInternals {
  once(request: WireRequest): Promise<Reply>;
  retries(reply: Reply): boolean;
}

/** Okta's transport, patched to resend a throttled request at once, whatever Retry-After says (Okta ref §11). */
function oktaRetriesAtOnce(): void {
  vi.spyOn(Task.prototype, 'send').mockImplementation(async function (this: Task, request: WireRequest) {
    const task = this as unknown as OktaTaskInternals;
    for (let attempt = 1; ; attempt++) {
      const reply = await task.once(request);
      this.attempts = Math.max(this.attempts, attempt);
      if (attempt === 10 || !task.retries(reply)) return reply;
      this.waits.push(0);
    }
  });
}

/** Okta's transport, patched never to retry a 429: the first one fails the task. */
function oktaNeverRetries(): void {
  vi.spyOn(Task.prototype as unknown as OktaTaskInternals, 'retries').mockReturnValue(false);
}

/** Okta's transport, patched to retry once a request that got no answer (each timeout is a real wait: once keeps it short). */
function oktaRetriesNoAnswerOnce(): void {
  const retries = (Task.prototype as unknown as OktaTaskInternals).retries;
  let retried = false;
  vi.spyOn(Task.prototype as unknown as OktaTaskInternals, 'retries').mockImplementation(function (this: OktaTaskInternals, reply: Reply) {
    if (!('error' in reply) || retried) return retries.call(this, reply);
    retried = true;
    return true;
  });
}

/** Okta's transport, patched to count a Retry-After that is an HTTP date as the seconds until it (§11 says it does not). */
function oktaCountsRetryAfterDates(): void {
  const once = (Task.prototype as unknown as OktaTaskInternals).once;
  vi.spyOn(Task.prototype as unknown as OktaTaskInternals, 'once').mockImplementation(async function (this: OktaTaskInternals, request: WireRequest) {
    const reply = await once.call(this, request);
    const date = 'headers' in reply ? Date.parse(reply.headers['retry-after'] ?? '') : NaN;
    if ('headers' in reply && !Number.isNaN(date)) reply.headers['retry-after'] = String(Math.max(0, Math.round((date - Date.now()) / 1000)));
    return reply;
  });
}

/** Okta's transport, patched to read a body that is not JSON (a proxy's HTML page) as an empty one. */
function oktaIgnoresNonJsonBodies(): void {
  const once = (Task.prototype as unknown as OktaTaskInternals).once;
  vi.spyOn(Task.prototype as unknown as OktaTaskInternals, 'once').mockImplementation(async function (this: OktaTaskInternals, request: WireRequest) {
    const reply = await once.call(this, request);
    if ('text' in reply && reply.text.trim().startsWith('<')) reply.text = '';
    return reply;
  });
}

/** Okta's transport, patched so that a 404 to the existing-user lookup fails it, as any other error would (§4.1 says it is a miss). */
function oktaFailsLookup404(): void {
  const once = (Task.prototype as unknown as OktaTaskInternals).once;
  vi.spyOn(Task.prototype as unknown as OktaTaskInternals, 'once').mockImplementation(async function (this: OktaTaskInternals, request: WireRequest) {
    const reply = await once.call(this, request);
    return 'status' in reply && reply.status === 404 && request.path.startsWith('/Users?filter=') ? { error: 'Not Found' } : reply;
  });
}

/** Okta's transport, patched to retry a 409 on the 429 schedule (Okta ref §11 documents retries for 429 only). */
function oktaRetriesConflicts(): void {
  const retries = (Task.prototype as unknown as OktaTaskInternals).retries;
  vi.spyOn(Task.prototype as unknown as OktaTaskInternals, 'retries').mockImplementation(function (this: OktaTaskInternals, reply: Reply) {
    return ('status' in reply && reply.status === 409) || retries.call(this, reply);
  });
}

/** Okta's transport, patched to read an empty create answer as a user (Okta ref §4.3 says the task fails). */
function oktaReadsEmptyCreateAsUser(): void {
  const once = (Task.prototype as unknown as OktaTaskInternals).once;
  vi.spyOn(Task.prototype as unknown as OktaTaskInternals, 'once').mockImplementation(async function (this: OktaTaskInternals, request: WireRequest) {
    const reply = await once.call(this, request);
    if ('text' in reply && request.method === 'POST' && reply.text.trim() === '') reply.text = '{"id":"read-from-nothing"}';
    return reply;
  });
}

/** Entra, patched not to escrow a failed object: nothing is retried in the next cycle (Entra ref §5.5). */
function entraDoesNotEscrow(): void {
  const record = CycleContext.prototype.recordFailure;
  vi.spyOn(CycleContext.prototype, 'recordFailure').mockImplementation(function (this: CycleContext, ...args: Parameters<CycleContext['recordFailure']>) {
    try {
      record.apply(this, args);
    } finally {
      this.env.state.escrows.delete(args[1]);
    }
  });
}

/** Entra, patched to send its probe and go on whatever the answer (Entra ref §3, §5.6 say it quarantines). */
function entraIgnoresProbe(): void {
  type Probing = { probe(): Promise<unknown> };
  const probe = (Cycle.prototype as unknown as Probing).probe;
  vi.spyOn(Cycle.prototype as unknown as Probing, 'probe').mockImplementation(async function (this: Probing) {
    await probe.call(this);
    return undefined;
  });
}

/** Entra's transport, patched to resend a throttled request at once: only the 1/requestsPerSecond of each request passes (Entra ref §5.10). */
function entraResendsAtOnce(): void {
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

/** Entra, patched to run a cycle for Test Connection: its failure then quarantines the job (Entra ref §3 says it is not a cycle). */
function entraTestConnectionIsACycle(): void {
  vi.spyOn(EntraJob.prototype, 'testConnection').mockImplementation(async function (this: EntraJob) {
    await this.cycle(this.state.watermark === undefined ? 'initial' : 'incremental');
  });
}

/** Entra, patched to report a Test Connection as passed whatever the probe's answer. */
function entraTestConnectionAlwaysPasses(): void {
  vi.spyOn(EntraJob.prototype, 'testConnection').mockImplementation(async function (this: EntraJob) {
    const env = (this as unknown as { env: JobEnv }).env;
    for (const request of probeRequests(env, 'test-connection', 1)) await env.transport.send(request);
    env.report({ idp: 'entra', kind: 'testConnection', virtualTime: env.clock.iso(), record: { status: 'Success', message: TEST_CONNECTION.success } });
  });
}

/** Entra, patched never to find its escrow thresholds passed (Entra ref §5.6). */
function entraIgnoresThresholds(): void {
  vi.spyOn(EntraJob.prototype as unknown as { escrowProblem(): unknown }, 'escrowProblem').mockReturnValue(undefined);
}

/** A setting turned the other way: the scenario file's settings with `settings` over them. */
const withSettings = (settings: Record<string, unknown>) => (scenario: Scenario): Scenario => ({ ...scenario, settings: { ...scenario.settings, ...settings } });

interface Mutation {
  /** What the mutated simulator does instead. */
  what: string;
  /** Installs a test-only patch (undone after the test). */
  patch?: () => void;
  /** Or changes the scenario's settings. */
  scenario?: (scenario: Scenario) => Scenario;
  /** Checks that must be among the failed ones: the reaction the scenario is about. */
  fails: string[];
}

const MUTATIONS: Record<string, Mutation[]> = {
  'okta.oin.throttled-create': [
    { what: 'resends the throttled POST at once, whatever Retry-After says', patch: oktaRetriesAtOnce, fails: ['outcome[0]'] },
    { what: 'never retries a 429', patch: oktaNeverRetries, fails: ['sent', 'outcome[0]', 'target ada'] },
  ],
  'okta.oin.throttled-group-push': [{ what: 'resends the throttled POST at once, without the 5 minutes', patch: oktaRetriesAtOnce, fails: ['outcome[0]'] }],
  'okta.oin.throttled-retry-after-date': [{ what: 'counts an HTTP-date Retry-After', patch: oktaCountsRetryAfterDates, fails: ['outcome[0]'] }],
  'okta.oin.throttled-ten-attempts': [
    { what: 'never retries a 429', patch: oktaNeverRetries, fails: ['sent', 'outcome[0]'] },
    { what: 'resends at once, whatever Retry-After says', patch: oktaRetriesAtOnce, fails: ['outcome[0]'] },
  ],
  'okta.oin.server-error-fails-task': [{ what: 'retries a 500 (retryServerErrors: true)', scenario: withSettings({ retryServerErrors: true }), fails: ['sent', 'outcome[0]'] }],
  'okta.oin.server-error-retried': [{ what: 'does not retry a 503 (retryServerErrors: false)', scenario: withSettings({ retryServerErrors: false }), fails: ['sent', 'outcome[0]', 'target ada'] }],
  'okta.oin.proxy-html-error-page': [{ what: 'reads the HTML page as an empty body', patch: oktaIgnoresNonJsonBodies, fails: ['outcome[0]'] }],
  'okta.oin.connection-reset': [{ what: 'retries the reset POST (retryServerErrors: true)', scenario: withSettings({ retryServerErrors: true }), fails: ['sent', 'outcome[0]'] }],
  'okta.oin.request-timeout': [{ what: 'retries the request that timed out', patch: oktaRetriesNoAnswerOnce, fails: ['sent', 'outcome[0]'] }],
  'okta.oin.lookup-404-is-a-miss': [{ what: 'fails the lookup answered 404', patch: oktaFailsLookup404, fails: ['sent', 'outcome[0]', 'target ada'] }],
  'okta.oin.create-conflict-409': [{ what: 'retries the POST answered 409', patch: oktaRetriesConflicts, fails: ['sent', 'outcome[0]'] }],
  'okta.oin.create-empty-answer': [{ what: 'reads the empty 201 as a user', patch: oktaReadsEmptyCreateAsUser, fails: ['sent', 'outcome[0]'] }],
  'entra.throttling.escrow': [
    { what: 'does not escrow the throttled create', patch: entraDoesNotEscrow, fails: ['sent'] },
    { what: 'waits for Retry-After instead (throttling: retry-after)', scenario: withSettings({ throttling: 'retry-after' }), fails: ['sent', 'outcome[0]'] },
  ],
  'entra.throttling.retry-after': [
    { what: 'resends the throttled POST at once, whatever Retry-After says', patch: entraResendsAtOnce, fails: ['outcome[0]'] },
    { what: 'escrows instead (throttling: escrow)', scenario: withSettings({ throttling: 'escrow' }), fails: ['sent', 'outcome[0]'] },
  ],
  'entra.quarantine.on-404-probe': [{ what: "goes on whatever the probe's answer", patch: entraIgnoresProbe, fails: ['sent', 'outcome[0]'] }],
  'entra.quarantine.on-404-group-probe': [{ what: "goes on whatever the group probe's answer", patch: entraIgnoresProbe, fails: ['outcome[0]'] }],
  'entra.quarantine.probe-server-error': [{ what: "goes on whatever the probe's answer", patch: entraIgnoresProbe, fails: ['sent', 'outcome[0]'] }],
  'entra.quarantine.probe-html-page': [{ what: "goes on whatever the probe's answer", patch: entraIgnoresProbe, fails: ['sent', 'outcome[0]'] }],
  'entra.quarantine.probe-not-filtered': [{ what: "goes on whatever the probe's answer", patch: entraIgnoresProbe, fails: ['sent', 'outcome[0]'] }],
  'entra.test-connection.unexpected-answers': [
    { what: 'passes Test Connection whatever the answer', patch: entraTestConnectionAlwaysPasses, fails: ['outcome[0]', 'outcome[1]', 'outcome[2]', 'outcome[3]'] },
    { what: 'runs a cycle for Test Connection, which quarantines the job', patch: entraTestConnectionIsACycle, fails: ['outcome[0]'] },
  ],
  'entra.failure.server-error-escrowed': [{ what: 'does not escrow the failed create', patch: entraDoesNotEscrow, fails: ['sent', 'target adele'] }],
  'entra.failure.proxy-html-page': [{ what: 'does not escrow the failed update', patch: entraDoesNotEscrow, fails: ['sent', 'target adele.displayName'] }],
  'entra.failure.connection-reset': [{ what: 'does not escrow the reset create', patch: entraDoesNotEscrow, fails: ['sent', 'target adele'] }],
  'entra.failure.timeout': [{ what: 'does not escrow the create that timed out', patch: entraDoesNotEscrow, fails: ['sent', 'target adele'] }],
  'entra.legacy.bundled-deactivation-refused': [{ what: 'does not escrow the refused PATCH', patch: entraDoesNotEscrow, fails: ['sent', 'outcome[0]'] }],
  'entra.legacy.manager-bare-string-read-back': [{ what: 'does not escrow the user it could not read', patch: entraDoesNotEscrow, fails: ['sent', 'target adele.displayName', 'outcome[0]'] }],
  'entra.quarantine.server-error-threshold': [
    { what: 'never finds the escrow thresholds passed', patch: entraIgnoresThresholds, fails: ['outcome[2]'] },
    { what: 'does not escrow the failed updates: the quarantine retry has nothing to send', patch: entraDoesNotEscrow, fails: ['sent', 'target adele.displayName', 'outcome[0]'] },
  ],
};

describe('the scenarios that inject faults (issue 15)', () => {
  it('are exactly those with a mutation here: every Okta and Entra scenario that injects a fault', () => {
    expect(library.filter(injectsFaults).map((s) => s.id).sort()).toEqual(Object.keys(MUTATIONS).sort());
  });

  it('each passes as it is, on its own embedded target, and receives its fault', async () => {
    const result = await runScenarios(library.filter(injectsFaults), { idps: IDPS, concurrency: 8 });
    const problems = result.scenarios.filter((s) => s.status !== 'passed').map((s) => `${s.id}: ${s.status} ${s.reason ?? failedChecks(s).map((c) => c.message).join('; ')}`);
    expect(problems).toEqual([]);
    for (const scenario of result.scenarios) {
      const idp = scenario.exchanges.filter((e) => e.kind === 'idp');
      expect(idp.some((e) => e.fault !== undefined), scenario.id).toBe(true);
    }
  });
});

describe.each(Object.entries(MUTATIONS))('%s', (id, mutations) => {
  it.each(mutations.map((m) => [m.what, m] as const))('fails when the simulator %s', async (_, mutation) => {
    mutation.patch?.();
    const scenario = (mutation.scenario ?? ((s: Scenario) => s))(byId(id));
    const result = await run(scenario);
    expect(result.status, result.reason).toBe('failed');
    const failed = failedChecks(result).map((c) => c.what);
    expect(failed, JSON.stringify(failedChecks(result).map((c) => c.message))).toEqual(expect.arrayContaining(mutation.fails));
  });
});
