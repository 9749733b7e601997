import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { injectsFaults } from '../../../harness/runner/faults.js';
import { runScenarios } from '../../../harness/runner/run.js';
import {
  entraDoesNotEscrow,
  entraIgnoresProbe,
  entraIgnoresThresholds,
  entraResendsAtOnce,
  entraTestConnectionAlwaysPasses,
  entraTestConnectionIsACycle,
} from './entra-mutants.js';
import {
  oktaCountsRetryAfterDates,
  oktaFailsLookup404,
  oktaIgnoresNonJsonBodies,
  oktaNeverRetries,
  oktaReadsEmptyCreateAsUser,
  oktaRetriesAtOnce,
  oktaRetriesNoAnswerOnce,
  oktaRetriesStatus,
} from './okta-mutants.js';
import { describeMutations, problems, scenarioLibrary, withSettings, type Mutation } from './scenario-mutations.js';

/**
 * Issue 15's done-when: each scenario that shows an IdP's reaction to a target failure receives
 * that failure (its `target.faults`), and FAILS when the simulator ignores it. Each scenario file
 * runs through the runner on its own embedded reference server, once as it is (it passes) and
 * once with the reaction mutated: a test-only patch of the simulator (a transport that resends a
 * 429 at once, an Entra that does not escrow or that ignores its probe's answer) or a documented
 * setting turned the other way. The failures a target shows without an injected fault (a refused
 * token, a conflict) are in failure-scenarios.test.ts.
 */

const ROOT = join(import.meta.dirname, '../../../scenarios');
const library = scenarioLibrary([join(ROOT, 'okta'), join(ROOT, 'entra')]);

const MUTATIONS: Record<string, Mutation[]> = {
  'okta.oin.throttled-create': [
    { what: 'resends the throttled POST at once, whatever Retry-After says', patch: oktaRetriesAtOnce, fails: ['outcome[0]'] },
    { what: 'never retries a 429', patch: oktaNeverRetries, fails: ['sent', 'outcome[0]', 'target ada'] },
  ],
  'okta.oin.throttled-group-push': [{ what: 'resends the throttled POST at once, without the 5 minutes', patch: oktaRetriesAtOnce, fails: ['outcome[0]'] }],
  'okta.oin.throttled-retry-after-date': [{ what: 'counts an HTTP-date Retry-After', patch: oktaCountsRetryAfterDates, fails: ['outcome[0]'] }],
  'okta.oin.throttled-ten-attempts': [
    { what: 'never retries a 429', patch: oktaNeverRetries, fails: ['sent', 'outcome[0]'] },
    { what: 'resends at once, whatever Retry-After says', patch: oktaRetriesAtOnce, fails: ['outcome[0]'] },
  ],
  'okta.oin.server-error-fails-task': [{ what: 'retries a 500 (retryServerErrors: true)', scenario: withSettings({ retryServerErrors: true }), fails: ['sent', 'outcome[0]'] }],
  'okta.oin.server-error-retried': [{ what: 'does not retry a 503 (retryServerErrors: false)', scenario: withSettings({ retryServerErrors: false }), fails: ['sent', 'outcome[0]', 'target ada'] }],
  'okta.oin.proxy-html-error-page': [{ what: 'reads the HTML page as an empty body', patch: oktaIgnoresNonJsonBodies, fails: ['outcome[0]'] }],
  'okta.oin.connection-reset': [{ what: 'retries the reset POST (retryServerErrors: true)', scenario: withSettings({ retryServerErrors: true }), fails: ['sent', 'outcome[0]'] }],
  'okta.oin.request-timeout': [{ what: 'retries the request that timed out', patch: oktaRetriesNoAnswerOnce, fails: ['sent', 'outcome[0]'] }],
  'okta.oin.lookup-404-is-a-miss': [{ what: 'fails the lookup answered 404', patch: oktaFailsLookup404, fails: ['sent', 'outcome[0]', 'target ada'] }],
  'okta.oin.create-conflict-409': [{ what: 'retries the POST answered 409', patch: oktaRetriesStatus(409), fails: ['sent', 'outcome[0]'] }],
  'okta.oin.create-empty-answer': [{ what: 'reads the empty 201 as a user', patch: oktaReadsEmptyCreateAsUser, fails: ['sent', 'outcome[0]'] }],
  'entra.throttling.escrow': [
    { what: 'does not escrow the throttled create', patch: entraDoesNotEscrow, fails: ['sent'] },
    { what: 'waits for Retry-After instead (throttling: retry-after)', scenario: withSettings({ throttling: 'retry-after' }), fails: ['sent', 'outcome[0]'] },
  ],
  'entra.throttling.retry-after': [
    { what: 'resends the throttled POST at once, whatever Retry-After says', patch: entraResendsAtOnce, fails: ['outcome[0]'] },
    { what: 'escrows instead (throttling: escrow)', scenario: withSettings({ throttling: 'escrow' }), fails: ['sent', 'outcome[0]'] },
  ],
  'entra.throttling.retry-after-cap': [
    { what: 'resends more often than retryAfterAttempts', scenario: withSettings({ retryAfterAttempts: 10 }), fails: ['sent', 'outcome[0]'] },
    { what: 'escrows instead (throttling: escrow)', scenario: withSettings({ throttling: 'escrow' }), fails: ['sent', 'outcome[0]'] },
  ],
  'entra.throttling.retry-after-too-long': [
    { what: 'waits out any Retry-After, 31 years here', scenario: withSettings({ retryAfterMaxSeconds: 1_000_000_000 }), fails: ['sent', 'outcome[0]'] },
  ],
  'entra.throttling.retry-after-date': [
    { what: 'waits out no more than 60 s, less than the date asks', scenario: withSettings({ retryAfterMaxSeconds: 60 }), fails: ['sent', 'outcome[0]', 'target adele'] },
    { what: 'escrows instead (throttling: escrow)', scenario: withSettings({ throttling: 'escrow' }), fails: ['sent', 'outcome[0]', 'target adele'] },
  ],
  'entra.failure.delete-not-found': [
    { what: 'takes the 404 as the user gone (deleteNotFound: gone)', scenario: withSettings({ deleteNotFound: 'gone' }), fails: ['sent', 'outcome[0]'] },
    { what: 'retries at every cycle (escrowRetryCycles: [1])', scenario: withSettings({ escrowRetryCycles: [1] }), fails: ['sent'] },
  ],
  'entra.failure.delete-not-found-gone': [{ what: 'fails the DELETE answered 404 (deleteNotFound: invalid-anchor)', scenario: withSettings({ deleteNotFound: 'invalid-anchor' }), fails: ['outcome[0]', 'sent'] }],
  'entra.escrow.retry-back-off': [
    { what: 'retries at every cycle (escrowRetryCycles: [1])', scenario: withSettings({ escrowRetryCycles: [1] }), fails: ['sent', 'outcome[0]'] },
    { what: 'does not escrow the failed create', patch: entraDoesNotEscrow, fails: ['sent', 'outcome[0]'] },
  ],
  'entra.quarantine.on-404-probe': [{ what: "goes on whatever the probe's answer", patch: entraIgnoresProbe, fails: ['sent', 'outcome[0]'] }],
  'entra.quarantine.on-404-group-probe': [{ what: "goes on whatever the group probe's answer", patch: entraIgnoresProbe, fails: ['outcome[0]'] }],
  'entra.quarantine.probe-server-error': [{ what: "goes on whatever the probe's answer", patch: entraIgnoresProbe, fails: ['sent', 'outcome[0]'] }],
  'entra.quarantine.probe-html-page': [{ what: "goes on whatever the probe's answer", patch: entraIgnoresProbe, fails: ['sent', 'outcome[0]'] }],
  'entra.quarantine.probe-not-filtered': [{ what: "goes on whatever the probe's answer", patch: entraIgnoresProbe, fails: ['sent', 'outcome[0]'] }],
  'entra.test-connection.unexpected-answers': [
    { what: 'passes Test Connection whatever the answer', patch: entraTestConnectionAlwaysPasses, fails: ['outcome[0]', 'outcome[1]', 'outcome[2]', 'outcome[3]'] },
    { what: 'runs a cycle for Test Connection, which quarantines the job', patch: entraTestConnectionIsACycle, fails: ['outcome[0]'] },
  ],
  'entra.failure.server-error-escrowed': [{ what: 'does not escrow the failed create', patch: entraDoesNotEscrow, fails: ['sent', 'target adele'] }],
  'entra.failure.proxy-html-page': [{ what: 'does not escrow the failed update', patch: entraDoesNotEscrow, fails: ['sent', 'target adele.displayName'] }],
  'entra.failure.connection-reset': [{ what: 'does not escrow the reset create', patch: entraDoesNotEscrow, fails: ['sent', 'target adele'] }],
  'entra.failure.timeout': [{ what: 'does not escrow the create that timed out', patch: entraDoesNotEscrow, fails: ['sent', 'target adele'] }],
  'entra.legacy.bundled-deactivation-refused': [{ what: 'does not escrow the refused PATCH', patch: entraDoesNotEscrow, fails: ['sent', 'outcome[0]'] }],
  'entra.legacy.manager-bare-string-read-back': [{ what: 'does not escrow the user it could not read', patch: entraDoesNotEscrow, fails: ['sent', 'target adele.displayName', 'outcome[0]'] }],
  'entra.quarantine.server-error-threshold': [
    { what: 'never finds the escrow thresholds passed', patch: entraIgnoresThresholds, fails: ['outcome[2]'] },
    { what: 'does not escrow the failed updates: the quarantine retry has nothing to send', patch: entraDoesNotEscrow, fails: ['sent', 'target adele.displayName', 'outcome[0]'] },
  ],
};

describe('the scenarios that inject faults (issue 15)', () => {
  it('are exactly those with a mutation here: every Okta and Entra scenario that injects a fault', () => {
    expect(library.all().filter(injectsFaults).map((s) => s.id).sort()).toEqual(Object.keys(MUTATIONS).sort());
  });

  it('each passes as it is, on its own embedded target, and receives its fault', async () => {
    const result = await runScenarios(library.all().filter(injectsFaults), { idps: IDPS, concurrency: 8 });
    expect(problems(result)).toEqual([]);
    for (const scenario of result.scenarios) {
      const idp = scenario.exchanges.filter((e) => e.kind === 'idp');
      expect(idp.some((e) => e.fault !== undefined), scenario.id).toBe(true);
    }
  });
});

describeMutations(MUTATIONS, library.byId);
