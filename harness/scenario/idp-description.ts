/*
 * What the scenario loader knows of an IdP simulator, as plain data: its events and their
 * arguments, its settings, the fields of its directory, and the keys of the records it reports.
 * `validate` checks scenario files against it (idp-checks.ts) and the editor schema
 * (scenarios/scenario.schema.json) is generated from it (schema-document.ts). Each IdP's
 * definition (harness/idp/<name>/index.ts) is one; the loader is handed the registry of them.
 */

/** The sections of a directory whose names scenario steps use. */
export type Section = 'users' | 'groups';

/** What a value must be, in terms both the loader's checks and JSON Schema can say. */
export type Shape =
  | { type: 'boolean' }
  /**
   * A text, not empty unless `empty`; `pattern` is a regular expression's source, and `format` says
   * it in words ("an Okta user id: 00u and 17 letters or digits").
   */
  | { type: 'text'; pattern?: string; format?: string; empty?: boolean }
  | { type: 'number'; integer?: boolean; minimum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number }
  | { type: 'enum'; values: readonly (string | number | boolean)[] }
  /** The name of an object of the scenario's directory, in one of these sections. */
  | { type: 'name'; of: readonly Section[] }
  | { type: 'null' }
  | { type: 'list'; items: Shape }
  | MappingShape
  /** One of these, told apart by the value's JSON type. */
  | { type: 'either'; shapes: readonly Shape[] }
  | { type: 'any' }
  /** No value: an event written `- restart:` (null), `- restart: true` or with `{}`. */
  | { type: 'nothing' };

export interface MappingShape {
  type: 'mapping';
  fields?: Readonly<Record<string, Field>>;
  /** What keys other than `fields` hold; without it, other keys are mistakes. */
  others?: Shape;
  /** Exactly one of these fields must be given. */
  exactlyOne?: readonly string[];
  /** Keys that cannot be given, each with what to do instead. */
  reserved?: Readonly<Record<string, string>>;
  /** At least one key. */
  nonEmpty?: boolean;
}

export interface Field {
  shape: Shape;
  /** For scenario authors: the editor shows it on hover. */
  description: string;
  required?: boolean;
  /** The value when the field is not given, as a scenario would write it. */
  default?: unknown;
  /** Only together with this other field. */
  with?: string;
  /** Its free text is a secret (a password, a token): step names show `[redacted]`, and the run's result is scrubbed of it. */
  secret?: true;
}

/** `fields` with those named declared secret. */
export function secretFields(fields: Readonly<Record<string, Field>>, names: readonly string[]): Record<string, Field> {
  return Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, names.includes(name) ? { ...field, secret: true as const } : field]));
}

export interface EventDescription {
  /** What the IdP does, in a sentence or two. */
  description: string;
  argument: Shape;
  /** Its argument's free text is a secret, wherever it is (a Secret Token); a field of it can be declared one instead (`Field.secret`). */
  secret?: true;
}

export interface IdpDescription {
  /** The IdP as messages name it: Okta, Entra. */
  title: string;
  /** Where its events, settings and records are documented for scenario authors. */
  docs: string;
  events: Readonly<Record<string, EventDescription>>;
  /**
   * Its capabilities as it documents them (Okta's To App features, Entra's provisioning
   * capabilities): all an IdP scenario's `covers` may name, so that each scorecard row is one of them.
   */
  capabilities: readonly string[];
  /** `settings:` knobs, with their defaults. */
  settings: Readonly<Record<string, Field>>;
  /** Former names of settings, each with the message that names the replacement: refused where written. */
  renamedSettings?: Readonly<Record<string, string>>;
  /**
   * The simulator's own reading of `settings`, for what the fields cannot say (one knob's value
   * depending on another): throws an Error in words, whose `path` (a DataPath), when it has one,
   * is where the mistake is written.
   */
  readSettings?: (settings: unknown) => unknown;
  /** `directory:` sections. */
  directory: Readonly<Record<string, Field>>;
  /** The keys of the records it reports, which `expect.outcome` entries match. */
  outcomes: { description: string; fields: Readonly<Record<string, Field>> };
}

/** The IdPs a scenario's `idp:` may name (besides none), by that name. */
export type IdpDescriptions = Readonly<Record<string, IdpDescription>>;
