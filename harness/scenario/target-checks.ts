import { checkRules, FaultSetError } from '../../reference-server/faults/check.js';
import { formatPath, type DataPath } from './paths.js';
import type { SemanticCheck } from './semantics.js';
import { isMapping, shown } from './shapes.js';
import { embeddedProfile } from './target-profile.js';

/*
 * What a scenario asks of its target: the top-level `target: { profile, faults }` and the
 * `target: { faults }` step. Fault rules are checked by the reference server's own checker
 * (reference-server/faults/check.ts), whose path to the mistake places the message; a place
 * checked here is not also described by the JSON Schema (`superseded`).
 */

/** Fault rules at `path`, as the server would take them; the first mistake is reported where it is written. */
function checkFaults(value: unknown, path: DataPath, check: SemanticCheck): void {
  check.superseded.push(path);
  try {
    checkRules(value, path);
  } catch (error) {
    if (!(error instanceof FaultSetError)) throw error;
    check.problems.push({ path: [...error.path], message: error.message });
  }
}

/** The top-level `target:`: a profile the embedded server can take (`file` is the scenario's, for a relative path), and fault rules. */
export function checkScenarioTarget(target: unknown, file: string, check: SemanticCheck): void {
  // Not a mapping, an unknown key: the JSON Schema says so.
  if (!isMapping(target)) return;
  if (typeof target.profile === 'string') {
    const found = embeddedProfile(target.profile, file);
    if ('problem' in found) check.problems.push({ path: ['target', 'profile'], message: `target.profile: ${found.problem}` });
  }
  if ('faults' in target) checkFaults(target.faults, ['target', 'faults'], check);
}

/** A `target:` step: nothing but `target: { faults: [...] }`; the profile is the scenario's for its whole run. */
export function checkTargetStep(step: Record<string, unknown>, path: DataPath, check: SemanticCheck): void {
  check.superseded.push(path);
  const at = [...path, 'target'];
  for (const key of Object.keys(step).filter((k) => k !== 'target')) {
    check.problems.push({ path: [...path, key], at: 'key', message: `a target step has only 'target' ({ faults: [...] }): '${key}' belongs in a step of its own` });
  }
  const target = step.target;
  if (!isMapping(target)) {
    check.problems.push({ path: at, message: `${formatPath(at)} must be { faults: [...] } (the fault rules from this step on; [] clears them), got ${shown(target)}` });
    return;
  }
  for (const key of Object.keys(target).filter((k) => k !== 'faults')) {
    const why = key === 'profile' ? ": the profile is the whole scenario's, in the top-level target" : ' (a target step takes only faults)';
    check.problems.push({ path: [...at, key], at: 'key', message: `${formatPath(at)} cannot set ${key}${why}` });
  }
  if (!('faults' in target)) check.problems.push({ path: at, message: `${formatPath(at)} needs faults: the rules from this step on ([] clears them)` });
  else checkFaults(target.faults, [...at, 'faults'], check);
}
