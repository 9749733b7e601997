import type { IdpDescription } from './idp-description.js';
import { formatPath, type DataPath, type Problem } from './paths.js';
import type { SemanticCheck } from './semantics.js';
import { checkShape, isMapping, shown, type DirectoryNames } from './shapes.js';
import { suggest } from '../../scim/suggest.js';

/*
 * Checks of an IdP scenario in its IdP's terms (its IdpDescription): settings, directory, event
 * steps and their arguments, directory names, and the keys of expected outcome records. A place
 * with a mistake here is not also described by the JSON Schema (`superseded`).
 */

type Mapping = Record<string, unknown>;

/** The names the scenario's directory gives its users and groups. */
export function directoryNames(directory: unknown): DirectoryNames {
  const keys = (section: unknown) => (isMapping(section) ? Object.keys(section) : []);
  return isMapping(directory) ? { users: keys(directory.users), groups: keys(directory.groups) } : { users: [], groups: [] };
}

/** Adds the problems found at `place` and lets them stand for the JSON Schema's there. */
function report(problems: Problem[], place: DataPath, check: SemanticCheck): void {
  if (problems.length === 0) return;
  check.problems.push(...problems);
  check.superseded.push(place);
}

function article(title: string): string {
  return /^[aeiou]/i.test(title) ? 'an' : 'a';
}

/** `settings:` by the fields the IdP declares, then by the simulator's own reading for what fields cannot say. */
export function checkSettings(settings: unknown, idp: IdpDescription, names: DirectoryNames, check: SemanticCheck): void {
  // Not a mapping: the JSON Schema says so.
  if (!isMapping(settings)) return;
  const problems: Problem[] = [];
  if (checkShape(settings, { type: 'mapping', fields: idp.settings, reserved: idp.renamedSettings }, ['settings'], names, problems) && idp.readSettings) {
    try {
      idp.readSettings(settings);
    } catch (e) {
      problems.push({ path: (e as { path?: DataPath }).path ?? ['settings'], message: (e as Error).message });
    }
  }
  report(problems, ['settings'], check);
}

export function checkDirectory(directory: unknown, idp: IdpDescription, names: DirectoryNames, check: SemanticCheck): void {
  if (directory === undefined) return;
  const problems: Problem[] = [];
  checkShape(directory, { type: 'mapping', fields: idp.directory }, ['directory'], names, problems);
  report(problems, ['directory'], check);
}

/** One event step (`unassign: grace`): an event the IdP has, with an argument it takes, naming objects the directory has. */
export function checkEventStep(step: Mapping, path: DataPath, idp: IdpDescription, names: DirectoryNames, check: SemanticCheck): void {
  const keys = Object.keys(step);
  // Several keys: the JSON Schema says a step is one event.
  if (keys.length !== 1) return;
  const event = keys[0]!;
  const description = idp.events[event];
  if (!description) {
    const events = Object.keys(idp.events);
    const hint = suggest(event, [...events, 'expect']);
    const rest = hint ? `: did you mean '${hint}'?` : ` (events: ${events.join(', ')}; see ${idp.docs})`;
    report([{ path: [...path, event], at: 'key', message: `'${event}' is not ${article(idp.title)} ${idp.title} event${rest}` }], path, check);
    return;
  }
  const problems: Problem[] = [];
  checkShape(step[event], description.argument, [...path, event], names, problems);
  report(problems, path, check);
}

/** An expect step's directory names (`target:`) and expected records (`outcome:`). */
export function checkIdpExpectation(expect: Mapping, path: DataPath, idp: IdpDescription, names: DirectoryNames, check: SemanticCheck): void {
  if (isMapping(expect.target)) {
    const known = [...names.users, ...names.groups];
    for (const name of Object.keys(expect.target)) {
      if (known.includes(name)) continue;
      const hint = suggest(name, known);
      const message = `${formatPath([...path, 'target'])}: "${name}" is not a user or group of the directory (${known.join(', ') || 'it has none'})` + (hint ? `: did you mean '${hint}'?` : '');
      check.problems.push({ path: [...path, 'target', name], at: 'key', message });
    }
  }
  if ('outcome' in expect) {
    const outcome = expect.outcome;
    const at = [...path, 'outcome'];
    if (Array.isArray(outcome)) outcome.forEach((entry, i) => checkRecord(entry, [...at, i], idp, names, check));
    else if (typeof outcome === 'string' || isMapping(outcome)) checkRecord(outcome, at, idp, names, check);
    else check.problems.push({ path: at, message: `${formatPath(at)} must be a record, a list of records, or a status standing for { status: … }, got ${shown(outcome)}` });
  }
}

/** An expected record: keys the IdP's records have; plain values (not matchers) of the kind those keys hold. */
function checkRecord(entry: unknown, path: DataPath, idp: IdpDescription, names: DirectoryNames, check: SemanticCheck): void {
  const { fields } = idp.outcomes;
  const problems: Problem[] = [];
  if (typeof entry === 'string') {
    // A string stands for { status: … }.
    if (fields.status) checkShape(entry, fields.status.shape, path, names, problems);
  } else if (isMapping(entry)) {
    const known = Object.keys(fields);
    for (const [key, value] of Object.entries(entry)) {
      const field = fields[key];
      if (!field) {
        const hint = suggest(key, known);
        const rest = hint ? `: did you mean '${hint}'?` : ` (${article(idp.title)} ${idp.title} record has ${known.join(', ')})`;
        problems.push({ path: [...path, key], at: 'key', message: `unknown key '${key}' in ${formatPath(path)}${rest}` });
      } else {
        // A matcher, at any depth, is checked where every matcher is; a misspelt one is reported there too.
        checkShape(value, field.shape, [...path, key], names, problems, true);
      }
    }
  }
  report(problems, path, check);
}
