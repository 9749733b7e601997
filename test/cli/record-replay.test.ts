import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../reference-server/app.js';
import type { Recording } from '../../harness/record/format.js';
import { tempFolder } from '../harness/scenario/helpers.js';
import { cli, ROOT } from './compiled-cli.js';

/*
 * Record, replay, explain through the compiled CLI on loopback: a reference server with a known
 * defect (every POST /Users answered 500, a fault of the server itself), recorded, stopped, replayed.
 */

const TOKEN = 'scim-token-canary-0123456789';
const SECRET = 'nickname-canary-9876543210';
const OKTA_CREATE = join(ROOT, 'scenarios/okta/oin/create-user.yaml');
/** A scenario that installs a fault through the admin API, and clears it. */
const FAULTED = join(ROOT, 'scenarios/okta/oin/server-error-fails-task.yaml');
const ADMIN_TOKEN = 'admin-token-canary-5555555555';
/** Scenarios that act as the team admin through the admin API: invites accepted and deleted, the key rotated, the clock moved. */
const ADMIN_STEPS = [
  'scenarios/postman/api/create-invite.yaml',
  'scenarios/postman/api/create-pending-invite-409.yaml',
  'scenarios/postman/api/key-rotation-grace.yaml',
  'scenarios/postman/okta-app/existing-account-invited.yaml',
  'scenarios/postman/okta-app/invite-deleted-retry-provisions.yaml',
].map((path) => join(ROOT, path));
/** The accounts of both folders' team profiles, on one served target. */
const TEAM = {
  name: 'recorded-team',
  extends: 'postman',
  team: { verifiedDomains: ['acme.example'], accounts: ['ivy', 'jo', 'eli', 'gus'].map((name) => ({ email: `${name}@freelance.example` })) },
};

/** A protocol scenario that creates a user carrying the --secret value, and one that only reads. */
const CREATE = `id: mine.create
title: A created user is answered 201
refs: ["RFC 7644 §3.3"]
steps:
  - request: { method: POST, path: /Users, body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "{{unique.user}}", nickName: ${SECRET} } }
    expect: { status: 201 }
`;
const READ = `id: mine.read
title: The service provider config is answered 200
refs: ["RFC 7644 §4"]
steps:
  - request: { method: GET, path: /ServiceProviderConfig }
    expect: { status: 200 }
`;

const folder = tempFolder();

describe('run --record, replay, explain (compiled CLI)', () => {
  let server: ReferenceServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Records the three scenarios against a defective server, then stops it: the recording's path and text. */
  async function recordDefect(): Promise<{ dir: string; file: string; text: string; stdout: string }> {
    server = createReferenceServer({ tokens: [TOKEN], faults: { rules: [{ name: 'defect', match: { method: 'POST', path: '/Users' }, act: { status: 500 } }] } });
    const { url } = await server.listen();
    const { dir, write } = await folder();
    await write('create.yaml', CREATE);
    await write('read.yaml', READ);
    const file = join(dir, 'recording.json');
    const run = await cli(['run', OKTA_CREATE, dir, '--target', url, '--token', TOKEN, '--secret', SECRET, '--record', file, '--reporter', 'console'], dir);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`in ${file}: \`scimulator replay ${file}\``);
    await server.close();
    server = undefined;
    return { dir, file, text: await readFile(file, 'utf8'), stdout: run.stdout };
  }

  it('replays a recorded run with the target stopped: the same statuses and IdP outcomes; no credential in the file', async () => {
    const { dir, file, text } = await recordDefect();
    const recording = JSON.parse(text) as Recording;
    expect(recording).toMatchObject({ format: 'scimulator-recording', version: 2, options: { credentials: 'bearer' } });
    // In the loader's order, which is by absolute path: where the checkout and the temporary folder are decides it.
    expect([...recording.options.scenarios].sort()).toEqual(['mine.create', 'mine.read', 'okta.oin.create-user']);
    expect(recording).not.toHaveProperty('partial');
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect([...recording.result!.scenarios].sort(byId).map((s) => [s.id, s.status])).toEqual([
      ['mine.create', 'failed'],
      ['mine.read', 'passed'],
      ['okta.oin.create-user', 'failed'],
    ]);
    const okta = recording.result!.scenarios.find((s) => s.id === 'okta.oin.create-user')!.outcomes;
    expect(okta.some((o) => o.idp === 'okta' && /fail/i.test(JSON.stringify(o.record)))).toBe(true);
    // The canary: neither the token nor the --secret value, anywhere; the scheme stays, for debugging.
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(SECRET);
    expect(text).toContain('"authorization": "Bearer [redacted]"');
    // Okta's placeholder password, in the body it POSTed.
    expect(text).toContain('\\"password\\":\\"[redacted]\\"');

    const replay = await cli(['replay', file], dir);
    expect(replay.stderr).toBe('');
    expect(replay.stdout).toContain('✗ okta.oin.create-user');
    expect(replay.stdout).toContain('✗ mine.create');
    expect(replay.stdout).toContain('✓ mine.read');
    expect(replay.stdout).toContain('1 passed, 2 failed, 0 skipped');
    expect(replay.stdout).toContain('Replay matches the recording: the same statuses and IdP outcomes for every scenario.\n');
    expect(replay.code).toBe(0);
  });

  it('names a request the recording has no answer for, and exits 1', async () => {
    const { dir, file, text } = await recordDefect();
    const recording = JSON.parse(text) as Recording;
    // mine.read's GET, the last to /ServiceProviderConfig (the run's own discovery is the first).
    const last = recording.exchanges.map((e) => e.path).lastIndexOf(recording.exchanges[0]!.path);
    expect(recording.exchanges[0]!.path).toMatch(/\/ServiceProviderConfig$/);
    recording.exchanges.splice(last, 1);
    await writeFile(file, JSON.stringify(recording));
    const replay = await cli(['replay', file], dir);
    expect(replay.stdout).toMatch(/mine\.read: request without a recorded answer: GET http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/ServiceProviderConfig\n/);
    expect(replay.stdout).toContain('mine.read: status passed → error');
    expect(replay.code).toBe(1);
  });

  it('refuses a recording of another format version, and a file that is not one, with exit 2', async () => {
    const { dir, file, text } = await recordDefect();
    await writeFile(file, text.replace('"version": 2,', '"version": 3,'));
    for (const command of ['replay', 'explain']) {
      const refused = await cli([command, file], dir);
      expect(refused.stderr).toMatch(/recording\.json is a recording of format version 3 \(scimulator [^)]+\); this scimulator reads versions 1 to 2: replay it with the version that wrote it\n$/);
      expect(refused.code).toBe(2);
    }
    // A version 1 recording is a version 2 one without admin API calls, never partial: read as it is.
    await writeFile(file, text.replace('"version": 2,', '"version": 1,'));
    const older = await cli(['replay', file], dir);
    expect(older.stdout).toContain('Replay matches the recording');
    expect(older.code).toBe(0);
    await writeFile(file, '{"format":"scimulator-run"}');
    const other = await cli(['replay', file], dir);
    expect(other.stderr).toContain('is not a scimulator recording (format "scimulator-run")');
    expect(other.code).toBe(2);
  });

  it('explains each failure: the IdP log, the exchange, the reference, what the server should have answered', async () => {
    const { dir, file } = await recordDefect();
    const all = await cli(['explain', file], dir);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('✗ okta.oin.create-user — ');
    expect(all.stdout).toContain('  The Okta admin console would show (Dashboard › Tasks, System Log), failures only:\n');
    expect(all.stdout).not.toContain('mine.read');

    const one = await cli(['explain', file, '--scenario', 'mine.create'], dir);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('✗ mine.create — A created user is answered 201 (failed)\n');
    expect(one.stdout).toContain('    reference: RFC 7644 §3.3\n');
    expect(one.stdout).toContain('    the server should have answered: 201\n');
    expect(one.stdout).toMatch(/ {4}POST http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\n/);
    expect(one.stdout).toContain('      answered: 500');
    expect(one.stdout).not.toContain('okta.oin.create-user');

    const unknown = await cli(['explain', file, '--scenario', 'mine.nothing'], dir);
    expect(unknown.stderr).toMatch(/has no scenario mine\.nothing: it recorded (?=.*\bmine\.create\b)(?=.*\bmine\.read\b)(?=.*\bokta\.oin\.create-user\b)/);
    expect(unknown.code).toBe(2);
  });

  it('keeps the password of a user:password@ target out of the recording, and replays it', async () => {
    const password = 'basic-canary-password-0123';
    server = createReferenceServer({ basic: [{ user: 'ops', password }] });
    const { url } = await server.listen();
    const { dir, write } = await folder();
    await write('read.yaml', READ);
    const file = join(dir, 'recording.json');
    const withUserinfo = url.replace('http://', `http://ops:${password}@`);
    const run = await cli(['run', dir, '--target', withUserinfo, '--record', file, '--reporter', 'console'], dir);
    expect(run.code, run.stderr).toBe(0);
    await server.close();
    server = undefined;
    const text = await readFile(file, 'utf8');
    for (const canary of [password, Buffer.from(`ops:${password}`).toString('base64')]) expect(text).not.toContain(canary);
    expect(text).toContain(`"target": "${url}"`);
    expect(text).toContain('"authorization": "Basic [redacted]"');
    const replay = await cli(['replay', file], dir);
    expect(replay.stdout).toContain('Replay matches the recording');
    expect(replay.code).toBe(0);
  });

  it('--help of replay and explain lists their exit codes', async () => {
    for (const command of ['replay', 'explain']) {
      const help = await cli([command, '--help'], ROOT);
      expect(help.stdout).toMatch(/\nExit codes: 0 [\s\S]*\b2\b/);
      expect(help.code).toBe(0);
    }
  });

  it('--record is a usage mistake without --target', async () => {
    const { dir, write } = await folder();
    await write('read.yaml', READ);
    const embedded = await cli(['run', dir, '--record', join(dir, 'r.json')], dir);
    expect(embedded.stderr).toContain('--record needs a --target');
    expect(embedded.code).toBe(2);
  });

  it('records the admin API calls of a fault-injecting scenario (serve --admin-token) and replays them with the server stopped', async () => {
    server = createReferenceServer({ tokens: [TOKEN], adminToken: ADMIN_TOKEN });
    const { url } = await server.listen();
    const { dir, write } = await folder();
    await write('read.yaml', READ);
    const file = join(dir, 'recording.json');
    const run = await cli(['run', FAULTED, dir, '--target', url, '--token', TOKEN, '--admin-token', ADMIN_TOKEN, '--record', file, '--reporter', 'console'], dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    await server.close();
    server = undefined;
    const text = await readFile(file, 'utf8');
    const recording = JSON.parse(text) as Recording;
    expect(recording.options.adminApi).toBe(true);
    const admin = recording.exchanges.filter((e) => e.path.startsWith('/_scimulator/'));
    expect(admin.map((e) => `${e.method} ${e.path} ${e.response?.status}`)).toEqual(['PUT /_scimulator/faults 200', 'DELETE /_scimulator/faults 204']);
    // The injected fault's answer is among the exchanges, as the target sent it.
    expect(recording.exchanges.some((e) => e.method === 'PUT' && e.path.includes('/Users/') && e.response?.status === 500)).toBe(true);
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text).not.toContain(TOKEN);

    const replay = await cli(['replay', file], dir);
    expect(replay.stderr).toBe('');
    expect(replay.stdout).toContain('✓ okta.oin.server-error-fails-task');
    expect(replay.stdout).toContain('Replay matches the recording');
    expect(replay.code).toBe(0);
  });

  it('records invites and key rotations (serve --admin-token) and replays them with the server stopped: the same verdicts, no key in the file', async () => {
    server = createReferenceServer({ tokens: [TOKEN], profile: TEAM, adminToken: ADMIN_TOKEN });
    const keys: string[] = [];
    server.app.addHook('preHandler', (request, _reply, done) => {
      if (request.url === '/_scimulator/token') keys.push((request.body as { token: string }).token);
      done();
    });
    const { url } = await server.listen();
    const { dir } = await folder();
    const file = join(dir, 'recording.json');
    const run = await cli(['run', ...ADMIN_STEPS, '--target', url, '--token', TOKEN, '--admin-token', ADMIN_TOKEN, '--record', file, '--reporter', 'console'], dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    await server.close();
    server = undefined;
    const text = await readFile(file, 'utf8');
    const recording = JSON.parse(text) as Recording;
    const admin = recording.exchanges.filter((e) => e.path.startsWith('/_scimulator/')).map((e) => `${e.method} ${e.path} ${e.response?.status}`);
    for (const call of ['POST /_scimulator/invites/ivy%40freelance.example/accept 200', 'DELETE /_scimulator/invites/jo%40freelance.example 204', 'POST /_scimulator/clock 200']) {
      expect(admin).toContain(call);
    }
    // The rotation, then the run's key given back: both keys redacted, the generated one too.
    expect(admin.filter((call) => call === 'POST /_scimulator/token 204')).toHaveLength(2);
    expect(keys).toEqual([expect.any(String), TOKEN]);
    for (const canary of [TOKEN, ADMIN_TOKEN, keys[0]!]) expect(text).not.toContain(canary);
    // The profile files the scenarios name, which the loader needs to read them again.
    expect(recording.files.filter((f) => f.profile).map((f) => f.path).sort()).toEqual(['api/.profiles/team.yaml', 'okta-app/.profiles/postman-team.yaml']);
    const verdicts = recording.result!.scenarios.map((s) => `${s.status === 'passed' ? '✓' : '✗'} ${s.id}`);
    expect(verdicts).toHaveLength(ADMIN_STEPS.length);
    expect(verdicts.every((v) => v.startsWith('✓'))).toBe(true);

    const replay = await cli(['replay', file], dir);
    expect(replay.stderr).toBe('');
    for (const verdict of verdicts) expect(replay.stdout).toContain(`${verdict} — `);
    expect(replay.stdout).toContain('Replay matches the recording: the same statuses and IdP outcomes for every scenario.\n');
    expect(replay.code).toBe(0);
  });

  /** A run stopped at mine.create's POST (reset), after mine.read passed: the recording's path and text. */
  async function recordStop(): Promise<{ dir: string; file: string; text: string }> {
    server = createReferenceServer({ tokens: [TOKEN], faults: { rules: [{ name: 'gone', match: { method: 'POST', path: '/Users' }, act: { reset: 'before-headers' } }] } });
    const { url } = await server.listen();
    const { dir, write } = await folder();
    // Loaded in path order: the read ends before the create stops the run.
    await write('a-read.yaml', READ);
    await write('b-create.yaml', CREATE);
    const file = join(dir, 'recording.json');
    const run = await cli(['run', dir, '--target', url, '--token', TOKEN, '--secret', SECRET, '--max-failures', '1', '--record', file, '--reporter', 'console'], dir);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^Recorded \d+ exchanges in .*recording\.json, partial: the run stopped before its end: /m);
    expect(run.stderr).toContain('The run stopped: ');
    await server.close();
    server = undefined;
    return { dir, file, text: await readFile(file, 'utf8') };
  }

  it('writes what was sent until the target stopped answering (exit 3), marked partial, with the scenarios that ended; replay compares them and stops there too', async () => {
    const { dir, file, text } = await recordStop();
    const recording = JSON.parse(text) as Recording;
    expect(recording.version).toBe(2);
    expect(recording.partial?.reason).toMatch(/^The run stopped: 1 of the last \d+ requests got no usable answer/);
    expect(recording).not.toHaveProperty('result');
    expect(recording.options.maxFailures).toBe(1);
    expect(recording.partial?.finished?.map((s) => [s.id, s.status])).toEqual([
      ['mine.read', 'passed'],
      ['mine.create', 'error'],
    ]);
    const reset = recording.exchanges.find((e) => e.method === 'POST' && e.path === '/scim/v2/Users');
    expect(reset?.error?.code).toBe('ECONNRESET');
    // The finished scenarios are scrubbed as a full result is: the create's body carried the --secret value.
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(SECRET);
    expect(JSON.stringify(recording.partial?.finished)).toContain('[redacted]');

    const replay = await cli(['replay', file], dir);
    expect(replay.stdout).toContain('The recording is partial: The run stopped: ');
    expect(replay.stdout).toContain('✓ mine.read');
    expect(replay.stdout).toContain('! mine.create');
    expect(replay.stdout).toContain('Replay matches the recording up to where the run stopped: the same statuses and IdP outcomes for the 2 scenario(s) that ended.\n');
    expect(replay.stderr).toMatch(/^The run stopped: 1 of the last \d+ requests got no usable answer/);
    expect(replay.code).toBe(3);

    // A finished scenario recorded otherwise than it replays is a difference, not a stop.
    const altered = { ...recording, partial: { ...recording.partial!, finished: recording.partial!.finished!.map((s) => (s.id === 'mine.read' ? { ...s, status: 'failed' } : s)) } };
    await writeFile(file, JSON.stringify(altered));
    const differs = await cli(['replay', file], dir);
    expect(differs.stdout).toContain('Replay differs from the recording (1):\n  mine.read: status failed → passed\n');
    expect(differs.code).toBe(1);
  });

  it('explains a partial recording: why the run was cut short, then the scenarios that ended', async () => {
    const { dir, file, text } = await recordStop();
    const explain = await cli(['explain', file], dir);
    expect(explain.stderr).toBe('');
    expect(explain.stdout).toMatch(/^The run was cut short: The run stopped: 1 of the last \d+ requests got no usable answer/);
    expect(explain.stdout).toContain('2 of 2 scenario(s) ended before it stopped (mine.create was running when it did); the others did not run.\n');
    expect(explain.stdout).toContain('✗ mine.create — A created user is answered 201 (error)\n');
    expect(explain.stdout).not.toContain('mine.read');
    expect(explain.code).toBe(0);
    const one = await cli(['explain', file, '--scenario', 'mine.read'], dir);
    expect(one.stdout).toContain('mine.read — The service provider config is answered 200 (passed)');
    expect(one.code).toBe(0);

    // A partial recording of an earlier release, without the finished scenarios: still version 2, read as before.
    const recording = JSON.parse(text) as Recording;
    await writeFile(file, JSON.stringify({ ...recording, partial: { reason: recording.partial!.reason } }));
    const older = await cli(['explain', file], dir);
    expect(older.stderr).toContain('is a partial recording of a release that kept no results: the run stopped before its end (The run stopped: ');
    expect(older.code).toBe(2);
    const replayed = await cli(['replay', file], dir);
    expect(replayed.stderr).toMatch(/^The run stopped: 1 of the last \d+ requests got no usable answer/);
    expect(replayed.code).toBe(3);
  });
});
