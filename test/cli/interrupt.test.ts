import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../reference-server/app.js';
import { CLI, ROOT } from './compiled-cli.js';

const TOKEN = 'interrupt-token-7c2e';
/** A line the console prints when a scenario ends: its mark, its id. */
const SCENARIO_LINE = /^[✓✗!~-] \S+ — /gm;

/** The compiled CLI, started and watched: its output so far, a wait for a pattern in it, and its exit code. */
function start(args: string[], cwd: string) {
  const { SCIMULATOR_TARGET: _t, SCIMULATOR_TOKEN: _k, ...env } = process.env;
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...env, NO_COLOR: '1' } });
  const out = { stdout: '', stderr: '' };
  const waiters: (() => void)[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].setEncoding('utf8').on('data', (chunk: string) => {
      out[stream] += chunk;
      for (const check of [...waiters]) check();
    });
  }
  // 'close', not 'exit': at 'exit' the last of the output may still be in the pipes, unread under load.
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  /** Resolves once `test` holds of the output; rejects if the CLI ends first. */
  const until = (test: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => test() && (waiters.splice(waiters.indexOf(check), 1), resolve());
      waiters.push(check);
      check();
      void exit.then((code) => reject(new Error(`the CLI exited (${code}) before ${what}:\n${out.stdout}\n${out.stderr}`)));
    });
  return { child, out, exit, until };
}

async function listed(url: string, type: 'Users' | 'Groups'): Promise<number> {
  const response = await fetch(`${url}/${type}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await response.json()) as { totalResults: number }).totalResults;
}

let dir: string;
let server: ReferenceServer;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-interrupt-'));
  server = createReferenceServer({ tokens: [TOKEN] });
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Ctrl+C during `scimulator run`', () => {
  it('stops, cleans up, writes every report marked interrupted, and exits 130', async () => {
    const { url } = await server.listen();
    const out = join(dir, 'reports');
    const run = start(['run', '--target', url, '--token', TOKEN, '--reporter', 'console,json,html,junit,markdown', '--out', out], dir);
    await run.until(() => (run.out.stdout.match(SCENARIO_LINE) ?? []).length >= 5, 'five scenarios ended');
    run.child.kill('SIGINT');

    expect(await run.exit).toBe(130);
    expect(run.out.stderr).toMatch(/^SIGINT: stopping\. No new scenario starts.*Press Ctrl\+C again to stop at once\.$/m);
    expect(run.out.stderr).toContain(`HTML report written to ${join(out, 'report.html')}`);
    expect(run.out.stdout).toMatch(/^Interrupted by SIGINT at \S+: \d+ scenarios ran, \d+ never started; these results are partial\.$/m);

    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(result.interrupted).toEqual({ signal: 'SIGINT', at: expect.any(String), notRun: expect.any(Array) });
    expect(result.interrupted.notRun.length).toBeGreaterThan(0);
    expect(result.scenarios.length).toBeGreaterThanOrEqual(5);
    expect(result.totals.total).toBe(result.scenarios.length);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Interrupted by SIGINT');
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<testcase classname="scimulator.run" name="interrupted" time="0">\s*<error message="Interrupted by SIGINT/);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/^## .* scimulator \(interrupted\): /);

    expect(await listed(url, 'Users')).toBe(0);
    expect(await listed(url, 'Groups')).toBe(0);
  });

  it('a second Ctrl+C exits at once, naming what the run left on the target', async () => {
    // Requests for one user hang until the test ends: the scenario's read, then its cleanup's DELETE.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let hung = 0;
    let onHang = () => {};
    server.app.addHook('onRequest', async (request) => {
      if (!/\/Users\/[^/?]+/.test(request.url)) return;
      hung++;
      onHang();
      await released;
    });
    const hangs = (n: number) => new Promise<void>((resolve) => (onHang = () => hung >= n && resolve()));
    try {
      const { url } = await server.listen();
      const firstHang = hangs(1);
      const run = start(['run', join(ROOT, 'scenarios/rfc7644/users/get-by-id.yaml'), '--target', url, '--token', TOKEN, '--reporter', 'json', '--out', dir], dir);
      await firstHang;
      const cleanupHangs = hangs(2);
      run.child.kill('SIGINT');
      await run.until(() => run.out.stderr.includes('SIGINT: stopping'), 'the first signal was taken');
      // The read is abandoned after 2 s; the cleanup's DELETE then hangs too.
      await cleanupHangs;
      run.child.kill('SIGINT');

      expect(await run.exit).toBe(130);
      expect(run.out.stderr).toMatch(/^SIGINT again: stopped at once, without reports\.$/m);
      expect(run.out.stderr).toMatch(new RegExp(`^Left on the target \\(1\\), to delete by hand:\\n  ${url}/Users/\\S+ \\(rfc7644\\.users\\.get-by-id\\): not deleted yet`, 'm'));
      expect(run.out.stderr).not.toContain(TOKEN);
      expect(await listed(url, 'Users')).toBe(1);
    } finally {
      release();
    }
  });
});
