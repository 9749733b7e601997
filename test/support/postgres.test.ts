import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { findPostgresBin } from './postgres-cluster.js';
import { dropDatabase, freshDatabase, postgresSkip } from './postgres.js';

const { Client } = pg;

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.skipIf(postgresSkip)('freshDatabase', () => {
  const made: string[] = [];
  const fresh = async (label: string): Promise<string> => {
    const url = await freshDatabase(label);
    made.push(url);
    return url;
  };
  afterAll(() => Promise.all(made.map(dropDatabase)));

  it('gives a database that answers on loopback and has no tables of its own', async () => {
    const url = await fresh('Empty Check!');
    expect(new URL(url).pathname).toMatch(/^\/scim_test_empty_check__[0-9a-f]{12}$/);
    expect(['127.0.0.1', 'localhost']).toContain(new URL(url).hostname);
    expect((await query(url, 'select 1 as one')).rows).toEqual([{ one: 1 }]);
    const tables = await query(url, "select table_name from information_schema.tables where table_schema = 'public'");
    expect(tables.rows).toEqual([]);
  });

  it('gives two distinct databases: a table made in one is absent in the other', async () => {
    const [a, b] = await Promise.all([fresh('pair'), fresh('pair')]);
    expect(a).not.toBe(b);
    await query(a, 'create table only_in_a (id int)');
    expect((await query(a, "select to_regclass('only_in_a') is not null as present")).rows).toEqual([{ present: true }]);
    expect((await query(b, "select to_regclass('only_in_a') is not null as present")).rows).toEqual([{ present: false }]);
  });

  it('creates many databases at once, as parallel test files do', async () => {
    const urls = await Promise.all(Array.from({ length: 8 }, () => fresh('burst')));
    expect(new Set(urls).size).toBe(8);
  });

  it('drops a database even while a connection is open, and only its own kind', async () => {
    const url = await freshDatabase('drop');
    const open = new Client({ connectionString: url });
    await open.connect();
    open.on('error', () => undefined); // the drop terminates this session
    await dropDatabase(url);
    await open.end().catch(() => undefined);
    await expect(query(url, 'select 1')).rejects.toThrow(/does not exist/);
    const postgres = new URL(url);
    postgres.pathname = '/postgres';
    await expect(dropDatabase(postgres.toString())).rejects.toThrow(/only drops databases made by freshDatabase/);
  });
});

describe('findPostgresBin without pg_config', () => {
  it('takes the newest major version that has initdb, and nothing when none has', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scim-pgbin-'));
    try {
      const missingPgConfig = join(root, 'no-pg_config');
      expect(await findPostgresBin(root, missingPgConfig)).toBeUndefined();
      for (const [version, hasInitdb] of [['9.6', true], ['15', true], ['16', false], ['common', true]] as const) {
        mkdirSync(join(root, version, 'bin'), { recursive: true });
        if (hasInitdb) writeFileSync(join(root, version, 'bin', 'initdb'), '');
      }
      expect(await findPostgresBin(root, missingPgConfig)).toBe(join(root, '15', 'bin'));
      expect(await findPostgresBin(join(root, 'absent'), missingPgConfig)).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
