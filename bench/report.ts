/** The benchmark's result as Markdown: ratios first, then the goals of issue 8 with pass or miss. */
import { OP_LABEL, OPS, type HttpResults, type HttpSizes } from './sections/http.js';
import type { MainJobMeasure } from './sections/main-job.js';
import type { MemoryMeasure } from './sections/memory.js';
import { PG_OP_LABEL, type PgOp, type PgResults, type PgSizes } from './sections/postgres.js';
import type { SimulatorMeasure } from './sections/simulators.js';

export interface BenchResult {
  quick: boolean;
  node: string;
  pinned: boolean;
  sizes: { http: HttpSizes; simUsers: number; memUsers: number; memGroups: number; mainRuns: number; pg: PgSizes };
  http?: HttpResults;
  okta?: SimulatorMeasure;
  entra?: SimulatorMeasure;
  entraError?: string;
  memory?: MemoryMeasure;
  mainJob?: MainJobMeasure;
  postgres?: PgResults;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (n: number) => `${n.toFixed(2)}×`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pct = (n: number) => `${Math.round(n * 100)} %`;

function goal(name: string, measured: string, target: string, met: boolean | undefined): string {
  return `| ${name} | ${measured} | ${target} | ${met === undefined ? 'not measured' : met ? '**met**' : '**missed**'} |`;
}

export function report(r: BenchResult): string {
  const out: string[] = [];
  const s = r.sizes;
  out.push(`## scimulator bench${r.quick ? ' --quick (tiny sizes: not a measure of speed)' : ''}`, '');
  out.push(`Node ${r.node}; ${r.pinned ? 'servers pinned to core 0, load generator and harness to core 1' : 'not pinned (no taskset)'}.`, '');
  const goals: string[] = [];

  if (r.http) {
    const h = r.http;
    out.push(`### 1. Server throughput (${int(s.http.users)} users loaded; autocannon, ${s.http.connections} connections, median of ${s.http.rounds} × ${s.http.amount ? `${s.http.amount} requests` : `${s.http.seconds} s`})`, '');
    out.push(
      '| operation | reference req/s | raw node:http req/s | bare fastify req/s | scimmy req/s | reference ÷ raw | bare fastify ÷ raw | reference ÷ scimmy | server CPU µs/req: reference, raw, bare fastify, scimmy |',
      '|---|--:|--:|--:|--:|--:|--:|--:|--:|',
    );
    const ops = OPS.filter((op) => h.reference[op] !== undefined);
    for (const op of ops) {
      const [ref, raw, bare, sc] = [h.reference[op]!, h.raw[op]!, h.fastify[op]!, h.scimmy[op]!];
      const rps = (m: typeof ref) => `${int(m.rps)}${m.failures ? ` (${m.failures} failed)` : ''}`;
      out.push(`| \`${OP_LABEL[op]}\` | ${rps(ref)} | ${rps(raw)} | ${rps(bare)} | ${rps(sc)} | ${ratio(ref.rps / raw.rps)} | ${ratio(bare.rps / raw.rps)} | ${ratio(ref.rps / sc.rps)} | ${[ref, raw, bare, sc].map((m) => int(m.cpuUs)).join(', ')} |`);
    }
    const busiest = Math.max(...ops.map((op) => h.raw[op]!.generatorCpu));
    out.push('', 'req/s ratios are the goals; CPU per request is the steadier measure when other work shares the machine. Bare fastify answers fixed bodies through the same framework: the gap between it and raw node:http is the framework\'s.');
    out.push(`autocannon used up to ${pct(busiest)} of its core against raw node:http${busiest > 0.9 ? ': the load generator is near its limit there, so raw node:http is under-measured and the ratios against it flatter the reference server' : ''}.`, '');
    const filter = h.reference.filter && h.reference.filter.rps / h.scimmy.filter!.rps;
    const get = h.reference.get && h.reference.get.rps / h.raw.get!.rps;
    if (filter !== undefined) goals.push(goal('filter by userName ÷ scimmy', ratio(filter), '≥ 10×', filter >= 10));
    if (get !== undefined) goals.push(goal('GET by id ÷ raw node:http', ratio(get), '≥ 0.6×', get >= 0.6));
  }

  if (r.okta || r.entra || r.entraError) {
    out.push(`### 2. Simulators against the reference server (${int(s.simUsers)} users; harness on core 1, server on core 0)`, '');
    out.push(
      '| simulator | wall time, server in a child | requests | req/s | harness share of CPU | harness CPU | server CPU | wall time, embedded in-process (as `scimulator run`) | result |',
      '|---|--:|--:|--:|--:|--:|--:|--:|---|',
    );
    const row = (name: string, m: SimulatorMeasure) =>
      out.push(
        `| ${name} | ${seconds(m.wallMs)} | ${int(m.requests)} | ${int(m.rps)} | ${pct(m.harnessShare)} | ${seconds(m.harnessCpuMs)} | ${seconds(m.serverCpuMs)} | ${m.inProcessWallMs === undefined ? '—' : seconds(m.inProcessWallMs)} | ${m.status} |`,
      );
    if (r.okta) row(`Okta: assign ${int(s.simUsers)} users`, r.okta);
    if (r.entra) row(`Entra: initial cycle, ${int(s.simUsers)} users`, r.entra);
    out.push('');
    if (!r.entra) out.push(`Entra: not measured (simulator incomplete${r.entraError ? `: ${r.entraError}` : ''})`, '');
    // The goal is what users get: the embedded server in-process, as `scimulator run` runs it.
    const entraMs = r.entra?.inProcessWallMs ?? r.entra?.wallMs;
    goals.push(goal(`Entra initial cycle, ${int(s.simUsers)} users (embedded, in-process)`, entraMs === undefined ? '—' : seconds(entraMs), '< 10 s', entraMs === undefined ? undefined : entraMs < 10_000));
  }

  if (r.memory) {
    const m = r.memory;
    out.push(`### 3. Memory (reference server, after a forced GC)`, '');
    out.push('| users | groups (10 members each) | RSS | heap used | RSS of an empty server | per user | seeding time |', '|--:|--:|--:|--:|--:|--:|--:|');
    out.push(`| ${int(m.users)} | ${int(m.groups)} | ${int(m.rssMB)} MB | ${int(m.heapMB)} MB | ${int(m.emptyRssMB)} MB | ${int(((m.rssMB - m.emptyRssMB) * 1024 * 1024) / Math.max(1, m.users))} B | ${seconds(m.seedMs)} |`, '');
    goals.push(goal(`RSS with ${int(m.users)} users, ${int(m.groups)} groups`, `${int(m.rssMB)} MB`, '< 400 MB', m.rssMB < 400));
  }

  if (r.mainJob || r.sizes) {
    const j = r.mainJob;
    if (j) {
      out.push('### 4. The main job (`node dist/harness/cli/main.js run`, as `npm start`)', '');
      out.push(`Median ${seconds(j.medianMs)} of ${j.runs.length} (${j.runs.map(seconds).join(', ')}); exit codes ${j.exitCodes.join(', ')}; ${j.summary}`, '');
      goals.push(goal('`npm start`', seconds(j.medianMs), '< 5 s', j.medianMs < 5000));
    }
  }

  if (r.postgres) {
    const p = r.postgres;
    out.push(`### 5. PostgreSQL store ÷ memory store (${int(s.pg.users)} users, ${int(s.pg.groups)} groups; ${s.pg.connections} connections, median of ${s.pg.rounds} × ${s.pg.amount ? `${s.pg.amount} requests` : `${s.pg.seconds} s`})`, '');
    if ('unavailable' in p) out.push(`Not measured: ${p.unavailable}.`, '');
    else {
      out.push('| operation | memory store req/s | PostgreSQL store req/s | PostgreSQL ÷ memory |', '|---|--:|--:|--:|');
      // The brief's order, not the measuring order (POST is measured last: it grows the store).
      const order: PgOp[] = ['post', 'get', 'filter', 'patch', 'member', 'list', 'scan'];
      for (const op of order) {
        const [mem, pg] = [p.ops.memory[op], p.ops.postgres[op]];
        if (!mem || !pg) continue;
        const rps = (m: typeof mem) => `${int(m.rps)}${m.failures ? ` (${m.failures} failed)` : ''}`;
        out.push(`| \`${PG_OP_LABEL[op]}\` | ${rps(mem)} | ${rps(pg)} | ${ratio(pg.rps / mem.rps)} |`);
      }
      out.push('', `PostgreSQL: ${p.source}, on this machine, not pinned (it shares the cores with the server and the load generator). Seeding through \`services\`: memory ${seconds(p.seedMs.memory)}, PostgreSQL ${seconds(p.seedMs.postgres)}.`, '');
    }
  }

  if (goals.length) {
    out.push(`### Goals (issue 8)${r.quick ? ' — quick mode: sizes are tiny, so these say nothing' : ''}`, '', '| goal | measured | target | |', '|---|--:|--:|---|', ...goals, '');
  }
  return out.join('\n');
}
