/**
 * A PostgreSQL database for the bench: on the server SCIMULATOR_BENCH_POSTGRES names (a postgres://
 * URL of a user who may CREATE DATABASE), otherwise on a throwaway local cluster started the way the
 * tests start theirs (test/support/postgres-cluster.ts: initdb + pg_ctl on a free loopback port).
 * Either way the bench works in a database of its own, dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { findPostgresBin, startLocalCluster } from '../../test/support/postgres-cluster.js';

export interface BenchDatabase {
  /** The database's URL, for `createReferenceServer({ store })`. Never printed: it may carry a password. */
  url: string;
  /** Where the server came from, for the report. */
  source: string;
  drop(): Promise<void>;
}

async function asAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh database on the server at `adminUrl`: its URL differs from the admin URL in the database only. */
async function freshDatabase(adminUrl: string): Promise<{ url: string; dropIt: () => Promise<void> }> {
  const name = `scim_bench_${randomBytes(6).toString('hex')}`;
  await asAdmin(adminUrl, `CREATE DATABASE "${name}" TEMPLATE template0`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), dropIt: () => asAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** A database, or why there is none (the section is then skipped with that reason). */
export async function benchDatabase(): Promise<BenchDatabase | { unavailable: string }> {
  const fromUser = process.env.SCIMULATOR_BENCH_POSTGRES;
  if (fromUser) {
    if (!/^postgres(ql)?:\/\//.test(fromUser)) return { unavailable: 'SCIMULATOR_BENCH_POSTGRES must be a postgres:// or postgresql:// URL' };
    try {
      const { url, dropIt } = await freshDatabase(fromUser);
      return { url, source: 'the server SCIMULATOR_BENCH_POSTGRES names', drop: dropIt };
    } catch (error) {
      return { unavailable: `SCIMULATOR_BENCH_POSTGRES: cannot create a database: ${(error as Error).message}` };
    }
  }
  const bin = await findPostgresBin();
  if (bin === undefined) {
    return { unavailable: "no PostgreSQL: install Debian's `postgresql` package or set SCIMULATOR_BENCH_POSTGRES to a postgres:// URL" };
  }
  let cluster;
  try {
    cluster = await startLocalCluster(bin);
  } catch (error) {
    return { unavailable: `a local cluster could not start: ${(error as Error).message.slice(0, 500)}` };
  }
  try {
    const { url } = await freshDatabase(cluster.adminUrl);
    // The cluster is the bench's own: stopping it drops the database with it.
    return { url, source: `a throwaway local cluster (${bin}, fsync off)`, drop: cluster.stop };
  } catch (error) {
    await cluster.stop();
    return { unavailable: `the local cluster refused a database: ${(error as Error).message}` };
  }
}
