import { checkRules, FaultSetError } from '../../reference-server/faults/check.js';
import { formatPath, type DataPath } from './paths.js';
import type { SemanticCheck } from './semantics.js';
import { suggest } from '../../scim/suggest.js';
import { isMapping, shown } from './shapes.js';
import { embeddedProfile } from './target-profile.js';
import { SAVED_NAME } from './templates.js';
import { parseDuration } from '../idp/clock.js';

/*
 * What a scenario asks of its target: the top-level `target: { profile, faults }`, and the
 * `target: { faults }`, `{ invite }`, `{ rotateToken }` and `{ advanceClock }` steps. Fault rules are checked by the reference
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

const STEP_FORMS = '{ faults: [...] }, { invite: { accept | delete: EMAIL } }, { rotateToken: {} } or { advanceClock: 5m }';

/** The forms of a target step, each a key of its own, and what each says in a message. */
const STEP_KEYS: Record<string, string> = {
  faults: 'faults (the rules from this step on; [] clears them)',
  invite: 'invite ({ accept: EMAIL } or { delete: EMAIL })',
  rotateToken: 'rotateToken ({} or { saveOld: NAME }: the team admin regenerates the key)',
  advanceClock: "advanceClock (5m, 301s: the target's clock moves forward)",
};

/**
 * A target step: `target: { faults: [...] }`, `{ invite: { accept | delete: EMAIL } }`,
 * `{ rotateToken: {...} }` or `{ advanceClock: DURATION }`, one of them; the profile is the
 * scenario's for its whole run.
 */
export function checkTargetStep(step: Record<string, unknown>, path: DataPath, check: SemanticCheck): void {
  check.superseded.push(path);
  const at = [...path, 'target'];
  for (const key of Object.keys(step).filter((k) => k !== 'target')) {
    check.problems.push({ path: [...path, key], at: 'key', message: `a target step has only 'target' (${STEP_FORMS}): '${key}' belongs in a step of its own` });
  }
  const target = step.target;
  if (!isMapping(target)) {
    check.problems.push({ path: at, message: `${formatPath(at)} must be one of ${STEP_FORMS}, got ${shown(target)}` });
    return;
  }
  const forms = Object.keys(STEP_KEYS);
  for (const key of Object.keys(target).filter((k) => !forms.includes(k))) {
    const hint = suggest(key, forms);
    const why = key === 'profile' ? ": the profile is the whole scenario's, in the top-level target" : ` (a target step takes ${forms.join(', ')})` + (hint ? `: did you mean '${hint}'?` : '');
    check.problems.push({ path: [...at, key], at: 'key', message: `${formatPath(at)} cannot set ${key}${why}` });
  }
  const given = forms.filter((k) => k in target);
  if (given.length > 1) {
    check.problems.push({ path: [...at, given[1]!], at: 'key', message: `${formatPath(at)} has both ${given[0]} and ${given[1]}: a target step does one of them, so write two steps` });
  }
  if ('faults' in target) checkFaults(target.faults, [...at, 'faults'], check);
  if ('invite' in target) checkInvite(target.invite, [...at, 'invite'], check);
  if ('rotateToken' in target) checkRotation(target.rotateToken, [...at, 'rotateToken'], check);
  if ('advanceClock' in target) checkClock(target.advanceClock, [...at, 'advanceClock'], check);
  if (given.length === 0) check.problems.push({ path: at, message: `${formatPath(at)} needs one of ${Object.values(STEP_KEYS).join('; ')}` });
}

/** `rotateToken: {}` or `{ saveOld: NAME }`: NAME a name `{{NAME}}` can use. */
function checkRotation(rotation: unknown, at: DataPath, check: SemanticCheck): void {
  const where = formatPath(at);
  if (!isMapping(rotation)) {
    check.problems.push({ path: at, message: `${where} must be {} or { saveOld: NAME } (the name {{NAME}} gives the key it replaces), got ${shown(rotation)}` });
    return;
  }
  for (const key of Object.keys(rotation).filter((k) => k !== 'saveOld')) {
    const hint = suggest(key, ['saveOld']);
    check.problems.push({ path: [...at, key], at: 'key', message: `${where} cannot set ${key}: it takes only saveOld` + (hint ? `: did you mean 'saveOld'?` : '') });
  }
  if ('saveOld' in rotation && (typeof rotation.saveOld !== 'string' || !SAVED_NAME.test(rotation.saveOld))) {
    check.problems.push({ path: [...at, 'saveOld'], message: `${where}.saveOld must be a name for {{NAME}} (letters, digits, _), got ${shown(rotation.saveOld)}` });
  }
}

/** `advanceClock: 5m`: a duration, more than none. */
function checkClock(value: unknown, at: DataPath, check: SemanticCheck): void {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined || ms === 0) check.problems.push({ path: at, message: `${formatPath(at)} must be a duration like 301s, 5m or 1h30m (units ms, s, m, h, d), more than 0, got ${shown(value)}` });
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
