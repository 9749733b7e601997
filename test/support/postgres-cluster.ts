import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A PostgreSQL server started for this run, and how to stop it. */
export interface RunningPostgres {
  adminUrl: string;
  stop(): Promise<void>;
}

const run = promisify(execFile);

/** Debian's `pg_config` names the server's bindir; without it, the newest installed major version. */
export async function findPostgresBin(root = '/usr/lib/postgresql', pgConfig = 'pg_config'): Promise<string | undefined> {
  try {
    const { stdout } = await run(pgConfig, ['--bindir']);
    const dir = stdout.trim();
    if (existsSync(join(dir, 'initdb'))) return dir;
  } catch {
    // No pg_config (libpq-dev or the server package not installed): look where Debian puts it.
  }
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Bounded, so a huge log never floods the error. */
function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-2000);
  } catch {
    return '(no log written)';
  }
}

/**
 * A throwaway cluster in a temporary folder on a free loopback port: trust auth is safe because it
 * listens on 127.0.0.1 and a socket in a private folder only. initdb refuses to run as root, so
 * under root the folder goes to the `postgres` user and the tools run as it.
 */
export async function startLocalCluster(bin: string): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'scim-pg-'));
  const asRoot = process.getuid?.() === 0;
  const command = (tool: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  const stopArgs = ['stop', '-D', data, '-m', 'immediate'];
  // On Ctrl-C vitest exits without running globalSetup teardowns, and pg_ctl detaches the postmaster
  // from our process group, so these listeners stop it. The signal ones are needed too: a
  // signal-exit listener in vitest's tree re-raises a signal no one else listens to, which kills
  // the process before 'exit'. Vitest's own listener still ends the run.
  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    if (existsSync(join(data, 'postmaster.pid'))) {
      try {
        execFileSync(...command('pg_ctl', stopArgs), { cwd: dir, stdio: 'ignore' });
      } catch {
        // Best effort while the process exits.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const listen = (on: boolean): void => {
    for (const event of ['exit', 'SIGINT', 'SIGTERM'] as const) {
      if (on) process.on(event, stopSync);
      else process.off(event, stopSync);
    }
  };
  listen(true);
  if (asRoot) await run('chown', ['postgres:', dir]);

  // C.UTF-8 rather than whatever LANG says: lower() and ILIKE fold non-ASCII letters as on a real server, not only A-Z.
  const initdb = ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'];
  try {
    await run(...command('initdb', initdb), { cwd: dir });
  } catch (error) {
    listen(false);
    rmSync(dir, { recursive: true, force: true });
    const { stderr } = error as { stderr?: string };
    throw new Error(`initdb failed (${bin}): ${(stderr ?? String(error)).slice(-2000)}`);
  }
  const port = await freeLoopbackPort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  try {
    await run(...command('pg_ctl', ['-D', data, '-o', options, '-w', '-l', log, 'start']), { cwd: dir });
  } catch {
    // -w may give up while the postmaster still starts: stop it, but keep the folder for its log.
    await run(...command('pg_ctl', stopArgs), { cwd: dir }).catch(() => undefined);
    listen(false);
    throw new Error(`pg_ctl could not start PostgreSQL on 127.0.0.1:${port}; log kept at ${log}:\n${logTail(log)}`);
  }

  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      listen(false);
      await run(...command('pg_ctl', stopArgs), { cwd: dir }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
