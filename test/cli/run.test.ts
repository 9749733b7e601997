import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../reference-server/app.js';
import { startFaultyTarget, type FaultyTarget } from '../harness/runner/faulty-target.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/harness/cli/main.js');
const DISCOVERY = join(ROOT, 'scenarios/rfc7644/discovery');
const TOKEN = 'canary-token-4f1d9c';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI to its end; `SCIMULATOR_*` variables come only from `env`. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const { SCIMULATOR_TARGET: _t, SCIMULATOR_TOKEN: _k, ...base } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: dir, env: { ...base, NO_COLOR: '1', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? null) : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

let dir: string;
let server: ReturnType<typeof createReferenceServer>;
let url: string;
let faulty: FaultyTarget;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-run-'));
  server = createReferenceServer({ tokens: [TOKEN] });
  url = (await server.listen()).url;
  faulty = await startFaultyTarget('plain-text-errors');
});

afterAll(async () => {
  await server?.close();
  await faulty?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('scimulator run', () => {
  it('with no target, runs against the embedded reference server and exits 0', async () => {
    const run = await cli(['run', DISCOVERY]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ rfc7644\.discovery\.service-provider-config/);
    expect(lastLine(run.stdout)).toMatch(/^\d+ passed, 0 failed, 0 skipped$/);
  });

  it('against a target URL with a token, from the environment too', async () => {
    const flags = await cli(['run', DISCOVERY, '--target', url, '--token', TOKEN]);
    expect(flags.code).toBe(0);
    const env = await cli(['run', DISCOVERY], { SCIMULATOR_TARGET: url, SCIMULATOR_TOKEN: TOKEN });
    expect(env.code).toBe(0);
    expect(lastLine(env.stdout)).toBe(lastLine(flags.stdout));
  });

  it('exits 1 on conformance failures and shows the check, the actual value and the RFC section', async () => {
    const run = await cli(['run', DISCOVERY, '--target', faulty.url, '--token', faulty.token]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ rfc7644\.discovery\.schemas/);
    expect(run.stdout).toMatch(/Failures:/);
    expect(run.stdout).toMatch(/\[RFC 7644 §3\.12\]/);
    expect(lastLine(run.stdout)).toMatch(/^\d+ passed, [1-9]\d* failed, 0 skipped$/);
  });

  it('starts the end-of-run summary with the root causes, each with its count, effect and first scenario', async () => {
    const run = await cli(['run', DISCOVERY, '--target', faulty.url, '--token', faulty.token]);
    const summary = run.stdout.slice(run.stdout.indexOf('\n\n') + 2).split('\n');
    expect(summary[0]).toBe('Root causes:');
    const causes = summary.slice(1, summary.indexOf(''));
    expect(causes.length).toBeGreaterThan(0);
    for (const line of causes) expect(line).toMatch(/^ {2}[✗!~-] .+ — \d+ scenarios? (failed|could not run|blocked|skipped), first: rfc7644\.discovery\.\S+$/);
    expect(summary.indexOf('Failures:')).toBeGreaterThan(causes.length);
  });

  it('exits 3 when the token is refused', async () => {
    const run = await cli(['run', DISCOVERY, '--target', url, '--token', 'wrong']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/401/);
    expect(run.stderr).toMatch(/--token/);
  });

  it('exits 3 when the target is unreachable', async () => {
    const run = await cli(['run', DISCOVERY, '--target', `http://127.0.0.1:${await closedPort()}/scim/v2`, '--token', 'x']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Cannot reach the target/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 3 before any scenario when the base path is left off, and says which --target answers SCIM', async () => {
    const origin = new URL(url).origin;
    const run = await cli(['run', DISCOVERY, '--target', origin, '--token', TOKEN]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^GET ${origin}/ServiceProviderConfig answered 404 `));
    expect(run.stderr.trimEnd()).toMatch(new RegExp(`is the base path right\\? .*did you mean --target ${url}\\?$`));
    expect(run.stderr).not.toContain(TOKEN);
    expect(run.stdout).toBe('');
  });

  it('exits 2 with file:line:col for a scenario file with a mistake, and runs nothing', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'id: broken.one\ntitle: Broken\nrefs: ["RFC 7644 §3.3"]\nsteps:\n  - request: { method: GET, path: /Users }\n    expect: { stauts: 200 }\n');
    const run = await cli(['run', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:6:\\d+: `));
    expect(run.stdout).toBe('');
  });

  it.each([
    [['--concurrency', '0'], /--concurrency/],
    [['--reporter', 'pdf'], /Unknown reporter "pdf"/],
    [['--target', 'not a url'], /is not a URL/],
    [['--token', 'x', '--basic', 'a:b', '--target', 'http://127.0.0.1:1'], /one of --token/],
  ])('exits 2 for a usage mistake: %s', async (flags, message) => {
    const run = await cli(['run', DISCOVERY, ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('writes the JSON result with --reporter json, with no secret in it', async () => {
    const out = join(dir, 'report');
    const run = await cli(['run', DISCOVERY, '--target', url, '--token', TOKEN, '--reporter', 'console,json', '--out', out]);
    expect(run.code).toBe(0);
    const text = readFileSync(join(out, 'result.json'), 'utf8');
    const result = JSON.parse(text);
    expect(result).toMatchObject({ format: 'scimulator-run', version: 3, target: { url, embedded: false } });
    expect(result.totals.total).toBe(result.scenarios.length);
    expect(result.scenarios[0].exchanges[0].request.headers.authorization).toBe('Bearer [redacted]');
    expect(text).not.toContain(TOKEN);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });
});
