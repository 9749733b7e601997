/**
 * 1. Server throughput, side by side: the reference server against raw node:http, bare fastify
 * answering fixed bodies, and a scimmy + scimmy-routers server, each in its own process on core 0,
 * autocannon on core 1.
 */
import { startChild, type ChildServer } from '../lib/child.js';
import { load, median, type LoadResult } from '../lib/load.js';
import { DEACTIVATE, REACTIVATE, TOKEN, USER_SCHEMA, type ServerReady } from '../lib/users.js';

export const SERVERS = ['reference', 'raw', 'fastify', 'scimmy'] as const;
export type ServerName = (typeof SERVERS)[number];
export const OPS = ['get', 'filter', 'patch', 'post'] as const;
export type Op = (typeof OPS)[number];
export const OP_LABEL: Record<Op, string> = {
  get: 'GET /Users/{id}',
  filter: 'GET /Users?filter=userName eq "…"',
  patch: 'PATCH active false / true',
  post: 'POST /Users',
};

export interface HttpSizes {
  users: number;
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number;
  /** Quick mode: a fixed number of requests per run instead of `seconds`. */
  amount?: number;
  /** The operations to measure, in OPS order. */
  ops: readonly Op[];
}

export interface OpMeasure {
  rps: number;
  /** The server's CPU time per response, in microseconds: unlike req/s, unaffected by other load on the machine. */
  cpuUs: number;
  runs: number[];
  failures: number;
  generatorCpu: number;
}
/** Per server, the operations measured (all of OPS unless `--ops` chose some). */
export type HttpResults = Record<ServerName, Partial<Record<Op, OpMeasure>>>;

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json', accept: 'application/scim+json' };

function spec(ready: ServerReady, op: Op, sizes: HttpSizes, seconds: number) {
  const base = { headers, seconds, connections: sizes.connections, ...(sizes.amount && { amount: sizes.amount }) };
  switch (op) {
    case 'get':
      return { ...base, method: 'GET' as const, url: `${ready.url}/Users/${ready.id}` };
    case 'filter':
      return { ...base, method: 'GET' as const, url: `${ready.url}/Users?filter=${encodeURIComponent(`userName eq "${ready.userName}"`)}` };
    case 'patch':
      // Deactivate and reactivate in turn: every PATCH changes the user (one that changes nothing is cheaper).
      return { ...base, method: 'PATCH' as const, url: `${ready.url}/Users/${ready.id}`, bodies: [JSON.stringify(DEACTIVATE), JSON.stringify(REACTIVATE)] };
    case 'post':
      return {
        ...base,
        method: 'POST' as const,
        url: `${ready.url}/Users`,
        body: JSON.stringify({
          schemas: [USER_SCHEMA],
          userName: 'new-[<id>]@example.com',
          externalId: '[<id>]',
          name: { givenName: 'New', familyName: 'User', formatted: 'New User' },
          displayName: 'New User',
          emails: [{ value: 'new-[<id>]@example.com', type: 'work', primary: true }],
          title: 'Engineer',
          active: true,
        }),
      };
  }
}

/**
 * All the servers run at once (idle but the one measured); per operation each gets a warm-up,
 * then the rounds interleave the servers, so that noise from a shared machine falls on all of
 * them alike. POST comes last: it grows the stores.
 */
export async function measureHttp(sizes: HttpSizes, log: (line: string) => void): Promise<HttpResults> {
  const children = {} as Record<ServerName, ChildServer<ServerReady>>;
  try {
    for (const name of SERVERS) {
      children[name] = await startChild<ServerReady>(name, { users: sizes.users });
      log(`  ${name}: ${sizes.users} users seeded in ${Math.round(children[name].ready.seedMs)} ms`);
    }
    const runs = Object.fromEntries(SERVERS.map((name) => [name, Object.fromEntries(OPS.map((op) => [op, [] as LoadResult[]]))])) as Record<ServerName, Record<Op, LoadResult[]>>;
    for (const op of sizes.ops) {
      if (sizes.warmupSeconds > 0) for (const name of SERVERS) await load(spec(children[name].ready, op, sizes, sizes.warmupSeconds));
      for (let r = 0; r < sizes.rounds; r++) {
        for (const name of SERVERS) {
          const before = (await children[name].usage()).cpu;
          const run = await load(spec(children[name].ready, op, sizes, sizes.seconds));
          const after = (await children[name].usage()).cpu;
          run.serverCpuUs = (after.user - before.user + after.system - before.system) / Math.max(1, run.requests);
          runs[name][op].push(run);
        }
      }
      log(`  ${OP_LABEL[op]}: ${SERVERS.map((name) => `${name} ${runs[name][op].map((run) => Math.round(run.rps)).join('/')}`).join(', ')} req/s`);
    }
    const results = {} as HttpResults;
    for (const name of SERVERS) {
      results[name] = {};
      for (const op of sizes.ops) {
        const list = runs[name][op];
        const rps = list.map((run) => run.rps);
        results[name][op] = { rps: median(rps), runs: rps, cpuUs: median(list.map((run) => run.serverCpuUs ?? 0)), failures: list.reduce((n, run) => n + run.failures, 0), generatorCpu: Math.max(...list.map((run) => run.generatorCpu)) };
      }
    }
    return results;
  } finally {
    for (const child of Object.values(children)) await child.stop();
  }
}
