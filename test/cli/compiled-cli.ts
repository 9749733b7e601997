import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(ROOT, 'dist/harness/cli/main.js');

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI (test/global-setup.ts builds it) to its end, without the caller's `SCIMULATOR_*` variables. */
export function cli(args: string[], cwd: string): Promise<CliOutcome> {
  const { SCIMULATOR_TARGET: _t, SCIMULATOR_TOKEN: _k, SCIMULATOR_ADMIN_TOKEN: _a, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...env, NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: number }).code : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}
