import { BodyPathError, parseBodyPath } from '../steps/json-path.js';
import { checkDirectory, checkEventStep, checkIdpExpectation, checkSettings, directoryNames } from './idp-checks.js';
import type { IdpDescription, IdpDescriptions } from './idp-description.js';
import { isMatcherMapping, misspeltMatcherKeys } from './matcher-shorthand.js';
import { formatPath, type DataPath, type Problem } from './paths.js';
import { COVERS_WORD } from './schema-document.js';
import { isMapping } from './shapes.js';
import type { Matcher } from '../types.js';
import { suggest } from '../../scim/suggest.js';
import { checkScenarioTarget, checkTargetStep } from './target-checks.js';
import { SAVED_NAME, templateRefs } from './templates.js';

type Mapping = Record<string, unknown>;

export interface SemanticCheck {
  problems: Problem[];
  /** Places where a problem here explains the data better than the JSON Schema's errors would. */
  superseded: DataPath[];
}

const REQUEST_STEP_KEYS = ['name', 'ref', 'request', 'expect', 'save'];

/**
 * Mistakes the JSON Schema cannot see: step kinds that do not fit the scenario's `idp`, what an
 * IdP scenario says in its IdP's terms (`idps`: events, their arguments and the directory names
 * they use, settings, directory fields, outcome records), templates naming values no earlier step
 * saves, misspelt matchers, regular expressions that do not compile, malformed paths, `body` with
 * `rawBody`, keys of an older format (`features`, `log`), an IdP capability in `requires`, a
 * `covers` entry its IdP does not document, a tag that names one of the file's `folders` below the
 * bundled library (`libraryFolders`), which are its tags already, and what `target:` asks of the
 * target (a profile, relative to `file`, and fault rules). Reads data that may not match the
 * schema, so it checks every shape it relies on.
 */
export function semanticProblems(data: unknown, idps: IdpDescriptions, folders: readonly string[] = [], file = 'scenario.yaml'): SemanticCheck {
  const check: SemanticCheck = { problems: [], superseded: [] };
  if (!isMapping(data)) return check;
  const idpNone = data.idp === undefined || data.idp === 'none';
  // An idp the build does not have is the JSON Schema's to report.
  const idp = typeof data.idp === 'string' && Object.hasOwn(idps, data.idp) ? idps[data.idp] : undefined;
  const names = directoryNames(data.directory);
  const idpWords = `idp: ${Object.keys(idps).join(' or ')}`;
  if ('features' in data) {
    formerKey([], 'features', "'features' is now 'requires' (patch, filter… the target must support) and 'covers' (what the scenario exercises, e.g. pushGroups)", check);
  }
  if (Array.isArray(data.requires)) checkRequires(data.requires, check);
  if ('target' in data) checkScenarioTarget(data.target, file, check);
  if (Array.isArray(data.tags)) {
    data.tags.forEach((tag, i) => {
      if (typeof tag === 'string' && folders.includes(tag)) check.problems.push({ path: ['tags', i], message: `'${tag}' is a folder of this file and so already a tag: remove it` });
    });
  }
  if (idpNone) {
    for (const key of ['settings', 'directory'].filter((k) => k in data)) {
      check.problems.push({ path: [key], at: 'key', message: `${key} is for IdP scenarios (${idpWords}); this one has idp: none` });
    }
  } else if (idp) {
    checkSettings(data.settings, idp, names, check);
    checkDirectory(data.directory, idp, names, check);
    if (Array.isArray(data.covers)) checkCovers(data.covers, data.idp as string, idp, check);
  }
  const steps = Array.isArray(data.steps) ? data.steps : [];
  const savedBy = firstSaves(steps);
  const saved = new Set<string>();
  steps.forEach((step: unknown, i) => {
    if (!isMapping(step)) return;
    const path = ['steps', i];
    // A target step holds fault rules, which are not templates, paths or matchers; an invite's email may be a template, a rotation saves a name.
    if ('target' in step && !('request' in step)) {
      checkTargetStep(step, path, check);
      if (isMapping(step.target) && isMapping(step.target.invite)) checkTemplates({ target: { invite: step.target.invite } }, path, i, saved, savedBy, check);
      for (const name of saveNames(step)) saved.add(name);
      return;
    }
    if ('request' in step) checkRequestStep(step, path, check);
    else if (!stepKind(step, path, idpNone, idpWords, check)) {
      if (isMapping(step.expect) && 'log' in step.expect) formerKey([...path, 'expect'], 'log', "'log' is now 'outcome': rename it", check);
      if (idp && 'expect' in step) {
        if (isMapping(step.expect)) checkIdpExpectation(step.expect, [...path, 'expect'], idp, names, check);
      } else if (idp && !Object.keys(step).some((key) => REQUEST_STEP_KEYS.includes(key))) {
        // A step's own key without request or expect (`save: …`) is no event: the JSON Schema says what a step is.
        checkEventStep(step, path, idp, names, check);
      }
    }
    checkPaths(step, path, check);
    for (const [place, value, owner, inPattern] of matcherPlaces(step, path)) checkMatcher(value, place, owner, check, inPattern);
    checkTemplates(step, path, i, saved, savedBy, check);
    for (const name of saveNames(step)) saved.add(name);
  });
  return check;
}

/**
 * A step without `request`: a misspelt `request`, or any step of an `idp: none` scenario, is
 * reported here (answers true); an IdP scenario's event and expect steps are left to its IdP.
 */
function stepKind(step: Mapping, path: DataPath, idpNone: boolean, idpWords: string, check: SemanticCheck): boolean {
  const keys = Object.keys(step);
  const misspelt = keys.find((k) => !REQUEST_STEP_KEYS.includes(k) && suggest(k, ['request']) === 'request');
  if (misspelt) {
    check.problems.push({ path: [...path, misspelt], at: 'key', message: `unknown key '${misspelt}' in ${formatPath(path)}: did you mean 'request'?` });
    check.superseded.push(path);
    return true;
  }
  if (!idpNone) return false;
  check.superseded.push(path);
  const where = formatPath(path);
  if (keys.length === 1 && keys[0] === 'expect') {
    check.problems.push({ path, message: `${where} has expect but no request: in an idp: none scenario every step sends a request (an expect-only step checks an IdP's traffic: ${idpWords})` });
  } else if (keys.length === 1 && !REQUEST_STEP_KEYS.includes(keys[0]!)) {
    check.problems.push({ path: [...path, keys[0]!], at: 'key', message: `'${keys[0]!}' is an IdP event step, but this scenario has idp: none (set ${idpWords}, or write a request step)` });
  } else {
    check.problems.push({ path, message: `${where} needs 'request': in an idp: none scenario every step sends a request` });
  }
  return true;
}

/** An IdP capability (`okta.pushGroups`) in `requires` belongs in `covers`, without its prefix. */
function checkRequires(requires: unknown[], check: SemanticCheck): void {
  requires.forEach((entry, i) => {
    const capability = typeof entry === 'string' ? /^[a-z]+\.(.+)$/.exec(entry)?.[1] : undefined;
    if (capability === undefined) return;
    check.problems.push({ path: ['requires', i], message: `'${entry as string}' is not a feature the target must support but what the scenario exercises: write covers: [${capability}]` });
    check.superseded.push(['requires', i]);
  });
}

/**
 * An IdP scenario covers capabilities its IdP documents: each is a scorecard row, so a misspelt one
 * would make a row of its own. A protocol scenario's areas are its own words.
 */
function checkCovers(covers: unknown[], name: string, idp: IdpDescription, check: SemanticCheck): void {
  covers.forEach((entry, i) => {
    // Not one word: the JSON Schema says so.
    if (typeof entry !== 'string' || !COVERS_WORD.test(entry) || idp.capabilities.includes(entry)) return;
    const hint = suggest(entry, idp.capabilities);
    const message = `'${entry}' is not a capability ${name} documents: one of ${idp.capabilities.join(', ')}` + (hint ? `; did you mean '${hint}'?` : '');
    check.problems.push({ path: ['covers', i], message });
    check.superseded.push(['covers', i]);
  });
}

/** A key of an older format: refused at the key, saying what replaces it, rather than as merely unknown. */
function formerKey(owner: DataPath, old: string, message: string, check: SemanticCheck): void {
  check.problems.push({ path: [...owner, old], at: 'key', message });
  check.superseded.push([...owner, old]);
}

function checkRequestStep(step: Mapping, path: DataPath, check: SemanticCheck): void {
  const request = step.request;
  if (isMapping(request) && 'body' in request && 'rawBody' in request) {
    check.problems.push({ path: [...path, 'request', 'rawBody'], at: 'key', message: `${formatPath([...path, 'request'])} has both body and rawBody: give one of them` });
  }
}

/**
 * Body and target paths are parsed here with the runner's own parser, so that a malformed one
 * fails before any request is sent; and `emails.length`, which reads nothing, is refused.
 */
function checkPaths(step: Mapping, path: DataPath, check: SemanticCheck): void {
  const expect = isMapping(step.expect) ? step.expect : {};
  const paths: [DataPath, string, 'key' | 'value', unknown][] = [];
  if (isMapping(expect.body)) {
    for (const [key, value] of Object.entries(expect.body)) paths.push([[...path, 'expect', 'body', key], key, 'key', value]);
  }
  if (isMapping(expect.target)) {
    for (const [name, attributes] of Object.entries(expect.target)) {
      if (!isMapping(attributes)) continue;
      for (const [key, value] of Object.entries(attributes)) paths.push([[...path, 'expect', 'target', name, key], key, 'key', value]);
    }
  }
  if (isMapping(step.save)) {
    for (const [name, source] of Object.entries(step.save)) if (typeof source === 'string') paths.push([[...path, 'save', name], source, 'value', undefined]);
  }
  for (const [where, text, at, value] of paths) {
    try {
      parseBodyPath(text);
    } catch (e) {
      if (!(e instanceof BodyPathError)) throw e;
      check.problems.push({ path: where, at, message: e.message });
      continue;
    }
    if (at === 'key' && /\.length$/.test(text)) {
      const count = typeof value === 'number' ? value : 'N';
      check.problems.push({ path: where, at, message: `'${text}' reads a member named length, not how many there are: write ${text.slice(0, -'.length'.length)}: { length: ${count} }` });
    }
  }
}

/** A place that takes a matcher: where, the value, the place whose JSON Schema errors a mistake there explains, and whether it is inside a pattern. */
type MatcherPlace = [place: DataPath, value: unknown, owner: DataPath, inPattern?: boolean];

/** Every place that takes a matcher or a plain value. */
function matcherPlaces(step: Mapping, path: DataPath): MatcherPlace[] {
  const expect = step.expect;
  if (!isMapping(expect)) return [];
  const places: MatcherPlace[] = [];
  const each = (at: DataPath, group: unknown) => {
    if (isMapping(group)) for (const [key, value] of Object.entries(group)) places.push([[...at, key], value, [...at, key]]);
  };
  each([...path, 'expect', 'headers'], expect.headers);
  each([...path, 'expect', 'body'], expect.body);
  if (isMapping(expect.target)) {
    for (const [name, attributes] of Object.entries(expect.target)) each([...path, 'expect', 'target', name], attributes);
  }
  if (Array.isArray(expect.sent)) {
    expect.sent.forEach((entry, i) => {
      if (!isMapping(entry)) return;
      const at: DataPath = [...path, 'expect', 'sent', i];
      // A mapping there is a matcher only: the JSON Schema's error is about the whole entry.
      if (isMapping(entry.path)) places.push([[...at, 'path'], entry.path, at]);
      each([...at, 'query'], entry.query);
      each([...at, 'headers'], entry.headers);
      if ('body' in entry) patternPlaces([...at, 'body'], entry.body, at, places);
    });
  }
  // Outcome records: each value is a pattern, as a sent body is.
  const records: [DataPath, unknown][] = Array.isArray(expect.outcome)
    ? expect.outcome.map((entry, i) => [[...path, 'expect', 'outcome', i], entry])
    : [[[...path, 'expect', 'outcome'], expect.outcome]];
  for (const [at, record] of records) {
    if (isMapping(record)) for (const [key, value] of Object.entries(record)) patternPlaces([...at, key], value, at, places);
  }
  return places;
}

/**
 * The matchers in a pattern (harness/steps/pattern.ts), at any depth, and the mappings that look
 * like misspelt ones. Their values are checked here too: the JSON Schema's error for one is about
 * the whole sent entry or record (`owner`).
 */
function patternPlaces(at: DataPath, value: unknown, owner: DataPath, places: MatcherPlace[]): void {
  if (isMatcherMapping(value) || misspeltMatcherKeys(value).length > 0) places.push([at, value, owner, true]);
  else if (Array.isArray(value)) value.forEach((item, i) => patternPlaces([...at, i], item, owner, places));
  else if (isMapping(value)) for (const [key, item] of Object.entries(value)) patternPlaces([...at, key], item, owner, places);
}

const MATCHER_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

/** What the JSON Schema's `matcher` says of each key's value, for matchers the schema reaches only as a whole. */
function matcherValueProblems(matcher: Matcher, place: DataPath): Problem[] {
  const problems: Problem[] = [];
  const wrong = (key: string, words: string) => problems.push({ path: [...place, key], message: `${formatPath([...place, key])} must be ${words}, got ${JSON.stringify(matcher[key as keyof Matcher])}` });
  if (matcher.type !== undefined && !MATCHER_TYPES.includes(matcher.type)) {
    wrong('type', `one of ${MATCHER_TYPES.join(', ')} (to compare with a mapping that has a type member, write { equals: { type: … } })`);
  }
  for (const key of ['absent', 'present', 'ignoreCase'] as const) if (matcher[key] !== undefined && typeof matcher[key] !== 'boolean') wrong(key, 'true or false');
  if (matcher.length !== undefined && !(Number.isSafeInteger(matcher.length) && matcher.length >= 0)) wrong('length', 'a whole number, 0 or more');
  for (const key of ['oneOf', 'containsAll'] as const) if (matcher[key] !== undefined && !(Array.isArray(matcher[key]) && matcher[key].length > 0)) wrong(key, 'a non-empty list');
  if (matcher.matches !== undefined && typeof matcher.matches !== 'string') wrong('matches', 'a regular expression, as text');
  return problems;
}

/**
 * A matcher's keys must all be matcher keys (not `equal` for `equals`), and its `matches` must
 * compile; in a pattern, each key's value must also be of its kind.
 */
function checkMatcher(value: unknown, place: DataPath, owner: DataPath, check: SemanticCheck, inPattern = false): void {
  const misspelt = misspeltMatcherKeys(value);
  for (const [key, meant] of misspelt) {
    check.problems.push({
      path: [...place, key],
      at: 'key',
      message: `unknown matcher '${key}' in ${formatPath(place)}: did you mean '${meant}'? (to compare with a mapping whose member is '${key}', write { equals: { ${key}: … } })`,
    });
  }
  if (misspelt.length > 0) {
    check.superseded.push(owner);
    return;
  }
  if (!isMatcherMapping(value)) return;
  if (inPattern) {
    const problems = matcherValueProblems(value, place);
    check.problems.push(...problems);
    if (problems.length > 0) check.superseded.push(owner);
  }
  if (typeof value.matches === 'string') {
    try {
      new RegExp(value.matches);
    } catch (e) {
      const reason = (e as Error).message.replace(/^Invalid regular expression: /, '');
      check.problems.push({ path: [...place, 'matches'], message: `${formatPath([...place, 'matches'])} is not a valid regular expression: ${reason}` });
    }
  }
  if (value.not !== undefined) checkMatcher(value.not, [...place, 'not'], inPattern ? owner : [...place, 'not'], check, inPattern);
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
  // A key rotation saves the key it replaces under its own name (`rotateToken: { saveOld: NAME }`).
  const old = isMapping(step.target) && isMapping(step.target.rotateToken) ? step.target.rotateToken.saveOld : undefined;
  if (typeof old === 'string' && SAVED_NAME.test(old)) return [old];
  return isMapping(step.save) ? Object.keys(step.save).filter((name) => SAVED_NAME.test(name)) : [];
}
