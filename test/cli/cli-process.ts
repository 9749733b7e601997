import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './compiled-cli.js';

/**
 * How long a test waits for a long-running CLI (a `serve`) to print or exit: an upper bound only,
 * for a loaded CI machine many times slower than a laptop, and below Vitest's 60 s test timeout so
 * that the failure shows the output so far.
 */
const WAIT_MS = 30_000;

/** A compiled CLI process that keeps running (`scimulator serve`), with what it has printed so far. */
export interface CliProcess {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** The exit code, once the process has ended and all it printed is in `stdout` and `stderr`. */
  exited: Promise<number | null>;
}

const running: CliProcess[] = [];

/** Starts the compiled CLI in `cwd` without the caller's `SCIMULATOR_*` credentials; `stopAll` ends it. */
export function startCli(args: string[], cwd: string, env: Record<string, string> = {}): CliProcess {
  const { SCIMULATOR_TOKEN: _t, SCIMULATOR_ADMIN_TOKEN: _a, ...base } = process.env;
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...base, ...env } });
  const run: CliProcess = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
  // 'close', not 'exit': at 'exit' the last of the output may still be in the pipes, unread under load.
  child.stdout!.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  running.push(run);
  return run;
}

/** Kills every process startCli started that is still running: for an afterEach. */
export function stopAll(): void {
  for (const run of running.splice(0)) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
}

/** The promise, or an error naming `what` and the output so far when it takes too long. */
export function within<T>(promise: Promise<T>, what: string, run: CliProcess): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stdout: ${run.stdout}; stderr: ${run.stderr}`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once stdout matches `pattern`; fails if the process ends first or the wait is too long. */
export function waitForOutput(run: CliProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  const matched = new Promise<RegExpMatchArray>((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(run.stdout);
      if (match) resolve(match);
    };
    run.child.stdout!.on('data', check);
    run.exited.then((code) => reject(new Error(`exited with ${code} before printing ${pattern}; stderr: ${run.stderr}`)));
    check();
  });
  return within(matched, String(pattern), run);
}

/** Starts `scimulator serve --port 0 …args` and reads the base URL from its banner. */
export async function serveCli(args: string[], cwd: string, env?: Record<string, string>): Promise<{ run: CliProcess; url: string; origin: string }> {
  const run = startCli(['serve', '--port', '0', ...args], cwd, env);
  const [, url] = await waitForOutput(run, /listening on (http:\/\/127\.0\.0\.1:\d+\/scim\/v2)\n[\s\S]*Press Ctrl\+C to stop\.\n/);
  return { run, url: url!, origin: new URL(url!).origin };
}
