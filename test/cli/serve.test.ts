import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveCli, startCli, stopAll, waitForOutput, within, type CliProcess } from './cli-process.js';

const TOKEN = 'sekrit-token-0123456789';

const SEED = `users:
  - userName: ada@example.com
    name: { givenName: Ada, familyName: Lovelace }
  - userName: grace@example.com
groups:
  - displayName: Engineers
    members: [ada@example.com, grace@example.com]
`;

let dir: string;

async function exitOf(run: CliProcess): Promise<number | null> {
  return within(run.exited, 'the process to exit', run);
}

/** Starts the server in the test's folder and reads the base URL from its banner. */
const serve = (args: string[], env?: Record<string, string>) => serveCli(args, dir, env);
const start = (args: string[], env?: Record<string, string>) => startCli(args, dir, env);

async function get(url: string, token?: string) {
  const response = await request(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, any> };
}

function expectUsageError(run: CliProcess, stderr: RegExp) {
  expect(run.stderr).toMatch(stderr);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-serve-'));
  writeFileSync(join(dir, 'seed.yaml'), SEED);
});

afterEach(stopAll);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('scimulator serve', () => {
  it('serves the seeded users to a client with the token, and stops cleanly on SIGTERM', async () => {
    const { run, url } = await serve(['--token', TOKEN, '--seed', 'seed.yaml']);
    expect(run.stdout).toContain('auth: Authorization: Bearer sekr…');
    expect(run.stdout).not.toContain(TOKEN);
    expect(run.stdout).toContain('mode: strict');
    expect(run.stdout).toContain('seeded: 2 users, 1 group from seed.yaml');

    const users = await get(`${url}/Users`, TOKEN);
    expect(users.status).toBe(200);
    expect(users.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['ada@example.com', 'grace@example.com']);
    const groups = await get(`${url}/Groups`, TOKEN);
    expect(groups.body.Resources[0].members).toHaveLength(2);

    const anonymous = await get(`${url}/Users`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });

    run.child.kill('SIGTERM');
    expect(await exitOf(run)).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('prints a generated token in full when no credential is given, and stops on SIGINT', async () => {
    const { run, url } = await serve([]);
    const [, token] = await waitForOutput(run, /Authorization: Bearer (\S+)\s+\(generated/);
    expect((await get(`${url}/Users`, token)).status).toBe(200);
    run.child.kill('SIGINT');
    expect(await exitOf(run)).toBe(0);
  });

  it('takes the token from SCIMULATOR_TOKEN', async () => {
    const { run, url } = await serve(['--lenient'], { SCIMULATOR_TOKEN: TOKEN });
    expect(run.stdout).toContain('(from SCIMULATOR_TOKEN, shown masked)');
    expect(run.stdout).toContain('mode: lenient');
    expect((await get(`${url}/Users`, TOKEN)).status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await exitOf(run)).toBe(0);
  });
});

describe('scimulator serve --log', () => {
  /** A GET with `token` as its bearer token; its answer is read and dropped. */
  const send = (url: string, token = TOKEN) => request(url, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.body.dump());
  const WRONG = 'wrong-token-9876543210';

  /** The lines after the banner, once `count` of them are there. */
  async function logLines(run: CliProcess, count: number): Promise<string[]> {
    await waitForOutput(run, new RegExp(`Press Ctrl\\+C to stop\\.\\n(?:.*\\n){${count}}`));
    return run.stdout.split('Press Ctrl+C to stop.\n')[1]!.trimEnd().split('\n');
  }

  it('prints one readable line per request: time, method, path, status, ms, and the SCIM error; never a credential', async () => {
    const { run, url } = await serve(['--token', TOKEN, '--seed', 'seed.yaml', '--log']);
    expect(run.stdout).toContain('  log: one line per request, below (no header, body or credential)');
    await send(`${url}/Users?filter=${encodeURIComponent('userName eq "ada@example.com"')}&access_token=${TOKEN}`);
    await send(`${url}/Users`, WRONG);
    await send(`${url}/Users?filter=${encodeURIComponent('userName sw')}`);
    await send(`${url}/Users?filter=${encodeURIComponent('password eq "hunter2')}`);
    const lines = await logLines(run, 4);
    expect(lines).toHaveLength(4);
    const time = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
    expect(lines[0]).toMatch(new RegExp(`^${time} GET /scim/v2/Users\\?filter=userName eq "ada@example\\.com"&access_token=\\[redacted\\] 200 [\\d.]+ ms$`));
    expect(lines[1]).toMatch(new RegExp(`^${time} GET /scim/v2/Users 401 [\\d.]+ ms — The bearer token is not valid$`));
    expect(lines[2]).toMatch(new RegExp(`^${time} GET /scim/v2/Users\\?filter=userName sw 400 [\\d.]+ ms — invalidFilter: Expected a value .* after "sw"`));
    expect(lines[3]).toMatch(new RegExp(`^${time} GET /scim/v2/Users\\?filter=\\[redacted\\] 400 [\\d.]+ ms — invalidFilter: `));
    for (const secret of [TOKEN, WRONG, 'hunter2', 'Bearer sekrit']) expect(run.stdout).not.toContain(secret);
    run.child.kill('SIGTERM');
    expect(await exitOf(run)).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('prints JSON lines with --log json', async () => {
    const { run, url } = await serve(['--token', TOKEN, '--log', 'json']);
    await send(`${url}/Users`);
    await send(`${url}/Users/nobody`);
    const [ok, missing] = (await logLines(run, 2)).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(ok).toEqual({ time: expect.stringMatching(/Z$/), method: 'GET', path: '/scim/v2/Users', status: 200, ms: expect.any(Number) });
    expect(missing).toMatchObject({ method: 'GET', path: '/scim/v2/Users/nobody', status: 404, detail: expect.stringContaining('not found') });
    expect(run.stdout).not.toContain(TOKEN);
    run.child.kill('SIGTERM');
    expect(await exitOf(run)).toBe(0);
  });

  it('takes only text or json, exit 2', async () => {
    const run = start(['serve', '--port', '0', '--token', TOKEN, '--log', 'xml']);
    expect(await exitOf(run)).toBe(2);
    expect(run.stderr).toContain("error: option '--log [format]' argument 'xml' is invalid. Allowed choices are text, json.");
    expect(run.stdout).toBe('');
  });
});

describe('scimulator serve, given a bad input, exits 2 with a one-line error', () => {
  it('a port out of range', async () => {
    const run = start(['serve', '--port', '99999', '--token', TOKEN]);
    expect(await exitOf(run)).toBe(2);
    expectUsageError(run, /--port must be a number from 0 to 65535, got "99999": pass --port 0/);
  });

  it('a port in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as AddressInfo;
      const run = start(['serve', '--port', String(port), '--token', TOKEN]);
      expect(await exitOf(run)).toBe(2);
      expectUsageError(run, new RegExp(`port ${port} is in use: pass --port 0 for a free port or another number`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('--basic without a colon', async () => {
    const run = start(['serve', '--port', '0', '--basic', 'admin']);
    expect(await exitOf(run)).toBe(2);
    expectUsageError(run, /--basic needs user:password/);
  });

  it('a seed file that does not exist', async () => {
    const run = start(['serve', '--port', '0', '--seed', 'missing.yaml']);
    expect(await exitOf(run)).toBe(2);
    expectUsageError(run, /cannot read the seed file "missing\.yaml": there is no such file/);
  });

  it('a seed file with a mistake, reported at its line and column', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'users:\n  - userName: ada@example.com\n  - name: { givenName: Bob }\n');
    const run = start(['serve', '--port', '0', '--token', TOKEN, '--seed', 'bad.yaml']);
    expect(await exitOf(run)).toBe(2);
    expectUsageError(run, /^bad\.yaml:3:5: users\[1\]: .*userName.*\n$/);
    expect(run.stdout).toBe('');
  });
});
