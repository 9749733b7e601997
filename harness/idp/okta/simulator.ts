import { suggest } from '../../../scim/suggest.js';
import type { Scenario } from '../../types.js';
import { VirtualClock } from '../clock.js';
import type { IdpSimulator, SimulatorRun } from '../types.js';
import { OktaContext } from './context.js';
import { OktaOrg } from './directory.js';
import { EVENTS } from './events.js';
import { PasswordGenerator } from './ids.js';
import { readOktaSettings } from './settings.js';

/**
 * The Okta To-App provisioning simulator (docs/reference/okta.md): the scenario's settings and directory, a
 * virtual clock, and the events of docs/okta.md. A mistake in the settings or the directory is
 * reported as the first event's error, since the runner builds simulators before running steps.
 */
export function createOktaSimulator(scenario: Scenario, run: SimulatorRun = {}): IdpSimulator {
  const clock = new VirtualClock();
  let ctx: OktaContext | undefined;
  let setupError: Error | undefined;
  try {
    const settings = readOktaSettings(scenario.settings);
    const seed = settings.seed ?? run.seed ?? scenario.id;
    // A password Okta makes up is drawn during a step: that step's run keeps it out of the result.
    const passwords = new PasswordGenerator(seed, (password) => ctx?.run.secret?.(password));
    ctx = new OktaContext(settings, new OktaOrg(scenario.directory, seed), clock, passwords);
    ctx.org.provisioningEnabled = settings.provisioningEnabled;
  } catch (error) {
    setupError = error instanceof Error ? error : new Error(String(error));
  }
  return {
    now: () => clock.iso(),
    targetOf: (name) => ctx?.org.targets.get(name),
    async perform(step, run) {
      if (!ctx) throw setupError!;
      const handler = EVENTS[step.action];
      if (!handler) {
        const hint = suggest(step.action, Object.keys(EVENTS));
        throw new Error(`${step.action} is not an Okta event${hint ? `: did you mean ${hint}?` : ''} (events: ${Object.keys(EVENTS).join(', ')})`);
      }
      ctx.run = run;
      await handler(ctx, step.args);
    },
  };
}
