import { readEntraSettings } from '../idp/entra/settings.js';
import { readOktaSettings } from '../idp/okta/settings.js';
import { BodyPathError, parseBodyPath } from '../steps/json-path.js';
import { isMatcherMapping } from './matcher-shorthand.js';
import { formatPath, type DataPath, type Problem } from './paths.js';
import { suggest } from './suggest.js';
import { SAVED_NAME, templateRefs } from './templates.js';

type Mapping = Record<string, unknown>;

export interface SemanticCheck {
  problems: Problem[];
  /** Places where a problem here explains the data better than the JSON Schema's errors would. */
  superseded: DataPath[];
}

const REQUEST_STEP_KEYS = ['name', 'ref', 'request', 'expect', 'save'];

/**
 * Mistakes the JSON Schema cannot see: step kinds that do not fit the scenario's `idp`, templates
 * naming values no earlier step saves, regular expressions that do not compile, `body` with
 * `rawBody`. Reads data that may not match the schema, so it checks every shape it relies on.
 */
export function semanticProblems(data: unknown): SemanticCheck {
  const check: SemanticCheck = { problems: [], superseded: [] };
  if (!isMapping(data)) return check;
  const idpNone = data.idp === undefined || data.idp === 'none';
  if (idpNone) {
    for (const key of ['settings', 'directory'].filter((k) => k in data)) {
      check.problems.push({ path: [key], at: 'key', message: `${key} is for IdP scenarios (idp: okta or entra); this one has idp: none` });
    }
  } else {
    checkSettings(data, check);
  }
  const steps = Array.isArray(data.steps) ? data.steps : [];
  const savedBy = firstSaves(steps);
  const saved = new Set<string>();
  steps.forEach((step: unknown, i) => {
    if (!isMapping(step)) return;
    const path = ['steps', i];
    if ('request' in step) checkRequestStep(step, path, check);
    else stepKind(step, path, idpNone, check);
    checkMatchers(step, path, check);
    checkTemplates(step, path, i, saved, savedBy, check);
    for (const name of saveNames(step)) saved.add(name);
  });
  return check;
}

/** A step without `request`: fine as an IdP step in an IdP scenario, wrong in an `idp: none` one. */
function stepKind(step: Mapping, path: DataPath, idpNone: boolean, check: SemanticCheck): void {
  const keys = Object.keys(step);
  const misspelt = keys.find((k) => !REQUEST_STEP_KEYS.includes(k) && suggest(k, ['request']) === 'request');
  if (misspelt) {
    check.problems.push({ path: [...path, misspelt], at: 'key', message: `unknown key '${misspelt}' in ${formatPath(path)}: did you mean 'request'?` });
    check.superseded.push(path);
    return;
  }
  if (!idpNone) {
    const [only] = keys;
    const hint = keys.length === 1 && only !== 'expect' ? suggest(only!, ['expect']) : undefined;
    if (hint) check.problems.push({ path: [...path, only!], at: 'key', message: `'${only!}' is not an IdP event: did you mean '${hint}'?` });
    return;
  }
  check.superseded.push(path);
  const where = formatPath(path);
  if (keys.length === 1 && keys[0] === 'expect') {
    check.problems.push({ path, message: `${where} has expect but no request: in an idp: none scenario every step sends a request (an expect-only step checks an IdP's traffic: idp: okta or entra)` });
  } else if (keys.length === 1 && !REQUEST_STEP_KEYS.includes(keys[0]!)) {
    check.problems.push({ path: [...path, keys[0]!], at: 'key', message: `'${keys[0]!}' is an IdP event step, but this scenario has idp: none (set idp: okta or entra, or write a request step)` });
  } else {
    check.problems.push({ path, message: `${where} needs 'request': in an idp: none scenario every step sends a request` });
  }
}

const SETTINGS_READERS: Record<string, (raw: unknown) => unknown> = { okta: readOktaSettings, entra: readEntraSettings };

/** The simulator's own reading of `settings`, so that an unknown knob or a bad value is a load error, not a failed run. */
function checkSettings(data: Mapping, check: SemanticCheck): void {
  const read = typeof data.idp === 'string' ? SETTINGS_READERS[data.idp] : undefined;
  if (!read || !isMapping(data.settings)) return;
  try {
    read(data.settings);
  } catch (e) {
    check.problems.push({ path: ['settings'], message: (e as Error).message });
  }
}

function checkRequestStep(step: Mapping, path: DataPath, check: SemanticCheck): void {
  const request = step.request;
  if (isMapping(request) && 'body' in request && 'rawBody' in request) {
    check.problems.push({ path: [...path, 'request', 'rawBody'], at: 'key', message: `${formatPath([...path, 'request'])} has both body and rawBody: give one of them` });
  }
  // Body paths are parsed here with the runner's own parser, so a malformed one fails before any request is sent.
  const bodyPaths: [DataPath, string, 'key' | 'value'][] = [];
  if (isMapping(step.expect) && isMapping(step.expect.body)) {
    for (const key of Object.keys(step.expect.body)) bodyPaths.push([[...path, 'expect', 'body', key], key, 'key']);
  }
  if (isMapping(step.save)) {
    for (const [name, source] of Object.entries(step.save)) if (typeof source === 'string') bodyPaths.push([[...path, 'save', name], source, 'value']);
  }
  for (const [where, bodyPath, at] of bodyPaths) {
    try {
      parseBodyPath(bodyPath);
    } catch (e) {
      if (!(e instanceof BodyPathError)) throw e;
      check.problems.push({ path: where, at, message: e.message });
    }
  }
}

/** Every `matches` must compile, so that a typo in a pattern is a load error rather than a failed check. */
function checkMatchers(step: Mapping, path: DataPath, check: SemanticCheck): void {
  const expect = step.expect;
  if (!isMapping(expect)) return;
  const groups: [DataPath, unknown][] = [
    [[...path, 'expect', 'headers'], expect.headers],
    [[...path, 'expect', 'body'], expect.body],
  ];
  if (isMapping(expect.target)) {
    for (const [name, attributes] of Object.entries(expect.target)) groups.push([[...path, 'expect', 'target', name], attributes]);
  }
  if (Array.isArray(expect.sent)) {
    expect.sent.forEach((entry, i) => {
      if (!isMapping(entry)) return;
      const at: DataPath = [...path, 'expect', 'sent', i];
      groups.push([at, { path: entry.path }], [[...at, 'query'], entry.query], [[...at, 'headers'], entry.headers]);
    });
  }
  for (const [groupPath, group] of groups) {
    if (!isMapping(group)) continue;
    for (const [key, matcher] of Object.entries(group)) {
      if (!isMatcherMapping(matcher) || typeof matcher.matches !== 'string') continue;
      try {
        new RegExp(matcher.matches);
      } catch (e) {
        const reason = (e as Error).message.replace(/^Invalid regular expression: /, '');
        check.problems.push({ path: [...groupPath, key, 'matches'], message: `${formatPath([...groupPath, key, 'matches'])} is not a valid regular expression: ${reason}` });
      }
    }
  }
}

/** `{{name}}` must name a value that an earlier step saves; a step's own saves count from the next step. */
function checkTemplates(step: Mapping, path: DataPath, index: number, saved: Set<string>, savedBy: Map<string, number>, check: SemanticCheck): void {
  for (const [key, value] of Object.entries(step)) {
    if (key === 'save' || key === 'name' || key === 'ref') continue;
    forEachString(value, [...path, key], (text, at, stringPath) => {
      for (const ref of templateRefs(text)) {
        if (ref.kind === 'invalid') {
          check.problems.push({ path: stringPath, at, within: ref.index, message: `'${ref.text}' is not a template: write {{name}} (a value an earlier step saved), {{unique.label}}, {{uuid}} or {{baseUrl}}` });
        } else if (ref.kind === 'saved' && !saved.has(ref.name)) {
          const later = savedBy.get(ref.name);
          const hint = suggest(ref.name, saved);
          const message =
            later !== undefined && later >= index
              ? `{{${ref.name}}} is used before it is saved: steps[${later}] saves it`
              : `{{${ref.name}}} is not saved by any earlier step` + (hint ? `: did you mean {{${hint}}}?` : '');
          check.problems.push({ path: stringPath, at, within: ref.index, message });
        }
      }
    });
  }
}

/** Calls `visit` with every string in `value`, keys included, and where it is. */
function forEachString(value: unknown, path: DataPath, visit: (text: string, at: 'key' | 'value', path: DataPath) => void): void {
  if (typeof value === 'string') visit(value, 'value', path);
  else if (Array.isArray(value)) value.forEach((item, i) => forEachString(item, [...path, i], visit));
  else if (isMapping(value)) {
    for (const [key, item] of Object.entries(value)) {
      visit(key, 'key', [...path, key]);
      forEachString(item, [...path, key], visit);
    }
  }
}

function firstSaves(steps: unknown[]): Map<string, number> {
  const savedBy = new Map<string, number>();
  steps.forEach((step, i) => {
    for (const name of isMapping(step) ? saveNames(step) : []) if (!savedBy.has(name)) savedBy.set(name, i);
  });
  return savedBy;
}

function saveNames(step: Mapping): string[] {
  return isMapping(step.save) ? Object.keys(step.save).filter((name) => SAVED_NAME.test(name)) : [];
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
