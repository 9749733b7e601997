/**
 * `run --profile NAME|FILE`: what a profile claims, read as the reference server reads it, and the
 * scenarios it skips as not claimed (harness/runner/claim.ts), scenario by scenario.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClaim, type Claim } from '../../../harness/runner/claim.js';
import { UsageError } from '../../../harness/runner/errors.js';
import { unsentable, unsupported } from '../../../harness/runner/support.js';
import type { RequestStep, Scenario, Step } from '../../../harness/types.js';
import { renderConsoleSummary } from '../../../reports/console.js';
import { renderHtml } from '../../../reports/html.js';
import { renderMarkdown } from '../../../reports/markdown.js';
import { URN } from '../../../scim/schema/urns.js';
import { sampleResult } from '../../reports/sample-result.js';
import { failedOn, idpExchange } from './claim-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-claim-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A profile file with `text`, read as `--profile` reads it. */
async function fileClaim(text: string, name = `p${Math.random().toString(36).slice(2)}`): Promise<Claim> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return readClaim(file);
}

/** The message a profile file's mistake stops the run with. */
async function mistake(text: string, name = 'wrong'): Promise<string> {
  try {
    await fileClaim(text, name);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('the profile was read');
}

const at = { file: 'x.yaml', line: 1, column: 1 };
const request = (method: string, path: string, extra: Partial<RequestStep['request']> = {}, status?: number): Step => ({
  kind: 'request',
  request: { method, path, ...extra },
  ...(status !== undefined && { expect: { status } }),
  source: at,
});
const scenario = (steps: Step[], extra: Partial<Scenario> = {}): Scenario =>
  ({ id: 's', title: 't', refs: ['RFC 7644 §3'], tags: [], requires: [], covers: [], idp: 'none', settings: {}, steps, source: at, ...extra }) as Scenario;
const patch = (...Operations: unknown[]) => ({ body: { schemas: [URN.patchOp], Operations } });

/** What the runner makes of `s` under `claim`: undefined when it runs, else its reason and cause. */
function judged(claim: Claim, s: Scenario) {
  const result = unsupported(s, { features: claim.features, source: 'profile', claim }, undefined, {});
  return result && { status: result.status, reason: result.reason, cause: result.cause };
}

describe('reading a profile for run --profile', () => {
  it('takes a bundled profile by name, a variation also as variations/NAME, and resolves what it extends', () => {
    const strict = readClaim('strict');
    expect(strict).toMatchObject({ name: 'strict', option: 'strict' });
    expect(Object.values(strict.features).every(Boolean)).toBe(true);
    const variation = readClaim('variations/eq-and-filters');
    expect(variation).toMatchObject({ name: 'eq-and-filters', option: 'eq-and-filters' });
    expect(variation.profile.filter.operators).toEqual(['eq', 'and']);
    // minimal-spc's ServiceProviderConfig declares bulk and changePassword unsupported: so it claims neither.
    expect(readClaim('minimal-spc').features).toMatchObject({ bulk: false, changePassword: false, patch: true, sort: true });
  });

  it('reads a file with only supports: as a profile extending strict, the features it leaves out as strict has them', async () => {
    const claim = await fileClaim('supports: { bulk: false, sort: false }\n', 'old-style');
    expect(claim.name).toBe('old-style');
    expect(claim.features).toEqual({ patch: true, bulk: false, filter: true, sort: false, etag: true, changePassword: true });
  });

  it('derives features from what the profile describes: no PATCH method, no patch', async () => {
    const claim = await fileClaim('endpoints:\n  /Users/{id}: [GET, PUT, DELETE]\n  /Groups/{id}: [GET, PUT, DELETE]\n');
    expect(claim.features.patch).toBe(false);
  });

  it('refuses the former features: with its new name, at its line', async () => {
    expect(await mistake('name: old\nfeatures: { bulk: false }\n', 'features')).toBe(
      `${join(dir, 'features.yaml')}:2: features: "features:" is now "supports:": rename it, e.g. supports: { bulk: false, sort: true }`,
    );
  });

  it('says where a mistake is, file and line, with what the field takes', async () => {
    const text = 'name: wrong\nsupports:\n  bulk: false\n  etags: true\npatch:\n  status: 201\n';
    expect((await mistake(text)).split('\n')).toEqual([
      `${join(dir, 'wrong.yaml')}:4: supports.etags: unknown key 'etags' in supports: did you mean 'etag'?`,
      `${join(dir, 'wrong.yaml')}:6: patch.status: must be one of 200, 204, got 201`,
    ]);
  });

  it('says where the mistake is in a file the profile extends', async () => {
    await writeFile(join(dir, 'base.yaml'), 'filter:\n  operators: [eq, within]\n');
    expect(await mistake('extends: ./base.yaml\n', 'child')).toMatch(new RegExp(`^${join(dir, 'base.yaml')}:2: filter.operators\\[1\\]: must be one of`));
  });

  it('names the field of an attribute RFC 7643 does not define', async () => {
    expect(await mistake('attributes: { User: { stored: [userName, shoeSize] } }\n', 'shoes')).toMatch(/attributes\.User\.stored\[1\]: "shoeSize" is not an attribute of Users in RFC 7643/);
  });

  it('refuses a name that is neither a bundled profile nor a file, with a did-you-mean', () => {
    expect(() => readClaim('strcit')).toThrow(/^--profile strcit is neither a bundled profile nor a file: did you mean strict\?$/);
    expect(() => readClaim('variations/eq-and-filter')).toThrow(/did you mean variations\/eq-and-filters\?/);
  });
});

describe('what a profile claims', () => {
  let noDelete: Claim;
  let narrow: Claim;
  beforeAll(async () => {
    noDelete = await fileClaim('name: no-delete\nendpoints:\n  /Users/{id}: [GET, PUT, PATCH]\n');
    narrow = await fileClaim(
      [
        'name: narrow',
        'filter:',
        '  attributes:',
        '    User: { userName: [eq], emails.value: [eq, co] }',
        'patch:',
        '  ops: [add, replace]',
        '  paths:',
        '    User: { apply: [active, name.givenName], otherwise: ignore }',
        '    Group: { apply: [displayName], otherwise: refuse }',
        'attributes:',
        '  User: { stored: [userName, name, active, emails] }',
      ].join('\n'),
    );
  });

  it('skips a scenario that needs a feature the profile does not claim', () => {
    expect(judged(readClaim('minimal-spc'), scenario([], { requires: ['bulk'] }))).toEqual({
      status: 'skipped',
      reason: 'not claimed by profile minimal-spc: bulk',
      cause: { key: 'claim:feature:bulk', summary: 'profile minimal-spc does not claim bulk' },
    });
  });

  it('skips a scenario that sends a method the profile takes away, whatever the step expects', () => {
    const deleting = scenario([request('POST', '/Users'), request('DELETE', '/Users/{{id}}', {}, 404)]);
    expect(judged(noDelete, deleting)).toEqual({
      status: 'skipped',
      reason: 'not claimed by profile no-delete: DELETE /Users/{id} is absent',
      cause: { key: 'claim:endpoint:DELETE /Users/{id}', summary: 'profile no-delete has no DELETE /Users/{id}' },
    });
    expect(judged(noDelete, scenario([request('DELETE', '/Groups/{{id}}'), request('PUT', '/Users')]))).toBeUndefined();
    expect(judged(readClaim('no-search'), scenario([request('POST', '/Users/.search', { body: {} })]))?.reason).toBe('not claimed by profile no-search: POST /Users/.search is absent');
  });

  it('skips a scenario whose filter uses an operator the profile refuses, naming the attribute', () => {
    const claim = readClaim('eq-and-filters');
    const filtering = scenario([request('GET', '/Users', { query: { filter: 'userName eq "{{unique.a}}" and title co "x"' } })]);
    expect(judged(claim, filtering)).toEqual({
      status: 'skipped',
      reason: 'not claimed by profile eq-and-filters: filter operator co on User.title',
      cause: { key: 'claim:filter-operator:co', summary: 'profile eq-and-filters does not claim filter operator "co"' },
    });
    expect(judged(claim, scenario([request('POST', '/.search', { body: { filter: 'emails[type eq "work"]' } })]))?.reason).toBe(
      'not claimed by profile eq-and-filters: value filter emails[…]',
    );
    expect(judged(claim, scenario([request('GET', '/Users?filter=userName%20eq%20%22a%22%20or%20active%20eq%20true')]))?.reason).toBe(
      'not claimed by profile eq-and-filters: filter operator or',
    );
  });

  it('leaves a filter the step expects refused, and one that is malformed, to the step', () => {
    const claim = readClaim('eq-and-filters');
    expect(judged(claim, scenario([request('GET', '/Users', { query: { filter: 'title co "x"' } }, 400)]))).toBeUndefined();
    expect(judged(claim, scenario([request('GET', '/Users', { query: { filter: 'title co' } })]))).toBeUndefined();
  });

  it('skips a scenario that filters on an attribute, or with an operator on one, the profile does not list', () => {
    const on = (filter: string) => judged(narrow, scenario([request('POST', '/Users/.search', { body: { filter } })]));
    expect(on('userName eq "a" and emails[value co "@x"]')).toBeUndefined();
    expect(on('title eq "boss"')).toEqual({
      status: 'skipped',
      reason: 'not claimed by profile narrow: filter on User.title',
      cause: { key: 'claim:filter-attribute:user.title', summary: 'profile narrow does not claim filters on User.title' },
    });
    expect(on('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "a"')?.reason).toBe('not claimed by profile narrow: filter operator sw on User.userName');
    expect(judged(narrow, scenario([request('GET', '/Groups', { query: { filter: 'displayName co "x"' } })]))).toBeUndefined();
  });

  it('skips a scenario whose PATCH changes a path the profile does not apply, refused or ignored', () => {
    const patching = (...ops: unknown[]) => judged(narrow, scenario([request('PATCH', '/Users/{{id}}', patch(...ops))]));
    expect(patching({ op: 'replace', path: 'active', value: false }, { op: 'add', value: { name: { givenName: 'Ada' } } })).toBeUndefined();
    expect(patching({ op: 'replace', path: 'active', value: false }, { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@x' })).toEqual({
      status: 'skipped',
      reason: 'not claimed by profile narrow: PATCH path emails[type eq "work"].value on Users',
      cause: { key: 'claim:patch-path:User.emails[type eq "work"].value', summary: 'profile narrow does not apply PATCH path emails[type eq "work"].value on Users' },
    });
    expect(patching({ op: 'replace', value: { active: true, name: { familyName: 'L' } } })?.reason).toBe('not claimed by profile narrow: PATCH path name on Users');
    expect(patching({ op: 'remove', path: 'active' })?.reason).toBe('not claimed by profile narrow: PATCH op remove');
    const group = judged(narrow, scenario([request('PATCH', '/Groups/{{g}}', patch({ op: 'add', path: 'members', value: [{ value: 'x' }] }))]));
    expect(group?.reason).toBe('not claimed by profile narrow: PATCH path members on Groups');
  });

  it("runs Okta's group rename {id, displayName} where the profile ignores what it does not list: nothing applies a readOnly id", () => {
    const rename = (claim: Claim) => judged(claim, scenario([request('PATCH', '/Groups/{{g}}', patch({ op: 'replace', value: { id: '{{g}}', displayName: 'New' } }))]));
    expect(rename(readClaim('postman'))).toBeUndefined();
    const meta = judged(readClaim('postman'), scenario([request('PATCH', '/Groups/{{g}}', patch({ op: 'replace', value: { meta: {}, externalId: 'x' } }))]));
    expect(meta?.reason).toBe('not claimed by profile postman: PATCH path externalId on Groups');
  });

  it('skips a step that expects a scimType the profile does not send in that error', () => {
    const expecting = (scimType: unknown) => scenario([{ ...request('POST', '/Users', { body: {} }), expect: { status: 400, body: { scimType } } } as Step]);
    const claim = readClaim('no-scim-type');
    expect(judged(claim, expecting({ equals: 'invalidSyntax' }))).toEqual({
      status: 'skipped',
      reason: 'not claimed by profile no-scim-type: scimType invalidSyntax in an error',
      cause: { key: 'claim:scim-type', summary: 'profile no-scim-type sends a scimType only where RFC 7644 requires one (errors.scimType: required)' },
    });
    expect(judged(claim, expecting({ oneOf: ['invalidValue', 'invalidSyntax'] }))?.reason).toBe('not claimed by profile no-scim-type: scimType invalidValue or invalidSyntax in an error');
    expect(judged(claim, expecting({ equals: 'uniqueness' }))).toBeUndefined();
    expect(judged(readClaim('strict'), expecting({ equals: 'invalidSyntax' }))).toBeUndefined();
  });

  it('skips a scenario whose PATCH carries a value shape the profile does not take (patch.values)', () => {
    const oas = readClaim('postman-oas');
    const patching = (...ops: unknown[]) => judged(oas, scenario([request('PATCH', '/Users/{{id}}', patch(...ops))]));
    expect(patching({ op: 'replace', path: 'active', value: 'False' })).toEqual({
      status: 'skipped',
      reason: 'not claimed by profile postman-oas: PATCH path active on Users',
      cause: { key: 'claim:patch-value:User.path active', summary: 'profile postman-oas does not take PATCH path active on Users' },
    });
    expect(patching({ op: 'replace', value: { active: 'False' } })?.reason).toBe('not claimed by profile postman-oas: PATCH a string for active in a path-less value on Users');
    expect(patching({ op: 'replace', value: { active: false } }, { op: 'replace', path: 'userName', value: 'a@example.com' })).toBeUndefined();
    // The postman profile takes Entra's "False", and a step that expects the refusal is the step's to judge.
    expect(judged(readClaim('postman'), scenario([request('PATCH', '/Users/{{id}}', patch({ op: 'replace', path: 'active', value: 'False' }))]))).toBeUndefined();
    expect(judged(oas, scenario([request('PATCH', '/Users/{{id}}', patch({ op: 'replace', path: 'active', value: 'False' }), 400)]))).toBeUndefined();
    const renaming = scenario([request('PATCH', '/Groups/{{g}}', patch({ op: 'replace', path: 'displayName', value: 'Platform' }))]);
    expect(judged(oas, renaming)?.reason).toBe('not claimed by profile postman-oas: PATCH path displayName on Groups');
  });

  it('judges PATCH operations in a Bulk request as PATCH requests', () => {
    const bulk = { body: { schemas: [URN.bulkRequest], Operations: [{ method: 'PATCH', path: '/Groups/x', data: patch({ op: 'replace', path: 'members', value: [] }).body }] } };
    expect(judged(narrow, scenario([request('POST', '/Bulk', bulk)]))?.reason).toBe('not claimed by profile narrow: PATCH path members on Groups');
  });

  it('skips a scenario that needs an attribute the profile does not store', () => {
    const creating = scenario([request('POST', '/Users', { body: { userName: 'a', title: 'Boss', nickName: 'A' } })]);
    expect(judged(narrow, creating)).toEqual({
      status: 'skipped',
      reason: 'not claimed by profile narrow: attributes User.title, User.nickName are not stored',
      cause: { key: 'claim:attribute:User.nickName', summary: 'profile narrow does not store User.nickName' },
    });
    expect(judged(readClaim('no-user-groups'), scenario([request('GET', '/Users/{{id}}', { query: { attributes: 'groups' } })]))?.reason).toBe(
      'not claimed by profile no-user-groups: attribute User.groups is not stored',
    );
  });
});

describe('an IdP scenario the profile would have refused', () => {
  it('is skipped, after the run, when its failure came from a request to an absent route', async () => {
    const claim = await fileClaim('name: no-delete-either\nendpoints:\n  /Users/{id}: [GET, PUT, PATCH]\n');
    const result = unsentable(failedOn(idpExchange('DELETE', '/Users/42', 405)), undefined, claim);
    expect(result).toMatchObject({
      status: 'skipped',
      reason: 'not claimed by profile no-delete-either: DELETE /Users/{id} is absent',
      cause: { key: 'claim:endpoint:DELETE /Users/{id}', summary: 'profile no-delete-either has no DELETE /Users/{id}' },
    });
  });

  it('is skipped when the target refused its filter, PATCH path or unstored attribute as the profile says it would', () => {
    const filter = idpExchange('GET', `/Users?filter=${encodeURIComponent('userName co "a"')}`, 400);
    expect(unsentable(failedOn(filter), undefined, readClaim('eq-and-filters')).reason).toBe('not claimed by profile eq-and-filters: filter operator co on User.userName');
    const create = idpExchange('POST', '/Users', 400, { userName: 'a', title: 'Boss' });
    expect(unsentable(failedOn(create), undefined, readClaim('minimal-user-schema')).reason).toBe(
      'not claimed by profile minimal-user-schema: attribute User.title is not stored, which the IdP sends',
    );
  });

  it('is skipped when the target refused a PATCH value shape the profile does not take', () => {
    const deactivate = idpExchange('PATCH', '/Users/42', 400, { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'active', value: 'False' }] });
    expect(unsentable(failedOn(deactivate), undefined, readClaim('postman-oas')).reason).toBe('not claimed by profile postman-oas: PATCH path active on Users');
    expect(unsentable(failedOn(deactivate), undefined, readClaim('postman')).status).toBe('failed');
  });

  it('still fails when the refused request is one the profile claims', () => {
    const result = failedOn(idpExchange('DELETE', '/Users/42', 500));
    expect(unsentable(result, undefined, readClaim('strict'))).toBe(result);
  });
});

describe('the profile in the reports', () => {
  it('is named beside the target in the console, Markdown and HTML headers', () => {
    const result = sampleResult();
    result.target = { ...result.target, featureSource: 'profile', profile: 'my-target' };
    expect(renderConsoleSummary(result, { color: false })).toContain(`Target: ${result.target.url} (profile my-target) ·`);
    expect(renderMarkdown(result)).toContain(`against \`${result.target.url}\` (profile \`my-target\`) in`);
    expect(renderHtml(result)).toContain(`Target: ${result.target.url}, profile my-target ·`);
  });
});
