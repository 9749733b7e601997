import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Whether `taskset` can pin processes to cores here (Linux with util-linux, at least 2 cores). */
export const canPin: boolean = (() => {
  try {
    return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  } catch {
    return false;
  }
})();

/** Pins this process to `core` (the load generator's and the harness's core); false when impossible. */
export function pinSelf(core: number): boolean {
  if (!canPin) return false;
  return spawnSync('taskset', ['-cp', String(core), String(process.pid)]).status === 0;
}

/** A command line, prefixed with `taskset -c CORES` when pinning is possible. */
export function pinned(cores: string, command: string, args: string[]): [string, string[]] {
  return canPin ? ['taskset', ['-c', cores, command, ...args]] : [command, args];
}

export interface ChildServer<Ready> {
  ready: Ready;
  /** The child's `process.cpuUsage()` and `memoryUsage()`, asked over IPC. */
  usage(): Promise<{ cpu: NodeJS.CpuUsage; rss: number; heapUsed: number }>;
  stop(): Promise<void>;
}

const TSX = ['--import', 'tsx'];

/**
 * Starts `bench/servers/<name>.ts` in its own Node process on `cores`, with an IPC channel, and
 * waits for its `{ type: 'ready' }` message. Extra Node flags (e.g. `--expose-gc`) go in `nodeFlags`.
 */
export async function startChild<Ready>(name: string, config: unknown, options: { cores?: string; nodeFlags?: string[] } = {}): Promise<ChildServer<Ready>> {
  const script = fileURLToPath(new URL(`../servers/${name}.ts`, import.meta.url));
  const [command, args] = pinned(options.cores ?? '0', process.execPath, [...(options.nodeFlags ?? []), ...TSX, script, JSON.stringify(config)]);
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending: ((message: any) => void)[] = [];
  const ready = await new Promise<Ready>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench server ${name} exited with code ${code} before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.on('message', (message: any) => {
      if (message?.type === 'ready') {
        child.off('exit', onExit);
        resolve(message as Ready);
      } else if (message?.type === 'usage') pending.shift()?.(message);
    });
  });
  return {
    ready,
    usage() {
      return new Promise((resolve) => {
        pending.push(resolve);
        child.send({ type: 'usage' });
      });
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        // Disconnecting lets the child exit by itself (and write a --cpu-prof profile); SIGTERM if it does not.
        const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
        child.once('exit', () => (clearTimeout(timer), resolve()));
        child.disconnect();
      });
    },
  };
}

/** For a child: answers usage requests and reports ready. */
export function serveIpc(ready: Record<string, unknown>): void {
  process.on('message', (message: any) => {
    if (message?.type === 'usage') {
      const memory = process.memoryUsage();
      process.send!({ type: 'usage', cpu: process.cpuUsage(), rss: memory.rss, heapUsed: memory.heapUsed });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'ready', ...ready });
}
