import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Builds once before any test file runs (`npm run build`: tsc, then the compiled scenario
 * library): the CLI tests run the compiled bin, as a user would, and several builds at once would
 * race on dist/. Then the tests and the benchmark are type-checked (tsconfig.check.json; vitest
 * and tsx only strip types). tsc writes dist/ even when it finds type errors; those fail the run
 * in CI, and are only reported while working locally.
 */
export default async function compile(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = async (args: string[]): Promise<string | undefined> => {
    try {
      await promisify(execFile)(process.execPath, args, { cwd: root });
      return undefined;
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      return `${args.join(' ')}:\n${stdout || stderr || String(error)}`;
    }
  };
  // In turn, as `npm run build` does, then the check: the benchmark's types come from dist/.
  const failures = [
    await run([tsc, '-p', 'tsconfig.json']),
    await run(['dist/harness/cli/build-library.js']),
    await run([tsc, '-p', 'tsconfig.check.json']),
  ].filter((f) => f !== undefined);
  if (failures.length === 0) return;
  const message = `the build found errors before the tests:\n${failures.join('\n')}`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}
