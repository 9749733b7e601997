import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../reference-server/app.js';
import { tempFolder } from '../harness/scenario/helpers.js';
import { cli } from './compiled-cli.js';

const folder = tempFolder();

const THROTTLED = `id: mine.throttled
title: A throttled create answers 429 with Retry-After
refs: ["RFC 6585 §4"]
target:
  faults:
    - name: throttle-create
      match: { method: POST, path: /Users, nth: 1 }
      act: { status: 429, retryAfter: 30 }
steps:
  - request: { method: POST, path: /Users, body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "{{unique.user}}" } }
    expect: { status: 429, headers: { retry-after: "30" } }
`;

describe('scenarios with faults (compiled CLI)', () => {
  let server: ReferenceServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('validate reports a bad fault rule at its line and column, and exits 2', async () => {
    const { dir, write } = await folder();
    await write('throttled.yaml', THROTTLED.replace('retryAfter: 30', 'retryAfter: -1'));
    const { code, stderr } = await cli(['validate', '.'], dir);
    expect(code).toBe(2);
    expect(stderr).toBe('throttled.yaml:8:39: target.faults[0].act.retryAfter: must be a whole number from 0 to 1000000000 (seconds), got -1\n1 problem in 1 scenario file\n');
  });

  it("run --admin-token installs them through a served target's admin API, and never shows the token", async () => {
    const admin = 'admin-secret-0123456789';
    server = createReferenceServer({ tokens: ['scim-secret-0123456789'], adminToken: admin });
    const { url } = await server.listen();
    const { dir, write } = await folder();
    const file = await write('throttled.yaml', THROTTLED);
    const out = join(dir, 'out');
    const base = ['run', file, '--target', url, '--token', 'scim-secret-0123456789', '--reporter', 'console,json', '--out', out];
    const run = await cli([...base, '--admin-token', admin], dir);
    expect(run.stdout).toContain('1 passed, 0 failed, 0 skipped');
    expect(run.code).toBe(0);
    const saved = await readFile(join(out, 'result.json'), 'utf8');
    expect(JSON.parse(saved).scenarios[0].exchanges[0].fault).toBe('throttle-create: 429 Retry-After 30');
    expect(`${run.stdout}${run.stderr}${saved}`).not.toContain(admin);
    expect(server.faults.list().rules).toEqual([]);

    const without = await cli(base, dir);
    expect(without.stdout).toContain('(skipped: injects faults: run against the embedded target, or give --admin-token for a scimulator serve --admin-token target)');
  });

  it('--admin-token without --target is a usage mistake', async () => {
    const { dir, write } = await folder();
    await write('throttled.yaml', THROTTLED);
    const { code, stderr } = await cli(['run', '.', '--admin-token', 'x'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain('--admin-token is for a --target served with scimulator serve --admin-token');
  });
});
