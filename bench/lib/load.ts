/** The load generator: autocannon's programmatic API, in this (pinned) process. */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST' | 'PATCH';
  headers: Record<string, string>;
  /** `[<id>]` in the body is replaced by a number unique to the process for every request (unique userNames). */
  body?: string;
  /** Bodies sent in turn, one per request (instead of `body`). */
  bodies?: string[];
  /**
   * Requests each connection sends in turn (instead of `body`/`bodies`), each built when sent from
   * the connection's own `context`, which autocannon empties when the turn starts over: a later
   * request of a turn can refer to what an earlier one did, in order, as a connection waits for
   * each answer.
   */
  turns?: ((context: Record<string, unknown>) => { path: string; body: string })[];
  seconds: number;
  /** A fixed number of requests instead of a duration (quick mode: autocannon runs at least a second otherwise). */
  amount?: number;
  connections: number;
}

export interface LoadResult {
  /** Successful (2xx) responses per second. */
  rps: number;
  /** Responses received (any status). */
  requests: number;
  /** Filled in by the caller: the server's CPU per response, µs. */
  serverCpuUs?: number;
  /** Responses that were not 2xx, and connection errors: a run with any is reported as such. */
  failures: number;
  /** Share of one core this process (autocannon) used: near 1 means the generator, not the server, was the limit. */
  generatorCpu: number;
}

/** The sampling interval of a run of `amount` requests (rates use the measured elapsed time, not the samples). */
const AMOUNT_SAMPLE_MS = 20;

let sequence = 0;

/** autocannon 8's own `idReplacement` sends nothing at all here, so ids are filled in by `setupRequest`. */
function bodyOptions(body: string) {
  if (!body.includes('[<id>]')) return { body };
  const parts = body.split('[<id>]');
  return { requests: [{ setupRequest: (request: object) => ({ ...request, body: parts.join(`b${process.pid}x${++sequence}`) }) }] };
}

export async function load(spec: LoadSpec): Promise<LoadResult> {
  const before = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    ...(spec.body !== undefined && bodyOptions(spec.body)),
    ...(spec.bodies && { requests: [{ setupRequest: (request: object) => ({ ...request, body: spec.bodies![++sequence % spec.bodies!.length] }) }] }),
    ...(spec.turns && { requests: spec.turns.map((build) => ({ setupRequest: (request: object, context: object) => ({ ...request, ...build(context as Record<string, unknown>) }) })) }),
    // autocannon notices that the amount is done only when it takes a sample, every `sampleInt` ms
    // (1000 by default): a short interval ends a run of a few hundred requests without waiting.
    ...(spec.amount ? { amount: spec.amount, sampleInt: AMOUNT_SAMPLE_MS } : { duration: spec.seconds }),
    connections: spec.connections,
    pipelining: 1,
    timeout: 10,
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(before);
  const ok = (result as unknown as { '2xx': number })['2xx'];
  return {
    requests: result.requests.total,
    rps: ok / (spec.amount ? elapsed : result.duration),
    failures: result.non2xx + result.errors,
    generatorCpu: (cpu.user + cpu.system) / 1e6 / elapsed,
  };
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
