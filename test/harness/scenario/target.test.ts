import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idpRegistry } from '../../../harness/idp/types.js';
import { IDPS } from '../../../harness/idp/registry.js';
import { loadScenarioFile, loadScenarios } from '../../../harness/scenario/load.js';
import { loadErrors, tempFolder } from './helpers.js';

const folder = tempFolder();

const errorsOf = (text: string, name?: string) => loadErrors(folder, text, name);

const PROTOCOL = `id: t.throttled
title: A throttled create
refs: ["RFC 6585 §4"]
target:
  profile: variations/patch-204
  faults:
    - name: throttle-create
      match: { method: POST, path: /Users, times: 2 }
      act: { status: 429, retryAfter: 30 }
steps:
  - request: { method: GET, path: /Users }
  - target:
      faults:
        - match: { method: [GET, PUT] }
          act: { status: 503, html: true, headers: { X-Down: 1 } }
  - target: { faults: [] }
`;

describe('a scenario that shapes its target', () => {
  it('loads target.profile and target.faults, and target steps as their own kind, the rules as the server reads them', async () => {
    const { write } = await folder();
    const file = await write('ok.yaml', PROTOCOL);
    const scenario = await loadScenarioFile(file, { idps: IDPS });
    expect(scenario.target).toEqual({
      profile: 'variations/patch-204',
      faults: [{ name: 'throttle-create', match: { method: ['POST'], path: '/Users', times: 2 }, act: { status: 429, retryAfter: 30 } }],
    });
    expect(scenario.steps.map((s) => s.kind)).toEqual(['request', 'target', 'target']);
    expect(scenario.steps[1]).toEqual({
      kind: 'target',
      faults: [{ match: { method: ['GET', 'PUT'] }, act: { status: 503, html: true, headers: { 'X-Down': '1' } } }],
      source: { file, line: 12, column: 5 },
    });
    expect(scenario.steps[2]).toMatchObject({ kind: 'target', faults: [] });
  });

  it('takes target steps in IdP scenarios too', async () => {
    expect(
      await errorsOf(`id: t.okta
title: t
refs: ["Okta ref §11"]
idp: okta
target: { profile: lenient, faults: [{ act: { delay: 10 } }] }
directory: { users: { ada: { login: ada@example.com } } }
steps:
  - target: { faults: [{ match: { method: POST }, act: { status: 500 } }] }
  - assign: ada
`),
    ).toEqual([]);
  });

  it("reports a bad fault rule at its own line and column, in the fault checker's words", async () => {
    expect(
      await errorsOf(`id: t.bad
title: t
refs: [r]
target:
  faults:
    - match: { method: POST, path: /Users }
      act: { status: 99 }
steps:
  - request: { method: GET, path: /Users }
  - target:
      faults:
        - act: { reset: sideways }
  - target: { faults: [{ match: { nht: 1 }, act: { hang: true } }] }
`),
    ).toEqual([
      'bad.yaml:7:22: target.faults[0].act.status: must be a whole number from 200 to 599, got 99',
      'bad.yaml:12:25: steps[1].target.faults[0].act.reset: must be before-headers or mid-body, got "sideways"',
      "bad.yaml:13:40: steps[2].target.faults[0].match.nht: unknown key: the keys here are method, path, query, nth, every, times, probability, from, until: did you mean 'nth'?",
    ]);
  });

  it('refuses an unknown profile with the bundled names, a missing file, and a profile or other keys in a target step', async () => {
    expect(
      await errorsOf(`id: t.bad
title: t
refs: [r]
target: { profile: lenitent }
steps:
  - target: { faults: [], profile: strict }
    name: x
  - target: { }
  - target: [a]
`),
    ).toEqual([
      "bad.yaml:4:20: target.profile: 'lenitent' is not a bundled profile: did you mean 'lenient'? (or give a file, relative to this scenario: ./my-target.yaml)",
      "bad.yaml:6:27: steps[0].target cannot set profile: the profile is the whole scenario's, in the top-level target",
      "bad.yaml:7:5: a target step has only 'target' ({ faults: [...] }, { invite: { accept | delete: EMAIL } }, { rotateToken: {} } or { advanceClock: 5m }): 'name' belongs in a step of its own",
      "bad.yaml:8:13: steps[1].target needs one of faults (the rules from this step on; [] clears them); invite ({ accept: EMAIL } or { delete: EMAIL }); rotateToken ({} or { saveOld: NAME }: the team admin regenerates the key); advanceClock (5m, 301s: the target's clock moves forward)",
      'bad.yaml:9:13: steps[2].target must be one of { faults: [...] }, { invite: { accept | delete: EMAIL } }, { rotateToken: {} } or { advanceClock: 5m }, got ["a"]',
    ]);
    expect(await errorsOf(`id: t.bad\ntitle: t\nrefs: [r]\ntarget: { profile: ./nowhere.yaml }\nsteps:\n  - request: { method: GET, path: /Users }\n`)).toEqual([
      expect.stringMatching(/^bad\.yaml:4:20: target\.profile: the profile file \.\/nowhere\.yaml does not exist \(looked for .*nowhere\.yaml; a path is relative to the scenario file\)$/),
    ]);
  });

  it('takes a profile file relative to the scenario file, and reports its mistakes', async () => {
    const { dir, write } = await folder();
    await write('profiles/mine.yaml', 'extends: patch-204\n');
    await write('profiles/broken.yaml', 'patch: { status: 201 }\n');
    await write('suite/ok.yaml', `id: t.ok\ntitle: t\nrefs: [r]\ntarget: { profile: ../profiles/mine.yaml }\nsteps:\n  - request: { method: GET, path: /Users }\n`);
    await write('suite/bad.yaml', `id: t.bad\ntitle: t\nrefs: [r]\ntarget: { profile: ../profiles/broken.yaml }\nsteps:\n  - request: { method: GET, path: /Users }\n`);
    const { scenarios, errors } = await loadScenarios([join(dir, 'suite')], { idps: IDPS });
    expect(scenarios.map((s) => s.target)).toEqual([{ profile: '../profiles/mine.yaml' }]);
    expect(errors.map((e) => String(e).slice(dir.length + 1))).toEqual([
      expect.stringMatching(/^suite\/bad\.yaml:4:20: target\.profile: the profile \.\.\/profiles\/broken\.yaml has a mistake: .*patch\.status/),
    ]);
  });

  it('keeps `target` from IdP events: no IdP may name an event so', () => {
    const okta = IDPS.okta!;
    expect(() => idpRegistry({ ...okta, events: { ...okta.events, target: { description: 'x', argument: { type: 'any' } } } })).toThrow(
      "the okta IdP cannot have an event named 'target': steps use that key",
    );
  });

  it('is described by the editor schema: target steps and fault rules complete like the rest', async () => {
    const { editorSchemaText } = await import('../../../harness/scenario/schema-document.js');
    const schema = JSON.parse(editorSchemaText(IDPS)) as { properties: Record<string, unknown>; $defs: Record<string, unknown> };
    expect(schema.properties.target).toMatchObject({ properties: { profile: { type: 'string' }, faults: { $ref: '#/$defs/faultRules' } } });
    expect(schema.$defs.faultRules).toMatchObject({ items: { $ref: '#/$defs/faultRule' } });
    expect(schema.$defs.faultRule).toMatchObject({ properties: { match: { $ref: '#/$defs/faultMatch' }, act: { $ref: '#/$defs/faultAct' } } });
  });
});
