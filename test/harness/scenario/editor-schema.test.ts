import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDuration } from '../../../harness/idp/clock.js';
import { DURATION_PATTERN } from '../../../harness/idp/description-shapes.js';
import { EVENTS as ENTRA_EVENTS } from '../../../harness/idp/entra/events.js';
import { EVENTS as OKTA_EVENTS } from '../../../harness/idp/okta/events.js';
import { IDPS } from '../../../harness/idp/registry.js';
import { bundledScenariosDir } from '../../../harness/scenario/files.js';
import { findScenarioFiles, loadScenarios } from '../../../harness/scenario/load.js';
import { scenarioSchemaFile } from '../../../harness/scenario/schema.js';
import { editorSchemaText } from '../../../harness/scenario/schema-document.js';
import { tempFolder } from './helpers.js';

const committed = await readFile(scenarioSchemaFile(), 'utf8');
const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
const editor = ajv.compile(JSON.parse(committed));

describe('the editor schema, scenarios/scenario.schema.json', () => {
  it('is what the IdP descriptions generate', () => {
    // When this fails: npm run schema
    expect(committed === editorSchemaText(IDPS), 'scenarios/scenario.schema.json is out of date: run npm run schema').toBe(true);
  });

  it('accepts every bundled scenario', async () => {
    const refused: string[] = [];
    for (const file of await findScenarioFiles([bundledScenariosDir()])) {
      if (!editor(parse(await readFile(file, 'utf8')))) refused.push(`${file}: ${ajv.errorsText(editor.errors)}`);
    }
    expect(refused).toEqual([]);
  });

  const folder = tempFolder();
  const okta = (directory: string, steps: string, settings = '{}') => `id: t.x\ntitle: t\nrefs: [r]\nidp: okta\nsettings: ${settings}\ndirectory: ${directory}\nsteps: ${steps}\n`;
  const entra = (directory: string, steps: string, settings = '{}') => okta(directory, steps, settings).replace('idp: okta', 'idp: entra');
  const USERS = '{ users: { grace: { login: grace@example.com } }, groups: { eng: { members: [grace] } } }';
  const ADELE = '{ users: { adele: { userPrincipalName: adele@contoso.com } } }';

  // The mistakes validate catches that a schema can say (not the directory's names): the editor flags each too.
  it.each([
    ['a misspelt event', okta(USERS, '[unasign: grace]')],
    ['an unknown argument key', okta(USERS, '[assign: { usr: grace }]')],
    ['an argument of the wrong type', okta(USERS, '[assign: 42]')],
    ['both of two exclusive keys', okta(USERS, '[assign: { user: grace, group: eng }]')],
    ['a reserved profile attribute', okta(USERS, '[update: { user: grace, set: { status: X } }]')],
    ['an argument to an event that takes none', okta(USERS, '[import-users: yes]')],
    ['a malformed duration', okta(USERS, '[advance: soon]')],
    ['a misspelt setting', okta(USERS, '[assign: grace]', '{ varient: aiw }')],
    ['a setting value out of range', entra(ADELE, '[assign: adele]', '{ escrowThresholds: { proportion: 2 } }')],
    ['a misspelt directory field', okta('{ groups: { eng: { memebers: [] } } }', '[advance: 1m]')],
    ['a directory user without its username', entra('{ users: { adele: { userName: a@contoso.com } } }', '[advance: 1m]')],
    ['an unknown outcome key', okta(USERS, '[assign: grace, expect: { outcome: { stauts: success } }]')],
    ['an unknown status', entra(ADELE, '[assign: adele, expect: { outcome: [success] }]')],
    ['log, the former name of outcome', okta(USERS, '[assign: grace, expect: { log: [success] }]')],
    ['an Entra event in an Okta scenario', okta(USERS, '[cycle: initial]')],
  ])('flags %s, as validate does', async (_what, text) => {
    expect(editor(parse(text))).toBe(false);
    const { dir, write } = await folder();
    await write('bad.yaml', text);
    expect((await loadScenarios([dir], { idps: IDPS })).errors).not.toEqual([]);
  });
});

describe('the IdP descriptions', () => {
  it('describe exactly the events each simulator performs', () => {
    expect(Object.keys(IDPS.okta!.events).sort()).toEqual(Object.keys(OKTA_EVENTS).sort());
    expect(Object.keys(IDPS.entra!.events).sort()).toEqual(Object.keys(ENTRA_EVENTS).sort());
  });

  it("declare settings the simulator's own reading accepts, with their defaults", () => {
    for (const idp of Object.values(IDPS)) {
      for (const [name, field] of Object.entries(idp.settings)) {
        if (field.default !== undefined) expect(() => idp.readSettings!({ [name]: field.default }), `${idp.title} ${name}`).not.toThrow();
      }
      expect(() => idp.readSettings!({ notASetting: true })).toThrow(/unknown setting notASetting/);
    }
  });

  it('take the durations the clock reads, and no others', () => {
    for (const sample of ['90s', '40m', '1h30m', '30d', '250ms', '40', '40 m', '1.5h', 'm', '']) {
      expect(new RegExp(DURATION_PATTERN).test(sample), sample).toBe(parseDuration(sample) !== undefined);
    }
  });
});
