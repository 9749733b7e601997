/**
 * `target: { invite: … }` steps: a scenario acts as the team admin of a target that invites existing
 * accounts (Postman ref §4.1, §7), on the embedded server through its own handle, on a separately
 * served one through its admin API with run --admin-token.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { NO_ADMIN_TOKEN_INVITES } from '../../../harness/runner/invites.js';
import { runScenarios, type RunOptions } from '../../../harness/runner/run.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import type { ScenarioResult } from '../../../harness/result.js';
import type { Scenario } from '../../../harness/types.js';
import { createReferenceServer, type ReferenceServer } from '../../../reference-server/app.js';
import { tempFolder } from '../scenario/helpers.js';

const folder = tempFolder();

/** Postman's profile with accounts outside the team, in no verified domain: a POST for one invites it. */
const TEAM_PROFILE = 'extends: postman\nteam:\n  accounts: [{ email: eli@freelance.example }, { email: fay@freelance.example }]\n';

/** The scenarios of these files (name → YAML text), in file order, beside the team profile. */
async function scenariosOf(files: Record<string, string>): Promise<Scenario[]> {
  const { dir, write } = await folder();
  await write('profiles/postman-team.yaml', TEAM_PROFILE);
  for (const [name, text] of Object.entries(files)) await write(join('suite', name), text);
  const { scenarios, errors } = await loadScenarios([join(dir, 'suite')], { idps: IDPS });
  expect(errors.map(String)).toEqual([]);
  return scenarios;
}

const post = (email: string, status: number, save = '') =>
  `  - request:
      method: POST
      path: /Users
      body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: ${email}, name: { givenName: A, familyName: B } }
    expect: { status: ${status} }
${save}`;

const listed = (email: string, body: string) => `  - request: { method: GET, path: /Users, query: { filter: 'userName eq "${email}"' } }\n    expect: { status: 200, body: ${body} }\n`;

const scenario = (id: string, target: string, steps: string) => `id: ${id}\ntitle: t\nrefs: ["Postman ref §4.1", "Postman ref §7"]\n${target}steps:\n${steps}`;

const ON_TEAM = 'target: { profile: ../profiles/postman-team.yaml }\n';

/** An existing account is invited, unlisted until it accepts; accepted, it is an active member with the invite's id. */
const ACCEPTED = scenario(
  't.accepted',
  ON_TEAM,
  post('eli@freelance.example', 201, '    save: { eliId: id }\n') +
    listed('eli@freelance.example', '{ totalResults: 0 }') +
    '  - target: { invite: { accept: eli@freelance.example } }\n' +
    listed('eli@freelance.example', '{ totalResults: 1, "Resources[0].id": "{{eliId}}", "Resources[0].active": true }'),
);

/** A pending invite refuses the next POST until the admin deletes it; then a POST invites again. */
const DELETED = scenario(
  't.deleted',
  ON_TEAM,
  post('fay@freelance.example', 201, '    save: { fayId: id }\n') +
    post('fay@freelance.example', 409) +
    '  - target: { invite: { delete: "{{fayId}}" } }\n' +
    post('fay@freelance.example', 201) +
    listed('fay@freelance.example', '{ totalResults: 0 }'),
);

/** Accepting an invite nobody sent. */
const NOTHING_PENDING = scenario('t.nothing-pending', ON_TEAM, '  - target: { invite: { accept: nobody@example.com } }\n' + listed('nobody@example.com', '{ totalResults: 0 }'));

const byId = (results: ScenarioResult[], id: string) => results.find((s) => s.id === id)!;
const origin = (url: string) => new URL(url).origin;

// What the scenarios created stays: the postman profile has no DELETE /Users for the cleanup.
const KEEP = { idps: IDPS, keep: true };

describe('against the embedded target', () => {
  it('accepts and deletes invites through the server of the scenario profile, shared: no server of its own', async () => {
    const result = await runScenarios(await scenariosOf({ 'a.yaml': ACCEPTED, 'b.yaml': DELETED }), KEEP);
    expect(result.scenarios.map((s) => [s.id, s.status, s.reason])).toEqual([
      ['t.accepted', 'passed', undefined],
      ['t.deleted', 'passed', undefined],
    ]);
    const accepted = byId(result.scenarios, 't.accepted');
    expect(accepted.steps.map((s) => s.name)).toContain('target: accept invite eli@freelance.example');
    expect(byId(result.scenarios, 't.deleted').steps[2]!.name).toBe('target: delete invite {{fayId}}');
    // Both on one server of the profile; an invite step asks for no server of its own.
    const origins = result.scenarios.map((s) => origin(s.exchanges[0]!.request.url));
    expect(origins[0]).toBe(origins[1]);
    expect(origins[0]).not.toBe(origin(result.target.url));
  });

  it("fails an invite step with the server's words when no such invite is pending", async () => {
    const [result] = (await runScenarios(await scenariosOf({ 'a.yaml': NOTHING_PENDING }), KEEP)).scenarios;
    expect(result!.status).toBe('failed');
    expect(result!.steps[0]!.status).toBe('failed');
    expect(result!.steps[0]!.checks).toEqual([
      { what: 'invite accept', passed: false, message: 'the target did not accept the invite for nobody@example.com: it answered 404: No invite is pending for "nobody@example.com": GET /_scimulator/invites lists them' },
    ]);
    // A failed step, not one that could not run: the next step still runs.
    expect(result!.steps[1]!.status).toBe('passed');
  });

  it('fails an invite step when the profile has no team accounts: nothing is ever invited', async () => {
    const [result] = (await runScenarios(await scenariosOf({ 'a.yaml': scenario('t.no-team', 'target: { profile: postman }\n', '  - target: { invite: { delete: eli@freelance.example } }\n') }), KEEP)).scenarios;
    expect(result!.status).toBe('failed');
    expect(result!.steps[0]!.checks[0]!.message).toBe('the target has no invites to delete: its profile has no team accounts (docs/profiles.md, team), so no POST /Users invites one');
  });

  it('fails the story when the accept is left out: the invitee stays unlisted', async () => {
    // The mutation: without the admin's accept, the story cannot pass.
    const without = ACCEPTED.replace('  - target: { invite: { accept: eli@freelance.example } }\n', '');
    const [result] = (await runScenarios(await scenariosOf({ 'a.yaml': without }), KEEP)).scenarios;
    expect(result!.status).toBe('failed');
  });
});

describe('against a separately served reference server', () => {
  let server: ReferenceServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const ADMIN = 'admin-token-0123456789';
  const served = async (adminToken?: string): Promise<NonNullable<RunOptions['target']>> => {
    server = createReferenceServer({
      tokens: ['scim-token-0123456789'],
      profile: { extends: 'postman', team: { accounts: [{ email: 'eli@freelance.example' }, { email: 'fay@freelance.example' }] } },
      ...(adminToken !== undefined && { adminToken }),
    });
    const { url } = await server.listen();
    return { url, credentials: { kind: 'bearer', token: 'scim-token-0123456789' } };
  };

  it('accepts and deletes invites through the admin API, never recording the admin token', async () => {
    const target = await served(ADMIN);
    const result = await runScenarios(await scenariosOf({ 'a.yaml': ACCEPTED, 'b.yaml': DELETED, 'c.yaml': NOTHING_PENDING }), { ...KEEP, target, adminToken: ADMIN });
    expect(result.scenarios.map((s) => [s.id, s.status])).toEqual([
      ['t.accepted', 'passed'],
      ['t.deleted', 'passed'],
      ['t.nothing-pending', 'failed'],
    ]);
    expect(byId(result.scenarios, 't.nothing-pending').steps[0]!.checks[0]!.message).toBe(
      'the target did not accept the invite for nobody@example.com: it answered 404: No invite is pending for "nobody@example.com": GET /_scimulator/invites lists them',
    );
    // Eli joined; Fay's second invite is pending.
    expect(server!.invites.list().map((invite) => invite.userName)).toEqual(['fay@freelance.example']);
    expect(JSON.stringify(result)).not.toContain(ADMIN);
  });

  it('skips the scenarios that act as the team admin without an admin token, saying how to run them', async () => {
    const result = await runScenarios(await scenariosOf({ 'a.yaml': ACCEPTED, 'b.yaml': DELETED }), { ...KEEP, target: await served(ADMIN) });
    expect(result.scenarios.map((s) => [s.id, s.status, s.reason])).toEqual([
      ['t.accepted', 'skipped', NO_ADMIN_TOKEN_INVITES],
      ['t.deleted', 'skipped', NO_ADMIN_TOKEN_INVITES],
    ]);
    expect(NO_ADMIN_TOKEN_INVITES).toBe('acts as the team admin: run against the embedded target, or give --admin-token for a scimulator serve --admin-token target');
    expect(result.causes).toEqual([{ key: 'acts-as-admin', summary: NO_ADMIN_TOKEN_INVITES, effect: 'skipped', scenarios: ['t.accepted', 't.deleted'] }]);
    expect(server!.invites.list()).toEqual([]);
  });

  it('cannot run the step when the admin API refuses the token or is not there, and says which', async () => {
    const scenarios = await scenariosOf({ 'a.yaml': ACCEPTED });
    const wrong = await runScenarios(scenarios, { ...KEEP, target: await served(ADMIN), adminToken: 'not-the-admin-token' });
    expect(wrong.scenarios[0]!.status).toBe('error');
    expect(wrong.scenarios[0]!.reason).toMatch(
      /^could not accept the invite for eli@freelance\.example: POST http:\/\/127\.0\.0\.1:\d+\/_scimulator\/invites\/eli%40freelance\.example\/accept answered 401: the target refused the admin token/,
    );
    await server!.close();
    const none = await runScenarios(scenarios, { ...KEEP, target: await served(), adminToken: ADMIN });
    expect(none.scenarios[0]!.reason).toMatch(/answered 401: the target has no invite admin API: start it with scimulator serve --admin-token TOKEN/);
  });
});
