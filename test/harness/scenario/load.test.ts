import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findScenarioFiles,
  loadScenarioFile,
  loadScenarios,
  ScenarioFileError,
  ScenarioLoadError,
  ScenarioPathError,
} from '../../../harness/scenario/load.js';
import { bundledScenariosDir, derivedId } from '../../../harness/scenario/files.js';
import { semanticProblems } from '../../../harness/scenario/semantics.js';
import { loadErrors, minimalScenario, tempFolder } from './helpers.js';
import { IDPS } from '../../../harness/idp/registry.js';

const folder = tempFolder();

const errorsOf = (text: string, name?: string) => loadErrors(folder, text, name);

const USER_CREATE = `# yaml-language-server: $schema=../scenario.schema.json
id: rfc7644.users.create-201
title: Creating a user answers 201
refs: ["RFC 7644 §3.3"]
steps:
  - name: create the user
    request:
      method: POST
      path: /Users
      headers: { Content-Length: 10, X-Flag: true }
      body:
        userName: "{{unique.user}}@example.com"
    expect:
      status: [200, 201]
      schema: User
      headers:
        location: { matches: "/Users/[^/]+$" }
        etag: W/"1"
      body:
        id: { type: string }
        name: { familyName: Lovelace }
        emails[0]: { type: work, value: ada@example.com }
        meta.resourceType: User
        password: { absent: true }
    save:
      userId: id
      version: { header: etag }
      code: { status: true }
  - request: { method: GET, path: "/Users/{{userId}}", auth: none }
    expect: { status: 401 }
`;

describe('loading a valid scenario', () => {
  it('fills in defaults, expands matcher shorthands and keeps where each step was written', async () => {
    const { write } = await folder();
    const file = await write('create.yaml', USER_CREATE);
    const scenario = await loadScenarioFile(file, { idps: IDPS });
    expect(scenario).toEqual({
      id: 'rfc7644.users.create-201',
      title: 'Creating a user answers 201',
      refs: ['RFC 7644 §3.3'],
      tags: [],
      requires: [],
      covers: [],
      idp: 'none',
      settings: {},
      steps: [
        {
          kind: 'request',
          name: 'create the user',
          request: {
            method: 'POST',
            path: '/Users',
            headers: { 'Content-Length': '10', 'X-Flag': 'true' },
            body: { userName: '{{unique.user}}@example.com' },
          },
          expect: {
            status: [200, 201],
            schema: 'User',
            headers: { location: { matches: '/Users/[^/]+$' }, etag: { equals: 'W/"1"' } },
            body: {
              id: { type: 'string' },
              name: { equals: { familyName: 'Lovelace' } },
              // A mapping with a key that is not a matcher key is a value, even with `type` in it.
              'emails[0]': { equals: { type: 'work', value: 'ada@example.com' } },
              'meta.resourceType': { equals: 'User' },
              password: { absent: true },
            },
          },
          save: { userId: 'id', version: { header: 'etag' }, code: { status: true } },
          source: { file, line: 6, column: 5 },
        },
        {
          kind: 'request',
          request: { method: 'GET', path: '/Users/{{userId}}', auth: 'none' },
          expect: { status: 401 },
          source: { file, line: 29, column: 5 },
        },
      ],
      source: { file, line: 2, column: 1 },
    });
  });

  it('tells IdP event steps, expect steps and request steps apart in an IdP scenario', async () => {
    const { write } = await folder();
    const file = await write(
      'okta.yaml',
      `id: okta.oin.deactivate-on-unassign
title: Unassigning a user deactivates it
idp: okta
settings: { variant: oin }
covers: [deactivateUsers]
tags: [okta, lifecycle]
refs: ["Okta ref §6.1"]
directory:
  users:
    ada: { login: "{{unique.ada}}@example.com" }
steps:
  - assign: ada
  - advance: 40m
  - expect:
      sent: ['GET /Users?filter=userName eq "ada@example.com"', { method: POST, path: /Users }]
      target: { ada: { active: true, name.familyName: { ignoreCase: true, equals: lovelace } } }
      outcome: success
  - request: { method: GET, path: /Users }
  - password: { user: ada, value: N3w! }
`,
    );
    const scenario = await loadScenarioFile(file, { idps: IDPS });
    expect(scenario).toMatchObject({ idp: 'okta', settings: { variant: 'oin' }, requires: [], covers: ['deactivateUsers'], tags: ['okta', 'lifecycle'] });
    expect(scenario.directory).toEqual({ users: { ada: { login: '{{unique.ada}}@example.com' } } });
    expect(scenario.steps).toEqual([
      { kind: 'idp', action: 'assign', args: 'ada', source: { file, line: 12, column: 5 } },
      { kind: 'idp', action: 'advance', args: '40m', source: { file, line: 13, column: 5 } },
      {
        kind: 'expect',
        sent: ['GET /Users?filter=userName eq "ada@example.com"', { method: 'POST', path: '/Users' }],
        target: { ada: { active: { equals: true }, 'name.familyName': { ignoreCase: true, equals: 'lovelace' } } },
        outcome: 'success',
        source: { file, line: 14, column: 5 },
      },
      { kind: 'request', request: { method: 'GET', path: '/Users' }, source: { file, line: 18, column: 5 } },
      { kind: 'idp', action: 'password', args: { user: 'ada', value: 'N3w!' }, source: { file, line: 19, column: 5 } },
    ]);
  });

  it('accepts the built-in template names, spaces inside braces, and a value saved by an earlier step', async () => {
    expect(
      await errorsOf(`id: t.templates
title: t
refs: [r]
steps:
  - request: { method: POST, path: /Users, body: { userName: "{{ unique.a }}", externalId: "{{uuid}}", x: "{{baseUrl}}" } }
    save: { userId: id }
  - request: { method: GET, path: "/Users/{{ userId }}" }
`),
    ).toEqual([]);
  });
});

describe('finding scenario files', () => {
  it('searches folders recursively for .yaml and .yml, sorted, each file once', async () => {
    const { dir, write } = await folder();
    await write('b.yaml', '');
    await write('a/z.yml', '');
    await write('a/notes.md', '');
    await write('.hidden/x.yaml', '');
    await write('node_modules/y.yaml', '');
    const files = await findScenarioFiles([join(dir, 'b.yaml'), dir, join(dir, 'a')]);
    expect(files).toEqual([join(dir, 'a/z.yml'), join(dir, 'b.yaml')]);
  });

  it('takes a file named on the command line whatever its extension', async () => {
    const { write } = await folder();
    const file = await write('scenario.txt', '');
    expect(await findScenarioFiles([file])).toEqual([file]);
  });

  it('says which path does not exist', async () => {
    const { dir } = await folder();
    const missing = join(dir, 'nope');
    await expect(findScenarioFiles([dir, missing])).rejects.toThrow(new ScenarioPathError(missing));
    await expect(findScenarioFiles([missing])).rejects.toThrow(`no such file or folder: ${missing}`);
  });

  it('reports a missing path among the errors of loadScenarios, and loads the rest', async () => {
    const { dir, write } = await folder();
    await write('ok.yaml', minimalScenario('t.ok'));
    const { scenarios, errors } = await loadScenarios([dir, join(dir, 'nope.yaml')], { idps: IDPS });
    expect(scenarios.map((s) => s.id)).toEqual(['t.ok']);
    expect(errors.map(String)).toEqual([`${join(dir, 'nope.yaml')}: no such file or folder`]);
  });
});

describe('YAML syntax errors', () => {
  it('gives the line and column of a duplicate key', async () => {
    expect(await errorsOf('id: a\ntitle: t\nid: b\n')).toEqual(["bad.yaml:3:1: key 'id' appears twice in this mapping"]);
  });

  it('gives the line and column of an unclosed flow sequence', async () => {
    expect(await errorsOf('refs: [a, b\nid: x\n')).toEqual([
      'bad.yaml:2:1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('points at an alias with no anchor', async () => {
    expect(await errorsOf('id: x\ntitle: *nope\n')).toEqual(['bad.yaml:2:8: unknown alias *nope: no anchor &nope before it']);
  });

  it('asks for one scenario per file', async () => {
    expect(await errorsOf(`${minimalScenario('t.a')}---\n${minimalScenario('t.b')}`)).toEqual([
      'bad.yaml:6:1: the file holds more than one YAML document (---): write one scenario per file',
    ]);
  });

  it('says an empty file and a file that is not a mapping are not scenarios', async () => {
    expect(await errorsOf('# only a comment\n')).toEqual(['bad.yaml:1:1: the file is empty: a scenario needs title, refs and steps']);
    expect(await errorsOf('- id: x\n')).toEqual(['bad.yaml:1:1: a scenario file must be a mapping (id: …, title: …, refs: […], steps: […])']);
  });
});

describe('JSON Schema violations, in words and in place', () => {
  it('suggests the key a misspelt one was meant to be, without also saying that key is missing', async () => {
    expect(await errorsOf(minimalScenario('t.x').replace('title:', 'titel:'))).toEqual([
      "bad.yaml:2:1: unknown key 'titel' at the top level: did you mean 'title'?",
    ]);
    expect(
      await errorsOf(`id: t.x
title: t
refs: [r]
steps:
  - request: { method: GET, path: /Users }
    expect:
      stauts: 200
`),
    ).toEqual(["bad.yaml:7:7: unknown key 'stauts' in steps[0].expect: did you mean 'status'?"]);
  });

  it('lists the known keys when no key is close', async () => {
    expect(await errorsOf(`${minimalScenario('t.x')}    expect: { body2: {} }\n`)).toEqual([
      "bad.yaml:6:15: unknown key 'body2' in steps[0].expect: did you mean 'body'?",
    ]);
    expect(await errorsOf(`${minimalScenario('t.x')}    expect: { zzz: 1 }\n`)).toEqual([
      "bad.yaml:6:15: unknown key 'zzz' in steps[0].expect (known keys: status, headers, body, schema)",
    ]);
  });

  it('says what status must be', async () => {
    expect(await errorsOf(`${minimalScenario('t.x')}    expect: { status: "200" }\n`)).toEqual([
      'bad.yaml:6:23: steps[0].expect.status must be a number or a list of numbers (HTTP statuses, 100 to 599)',
    ]);
    expect(await errorsOf(`${minimalScenario('t.x')}    expect: { status: [200, 2000] }\n`)).toEqual([
      'bad.yaml:6:23: steps[0].expect.status must be a number or a list of numbers (HTTP statuses, 100 to 599)',
    ]);
    // `status:` with nothing after it points at the key.
    expect(await errorsOf(`${minimalScenario('t.x')}    expect:\n      status:\n`)).toEqual([
      'bad.yaml:7:7: steps[0].expect.status must be a number or a list of numbers (HTTP statuses, 100 to 599)',
    ]);
  });

  it('names missing keys, wrong types, bad enums and bad ids', async () => {
    expect(
      await errorsOf(`id: Not_An_Id
idp: otka
refs: []
tags: tag
steps:
  - request: { path: /Users }
    expect: { schema: user }
`),
    ).toEqual([
      "bad.yaml:1:1: a scenario needs 'title'",
      "bad.yaml:1:5: id must be lowercase words, digits and '-', separated by dots (like rfc7644.users.create-201)",
      "bad.yaml:2:6: idp must be one of none, okta, entra: did you mean 'okta'?",
      'bad.yaml:3:7: refs must not be empty',
      'bad.yaml:4:7: tags must be a list',
      "bad.yaml:6:14: steps[0].request needs 'method'",
      "bad.yaml:7:23: steps[0].expect.schema must be one of User, Group, ListResponse, Error, ServiceProviderConfig, ResourceType, Schema, BulkResponse: did you mean 'User'?",
    ]);
  });

  it('explains save sources, save names, auth, paths and a matcher type', async () => {
    expect(
      await errorsOf(`id: t.x
title: t
refs: [r]
steps:
  - request: { method: GET, path: Users, auth: bearer }
    expect:
      body:
        emails[0]: { type: work }
    save:
      uuid: id
      etag: { header: 5 }
`),
    ).toEqual([
      "bad.yaml:5:35: steps[0].request.path must start with '/' (it is relative to the target's base URL, like /Users), or be a saved value alone, like {{location}}",
      'bad.yaml:5:48: steps[0].request.auth must be default, none or { bearer: some-token }',
      'bad.yaml:8:28: steps[0].expect.body["emails[0]"].type must be one of string, number, integer, boolean, object, array, null (to compare with a mapping that has a `type` member, write { equals: { type: … } })',
      "bad.yaml:10:7: steps[0].save: 'uuid' is not a name to save under: use letters, digits and _ (but not uuid, baseUrl or unique)",
      'bad.yaml:11:13: steps[0].save.etag must be a body path (like id), { header: name } or { status: true }',
    ]);
  });

  it('says what an IdP step must look like', async () => {
    expect(
      await errorsOf(`id: t.x
title: t
refs: [r]
idp: entra
steps:
  - assign: ada
    unassign: bob
  - save: { a: id }
  - expect: { status: 200 }
  - GET /Users
`),
    ).toEqual([
      'bad.yaml:6:5: steps[0] must be one IdP event, `event: argument` (like assign: ada or advance: 40m)',
      'bad.yaml:8:5: steps[1] must be one IdP event, `event: argument` (like assign: ada or advance: 40m)',
      "bad.yaml:9:15: unknown key 'status' in steps[2].expect (known keys: sent, target, outcome)",
      'bad.yaml:10:5: steps[3] must be a step: a mapping with `request`, a `target`, an `expect` (IdP scenarios), or one IdP event like `assign: ada`',
    ]);
  });
});

describe('semantic errors', () => {
  it('rejects IdP steps, expect-only steps and IdP settings in an idp: none scenario', async () => {
    expect(
      await errorsOf(`id: t.x
title: t
refs: [r]
settings: { variant: oin }
steps:
  - assign: ada
  - expect: { status: 200 }
  - name: forgot the request
    expect: { status: 200 }
  - reqest: { method: GET, path: /Users }
`),
    ).toEqual([
      'bad.yaml:4:1: settings is for IdP scenarios (idp: okta or entra); this one has idp: none',
      "bad.yaml:6:5: 'assign' is an IdP event step, but this scenario has idp: none (set idp: okta or entra, or write a request step)",
      "bad.yaml:7:5: steps[1] has expect but no request: in an idp: none scenario every step sends a request (an expect-only step checks an IdP's traffic: idp: okta or entra)",
      "bad.yaml:8:5: steps[2] needs 'request': in an idp: none scenario every step sends a request",
      "bad.yaml:10:5: unknown key 'reqest' in steps[3]: did you mean 'request'?",
    ]);
  });

  it("checks an IdP scenario's settings by its knobs, and with the simulator's own reading, at load time", async () => {
    const scenario = (idp: string, settings: string) => `id: t.x\ntitle: t\nrefs: [r]\nidp: ${idp}\nsettings: ${settings}\nsteps:\n  - advance: 1m\n`;
    expect(await errorsOf(scenario('entra', '{ escrowThresholds: { minimum: 1, proportion: 0.4, total: 0, absolute: 1 } }'))).toEqual([
      'bad.yaml:5:69: settings.escrowThresholds.total must be a positive integer, got 0',
    ]);
    expect(await errorsOf(scenario('okta', '{ retryWaits: triple, varient: oin }'))).toEqual([
      'bad.yaml:5:25: settings.retryWaits must be one of double, retry-after, got "triple"',
      "bad.yaml:5:33: unknown key 'varient' in settings: did you mean 'variant'?",
    ]);
    // What one knob cannot say alone: the simulator's reading says it, for the settings as a whole.
    expect(await errorsOf(scenario('entra', '{ flags: [aadOptscim062020, AzureAdScimPatch2017] }'))).toEqual([
      'bad.yaml:5:11: settings.flags: AzureAdScimPatch2017 downgrades to the legacy dialect; it cannot be combined with aadOptscim062020 (Entra ref §8)',
    ]);
    expect(await errorsOf(scenario('entra', '{ scope: all, quoteFilterValues: false }'))).toEqual([]);
  });

  it('catches a misspelt request in an IdP scenario, which would otherwise pass for an event', async () => {
    expect(await errorsOf(`id: t.x\ntitle: t\nrefs: [r]\nidp: okta\nsteps:\n  - requst: { method: GET, path: /Users }\n  - expcet: { sent: [] }\n`)).toEqual([
      "bad.yaml:6:5: unknown key 'requst' in steps[0]: did you mean 'request'?",
      "bad.yaml:7:5: 'expcet' is not an Okta event: did you mean 'expect'?",
    ]);
  });

  it('points at {{name}} used before a step saves it, never saved, misspelt or malformed', async () => {
    expect(
      await errorsOf(`id: t.x
title: t
refs: [r]
steps:
  - request: { method: POST, path: "/Users/{{later}}" }
    save: { userId: id }
  - request:
      method: PATCH
      path: /Users/{{userid}}
      body: { Operations: [{ op: replace, value: { displayName: "x {{nope}} {{unique}} {{a-b}}" } }] }
    save: { later: id }
`),
    ).toEqual([
      'bad.yaml:5:44: {{later}} is used before it is saved: steps[1] saves it',
      'bad.yaml:9:20: {{userid}} is not saved by any earlier step: did you mean {{userId}}?',
      'bad.yaml:10:68: {{nope}} is not saved by any earlier step',
      "bad.yaml:10:77: '{{unique}}' is not a template: write {{name}} (a value an earlier step saved), {{unique.label}}, {{uuid}} or {{baseUrl}}",
      "bad.yaml:10:88: '{{a-b}}' is not a template: write {{name}} (a value an earlier step saved), {{unique.label}}, {{uuid}} or {{baseUrl}}",
    ]);
  });

  it('compiles every matches, and refuses body with rawBody', async () => {
    expect(
      await errorsOf(`id: t.x
title: t
refs: [r]
steps:
  - request: { method: POST, path: /Users, body: {}, rawBody: "{" }
    expect:
      headers: { location: { matches: "(" } }
`),
    ).toEqual([
      'bad.yaml:5:54: steps[0].request has both body and rawBody: give one of them',
      'bad.yaml:7:39: steps[0].expect.headers.location.matches is not a valid regular expression: /(/: Unterminated group',
    ]);
  });

  it('parses body paths in expect and save', async () => {
    expect(await errorsOf(`${minimalScenario('t.x')}    expect: { body: { "name..x": 1 } }\n    save: { a: "Resources[x]" }\n`)).toEqual([
      'bad.yaml:6:23: body path "name..x" is malformed at character 6: expected an attribute name',
      'bad.yaml:7:16: body path "Resources[x]" is malformed at character 10: expected [index] or ["name"]',
    ]);
  });

  it('reports an id used by two files in both, each pointing at the other', async () => {
    const { dir, write } = await folder();
    await write('one.yaml', minimalScenario('t.same'));
    await write('sub/two.yaml', `# a comment first\n${minimalScenario('t.same')}`);
    await write('other.yaml', minimalScenario('t.other'));
    const { scenarios, errors } = await loadScenarios([dir], { idps: IDPS });
    expect(scenarios.map((s) => s.id)).toEqual(['t.other']);
    const one = join(dir, 'one.yaml');
    const two = join(dir, 'sub/two.yaml');
    expect(errors.map(String)).toEqual([
      `${one}:1:5: id 't.same' is also used in ${two}:2:5: ids must be unique`,
      `${two}:2:5: id 't.same' is also used in ${one}:1:5: ids must be unique`,
    ]);
  });
});

describe('ids', () => {
  const library = join(bundledScenariosDir(), 'okta', 'oin');

  it("default to the file's path below the bundled library", async () => {
    expect(derivedId(join(library, 'create-user.yaml'))).toBe('okta.oin.create-user');
    expect(derivedId(join(bundledScenariosDir(), 'rfc7644', 'x.yml'))).toBe('rfc7644.x');
    expect(derivedId('/elsewhere/okta/oin/create-user.yaml')).toBeUndefined();
    const scenario = await loadScenarioFile(join(library, 'create-user.yaml'), { idps: IDPS });
    expect(scenario.id).toBe('okta.oin.create-user');
  });

  it('are required outside the bundled library', async () => {
    const withoutId = minimalScenario('t.x').replace(/^id: .*\n/, '');
    expect(await errorsOf(withoutId)).toEqual([
      "bad.yaml:1:1: a scenario outside the bundled library needs 'id' (a stable name for reports and history, like acme.users.create)",
    ]);
  });

  it("may be written in the library, and one equal to a file's derived id is a duplicate at the start of that file", async () => {
    const { dir, write } = await folder();
    const mine = await write('mine.yaml', minimalScenario('okta.oin.create-user'));
    const bundled = join(library, 'create-user.yaml');
    const { errors } = await loadScenarios([dir, bundled], { idps: IDPS });
    // Errors come in file-path order, which depends on where the checkout and the temporary folder are.
    expect(errors.map(String).sort()).toEqual(
      [
        `${mine}:1:5: id 'okta.oin.create-user' is also used in ${bundled}:2:1: ids must be unique`,
        `${bundled}:2:1: id 'okta.oin.create-user' is also used in ${mine}:1:5: ids must be unique`,
      ].sort(),
    );
  });
});

describe('what a scenario requires and covers, and its tags', () => {
  const top = (lines: string) => minimalScenario('t.x').replace('refs: ["RFC 7644 §4"]\n', `refs: ["RFC 7644 §4"]\n${lines}\n`);

  it("refuses 'features' at its key, saying what replaced it", async () => {
    expect(await errorsOf(top('features: [patch, okta.pushGroups]'))).toEqual([
      "bad.yaml:4:1: 'features' is now 'requires' (patch, filter… the target must support) and 'covers' (what the scenario exercises, e.g. pushGroups)",
    ]);
  });

  it('requires optional SCIM features only, each once; an IdP capability there belongs in covers', async () => {
    expect(await errorsOf(top('requires: [patch, filtre, okta.pushGroups, patch]'))).toEqual([
      "bad.yaml:4:19: requires[1] must be one of patch, bulk, filter, changePassword, sort, etag: did you mean 'filter'?",
      "bad.yaml:4:27: 'okta.pushGroups' is not a feature the target must support but what the scenario exercises: write covers: [pushGroups]",
      'bad.yaml:4:44: requires has "patch" twice: give it once',
    ]);
  });

  it('covers words', async () => {
    expect(await errorsOf(top('covers: [push groups]'))).toEqual(["bad.yaml:4:10: covers[0] must be one word: letters, digits and '-' (like pushGroups or on-demand)"]);
  });

  it("takes a bundled file's folders as its first tags, and a protocol scenario's area as what it covers unless it says", async () => {
    const load = (path: string) => loadScenarioFile(join(bundledScenariosDir(), path), { idps: IDPS });
    expect(await load('rfc7644/filter/attribute-name-case-insensitive.yaml')).toMatchObject({ tags: ['rfc7644', 'filter', 'users'], requires: ['filter'], covers: ['filter'] });
    expect(await load('okta/oin/test-credentials.yaml')).toMatchObject({ tags: ['okta', 'oin', 'test-credentials'], requires: [], covers: ['testApiCredentials'] });
    expect(await load('entra/quarantine-on-401.yaml')).toMatchObject({ tags: ['entra', 'quarantine'], covers: ['quarantine'] });
  });

  it('gives a file outside the library neither folder tags nor an area', async () => {
    const { write } = await folder();
    const file = await write('rfc7644/filter/x.yaml', top('tags: [users]'));
    expect(await loadScenarioFile(file, { idps: IDPS })).toMatchObject({ tags: ['users'], covers: [] });
  });

  it("refuses a tag that is one of the file's folders below the library, which is a tag already", () => {
    const data = { title: 't', refs: ['r'], tags: ['users', 'oin'], steps: [] };
    expect(semanticProblems(data, IDPS, ['okta', 'oin']).problems).toEqual([{ path: ['tags', 1], message: "'oin' is a folder of this file and so already a tag: remove it" }]);
    expect(semanticProblems(data, IDPS).problems).toEqual([]);
  });

  it('every bundled file folds its folders into its tags: no tag twice', async () => {
    const { scenarios, errors } = await loadScenarios([bundledScenariosDir()], { idps: IDPS });
    expect(errors.filter((e) => /folder of this file/.test(e.message))).toEqual([]);
    for (const scenario of scenarios) expect(new Set(scenario.tags).size, scenario.id).toBe(scenario.tags.length);
  });
});

describe('errors', () => {
  it('are all reported, in file order, and loadScenarioFile throws them together', async () => {
    const { write } = await folder();
    const file = await write('bad.yaml', 'id: t.x\ntitle: t\nrefs: [r]\nsteps:\n  - request: { method: GET, path: "/{{a}}" }\n    expect: { status: x }\n');
    const error = await loadScenarioFile(file, { idps: IDPS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioLoadError);
    expect((error as ScenarioLoadError).errors).toEqual([
      new ScenarioFileError(file, 5, 37, '{{a}} is not saved by any earlier step'),
      new ScenarioFileError(file, 6, 23, 'steps[0].expect.status must be a number or a list of numbers (HTTP statuses, 100 to 599)'),
    ]);
    expect((error as Error).message).toBe(`${file}:5:37: {{a}} is not saved by any earlier step\n${file}:6:23: steps[0].expect.status must be a number or a list of numbers (HTTP statuses, 100 to 599)`);
  });

  it('print as file:line:col: message, or file: message for the file as a whole', () => {
    expect(String(new ScenarioFileError('a.yaml', 3, 7, 'wrong'))).toBe('a.yaml:3:7: wrong');
    expect(String(new ScenarioFileError('a.yaml', 0, 0, 'cannot read the file'))).toBe('a.yaml: cannot read the file');
  });
});
