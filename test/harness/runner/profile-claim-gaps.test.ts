/**
 * What `run --profile` claims beyond routes, filters and PATCH rules (harness/runner/claim/): PUT
 * keeping what it omits, what /Schemas declares, the compat departures both ways, and the profile
 * a scenario is judged by when the embedded server gives it its own. Each gap skips with its
 * reason, and a scenario the profile does claim still runs.
 */
import { describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { readClaim, type Claim } from '../../../harness/runner/claim.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { unsentable, unsupported } from '../../../harness/runner/support.js';
import type { Matcher, Scenario, Step } from '../../../harness/types.js';
import { createReferenceServer } from '../../../reference-server/app.js';
import { URN } from '../../../scim/schema/urns.js';
import { failedOn, idpExchange } from './claim-fixtures.js';

const at = { file: 'x.yaml', line: 1, column: 1 };
const request = (method: string, path: string, body?: unknown, expect?: { status?: number; body?: Record<string, Matcher> }): Step => ({
  kind: 'request',
  request: { method, path, ...(body !== undefined && { body }) },
  ...(expect && { expect }),
  source: at,
});
const scenario = (steps: Step[], extra: Partial<Scenario> = {}): Scenario =>
  ({ id: 's', title: 't', refs: ['RFC 7644 §3'], tags: [], requires: [], covers: [], idp: 'none', settings: {}, steps, source: at, ...extra }) as Scenario;
const user = (extra: Record<string, unknown> = {}) => ({ schemas: [URN.user], userName: 'ada@example.com', ...extra });
const patch = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });

/** What the runner makes of `s` under `claim` before running it: undefined when it runs, else its reason and cause. */
function judged(claim: Claim, s: Scenario) {
  const result = unsupported(s, { features: claim.features, source: 'profile', claim }, undefined, {});
  return result && { reason: result.reason, cause: result.cause };
}

describe('PUT that keeps what it omits (users.put, groups.put: keep-omitted)', () => {
  const keeps = readClaim('put-keeps-omitted');
  const cause = { key: 'claim:put-keeps-omitted:User', summary: 'profile put-keeps-omitted keeps what a PUT omits on Users (users.put: keep-omitted, RFC 7644 §3.5.1)' };

  it('skips a scenario that expects a PUT to clear an attribute its body omits, in its answer or a later read', () => {
    const clearing = (where: 'answer' | 'read') =>
      scenario([
        request('POST', '/Users', user({ displayName: 'Ada' }), { status: 201 }),
        request('PUT', '/Users/{{id}}', user(), { status: 200, ...(where === 'answer' && { body: { displayName: { absent: true } } }) }),
        request('GET', '/Users/{{id}}', undefined, { status: 200, ...(where === 'read' && { body: { displayName: { absent: true } } }) }),
      ]);
    const expected = { reason: 'not claimed by profile put-keeps-omitted: PUT /Users/{id} clearing displayName, which its body omits (users.put: keep-omitted keeps it)', cause };
    expect(judged(keeps, clearing('answer'))).toEqual(expected);
    expect(judged(keeps, clearing('read'))).toEqual(expected);
    expect(judged(readClaim('strict'), clearing('read'))).toBeUndefined();
  });

  it('runs a scenario whose PUT sends what it expects cleared, or that expects absent what a PUT never clears', () => {
    const sending = scenario([request('PUT', '/Users/{{id}}', user({ displayName: null }), { status: 200, body: { displayName: { absent: true } } })]);
    expect(judged(keeps, sending)).toBeUndefined();
    // password is never returned, groups is readOnly: absent whatever a PUT keeps.
    const never = scenario([request('PUT', '/Users/{{id}}', user(), { status: 200, body: { password: { absent: true }, groups: { absent: true } } })]);
    expect(judged(keeps, never)).toBeUndefined();
    // A later write ends what the PUT left.
    const rewritten = scenario([
      request('PUT', '/Users/{{id}}', user(), { status: 200 }),
      request('PATCH', '/Users/{{id}}', patch({ op: 'remove', path: 'displayName' }), { status: 200 }),
      request('GET', '/Users/{{id}}', undefined, { status: 200, body: { displayName: { absent: true } } }),
    ]);
    expect(judged(keeps, rewritten)).toBeUndefined();
  });

  it('skips a scenario that expects a PUT without the required userName to be refused', () => {
    const refusing = scenario([request('PUT', '/Users/{{id}}', { schemas: [URN.user], displayName: 'Ada' }, { status: 400 })]);
    expect(judged(keeps, refusing)).toEqual({ reason: 'not claimed by profile put-keeps-omitted: a refusal of PUT /Users/{id} without userName (users.put: keep-omitted keeps it)', cause });
    expect(judged(keeps, scenario([request('PUT', '/Users/{{id}}', user({ name: 7 }), { status: 400 })]))).toBeUndefined();
  });

  it("skips an IdP scenario expecting the target cleared by a PUT its sent list shows leaving the attribute out, not one that shows it sent", () => {
    const expecting = (body: Record<string, unknown>, path: string, target: Record<string, Matcher>): Scenario =>
      scenario([{ kind: 'expect', sent: ['GET /Users/{{id}}', { method: 'PUT', path, body }], target: { ada: target }, source: at }], { idp: 'okta' });
    expect(judged(keeps, expecting({ active: true }, '/Users/{{id}}', { title: { absent: true } }))?.reason).toBe(
      "not claimed by profile put-keeps-omitted: an IdP's PUT /Users/{id} clearing title, which it omits (users.put: keep-omitted keeps it)",
    );
    expect(judged(keeps, expecting({ members: [] }, '/Groups/{{g}}', { members: { absent: true } }))).toBeUndefined();
    expect(judged(readClaim('strict'), expecting({ active: true }, '/Users/{{id}}', { title: { absent: true } }))).toBeUndefined();
  });
});

describe('what /Schemas declares', () => {
  const reading = (...names: string[]) =>
    scenario([request('GET', `/Schemas/${URN.user}`, undefined, { status: 200, body: { attributes: { containsAll: names.map((name) => ({ name })) } } })]);

  it('skips a scenario expecting a schema to describe an attribute the profile does not declare', () => {
    expect(judged(readClaim('minimal-user-schema'), reading('userName', 'password'))).toEqual({
      reason: "not claimed by profile minimal-user-schema: /Schemas describing User.password, which the profile's /Schemas leaves out",
      cause: { key: 'claim:schemas:user.password', summary: 'profile minimal-user-schema does not declare User.password in /Schemas' },
    });
    expect(judged(readClaim('no-user-groups'), reading('groups'))?.reason).toBe("not claimed by profile no-user-groups: /Schemas describing User.groups, which the profile's /Schemas leaves out");
    const extension = scenario([request('GET', `/Schemas/${URN.enterpriseUser}`, undefined, { status: 200, body: { attributes: { contains: { name: 'employeeNumber' } } } })]);
    expect(judged(readClaim('minimal-user-schema'), extension)?.reason).toBe(
      `not claimed by profile minimal-user-schema: /Schemas describing ${URN.enterpriseUser}:employeeNumber, which the profile's /Schemas leaves out`,
    );
  });

  it('runs one expecting what the profile declares', () => {
    expect(judged(readClaim('minimal-user-schema'), reading('userName', 'emails'))).toBeUndefined();
    expect(judged(readClaim('strict'), reading('password', 'groups'))).toBeUndefined();
  });
});

describe('compat departures the profile turns on', () => {
  const refused = (body: unknown) => scenario([request('PATCH', '/Users/{{id}}', body, { status: 400 })]);

  it('skip a scenario expecting a refusal that a departure turns into an acceptance, naming it', () => {
    expect(judged(readClaim('lenient'), refused(patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'a@example.com' })))).toEqual({
      reason: 'not claimed by profile lenient: a refusal of PATCH /Users/{id}, which compat.createOnFilteredPath (a filtered PATCH path that matches nothing, creating the element) accepts',
      cause: { key: 'claim:compat-on:createOnFilteredPath', summary: 'profile lenient accepts with compat.createOnFilteredPath what RFC 7644 refuses (a filtered PATCH path that matches nothing, creating the element)' },
    });
    expect(judged(readClaim('lenient'), refused(patch({ op: 'replace', path: 'noSuchAttribute', value: 'x' })))?.cause?.key).toBe('claim:compat-on:ignoreUnknownAttributes');
    const unquoted = scenario([request('GET', '/Users?filter=externalId%20eq%20jyoung', undefined, { status: 400 })]);
    expect(judged(readClaim('lenient'), unquoted)?.cause?.key).toBe('claim:compat-on:unquotedFilterValues');
  });

  it('run it when the profile refuses it all the same: strict, a refusal no departure lifts, or one its PATCH rules make first', () => {
    expect(judged(readClaim('strict'), refused(patch({ op: 'replace', path: 'noSuchAttribute', value: 'x' })))).toBeUndefined();
    expect(judged(readClaim('lenient'), refused(patch({ op: 'replace', path: 'id', value: 'x' })))).toBeUndefined();
    // postman-oas refuses any path but active and userName before compat is asked.
    expect(judged(readClaim('postman-oas'), refused(patch({ op: 'replace', path: 'noSuchAttribute', value: 'x' })))).toBeUndefined();
  });

  it('leave a step that expects success to run, whatever the resource it meets', () => {
    const replacing = scenario([request('PATCH', '/Users/{{id}}', patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'a@example.com' }))]);
    expect(judged(readClaim('strict'), replacing)).toBeUndefined();
  });
});

describe('an IdP request only a compat departure the profile leaves off accepts', () => {
  let seq = 0;
  const exchange = (method: string, path: string, status: number, body?: unknown, fault?: string) =>
    idpExchange(method, path, status, body, { seq: ++seq, ...(fault !== undefined && { fault }) });
  const legacy = patch({ op: 'Replace', path: 'active', value: 'False' });

  it('is skipped after the run, naming every departure the request needs', () => {
    const result = unsentable(failedOn(exchange('PATCH', '/Users/42', 400, legacy)), undefined, readClaim('strict'));
    expect(result).toMatchObject({
      status: 'skipped',
      reason:
        'not claimed by profile strict: PATCH /Users/{id} needs compat.caseInsensitiveOps (PATCH ops in any case, as "Replace") and compat.stringBooleans ("True" and "False" for a boolean)',
      cause: { key: 'claim:compat-off:caseInsensitiveOps', summary: 'profile strict refuses what only compat.caseInsensitiveOps accepts (PATCH ops in any case, as "Replace")' },
    });
    const unquoted = exchange('GET', `/Users?filter=${encodeURIComponent('externalId eq jyoung')}`, 400);
    expect(unsentable(failedOn(unquoted), undefined, readClaim('strict')).cause?.key).toBe('claim:compat-off:unquotedFilterValues');
    const adscim = exchange('POST', '/Groups', 400, { schemas: [URN.group, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'], displayName: 'G' });
    expect(unsentable(failedOn(adscim), undefined, readClaim('strict')).cause?.key).toBe('claim:compat-off:ignoreUnknownAttributes');
  });

  it('is skipped when such a request was refused before the answer the failure names', () => {
    const conflict = exchange('POST', '/Users', 409, user());
    expect(unsentable(failedOn(conflict, exchange('PATCH', '/Users/42', 400, legacy)), undefined, readClaim('strict')).status).toBe('skipped');
  });

  it('still fails when the profile takes the request, or the refusal was injected', () => {
    const lenient = failedOn(exchange('PATCH', '/Users/42', 400, legacy));
    expect(unsentable(lenient, undefined, readClaim('lenient'))).toBe(lenient);
    const injected = failedOn(exchange('PATCH', '/Users/42', 400, legacy, 'status: 400'));
    expect(unsentable(injected, undefined, readClaim('strict'))).toBe(injected);
  });
});

describe('the profile a scenario is judged by', () => {
  const filtering = (target?: Scenario['target']) =>
    scenario([request('GET', '/Users?filter=userName%20co%20%22nobody%22', undefined, { status: 200 })], { id: `f-${target ? 'own' : 'run'}`, ...(target && { target }) });

  it('without a target, is the embedded server it runs on: its own target.profile over the run profile', async () => {
    const claim = readClaim('eq-and-filters');
    const result = await runScenarios([filtering(), filtering({ profile: 'strict' })], { idps: IDPS, profile: claim, defaultProfile: claim.option });
    expect(result.scenarios.map((s) => [s.id, s.status, s.reason])).toEqual([
      ['f-run', 'skipped', 'not claimed by profile eq-and-filters: filter operator co on User.userName'],
      ['f-own', 'passed', undefined],
    ]);
  });

  it('with a target, is the run profile: target.profile names only an embedded server', async () => {
    const claim = readClaim('eq-and-filters');
    const server = createReferenceServer({ tokens: ['t'], profile: claim.option });
    const { url } = await server.listen();
    try {
      const result = await runScenarios([filtering(), filtering({ profile: 'strict' })], { idps: IDPS, profile: claim, target: { url, credentials: { kind: 'bearer', token: 't' } } });
      expect(result.scenarios.map((s) => s.status)).toEqual(['skipped', 'skipped']);
    } finally {
      await server.close();
    }
  });
});
