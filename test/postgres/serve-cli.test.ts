import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { serveCli, startCli, stopAll, within, type CliProcess } from '../cli/cli-process.js';
import { dropDatabase, freshDatabase, postgresSkip } from '../support/postgres.js';
import { scim, TOKEN } from './scim-http.js';

/** `scimulator serve --store` (and SCIMULATOR_STORE) through the compiled CLI, on a real PostgreSQL. */

const SEED = `users:
  - userName: ada@example.com
  - userName: grace@example.com
groups:
  - displayName: Engineers
    members: [ada@example.com, grace@example.com]
`;

let dir: string;
const databases: string[] = [];
/** A role of its own, with a password, so the URL the server is given carries one to hide. */
const role = `scim_test_role_${randomBytes(6).toString('hex')}`;
const password = `pw-${randomBytes(12).toString('hex')}`;

async function asAdmin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function database(label: string): Promise<string> {
  const url = await freshDatabase(label);
  databases.push(url);
  return url;
}

/** A loopback port nothing listens on: one just given up. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const exitOf = (run: CliProcess) => within(run.exited, 'the process to exit', run);

function expectOneLineUsageError(run: CliProcess, message: RegExp): void {
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe.skipIf(postgresSkip)('scimulator serve --store postgres://…', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scimulator-pg-serve-'));
    writeFileSync(join(dir, 'seed.yaml'), SEED);
  });

  afterEach(stopAll);

  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    for (const url of databases) await dropDatabase(url);
    await asAdmin(`DROP ROLE IF EXISTS ${role}`);
  });

  it('says which store it uses in the banner, with the password hidden everywhere', async () => {
    const url = new URL(await database('serve_banner'));
    await asAdmin(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    // The database's owner owns its public schema (PostgreSQL 15), so the role may create the tables.
    await asAdmin(`ALTER DATABASE "${url.pathname.slice(1)}" OWNER TO ${role}`);
    url.username = role;
    url.password = password;
    const { run, url: base } = await serveCli(['--store', url.href, '--token', TOKEN, '--log'], dir);
    expect(run.stdout).toMatch(new RegExp(`  store: PostgreSQL at postgres://${role}:\\*\\*\\*@[^\\s]+${url.pathname}\\s`));
    expect((await scim(base, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'banner@example.com' })).status).toBe(201);
    run.child.kill('SIGTERM');
    expect(await exitOf(run)).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(password);
  });

  it('exits 2 with one line, no stack and no password, when the database cannot be reached', async () => {
    const run = startCli(['serve', '--port', '0', '--store', `postgres://someone:${password}@127.0.0.1:${await closedPort()}/scim`], dir);
    expect(await exitOf(run)).toBe(2);
    expectOneLineUsageError(run, /^error: cannot open the store at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:\d+\/scim.*; check --store\n$/);
    expect(run.stdout + run.stderr).not.toContain(password);
  });

  it.each(['mysql://root@127.0.0.1/scim', 'redis', './data.db'])('exits 2 for a store that is neither memory nor PostgreSQL: %s', async (store) => {
    const run = startCli(['serve', '--port', '0', '--store', store], dir);
    expect(await exitOf(run)).toBe(2);
    expectOneLineUsageError(run, /^error: the store must be "memory" or a PostgreSQL URL/);
  });

  it('run --store: a database that cannot be reached, or --store with --target, ends in one line with exit 2, nothing run', async () => {
    const closed = startCli(['run', '--store', `postgres://someone:${password}@127.0.0.1:${await closedPort()}/scim`], dir);
    expect(await exitOf(closed)).toBe(2);
    expectOneLineUsageError(closed, /cannot open the store at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:\d+\/scim.*; check --store\n$/);
    expect(closed.stdout + closed.stderr).not.toContain(password);
    const both = startCli(['run', '--store', 'postgres://127.0.0.1/scim', '--target', 'http://127.0.0.1:1/scim/v2'], dir);
    expect(await exitOf(both)).toBe(2);
    expectOneLineUsageError(both, /--store sets where the embedded reference server keeps its resources/);
  });

  it('run --store: the embedded server keeps what scenarios write in the database', async () => {
    const url = await database('run_store');
    const run = startCli(['run', '--store', url, '--keep', join(process.cwd(), 'scenarios/rfc7644/users/create-201-location.yaml')], dir);
    expect(await exitOf(run)).toBe(0);
    expect(run.stdout).toMatch(/1 passed, 0 failed/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM scim_resources WHERE type = 'User'");
      expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it('takes the store from SCIMULATOR_STORE, writing where a later instance reads', async () => {
    const url = await database('serve_env');
    const { run, url: base } = await serveCli(['--token', TOKEN], dir, { SCIMULATOR_STORE: url });
    expect(run.stdout).toContain('  store: PostgreSQL at ');
    const created = await scim(base, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'env@example.com' });
    expect(created.status).toBe(201);
    run.child.kill('SIGTERM');
    expect(await exitOf(run)).toBe(0);
    const later = await serveCli(['--token', TOKEN, '--store', url], dir);
    expect((await scim(later.url, 'GET', `/Users/${created.body.id}`)).body.userName).toBe('env@example.com');
  });

  it('seeds an empty database once; a restart keeps its data and says it did not seed again', async () => {
    const url = await database('serve_seed');
    const first = await serveCli(['--token', TOKEN, '--store', url, '--seed', 'seed.yaml'], dir);
    expect(first.run.stdout).toContain('seeded: 2 users, 1 group from seed.yaml');
    first.run.child.kill('SIGTERM');
    expect(await exitOf(first.run)).toBe(0);

    const again = await serveCli(['--token', TOKEN, '--store', url, '--seed', 'seed.yaml'], dir);
    expect(again.run.stdout).toContain('seeded: not again from seed.yaml: the store holds users or groups already');
    const users = await scim(again.url, 'GET', '/Users');
    expect(users.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['ada@example.com', 'grace@example.com']);
    const groups = await scim(again.url, 'GET', '/Groups');
    expect(groups.body.totalResults).toBe(1);
    expect(groups.body.Resources[0].members).toHaveLength(2);
  });
});
