import { join, relative } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { formatScenarioList, registerList } from '../../harness/cli/list.js';
import { registerValidate } from '../../harness/cli/validate.js';
import { bundledScenariosDir } from '../../harness/scenario/files.js';
import { defaultScenarioPaths, selectScenarios } from '../../harness/scenario/load.js';
import type { Scenario } from '../../harness/types.js';
import { minimalScenario, tempFolder } from '../harness/scenario/helpers.js';

const folder = tempFolder();

afterEach(() => {
  process.exitCode = undefined;
});

/** Runs `scimulator <args>` in-process with validate and list registered; `width` makes stdout a terminal that wide. */
async function cli(args: string[], width?: number) {
  let out = '';
  let err = '';
  const program = new Command().name('scimulator').exitOverride();
  program.configureOutput({ writeOut: (t) => void (out += t), writeErr: (t) => void (err += t), getOutHelpWidth: () => width as number });
  registerValidate(program);
  registerList(program);
  await program.parseAsync(args, { from: 'user' });
  const code = process.exitCode;
  process.exitCode = undefined;
  return { out, err, code };
}

const TAGGED = (id: string, tags: string, title: string) => minimalScenario(id).replace('title: A title', `title: ${title}\ntags: [${tags}]`);

describe('scimulator validate', () => {
  it('says how many files are fine and exits 0', async () => {
    const { dir, write } = await folder();
    await write('a.yaml', minimalScenario('t.a'));
    await write('sub/b.yml', minimalScenario('t.b'));
    expect(await cli(['validate', dir])).toEqual({ out: '2 scenario files OK\n', err: '', code: 0 });
    expect(await cli(['validate', join(dir, 'a.yaml')])).toEqual({ out: '1 scenario file OK\n', err: '', code: 0 });
  });

  it('prints each mistake as file:line:col: message on stderr and exits 2', async () => {
    const { dir, write } = await folder();
    await write('good.yaml', minimalScenario('t.good'));
    const bad = await write('bad.yaml', minimalScenario('t.bad').replace('title:', 'titel:') + '    expect: { status: "200" }\n');
    const { out, err, code } = await cli(['validate', dir]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      `${bad}:2:1: unknown key 'titel' at the top level: did you mean 'title'?\n` +
        `${bad}:6:23: steps[0].expect.status must be a number or a list of numbers (HTTP statuses, 100 to 599)\n` +
        '2 problems in 1 scenario file\n',
    );
  });

  it('exits 2 for a path that does not exist, and for a folder without scenarios', async () => {
    const { dir } = await folder();
    expect(await cli(['validate', join(dir, 'nope')])).toEqual({ out: '', err: `${join(dir, 'nope')}: no such file or folder\n1 problem in 1 scenario file\n`, code: 2 });
    expect(await cli(['validate', dir])).toEqual({ out: '', err: `no scenario files (*.yaml, *.yml) in ${dir}\n`, code: 2 });
  });

  it('checks the shipped discovery scenarios', async () => {
    const { out, code } = await cli(['validate', join(bundledScenariosDir(), 'rfc7644/discovery')]);
    expect(code).toBe(0);
    expect(out).toMatch(/^\d+ scenario files OK\n$/);
  });

  it('defaults to the shipped library, named relative to the working folder when inside it', () => {
    expect(defaultScenarioPaths()).toEqual([relative(process.cwd(), bundledScenariosDir()) || bundledScenariosDir()]);
  });
});

describe('scimulator list', () => {
  async function library() {
    const { dir, write } = await folder();
    await write('users/create.yaml', TAGGED('rfc7644.users.create', 'users, create', 'Creating a user answers 201'));
    await write('groups/patch.yaml', TAGGED('rfc7644.groups.patch', 'groups', 'Patching a group').replace('refs: ["RFC 7644 §4"]', 'refs: ["RFC 7644 §3.5.2", "RFC 7643 §4.2"]\nrequires: [patch]\ncovers: [groups, patch]'));
    return dir;
  }

  it('prints one tab-separated line per scenario when stdout is not a terminal', async () => {
    const { out, err, code } = await cli(['list', await library()]);
    expect({ err, code }).toEqual({ err: '', code: 0 });
    expect(out).toBe(
      'rfc7644.groups.patch\tnone\tpatch\tgroups,patch\tRFC 7644 §3.5.2, RFC 7643 §4.2\tPatching a group\n' +
        'rfc7644.users.create\tnone\t-\t-\tRFC 7644 §4\tCreating a user answers 201\n',
    );
  });

  it('aligns columns under a header on a terminal, cutting what does not fit', async () => {
    const { out } = await cli(['list', await library()], 200);
    expect(out).toBe(
      'ID                    IDP   REQUIRES  COVERS        REFS                            TITLE\n' +
        'rfc7644.groups.patch  none  patch     groups,patch  RFC 7644 §3.5.2, RFC 7643 §4.2  Patching a group\n' +
        'rfc7644.users.create  none  -         -             RFC 7644 §4                     Creating a user answers 201\n',
    );
    const narrow = (await cli(['list', await library()], 60)).out.split('\n');
    expect(narrow[2]).toBe(`${out.split('\n')[2]!.slice(0, 59)}…`);
  });

  it('selects with --grep and --tag, and prints JSON with --json', async () => {
    const dir = await library();
    expect((await cli(['list', dir, '--grep', 'USER'])).out).toMatch(/^rfc7644\.users\.create\t[^\n]*\n$/);
    expect((await cli(['list', dir, '--grep', 'patching'])).out).toMatch(/^rfc7644\.groups\.patch\t/);
    expect((await cli(['list', dir, '--tag', 'nope', '--tag', 'groups'])).out).toMatch(/^rfc7644\.groups\.patch\t[^\n]*\n$/);
    const json = JSON.parse((await cli(['list', dir, '--json', '--tag', 'create'])).out) as unknown;
    expect(json).toEqual([
      {
        id: 'rfc7644.users.create',
        title: 'Creating a user answers 201',
        idp: 'none',
        requires: [],
        covers: [],
        refs: ['RFC 7644 §4'],
        tags: ['users', 'create'],
        file: join(dir, 'users/create.yaml'),
      },
    ]);
  });

  it('lists the valid scenarios, prints the mistakes of the others, and exits 2', async () => {
    const dir = await library();
    const broken = await (await folder()).write('broken.yaml', 'id: [\n');
    const { out, err, code } = await cli(['list', dir, broken]);
    expect(out.split('\n')).toHaveLength(3);
    expect(err).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:1: YAML syntax: `));
    expect(code).toBe(2);
  });
});

describe('selecting the bundled library by tag', () => {
  it("selects a folder's scenarios by the folder's name, as when the files wrote it (--tag okta, --tag oin…)", async () => {
    const { out } = await cli(['list', '--json']);
    const library = JSON.parse(out) as { id: string; tags: string[]; file: string }[];
    const under = (folder: string) => library.filter((s) => relative(bundledScenariosDir(), s.file).startsWith(`${folder}/`)).map((s) => s.id);
    const tagged = async (tag: string) => (JSON.parse((await cli(['list', '--json', '--tag', tag])).out) as { id: string }[]).map((s) => s.id);
    for (const folder of ['okta', 'okta/oin', 'okta/aiw', 'entra', 'entra/legacy', 'entra/aadoptscim062020', 'rfc7644', 'rfc7644/patch']) {
      const ids = under(folder);
      expect(ids.length, folder).toBeGreaterThan(0);
      expect(await tagged(folder.split('/').at(-1)!), folder).toEqual(expect.arrayContaining(ids));
    }
    expect(await tagged('okta')).toEqual(under('okta'));
    expect(await tagged('oin')).toEqual(under('okta/oin'));
    expect(await tagged('entra')).toEqual(under('entra'));
    // No folder is called strict: --exclude-tag strict leaves out what the files say is strict.
    const strict = library.filter((s) => s.tags.includes('strict')).map((s) => s.id);
    expect(strict.length).toBeGreaterThan(0);
    const rest = (JSON.parse((await cli(['list', '--json', '--exclude-tag', 'strict'])).out) as { id: string }[]).map((s) => s.id);
    expect(rest).toEqual(library.map((s) => s.id).filter((id) => !strict.includes(id)));
  });
});

describe('selectScenarios', () => {
  const scenario = (id: string, title: string, tags: string[]) => ({ id, title, tags }) as Scenario;
  const all = [scenario('a.users', 'Create a User', ['users']), scenario('b.groups', 'Patch a group', ['groups', 'patch']), scenario('c.x', 'Other', [])];

  it('matches id or title ignoring case, and any of the tags', () => {
    expect(selectScenarios(all, {}).map((s) => s.id)).toEqual(['a.users', 'b.groups', 'c.x']);
    expect(selectScenarios(all, { grep: 'GROUPS' }).map((s) => s.id)).toEqual(['b.groups']);
    expect(selectScenarios(all, { grep: 'user' }).map((s) => s.id)).toEqual(['a.users']);
    expect(selectScenarios(all, { tags: ['patch', 'users'] }).map((s) => s.id)).toEqual(['a.users', 'b.groups']);
    expect(selectScenarios(all, { grep: 'a', tags: ['groups'] }).map((s) => s.id)).toEqual(['b.groups']);
    expect(selectScenarios(all, { tags: [] }).map((s) => s.id)).toEqual(['a.users', 'b.groups', 'c.x']);
  });

  it('leaves out scenarios with an excluded tag', () => {
    expect(selectScenarios(all, { excludeTags: ['patch'] }).map((s) => s.id)).toEqual(['a.users', 'c.x']);
    expect(selectScenarios(all, { tags: ['groups', 'users'], excludeTags: ['patch'] }).map((s) => s.id)).toEqual(['a.users']);
  });
});

describe('formatScenarioList', () => {
  it('prints nothing for no scenarios off a terminal, and only the header on one', () => {
    expect(formatScenarioList([])).toBe('');
    expect(formatScenarioList([], 80)).toBe('ID  IDP  REQUIRES  COVERS  REFS  TITLE\n');
  });
});
