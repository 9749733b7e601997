import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunResult } from '../../../harness/result.js';
import { cli } from '../../cli/compiled-cli.js';
import { fakeTarget, TOKEN, type FakeTarget } from './lost-create-target.js';

/** `scimulator run` (the compiled CLI) against a target whose gateway answers a create 504 after the user was stored, and that refuses to delete it. */

let dir: string;
let target: FakeTarget | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-lost-cli-'));
});
afterEach(async () => {
  await target?.close();
  target = undefined;
  await rm(dir, { recursive: true, force: true });
});

const SCENARIO = `id: lost.gateway
title: A create a gateway answers 504
refs: ["RFC 9110 §15.6"]
steps:
  - request: { method: POST, path: /Users, body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "{{unique.ada}}" } }
    expect: { status: 201 }
`;

describe('scimulator run: a create answered 504 that the target kept and will not delete', () => {
  it('is looked up, its DELETE refused, and listed as left behind on the console and in result.json, without the token', async () => {
    target = await fakeTarget({ create: 'gateway-504', lookup: 'list', remove: 'forbidden' });
    const file = join(dir, 'lost.yaml');
    await writeFile(file, SCENARIO);
    const run = await cli(['run', file, '--target', target.url, '--token', TOKEN, '--profile', 'strict', '--reporter', 'console,json', '--out', dir], dir);
    expect(run.code, run.stderr).toBe(1);

    // The run's id is random: the name is the one the target stored, and still holds.
    const [userName] = [...target.users.values()];
    expect(userName).toMatch(/^scim-[0-9a-f]+-0-ada$/);
    const lookup = `GET /scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&count=10`;
    expect(target.seen.slice(target.seen.indexOf('POST /scim/v2/Users') + 1)).toEqual([lookup, 'DELETE /scim/v2/Users/u1']);

    const reason = `userName "${userName}" was found by its name (its POST was answered 504: it may have been created all the same); DELETE answered 403: deleting users is not allowed`;
    expect(run.stdout).toContain(`1 resource the cleanup could not delete is left on the target: delete them by hand.\n  ${target.url}/Users/u1 (lost.gateway): ${reason}\n`);
    const result = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')) as RunResult;
    expect(result.leftBehind).toEqual([{ scenario: 'lost.gateway', url: `${target.url}/Users/u1`, reason }]);
    expect(run.stdout + run.stderr + JSON.stringify(result)).not.toContain(TOKEN);
  }, 60_000);
});
