import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * Real PostgreSQL databases for test files, on the server test/support/postgres-global.ts started
 * for the run. Each file takes its own database, so files run in parallel without sharing rows.
 *
 *   describe.skipIf(postgresSkip)('…', () => {
 *     let url: string;
 *     beforeAll(async () => { url = await freshDatabase('users'); });
 *     afterAll(() => dropDatabase(url));
 *   });
 */

const { Client } = pg;
const adminUrl = inject('postgresAdminUrl');

/** Why PostgreSQL tests skip here, or undefined when a server is there. Never set under CI: the run fails instead. */
export const postgresSkip: string | undefined = inject('postgresUnavailable');
if (postgresSkip !== undefined) console.warn(`skipping the PostgreSQL tests: ${postgresSkip}`);

const NAME = /^scim_test_[a-z0-9_]+$/;

async function asAdmin(sql: string): Promise<void> {
  if (adminUrl === undefined) throw new Error(postgresSkip ?? 'no PostgreSQL server was started for this run');
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A new, empty database (`scim_test_<label>_<random>`), and its URL: the admin URL with only the database changed. */
export async function freshDatabase(label: string): Promise<string> {
  const url = databaseUrl(label);
  await createDatabase(url);
  return url;
}

/**
 * freshDatabase in two steps, for a caller that must name the URL before it can wait (a synchronous
 * factory whose store connects later): the URL of a database not made yet, with a name as freshDatabase's.
 */
export function databaseUrl(label: string): string {
  if (adminUrl === undefined) throw new Error(postgresSkip ?? 'no PostgreSQL server was started for this run');
  const safe = label.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 40);
  // 10 + 40 + 1 + 12 characters: within PostgreSQL's 63-byte identifiers, so never truncated into a clash.
  const name = `scim_test_${safe}_${randomBytes(6).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Makes the empty database a databaseUrl names. */
export async function createDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!NAME.test(name)) throw new Error(`createDatabase only makes databases named by databaseUrl, not "${name}"`);
  // template0: no one ever connects to it, so concurrent creates never meet "source database is being accessed".
  await asAdmin(`CREATE DATABASE "${name}" TEMPLATE template0`);
}

/** Drops a database freshDatabase made, closing connections a test left open; refuses any other name. */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!NAME.test(name)) throw new Error(`dropDatabase only drops databases made by freshDatabase, not "${name}"`);
  await asAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
