/**
 * The scenario library against reference servers started with a profile, run with `--profile` of
 * that same profile: what the profile does not claim is skipped as not claimed, never failed or
 * blocked (issue 15).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import addFormatsModule from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { readClaim } from '../../../harness/runner/claim.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { defaultScenarioPaths, loadScenarios } from '../../../harness/scenario/load.js';
import type { ScenarioResult } from '../../../harness/result.js';
import type { Scenario } from '../../../harness/types.js';
import { createReferenceServer } from '../../../reference-server/app.js';
import { bundledVariationNames } from '../../../reference-server/profile/load.js';
import { LENIENT } from '../../../scim/compat.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../docs/run-result.schema.json', import.meta.url), 'utf8')));

let library: Scenario[] = [];
let dir: string;

beforeAll(async () => {
  const { scenarios, errors } = await loadScenarios(defaultScenarioPaths(), { idps: IDPS });
  expect(errors).toEqual([]);
  // A scenario that names its own profile (scenarios/postman/) is written for that target, not for any RFC-correct server.
  library = scenarios.filter((s) => s.target?.profile === undefined);
  dir = await mkdtemp(join(tmpdir(), 'scimulator-claim-library-'));
});

afterAll(async () => {
  library = [];
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs `scenarios` as `run --profile PROFILE --target` would against a reference server started
 * with that profile: Entra's scenarios against one with every compat knob on as well (its legacy
 * dialect departs from the RFC), as the embedded target gives them.
 */
async function runWithProfile(profile: string, scenarios: readonly Scenario[] = library): Promise<ScenarioResult[]> {
  const claim = readClaim(profile);
  const run = async (selected: Scenario[], lenient: boolean) => {
    const token = 'claim-token';
    const server = createReferenceServer({ tokens: [token], profile: claim.option, ...(lenient && { compat: LENIENT }) });
    const { url } = await server.listen();
    try {
      const result = await runScenarios(selected, { idps: IDPS, target: { url, credentials: { kind: 'bearer', token } }, profile: claim });
      expect(result.target).toMatchObject({ profile: claim.name, featureSource: 'profile' });
      expect(validate(JSON.parse(JSON.stringify(result))), ajv.errorsText(validate.errors)).toBe(true);
      return result.scenarios;
    } finally {
      await server.close();
    }
  };
  const results = await Promise.all([run(scenarios.filter((s) => s.idp !== 'entra'), false), run(scenarios.filter((s) => s.idp === 'entra'), true)]);
  return results.flat();
}

const failures = (results: ScenarioResult[]) => results.filter((s) => s.status === 'failed' || s.status === 'error').map((s) => `${s.id}: ${s.cause?.summary ?? s.reason}`);
const notClaimed = (results: ScenarioResult[], profile: string) => results.filter((s) => s.status === 'skipped' && s.reason?.startsWith(`not claimed by profile ${profile}: `));

describe('run --profile against a server with that profile', () => {
  it('skips the scenarios whose filters use an operator eq-and-filters refuses, with the reason, instead of blocking them', async () => {
    const results = await runWithProfile('variations/eq-and-filters');
    expect(failures(results)).toEqual([]);
    expect(results.filter((s) => s.status === 'blocked').map((s) => s.id)).toEqual([]);
    // `userName sw "…" and displayName co "vela"`: the first operator written that the profile refuses is the reason.
    expect(results.find((s) => s.id === 'rfc7644.filter.co-string')).toMatchObject({
      status: 'skipped',
      reason: 'not claimed by profile eq-and-filters: filter operator sw on User.userName',
      cause: { key: 'claim:filter-operator:sw', summary: 'profile eq-and-filters does not claim filter operator "sw"' },
    });
    const operators = new Set(notClaimed(results, 'eq-and-filters').map((s) => s.cause?.key));
    expect([...operators].sort()).toEqual(['claim:filter-operator:[]', 'claim:filter-operator:not', 'claim:filter-operator:or', 'claim:filter-operator:sw']);
  }, 60_000);

  it('skips the scenarios that need an attribute minimal-user-schema does not store', async () => {
    const results = await runWithProfile('minimal-user-schema');
    expect(failures(results)).toEqual([]);
    const unstored = notClaimed(results, 'minimal-user-schema');
    expect(unstored.length).toBeGreaterThan(5);
    for (const s of unstored) expect(s.reason).toMatch(/^not claimed by profile minimal-user-schema: (attributes? .* (is|are) not stored|\/Schemas describing .*, which the profile's \/Schemas leaves out)/);
  }, 60_000);

  it('skips the scenarios that delete users when the profile has no DELETE /Users/{id}', async () => {
    const file = join(dir, 'no-user-delete.yaml');
    await writeFile(file, 'name: no-user-delete\nendpoints:\n  /Users/{id}: [GET, PUT, PATCH]\n');
    const results = await runWithProfile(file);
    expect(failures(results)).toEqual([]);
    const deleting = results.filter((s) => s.cause?.key === 'claim:endpoint:DELETE /Users/{id}');
    expect(deleting.map((s) => s.id)).toContain('rfc7644.users.delete-204-then-404');
    for (const s of deleting) expect(s.reason).toBe('not claimed by profile no-user-delete: DELETE /Users/{id} is absent');
  }, 60_000);

  it('fails no scenario of the library, strict ones included, for strict, lenient and every bundled variation run with --profile of itself', async () => {
    const names = ['strict', 'lenient', ...bundledVariationNames().map((name) => `variations/${name}`)];
    const runs = await Promise.all(names.map(async (name) => ({ name, results: await runWithProfile(name) })));
    expect(runs.filter((r) => failures(r.results).length > 0).map((r) => ({ name: r.name, failed: failures(r.results) }))).toEqual([]);
    // What each profile says otherwise than RFC 7644's default is skipped with its reason, not failed.
    const reasons = (name: string) => new Set(notClaimed(runs.find((r) => r.name === `variations/${name}`)!.results, name).map((s) => s.cause?.key));
    expect(reasons('put-keeps-omitted')).toContain('claim:put-keeps-omitted:User');
    expect(reasons('no-user-groups')).toContain('claim:schemas:user.groups');
    expect(reasons('no-scim-type')).toContain('claim:scim-type');
  }, 180_000);

  it('still reads a profile that says only supports:', async () => {
    const file = join(dir, 'supports-only.yaml');
    await writeFile(file, 'supports: { bulk: false }\n');
    const bulk = library.filter((s) => s.requires.includes('bulk'));
    const results = await runWithProfile(file, bulk);
    expect(results.length).toBeGreaterThan(0);
    for (const s of results) expect(s).toMatchObject({ status: 'skipped', reason: 'not claimed by profile supports-only: bulk' });
  });
});
