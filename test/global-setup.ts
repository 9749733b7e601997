import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Compiles once before any test file runs: the CLI tests run the compiled bin, as a user would,
 * and several compiling at once would race on dist/. tsc writes dist/ even when it finds type
 * errors; those fail the run in CI, and are only reported while working locally.
 */
export default async function compile(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root });
  } catch (error) {
    const { stdout } = error as { stdout?: string };
    const message = `tsc found errors before the tests:\n${stdout ?? String(error)}`;
    if (process.env.CI) throw new Error(message);
    console.warn(message);
  }
}
