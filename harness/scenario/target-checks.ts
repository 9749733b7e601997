import { checkRules, FaultSetError } from '../../reference-server/faults/check.js';
import { formatPath, type DataPath } from './paths.js';
import type { SemanticCheck } from './semantics.js';
import { suggest } from '../../scim/suggest.js';
import { isMapping, shown } from './shapes.js';
import { embeddedProfile } from './target-profile.js';

/*
 * What a scenario asks of its target: the top-level `target: { profile, faults }`, and the
 * `target: { faults }` and `target: { invite }` steps. Fault rules are checked by the reference
 * server's own checker (reference-server/faults/check.ts), whose path to the mistake places the
 * message; a place checked here is not also described by the JSON Schema (`superseded`).
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

const STEP_FORMS = '{ faults: [...] } or { invite: { accept | delete: EMAIL } }';

/**
 * A `target:` step: `target: { faults: [...] }` or `target: { invite: { accept | delete: EMAIL } }`,
 * one of the two; the profile is the scenario's for its whole run.
 */
export function checkTargetStep(step: Record<string, unknown>, path: DataPath, check: SemanticCheck): void {
  check.superseded.push(path);
  const at = [...path, 'target'];
  for (const key of Object.keys(step).filter((k) => k !== 'target')) {
    check.problems.push({ path: [...path, key], at: 'key', message: `a target step has only 'target' (${STEP_FORMS}): '${key}' belongs in a step of its own` });
  }
  const target = step.target;
  if (!isMapping(target)) {
    check.problems.push({
      path: at,
      message: `${formatPath(at)} must be { faults: [...] } (the fault rules from this step on; [] clears them) or { invite: { accept | delete: EMAIL } } (the team admin acts on a pending invite), got ${shown(target)}`,
    });
    return;
  }
  for (const key of Object.keys(target).filter((k) => k !== 'faults' && k !== 'invite')) {
    const why = key === 'profile' ? ": the profile is the whole scenario's, in the top-level target" : ' (a target step takes faults or invite)';
    check.problems.push({ path: [...at, key], at: 'key', message: `${formatPath(at)} cannot set ${key}${why}` });
  }
  if ('faults' in target && 'invite' in target) {
    check.problems.push({ path: [...at, 'invite'], at: 'key', message: `${formatPath(at)} has both faults and invite: a target step does one of them, so write two steps` });
  }
  if ('faults' in target) checkFaults(target.faults, [...at, 'faults'], check);
  if ('invite' in target) checkInvite(target.invite, [...at, 'invite'], check);
  if (!('faults' in target) && !('invite' in target)) {
    check.problems.push({ path: at, message: `${formatPath(at)} needs faults (the rules from this step on; [] clears them) or invite ({ accept: EMAIL } or { delete: EMAIL })` });
  }
}

const INVITE_ACTIONS = ['accept', 'delete'];

/** `invite: { accept: EMAIL }` or `{ delete: EMAIL }`: one action, on the pending invite's email or id. */
function checkInvite(invite: unknown, at: DataPath, check: SemanticCheck): void {
  const where = formatPath(at);
  if (!isMapping(invite)) {
    check.problems.push({ path: at, message: `${where} must be { accept: EMAIL } or { delete: EMAIL } (the pending invite's email or id), got ${shown(invite)}` });
    return;
  }
  for (const key of Object.keys(invite).filter((k) => !INVITE_ACTIONS.includes(k))) {
    const hint = suggest(key, INVITE_ACTIONS);
    check.problems.push({ path: [...at, key], at: 'key', message: `${where} cannot set ${key}: the team admin accepts or deletes an invite` + (hint ? `: did you mean '${hint}'?` : '') });
  }
  const actions = INVITE_ACTIONS.filter((action) => action in invite);
  if (actions.length === 2) check.problems.push({ path: [...at, 'delete'], at: 'key', message: `${where} has both accept and delete: one invite step does one of them` });
  if (actions.length === 0 && Object.keys(invite).length === 0) check.problems.push({ path: at, message: `${where} needs accept or delete: the pending invite's email (or id)` });
  for (const action of actions) {
    const key = invite[action];
    if (typeof key !== 'string' || key.trim() === '') {
      check.problems.push({ path: [...at, action], message: `${where}.${action} must be the pending invite's email (or id), a non-empty string, got ${shown(key)}` });
    }
  }
}
