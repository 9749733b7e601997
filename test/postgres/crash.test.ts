import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveCli, stopAll, within } from '../cli/cli-process.js';
import { dropDatabase, freshDatabase, postgresSkip } from '../support/postgres.js';
import { newGroup, newUser, patch, scim, TOKEN, type Json } from './scim-http.js';

/**
 * Issue 19, "Done when": a `serve` process killed with SIGKILL in a stream of writes, restarted on
 * the same database, has every write it acknowledged, and no group names a resource that is gone.
 */

/** Writers at once: while one write is acknowledged, the others are in flight. */
const WRITERS = 8;
/** The process is killed as the write that brings the acknowledged count to this is answered. */
const KILL_AFTER = 60;

let dir: string;
let url: string;

interface Outcome {
  created: Map<string, string>;
  added: Map<string, string>;
  deleteTried: Set<string>;
  deleted: Set<string>;
  inFlightAtKill: number;
}

/**
 * Each writer repeats: create a user, add it to one of the groups, and every third user delete it,
 * each step only after the one before was acknowledged. Stops at the first failure once killed.
 */
async function writeUntilKilled(base: string, groups: string[], kill: () => void): Promise<Outcome> {
  const outcome: Outcome = { created: new Map(), added: new Map(), deleteTried: new Set(), deleted: new Set(), inFlightAtKill: 0 };
  let acknowledged = 0;
  let inFlight = 0;
  let killed = false;
  const send = async (method: string, path: string, body?: Json): Promise<Json | undefined> => {
    inFlight++;
    try {
      const answer = await scim(base, method, path, body);
      if (killed) return undefined;
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
      if (++acknowledged === KILL_AFTER) {
        killed = true;
        outcome.inFlightAtKill = inFlight - 1;
        kill();
      }
      return answer.body;
    } catch (error) {
      // Cut off by the kill: neither acknowledged nor known to be lost.
      if (killed) return undefined;
      throw error;
    } finally {
      inFlight--;
    }
  };
  const writer = async (w: number) => {
    for (let n = 0; !killed; n++) {
      const user = await send('POST', '/Users', newUser(`crash-${w}-${n}@example.com`));
      if (!user) return;
      outcome.created.set(user.id, user.userName);
      const group = groups[(w + n) % groups.length]!;
      if (!(await send('PATCH', `/Groups/${group}`, patch({ op: 'add', path: 'members', value: [{ value: user.id }] })))) return;
      outcome.added.set(user.id, group);
      if (n % 3 !== 2) continue;
      outcome.deleteTried.add(user.id);
      if (!(await send('DELETE', `/Users/${user.id}`))) return;
      outcome.deleted.add(user.id);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  return outcome;
}

async function sql<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(postgresSkip)('serve --store postgres killed mid-stream', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scimulator-pg-crash-'));
    url = await freshDatabase('crash');
  });

  afterEach(stopAll);

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (url) await dropDatabase(url);
  });

  it('keeps every acknowledged write after SIGKILL and a restart, and no group names a missing resource', async () => {
    const first = await serveCli(['--store', url, '--token', TOKEN], dir);
    const groups: string[] = [];
    for (const name of ['Crash A', 'Crash B']) groups.push((await scim(first.url, 'POST', '/Groups', newGroup(name))).body.id);

    const outcome = await writeUntilKilled(first.url, groups, () => first.run.child.kill('SIGKILL'));
    await within(first.run.exited, 'the killed process to end', first.run);
    expect(first.run.child.signalCode).toBe('SIGKILL');
    expect(outcome.inFlightAtKill).toBeGreaterThan(0);
    expect(outcome.created.size + outcome.added.size + outcome.deleted.size).toBe(KILL_AFTER);

    const second = await serveCli(['--store', url, '--token', TOKEN], dir);
    const base = second.url;
    // Every acknowledged create is there unless a delete of it was sent (answered or not).
    for (const [id, userName] of outcome.created) {
      const user = await scim(base, 'GET', `/Users/${id}`);
      if (outcome.deleted.has(id)) expect(user.status, id).toBe(404);
      else if (!outcome.deleteTried.has(id)) expect(user.body.userName, id).toBe(userName);
    }
    const members = new Map<string, Set<string>>();
    for (const group of groups) {
      const read = await scim(base, 'GET', `/Groups/${group}`);
      expect(read.status).toBe(200);
      members.set(group, new Set((read.body.members ?? []).map((m: { value: string }) => m.value)));
    }
    for (const [id, group] of outcome.added) if (!outcome.deleteTried.has(id)) expect(members.get(group)!.has(id), id).toBe(true);
    for (const id of outcome.deleted) for (const set of members.values()) expect(set.has(id), id).toBe(false);
    // Through HTTP: every member a group names is a user that exists.
    for (const set of members.values()) for (const id of set) expect((await scim(base, 'GET', `/Users/${id}`)).status, id).toBe(200);

    // In the tables: no membership row without its resource, and each group's document lists exactly its rows.
    expect(await sql('SELECT m.member_id FROM scim_members m LEFT JOIN scim_resources r ON r.id = m.member_id WHERE r.id IS NULL')).toEqual([]);
    const rows = await sql<{ group_id: string; member_id: string }>('SELECT group_id, member_id FROM scim_members');
    const docs = await sql<{ id: string; doc: Json }>("SELECT id, doc FROM scim_resources WHERE type = 'Group'");
    expect(docs).toHaveLength(groups.length);
    for (const { id, doc } of docs) {
      const listed = (doc.members ?? []).map((m: { value: string }) => m.value).sort();
      expect(listed, id).toEqual(rows.filter((row) => row.group_id === id).map((row) => row.member_id).sort());
    }
  });
});
