import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { packageDir } from './files.js';
import type { IdpDescriptions } from './idp-description.js';
import { formatPath, isWithin, type DataPath, type Problem } from './paths.js';
import { scenarioSchema } from './schema-document.js';
import { suggest } from '../../scim/suggest.js';

/** The published JSON Schema of a scenario file, for editors (harness/cli/write-schema.ts writes it). */
export function scenarioSchemaFile(): string {
  return join(packageDir(), 'scenarios', 'scenario.schema.json');
}

const compiled = new WeakMap<IdpDescriptions, ValidateFunction>();

/** The schema without the IdPs' own parts, which the loader checks itself (idp-checks.ts). */
function validator(idps: IdpDescriptions): ValidateFunction {
  let validate = compiled.get(idps);
  if (validate) return validate;
  // strictTypes off: matcherOrValue describes matcher keys for editors on a value of any type.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strictTypes: false });
  // `errorMessage` (also read by yaml-language-server) replaces ajv's words for a schema's failures.
  ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
  validate = ajv.compile(scenarioSchema(idps));
  compiled.set(idps, validate);
  return validate;
}

/** What is wrong with a scenario's data by the JSON Schema, in words for a scenario author. */
export function schemaProblems(data: unknown, idps: IdpDescriptions): Problem[] {
  const validate = validator(idps);
  if (validate(data)) return [];
  return describeErrors(validate.errors ?? [], data);
}

interface Located {
  error: ErrorObject;
  path: DataPath;
}

/** A problem, with what is needed to drop "needs 'x'" when a misspelt key already says "did you mean 'x'". */
interface SchemaProblem extends Problem {
  missingKey?: string;
  suggestedKey?: string;
}

/** Keywords whose failure a schema's `errorMessage` sums up. */
const SUMMARISED = new Set(['type', 'anyOf', 'oneOf', 'not', 'propertyNames', 'minProperties', 'maxProperties', 'pattern', 'enum']);

function describeErrors(errors: ErrorObject[], data: unknown): SchemaProblem[] {
  // `if` failures only say which branch applied: that branch's own errors say what is wrong.
  // Errors inside propertyNames lack the key's name: the propertyNames error itself has it.
  const telling = errors.filter((e) => e.keyword !== 'if' && !e.schemaPath.includes('/propertyNames/'));
  let located: Located[] = telling.map((error) => ({ error, path: dataPath(error.instancePath, data) }));

  const problems: SchemaProblem[] = [];
  // anyOf / oneOf failures carry every branch's errors: say what was expected instead.
  for (const { error, path } of located.filter(({ error }) => error.keyword === 'anyOf' || error.keyword === 'oneOf')) {
    if (!located.some((l) => l.error === error)) continue;
    problems.push({ path, message: `${subject(path)} ${customMessage(error) ?? 'is none of the forms allowed here'}` });
    located = located.filter((l) => !isWithin(l.path, path));
  }
  // One message per place when a schema sums up its failures, or when the value has the wrong type.
  for (const { error, path } of [...located]) {
    const summary = SUMMARISED.has(error.keyword) ? customMessage(error) : undefined;
    if (summary === undefined && error.keyword !== 'type') continue;
    if (!located.some((l) => l.error === error)) continue;
    const same = located.filter((l) => samePath(l.path, path));
    const chosen = same.find((l) => SUMMARISED.has(l.error.keyword) && customMessage(l.error)) ?? same.find((l) => l.error.keyword === 'type')!;
    problems.push(describe(chosen));
    located = located.filter((l) => !samePath(l.path, path));
  }
  problems.push(...located.map(describe));
  return withoutRedundant(problems);
}

function describe({ error, path }: Located): SchemaProblem {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'propertyNames') {
    const key = String(params.propertyName);
    const custom = (error.parentSchema?.propertyNames as { errorMessage?: unknown } | undefined)?.errorMessage;
    if (typeof custom === 'string') return { path: [...path, key], at: 'key', message: `${subject(path)}: '${key}' ${custom}` };
  }
  const custom = SUMMARISED.has(error.keyword) ? customMessage(error) : undefined;
  if (custom) return { path, message: `${subject(path)} ${custom}` };
  switch (error.keyword) {
    case 'type':
      if (path.length === 0) return { path, message: 'a scenario file must be a mapping (id: …, title: …, refs: […], steps: […])' };
      return { path, message: `${subject(path)} must be ${typeWords(params.type as string | string[])}` };
    case 'required': {
      const key = String(params.missingProperty);
      return { path, missingKey: key, message: `${path.length === 0 ? 'a scenario' : subject(path)} needs '${key}'` };
    }
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {}).filter((k) => k !== '$schema');
      const where = path.length === 0 ? 'at the top level' : `in ${subject(path)}`;
      const hint = suggest(key, known);
      return {
        path: [...path, key],
        at: 'key',
        suggestedKey: hint,
        message: `unknown key '${key}' ${where}` + (hint ? `: did you mean '${hint}'?` : ` (known keys: ${known.join(', ')})`),
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof error.data === 'string' ? suggest(error.data, allowed) : undefined;
      return { path, message: `${subject(path)} must be one of ${allowed.join(', ')}` + (hint ? `: did you mean '${hint}'?` : '') };
    }
    case 'const':
      return { path, message: `${subject(path)} must be ${JSON.stringify(params.allowedValue)}` };
    case 'minItems':
    case 'minLength':
    case 'minProperties':
      return { path, message: `${subject(path)} must ${params.limit === 1 ? 'not be empty' : `have at least ${String(params.limit)} ${error.keyword === 'minLength' ? 'characters' : 'entries'}`}` };
    case 'maxProperties':
      return { path, message: `${subject(path)} must have at most ${String(params.limit)} keys` };
    case 'minimum':
      return { path, message: `${subject(path)} must be at least ${String(params.limit)}` };
    case 'maximum':
      return { path, message: `${subject(path)} must be at most ${String(params.limit)}` };
    case 'pattern':
      return { path, message: `${subject(path)} must match /${String(params.pattern)}/` };
    case 'uniqueItems':
      return { path: [...path, Number(params.i)], message: `${subject(path)} has ${JSON.stringify((error.data as unknown[])[Number(params.i)])} twice: give it once` };
    case 'propertyNames':
      return { path: [...path, String(params.propertyName)], at: 'key', message: `${subject(path)}: key '${String(params.propertyName)}' is not allowed here` };
    default:
      return { path, message: `${subject(path)} ${error.message ?? 'is not valid'}` };
  }
}

/** A misspelt key is reported once, as "did you mean", not also as the key it should have been. */
function withoutRedundant(problems: SchemaProblem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    if (p.missingKey && problems.some((q) => q.suggestedKey === p.missingKey && samePath(q.path.slice(0, -1), p.path))) return false;
    const key = `${JSON.stringify(p.path)} ${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function customMessage(error: ErrorObject): string | undefined {
  const message: unknown = error.parentSchema?.errorMessage;
  return typeof message === 'string' ? message : undefined;
}

function subject(path: DataPath): string {
  return path.length === 0 ? 'the scenario' : formatPath(path);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'null',
};

function typeWords(type: string | string[]): string {
  const words = (Array.isArray(type) ? type : type.split(',')).map((t) => TYPE_WORDS[t] ?? t);
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`;
}

function samePath(a: DataPath, b: DataPath): boolean {
  return a.length === b.length && isWithin(a, b);
}

/** ajv's JSON pointer as keys and indexes, reading the data to tell list indexes from keys. */
function dataPath(pointer: string, data: unknown): DataPath {
  const path: (string | number)[] = [];
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(node) ? Number(key) : key;
    path.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return path;
}
