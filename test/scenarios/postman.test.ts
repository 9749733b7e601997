/**
 * scenarios/postman/ (issue 17): Postman's SCIM API as its documents describe it (api/), the Postman
 * OIN app in Okta (okta-app/) and the Azure AD non-gallery app (entra-app/). The suite rests on the
 * postman profiles its scenarios name, and on nothing else:
 * - as `npm start` runs them, against the embedded servers of those profiles, they all pass;
 * - against a strict reference server, exactly the ones tagged `departs-from-rfc` fail;
 * - every item of docs/reference/postman.md's checklist is cited by one of them at least;
 * - the README's read-only run against a real team changes nothing.
 * The folders are read, never listed here: a scenario added to any of them is held to the same.
 */
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../harness/idp/registry.js';
import type { RunResult, ScenarioResult } from '../../harness/result.js';
import { runScenarios } from '../../harness/runner/run.js';
import type { CompiledLibrary } from '../../harness/scenario/compiled.js';
import { bundledScenariosDir, collectScenarioFiles } from '../../harness/scenario/files.js';
import { defaultScenarioPaths, loadScenarios } from '../../harness/scenario/load.js';
import type { Scenario } from '../../harness/types.js';
import { createReferenceServer } from '../../reference-server/app.js';
import { cli, ROOT } from '../cli/compiled-cli.js';

const SUITE = join(bundledScenariosDir(), 'postman');
const FOLDERS = ['api', 'okta-app', 'entra-app'];
const DEPARTS = 'departs-from-rfc';
const KEY = 'postman-suite-key';

let suite: Scenario[] = [];
let out: string;

beforeAll(async () => {
  const { scenarios, errors } = await loadScenarios([SUITE], { idps: IDPS });
  expect(errors.map(String)).toEqual([]);
  suite = scenarios;
  out = await mkdtemp(join(tmpdir(), 'scimulator-postman-suite-'));
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const folderOf = (s: Scenario) => relative(SUITE, s.source.file).split(/[\\/]/)[0]!;
/** Why a scenario did not pass: its reason, or its first failed check. */
const why = (s: ScenarioResult) => s.reason ?? s.steps.flatMap((step) => step.checks).find((check) => !check.passed)?.message;
const verdicts = (results: ScenarioResult[], status: ScenarioResult['status']) =>
  results.filter((s) => s.status !== status).map((s) => `${s.id}: ${s.status}: ${why(s)}`);

/** The CLI's run, as a user types it, with its result.json. */
async function cliRun(name: string, args: string[]): Promise<{ code: number | null; result: RunResult; stderr: string }> {
  const dir = join(out, name);
  const { code, stderr } = await cli(['run', ...args, '--reporter', 'json', '--out', dir], ROOT);
  return { code, stderr, result: JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as RunResult };
}

describe('scenarios/postman/ as npm start runs it', () => {
  it('holds the three folders, and the default selection takes every file of them, compiled at build time', async () => {
    expect(new Set(suite.map(folderOf))).toEqual(new Set(FOLDERS));
    const { files } = await collectScenarioFiles(defaultScenarioPaths());
    const selected = new Set(files.map((file) => resolve(file)));
    // What the build wrote (test/global-setup.ts builds): `npm start` takes these files from it, unparsed.
    const compiled = JSON.parse(readFileSync(join(ROOT, 'dist/harness/scenario/library.json'), 'utf8')) as CompiledLibrary;
    for (const { source } of suite) {
      const key = relative(bundledScenariosDir(), source.file).split(sep).join('/');
      expect(selected.has(source.file), key).toBe(true);
      expect(compiled.files[key]?.sha256, key).toBe(hash('sha256', readFileSync(source.file, 'utf8')));
    }
  });

  it('names a postman profile for every scenario: a bundled one, or a file of its folder\'s .profiles/ that extends one', () => {
    const named = suite.map((s) => ({ id: s.id, profile: s.target?.profile ?? 'none', file: s.source.file }));
    const files = named.filter((s) => /^\.\/\.profiles\/[\w-]+\.yaml$/.test(s.profile));
    expect(named.filter((s) => !/^postman(-oas)?$/.test(s.profile) && !files.includes(s)).map((s) => `${s.id}: ${s.profile}`)).toEqual([]);
    for (const { id, profile, file } of files) expect(readFileSync(resolve(dirname(file), profile), 'utf8'), id).toMatch(/^extends: postman(-oas)?$/m);
  });

  it('passes every scenario against the embedded servers of the profiles they name', async () => {
    const { code, result, stderr } = await cliRun('embedded', ['scenarios/postman']);
    expect(verdicts(result.scenarios, 'passed')).toEqual([]);
    expect(result.scenarios.map((s) => s.id).sort()).toEqual(suite.map((s) => s.id).sort());
    expect(code, stderr).toBe(0);
  }, 120_000);
});

describe('scenarios/postman/ against a strict reference server', () => {
  /*
   * With --target the scenarios' own profiles are ignored: every one meets the strict server. The
   * admin token lets the invite and fault steps act there too, so nothing is skipped: a scenario
   * that rests on Postman's invites meets a server that invites nobody, and fails like the rest.
   */
  let results: ScenarioResult[] = [];

  beforeAll(async () => {
    const server = createReferenceServer({ tokens: [KEY], profile: 'strict', adminToken: 'postman-suite-admin' });
    const { url } = await server.listen();
    try {
      results = (await runScenarios(suite, { idps: IDPS, target: { url, credentials: { kind: 'bearer', token: KEY } }, adminToken: 'postman-suite-admin' })).scenarios;
    } finally {
      await server.close();
    }
  }, 120_000);

  const departs = (s: { tags: string[] }) => s.tags.includes(DEPARTS);

  it(`fails every scenario tagged ${DEPARTS}`, () => {
    expect(verdicts(results.filter(departs), 'failed')).toEqual([]);
  });

  it(`passes every other one: the verdicts depend on Postman's departures and on nothing else`, () => {
    expect(verdicts(results.filter((s) => !departs(s)), 'passed')).toEqual([]);
  });

  it('has departing and conforming scenarios in each folder', () => {
    for (const folder of FOLDERS) {
      const mine = suite.filter((s) => folderOf(s) === folder);
      expect(mine.some(departs), folder).toBe(true);
      expect(mine.some((s) => !departs(s)), folder).toBe(true);
    }
  });
});

/**
 * Checklist items no scenario can show yet, each with why; the test fails when one gets covered, so
 * that it leaves this list. test/reference-server/postman.test.ts tests the server on each of them.
 */
const NOT_SHOWN: Record<string, string> = {};

describe("docs/reference/postman.md's checklist", () => {
  it('has each PM item cited in the refs of a scenario of scenarios/postman/, but those no scenario can show', () => {
    const doc = readFileSync(join(ROOT, 'docs/reference/postman.md'), 'utf8');
    const items = [...doc.matchAll(/^- (PM-\d+): /gm)].map((m) => m[1]!);
    expect(items.length).toBeGreaterThan(0);
    const refs = suite.flatMap((s) => [...s.refs, ...s.steps.flatMap((step) => ('ref' in step && step.ref ? [step.ref] : []))]);
    const cited = new Set(refs.flatMap((ref) => [...ref.matchAll(/\bPM-\d+\b/g)].map((m) => m[0])));
    const uncovered = items.filter((item) => !cited.has(item));
    expect(uncovered, `checklist items no scenario cites: ${uncovered.map((item) => `${item} (${NOT_SHOWN[item] ?? 'not excused'})`).join('; ')}`).toEqual(Object.keys(NOT_SHOWN));
  });
});

describe("the README's read-only run against a real team", () => {
  it('passes scenarios/postman/api with the key alone and --exclude-tag writes --exclude-tag setup, and no write succeeds', async () => {
    const server = createReferenceServer({ tokens: [KEY], profile: 'postman' });
    const { url } = await server.listen();
    try {
      const args = ['scenarios/postman/api', '--target', url, '--auth-header', `Authorization: ${KEY}`, '--exclude-tag', 'writes', '--exclude-tag', 'setup'];
      const { code, result, stderr } = await cliRun('read-only', args);
      expect(verdicts(result.scenarios, 'passed')).toEqual([]);
      expect(result.scenarios.length).toBeGreaterThan(10);
      expect(code, stderr).toBe(0);
      const writes = result.scenarios
        .flatMap((s) => s.exchanges)
        .filter((e) => e.request.method !== 'GET' && e.response !== undefined && e.response.status < 300)
        .map((e) => `${e.request.method} ${e.request.url} → ${e.response!.status}`);
      expect(writes).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
