/** 4. The main job: wall time of `npm start` (`node dist/harness/cli/main.js run`), on both cores. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pinned } from '../lib/child.js';
import { median } from '../lib/load.js';

export interface MainJobMeasure {
  runs: number[];
  medianMs: number;
  exitCodes: number[];
  summary: string;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = `${root}dist/harness/cli/main.js`;

function once(): Promise<{ ms: number; code: number; summary: string }> {
  // This process is pinned to one core; the main job gets both, as `npm start` would.
  const [command, args] = pinned('0,1', process.execPath, [cli, 'run']);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.resume();
    child.on('error', reject);
    child.on('exit', (code) => {
      const summary = out.trim().split('\n').filter((line) => /passed|failed/.test(line)).pop() ?? '';
      resolve({ ms: performance.now() - started, code: code ?? -1, summary });
    });
  });
}

export async function measureMainJob(runs: number): Promise<MainJobMeasure | undefined> {
  if (!existsSync(cli)) return undefined;
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  return { runs: results.map((r) => r.ms), medianMs: median(results.map((r) => r.ms)), exitCodes: results.map((r) => r.code), summary: results.at(-1)!.summary };
}
