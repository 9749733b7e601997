import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { injectsFaults } from '../../../harness/runner/faults.js';
import { runScenarios } from '../../../harness/runner/run.js';
import type { Scenario } from '../../../harness/types.js';
import {
  entraDoesNotEscrow,
  entraIgnoresDeletionThreshold,
  entraIgnoresProbe,
  entraIgnoresThresholds,
  entraNeverDisables,
  entraRestartsWith,
  entraSkipsIdleCycles,
  entraTestConnectionAlwaysPasses,
  entraTestConnectionIsACycle,
} from './entra-mutants.js';
import { oktaIgnoresStatus, oktaRetriesStatus } from './okta-mutants.js';
import { describeMutations, problems, scenarioLibrary, withoutSetting, withSettings, type Mutation } from './scenario-mutations.js';

/**
 * The other half of issue 15's done-when (fault-scenarios.test.ts has the scenarios that inject a
 * fault): the scenarios that show an IdP's failure reaction to a target that fails without one — a
 * refused token, a user that exists already or was deleted behind the IdP's back, a setting that
 * stops the task — or to its own thresholds. Each passes on its own embedded target and FAILS when
 * the simulator ignores what made it fail. `secretToken` left out is the simulator before issue
 * 16 gave Okta a key of its own; Entra's idle cycles sending nothing is the one before issue 16
 * probed every cycle.
 */

const ROOT = join(import.meta.dirname, '../../../scenarios');
const library = scenarioLibrary([join(ROOT, 'okta'), join(ROOT, 'entra')]);

/** An outcome the scenario expects is a failure: an Okta task or Entra record that failed, or a quarantined job. */
const FAILURE = /"(?:status|code)":"(?:failure|Quarantine)"/i;
const showsFailure = (scenario: Scenario) =>
  scenario.steps.some((step) => step.kind === 'expect' && step.outcome !== undefined && (step.outcome === 'failure' || FAILURE.test(JSON.stringify(step.outcome))));

const PORTAL_RESTART = ['QuarantineState', 'Watermark', 'Escrows'] as const;

const MUTATIONS: Record<string, Mutation[]> = {
  'okta.oin.test-credentials-refused': [
    { what: "sends the run's credentials, not the scenario's key (no secretToken)", scenario: withoutSetting('secretToken'), fails: ['sent', 'outcome[0]'] },
    { what: 'reads the 401 as an answer', patch: oktaIgnoresStatus(401), fails: ['sent', 'outcome[0]'] },
  ],
  'okta.aiw.test-credentials-refused': [
    { what: "sends the run's credentials, not the scenario's key (no secretToken)", scenario: withoutSetting('secretToken'), fails: ['outcome[0]'] },
    { what: 'reads the 401 as an answer', patch: oktaIgnoresStatus(401), fails: ['outcome[0]'] },
  ],
  'okta.oin.refused-key-fails-task': [
    { what: "sends the run's credentials, not the scenario's key (no secretToken)", scenario: withoutSetting('secretToken'), fails: ['sent', 'outcome[0]', 'body totalResults'] },
    { what: 'retries the 401 on the 429 schedule', patch: oktaRetriesStatus(401), fails: ['sent'] },
  ],
  'okta.oin.error-body-not-json': [{ what: 'reads the 404 to its GET as an answer and goes on', patch: oktaIgnoresStatus(404), fails: ['sent', 'outcome[0]'] }],
  'okta.oin.create-users-off': [{ what: 'creates the user anyway (createUsers: true)', scenario: withSettings({ provisioningFeatures: { createUsers: true } }), fails: ['sent', 'outcome[0]'] }],
  // The lookup after an ignored probe is refused too and quarantines as well: what differs is the request sent.
  'entra.quarantine.on-401': [{ what: "goes on whatever the probe's answer", patch: entraIgnoresProbe, fails: ['sent'] }],
  'entra.quarantine.idle-token-changed': [
    { what: 'sends nothing in a cycle with nothing to do, not even the probe', patch: entraSkipsIdleCycles, fails: ['sent', 'outcome[0]'] },
    { what: "goes on whatever the probe's answer", patch: entraIgnoresProbe, fails: ['outcome[0]'] },
  ],
  'entra.quarantine.disabled-after-28-days': [{ what: 'keeps retrying a quarantined job past 28 days', patch: entraNeverDisables, fails: ['outcome[3]'] }],
  'entra.quarantine.escrow-threshold': [
    { what: 'never finds the escrow thresholds passed', patch: entraIgnoresThresholds, fails: ['outcome[1]'] },
    { what: 'does not escrow the failed create: the started job has nothing to retry', patch: entraDoesNotEscrow, fails: ['sent', 'outcome[0]'] },
  ],
  'entra.quarantine.total-escrow-threshold': [{ what: 'never finds the escrow thresholds passed', patch: entraIgnoresThresholds, fails: ['outcome[3]'] }],
  'entra.test-connection.refused-token': [
    { what: 'passes Test Connection whatever the answer', patch: entraTestConnectionAlwaysPasses, fails: ['outcome[0]'] },
    { what: 'runs a cycle for Test Connection, which quarantines the job', patch: entraTestConnectionIsACycle, fails: ['outcome[0]'] },
  ],
  'entra.legacy.conflict-escrowed': [{ what: 'does not escrow the conflicting create', patch: entraDoesNotEscrow, fails: ['sent'] }],
  'entra.legacy.restart-full-rematches': [
    { what: 'keeps the links on a restart with resetScope Full', patch: entraRestartsWith([...PORTAL_RESTART]), fails: ['sent', 'outcome[0]'] },
    { what: "drops the links on the portal's restart", patch: entraRestartsWith(['Full']), fails: ['sent', 'outcome[0]'] },
  ],
  'entra.legacy.accidental-deletions': [{ what: 'sends every disable, whatever the accidental-deletion threshold', patch: entraIgnoresDeletionThreshold, fails: ['sent', 'outcome[0]'] }],
};

describe('the scenarios that show a failure without an injected fault (issues 15, 16)', () => {
  it('are exactly those with a mutation here: every Okta and Entra scenario that expects a failure and injects no fault', () => {
    expect(library.all().filter((s) => showsFailure(s) && !injectsFaults(s)).map((s) => s.id).sort()).toEqual(Object.keys(MUTATIONS).sort());
  });

  it('each passes as it is, on its own embedded target', async () => {
    const result = await runScenarios(Object.keys(MUTATIONS).map(library.byId), { idps: IDPS, concurrency: 8 });
    expect(problems(result)).toEqual([]);
  });
});

describeMutations(MUTATIONS, library.byId);
