/**
 * `npm run bench` (`--quick` for CI): the reference server and the simulators, measured side by
 * side and reported as ratios against the goals of issue 8. Prints a Markdown table; `--json FILE`
 * also writes the raw numbers; `--only=http,sim,memory,main,pg` runs some sections, `--ops=get,filter,
 * patch,post` some operations of the first, `--rounds=N` more rounds of each (of the first and the
 * last). Speed is never
 * asserted: the exit code is 0 unless the benchmark itself broke.
 */
import { writeFileSync } from 'node:fs';
import { canPin, pinSelf } from './lib/child.js';
import { measureHttp, OPS, type HttpSizes, type Op } from './sections/http.js';
import { measureMainJob } from './sections/main-job.js';
import { measureMemory } from './sections/memory.js';
import { measurePostgres, type PgSizes } from './sections/postgres.js';
import { entraScenario, measureInProcess, measureSimulator, oktaScenario } from './sections/simulators.js';
import { report, type BenchResult } from './report.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const jsonAt = argv.indexOf('--json');
const jsonFile = jsonAt >= 0 ? argv[jsonAt + 1] : undefined;
const flag = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ops = (flag('ops')?.split(',') ?? [...OPS]) as Op[];
const unknownOp = ops.find((op) => !OPS.includes(op));
if (unknownOp !== undefined) {
  process.stderr.write(`--ops: unknown operation "${unknownOp}"; choose from ${OPS.join(', ')}\n`);
  process.exit(2);
}
const rounds = flag('rounds') === undefined ? undefined : Number(flag('rounds'));
if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1)) {
  process.stderr.write('--rounds must be a whole number of 1 or more\n');
  process.exit(2);
}
const only = (name: string) => !argv.some((a) => a.startsWith('--only=')) || argv.some((a) => a.startsWith('--only=') && a.slice(7).split(',').includes(name));

const sizes = quick
  ? {
      http: { users: 200, seconds: 0, warmupSeconds: 0, amount: 100, rounds: rounds ?? 1, connections: 10, ops } satisfies HttpSizes,
      simUsers: 100,
      memUsers: 2000,
      memGroups: 20,
      mainRuns: 1,
      pg: { users: 100, groups: 5, rounds: rounds ?? 1, connections: 10, seconds: 0, warmupSeconds: 0, amount: 50 } satisfies PgSizes,
    }
  : {
      http: { users: 10_000, seconds: 4, warmupSeconds: 2, rounds: rounds ?? 3, connections: 10, ops } satisfies HttpSizes,
      simUsers: 10_000,
      memUsers: 100_000,
      memGroups: 1000,
      mainRuns: 3,
      pg: { users: 10_000, groups: 100, rounds: rounds ?? 3, connections: 10, seconds: 3, warmupSeconds: 1 } satisfies PgSizes,
    };

const log = (line: string) => process.stderr.write(`${line}\n`);
const pinnedSelf = pinSelf(1);
log(`scimulator bench${quick ? ' --quick (tiny sizes: checks that the benchmark works, not speed)' : ''}`);
log(canPin && pinnedSelf ? 'servers on core 0 (taskset -c 0), load generator and harness on core 1' : 'taskset unavailable: processes are not pinned');

/** Runs a section between its title and how long it took, so that the log shows where the time goes. */
async function section(title: string, measure: () => Promise<void>): Promise<void> {
  log(title);
  const started = performance.now();
  await measure();
  log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

const result: BenchResult = { quick, node: process.version, pinned: canPin && pinnedSelf, sizes };
if (only('http')) {
  await section('1. server throughput', async () => {
    result.http = await measureHttp(sizes.http, log);
  });
}
if (only('sim')) {
  await section('2. simulators', async () => {
    result.okta = await measureSimulator(oktaScenario(sizes.simUsers), sizes.simUsers, false);
    result.okta.inProcessWallMs = await measureInProcess(oktaScenario(sizes.simUsers));
    log(`  okta: ${Math.round(result.okta.wallMs)} ms, ${result.okta.status}`);
    // The Entra simulator is young: a run that cannot complete is reported as not measured.
    try {
      const entra = await measureSimulator(entraScenario(sizes.simUsers), sizes.simUsers, true);
      if (entra.status === 'passed') result.entra = { ...entra, inProcessWallMs: await measureInProcess(entraScenario(sizes.simUsers)) };
      else result.entraError = entra.status;
    } catch (error) {
      result.entraError = error instanceof Error ? error.message : String(error);
    }
    log(`  entra: ${result.entra ? `${Math.round(result.entra.wallMs)} ms` : `not measured (${result.entraError})`}`);
  });
}
if (only('memory')) {
  await section('3. memory', async () => {
    result.memory = await measureMemory(sizes.memUsers, sizes.memGroups);
  });
}
if (only('main')) {
  await section('4. main job', async () => {
    result.mainJob = await measureMainJob(sizes.mainRuns);
  });
}
if (only('pg')) {
  await section('5. PostgreSQL store beside the memory store', async () => {
    result.postgres = await measurePostgres(sizes.pg, log);
    if ('unavailable' in result.postgres) log(`  skipped: ${result.postgres.unavailable}`);
  });
}

process.stdout.write(report(result));
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(result, null, 2));
