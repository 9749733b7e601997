import type { ScimClient } from '../http/client.js';
import type { Transcript } from '../http/transcript.js';
import type { IdpName, IdpStep, Outcome, Scenario } from '../types.js';

/** What a simulator is given to act with during one step. */
export interface StepRun {
  client: ScimClient;
  transcript: Transcript;
  /** The step's index, recorded on every exchange it causes. */
  step: number;
  /** Reports an outcome in the IdP's own words (an Okta task result, an Entra log record). */
  report(outcome: Outcome): void;
}

/**
 * An IdP simulator: a state machine on a virtual clock that turns directory events and clock
 * steps into the requests its IdP would send, reads the answers, and reports outcomes.
 * The runner checks `expect` steps itself, from the transcript, the outcomes and `targetOf`.
 */
export interface IdpSimulator {
  /** Performs one IdP event or clock step (`assign: ada`, `advance: 40m`). */
  perform(step: IdpStep, run: StepRun): Promise<void>;
  /** The target URL path (`/Users/2819c223…`) a directory object was provisioned as, if it was. */
  targetOf(name: string): string | undefined;
  /** The virtual clock, as an ISO instant. */
  now(): string;
}

/** What a run tells a simulator it creates. */
export interface SimulatorRun {
  /**
   * Seeds the directory's ids and passwords unless the scenario's settings fix one: the runner
   * gives the scenario id and the run id, so that concurrent runs do not send the same Okta or
   * Entra object ids (a target may hold externalId unique).
   */
  seed?: string;
}

export type SimulatorFactory = (scenario: Scenario, run?: SimulatorRun) => IdpSimulator;

/** The simulators this build has, by IdP. */
export const SIMULATORS: Partial<Record<Exclude<IdpName, 'none'>, SimulatorFactory>> = {};
