import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarios, runScenarios, type RunResult, type Scenario } from '../../harness/api.js';
import type { ReferenceServer } from '../../reference-server/app.js';
import { dropDatabase, freshDatabase, postgresSkip } from '../support/postgres.js';
import { startRoundRobin, type RoundRobin } from './round-robin.js';
import { startServer, TOKEN } from './scim-http.js';

/**
 * Issue 19, "Done when": the scenario library passes against the PostgreSQL store as it does
 * against memory, one instance or two behind a balancer. The selection is `npm start`'s with
 * --target: the bundled library without the scenarios written for a service's own profile
 * (harness/cli/run.ts leaves those out against a target).
 */

const databases: string[] = [];
const servers: ReferenceServer[] = [];
let proxy: RoundRobin | undefined;
let selected: Scenario[];
const runs: Record<'memory' | 'postgres' | 'twoInstances' | 'embedded', RunResult> = {} as never;

const verdicts = (run: RunResult) => Object.fromEntries(run.scenarios.map((s) => [s.id, s.status]));

async function served(store: string): Promise<string> {
  const { server, base } = await startServer(store);
  servers.push(server);
  return base;
}

describe.skipIf(postgresSkip)('the scenario library against the PostgreSQL store', () => {
  beforeAll(async () => {
    selected = (await loadScenarios()).filter((scenario) => scenario.target?.profile === undefined);
    const one = await freshDatabase('library_one');
    const shared = await freshDatabase('library_two');
    databases.push(one, shared);
    const memory = await served('memory');
    const postgres = await served(one);
    const [first, second] = await Promise.all([served(shared), served(shared)]);
    proxy = await startRoundRobin([first!, second!].map((base) => new URL(base).origin));
    // One after the other: the two cores are shared, and each run's timing is its own.
    runs.memory = await runScenarios(selected, { target: { url: memory, token: TOKEN } });
    runs.postgres = await runScenarios(selected, { target: { url: postgres, token: TOKEN } });
    runs.twoInstances = await runScenarios(selected, { target: { url: `${proxy.origin}${new URL(first!).pathname}`, token: TOKEN } });
    // `npm start` itself: the whole library, each scenario on the embedded server of its own profile, here on PostgreSQL.
    const embedded = await freshDatabase('library_embedded');
    databases.push(embedded);
    runs.embedded = await runScenarios(undefined, { store: embedded });
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(servers.map((server) => server.close()));
    for (const url of databases) await dropDatabase(url);
  });

  it('runs every selected scenario to a verdict, none errored and none interrupted', () => {
    for (const run of [runs.memory, runs.postgres, runs.twoInstances]) {
      expect(run.scenarios).toHaveLength(selected.length);
      expect(run.interrupted).toBeUndefined();
      expect(run.scenarios.filter((s) => s.status === 'error').map((s) => s.id)).toEqual([]);
    }
    // A balancer that forwarded nothing would prove nothing about two instances.
    expect(proxy!.forwarded).toBeGreaterThan(selected.length);
  });

  it('gives one PostgreSQL instance the verdicts the memory store gets, scenario by scenario', () => {
    expect(verdicts(runs.postgres)).toEqual(verdicts(runs.memory));
  });

  it('gives two instances on one database, requests alternating, the same verdicts', () => {
    expect(verdicts(runs.twoInstances)).toEqual(verdicts(runs.memory));
  });

  it("passes npm start's whole library with the embedded servers on PostgreSQL (run --store)", () => {
    const { totals } = runs.embedded;
    expect(totals.total).toBeGreaterThan(selected.length);
    expect(runs.embedded.scenarios.filter((s) => s.status !== 'passed').map((s) => `${s.id}: ${s.status}`)).toEqual([]);
  });
});
