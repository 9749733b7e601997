import { describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import { cli } from '../../cli/compiled-cli.js';
import { loadErrors, minimalScenario, tempFolder } from './helpers.js';

const folder = tempFolder();
const errorsOf = (text: string) => loadErrors(folder, text);

/** As docs/scenario-format.md lists them. */
const OKTA = 'createUsers, updateUserAttributes, deactivateUsers, reactivateUsers, syncPassword, importUsers, importGroups, pushGroups, testApiCredentials';
const ENTRA = 'users, groups, deprovisioning, disable, delete, manager, convergence, on-demand, quarantine, throttling';

/** An IdP scenario whose line 4 is its `covers`. */
const idpScenario = (idp: 'okta' | 'entra', covers: string) =>
  [`id: t.${idp}`, 'title: A title', `refs: ["${idp === 'okta' ? 'Okta ref §3' : 'Entra ref §3'}"]`, `covers: ${covers}`, `idp: ${idp}`, 'steps:', `  - ${idp === 'okta' ? 'test-credentials' : 'test-connection'}:`, ''].join('\n');

describe("an IdP scenario's covers, checked against the capabilities its IdP documents", () => {
  it('refuses a misspelt one at its entry, naming the list and the closest', async () => {
    expect(await errorsOf(idpScenario('okta', '[createUsers, pushGroup]'))).toEqual([
      `bad.yaml:4:23: 'pushGroup' is not a capability okta documents: one of ${OKTA}; did you mean 'pushGroups'?`,
    ]);
  });

  it('refuses a word of another IdP or a protocol area, with no suggestion when none is close', async () => {
    expect(await errorsOf(idpScenario('entra', '[users, pushGroups, filter]'))).toEqual([
      `bad.yaml:4:17: 'pushGroups' is not a capability entra documents: one of ${ENTRA}`,
      `bad.yaml:4:29: 'filter' is not a capability entra documents: one of ${ENTRA}`,
    ]);
  });

  it('takes every capability the docs list', async () => {
    const { dir, write } = await folder();
    await write('okta.yaml', idpScenario('okta', `[${OKTA}]`));
    await write('entra.yaml', idpScenario('entra', `[${ENTRA}]`));
    const { scenarios, errors } = await loadScenarios([dir], { idps: IDPS });
    expect(errors.map(String)).toEqual([]);
    expect(scenarios.map((s) => s.covers.join(', ')).sort()).toEqual([OKTA, ENTRA].sort());
  });

  it('leaves a word that is not one word to the schema, which says what a word is', async () => {
    expect(await errorsOf(idpScenario('okta', '[push groups]'))).toEqual(["bad.yaml:4:10: covers[0] must be one word: letters, digits and '-' (like pushGroups or on-demand)"]);
  });

  it("leaves a protocol scenario's areas free", async () => {
    expect(await errorsOf(minimalScenario('t.x').replace('steps:', 'covers: [pushGroup, my-area]\nsteps:'))).toEqual([]);
  });

  it('validate exits 2 with the problem at file:line:col', async () => {
    const { dir, write } = await folder();
    await write('push.yaml', idpScenario('okta', '[pushGroup]'));
    expect(await cli(['validate', '.'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: `push.yaml:4:10: 'pushGroup' is not a capability okta documents: one of ${OKTA}; did you mean 'pushGroups'?\n1 problem in 1 scenario file\n`,
    });
  });
});
