/**
 * The canary of a key rotation (`target: { rotateToken }`, Postman ref §6): neither the key the
 * harness regenerates nor the run's key it replaces appears in any output of `scimulator run`,
 * though the scenario sends the old key after the rotation and writes it into a body.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/result.js';
import { createReferenceServer } from '../../reference-server/app.js';
import { cli } from './compiled-cli.js';

const TOKEN = 'CANARY-RUN-KEY-7a2f90';
const ADMIN = 'CANARY-ADMIN-KEY-c41d3e';

/** The old key sent after the rotation, and written where a failed check shows it. */
const SCENARIO = `
id: canary.key-rotation
title: A regenerated key, and the old one sent and shown
refs: ["Postman ref §6"]
steps:
  - target: { rotateToken: { saveOld: oldKey } }
  - name: the new key lists users
    request: { method: GET, path: /Users }
    expect: { status: 200 }
  - name: the old key, in the header and in the filter
    request: { method: GET, path: /Users, query: { filter: 'userName eq "{{oldKey}}"' }, auth: { bearer: "{{oldKey}}" } }
    expect: { status: 200, body: { totalResults: 1 } }
`;

let dir: string;
let server: ReturnType<typeof createReferenceServer>;
let url: string;
/** What the harness sent the admin API: the keys it regenerated. */
const posted: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-rotation-secrets-'));
  writeFileSync(join(dir, 'canary.yaml'), SCENARIO);
  server = createReferenceServer({ tokens: [TOKEN], profile: 'postman', adminToken: ADMIN });
  server.app.addHook('preHandler', (request, _reply, done) => {
    if (request.url === '/_scimulator/token') posted.push((request.body as { token: string }).token);
    done();
  });
  url = (await server.listen()).url;
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const forms = (canary: string) => [canary, encodeURIComponent(canary), JSON.stringify(canary).slice(1, -1)];

describe('a key rotation shows no key', () => {
  it('in any file, on stdout or on stderr, though the old key went into a query and a failed check', async () => {
    const out = join(dir, 'out');
    const run = await cli(['run', join(dir, 'canary.yaml'), '--target', url, '--token', TOKEN, '--admin-token', ADMIN, '--reporter', 'console,json,html,junit,markdown', '--out', out], dir);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    // Rotated, then given back; the old key answered, and the check showing the filter failed: the search below means something.
    expect(posted).toEqual([expect.any(String), TOKEN]);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    expect(result.scenarios[0]!.steps.map((s) => [s.name, s.status])).toEqual([
      ['target: regenerate the SCIM key', 'passed'],
      ['the new key lists users', 'passed'],
      ['the old key, in the header and in the filter', 'failed'],
    ]);
    const canaries = [TOKEN, ADMIN, posted[0]!];
    const outputs: [string, string][] = [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
      ...readdirSync(out).map((file): [string, string] => [file, readFileSync(join(out, file), 'utf8')]),
    ];
    expect(outputs.some(([, text]) => text.includes('[redacted]'))).toBe(true);
    for (const [where, text] of outputs) for (const canary of canaries) for (const form of forms(canary)) expect(text.includes(form), `${canary} in ${where}`).toBe(false);
  });
});
