import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveCli, stopAll, within, type CliProcess } from '../../cli/cli-process.js';
import { cli } from '../../cli/compiled-cli.js';

/** `scimulator serve --faults` and `--admin-token`, run as the compiled CLI (test/global-setup.ts builds it). */

const TOKEN = 'scim-token-0123456789';
const ADMIN_TOKEN = 'admin-token-9876543210';

const FAULTS = `# a comment
seed: 1
rules:
  - name: throttle
    match: { method: GET, path: /Users, nth: 1 }
    act: { status: 429, retryAfter: 30 }
  - match: { path: /Groups }
    act: { hang: true }
`;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-serve-faults-'));
  writeFileSync(join(dir, 'faults.yaml'), FAULTS);
});

afterEach(stopAll);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts `scimulator serve --port 0 --token TOKEN …args` and reads the base URL from its banner. */
const serve = (args: string[], env: Record<string, string> = {}) => serveCli(['--token', TOKEN, ...args], dir, env);

/** Resolves once stdout holds `count` lines matching `pattern`. */
async function logged(run: CliProcess, pattern: RegExp, count = 1): Promise<string[]> {
  const found = () => run.stdout.split('\n').filter((line) => pattern.test(line));
  const wait = new Promise<string[]>((resolve) => {
    const check = () => found().length >= count && resolve(found());
    run.child.stdout!.on('data', check);
    check();
  });
  return within(wait, String(pattern), run);
}

describe('scimulator serve --faults', () => {
  it('injects the file\'s faults, says so in the banner, the header and the log, and a hang ends with the server', async () => {
    const { run, url, origin } = await serve(['--faults', 'faults.yaml', '--log', '--admin-token', ADMIN_TOKEN]);
    expect(run.stdout).toContain('  faults: 2 rules from faults.yaml');

    const throttled = await request(`${url}/Users`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect([throttled.statusCode, throttled.headers['retry-after'], throttled.headers['x-scimulator-fault']]).toEqual([429, '30', 'throttle: 429 Retry-After 30']);
    await throttled.body.dump();
    expect((await request(`${url}/Users`, { headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
    expect(await logged(run, / GET \/scim\/v2\/Users 429 .*\[fault: throttle: 429 Retry-After 30\]/)).toHaveLength(1);

    // A hung request: SIGTERM still stops the server at once, and the client sees the connection end.
    const hung = request(`${url}/Groups`, { headers: { authorization: `Bearer ${TOKEN}` } }).then(
      () => 'answered',
      (error: { code?: string }) => error.code,
    );
    // The admin API's counts say when the server holds it.
    const acted = async () => {
      const list = await request(`${origin}/_scimulator/faults`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      return ((await list.body.json()) as { rules: { acted: number }[] }).rules[1]!.acted;
    };
    while ((await acted()) === 0);
    run.child.kill('SIGTERM');
    expect(await within(run.exited, 'the process to exit', run)).toBe(0);
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(await hung);
  });

  it.each([
    ['a value out of range', 'rules:\n  - act:\n      status: 99\n', /^error: bad\.yaml:3:7: rules\[0\]\.act\.status: must be a whole number from 200 to 599, got 99$/],
    ['a misspelt key', 'rules:\n  - act: { status: 500 }\n    mach: {}\n', /^error: bad\.yaml:3:5: rules\[0\]\.mach: unknown key: the keys here are name, match, act: did you mean 'match'\?$/],
    ['broken YAML', 'rules: [\n', /^error: bad\.yaml:2:1: /],
    ['no rules', 'seed: 1\n', /^error: bad\.yaml:1:1: needs rules/],
  ])('refuses a file with %s: one line with where, exit code 2', async (_what, text, message) => {
    writeFileSync(join(dir, 'bad.yaml'), text);
    const outcome = await cli(['serve', '--port', '0', '--faults', 'bad.yaml'], dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(outcome.stderr.trimEnd()).toMatch(message);
  });

  it('refuses a file it cannot read', async () => {
    const outcome = await cli(['serve', '--port', '0', '--faults', 'missing.yaml'], dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe('error: cannot read the faults file "missing.yaml": there is no such file; check the --faults path\n');
  });
});

describe('scimulator serve --admin-token', () => {
  it('opens the admin API for that token, shown masked; faults installed through it act', async () => {
    const { run, url, origin } = await serve([], { SCIMULATOR_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(run.stdout).toContain(`  admin: faults at ${origin}/_scimulator/faults, invites at ${origin}/_scimulator/invites, key rotation at ${origin}/_scimulator/token, clock at ${origin}/_scimulator/clock, Authorization: Bearer admi…   (from SCIMULATOR_ADMIN_TOKEN, shown masked)`);
    expect(run.stdout).not.toContain(ADMIN_TOKEN);
    const put = await request(`${origin}/_scimulator/faults`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rules: [{ match: { path: '/Users' }, act: { status: 503, html: true } }] }),
    });
    expect(put.statusCode).toBe(200);
    await put.body.dump();
    const faulted = await request(`${url}/Users`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect([faulted.statusCode, faulted.headers['x-scimulator-fault']]).toEqual([503, '503 HTML page']);
    await faulted.body.dump();
    const scimToken = await request(`${origin}/_scimulator/faults`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scimToken.statusCode).toBe(401);
    await scimToken.body.dump();
  });

  it('without it, the admin path is unknown', async () => {
    const { origin, run } = await serve([]);
    expect(run.stdout).not.toMatch(/admin|_scimulator/);
    const response = await request(`${origin}/_scimulator/faults`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode).toBe(404);
    await response.body.dump();
  });

  it('refuses an admin token that is also a SCIM token, without printing it', async () => {
    const outcome = await cli(['serve', '--port', '0', '--token', TOKEN, '--admin-token', TOKEN], dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe('error: --admin-token must differ from every --token: the fault admin API and SCIM take separate credentials\n');
  });

  it('--help names the admin path on the option\'s own line only', async () => {
    const { stdout, code } = await cli(['serve', '--help'], dir);
    expect(code).toBe(0);
    // The option's description wraps; every mention of the admin paths is inside it.
    const block = /^ {2}--admin-token <token>[^\n]*(?:\n {4,}[^-\s][^\n]*)*/m.exec(stdout)?.[0] ?? '';
    expect(stdout.split('_scimulator').length).toBeGreaterThan(1);
    expect(block.split('_scimulator').length).toBe(stdout.split('_scimulator').length);
    expect(stdout).toMatch(/--admin-token <token> {2,}enable\s+the\s+admin\s+API\s+for\s+clients\s+sending\s+this\s+bearer\s+token:\s+faults\s+at\s+\/_scimulator\/faults/);
    expect(stdout).toContain('--faults <file>');
  });
});
