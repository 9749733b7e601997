import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../../reference-server/app.js';
import { applySeed, loadSeed } from '../../../reference-server/seed.js';
import { MIGRATIONS, migrate } from '../../../reference-server/store/postgres/migrations.js';
import { PostgresStore } from '../../../reference-server/store/postgres/store.js';
import type { TouchHook } from '../../../reference-server/store/types.js';
import { FilterBudget } from '../../../scim/filter/budget.js';
import { parseFilter } from '../../../scim/filter/parse.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import { dropDatabase, freshDatabase, postgresSkip } from '../../support/postgres.js';
import { expectScimError, group, ids, recordingTouch, storeContract, user } from './contract.js';

const models = { User: userModel, Group: groupModel };

function newStore(url: string, touch?: TouchHook): PostgresStore {
  return new PostgresStore({ url, models, touch });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(postgresSkip)('PostgresStore', () => {
  // Each store its own database, so the contract's tests share nothing. The next test's database
  // is created while a test runs, and the used ones are dropped at the end: the suite stays fast.
  const used: string[] = [];
  let next: Promise<string> | undefined;
  afterAll(async () => {
    if (next) used.push(await next);
    await Promise.all(used.map(dropDatabase));
  });
  storeContract('postgres', async (touch) => {
    const url = await (next ?? freshDatabase('contract'));
    used.push(url);
    next = freshDatabase('contract');
    // Awaited by the next test or afterAll; until then a failure must not count as unhandled.
    next.catch(() => undefined);
    const store = newStore(url, touch);
    await store.open();
    return { store, done: () => store.close() };
  });

  describe('PostgresStore: its own database', () => {
    const made: string[] = [];
    const opened: PostgresStore[] = [];
    const fresh = async (label: string) => {
      const url = await freshDatabase(label);
      made.push(url);
      return url;
    };
    const open = async (url: string, touch?: TouchHook) => {
      const store = newStore(url, touch);
      opened.push(store);
      await store.open();
      return store;
    };
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
      await Promise.all(made.map(dropDatabase));
    });

    it('migrates once when two stores open one new database at the same moment, and again finds nothing to do', async () => {
      const url = await fresh('migrate_race');
      await Promise.all([open(url), open(url)]);
      const latest = MIGRATIONS.map((step) => ({ version: step.version }));
      expect(await query(url, 'SELECT version FROM scim_migrations ORDER BY version')).toEqual(latest);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        expect(await migrate(client)).toEqual([]);
      } finally {
        await client.end();
      }
      await open(url);
      expect(await query(url, 'SELECT version FROM scim_migrations ORDER BY version')).toEqual(latest);
    });

    it('refuses a database whose schema is newer than it knows, saying so', async () => {
      const url = await fresh('newer_schema');
      await open(url);
      const newer = MIGRATIONS[MIGRATIONS.length - 1]!.version + 1;
      await query(url, 'INSERT INTO scim_migrations (version) VALUES ($1)', [newer]);
      const store = newStore(url);
      opened.push(store);
      await expect(store.open()).rejects.toThrow(`the database's scimulator schema is version ${newer}, newer than this scimulator knows (${newer - 1})`);
    });

    it('stores a 100 kB userName and keeps it unique ignoring case: the index holds digests', async () => {
      const store = await open(await fresh('long_username'));
      const long = `${'a'.repeat(100_000)}@example.com`;
      await store.create('User', user('u1', long));
      expect((await store.get('User', 'u1'))!.userName).toBe(long);
      await expectScimError(store.create('User', user('u2', long.toUpperCase())), 409, 'uniqueness');
      expect(ids(await store.findBy('User', 'userName', long.toUpperCase()))).toEqual(['u1']);
      await store.create('User', user('u3', `${long}.org`));
    });

    it('keeps everything for a new store on the same database: resources, order, members, lookups', async () => {
      const url = await fresh('survives');
      const first = await open(url);
      await first.create('User', user('u2', 'bob', { externalId: 'B' }));
      await first.create('User', user('u1', 'Ada'));
      await first.create('Group', group('g1', 'Admins', ['u1', 'u2']));
      await first.replace('User', 'u2', user('u2', 'bob', { externalId: 'B', meta: { version: 'W/"u2-2"' } }));
      await first.close();
      const second = await open(url);
      expect(ids((await second.list('User', {})).resources)).toEqual(['u2', 'u1']);
      expect(await second.get('Group', 'g1')).toEqual(group('g1', 'Admins', ['u1', 'u2']));
      expect(ids(await second.groupsWithMember('u1'))).toEqual(['g1']);
      expect(ids(await second.findBy('User', 'externalId', 'B'))).toEqual(['u2']);
      await expectScimError(second.create('User', user('u3', 'ADA')), 409, 'uniqueness');
      await expectScimError(second.delete('User', 'u2', 'W/"u2-1"'), 412);
      await second.delete('User', 'u2', 'W/"u2-2"');
      expect((await second.get('Group', 'g1'))!.members).toEqual([{ value: 'u1' }]);
    });

    it('reads a scan in one snapshot: a delete committed between its batches is neither missed nor half seen', async () => {
      const url = await fresh('scan_snapshot');
      const store = await open(url);
      // A batch (500) of users, then one more: the scan reads that one in its second round trip.
      for (let i = 0; i < 500; i += 50) await Promise.all(Array.from({ length: 50 }, (_, k) => store.create('User', user(`u${i + k}`, `user${i + k}`))));
      const last = 'u500';
      await store.create('User', user(last, 'user500'));
      const deleter = new pg.Client({ connectionString: url });
      await deleter.connect();
      try {
        await deleter.query('BEGIN');
        await deleter.query('DELETE FROM scim_resources WHERE id = $1', [last]);
        // The filter's first step is taken on the first batch: the COMMIT leaves (pg writes it at
        // once) after the scan began and before it asks for the second batch.
        let committed: Promise<unknown> | undefined;
        class CommittingBudget extends FilterBudget {
          override spend(steps: number): void {
            committed ??= deleter.query('COMMIT');
            super.spend(steps);
          }
        }
        const result = await store.list('User', { filter: parseFilter('userName sw "user"'), budget: new CommittingBudget() });
        await committed;
        expect(result.totalResults).toBe(501);
        expect(result.resources.at(-1)!.id).toBe(last);
        expect(await store.get('User', last)).toBeUndefined();
      } finally {
        await deleter.end();
      }
    });

    it('analyzes its tables after a seed, so that the planner does not plan on empty-table statistics', async () => {
      const url = await fresh('seed_analyze');
      const server = createReferenceServer({ tokens: ['t'], store: url });
      try {
        await server.store.open!();
        const seed = loadSeed('users:\n  - userName: ada@example.com\ngroups:\n  - displayName: Engineers\n    members: [ada@example.com]\n', 'seed.yaml');
        // Autovacuum's analyses set last_autoanalyze, never last_analyze: only the store's ANALYZE does.
        const analyzed = () => query<{ relname: string; analyzed: boolean }>(url, "SELECT relname, last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables WHERE relname LIKE 'scim\\_%' ORDER BY relname");
        expect(await analyzed()).toContainEqual({ relname: 'scim_resources', analyzed: false });
        expect(await applySeed(server.services, seed, server.store)).toEqual({ users: 1, groups: 1 });
        expect(await analyzed()).toEqual(expect.arrayContaining([{ relname: 'scim_members', analyzed: true }, { relname: 'scim_resources', analyzed: true }]));
      } finally {
        await server.close();
      }
    });

    it('keeps nothing of a withLock work that throws after writing, the users it touched included', async () => {
      const { touch, touched } = recordingTouch();
      const store = await open(await fresh('rollback'), touch);
      await store.create('User', user('u1', 'ada'));
      await store.create('User', user('u2', 'bob'));
      await store.create('Group', group('g1', 'Admins', ['u1']));
      const u1 = await store.get('User', 'u1');
      touched.length = 0;
      const failing = store.withLock('Group', 'g1', async (tx) => {
        await tx.replace('Group', 'g1', group('g1', 'Renamed', ['u2']));
        await tx.delete('User', 'u1');
        throw new Error('after the writes');
      });
      await expect(failing).rejects.toThrow('after the writes');
      expect(touched.length).toBeGreaterThan(0);
      expect(await store.get('Group', 'g1')).toEqual(group('g1', 'Admins', ['u1']));
      expect(await store.get('User', 'u1')).toEqual(u1);
      expect(await store.get('User', 'u2')).toEqual(user('u2', 'bob'));
      expect(ids(await store.groupsWithMember('u1'))).toEqual(['g1']);
      expect(await store.groupsWithMember('u2')).toEqual([]);
    });
  });
});

/** A loopback port nothing listens on: one just given up. */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('PostgresStore without its database', () => {
  it('answers reads and writes with a 503 SCIM error (IdPs retry it), through HTTP too, and tries again on the next use', async () => {
    const url = `postgres://nobody:pw@127.0.0.1:${await closedPort()}/scim`;
    const store = new PostgresStore({ url, models: { User: userModel, Group: groupModel } });
    try {
      await expectScimError(store.get('User', 'u1'), 503);
      await expectScimError(store.create('User', user('u1', 'ada')), 503);
      await expectScimError(store.list('User', {}), 503);
      // Not a failure kept from before: the pool is asked again (and refused again).
      await expectScimError(store.findBy('User', 'userName', 'ada'), 503);
    } finally {
      await store.close();
    }
    const { createReferenceServer } = await import('../../../reference-server/app.js');
    const server = createReferenceServer({ tokens: ['t'], store: url });
    try {
      const res = await server.app.inject({ method: 'GET', url: '/scim/v2/Users', headers: { authorization: 'Bearer t' } });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503' });
      expect(res.body).not.toContain('pw');
    } finally {
      await server.close();
    }
  });
});
