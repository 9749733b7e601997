import type { ScimClient } from '../http/client.js';
import { Redactor } from '../http/redact.js';
import { Transcript } from '../http/transcript.js';
import { idpNamed, type IdpRegistry, type IdpSimulator, type StepRun, type TargetWaits } from '../idp/types.js';
import { FilterProbe } from '../steps/refusal.js';
import { runRequestStep } from '../steps/request-step.js';
import { withCause } from './causes.js';
import { runExpectStep } from './expect-step.js';
import { injectsFaults, type ScenarioFaults } from './faults.js';
import { runInviteStep, type ScenarioInvites } from './invites.js';
import { cleanUp } from './cleanup.js';
import type { Leftovers } from './left-behind.js';
import { eventSecrets, scenarioSecrets, shownArguments } from './scenario-secrets.js';
import { runRotateStep, type ScenarioKey } from './token.js';
import { runClockStep, type ScenarioClock } from './clock.js';
import { fillTemplates, TemplateError, Vars } from '../steps/template.js';
import type { ExpectStep, FaultsStep, IdpStep, Scenario, Step } from '../types.js';
import type { Outcome, ScenarioResult, Status, StepResult } from '../result.js';

export interface ScenarioRunOptions {
  /** The IdPs whose scenarios can run, by name. */
  idps: IdpRegistry;
  client: ScimClient;
  /** The run's answers on which filter operators the target refuses (shared by its scenarios). */
  probe: FilterProbe;
  /** Seeds `{{unique.*}}` so that names differ between runs and scenarios. */
  runId: string;
  index: number;
  /** Leave what the scenario created on the target. */
  keep: boolean;
  baseUrl: string;
  /** Aborted when the run is interrupted: no further step starts. Its reason is the signal's name (see `signalName`). */
  interrupt?: AbortSignal;
  /** Aborted when an interrupted run stops waiting: the steps' requests in flight are abandoned; cleanup still runs. */
  abandon?: AbortSignal;
  /** Aborted when an interrupted run stops waiting for its cleanup: what is not deleted by then is left behind. */
  abandonCleanup?: AbortSignal;
  /** Where the run keeps what it has left on the target: for its result, and for a run stopped at once to list. */
  leftovers: Leftovers;
  /** The target's faults, for a scenario that injects some (`target.faults`, `target:` steps). */
  faults?: ScenarioFaults;
  /** The target's pending invites, for a scenario that acts as its team admin (`target: { invite }` steps); absent when it has none. */
  invites?: ScenarioInvites;
  /** The target's key, for a scenario that regenerates it (`target: { rotateToken }` steps). */
  key?: ScenarioKey;
  /** The target's clock, for a scenario that moves it (`target: { advanceClock }` steps). */
  clock?: ScenarioClock;
  /** The waits the target's faults hold requests with, when the run can see them (a scenario's own embedded server). */
  waits?: TargetWaits;
}

/** The name of the signal that interrupted the run: an abort reason given as a string (`SIGINT`), else `abort`. */
export function signalName(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'abort';
}

/** A step's name; an IdP event's is built from its argument, with any secret in it `[redacted]` (scenario-secrets.ts). */
function stepName(step: Step, idp: string, idps: IdpRegistry): string {
  switch (step.kind) {
    case 'request':
      return step.name ?? `${step.request.method.toUpperCase()} ${step.request.path}`;
    case 'idp': {
      const args = shownArguments(idp, step, idps);
      return `${step.action} ${typeof args === 'string' ? args : JSON.stringify(args)}`;
    }
    case 'target':
      if ('invite' in step) return `target: ${step.invite.action} invite ${step.invite.key}`;
      if ('rotateToken' in step) return 'target: regenerate the SCIM key';
      if ('advanceClock' in step) return `target: clock +${step.advanceClock / 1000}s`;
      return step.faults.length === 0 ? 'target: no faults' : `target: faults ${step.faults.map((rule, i) => rule.name ?? `#${i + 1}`).join(', ')}`;
    default:
      return 'expect';
  }
}

function skipped(step: Step, name: string, index: number, reason: string): StepResult {
  return { index, name, status: 'skipped', checks: [], error: reason, durationMs: 0 };
}

/**
 * The first step that did not pass decides: a failed check makes the scenario failed, even when
 * later steps then could not run for want of a value it should have produced.
 */
function overall(steps: readonly StepResult[]): Status {
  const first = steps.find((s) => s.status === 'failed' || s.status === 'error' || s.status === 'blocked');
  return first ? first.status : 'passed';
}

/** A scenario's result: what the scenario says of itself, the variant its IdP (in `idps`) names, and what happened. */
export function scenarioResult(
  scenario: Scenario,
  idps: IdpRegistry,
  happened: Pick<ScenarioResult, 'status' | 'durationMs' | 'steps' | 'exchanges' | 'outcomes'> & Pick<Partial<ScenarioResult>, 'reason' | 'cause'>,
): ScenarioResult {
  const { id, title, idp, refs, tags, requires, covers } = scenario;
  const variant = scenario.idp === 'none' ? undefined : idpNamed(idps, scenario.idp)?.variantOf?.(scenario.settings);
  return { id, title, file: scenario.source.file, idp, refs, tags, requires, covers, ...(variant && { variant }), ...happened };
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Performs an IdP event or clock step, its templates filled (and shown to `filled`, which keeps
 * the secrets in them); an exception is the step's error, in words.
 */
async function performIdpStep(simulator: IdpSimulator, step: IdpStep, name: string, index: number, vars: Vars, run: StepRun, filled: (args: unknown) => void): Promise<StepResult> {
  const started = performance.now();
  try {
    const args = fillTemplates(step.args, vars, index);
    filled(args);
    await simulator.perform({ ...step, args }, run);
    return { index, name, status: 'passed', checks: [], durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { index, name, status: 'error', checks: [], error: errorText(error), durationMs: Math.round(performance.now() - started) };
  }
}

/** Replaces the target's faults as a `target:` step says; a target that cannot is the step's error. */
async function performTargetStep(step: FaultsStep, name: string, index: number, faults: ScenarioFaults): Promise<StepResult> {
  const started = performance.now();
  const done = (error?: string): StepResult => ({
    index,
    name,
    status: error === undefined ? 'passed' : 'error',
    checks: [],
    ...(error !== undefined && { error }),
    durationMs: Math.round(performance.now() - started),
  });
  try {
    await faults.install(step.faults);
    return done();
  } catch (error) {
    return done(`could not change the target's faults: ${errorText(error)}`);
  }
}

/**
 * Installs the scenario's `target.faults` before its first step; answers why not, when the target
 * cannot take them (or the run has given none to change).
 */
async function installFaults(scenario: Scenario, faults: ScenarioFaults | undefined): Promise<string | undefined> {
  if (!faults) return 'the scenario injects faults, and its target has no way to take them';
  try {
    await faults.install(scenario.target?.faults ?? []);
    return undefined;
  } catch (error) {
    return `could not install the scenario's faults: ${errorText(error)}`;
  }
}

/**
 * The scenario's simulator, built from the scenario with its directory's templates (`{{unique.*}}`
 * logins) filled, and that scenario; or why it cannot be.
 */
function createSimulator(scenario: Scenario, idps: IdpRegistry, vars: Vars, runId: string): { simulator: IdpSimulator; filled: Scenario } | string {
  const factory = idpNamed(idps, scenario.idp)?.create;
  if (!factory) return `This build of scimulator has no ${scenario.idp} simulator yet`;
  try {
    const filled = scenario.directory === undefined ? scenario : { ...scenario, directory: fillTemplates(scenario.directory, vars, 0) as Record<string, unknown> };
    return { simulator: factory(filled, { seed: `${scenario.id}:${runId}` }), filled };
  } catch (error) {
    return `The ${scenario.idp} simulator cannot run this scenario: ${errorText(error)}`;
  }
}

const NOT_RUN_INTERRUPTED = 'Not run: the run was interrupted';

/** Where an interrupt cut a scenario: before a step started, or during one that then could not finish. */
interface Cut {
  step: number;
  during: boolean;
}

/** An interrupted scenario's reason, and the cause it shares with every scenario the interrupt cut. */
function interrupted(signal: string, cut: Cut, steps: number): Pick<ScenarioResult, 'reason' | 'cause'> {
  const notRun = steps - cut.step - (cut.during ? 1 : 0);
  const rest = notRun > 0 ? `; ${notRun} step(s) not run` : '';
  return {
    reason: `Interrupted by ${signal} ${cut.during ? 'during' : 'before'} step ${cut.step + 1} of ${steps}${rest}`,
    cause: { key: 'interrupted', summary: `the run was interrupted by ${signal} before the scenario finished` },
  };
}

/**
 * Runs one scenario's steps in order; a step that cannot run skips the rest, and so does an
 * interrupt. Then deletes what the scenario created, unless asked to keep it.
 */
export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const faulted = injectsFaults(scenario);
  const faults = faulted ? options.faults : undefined;
  const transcript = new Transcript(faults?.injectedSince?.bind(faults));
  if (!options.keep) options.leftovers.begin(scenario.id, transcript);
  // Failures the scenario asks its target for say nothing of whether the target is still there (the run's breaker).
  const counted = (base: ScimClient) => (faulted ? base.uncounted() : base);
  // The steps' requests are abandoned once an interrupted run stops waiting; the cleanup's later, so that it still cleans up.
  const forSteps = (base: ScimClient) => (options.abandon ? counted(base).abortableBy(options.abandon) : counted(base));
  const forCleanup = (base: ScimClient) => (options.abandonCleanup ? counted(base).abortableBy(options.abandonCleanup) : counted(base));
  // A key rotation replaces them all with a client that sends the new key (closed when the scenario ends).
  let client = forSteps(options.client);
  let cleanupClient = forCleanup(options.client);
  let probe = options.probe;
  let currentKey = options.key?.initial;
  const rotatedClients: ScimClient[] = [];
  const vars = new Vars(options.runId, options.index, options.baseUrl);
  const outcomes: Outcome[] = [];
  const steps: StepResult[] = [];
  const nameOf = (step: Step) => stepName(step, scenario.idp, options.idps);
  const built = scenario.idp === 'none' ? undefined : createSimulator(scenario, options.idps, vars, options.runId);
  const simulator = typeof built === 'string' ? undefined : built?.simulator;
  // What the scenario writes that is secret, kept out of its result: its settings' and directory's now, its events' as they are performed.
  const secrets = scenarioSecrets(typeof built === 'object' ? built.filled : scenario, options.idps);
  // Faults go in after the run's discovery and before the first step, and come out before the cleanup.
  const setupError = typeof built === 'string' ? built : faulted ? await installFaults(scenario, faults) : undefined;
  // What the IdP did since the previous expect step.
  let sentFrom = 0;
  let outcomesFrom = 0;

  let stopReason = setupError;
  let cut: Cut | undefined;
  for (const [index, step] of scenario.steps.entries()) {
    if (stopReason === undefined && options.interrupt?.aborted) {
      cut = { step: index, during: false };
      stopReason = NOT_RUN_INTERRUPTED;
    }
    if (stopReason !== undefined) {
      steps.push(skipped(step, nameOf(step), index, stopReason));
      continue;
    }
    let result: StepResult;
    if (step.kind === 'request') {
      result = await runRequestStep(step, index, { client, transcript, vars, refs: scenario.refs, probe });
    } else if (step.kind === 'target' && 'rotateToken' in step) {
      const rotated = await runRotateStep(step, index, nameOf(step), vars, options.key, currentKey, secrets);
      result = rotated.result;
      if (rotated.client) {
        rotatedClients.push(rotated.client);
        currentKey = rotated.token;
        client = forSteps(rotated.client);
        cleanupClient = forCleanup(rotated.client);
        // The run's probe asks with the key this scenario replaced: its own asks with the new one.
        probe = new FilterProbe(client);
      }
    } else if (step.kind === 'target' && 'advanceClock' in step) {
      result = await runClockStep(step, index, nameOf(step), options.clock);
    } else if (step.kind === 'target') {
      result = 'invite' in step ? await runInviteStep(step, index, nameOf(step), vars, options.invites) : await performTargetStep(step, nameOf(step), index, faults!);
    } else if (step.kind === 'idp') {
      const run: StepRun = {
        client,
        transcript,
        step: index,
        report: (o) => outcomes.push({ ...o, step: index }),
        secret: (value) => secrets.push(value),
        ...(options.waits && { waits: options.waits }),
      };
      result = await performIdpStep(simulator!, step, nameOf(step), index, vars, run, (args) => secrets.push(...eventSecrets(scenario.idp, step.action, args, options.idps)));
    } else {
      const sent = transcript.exchanges.slice(sentFrom).filter((e) => e.kind === 'idp');
      try {
        const { sent: expectSent, target, outcome } = fillTemplates({ sent: step.sent, target: step.target, outcome: step.outcome }, vars, index) as Partial<ExpectStep>;
        result = await runExpectStep({ ...step, sent: expectSent, target, outcome }, index, {
          client,
          transcript,
          targetOf: (name) => simulator!.targetOf(name),
          refs: scenario.refs,
          sent,
          outcomes: outcomes.slice(outcomesFrom),
        });
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        result = { index, name: 'expect', status: 'error', checks: [], error: error.message, durationMs: 0 };
      }
      sentFrom = transcript.exchanges.length;
      outcomesFrom = outcomes.length;
    }
    steps.push(result);
    // An error once interrupted is the interrupt's doing (an abandoned request), not the target's.
    if (result.status === 'error' && options.interrupt?.aborted) {
      cut = { step: index, during: true };
      stopReason = NOT_RUN_INTERRUPTED;
    } else if (result.status === 'error') stopReason = `Not run: step ${index + 1} could not run`;
    if (result.status === 'blocked') stopReason = `Not run: step ${index + 1} was blocked (${result.cause?.summary ?? 'by the target'})`;
  }
  const clearError = faults ? await faults.clear().then(() => undefined, (error: unknown) => `could not clear its faults from the target: ${errorText(error)}`) : undefined;
  if (!options.keep) options.leftovers.end(scenario.id, transcript, await cleanUp(scenario.id, transcript, cleanupClient, (value) => vars.holdsUnique(value)));
  // A target the run shares gets the run's key back, once the scenario no longer needs its own.
  const restoreError =
    rotatedClients.length > 0 && options.key?.restore
      ? await options.key.restore().then(() => undefined, (error: unknown) => `could not give the run's key back to the target: ${errorText(error)}`)
      : undefined;
  await Promise.all(rotatedClients.map((rotated) => rotated.close()));

  const status = setupError || cut || clearError || restoreError ? 'error' : overall(steps);
  const result = scenarioResult(scenario, options.idps, { status, durationMs: Math.round(performance.now() - started), steps, exchanges: transcript.exchanges, outcomes });
  // Exchanges are redacted as they are recorded; this also covers what the IdP said, checks, causes and errors.
  // The passwords the scenario's requests sent are its secrets too: a target may have echoed one into a check's message.
  const known = [...secrets, ...transcript.sentPasswords];
  const scrubbed = (ended: ScenarioResult) => (known.length === 0 ? ended : (new Redactor(known).json(ended) as ScenarioResult));
  if (cut) return scrubbed({ ...result, ...interrupted(signalName(options.interrupt!), cut, scenario.steps.length) });
  const firstError = steps.find((s) => s.status === 'error')?.error ?? (status === 'error' ? (stopReason ?? clearError ?? restoreError) : undefined);
  if (firstError) result.reason = firstError;
  if (status === 'blocked') result.reason = `blocked: ${steps.find((s) => s.cause)?.cause?.summary ?? 'by the target'}`;
  return scrubbed(withCause(result));
}
