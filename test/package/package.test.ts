/*
 * The package as a user gets it (issue 18): packed with `npm pack`, unpacked into a scratch
 * project, and used from there through its exports only: the README's example (a scenario, a
 * script with runScenarios, a vitest file with scimulator/vitest), type-checked with tsc, then run.
 * Its dependencies are linked from this checkout's node_modules, as an install would place them:
 * no network. dist/ is the one test/global-setup.ts builds.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/compiled-cli.js';

const exec = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, resolving with its exit code and output whatever the code. */
async function run(file: string, args: string[], cwd: string): Promise<Outcome> {
  const { SCIMULATOR_TARGET: _t, SCIMULATOR_TOKEN: _k, SCIMULATOR_ADMIN_TOKEN: _a, ...env } = process.env;
  try {
    const { stdout, stderr } = await exec(file, args, { cwd, env: { ...env, NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof code === 'number' ? code : -1, stdout: stdout ?? '', stderr: stderr ?? String(error) };
  }
}

/** The README's "Use it from code" example: each fenced block whose first line names its file (`# path`, `// path`). */
function readmeExample(readme: string): Map<string, string> {
  const start = readme.indexOf('## Use it from code');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  const files = new Map<string, string>();
  for (const [, body] of section.matchAll(/```(?:ts|yaml)\n([\s\S]*?)```/g)) {
    const named = /^(?:#|\/\/) (\S+)\n/.exec(body!);
    if (named) files.set(named[1]!, body!);
  }
  return files;
}

/** A scenario the reference server fails, and a vitest file that runs it in-process: the failure message a test gets. */
const FAILING_SCENARIO = `id: acme.discovery.teapot
title: The service provider config answers 418
refs: ["RFC 7644 §4"]
steps:
  - name: read the service provider config
    request: { method: GET, path: /ServiceProviderConfig }
    expect:
      status: 418
`;
const FAILING_TEST = `import { scenarioTests } from 'scimulator/vitest';

await scenarioTests('failing', { name: 'in-process' });
`;

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: ['node'] },
  include: ['*.ts', 'test/**/*.ts'],
};

/** tsc checks every declaration the example reaches (fastify's, vitest's): seconds on a busy machine. */
const SLOW = 90_000;

let dir: string;
let project: string;
let example: Map<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-package-'));
  project = join(dir, 'project');
  // --ignore-scripts: `prepare` would build again; the global setup has built dist/.
  const packed = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const modules = join(project, 'node_modules');
  await mkdir(modules, { recursive: true });
  await exec('tar', ['-xzf', join(dir, filename), '-C', modules]);
  await rename(join(modules, 'package'), join(modules, 'scimulator'));
  // What the package declares it needs, and what the project itself uses: only those are found.
  const manifest = JSON.parse(await readFile(join(modules, 'scimulator/package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of [...Object.keys(manifest.dependencies), 'vitest', 'typescript', 'tsx', '@types/node']) {
    await mkdir(dirname(join(modules, name)), { recursive: true });
    await symlink(join(ROOT, 'node_modules', name), join(modules, name), 'dir');
  }
  example = readmeExample(await readFile(join(ROOT, 'README.md'), 'utf8'));
  const files = new Map([
    ...example,
    ['package.json', JSON.stringify({ name: 'scratch', private: true, type: 'module' })],
    ['tsconfig.json', JSON.stringify(TSCONFIG)],
    ['failing/teapot.yaml', FAILING_SCENARIO],
    ['test/failing.test.ts', FAILING_TEST],
  ]);
  for (const [path, text] of files) {
    await mkdir(dirname(join(project, path)), { recursive: true });
    await writeFile(join(project, path), text);
  }
}, SLOW);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed package, installed in a project', () => {
  it('has the README example: a scenario, a script and a vitest file', () => {
    expect([...example.keys()].sort()).toEqual(['check.ts', 'scenarios/users/create.yaml', 'test/scim.test.ts']);
  });

  it('type-checks the example against the exported types', async () => {
    const tsc = await run(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '-p', '.'], project);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  }, SLOW);

  it('starts the reference server and runs a scenario folder through runScenarios', async () => {
    const script = await run(process.execPath, ['--import', 'tsx', 'check.ts'], project);
    expect(script.stderr).toBe('');
    expect(script.stdout).toContain('1 passed, 0 failed, 0 skipped');
    expect(script.code).toBe(0);
  }, SLOW);

  it('runs each scenario as a vitest test, failing with the console report\'s words', async () => {
    const report = join(dir, 'vitest.json');
    const vitest = await run(process.execPath, [join(project, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', `--outputFile=${report}`], project);
    const results = JSON.parse(await readFile(report, 'utf8')) as {
      testResults: { name: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
    };
    const tests = results.testResults.flatMap((file) => file.assertionResults);
    expect(tests.map((t) => [t.fullName, t.status]).sort()).toEqual([
      ['in-process acme.discovery.teapot — The service provider config answers 418', 'failed'],
      ['scimulator acme.users.create — Creating a user answers 201 with the userName as sent', 'passed'],
    ]);
    const failure = tests.find((t) => t.status === 'failed')!.failureMessages[0]!;
    expect(failure).toContain('✗ acme.discovery.teapot — The service provider config answers 418');
    expect(failure).toContain('step 1: read the service provider config');
    expect(failure).toMatch(/expected: 418\s+actual:\s+200/);
    expect(vitest.code).toBe(1);
  }, SLOW);
});
