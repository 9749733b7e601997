/*
 * Settings declared once. An IdP simulator's `settings:` is a table of entries, each with the shape
 * of its values (harness/scenario/idp-description.ts), which also gives its TypeScript type, its
 * default, its description, and, for the few rules a shape cannot say, a `read`. From the table
 * come the settings type (`SettingsOf`), the defaults, the reader of a scenario's `settings:`, and
 * the fields of the IdP description: the loader's checks, the editor schema and the docs tables.
 */
import type { Field, MappingShape, Shape } from '../scenario/idp-description.js';
import { formatPath, type DataPath, type Problem } from '../scenario/paths.js';
import { checkShape, isMapping, shown } from '../scenario/shapes.js';
import { suggest } from '../../scim/suggest.js';
import { BOOLEAN, TEXT } from './description-shapes.js';

declare const valueType: unique symbol;

/** A shape and, for the compiler only, the type of the values it takes. */
export interface Typed<T> {
  readonly shape: Shape;
  /** A mapping of settings: the reader fills in the defaults of those not given. */
  readonly fields?: SettingsTable;
  readonly [valueType]?: T;
}

/** One setting: what it takes, its default (none: unset unless given), what it does, and how it is read. */
export interface Setting<T> extends Typed<T> {
  readonly description: string;
  readonly default?: T;
  /** Only for a field of a mapping value (a scoping clause's operator): it must be given. */
  readonly required?: boolean;
  /** After the shape check: turns the value into the setting's, or throws a SettingError for a rule the shape cannot say. */
  readonly read?: (value: never, path: DataPath) => T;
}

/** A setting without a default: absent from the settings unless given. */
export type OptionalSetting<T> = Setting<T> & { readonly optional: true };

export type SettingsTable = Readonly<Record<string, Setting<unknown>>>;

/** The type of the values a shape or setting takes. */
export type TypeOf<S> = S extends Typed<infer T> ? T : never;
type OptionalKeys<T> = { [K in keyof T]: T[K] extends { readonly optional: true } ? K : never }[keyof T];
type Flat<T> = { [K in keyof T]: T[K] };

/** The settings a table declares, as a simulator reads them: optional where the table gives no default. */
export type SettingsOf<T extends SettingsTable> = Flat<{ -readonly [K in Exclude<keyof T, OptionalKeys<T>>]: TypeOf<T[K]> } & { -readonly [K in OptionalKeys<T>]?: TypeOf<T[K]> }>;

const typed = <T>(shape: Shape): Typed<T> => ({ shape });

export const yesNo = typed<boolean>(BOOLEAN);
export const text = typed<string>(TEXT);
export const positiveInteger = typed<number>({ type: 'number', integer: true, minimum: 1 });
export const positiveNumber = typed<number>({ type: 'number', exclusiveMinimum: 0 });
/** Strictly between 0 and 1. */
export const fraction = typed<number>({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 });
export const nothing = typed<null>({ type: 'null' });

export function oneOf<const V extends readonly (string | number | boolean)[]>(...values: V): Typed<V[number]> {
  return typed({ type: 'enum', values });
}

export function listOf<T>(items: Typed<T>): Typed<T[]> {
  return typed({ type: 'list', items: items.shape });
}

/** A mapping of any keys, each holding such values. */
export function recordOf<T>(values: Typed<T>): Typed<Record<string, T>> {
  return typed({ type: 'mapping', others: values.shape });
}

/** One of these, told apart by the value's JSON type. */
export function either<const S extends readonly Typed<unknown>[]>(...shapes: S): Typed<TypeOf<S[number]>> {
  return typed({ type: 'either', shapes: shapes.map((s) => s.shape) });
}

/** A mapping of these fields, each declared as a setting. */
export function mappingOf<F extends SettingsTable>(fields: F): Typed<SettingsOf<F>> {
  const shape: MappingShape = { type: 'mapping', fields: settingFields(fields) };
  return { shape, fields };
}

export function setting<T>(typed: Typed<T>, value: NoInfer<T>, description: string): Setting<T>;
export function setting<I, T>(typed: Typed<I>, value: NoInfer<T>, description: string, read: (value: I, path: DataPath) => T): Setting<T>;
export function setting<T>(typed: Typed<T>, value: T, description: string, read?: (value: never, path: DataPath) => T): Setting<T> {
  return { ...typed, default: value, description, ...(read && { read }) };
}

export function optional<T>(typed: Typed<T>, description: string): OptionalSetting<T> {
  return { ...typed, description, optional: true };
}

export function required<T>(typed: Typed<T>, description: string): Setting<T> {
  return { ...typed, description, required: true };
}

/** Settings that go together (`escrowThresholds: { minimum, … }`): a scenario gives some, the others keep their defaults. */
export function group<F extends SettingsTable>(description: string, fields: F): Setting<SettingsOf<F>> {
  return { ...mappingOf(fields), default: defaultsOf(fields), description };
}

/** The defaults of a table, nested ones filled in, frozen. */
export function defaultsOf<T extends SettingsTable>(table: T): SettingsOf<T> {
  const defaults: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(table)) if (entry.default !== undefined) defaults[name] = deepFreeze(entry.default);
  return Object.freeze(defaults) as SettingsOf<T>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) for (const member of Object.values(value)) deepFreeze(member);
  return Object.freeze(value);
}

/** The table as the fields of an IdP description: what the loader checks and the editor schema and docs say. */
export function settingFields(table: SettingsTable): Record<string, Field> {
  return Object.fromEntries(
    Object.entries(table).map(([name, entry]) => [
      name,
      { shape: entry.shape, description: entry.description, ...(entry.default !== undefined && { default: entry.default }), ...(entry.required && { required: true }) },
    ]),
  );
}

/** A mistake in `settings:`, with where it is written: the loader points there (IdpDescription.readSettings). */
export class SettingError extends Error {
  constructor(
    message: string,
    readonly path: DataPath,
  ) {
    super(message);
  }
}

/** How an IdP's settings are read. */
export interface SettingsReading<T extends SettingsTable> {
  /** The simulator as messages name it: Okta, Entra. */
  simulator: string;
  /** Where the settings are documented: docs/okta.md. */
  docs: string;
  table: T;
  /** Former names, each with the message that names the replacement. */
  renamed?: Readonly<Record<string, string>>;
  /** The rules between settings, once each is read: throws an Error in words. */
  check?: (settings: SettingsOf<T>) => void;
}

const NO_NAMES = { users: [], groups: [] };

/**
 * The reader of a scenario's `settings:`: checks them against the table (throwing an Error with the
 * first mistake), fills in the defaults, reads each with its `read`, then checks the rules between them.
 */
export function settingsReader<T extends SettingsTable>(reading: SettingsReading<T>): (raw: unknown) => SettingsOf<T> {
  const { simulator, docs, table, renamed = {}, check } = reading;
  const shape: MappingShape = { type: 'mapping', fields: settingFields(table) };
  return (raw) => {
    const given = raw ?? {};
    if (!isMapping(given)) throw new Error(`settings must be a mapping of ${simulator} simulator settings (see ${docs}), got ${shown(given)}`);
    const former = Object.keys(given).find((key) => Object.hasOwn(renamed, key));
    if (former !== undefined) throw new SettingError(renamed[former]!, ['settings', former]);
    const problems: Problem[] = [];
    if (!checkShape(given, shape, ['settings'], NO_NAMES, problems)) throw new SettingError(words(problems[0]!, reading), problems[0]!.path);
    const settings = readTable(table, given, ['settings']) as SettingsOf<T>;
    check?.(settings);
    return settings;
  };
}

/** A problem's message; an unknown key among settings as "unknown setting", with the settings there or the one meant. */
function words(problem: Problem, { simulator, docs, table }: Pick<SettingsReading<SettingsTable>, 'simulator' | 'docs' | 'table'>): string {
  const among = problem.at === 'key' ? tableAt(table, problem.path.slice(1, -1)) : undefined;
  const key = String(problem.path.at(-1));
  if (among === undefined || Object.hasOwn(among, key)) return `${problem.message} (see ${docs})`;
  const known = Object.keys(among);
  const hint = suggest(key, known);
  const rest = hint ? `: did you mean '${hint}'?` : `; known: ${known.join(', ')}`;
  return `unknown setting ${formatPath(problem.path.slice(1))} for the ${simulator} simulator${rest} (see ${docs})`;
}

/** The settings at `path` inside groups of settings, if it leads through groups only. */
function tableAt(table: SettingsTable, path: DataPath): SettingsTable | undefined {
  let current: SettingsTable | undefined = table;
  for (const segment of path) current = typeof segment === 'string' ? current?.[segment]?.fields : undefined;
  return current;
}

function readTable(table: SettingsTable, given: Record<string, unknown>, path: DataPath): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(table)) {
    const at = [...path, name];
    const value = Object.hasOwn(given, name) ? given[name] : entry.default === undefined ? undefined : structuredClone(entry.default);
    if (value === undefined) continue;
    const filled = entry.fields && isMapping(value) ? readTable(entry.fields, value, at) : value;
    settings[name] = entry.read ? entry.read(filled as never, at) : filled;
  }
  return settings;
}
