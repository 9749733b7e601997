import { spawn } from 'node:child_process';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { minimalScenario, tempFolder } from '../harness/scenario/helpers.js';
import { CLI, cli, type CliOutcome } from './compiled-cli.js';

/**
 * A new user's mistakes, walked through the compiled CLI as they would make them: each exits 2 (a
 * usage mistake, README's exit-code table) with a message that says what went wrong and what to do,
 * and never a stack trace.
 */

const folder = tempFolder();

async function inFolder(args: string[]): Promise<CliOutcome> {
  return cli(args, (await folder()).dir);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function expectMistake(outcome: CliOutcome, message: string | RegExp): void {
  expect(outcome.stderr).toMatch(typeof message === 'string' ? new RegExp(escape(message)) : message);
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
  expect(outcome.code).toBe(2);
}

describe('mistakes on the command line exit 2, commander’s own included', () => {
  it.each([
    [['run', '--bogus'], "error: unknown option '--bogus'\n(run 'scimulator run --help' for the options)\n"],
    [['run', '--target'], "error: option '--target <url>' argument missing\n(run 'scimulator run --help' for the options)\n"],
    [['rnu'], "error: unknown command 'rnu'\n(Did you mean run?)\n(run 'scimulator --help' for the commands)\n"],
    [['report'], "error: missing required argument 'results'\n(run 'scimulator report --help' for the options)\n"],
    [['validate', '--bogus'], "error: unknown option '--bogus'\n(run 'scimulator validate --help' for the options)\n"],
    [['list', '--grep'], "error: option '--grep <text>' argument missing\n(run 'scimulator list --help' for the options)\n"],
    [['serve', '--lenent'], "error: unknown option '--lenent'\n(Did you mean --lenient?)\n(run 'scimulator serve --help' for the options)\n"],
    [['serve', 'seed.yaml'], "error: too many arguments for 'serve'. Expected 0 arguments but got 1.\n(run 'scimulator serve --help' for the options)\n"],
  ])('scimulator %j', async (args, stderr) => {
    expect(await inFolder(args)).toEqual({ code: 2, stdout: '', stderr });
  });

  it('no command, or help for an unknown one, prints the help on stderr and exits 2', async () => {
    for (const args of [[], ['help', 'rnu']]) {
      const { code, stdout, stderr } = await inFolder(args);
      expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
      expect(stderr).toMatch(/^Usage: scimulator \[options\] \[command\]\n[\s\S]*\nExit codes /);
    }
  });

  it('--help and --version exit 0, and every help lists its exit codes', async () => {
    expect(await inFolder(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/), stderr: '' });
    for (const args of [['--help'], ['help', 'run'], ...['run', 'serve', 'validate', 'list', 'report'].map((command) => [command, '--help'])]) {
      const { code, stdout, stderr } = await inFolder(args);
      expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: '' });
      expect(stdout).toMatch(/\nExit codes[ :(][\s\S]*\b2\b/);
    }
  });
});

describe('run: mistakes in its values exit 2 before anything is sent', () => {
  it.each([
    [['--reporter', 'console,bogus'], 'Unknown reporter "bogus": choose from console, json, html, junit, markdown\n'],
    [['--shard', '3/2'], /--shard 3\/2: K must be between 1 and 2/],
    [['--concurrency', '0'], '--concurrency must be a whole number of 1 or more, got "0"\n'],
    [['--target', 'localhost:3000/scim/v2'], '--target must be an http or https URL, got "localhost:3000/scim/v2": did you mean http://localhost:3000/scim/v2?\n'],
    [['--token', 'T'], 'Credentials need a --target'],
    [['--grep', 'no-such-scenario'], 'No scenario matches the selection: `scimulator list` shows the ids and tags\n'],
  ])('run %j', async (args, message) => {
    const outcome = await inFolder(['run', ...args]);
    expectMistake(outcome, message);
    expect(outcome.stdout).toBe('');
  });

  it('a scenario file with a YAML error is named with file:line:col, and nothing runs', async () => {
    const { dir, write } = await folder();
    await write('good.yaml', minimalScenario('t.good'));
    const broken = await write('broken.yaml', `${minimalScenario('t.broken')}  - request: { method: GET, path: /Users\n`);
    for (const command of ['run', 'validate']) {
      const outcome = await cli([command, dir], dir);
      expectMistake(outcome, new RegExp(`^${escape(broken)}:\\d+:\\d+: YAML syntax: `));
      expect(outcome.stdout).toBe('');
    }
  });

  it('an --out that is a file is told in one line after the run', async () => {
    const { dir, write } = await folder();
    const scenario = await write('spc.yaml', minimalScenario('t.spc'));
    const taken = await write('taken', 'a file, not a folder\n');
    const outcome = await cli(['run', scenario, '--reporter', 'json', '--out', taken], dir);
    expectMistake(outcome, `Cannot write the reports to ${taken} (a file or folder of that name is in the way): give --out a folder you can write to\n`);
  });
});

describe('report: what is not a result exits 2', () => {
  it('names the file and the result it wants', async () => {
    const { dir, write } = await folder();
    const notResult = await write('junit.json', JSON.stringify({ testsuites: [] }));
    const notJson = await write('junit.xml', '<testsuites/>\n');
    expectMistake(await cli(['report', notResult], dir), `${notResult}: not a scimulator run result; give the result.json that \`scimulator run --reporter json\` writes\n`);
    expectMistake(await cli(['report', notJson], dir), new RegExp(`^${escape(notJson)}: not JSON \\([\\s\\S]*\\); give the result.json`));
    expectMistake(await cli(['report', 'missing.json'], dir), 'missing.json: cannot read the file (ENOENT)\n');
  });
});

describe('serve: mistakes exit 2, and strict refusals name --lenient', () => {
  it.each([
    [['--port', '99999'], 'error: --port must be a number from 0 to 65535, got "99999": pass --port 0 for a free port\n'],
    [['--variation', 'nope'], /^error: --variation "nope" is not a variation: use all or one of patch-204, /],
    [['--seed', 'missing.yaml'], 'error: cannot read the seed file "missing.yaml": there is no such file; check the --seed path\n'],
  ])('serve %j', async (args, message) => {
    const outcome = await inFolder(['serve', '--port', '0', ...args]);
    expectMistake(outcome, message);
    expect(outcome.stdout).toBe('');
  });

  it('a seed attribute no schema defines names --lenient, not an internal option', async () => {
    const { dir, write } = await folder();
    const seed = await write('seed.yaml', 'users:\n  - userName: ada@example.com\n    favouriteColour: teal\n');
    expectMistake(
      await cli(['serve', '--port', '0', '--seed', seed], dir),
      `${seed}:2:5: users[0]: Attribute 'favouriteColour' is not defined by the resource's schemas (a lenient server drops unknown attributes: scimulator serve --lenient)\n`,
    );
  });

  it("a strict server's refusal of Entra's capitalised op names --lenient", async () => {
    const { dir } = await folder();
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--token', 'T'], { cwd: dir });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (\S+)\n/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const headers = { authorization: 'Bearer T', 'content-type': 'application/scim+json' };
      const created = await request(`${url}/Users`, { method: 'POST', headers, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada' }) });
      const { id } = (await created.body.json()) as { id: string };
      const patched = await request(`${url}/Users/${id}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: false }] }),
      });
      expect(patched.statusCode).toBe(400);
      expect(await patched.body.json()).toMatchObject({
        scimType: 'invalidSyntax',
        detail:
          'Operation 1: op "Replace" is not one of add, remove, replace: RFC 7644 §3.5.2 ops are lowercase ' +
          "(a lenient server accepts Entra's capitalised ops: scimulator serve --lenient)",
      });
    } finally {
      child.kill('SIGTERM');
    }
  });
});
