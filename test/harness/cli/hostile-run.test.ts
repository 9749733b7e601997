import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunResult } from '../../../harness/result.js';
import { startCli, stopAll, within } from '../../cli/cli-process.js';
import { cli, ROOT } from '../../cli/compiled-cli.js';
import { BEYOND_DISCOVERY, hostileTarget, type HostileTarget } from '../hostile-target.js';

/** `scimulator run` (the compiled CLI) against hostile loopback targets (issue 20, finding 6). */

let dir: string;
let target: HostileTarget | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-hostile-'));
});

afterEach(async () => {
  stopAll();
  await target?.close();
  target = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const USERS = join(ROOT, 'scenarios/rfc7644/users');

describe('scimulator run against a target that stops answering', () => {
  it('exits 3, saying why, after --max-failures requests got no answer', async () => {
    target = await hostileTarget({ kind: 'refuse' }, BEYOND_DISCOVERY);
    const run = await cli(['run', USERS, '--target', target.url, '--token', target.token, '--max-failures', '3', '--reporter', 'json', '--out', dir], dir);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^The run stopped: 3 of the last \d requests got no usable answer from the target, the last: \S+ \S+: connection (refused|closed) by 127\.0\.0\.1:\d+[^.]*\. \(--max-failures 3 /m);
  });

  it('SIGTERM while a request and then the cleanup hang: the reports of what ran are written within seconds, and it exits 143', async () => {
    // The user is created; reading it and deleting it get no answer.
    target = await hostileTarget({ kind: 'hang' }, (method, url) => method !== 'POST' && /\/Users\/[^/?]+/.test(url));
    const run = startCli(['run', join(USERS, 'get-by-id.yaml'), '--target', target.url, '--token', target.token, '--reporter', 'json,html', '--out', dir], dir);
    // The compiled CLI's start, preflight and POST take a second; many on a loaded machine (CI, two cores).
    await vi.waitFor(() => expect(target!.hostile, `the read to hang; stderr: ${run.stderr}`).toBe(1), { timeout: 25_000 });
    const signalled = performance.now();
    run.child.kill('SIGTERM');

    expect(await within(run.exited, 'the run to end', run)).toBe(143);
    // 2 s for the request in flight, then 3 s more for the cleanup, then the reports: not the 30 s --timeout
    // each hung request would otherwise wait. An upper bound, with room for a machine many times slower.
    expect(performance.now() - signalled).toBeLessThan(20_000);
    expect(run.stderr).toContain(`HTML report written to ${join(dir, 'report.html')}`);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult;
    expect(result.interrupted?.signal).toBe('SIGTERM');
    expect(result.scenarios.map((s) => s.id)).toEqual(['rfc7644.users.get-by-id']);
    expect(result.leftBehind).toEqual([
      {
        scenario: 'rfc7644.users.get-by-id',
        url: expect.stringMatching(/\/Users\/[^/]+$/),
        reason: 'DELETE failed: abandoned: the run was interrupted, and its cleanup had 5 s',
      },
    ]);
  });
});

describe('the limits on the command line', () => {
  it.each([
    [['--deadline', '0'], '--deadline must be a number of seconds above 0, got "0"'],
    [['--timeout', 'soon'], '--timeout must be a number of seconds above 0, got "soon"'],
    [['--max-response-size', '5 XB'], '--max-response-size must be a size such as 5MB, 512KB or 100000 (bytes), got "5 XB"'],
    [['--max-failures', '-1'], '--max-failures must be a whole number (0: never stop), got "-1"'],
    [['--target', 'http://ada:pa55word-9f2c@127.0.0.1:1/scim/v2', '--token', 't'], 'The --target URL carries credentials (user:password@) and so do --token, --auth-header or --basic: give them once'],
    [['--target', 'ftp://ada:pa55word-9f2c@example.com/scim'], '--target must be an http or https URL, got "ftp://example.com/scim": e.g. http://localhost:3000/scim/v2'],
  ])('%j is a usage mistake, before anything is sent', async (args, message) => {
    const run = await cli(['run', join(USERS, 'get-by-id.yaml'), ...args], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${message}\n`);
  });
});
