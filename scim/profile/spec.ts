import { isObject } from '../schema/keys.js';
import { suggest } from '../suggest.js';

/*
 * A small description language for the profile format: one table of fields (fields.ts) from
 * which both the reader's checks (readSpec) and the editor's JSON Schema (specJsonSchema) are
 * made, so that the two cannot disagree.
 */

export type Spec =
  | { kind: 'boolean'; description?: string }
  | { kind: 'integer'; min?: number; max?: number; description?: string }
  | { kind: 'string'; nonEmpty?: boolean; description?: string }
  | { kind: 'enum'; values: readonly (string | number)[]; description?: string }
  | { kind: 'list'; of: Spec; unique?: boolean; description?: string }
  /** A closed mapping: only these keys. */
  | { kind: 'object'; fields: Readonly<Record<string, Spec>>; required?: readonly string[]; description?: string }
  /** A mapping whose keys are free (attribute names): each value as `of`. */
  | { kind: 'map'; of: Spec; description?: string }
  /** One of several shapes, told apart by their JSON type (a word, or a list). */
  | { kind: 'either'; options: readonly Spec[]; description?: string }
  /** Any JSON value (a body sent as given). */
  | { kind: 'json'; object?: boolean; description?: string };

/** A mistake in a profile: where (a dotted path, `filter.attributes.User.userName[0]`) and what it takes. */
export interface SpecProblem {
  path: string;
  message: string;
}

type Segment = string | number;

export function formatPath(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? 'the profile' : out;
}

function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'a mapping';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** What a field takes, in words: "true or false", "one of 200, 204", "a list of …". */
export function describeSpec(spec: Spec): string {
  switch (spec.kind) {
    case 'boolean':
      return 'true or false';
    case 'integer':
      return spec.min !== undefined && spec.max !== undefined
        ? `a whole number from ${spec.min} to ${spec.max}`
        : spec.min !== undefined
          ? `a whole number of at least ${spec.min}`
          : 'a whole number';
    case 'string':
      return spec.nonEmpty ? 'a non-empty string' : 'a string';
    case 'enum':
      return spec.values.length === 1 ? String(spec.values[0]) : `one of ${spec.values.join(', ')}`;
    case 'list': {
      const { of } = spec;
      if (of.kind === 'enum') return `a list of values among ${of.values.join(', ')}`;
      if (of.kind === 'string') return `a list of ${of.nonEmpty ? 'non-empty ' : ''}strings`;
      return `a list of ${describeSpec(of).replace(/^(a|an) /, '')}s`;
    }
    case 'object':
      return `a mapping with ${Object.keys(spec.fields).join(', ')}`;
    case 'map':
      return 'a mapping of names';
    case 'either':
      return spec.options.map(describeSpec).join(', or ');
    case 'json':
      return spec.object ? 'a JSON object' : 'any JSON value';
  }
}

function fits(value: unknown, spec: Spec): boolean {
  switch (spec.kind) {
    case 'list':
      return Array.isArray(value);
    case 'object':
    case 'map':
      return isObject(value);
    case 'enum':
      return typeof value === 'string' || typeof value === 'number';
    default:
      return true;
  }
}

/** Every mistake in `value` against `spec`, in document order. */
export function readSpec(value: unknown, spec: Spec, path: Segment[] = []): SpecProblem[] {
  const problem = (message: string): SpecProblem[] => [{ path: formatPath(path), message }];
  const wrong = (): SpecProblem[] => problem(`must be ${describeSpec(spec)}, got ${shown(value)}`);
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? [] : wrong();
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return wrong();
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) return wrong();
      return [];
    case 'string':
      return typeof value === 'string' && (!spec.nonEmpty || value !== '') ? [] : wrong();
    case 'enum': {
      if (spec.values.includes(value as string | number)) return [];
      const hint = typeof value === 'string' ? suggest(value, spec.values.map(String)) : undefined;
      return problem(`must be one of ${spec.values.join(', ')}, got ${shown(value)}${hint ? `: did you mean '${hint}'?` : ''}`);
    }
    case 'list': {
      if (!Array.isArray(value)) return wrong();
      const problems = value.flatMap((item, i) => readSpec(item, spec.of, [...path, i]));
      if (spec.unique) {
        const seen = new Set<string>();
        value.forEach((item, i) => {
          const key = JSON.stringify(item);
          if (seen.has(key)) problems.push({ path: formatPath([...path, i]), message: `repeats ${shown(item)}: list it once` });
          seen.add(key);
        });
      }
      return problems;
    }
    case 'object': {
      if (!isObject(value)) return wrong();
      const known = Object.keys(spec.fields);
      const problems: SpecProblem[] = [];
      for (const [key, item] of Object.entries(value)) {
        const field = spec.fields[key];
        if (field) {
          problems.push(...readSpec(item, field, [...path, key]));
          continue;
        }
        const hint = suggest(key, known);
        const where = path.length === 0 ? 'at the top level' : `in ${formatPath(path)}`;
        problems.push({ path: formatPath([...path, key]), message: `unknown key '${key}' ${where}${hint ? `: did you mean '${hint}'?` : ` (known keys: ${known.join(', ')})`}` });
      }
      for (const key of spec.required ?? []) {
        if (!(key in value)) problems.push({ path: formatPath(path), message: `needs '${key}': ${describeSpec(spec.fields[key]!)}` });
      }
      return problems;
    }
    case 'map':
      if (!isObject(value)) return wrong();
      return Object.entries(value).flatMap(([key, item]) => readSpec(item, spec.of, [...path, key]));
    case 'either': {
      const shaped = spec.options.find((option) => fits(value, option) && readSpec(value, option, path).length === 0);
      if (shaped) return [];
      // The option whose shape the value has explains best what is wrong inside it.
      const near = spec.options.find((option) => option.kind !== 'enum' && fits(value, option));
      return near ? readSpec(value, near, path) : wrong();
    }
    case 'json':
      return spec.object && !isObject(value) ? wrong() : [];
  }
}

/** The JSON Schema (draft 2020-12) accepting what readSpec accepts. */
export function specJsonSchema(spec: Spec): Record<string, unknown> {
  const described = (schema: Record<string, unknown>) => (spec.description ? { description: spec.description, ...schema } : schema);
  switch (spec.kind) {
    case 'boolean':
      return described({ type: 'boolean' });
    case 'integer':
      return described({ type: 'integer', ...(spec.min !== undefined && { minimum: spec.min }), ...(spec.max !== undefined && { maximum: spec.max }) });
    case 'string':
      return described({ type: 'string', ...(spec.nonEmpty && { minLength: 1 }) });
    case 'enum':
      return described({ enum: [...spec.values] });
    case 'list':
      return described({ type: 'array', items: specJsonSchema(spec.of), ...(spec.unique && { uniqueItems: true }) });
    case 'object':
      return described({
        type: 'object',
        properties: Object.fromEntries(Object.entries(spec.fields).map(([key, field]) => [key, specJsonSchema(field)])),
        additionalProperties: false,
        ...(spec.required && spec.required.length > 0 && { required: [...spec.required] }),
      });
    case 'map':
      return described({ type: 'object', additionalProperties: specJsonSchema(spec.of) });
    case 'either':
      return described({ anyOf: spec.options.map(specJsonSchema) });
    case 'json':
      return described(spec.object ? { type: 'object' } : {});
  }
}
