import { suggest } from '../../../scim/suggest.js';
import type { Scenario } from '../../types.js';
import { VirtualClock } from '../clock.js';
import type { IdpSimulator, SimulatorRun } from '../types.js';
import { EntraTenant } from './directory.js';
import { EVENTS, type EntraContext } from './events.js';
import { EntraJob } from './job.js';
import { buildMappings } from './mapping.js';
import { readEntraSettings } from './settings.js';
import { EntraTransport } from './transport.js';

/**
 * The Microsoft Entra ID provisioning simulator (docs/reference/entra.md): the scenario's settings and
 * directory, a provisioning job on a virtual clock, and the events of docs/entra.md. A mistake in
 * the settings or the directory is reported as the first event's error, since the runner builds
 * simulators before running steps.
 */
export function createEntraSimulator(scenario: Scenario, run: SimulatorRun = {}): IdpSimulator {
  const clock = new VirtualClock();
  let ctx: EntraContext | undefined;
  let setupError: Error | undefined;
  try {
    const settings = readEntraSettings(scenario.settings);
    const seed = settings.seed ?? run.seed ?? scenario.id;
    const tenant = new EntraTenant(scenario.directory, seed);
    const transport = new EntraTransport(clock, settings);
    const job = new EntraJob({
      settings,
      tenant,
      clock,
      transport,
      userMappings: buildMappings('users', settings.userMappings),
      groupMappings: buildMappings('groups', settings.groupMappings),
      seed,
      report: (outcome) => transport.run.report(outcome),
    });
    ctx = { tenant, job, transport, clock };
  } catch (error) {
    setupError = error instanceof Error ? error : new Error(String(error));
  }
  return {
    now: () => clock.iso(),
    targetOf: (name) => ctx?.job.state.targets.get(name),
    async perform(step, run) {
      if (!ctx) throw setupError!;
      const handler = EVENTS[step.action];
      if (!handler) {
        const hint = suggest(step.action, Object.keys(EVENTS));
        throw new Error(`${step.action} is not an Entra event${hint ? `: did you mean ${hint}?` : ''} (events: ${Object.keys(EVENTS).join(', ')})`);
      }
      ctx.transport.run = run;
      await handler(ctx, step.args);
    },
  };
}
