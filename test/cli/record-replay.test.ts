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

  it('writes what was sent until the target stopped answering (exit 3), marked partial; replay stops there too', async () => {
    server = createReferenceServer({ tokens: [TOKEN], faults: { rules: [{ name: 'gone', match: { method: 'POST', path: '/Users' }, act: { reset: 'before-headers' } }] } });
    const { url } = await server.listen();
    const { dir, write } = await folder();
    await write('read.yaml', READ);
    await write('create.yaml', CREATE);
    const file = join(dir, 'recording.json');
    const run = await cli(['run', dir, '--target', url, '--token', TOKEN, '--max-failures', '1', '--record', file, '--reporter', 'console'], dir);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^Recorded \d+ exchanges in .*recording\.json, partial: the run stopped before its end: /m);
    expect(run.stderr).toContain('The run stopped: ');
    await server.close();
    server = undefined;
    const text = await readFile(file, 'utf8');
    const recording = JSON.parse(text) as Recording;
    expect(recording.partial?.reason).toMatch(/^The run stopped: 1 of the last \d+ requests got no usable answer/);
    expect(recording).not.toHaveProperty('result');
    expect(recording.options.maxFailures).toBe(1);
    const last = recording.exchanges.at(-1)!;
    expect([last.method, last.path, last.error?.code]).toEqual(['POST', '/scim/v2/Users', 'ECONNRESET']);
    expect(text).not.toContain(TOKEN);

    const replay = await cli(['replay', file], dir);
    expect(replay.stdout).toContain('The recording is partial: The run stopped: ');
    expect(replay.stderr).toMatch(/^The run stopped: 1 of the last \d+ requests got no usable answer/);
    expect(replay.code).toBe(3);
    const explain = await cli(['explain', file], dir);
    expect(explain.stderr).toContain('is a partial recording: the run stopped before its end (The run stopped: ');
    expect(explain.code).toBe(2);
  });
});
