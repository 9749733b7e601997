import { isObject as isMapping } from '../../scim/schema/keys.js';
import type { Field, MappingShape, Section, Shape } from './idp-description.js';
import { isMatcherMapping, misspeltMatcherKeys } from './matcher-shorthand.js';
import { formatPath, type DataPath, type Problem } from './paths.js';
import { suggest } from '../../scim/suggest.js';

/** The names of a scenario's directory, by section: what `name` shapes accept. */
export type DirectoryNames = Readonly<Record<Section, readonly string[]>>;

type Mapping = Record<string, unknown>;

// A YAML mapping is what scim/ calls an object: one test for both, under the name the loader reads best.
export { isMapping };

/** A value as a message shows it: strings quoted, anything else as JSON. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

/** What a value of this shape is, in words: "a user name or a mapping { user, group, via }". */
export function shapeWords(shape: Shape): string {
  switch (shape.type) {
    case 'boolean':
      return 'true or false';
    case 'text':
      return shape.format ?? (shape.empty ? 'a text' : 'a non-empty text');
    case 'number':
      return numberWords(shape);
    case 'enum':
      return shape.values.length === 1 ? String(shape.values[0]) : `${shape.values.slice(0, -1).join(', ')} or ${String(shape.values.at(-1))}`;
    case 'name':
      return `a ${sectionNouns(shape.of)} name`;
    case 'null':
      return 'null';
    case 'list':
      return listWords(shape.items);
    case 'mapping': {
      const fields = Object.keys(shape.fields ?? {});
      return fields.length > 0 && !shape.others ? `a mapping { ${fields.join(', ')} }` : 'a mapping';
    }
    case 'either':
      return shape.shapes.map(shapeWords).join(' or ');
    case 'any':
      return 'any value';
    case 'nothing':
      return 'no argument';
  }
}

function listWords(items: Shape): string {
  if (items.type === 'name') return `a list of ${sectionNouns(items.of)} names`;
  if (items.type === 'enum') return `a list of ${items.values.join(', ')}`;
  return 'a list';
}

function numberWords(shape: Extract<Shape, { type: 'number' }>): string {
  const noun = shape.integer ? 'a whole number' : 'a number';
  if (shape.integer && shape.minimum === 1) return 'a positive integer';
  if (shape.exclusiveMinimum === 0 && shape.exclusiveMaximum === undefined) return 'a positive number';
  if (shape.exclusiveMinimum !== undefined && shape.exclusiveMaximum !== undefined) return `${noun} between ${shape.exclusiveMinimum} and ${shape.exclusiveMaximum}`;
  if (shape.minimum !== undefined) return `${noun}, ${shape.minimum} or more`;
  return noun;
}

function sectionNouns(of: readonly Section[]): string {
  return of.map((section) => (section === 'users' ? 'user' : 'group')).join(' or ');
}

/** Shapes whose only complaint about a value is that it is not one of them (a text's format says more: a duration). */
const PLAIN = new Set<Shape['type']>(['boolean', 'null', 'number']);

/** Whether the value's JSON type is one the shape takes (its other rules aside): how `either` picks a branch. */
function takesType(shape: Shape, value: unknown): boolean {
  switch (shape.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'text':
    case 'name':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'enum':
      return shape.values.some((v) => typeof v === typeof value);
    case 'null':
      return value === null;
    case 'list':
      return Array.isArray(value);
    case 'mapping':
      return isMapping(value);
    case 'either':
      return shape.shapes.some((s) => takesType(s, value));
    case 'any':
      return true;
    case 'nothing':
      return value === null || value === true || isMapping(value);
  }
}

/**
 * Checks `value`, written at `path`, against `shape`, pushing each mistake in words to `problems`;
 * answers whether it fits. `names` are the directory's, for `name` shapes. In a `pattern` (an
 * expected outcome record), a matcher at any depth fits any shape: it is checked as a matcher.
 */
export function checkShape(value: unknown, shape: Shape, path: DataPath, names: DirectoryNames, problems: Problem[], pattern = false): boolean {
  if (pattern && (isMatcherMapping(value) || misspeltMatcherKeys(value).length > 0)) return true;
  const before = problems.length;
  const fail = (message: string) => problems.push({ path, message });
  const wrong = () => fail(`${formatPath(path)} must be ${shapeWords(shape)}, got ${shown(value)}`);
  switch (shape.type) {
    case 'boolean':
    case 'null':
      if (!takesType(shape, value)) wrong();
      break;
    case 'text':
      if (typeof value !== 'string' || (value === '' && !shape.empty) || (shape.pattern !== undefined && !new RegExp(shape.pattern).test(value))) wrong();
      break;
    case 'number': {
      const fits =
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!shape.integer || Number.isSafeInteger(value)) &&
        (shape.minimum === undefined || value >= shape.minimum) &&
        (shape.exclusiveMinimum === undefined || value > shape.exclusiveMinimum) &&
        (shape.exclusiveMaximum === undefined || value < shape.exclusiveMaximum);
      if (!fits) wrong();
      break;
    }
    case 'enum':
      if (!shape.values.includes(value as string | number | boolean)) {
        const allowed = shape.values.map(String);
        const hint = typeof value === 'string' ? suggest(value, allowed) : undefined;
        fail(`${formatPath(path)} must be one of ${allowed.join(', ')}, got ${shown(value)}` + (hint ? `: did you mean '${hint}'?` : ''));
      }
      break;
    case 'name':
      checkName(value, shape.of, path, names, problems);
      break;
    case 'list':
      if (!Array.isArray(value)) wrong();
      else value.forEach((item, i) => checkShape(item, shape.items, [...path, i], names, problems, pattern));
      break;
    case 'mapping':
      if (!isMapping(value)) wrong();
      else checkMapping(value, shape, path, names, problems, pattern);
      break;
    case 'either': {
      const branches = shape.shapes.filter((s) => takesType(s, value));
      if (branches.length === 0) {
        wrong();
        break;
      }
      // Several branches of the value's type: it fits when one takes it; otherwise the first says why not.
      const attempts = branches.map((branch) => {
        const found: Problem[] = [];
        checkShape(value, branch, path, names, found, pattern);
        return found;
      });
      if (attempts.some((found) => found.length === 0)) break;
      // A plain value refused as a whole (0 for a positive integer or false) is told every option; a mapping's or a name's own words say more.
      if (PLAIN.has(branches[0]!.type)) wrong();
      else problems.push(...attempts[0]!);
      break;
    }
    case 'any':
      break;
    case 'nothing':
      if (!(value === null || value === true || (isMapping(value) && Object.keys(value).length === 0))) {
        const name = String(path.at(-1));
        fail(`${formatPath(path)} takes no argument (write "- ${name}:"), got ${shown(value)}`);
      }
      break;
  }
  return problems.length === before;
}

function checkName(value: unknown, of: readonly Section[], path: DataPath, names: DirectoryNames, problems: Problem[]): void {
  if (typeof value !== 'string' || value === '') {
    problems.push({ path, message: `${formatPath(path)} must be a ${sectionNouns(of)} name from the directory, got ${shown(value)}` });
    return;
  }
  const known = of.flatMap((section) => names[section]);
  if (known.includes(value)) return;
  const where = of.length === 1 ? `a ${sectionNouns(of)} in directory.${of[0]!}` : `a ${sectionNouns(of)} of the directory`;
  const hint = suggest(value, known);
  const listed = known.length > 0 ? known.join(', ') : 'it has none';
  problems.push({ path, message: `${formatPath(path)}: "${value}" is not ${where} (${listed})` + (hint ? `: did you mean '${hint}'?` : '') });
}

function checkMapping(value: Mapping, shape: MappingShape, path: DataPath, names: DirectoryNames, problems: Problem[], pattern: boolean): void {
  const fields: Readonly<Record<string, Field>> = shape.fields ?? {};
  const known = Object.keys(fields);
  const keys = Object.keys(value);
  // A misspelt key is reported once, as "did you mean", not also as the key it should have been.
  const meant = new Set<string>();
  for (const key of keys) {
    const reason = shape.reserved?.[key];
    if (reason !== undefined) {
      problems.push({ path: [...path, key], at: 'key', message: `${formatPath(path)} cannot set ${key}: ${reason}` });
    } else if (Object.hasOwn(fields, key)) {
      checkShape(value[key], fields[key]!.shape, [...path, key], names, problems, pattern);
    } else if (shape.others) {
      checkShape(value[key], shape.others, [...path, key], names, problems, pattern);
    } else {
      const hint = suggest(key, known);
      if (hint) meant.add(hint);
      const rest = hint ? `: did you mean '${hint}'?` : known.length > 0 ? ` (known keys: ${known.join(', ')})` : ' (it takes none)';
      problems.push({ path: [...path, key], at: 'key', message: `unknown key '${key}' in ${formatPath(path)}${rest}` });
    }
  }
  const given = (key: string) => Object.hasOwn(value, key);
  for (const [key, field] of Object.entries(fields)) {
    // A pattern lists only what it checks: nothing is required of it.
    if (field.required && !pattern && !given(key) && !meant.has(key)) problems.push({ path, message: `${formatPath(path)} needs '${key}'` });
    if (field.with !== undefined && !pattern && given(key) && !given(field.with)) {
      problems.push({ path: [...path, key], at: 'key', message: `'${key}' in ${formatPath(path)} goes with '${field.with}', which is missing` });
    }
  }
  if (shape.exactlyOne) {
    const either = shape.exactlyOne;
    const chosen = either.filter(given);
    const words = either.join(' or ');
    if (chosen.length > 1) problems.push({ path, message: `${formatPath(path)} takes ${words}, not both` });
    else if (chosen.length === 0 && !pattern && !either.some((key) => meant.has(key))) problems.push({ path, message: `${formatPath(path)} needs ${words}` });
  }
  if (shape.nonEmpty && keys.length === 0) problems.push({ path, message: `${formatPath(path)} must not be empty` });
}
