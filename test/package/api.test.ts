/* The library API (harness/api.ts) from its sources: what package.test.ts does not reach through the packed example. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundledScenariosDir,
  createReferenceServer,
  failureMessage,
  loadScenarios,
  runScenarios,
  ScenarioLoadError,
  UsageError,
  type ReferenceServer,
} from '../../harness/api.js';

const PASSING = `id: acme.users.create
title: Creating a user answers 201
refs: ["RFC 7644 §3.3"]
tags: [create]
steps:
  - name: create a user named by the secret
    request:
      method: POST
      path: /Users
      body: { schemas: [urn:ietf:params:scim:schemas:core:2.0:User], userName: "{{unique.ada}}-canary-value" }
    expect: { status: 201 }
`;
const FAILING = `id: acme.users.teapot
title: Listing users answers 418
refs: ["RFC 7644 §3.4.2"]
steps:
  - name: list users
    request: { method: GET, path: /Users }
    expect: { status: 418 }
`;

let dir: string;
let server: ReferenceServer;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-api-'));
  await mkdir(join(dir, 'good'));
  await writeFile(join(dir, 'good/create.yaml'), PASSING);
  await writeFile(join(dir, 'good/teapot.yaml'), FAILING);
  await mkdir(join(dir, 'bad'));
  await writeFile(join(dir, 'bad/no-steps.yaml'), 'id: acme.bad\ntitle: no steps\nrefs: ["RFC 7644 §3.3"]\n');
  server = createReferenceServer({ tokens: ['api-test-token'], basic: [{ user: 'ada', password: 'p4ss-word' }] });
  ({ url } = await server.listen());
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('loadScenarios', () => {
  it('reads a folder, in file order, and selects as run --tag does', async () => {
    expect((await loadScenarios(join(dir, 'good'))).map((s) => s.id)).toEqual(['acme.users.create', 'acme.users.teapot']);
    expect((await loadScenarios([join(dir, 'good')], { tags: ['create'] })).map((s) => s.id)).toEqual(['acme.users.create']);
  });

  it('throws ScenarioLoadError naming the file and each mistake', async () => {
    const error = await loadScenarios(join(dir, 'bad')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioLoadError);
    expect((error as ScenarioLoadError).message).toMatch(/bad\/no-steps\.yaml:1:1: .*steps/);
  });

  it('reads the bundled library without paths', async () => {
    const all = await loadScenarios();
    expect(all.length).toBeGreaterThan(100);
    expect(all.every((s) => s.source.file.startsWith(bundledScenariosDir()))).toBe(true);
  });
});

describe('runScenarios', () => {
  it('runs a folder against a target and gives the console report\'s words for a failure', async () => {
    const result = await runScenarios(join(dir, 'good'), { target: { url, token: 'api-test-token' } });
    expect(result.scenarios.map((s) => [s.id, s.status])).toEqual([
      ['acme.users.create', 'passed'],
      ['acme.users.teapot', 'failed'],
    ]);
    expect(result.selection.files).toEqual([join(dir, 'good')]);
    expect(failureMessage(result.scenarios[1]!)).toContain('✗ status: expected status 418, got 200');
  });

  it('keeps credentials from the URL and secrets out of the result', async () => {
    const withUser = url.replace('http://', 'http://ada:p4ss-word@');
    const result = await runScenarios(join(dir, 'good'), { target: withUser, secrets: ['canary-value'] });
    expect(result.scenarios[0]!.status).toBe('passed');
    const text = JSON.stringify(result);
    expect(text).not.toContain('p4ss-word');
    expect(text).not.toContain(Buffer.from('ada:p4ss-word').toString('base64'));
    expect(text).not.toContain('canary-value');
  });

  it('starts the reference server in-process without a target', async () => {
    const result = await runScenarios(await loadScenarios(join(dir, 'good'), { tags: ['create'] }));
    expect(result.target.embedded).toBe(true);
    expect(result.totals.passed).toBe(1);
  });

  it("leaves out the bundled library's scenarios written for a service's own profile against a target, as run does, and says how many", async () => {
    const postman = (await loadScenarios()).filter((s) => s.target?.profile !== undefined).map((s) => s.id);
    expect(postman.length).toBeGreaterThan(0);
    // Interrupted before the first scenario: the result lists the selection as not run, and nothing is sent but discovery.
    const idsSelected = async (scenarios: string | undefined, target: string | undefined) => {
      const notices: string[] = [];
      const controller = new AbortController();
      controller.abort('SIGINT');
      const result = await runScenarios(scenarios, {
        ...(target !== undefined && { target: { url: target, token: 'api-test-token' } }),
        signal: controller.signal,
        onNotice: (notice) => notices.push(notice),
      });
      return { notRun: result.interrupted?.notRun ?? [], notices };
    };
    const library = await idsSelected(undefined, url);
    expect(library.notRun.length).toBeGreaterThan(0);
    expect(library.notRun.filter((id) => postman.includes(id))).toEqual([]);
    expect(library.notices).toContain(
      `Left out ${postman.length} scenarios written for a service's own profile (scenarios/postman/): name their folder to run them against this target.`,
    );
    // Named, they run; without a target, the in-process server takes their profile.
    for (const run of [await idsSelected(bundledScenariosDir(), url), await idsSelected(undefined, undefined)]) {
      expect(run.notRun.filter((id) => postman.includes(id))).toEqual(postman);
      expect(run.notices.filter((notice) => notice.startsWith('Left out'))).toEqual([]);
    }
  });

  it('refuses options that do not fit together, before sending anything', async () => {
    await expect(runScenarios([], { target: 'localhost:3000/scim/v2' })).rejects.toThrow(/must be an http or https URL/);
    await expect(runScenarios([], { target: { url, token: 't', credentials: { kind: 'none' } } })).rejects.toThrow(UsageError);
    await expect(runScenarios([], { profile: 'strict', lenient: true })).rejects.toThrow(/profile or lenient, not both/);
  });
});
