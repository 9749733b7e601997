import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from '../harness/scenario/helpers.js';
import { cli } from './compiled-cli.js';

const folder = tempFolder();

/** A new user's Okta scenario, with the mistakes issue 13 lists: each used to pass validate. */
const MISTAKES = `id: mine.okta.unassign
title: Unassigning grace deactivates her
refs: ["Okta ref §6.1"]
idp: okta
directory:
  users:
    grace: { login: grace@example.com }
steps:
  - assign: grace
  - unasign: grace
  - unassign: gracie
  - expect:
      target: { grace: { active: { equal: false }, emails.length: 1 } }
      outcome: { status: success, message: { contains: Conflict }, mesage: x }
`;

const EXPECTED = [
  "10:5: 'unasign' is not an Okta event: did you mean 'unassign'?",
  `11:15: steps[2].unassign: "gracie" is not a user in directory.users (grace): did you mean 'grace'?`,
  "13:36: unknown matcher 'equal' in steps[3].expect.target.grace.active: did you mean 'equals'? (to compare with a mapping whose member is 'equal', write { equals: { equal: … } })",
  "13:52: 'emails.length' reads a member named length, not how many there are: write emails: { length: 1 }",
  "14:68: unknown key 'mesage' in steps[3].expect.outcome: did you mean 'message'?",
];

/** Counts the requests it gets: a run that refuses its scenarios sends none. */
let target: Server;
let requests = 0;

beforeAll(async () => {
  target = createServer((_request, response) => {
    requests++;
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
});

afterAll(() => new Promise<void>((resolve) => target.close(() => resolve())));

describe('scenario mistakes caught when the files are loaded (compiled CLI)', () => {
  it('validate prints each as file:line:col: message and exits 2', async () => {
    const { dir, write } = await folder();
    await write('unassign.yaml', MISTAKES);
    const { code, stdout, stderr } = await cli(['validate', '.'], dir);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(`${EXPECTED.map((line) => `unassign.yaml:${line}`).join('\n')}\n5 problems in 1 scenario file\n`);
  });

  it('run refuses them with exit 2 before anything is sent', async () => {
    const { dir, write } = await folder();
    await write('unassign.yaml', MISTAKES);
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/scim/v2`;
    const { code, stderr } = await cli(['run', join(dir, 'unassign.yaml'), '--target', url, '--token', 'some-token'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain(`unassign.yaml:${EXPECTED[0]!}`);
    expect(stderr).toContain('5 problem(s) in scenario files: nothing was run.');
    expect(requests).toBe(0);
  });

  it('a corrected file validates', async () => {
    const { dir, write } = await folder();
    const fixed = MISTAKES.replace('  - unasign: grace\n  - unassign: gracie\n', '  - unassign: grace\n')
      .replace('{ equal: false }, emails.length: 1', 'false, emails: { length: 1 }')
      .replace(', mesage: x', '');
    await write('unassign.yaml', fixed);
    expect(await cli(['validate', '.'], dir)).toEqual({ code: 0, stdout: '1 scenario file OK\n', stderr: '' });
  });
});
