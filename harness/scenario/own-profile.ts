import type { Scenario } from '../types.js';

/** The scenarios a run keeps, and why it left out the others, when it did. */
export interface OwnProfileSelection {
  kept: Scenario[];
  /** How many scenarios written for a service's own profile were left out. */
  leftOut: number;
  /** What to tell the user when `leftOut` is not 0: as `scimulator run` writes it to stderr. */
  notice?: string;
}

/**
 * A scenario naming its own server profile (`target.profile`, scenarios/postman/) checks that
 * service's documented behaviour, not what any SCIM server owes: a run of the default library
 * against a target leaves it out; naming its files or folder runs it. Without a target, the
 * embedded server takes the scenario's profile, so every scenario is kept.
 */
export function leaveOutOwnProfile(scenarios: readonly Scenario[], run: { defaultLibrary: boolean; target: boolean }): OwnProfileSelection {
  if (!run.defaultLibrary || !run.target) return { kept: [...scenarios], leftOut: 0 };
  const kept = scenarios.filter((s) => s.target?.profile === undefined);
  const leftOut = scenarios.length - kept.length;
  if (leftOut === 0) return { kept, leftOut };
  return {
    kept,
    leftOut,
    notice: `Left out ${leftOut} scenarios written for a service's own profile (scenarios/postman/): name their folder to run them against this target.`,
  };
}
