/**
 * 5. The PostgreSQL store beside the memory store: the same reference server, seeded alike, in
 * two processes on core 0 (idle but the one measured; PostgreSQL itself is not pinned), the same
 * requests in interleaved rounds. Reported as the PostgreSQL store's rate over the memory store's,
 * measured in the same run.
 */
import { startChild, type ChildServer } from '../lib/child.js';
import { load, median, type LoadSpec } from '../lib/load.js';
import { benchDatabase } from '../lib/postgres.js';
import { DEACTIVATE, REACTIVATE, TOKEN, userBody, type ServerReady } from '../lib/users.js';

export const STORES = ['memory', 'postgres'] as const;
export type StoreName = (typeof STORES)[number];
/** In the order they are measured: POST last, as it grows the store. */
export const PG_OPS = ['get', 'filter', 'list', 'scan', 'patch', 'member', 'post'] as const;
export type PgOp = (typeof PG_OPS)[number];
export const PG_OP_LABEL: Record<PgOp, string> = {
  post: 'POST /Users',
  get: 'GET /Users/{id}',
  filter: 'GET /Users?filter=userName eq "…"',
  patch: 'PATCH replace active false / true',
  member: 'PATCH /Groups/{id} add a member, then remove it',
  list: 'GET /Users?startIndex=…&count=100',
  scan: 'GET /Users?filter=name.familyName eq "…" (not indexed)',
};

export interface PgSizes {
  users: number;
  /** The groups members are added to and removed from, in turn. */
  groups: number;
  rounds: number;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Quick mode: a fixed number of requests per run instead of `seconds`. */
  amount?: number;
}

export interface PgOpMeasure {
  rps: number;
  runs: number[];
  failures: number;
}

export type PgResults =
  | { source: string; seedMs: Record<StoreName, number>; ops: Record<StoreName, Partial<Record<PgOp, PgOpMeasure>>> }
  | { unavailable: string };

interface Ready extends ServerReady {
  ids: string[];
  groupIds: string[];
}

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json', accept: 'application/scim+json' };
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

function spec(ready: Ready, op: PgOp, sizes: PgSizes, seconds: number): LoadSpec {
  const base = { headers, seconds, connections: sizes.connections, ...(sizes.amount && { amount: sizes.amount }) };
  const users = `${ready.url}/Users`;
  const middle = Math.floor(ready.ids.length / 2);
  switch (op) {
    case 'get':
      return { ...base, method: 'GET', url: `${users}/${ready.id}` };
    case 'filter':
      return { ...base, method: 'GET', url: `${users}?filter=${encodeURIComponent(`userName eq "${ready.userName}"`)}` };
    case 'list':
      return { ...base, method: 'GET', url: `${users}?startIndex=${middle + 1}&count=100` };
    case 'scan':
      // One match among all the users: the cost is the scan, not the rendering.
      return { ...base, method: 'GET', url: `${users}?filter=${encodeURIComponent(`name.familyName eq "${userBody(middle).name.familyName}"`)}` };
    case 'patch':
      return { ...base, method: 'PATCH', url: `${users}/${ready.id}`, bodies: [JSON.stringify(DEACTIVATE), JSON.stringify(REACTIVATE)] };
    case 'member': {
      // Each connection adds a user to a group, then removes it: every request changes a group (a
      // repeated add would be a cheaper no-op), and the groups, seeded empty, stay small.
      const groups = `${new URL(ready.url).pathname}/Groups`;
      const userOf = (context: Record<string, unknown>) => ready.ids[context.k as number]!;
      const groupOf = (context: Record<string, unknown>) => ready.groupIds[(context.k as number) % ready.groupIds.length]!;
      let next = 0;
      return {
        ...base,
        method: 'PATCH',
        url: `${ready.url}/Groups/${ready.groupIds[0]}`,
        turns: [
          (context) => {
            context.k = next++ % ready.ids.length;
            return { path: `${groups}/${groupOf(context)}`, body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: userOf(context) }] }] }) };
          },
          (context) => ({
            path: `${groups}/${groupOf(context)}`,
            body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${userOf(context)}"]` }] }),
          }),
        ],
      };
    }
    case 'post':
      return { ...base, method: 'POST', url: users, body: JSON.stringify({ ...userBody(0, 'new-[<id>]@example.com'), externalId: '[<id>]' }) };
  }
}

export async function measurePostgres(sizes: PgSizes, log: (line: string) => void): Promise<PgResults> {
  const database = await benchDatabase();
  if ('unavailable' in database) return database;
  const children: Partial<Record<StoreName, ChildServer<Ready>>> = {};
  try {
    for (const store of STORES) {
      const config = { users: sizes.users, groups: sizes.groups, membersPerGroup: 0, ids: true, ...(store === 'postgres' && { store: database.url }) };
      children[store] = await startChild<Ready>('reference', config);
      log(`  ${store}: ${sizes.users} users, ${sizes.groups} groups seeded in ${Math.round(children[store]!.ready.seedMs)} ms`);
    }
    const ops = { memory: {}, postgres: {} } as Record<StoreName, Partial<Record<PgOp, PgOpMeasure>>>;
    for (const op of PG_OPS) {
      const runs = { memory: [] as number[], postgres: [] as number[] };
      const failures = { memory: 0, postgres: 0 };
      if (sizes.warmupSeconds > 0) for (const store of STORES) await load(spec(children[store]!.ready, op, sizes, sizes.warmupSeconds));
      for (let r = 0; r < sizes.rounds; r++) {
        for (const store of STORES) {
          const run = await load(spec(children[store]!.ready, op, sizes, sizes.seconds));
          runs[store].push(run.rps);
          failures[store] += run.failures;
        }
      }
      for (const store of STORES) ops[store][op] = { rps: median(runs[store]), runs: runs[store], failures: failures[store] };
      log(`  ${PG_OP_LABEL[op]}: ${STORES.map((store) => `${store} ${runs[store].map(Math.round).join('/')}`).join(', ')} req/s`);
    }
    return { source: database.source, seedMs: { memory: children.memory!.ready.seedMs, postgres: children.postgres!.ready.seedMs }, ops };
  } finally {
    for (const child of Object.values(children)) await child.stop();
    await database.drop();
  }
}
