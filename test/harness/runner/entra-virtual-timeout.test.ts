import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { loadScenarioFile } from '../../../harness/scenario/load.js';

/*
 * Issue 20: Entra's `timeoutSeconds` is virtual time on the scenario's own embedded server, as
 * Okta's is (okta-virtual-timeout.test.ts): a POST that hangs is a Timeout failure at once, the
 * clock having moved on by the timeout, and no wall time waited for it. Before, the run waited the
 * real 60 s (and ended on the deadline).
 */

/** Below the 60 s a real wait would take, with room for a CI runner many times slower (the server's first start included). */
const WALL_LIMIT_MS = 40_000;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-entra-virtual-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("Entra's timeout on the embedded server is virtual time", () => {
  it('a hang with timeoutSeconds 60: a Timeout failure logged 60 s (virtual) after the POST, at once', async () => {
    const file = join(dir, 'entra-hang.yaml');
    await writeFile(
      file,
      `id: entra.virtual.hang
title: t
refs: ["Entra ref §9"]
idp: entra
settings: { provisionGroups: false, timeoutSeconds: 60 }
target:
  faults:
    - match: { method: POST, path: /Users, nth: 1 }
      act: { hang: true }
directory:
  users:
    adele: { userPrincipalName: "{{unique.adele}}@contoso.com" }
  assignments: [adele]
steps:
  - cycle: initial
  - expect:
      outcome:
        - { user: adele, action: Create, status: Failure, errorCode: Timeout, activityDateTime: "2026-01-05T09:01:00.300Z" }
        - { code: Active }
`,
    );
    const scenario = await loadScenarioFile(file, { idps: IDPS });
    const started = performance.now();
    const result = (await runScenarios([scenario], { idps: IDPS })).scenarios[0]!;
    const wallMs = performance.now() - started;
    expect(result.status, result.reason).toBe('passed');
    const post = result.exchanges.find((e) => e.kind === 'idp' && e.request.method === 'POST');
    expect(post?.error).toBe('no response within 60 s (virtual time)');
    expect(wallMs).toBeLessThan(WALL_LIMIT_MS);
  });
});
