import { setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import { CircuitBreaker } from '../http/breaker.js';
import { DEFAULT_DEADLINE_MS, DEFAULT_TIMEOUT_MS, ScimClient, type Credentials } from '../http/client.js';
import type { IdpRegistry } from '../idp/types.js';
import { newRunId } from '../steps/template.js';
import { Redactor } from '../http/redact.js';
import { Transcript } from '../http/transcript.js';
import { type Scenario } from '../types.js';
import { RUN_RESULT_VERSION, type RunResult, type ScenarioResult, type TargetInfo } from '../result.js';
import { VERSION } from '../version.js';
import { rootCauses } from './causes.js';
import { discoverFeatures, type Discovery } from './features.js';
import { preflight } from './preflight.js';
import { RunAbort } from './errors.js';
import { leftBehindItem } from '../../reports/run-end.js';
import { Leftovers } from './left-behind.js';
import { runScenario, scenarioResult, signalName } from './run-scenario.js';
import { discoverAttributes } from './schemas.js';
import { unsentable, unsupported } from './support.js';
import { embeddedClaims, type Claim } from './claim.js';
import { Targets } from './targets.js';
import { totalsOf } from './totals.js';

export interface RunOptions {
  /** The IdPs whose scenarios can run, by name (the CLI gives those this build simulates). */
  idps: IdpRegistry;
  /** The target; without it the reference server is started in-process. */
  target?: { url: string; credentials: Credentials };
  /** Values to redact wherever they appear, besides the credentials. */
  secrets?: string[];
  /** What the target claims (`run --profile`, claim.ts): decides instead of /ServiceProviderConfig, and skips what it does not claim. */
  profile?: Claim;
  /** Scenarios run at once. */
  concurrency?: number;
  /** The longest wait for a connection, response headers, or each chunk of a body. */
  timeoutMs?: number;
  /** The longest a whole request may take, an IdP's own included. */
  deadlineMs?: number;
  /** The most bytes of a response body read, as received and once decompressed. */
  maxResponseBytes?: number;
  /**
   * Stops the run with RunAbort (exit 3) once this many of the last twice as many requests got no answer
   * (refused, reset, timed out, too large), not counting what a scenario's faults cause; 0 never.
   */
  maxFailures?: number;
  keep?: boolean;
  /**
   * The embedded reference server's profile (docs/profiles.md) for the scenarios that name none and
   * whose IdP needs none: a bundled name or a file; default `strict`.
   */
  defaultProfile?: string;
  /**
   * Without `target`: where the embedded reference servers keep their resources, `memory` (the
   * default) or a PostgreSQL URL every one of them shares (README, "PostgreSQL store").
   */
  embeddedStore?: string;
  /**
   * With `target`: the admin token of a target served with `scimulator serve --admin-token`, through
   * whose admin API scenarios inject their faults, one at a time after the others. Without it they
   * are skipped. Redacted like the credentials.
   */
  adminToken?: string;
  /** Selection, recorded in the result. */
  selection?: RunResult['selection'];
  /** The undici dispatcher to send through: a MockAgent in tests and `replay`, a recording one for `run --record`. */
  dispatcher?: Dispatcher;
  /** The run id in every unique value and simulator seed; fresh by default, the recorded one for `replay`. */
  runId?: string;
  /**
   * Interrupts the run: no scenario starts after it aborts, those under way stop after their step
   * in flight (abandoned after 2 s) and clean up, and the result is marked `interrupted`. Abort it
   * with the signal's name as reason (`controller.abort('SIGINT')`) for the result to name it.
   */
  signal?: AbortSignal;
  /** Where the run keeps what it has left on the target, for a caller that stops it at once to list; the run keeps its own otherwise. */
  leftovers?: Leftovers;
  /** Told, once, what the run could not learn of the target and goes on without (its /Schemas unanswered). */
  onNotice?(notice: string): void;
  onScenarioStart?(scenario: Scenario): void;
  onScenarioEnd?(result: ScenarioResult, done: number, total: number): void;
}

/** The URL without any user:password part, for the result. */
function publicUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** How long an interrupted run waits for the requests in flight before abandoning them. */
const GRACE_MS = 2000;
/**
 * How long after the interrupt its cleanup may go on: then its requests are abandoned too, and
 * what they did not delete is listed as left behind, so that the reports are written within
 * seconds of a SIGTERM (CI systems kill a job a few seconds after asking it to stop).
 */
const CLEANUP_GRACE_MS = 5000;

/**
 * Follows the run's signal: when it aborted, a signal that abandons discovery at once, one that
 * abandons the requests still in flight GRACE_MS later, and one that abandons the cleanup's
 * CLEANUP_GRACE_MS later.
 */
function watchInterrupt(signal: AbortSignal | undefined) {
  const abandonDiscovery = new AbortController();
  const abandon = new AbortController();
  const abandonCleanup = new AbortController();
  // Every request in flight listens to them: many at once is expected.
  setMaxListeners(0, abandon.signal);
  setMaxListeners(0, abandonCleanup.signal);
  let at: Date | undefined;
  const timers: NodeJS.Timeout[] = [];
  const onAbort = () => {
    at = new Date();
    // Discovery only reads, before any scenario: no answer of it is worth waiting for.
    abandonDiscovery.abort(new Error('abandoned: the run was interrupted before its first scenario'));
    timers.push(
      setTimeout(() => abandon.abort(new Error(`abandoned: the run was interrupted, and no answer came within ${GRACE_MS / 1000} s`)), GRACE_MS),
      setTimeout(() => abandonCleanup.abort(new Error(`abandoned: the run was interrupted, and its cleanup had ${CLEANUP_GRACE_MS / 1000} s`)), CLEANUP_GRACE_MS),
    );
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    abandonDiscovery: abandonDiscovery.signal,
    abandon: abandon.signal,
    abandonCleanup: abandonCleanup.signal,
    at: () => at ?? new Date(),
    stop() {
      timers.forEach(clearTimeout);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Requests without an answer, of the last twice as many, after which a run stops (`--max-failures`).
 * The default concurrency: a target that answers discovery but drips or hangs on everything else
 * fails one request per scenario running, all within one `--deadline`, so the first such wave
 * stops the run (issue 20: 5 waited for a second wave, two deadlines). A target that answers,
 * however slowly, within the deadline never counts.
 */
export const DEFAULT_MAX_FAILURES = 4;

/**
 * Runs scenarios against a target and returns the RunResult. Throws RunAbort when the target
 * cannot be reached, does not answer SCIM, or refuses the credentials (the preflight), and when
 * it stops answering during the run (`maxFailures` of the last `2 × maxFailures` requests without an answer).
 */
export async function runScenarios(scenarios: readonly Scenario[], options: RunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const secrets = [...(options.secrets ?? []), ...(options.adminToken === undefined ? [] : [options.adminToken])];
  const breaker = new CircuitBreaker(options.maxFailures ?? DEFAULT_MAX_FAILURES);
  const connect = (url: string, credentials: Credentials) =>
    new ScimClient({
      baseUrl: url,
      credentials,
      redactor: new Redactor(secrets),
      timeoutMs: options.timeoutMs,
      deadlineMs: options.deadlineMs,
      maxResponseBytes: options.maxResponseBytes,
      breaker,
      dispatcher: options.dispatcher,
    });
  const interrupt = watchInterrupt(options.signal);
  const targets = new Targets({
    idps: options.idps,
    target: options.target,
    defaultProfile: options.defaultProfile,
    embeddedStore: options.embeddedStore,
    adminToken: options.adminToken,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    connect,
    abandon: interrupt.abandon,
    dispatcher: options.dispatcher,
  });
  const { signal } = options;
  const leftovers = options.leftovers ?? new Leftovers();
  /** The result of what ran; `scenarios` those that started, in selection order, the others left out as not run. */
  const resultOf = (target: TargetInfo, results: readonly (ScenarioResult | undefined)[]): RunResult => {
    // Scenarios an interrupt kept from starting are left out, not counted: the result holds what ran.
    const ran = results.filter((result) => result !== undefined);
    const notRun = scenarios.filter((_, index) => results[index] === undefined).map((scenario) => scenario.id);
    // Embedded servers end with the run: nothing they hold is left anywhere for anyone to delete.
    const leftBehind = target.embedded ? [] : ran.flatMap((result) => leftovers.of(result.id));
    const finishedAt = new Date();
    return {
      format: 'scimulator-run',
      version: RUN_RESULT_VERSION,
      tool: { name: 'scimulator', version: VERSION },
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      target,
      selection: options.selection ?? { files: [] },
      totals: totalsOf(ran),
      causes: rootCauses(ran),
      scenarios: ran,
      ...(signal?.aborted && { interrupted: { signal: signalName(signal), at: interrupt.at().toISOString(), notRun } }),
      ...(leftBehind.length > 0 && { leftBehind }),
    };
  };
  try {
    const primary = await targets.primary();
    let discovered: { discovery: Discovery; attributes?: Record<string, string[]> };
    try {
      // Abandoned on the interrupt: a run interrupted while the target hangs still ends at once, with its reports.
      discovered = await discover(primary.client.abortableBy(interrupt.abandonDiscovery), options);
    } catch (error) {
      if (!signal?.aborted) throw error;
      return resultOf({ url: publicUrl(primary.url), embedded: !options.target, features: {}, featureSource: 'assumed' }, []);
    }
    const { discovery, attributes } = discovered;
    const target: TargetInfo = {
      url: publicUrl(primary.url),
      embedded: !options.target,
      features: discovery.features,
      featureSource: discovery.source,
      ...(options.profile && { profile: options.profile.name }),
      ...(attributes && { attributes }),
    };
    const runId = options.runId ?? newRunId();
    const runOn = async (scenario: Scenario, index: number): Promise<ScenarioResult> => {
      let lease;
      try {
        lease = await targets.lease(scenario);
      } catch (error) {
        const reason = (error as Error).message;
        return scenarioResult(scenario, options.idps, { status: 'error', reason, durationMs: 0, steps: [], exchanges: [], outcomes: [] });
      }
      const { endpoint } = lease;
      try {
        return await runScenario(scenario, {
          idps: options.idps,
          client: endpoint.client,
          probe: endpoint.probe,
          baseUrl: endpoint.url,
          runId,
          index,
          keep: options.keep ?? false,
          interrupt: signal,
          abandon: interrupt.abandon,
          abandonCleanup: interrupt.abandonCleanup,
          leftovers,
          faults: endpoint.faults,
          invites: endpoint.invites,
          key: endpoint.key,
          clock: endpoint.clock,
          waits: endpoint.waits,
        });
      } finally {
        await lease.release();
      }
    };
    // Without --target, a scenario is judged by the profile of the embedded server it runs on.
    const claimOn = options.profile && !options.target ? embeddedClaims(options.profile) : undefined;
    const judgedBy = (scenario: Scenario): Discovery => {
      let claim: Claim | undefined;
      try {
        claim = claimOn?.(targets.profileOf(scenario));
      } catch {
        return discovery; // Its lease says why its profile cannot be had.
      }
      return claim ? { ...discovery, features: claim.features, claim } : discovery;
    };
    const results: ScenarioResult[] = new Array(scenarios.length);
    let done = 0;
    const runEach = async (queue: number[]) => {
      while (queue.length > 0 && !signal?.aborted && !breaker.signal.aborted) {
        const index = queue.shift()!;
        const scenario = scenarios[index]!;
        options.onScenarioStart?.(scenario);
        const judged = judgedBy(scenario);
        results[index] =
          unsupported(scenario, judged, attributes, options.idps) ?? targets.cannotRun(scenario) ?? unsentable(await runOn(scenario, index), attributes, judged.claim);
        options.onScenarioEnd?.(results[index]!, ++done, scenarios.length);
      }
    };
    // Scenarios whose faults are the whole target's (its admin API) run alone, after the others.
    const indexes = scenarios.map((_, index) => index);
    const together = indexes.filter((index) => !targets.runsAlone(scenarios[index]!));
    const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, together.length || 1));
    await Promise.all(Array.from({ length: concurrency }, () => runEach(together)));
    await runEach(indexes.filter((index) => targets.runsAlone(scenarios[index]!)));
    // An interrupted run writes its reports, whatever else went wrong by then.
    if (breaker.reason !== undefined && !signal?.aborted) throw new RunAbort(3, stoppedBy(breaker, leftovers));
    return resultOf(target, results);
  } finally {
    interrupt.stop();
    await targets.close();
  }
}

/**
 * What the target says of itself before the first scenario: the preflight (with a target given),
 * its features (or the profile's), and the attributes its /Schemas declares; a /Schemas that got
 * no answer is said once, through `onNotice`.
 */
async function discover(client: ScimClient, options: RunOptions): Promise<{ discovery: Discovery; attributes?: Record<string, string[]> }> {
  const log = new Transcript();
  // The preflight's GET /ServiceProviderConfig is discovery's too: sent once.
  const config = options.target ? await preflight(client, options.target.credentials, log) : undefined;
  const discovery = options.profile ? { features: options.profile.features, source: 'profile' as const, claim: options.profile } : await discoverFeatures(client, log, config);
  const { attributes, unanswered } = await discoverAttributes(client, log);
  // An interrupt abandons /Schemas too: then no scenario runs, and there is nothing to say.
  if (unanswered !== undefined && !options.signal?.aborted) {
    options.onNotice?.(`${unanswered}: the attributes the target declares are not known, so no scenario is skipped for want of one.`);
  }
  return { discovery, ...(attributes && { attributes }) };
}

/** Why a run stopped on its breaker, what to check, and what it leaves on the target. */
function stoppedBy(breaker: CircuitBreaker, leftovers: Leftovers): string {
  const left = leftovers.now('not deleted: the run stopped before its cleanup');
  const lines = [
    `The run stopped: ${breaker.reason}. (--max-failures ${breaker.limit} stops a run once that many of the last ${2 * breaker.limit} requests fail so; 0 never stops.)`,
    ...(left.length === 0 ? [] : [`Left on the target (${left.length}), to delete by hand:`, ...left.map((l) => `  ${leftBehindItem(l)}`)]),
  ];
  return lines.join('\n');
}
