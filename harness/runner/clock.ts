import type { MovedClock } from '../../reference-server/admin/clock.js';
import type { StepResult } from '../result.js';
import type { ClockStep, Scenario } from '../types.js';
import type { AdminApi } from './admin-api.js';
import { ended } from './token.js';

/*
 * The target's clock, which a scenario moves forward (`target: { advanceClock }` steps) to see time
 * pass without waiting: a regenerated key's grace ending (Postman ref §6). The clock of the
 * scenario's own embedded server, or a served reference server's through its admin API
 * (`scimulator serve --admin-token`); no other target has one a run can move.
 */

/** How a scenario moves its target's clock. Throws an Error in words when it cannot. */
export interface ScenarioClock {
  advance(ms: number): Promise<void>;
}

/** Whether a scenario moves its target's clock: it then needs a target of its own, or the admin API to itself. */
export function movesClock(scenario: Scenario): boolean {
  return scenario.steps.some((step) => step.kind === 'target' && 'advanceClock' in step);
}

/** Why a scenario that moves the target's clock is skipped against a target given without `--admin-token`. */
export const NO_ADMIN_TOKEN_CLOCK = "moves the target's clock: run against the embedded target, or give --admin-token for a scimulator serve --admin-token target";

export function embeddedClock(clock: MovedClock): ScenarioClock {
  return { advance: async (ms) => clock.advance(ms) };
}

const CLOCK_PATH = '/_scimulator/clock';

export function adminClock(admin: AdminApi): ScenarioClock {
  return { advance: (ms) => admin.send({ api: 'clock', method: 'POST', path: CLOCK_PATH, expected: 200, body: { advanceMs: ms } }) };
}

/** Moves the target's clock as an `advanceClock` step says; a target that cannot is the step's error. */
export async function runClockStep(step: ClockStep, index: number, name: string, clock: ScenarioClock | undefined): Promise<StepResult> {
  const started = performance.now();
  if (!clock) return ended(index, name, started, "the target's clock cannot be moved: only the scenario's own embedded server, or a served one's admin API, has one to move");
  try {
    await clock.advance(step.advanceClock);
    return ended(index, name, started);
  } catch (error) {
    return ended(index, name, started, `could not move the target's clock: ${error instanceof Error ? error.message : String(error)}`);
  }
}
