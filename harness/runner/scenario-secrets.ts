import { isObject } from '../../scim/schema/keys.js';
import { REDACTED } from '../http/redact.js';
import { idpNamed, type IdpRegistry } from '../idp/types.js';
import type { EventDescription, Field, Shape } from '../scenario/idp-description.js';
import type { IdpStep, Scenario } from '../types.js';

/*
 * The secrets a scenario writes itself (issue 20): a password an Okta `password` event sets, a
 * Secret Token in settings or set by an event, a password in the directory. The IdP's description
 * declares them (`secret` on a field or an event); only where it declares nothing — a key it lets
 * through as any other (a profile attribute), an IdP without a description — are they told by
 * name: one that says password, secret, token or API key. Free text there is a secret; the name
 * of a directory user or group, or one of an enum's words, is not. Step names show `[redacted]`
 * in their place, and the scenario's result is scrubbed of their values.
 */

const SECRET_NAME = /password|secret|token|(?:^|api|access|private)[-_]?key$/i;

/** Whether `name` (a field or an event the description does not declare) holds a secret. */
function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The shape a value takes, of an `either`'s: the first whose JSON type it has (a bare name, or a mapping). */
function shapeFor(value: unknown, shape: Shape): Shape | undefined {
  if (shape.type !== 'either') return shape;
  for (const option of shape.shapes) {
    const fitting = shapeFor(value, option);
    if (fitting !== undefined && fits(value, fitting)) return fitting;
  }
  return undefined;
}

function fits(value: unknown, shape: Shape): boolean {
  if (shape.type === 'any') return true;
  if (typeof value === 'string') return shape.type === 'text' || shape.type === 'name' || shape.type === 'enum';
  if (Array.isArray(value)) return shape.type === 'list';
  if (isObject(value)) return shape.type === 'mapping';
  return shape.type !== 'text' && shape.type !== 'name' && shape.type !== 'list' && shape.type !== 'mapping';
}

/**
 * `value` with every secret in it — free text (not a directory name, nor one of an enum's words)
 * under a secret name, or anywhere when `secret` — replaced by what `replace` answers.
 */
function mapSecrets(value: unknown, shape: Shape | undefined, secret: boolean, replace: (text: string) => unknown): unknown {
  const fitting = shape === undefined ? undefined : shapeFor(value, shape);
  if (typeof value === 'string') {
    const free = fitting === undefined || fitting.type === 'text' || fitting.type === 'any';
    return secret && free ? replace(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => mapSecrets(item, fitting?.type === 'list' ? fitting.items : undefined, secret, replace));
  if (!isObject(value)) return value;
  const fields: Readonly<Record<string, Field>> = fitting?.type === 'mapping' ? (fitting.fields ?? {}) : {};
  const others = fitting?.type === 'mapping' ? fitting.others : undefined;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
      const declared = field === undefined ? isSecretName(key) : field.secret === true;
      return [key, mapSecrets(item, field?.shape ?? others, secret || declared, replace)];
    }),
  );
}

/** The texts `mapSecrets` would replace. */
function secretsIn(value: unknown, shape: Shape | undefined, secret: boolean): string[] {
  const found: string[] = [];
  mapSecrets(value, shape, secret, (text) => found.push(text));
  return found;
}

/** Whether an event's whole argument is secret: as its description declares, or by its name when it has none. */
function isSecretEvent(event: EventDescription | undefined, action: string): boolean {
  return event === undefined ? isSecretName(action) : event.secret === true;
}

/** An IdP step's argument with its secrets shown as `[redacted]`: what its step name shows. */
export function shownArguments(idp: string, step: IdpStep, idps: IdpRegistry): unknown {
  const event = idpNamed(idps, idp)?.events[step.action];
  return mapSecrets(step.args, event?.argument, isSecretEvent(event, step.action), () => REDACTED);
}

/** The secrets an IdP event's argument carries, as performed (its templates filled). */
export function eventSecrets(idp: string, action: string, args: unknown, idps: IdpRegistry): string[] {
  const event = idpNamed(idps, idp)?.events[action];
  return secretsIn(args, event?.argument, isSecretEvent(event, action));
}

/** The secrets of a scenario's settings and directory (its templates filled), by its IdP's description. */
export function scenarioSecrets(scenario: Pick<Scenario, 'idp' | 'settings' | 'directory'>, idps: IdpRegistry): string[] {
  const idp = idpNamed(idps, scenario.idp);
  const settings = secretsIn(scenario.settings, { type: 'mapping', fields: idp?.settings ?? {} }, false);
  const directory = secretsIn(scenario.directory ?? {}, { type: 'mapping', fields: idp?.directory ?? {} }, false);
  return [...settings, ...directory];
}
