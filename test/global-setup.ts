import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Compiles once before any test file runs: the CLI tests run the compiled bin, as a user would,
 * and several compiling at once would race on dist/. Alongside, the tests and the benchmark are
 * type-checked (tsconfig.check.json; vitest and tsx only strip types). tsc writes dist/ even
 * when it finds type errors; those fail the run in CI, and are only reported while working locally.
 */
export default async function compile(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = async (project: string): Promise<string | undefined> => {
    try {
      await promisify(execFile)(process.execPath, [tsc, '-p', project], { cwd: root });
      return undefined;
    } catch (error) {
      return `${project}:\n${(error as { stdout?: string }).stdout ?? String(error)}`;
    }
  };
  const failures = (await Promise.all([run('tsconfig.json'), run('tsconfig.check.json')])).filter((f) => f !== undefined);
  if (failures.length === 0) return;
  const message = `tsc found errors before the tests:\n${failures.join('\n')}`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}
