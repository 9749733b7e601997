import pg from 'pg';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../reference-server/app.js';
import type { ReferenceServerOptions } from '../../reference-server/options.js';

/**
 * The store the reference-server tests run on. By default each server makes its own memory store;
 * with SCIMULATOR_TEST_STORE=postgres (`npm run test:pg-store`) each gets a PostgreSQL schema of its
 * own, in a database of the test file's own, so the same behaviour suite holds the PostgreSQL store
 * to it. A test that passes `store` itself keeps it.
 */
export const testStore = storeMode(process.env.SCIMULATOR_TEST_STORE);

function storeMode(value: string | undefined): 'memory' | 'postgres' {
  if (value === undefined || value === '' || value === 'memory') return 'memory';
  if (value === 'postgres') return 'postgres';
  throw new Error(`SCIMULATOR_TEST_STORE must be "memory" or "postgres", not "${value.slice(0, 40)}"`);
}

// Loaded only in this mode: on memory, a run without PostgreSQL should not hear, once a file, that PostgreSQL tests skip.
const postgres = testStore === 'postgres' ? await import('../support/postgres.js') : undefined;

/** createReferenceServer for tests: on the store SCIMULATOR_TEST_STORE names, closed after the test (or the file) on PostgreSQL. */
export function referenceServer(options: ReferenceServerOptions): ReferenceServer {
  if (testStore === 'memory' || options.store !== undefined) return createReferenceServer(options);
  return onSchema(options);
}

/** The file's database (named at its first server, made before that server's store opens), and servers to close. */
let database: { url: string; made: Promise<pg.Pool> } | undefined;
let schemas = 0;
let inTest = false;
const ofTest: ReferenceServer[] = [];
const ofFile: ReferenceServer[] = [];

function fileDatabase(): { url: string; made: Promise<pg.Pool> } {
  if (database !== undefined) return database;
  const url = postgres!.databaseUrl('reference_server');
  const made = postgres!.createDatabase(url).then(() => {
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    // An idle connection the server drops must not end the test run: the next query reconnects.
    admin.on('error', () => undefined);
    return admin;
  });
  database = { url, made };
  return database;
}

/**
 * A server whose store has a schema of its own in the file's database. The server builds the store
 * from the URL (with its models and meta hook), and search_path puts the tables in the schema. The
 * factory is synchronous and the store connects at its first use, so making the schema is chained
 * ahead of the store's open.
 */
function onSchema(options: ReferenceServerOptions): ReferenceServer {
  const schema = `server_${++schemas}`;
  const { url: base, made } = fileDatabase();
  const url = new URL(base);
  // After any options the server's URL (SCIMULATOR_TEST_POSTGRES) has: the last setting wins.
  url.searchParams.set('options', [url.searchParams.get('options'), `-c search_path=${schema}`].filter(Boolean).join(' '));
  const server = createReferenceServer({ ...options, store: url.toString() });
  const { store } = server;
  const open = store.open!.bind(store);
  let ready: Promise<unknown> | undefined;
  store.open = () => (ready ??= made.then((admin) => admin.query(`CREATE SCHEMA ${schema}`))).then(open);
  // A test may close its server itself; the cleanup closes it again.
  const close = server.close.bind(server);
  let closing: Promise<void> | undefined;
  server.close = () => (closing ??= close());
  (inTest ? ofTest : ofFile).push(server);
  return server;
}

if (testStore === 'postgres') {
  beforeEach(() => {
    inTest = true;
  });
  afterEach(async () => {
    inTest = false;
    await Promise.all(ofTest.splice(0).map((server) => server.close()));
  });
  afterAll(async () => {
    await Promise.all(ofFile.splice(0).map((server) => server.close()));
    if (database === undefined) return;
    const { url, made } = database;
    database = undefined;
    await (await made).end();
    await postgres!.dropDatabase(url);
  });
}
