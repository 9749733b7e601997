import type { ScimClient } from '../http/client.js';
import type { Transcript } from '../http/transcript.js';
import type { IdpDescription } from '../scenario/idp-description.js';
import type { IdpStep, Scenario } from '../types.js';
import type { Outcome } from '../result.js';

/** What a simulator is given to act with during one step. */
export interface StepRun {
  client: ScimClient;
  transcript: Transcript;
  /** The step's index, recorded on every exchange it causes. */
  step: number;
  /** Reports an outcome in the IdP's own words (an Okta task result, an Entra log record). */
  report(outcome: Outcome): void;
  /** Hands over a secret the IdP made up itself (an Okta placeholder password): the scenario's result is scrubbed of it. */
  secret?(value: string): void;
  /** The target's own waits, when the run can see them (a scenario's own embedded server): an IdP's timeout can then be virtual time. */
  waits?: TargetWaits;
}

/** A wait the target started on a request (a fault's delay or hang), seen as it starts. */
export interface TargetHold {
  /** How long the target means to wait, in milliseconds. */
  readonly ms: number;
  /** Ends the wait now, as if its time had passed: the target goes on as it would have then. */
  release(): void;
}

/** The waits of a target the run embeds, which an IdP with a virtual clock counts in its own time. */
export interface TargetWaits {
  /** Tells `onHold` of each wait the target starts until the returned function is called: the waits of the one request the caller has out. */
  watch(onHold: (hold: TargetHold) => void): () => void;
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

/** What an IdP needs from the target its scenarios run against. */
export interface TargetNeeds {
  /**
   * Without a target, its scenarios meet the embedded reference server with this bundled profile
   * (docs/profiles.md) rather than the run's default (`strict`), unless a scenario names its own:
   * `lenient` for an IdP whose dialect departs from RFC 7644.
   */
  profile?: string;
}

/**
 * One IdP, everything the harness knows of it: its description (events, settings, directory,
 * outcome records), which the loader checks scenarios with and the editor schema says; what it
 * needs from the target; and its simulator. Each IdP folder's index.ts exports one.
 */
export interface IdpDefinition extends IdpDescription {
  /** As a scenario's `idp:` names it. */
  name: string;
  target: TargetNeeds;
  create: SimulatorFactory;
  /**
   * The integration variant or dialect a scenario's settings choose (Okta's OIN or AIW app, Entra
   * with or without aadOptscim062020), as the report's scorecard sections it: a `key` unique
   * across IdPs (`okta.oin`) and a `title`. An IdP whose scenarios all run one way has none.
   */
  variantOf?(settings: Record<string, unknown>): IdpVariant;
}

/** An integration variant or dialect of an IdP (see `IdpDefinition.variantOf`). */
export interface IdpVariant {
  key: string;
  title: string;
  /** For an app whose features are fixed (Okta's Postman app): every feature, offered or not. */
  features?: VariantFeature[];
}

/** A feature of an app integration: its key as scenarios' `covers` name it, its label, whether the app offers it. */
export interface VariantFeature {
  key: string;
  label: string;
  offered: boolean;
}

/** IdP definitions by name: what the CLI hands the loader and the runner. */
export type IdpRegistry = Readonly<Record<string, IdpDefinition>>;

/** Keys a scenario step has of its own: no IdP may name an event so, or its steps would read as another kind. */
const STEP_KEYS = ['request', 'expect', 'target', 'save', 'name', 'ref'];

/** A registry of these definitions, each under its own name. Throws for an event named as a step key (`target`). */
export function idpRegistry(...definitions: IdpDefinition[]): IdpRegistry {
  for (const definition of definitions) {
    const taken = Object.keys(definition.events).find((event) => STEP_KEYS.includes(event));
    if (taken !== undefined) throw new Error(`the ${definition.name} IdP cannot have an event named '${taken}': steps use that key (${STEP_KEYS.join(', ')})`);
  }
  return Object.freeze(Object.fromEntries(definitions.map((definition) => [definition.name, Object.freeze(definition)])));
}

/** The definition of the IdP `name`, if the registry has one (never an inherited member such as `toString`). */
export function idpNamed(idps: IdpRegistry, name: string): IdpDefinition | undefined {
  return Object.hasOwn(idps, name) ? idps[name] : undefined;
}
