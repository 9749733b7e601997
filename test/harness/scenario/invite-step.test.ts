/**
 * The `target: { invite: { accept | delete: EMAIL } }` step: a scenario acting as the team admin of
 * its target (docs/scenario-format.md, "Invites"). Loaded as its own form of target step; its
 * mistakes reported where they are written.
 */
import { describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { loadScenarioFile } from '../../../harness/scenario/load.js';
import { loadErrors, tempFolder } from './helpers.js';

const folder = tempFolder();

const errorsOf = (text: string) => loadErrors(folder, text);

const HEAD = 'id: t.bad\ntitle: t\nrefs: ["Postman ref §7"]\nsteps:\n  - request: { method: GET, path: /Users }\n    save: { email: "Resources[0].userName" }\n';

describe('an invite step', () => {
  it('loads accept and delete as target steps with the action and the key as written, templates kept for the runner', async () => {
    const { write } = await folder();
    const file = await write(
      'ok.yaml',
      `${HEAD}  - target: { invite: { accept: eli@freelance.example } }
  - target:
      invite:
        delete: "{{email}}"
  - target: { faults: [] }
`,
    );
    const scenario = await loadScenarioFile(file, { idps: IDPS });
    expect(scenario.steps.slice(1)).toEqual([
      { kind: 'target', invite: { action: 'accept', key: 'eli@freelance.example' }, source: { file, line: 7, column: 5 } },
      { kind: 'target', invite: { action: 'delete', key: '{{email}}' }, source: { file, line: 8, column: 5 } },
      { kind: 'target', faults: [], source: { file, line: 11, column: 5 } },
    ]);
  });

  it('is taken in IdP scenarios too', async () => {
    expect(
      await errorsOf(`id: t.okta
title: t
refs: ["Postman ref §7"]
idp: okta
directory: { users: { eli: { login: eli@freelance.example } } }
steps:
  - assign: eli
  - target: { invite: { delete: eli@freelance.example } }
`),
    ).toEqual([]);
  });

  it('reports each bad form at its line and column, saying what is expected', async () => {
    expect(
      await errorsOf(`${HEAD}  - target: { invite: eli@freelance.example }
  - target: { invite: {} }
  - target: { invite: { accept: a@example.com, delete: a@example.com } }
  - target: { invite: { acept: a@example.com } }
  - target: { invite: { accept: "" } }
  - target: { invite: { delete: 5 } }
  - target: { invite: { accept: "{{emial}}" } }
  - target: { invite: { accept: a@example.com }, profile: postman }
`),
    ).toEqual([
      'bad.yaml:7:23: steps[1].target.invite must be { accept: EMAIL } or { delete: EMAIL } (the pending invite\'s email or id), got "eli@freelance.example"',
      'bad.yaml:8:23: steps[2].target.invite needs accept or delete: the pending invite\'s email (or id)',
      'bad.yaml:9:48: steps[3].target.invite has both accept and delete: one invite step does one of them',
      "bad.yaml:10:25: steps[4].target.invite cannot set acept: the team admin accepts or deletes an invite: did you mean 'accept'?",
      'bad.yaml:11:33: steps[5].target.invite.accept must be the pending invite\'s email (or id), a non-empty string, got ""',
      "bad.yaml:12:33: steps[6].target.invite.delete must be the pending invite's email (or id), a non-empty string, got 5",
      'bad.yaml:13:33: {{emial}} is not saved by any earlier step: did you mean {{email}}?',
      "bad.yaml:14:50: steps[8].target cannot set profile: the profile is the whole scenario's, in the top-level target",
    ]);
  });

  it('refuses faults and invite in one step, and still checks each', async () => {
    expect(
      await errorsOf(`${HEAD}  - target:
      faults: [{ act: { status: 99 } }]
      invite: { accept: "" }
`),
    ).toEqual([
      'bad.yaml:8:33: steps[1].target.faults[0].act.status: must be a whole number from 200 to 599, got 99',
      'bad.yaml:9:7: steps[1].target has both faults and invite: a target step does one of them, so write two steps',
      'bad.yaml:9:25: steps[1].target.invite.accept must be the pending invite\'s email (or id), a non-empty string, got ""',
    ]);
  });

  it('is described by the editor schema: one of faults or invite, and accept or delete', async () => {
    const { editorSchemaText } = await import('../../../harness/scenario/schema-document.js');
    const schema = JSON.parse(editorSchemaText(IDPS)) as { $defs: Record<string, unknown> };
    expect(schema.$defs.targetStep).toMatchObject({
      properties: { target: { minProperties: 1, maxProperties: 1, properties: { faults: { $ref: '#/$defs/faultRules' }, invite: { $ref: '#/$defs/inviteAction' } } } },
    });
    expect(schema.$defs.inviteAction).toMatchObject({ maxProperties: 1, properties: { accept: { type: 'string', minLength: 1 }, delete: { type: 'string', minLength: 1 } }, additionalProperties: false });
  });
});
