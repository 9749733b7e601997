import { setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import { ScimClient, type Credentials } from '../http/client.js';
import { idpNamed, type IdpRegistry } from '../idp/types.js';
import { FilterProbe } from '../steps/refusal.js';
import { newRunId } from '../steps/template.js';
import { Redactor } from '../http/redact.js';
import { Transcript } from '../http/transcript.js';
import { type Scenario } from '../types.js';
import { RUN_RESULT_VERSION, type RunResult, type ScenarioResult, type TargetInfo } from '../result.js';
import { VERSION } from '../version.js';
import { startEmbeddedTarget } from './embedded.js';
import { rootCauses } from './causes.js';
import { discoverFeatures } from './features.js';
import { preflight } from './preflight.js';
import { Leftovers } from './left-behind.js';
import { runScenario, signalName } from './run-scenario.js';
import { discoverAttributes } from './schemas.js';
import { unsentable, unsupported } from './support.js';
import { totalsOf } from './totals.js';

/** Where scenarios are sent: a base URL and the client for it. */
interface Endpoint {
  url: string;
  client: ScimClient;
  probe: FilterProbe;
  close(): Promise<void>;
}

export interface RunOptions {
  /** The IdPs whose scenarios can run, by name (the CLI gives those this build simulates). */
  idps: IdpRegistry;
  /** The target; without it the reference server is started in-process. */
  target?: { url: string; credentials: Credentials };
  /** Values to redact wherever they appear, besides the credentials. */
  secrets?: string[];
  /** Features to assume instead of reading /ServiceProviderConfig (a profile file). */
  profile?: Record<string, boolean>;
  /** Scenarios run at once. */
  concurrency?: number;
  timeoutMs?: number;
  keep?: boolean;
  /** Start the embedded reference server in lenient mode for every scenario, not only for IdPs that need it. */
  lenient?: boolean;
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
  const secrets = options.secrets ?? [];
  const connect = (url: string, credentials: Credentials) =>
    new ScimClient({ baseUrl: url, credentials, redactor: new Redactor(secrets), timeoutMs: options.timeoutMs, dispatcher: options.dispatcher });
  const open = async (lenient: boolean): Promise<Endpoint> => {
    if (options.target) {
      const client = connect(options.target.url, options.target.credentials);
      return { url: options.target.url, client, probe: new FilterProbe(client), close: () => client.close() };
    }
    const embedded = await startEmbeddedTarget({ lenient });
    const client = connect(embedded.url, { kind: 'bearer', token: embedded.token });
    return { url: embedded.url, client, probe: new FilterProbe(client), close: async () => (await client.close(), await embedded.close()) };
  };
  const primary = await open(options.lenient ?? false);
  // Without a target, the scenarios of an IdP that needs it (a dialect departing from RFC 7644)
  // meet a lenient reference server, and everything else a strict one.
  let lenient: Promise<Endpoint> | undefined;
  const endpointFor = (scenario: Scenario): Promise<Endpoint> => {
    if (options.target || options.lenient || idpNamed(options.idps, scenario.idp)?.target.lenient !== true) return Promise.resolve(primary);
    return (lenient ??= open(true));
  };
  const interrupt = watchInterrupt(options.signal);
  try {
    const discoveryLog = new Transcript();
    if (options.target) await preflight(primary.client, options.target.credentials, discoveryLog);
    const discovery = options.profile
      ? { features: options.profile, source: 'profile' as const }
      : await discoverFeatures(primary.client, discoveryLog);
    const attributes = await discoverAttributes(primary.client, discoveryLog);
    const target: TargetInfo = {
      url: publicUrl(primary.url),
      embedded: !options.target,
      features: discovery.features,
      featureSource: discovery.source,
      ...(attributes && { attributes }),
    };
    const runId = newRunId();
    const { signal } = options;
    const leftovers = options.leftovers ?? new Leftovers();
    const runOn = (endpoint: Endpoint, scenario: Scenario, index: number) =>
      runScenario(scenario, {
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
      });
    const results: ScenarioResult[] = new Array(scenarios.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < scenarios.length && !signal?.aborted) {
        const index = next++;
        const scenario = scenarios[index]!;
        options.onScenarioStart?.(scenario);
        results[index] = unsupported(scenario, discovery, attributes, options.idps) ?? unsentable(await runOn(await endpointFor(scenario), scenario, index), attributes);
        options.onScenarioEnd?.(results[index]!, ++done, scenarios.length);
      }
    };
    const concurrency = Math.max(1, Math.min(options.concurrency ?? 4, scenarios.length || 1));
    await Promise.all(Array.from({ length: concurrency }, worker));
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
    await primary.close();
    if (lenient) await (await lenient).close();
  }
}
