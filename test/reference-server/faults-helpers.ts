import { Agent, request, type Dispatcher } from 'undici';
import { afterEach, vi } from 'vitest';
import type { ReferenceServer } from '../../reference-server/app.js';
import type { Timers } from '../../reference-server/faults/timers.js';
import type { ReferenceServerOptions } from '../../reference-server/options.js';
import { referenceServer } from './store-helpers.js';

/** Shared by the fault tests: virtual timers, a listening server and an HTTP client over loopback. */

export const TOKEN = 't';
export const AUTH = { authorization: `Bearer ${TOKEN}` };
export const T0 = Date.parse('2026-01-05T09:00:00.000Z');

/** Timers that fire only when `advance` moves their clock: no test waits on wall time. */
export class VirtualTimers implements Timers {
  private clock = 0;
  private next = 0;
  private readonly pending = new Map<number, { at: number; run: () => void }>();
  private waiters: (() => void)[] = [];

  setTimeout(run: () => void, ms: number): unknown {
    const id = ++this.next;
    this.pending.set(id, { at: this.clock + ms, run });
    for (const wake of this.waiters.splice(0)) wake();
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** How many timers are waiting. */
  get size(): number {
    return this.pending.size;
  }

  /** Resolves once at least `count` timers wait: the request has reached the server's fault hook. */
  async waiting(count = 1): Promise<void> {
    while (this.pending.size < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Moves the clock `ms` forward, running every timer that falls due, in order. */
  advance(ms: number): void {
    const until = this.clock + ms;
    for (;;) {
      const due = [...this.pending].filter(([, t]) => t.at <= until).sort(([a, x], [b, y]) => x.at - y.at || a - b)[0];
      if (due === undefined) break;
      this.pending.delete(due[0]);
      this.clock = due[1].at;
      due[1].run();
    }
    this.clock = until;
  }
}

/** A response's body as JSON. */
export const json = async (response: Dispatcher.ResponseData): Promise<Record<string, any>> => (await response.body.json()) as Record<string, any>;

/** Lets the event loop run `turns` times: what is due on sockets happens. Not a wait on the clock. */
export async function turns(count = 20): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

export interface Served {
  server: ReferenceServer;
  /** The base URL: http://127.0.0.1:port/scim/v2 */
  url: string;
  origin: string;
  timers: VirtualTimers;
  /** The server's clock. */
  clock: { now: number };
  get(path: string, options?: RequestOptions): Promise<Dispatcher.ResponseData>;
  send(method: Dispatcher.HttpMethod, path: string, options?: RequestOptions): Promise<Dispatcher.ResponseData>;
}

export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Default the SCIM token's Authorization header. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const open: { server: ReferenceServer; agent: Agent }[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const { server, agent } of open.splice(0)) {
    await server.close();
    await agent.destroy();
  }
});

/** A listening reference server on a fake clock, virtual timers and the test store (store-helpers.ts), and a client with its own connection pool. */
export async function serve(options: ReferenceServerOptions = {}): Promise<Served> {
  const timers = new VirtualTimers();
  const clock = { now: T0 };
  const server = referenceServer({ tokens: [TOKEN], now: () => new Date(clock.now), timers, ...options });
  const { url } = await server.listen();
  const agent = new Agent();
  open.push({ server, agent });
  const origin = new URL(url).origin;
  /** A path starting with /_ is outside the base path (the admin API); others are below it. */
  const send = (method: Dispatcher.HttpMethod, path: string, { body, headers = AUTH, signal }: RequestOptions = {}) =>
    request(path.startsWith('/_') ? `${origin}${path}` : `${url}${path}`, {
      method,
      dispatcher: agent,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  return { server, url, origin, timers, clock, get: (path, options) => send('GET', path, options), send };
}

/** The lines the server's request log writes (`log: 'json'`), parsed. */
export function captureLog(): { entries: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = String(chunk);
    if (text.startsWith('{"time"')) {
      lines.push(text);
      return true;
    }
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write);
  return { entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
