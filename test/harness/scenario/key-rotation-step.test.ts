/**
 * The `target: { rotateToken }` and `target: { advanceClock }` steps: a scenario regenerating its
 * target's key as the team admin would, and moving the target's clock past the old key's grace
 * (docs/scenario-format.md, "The target"). Loaded as their own forms of target step; their
 * mistakes reported where they are written.
 */
import { describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { loadScenarioFile } from '../../../harness/scenario/load.js';
import { loadErrors, tempFolder } from './helpers.js';

const folder = tempFolder();

const errorsOf = (text: string) => loadErrors(folder, text);

const HEAD = 'id: t.bad\ntitle: t\nrefs: ["Postman ref §6"]\nsteps:\n';

describe('a key rotation and a clock step', () => {
  it('load as target steps: the name the old key is saved under, and the duration in milliseconds', async () => {
    const { write } = await folder();
    const file = await write(
      'ok.yaml',
      `${HEAD}  - target: { rotateToken: {} }
  - target: { rotateToken: { saveOld: oldKey } }
  - target: { advanceClock: 5m }
  - target: { advanceClock: 1h30s }
  - request: { method: GET, path: /Users, auth: { bearer: "{{oldKey}}" } }
`,
    );
    const scenario = await loadScenarioFile(file, { idps: IDPS });
    expect(scenario.steps.slice(0, 4)).toEqual([
      { kind: 'target', rotateToken: {}, source: { file, line: 5, column: 5 } },
      { kind: 'target', rotateToken: { saveOld: 'oldKey' }, source: { file, line: 6, column: 5 } },
      { kind: 'target', advanceClock: 300_000, source: { file, line: 7, column: 5 } },
      { kind: 'target', advanceClock: 3_630_000, source: { file, line: 8, column: 5 } },
    ]);
  });

  it('reports each bad form at its line and column, saying what is expected', async () => {
    expect(
      await errorsOf(`${HEAD}  - target: { rotateToken: yes }
  - target: { rotateToken: { saveOld: "old key" } }
  - target: { rotateToken: { savOld: k } }
  - target: { advanceClock: soon }
  - target: { advanceClock: 0s }
  - target: { advanceClock: 300 }
  - target: { rotateTokn: {} }
  - target: { rotateToken: {}, advanceClock: 5m }
`),
    ).toEqual([
      'bad.yaml:5:28: steps[0].target.rotateToken must be {} or { saveOld: NAME } (the name {{NAME}} gives the key it replaces), got "yes"',
      'bad.yaml:6:39: steps[1].target.rotateToken.saveOld must be a name for {{NAME}} (letters, digits, _), got "old key"',
      "bad.yaml:7:30: steps[2].target.rotateToken cannot set savOld: it takes only saveOld: did you mean 'saveOld'?",
      'bad.yaml:8:29: steps[3].target.advanceClock must be a duration like 301s, 5m or 1h30m (units ms, s, m, h, d), more than 0, got "soon"',
      'bad.yaml:9:29: steps[4].target.advanceClock must be a duration like 301s, 5m or 1h30m (units ms, s, m, h, d), more than 0, got "0s"',
      'bad.yaml:10:29: steps[5].target.advanceClock must be a duration like 301s, 5m or 1h30m (units ms, s, m, h, d), more than 0, got 300',
      'bad.yaml:11:13: steps[6].target needs one of faults (the rules from this step on; [] clears them); invite ({ accept: EMAIL } or { delete: EMAIL }); rotateToken ({} or { saveOld: NAME }: the team admin regenerates the key); advanceClock (5m, 301s: the target\'s clock moves forward)',
      "bad.yaml:11:15: steps[6].target cannot set rotateTokn (a target step takes faults, invite, rotateToken, advanceClock): did you mean 'rotateToken'?",
      'bad.yaml:12:32: steps[7].target has both rotateToken and advanceClock: a target step does one of them, so write two steps',
    ]);
  });

  it('knows the saved old key from its step on, and not before', async () => {
    expect(
      await errorsOf(`${HEAD}  - request: { method: GET, path: /Users, auth: { bearer: "{{oldKey}}" } }
  - target: { rotateToken: { saveOld: oldKey } }
  - request: { method: GET, path: /Users, auth: { bearer: "{{oldKy}}" } }
`),
    ).toEqual(['bad.yaml:5:59: {{oldKey}} is used before it is saved: steps[1] saves it', 'bad.yaml:7:59: {{oldKy}} is not saved by any earlier step: did you mean {{oldKey}}?']);
  });
});
