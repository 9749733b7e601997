import { isObject } from '../schema/keys.js';
import { RESOURCE_TYPES, type PatchValues, type Profile, type ValueKind } from './fields.js';
import type { SpecProblem } from './spec.js';

/*
 * A profile's `patch.values`: the value shapes a PATCH operation may carry, by form (with a path,
 * or path-less) and by the name the value is written at. Messages name kinds, never the value
 * itself, which may be a password.
 */

/** Why a value may not be carried: a name its form does not list, or a kind the name does not take. */
export type ShapeRefusal = {
  form: 'path' | 'pathless';
  /** The operation's path, or the path-less value's member. */
  name: string;
} & (
  | { /** The names the form lists, `name` not among them. */ listed: string[] }
  | { /** The kinds the name takes. */ kinds: ValueKind[]; /** The value's kind, none of them. */ kind: ValueKind }
);

const BOOLEAN_STRING = /^(true|false)$/i;

/** The kinds a JSON value has, its JSON type first: "False" is a string and a booleanString. */
export function kindsOf(value: unknown): ValueKind[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (isObject(value)) return ['object'];
  if (typeof value === 'string') return BOOLEAN_STRING.test(value) ? ['string', 'booleanString'] : ['string'];
  return typeof value === 'boolean' ? ['boolean'] : ['number'];
}

/**
 * Why `value` may not be written at `name` in `form`; undefined when the profile lists that form
 * nowhere, or takes it. Without a value (a remove), only the name is judged.
 */
export function shapeRefusal(values: PatchValues, form: ShapeRefusal['form'], name: string, value: unknown, hasValue: boolean): ShapeRefusal | undefined {
  const table = values[form];
  if (!table) return undefined;
  const kinds = Object.entries(table).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  if (!kinds) return { form, name, listed: Object.keys(table) };
  const own = kindsOf(value);
  if (!hasValue || own.some((kind) => kinds.includes(kind))) return undefined;
  return { form, name, kinds, kind: own[0] };
}

const KIND_WORDS: Record<ValueKind, string> = {
  boolean: 'a boolean',
  booleanString: 'a "True"/"False" string',
  string: 'a string',
  number: 'a number',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const place = (refusal: ShapeRefusal) => (refusal.form === 'path' ? `path ${refusal.name}` : `${refusal.name} in a path-less value`);

/** A refusal in a few words, as a claim's reason gives it: `a string at path active`, `name in a path-less value`. */
export function shapeWords(refusal: ShapeRefusal): string {
  if ('listed' in refusal) return place(refusal);
  return `${KIND_WORDS[refusal.kind]} ${refusal.form === 'path' ? 'at' : 'for'} ${place(refusal)}`;
}

/** A refusal as the detail of a 400 invalidValue, for operation `index`. */
export function shapeMessage(refusal: ShapeRefusal, index: number): string {
  if ('kinds' in refusal) {
    const wanted = refusal.kinds.map((k) => KIND_WORDS[k]).join(' or ');
    return `Operation ${index}: PATCH here takes ${wanted} ${refusal.form === 'path' ? 'at' : 'for'} ${place(refusal)}, not ${KIND_WORDS[refusal.kind]}`;
  }
  const { form, name, listed: names } = refusal;
  if (form === 'path') {
    return `Operation ${index}: PATCH here ${names.length ? `names only the paths ${names.join(', ')}` : 'takes no path'}, not ${name}`;
  }
  return `Operation ${index}: ${names.length ? `a path-less PATCH value here holds only ${names.join(', ')}` : 'PATCH here takes no path-less value'}, not ${name}`;
}

/**
 * A `booleanString` a profile lists while its `compat.stringBooleans` is off: the rule would let
 * "False" through to be refused by RFC 7644 semantics, so the two must agree.
 */
export function valueKindProblems(profile: Pick<Profile, 'patch' | 'compat'>): SpecProblem[] {
  if (profile.compat.stringBooleans) return [];
  return RESOURCE_TYPES.flatMap((type) =>
    (['path', 'pathless'] as const).flatMap((form) =>
      Object.entries(profile.patch.values[type]?.[form] ?? {})
        .filter(([, kinds]) => kinds.includes('booleanString'))
        .map(([name]) => ({
          path: `patch.values.${type}.${form}[${JSON.stringify(name)}]`,
          message: 'lists booleanString, which needs compat.stringBooleans: true (what reads "True"/"False" as a boolean): turn it on, or take booleanString out',
        })),
    ),
  );
}
