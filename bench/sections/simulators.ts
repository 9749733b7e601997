/**
 * 2. Simulator throughput: an Okta assignment and an Entra initial cycle of N users, run by the
 * harness in this process (core 1) against the reference server in a child process (core 0), so
 * that the CPU of each side is separable. Both run the compiled `dist/`, as users do.
 */
import { IDPS } from '../../dist/harness/idp/registry.js';
import { runScenarios } from '../../dist/harness/runner/run.js';
import type { Scenario, Step } from '../../dist/harness/types.js';
import { startChild } from '../lib/child.js';
import { TOKEN, type ServerReady } from '../lib/users.js';

export interface SimulatorMeasure {
  users: number;
  wallMs: number;
  requests: number;
  rps: number;
  /** The harness's CPU as a share of harness + server CPU. */
  harnessShare: number;
  harnessCpuMs: number;
  serverCpuMs: number;
  status: string;
  /** The same scenario as `scimulator run` runs it: the embedded server in this process, one thread for both. */
  inProcessWallMs?: number;
}

const source = { file: '(bench)', line: 1, column: 1 };
const step = (action: string, args: unknown): Step => ({ kind: 'idp', action, args, source });
const names = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);

export function oktaScenario(users: number): Scenario {
  return {
    id: 'bench.okta.assign',
    title: `Okta assigns ${users} users`,
    refs: ['Okta ref §4.1'],
    tags: [],
    requires: [],
    covers: [],
    idp: 'okta',
    settings: { variant: 'oin' },
    directory: {
      users: Object.fromEntries(names(users).map((n, i) => [n, { login: `okta-${i}@example.com`, firstName: 'Okta', lastName: `User${i}` }])),
    },
    steps: names(users).map((n) => step('assign', n)),
    source,
  };
}

export function entraScenario(users: number): Scenario {
  return {
    id: 'bench.entra.initial',
    title: `Entra initial cycle of ${users} users`,
    refs: ['Entra ref §5.2'],
    tags: [],
    requires: [],
    covers: [],
    idp: 'entra',
    settings: { flags: [], scope: 'assigned', provisionGroups: false },
    directory: {
      users: Object.fromEntries(
        names(users).map((n, i) => [n, { userPrincipalName: `entra-${i}@contoso.com`, givenName: 'Entra', surname: `User${i}`, displayName: `Entra User${i}`, mail: `entra-${i}@contoso.com` }]),
      ),
      assignments: names(users),
    },
    steps: [step('cycle', 'initial')],
    source,
  };
}

export async function measureSimulator(scenario: Scenario, users: number, lenient: boolean): Promise<SimulatorMeasure> {
  const child = await startChild<ServerReady>('reference', { users: 0, lenient });
  try {
    const serverBefore = (await child.usage()).cpu;
    const before = process.cpuUsage();
    const started = performance.now();
    const result = await runScenarios([scenario], { idps: IDPS, target: { url: child.ready.url, credentials: { kind: 'bearer', token: TOKEN } }, keep: true, concurrency: 1 });
    const wallMs = performance.now() - started;
    const harness = process.cpuUsage(before);
    const serverAfter = (await child.usage()).cpu;
    const harnessCpuMs = (harness.user + harness.system) / 1000;
    const serverCpuMs = (serverAfter.user - serverBefore.user + serverAfter.system - serverBefore.system) / 1000;
    const run = result.scenarios[0]!;
    const requests = run.exchanges.length;
    const failedStep = run.steps.find((s) => s.status !== 'passed');
    const status = run.status === 'passed' ? 'passed' : `${run.status}: ${failedStep?.error ?? failedStep?.checks.find((c) => !c.passed)?.message ?? ''}`.slice(0, 200);
    return { users, wallMs, requests, rps: requests / (wallMs / 1000), harnessShare: harnessCpuMs / (harnessCpuMs + serverCpuMs), harnessCpuMs, serverCpuMs, status };
  } finally {
    await child.stop();
  }
}

/** Wall time of the scenario against the embedded reference server, in this process (what users get). */
export async function measureInProcess(scenario: Scenario): Promise<number> {
  const started = performance.now();
  await runScenarios([scenario], { idps: IDPS, keep: true, concurrency: 1 });
  return performance.now() - started;
}
