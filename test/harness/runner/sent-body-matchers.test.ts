import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { loadScenarioFile } from '../../../harness/scenario/load.js';

/*
 * Matchers inside an `expect.sent` body, run end to end against the embedded server: Okta's POST
 * of a new user (Okta ref §4.2) checked with contains, absent, type and matches at depth.
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-sent-body-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An Okta assignment whose POST body is checked with `body` (YAML, indented under `body:`). */
const scenarioText = (id: string, body: string) => `id: ${id}
title: t
refs: ["Okta ref §4.2"]
idp: okta
settings: { variant: oin }
directory:
  users:
    ada: { login: "ada-{{unique.ada}}@example.com", firstName: Ada, lastName: Lovelace }
steps:
  - assign: ada
  - expect:
      sent:
        - { method: GET }
        - method: POST
          body:
${body}
`;

async function run(id: string, body: string) {
  const file = join(dir, `${id}.yaml`);
  await writeFile(file, scenarioText(id, body));
  const scenario = await loadScenarioFile(file, { idps: IDPS });
  return (await runScenarios([scenario], { idps: IDPS })).scenarios[0]!;
}

describe('matchers in an expect.sent body', () => {
  it('pass when every matcher at every depth holds', async () => {
    const result = await run(
      't.sent-body-passes',
      [
        '            userName: { matches: "^ada-.*@example\\\\.com$" }',
        '            name: { givenName: Ada, familyName: { contains: Love } }',
        '            emails: [{ value: { contains: "@example.com" }, type: work, primary: { type: boolean } }]',
        '            schemas: { contains: "urn:ietf:params:scim:schemas:core:2.0:User" }',
        '            nickName: { absent: true }',
        '            groups: []',
      ].join('\n'),
    );
    expect(result.status, result.reason).toBe('passed');
  });

  it('fail with the place in the body, the expectation and what was sent', async () => {
    const result = await run('t.sent-body-fails', ['            name: { familyName: { contains: Babbage } }', '            locale: { absent: true }', '            emails: [{ type: home, primary: true }]'].join('\n'));
    expect(result.status).toBe('failed');
    const failed = result.steps.flatMap((step) => step.checks).filter((check) => !check.passed);
    expect(failed.map((check) => check.what)).toEqual(['sent[1]']);
    expect(failed[0]!.message).toBe(
      'expected body.name.familyName to contain "Babbage", got "Lovelace"; expected body.locale to be absent, got "en-US"; expected body.emails[0].type to equal "home", got "work"',
    );
  });
});
