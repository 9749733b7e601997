import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { findPostgresBin, startLocalCluster, type RunningPostgres } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string | undefined;
    postgresUnavailable: string | undefined;
  }
}

const HOW_TO_GET_ONE =
  'PostgreSQL tests need a server: install Debian\'s `postgresql` package (apt-get install -y postgresql), ' +
  'or set SCIMULATOR_TEST_POSTGRES to a postgres:// URL of a server whose user may CREATE DATABASE, ' +
  'or run a container engine (Docker/Podman) for testcontainers.';

/** Fails early, and without echoing the URL: it may carry a password. */
async function checkUserServer(url: string): Promise<void> {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('SCIMULATOR_TEST_POSTGRES must be a postgres:// or postgresql:// URL');
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(`SCIMULATOR_TEST_POSTGRES: cannot connect: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startContainer(): Promise<RunningPostgres | undefined> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  // Without an engine this rejects in milliseconds, so the local cluster costs no waiting.
  if (!(await getContainerRuntimeClient().then(() => true, () => false))) return undefined;
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  try {
    const container = await new PostgreSqlContainer('postgres:15-alpine').start();
    return { adminUrl: container.getConnectionUri(), stop: async () => void (await container.stop()) };
  } catch (error) {
    // An engine that cannot pull the image (offline) should not cost the local cluster.
    console.warn(`testcontainers could not start postgres:15-alpine, trying a local cluster: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Once per run: a PostgreSQL server whose admin URL test files read through `inject` (see
 * postgres.ts). Preference: the user's server, a container, a throwaway local cluster. With none,
 * files skip with a reason, except under CI, where the run fails instead.
 */
export default async function startPostgres(project: TestProject): Promise<() => Promise<void>> {
  const fromUser = process.env.SCIMULATOR_TEST_POSTGRES;
  if (fromUser) {
    await checkUserServer(fromUser);
    project.provide('postgresAdminUrl', fromUser);
    project.provide('postgresUnavailable', undefined);
    return async () => {};
  }
  let server = await startContainer();
  if (server === undefined) {
    const bin = await findPostgresBin();
    if (bin !== undefined) server = await startLocalCluster(bin);
  }
  if (server === undefined) {
    if (process.env.CI) throw new Error(HOW_TO_GET_ONE);
    project.provide('postgresAdminUrl', undefined);
    project.provide('postgresUnavailable', HOW_TO_GET_ONE);
    return async () => {};
  }
  // An exit that skips this teardown (Ctrl-C) is covered too: by testcontainers' reaper for a
  // container, by an 'exit' listener for the local cluster.
  project.provide('postgresAdminUrl', server.adminUrl);
  project.provide('postgresUnavailable', undefined);
  return server.stop;
}
