import { setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import { ScimClient, type Credentials } from '../http/client.js';
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
  timeoutMs?: number;
  keep?: boolean;
  /**
   * The embedded reference server's profile (docs/profiles.md) for the scenarios that name none and
   * whose IdP needs none: a bundled name or a file; default `strict`.
   */
  defaultProfile?: string;
  /**
   * With `target`: the admin token of a target served with `scimulator serve --admin-token`, through
   * whose admin API scenarios inject their faults, one at a time after the others. Without it they
   * are skipped. Redacted like the credentials.
   */
  adminToken?: string;
  /** Selection, recorded in the result. */
  selection?: RunResult['selection'];
  /** For tests: the undici dispatcher to send through (a MockAgent). */
  dispatcher?: Dispatcher;
  /**
   * Interrupts the run: no scenario starts after it aborts, those under way stop after their step
   * in flight (abandoned after 2 s) and clean up, and the result is marked `interrupted`. Abort it
   * with the signal's name as reason (`controller.abort('SIGINT')`) for the result to name it.
   */
  signal?: AbortSignal;
  /** Where the run keeps what it has left on the target, for a caller that stops it at once to list; the run keeps its own otherwise. */
  leftovers?: Leftovers;
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

/** Follows the run's signal: when it aborted, and a signal that abandons the requests still in flight GRACE_MS later. */
function watchInterrupt(signal: AbortSignal | undefined) {
  const abandon = new AbortController();
  // Every request in flight listens to it (undici adds one listener each): many at once is expected.
  setMaxListeners(0, abandon.signal);
  let at: Date | undefined;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    at = new Date();
    timer = setTimeout(() => abandon.abort(new Error(`abandoned: the run was interrupted, and no answer came within ${GRACE_MS / 1000} s`)), GRACE_MS);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    abandon: abandon.signal,
    at: () => at ?? new Date(),
    stop() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Runs scenarios against a target and returns the RunResult. Throws RunAbort when the target
 * cannot be reached, does not answer SCIM, or refuses the credentials (the preflight).
 */
export async function runScenarios(scenarios: readonly Scenario[], options: RunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const secrets = [...(options.secrets ?? []), ...(options.adminToken === undefined ? [] : [options.adminToken])];
  const connect = (url: string, credentials: Credentials) =>
    new ScimClient({ baseUrl: url, credentials, redactor: new Redactor(secrets), timeoutMs: options.timeoutMs, dispatcher: options.dispatcher });
  const targets = new Targets({
    idps: options.idps,
    target: options.target,
    defaultProfile: options.defaultProfile,
    adminToken: options.adminToken,
    timeoutMs: options.timeoutMs ?? 30_000,
    connect,
  });
  const primary = await targets.primary();
  const interrupt = watchInterrupt(options.signal);
  try {
    const discoveryLog = new Transcript();
    if (options.target) await preflight(primary.client, options.target.credentials, discoveryLog);
    const discovery = options.profile
      ? { features: options.profile.features, source: 'profile' as const, claim: options.profile }
      : await discoverFeatures(primary.client, discoveryLog);
    const attributes = await discoverAttributes(primary.client, discoveryLog);
    const target: TargetInfo = {
      url: publicUrl(primary.url),
      embedded: !options.target,
      features: discovery.features,
      featureSource: discovery.source,
      ...(options.profile && { profile: options.profile.name }),
      ...(attributes && { attributes }),
    };
    const runId = newRunId();
    const { signal } = options;
    const leftovers = options.leftovers ?? new Leftovers();
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
          leftovers,
          faults: endpoint.faults,
          invites: endpoint.invites,
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
      while (queue.length > 0 && !signal?.aborted) {
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
    // Scenarios an interrupt kept from starting are left out, not counted: the result holds what ran.
    const ran = results.filter((result) => result !== undefined);
    const notRun = scenarios.filter((_, index) => results[index] === undefined).map((scenario) => scenario.id);
    const leftBehind = ran.flatMap((result) => leftovers.of(result.id));
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
  } finally {
    interrupt.stop();
    await targets.close();
  }
}
