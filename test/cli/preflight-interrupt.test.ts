import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCli, stopAll, within } from './cli-process.js';
import { ROOT } from './compiled-cli.js';

/*
 * Ctrl+C while the preflight waits on a target that accepts the request and never answers: the run
 * ends at once with its reports and exit 130, not after --timeout: the wait for its end (30 s, an
 * upper bound for a loaded machine) gives up well before the 60 s --timeout and --deadline given.
 */

let dir: string;
let server: Server;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-preflight-interrupt-'));
});

afterEach(async () => {
  stopAll();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('Ctrl+C during the preflight of `scimulator run`', () => {
  it('ends the run at once, interrupted: exit 130, the reports written, no scenario run', async () => {
    let seen!: () => void;
    const requested = new Promise<void>((resolve) => (seen = resolve));
    server = createServer(() => seen());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
    const scenario = join(ROOT, 'scenarios/rfc7644/users/get-by-id.yaml');
    const run = startCli(['run', scenario, '--target', url, '--timeout', '60', '--deadline', '60', '--reporter', 'json', '--out', dir], dir, { NO_COLOR: '1' });
    // The CLI watches for signals before it sends anything: once the target has the request, Ctrl+C is the run's.
    await requested;
    run.child.kill('SIGINT');

    expect(await within(run.exited, 'the run to end', run)).toBe(130);
    expect(run.stderr).toMatch(/^SIGINT: stopping\. No new scenario starts/m);
    expect(run.stderr).toMatch(/^Interrupted by SIGINT at \S+: 0 scenarios ran, 1 never started; these results are partial\.$/m);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    expect(result.interrupted).toEqual({ signal: 'SIGINT', at: expect.any(String), notRun: ['rfc7644.users.get-by-id'] });
    expect(result.scenarios).toEqual([]);
  });
});
