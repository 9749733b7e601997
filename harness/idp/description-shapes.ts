/**
 * Shapes the IdP descriptions share (see harness/scenario/idp-description.ts): the scenario loader
 * checks event arguments, settings and directories with them, and the editor schema says them.
 */
import type { Field, Shape } from '../scenario/idp-description.js';
import type { Rule } from './setting-rules.js';

export const USER: Shape = { type: 'name', of: ['users'] };
export const GROUP: Shape = { type: 'name', of: ['groups'] };
export const TEXT: Shape = { type: 'text' };
export const BOOLEAN: Shape = { type: 'boolean' };
export const NOTHING: Shape = { type: 'nothing' };
export const ANY: Shape = { type: 'any' };
export const COUNT: Shape = { type: 'number', integer: true, minimum: 0 };

/** The durations clock.ts's `parseDuration` reads: 90s, 40m, 1h30m. */
export const DURATION_PATTERN = '^(\\d+(ms|s|m|h|d))+$';

/** What `advance` takes: a duration, or milliseconds. */
export const DURATION: Shape = {
  type: 'either',
  shapes: [
    { type: 'text', pattern: DURATION_PATTERN, format: 'a duration (90s, 40m, 1h30m)' },
    { type: 'number', minimum: 0 },
  ],
};

/** A bare value standing for the field `name`, or a mapping of `fields`. */
export function shorthand(value: Shape, fields: Record<string, Field>): Shape {
  return { type: 'either', shapes: [value, { type: 'mapping', fields }] };
}

/** A setting rule (setting-rules.ts) as the shape of its values. */
export function ruleShape(rule: Rule): Shape {
  if (Array.isArray(rule)) return { type: 'enum', values: rule };
  switch (rule) {
    case 'boolean':
      return BOOLEAN;
    case 'positiveInteger':
      return { type: 'number', integer: true, minimum: 1 };
    case 'positiveNumber':
      return { type: 'number', exclusiveMinimum: 0 };
    default:
      return TEXT;
  }
}

/** Plain knobs as fields: each rule's shape, its description, and its default when it has one. */
export function knobFields(rules: Readonly<Record<string, Rule>>, descriptions: Readonly<Record<string, string>>, defaults: object): Record<string, Field> {
  const fields: Record<string, Field> = {};
  for (const [name, rule] of Object.entries(rules)) {
    const value = (defaults as Record<string, unknown>)[name];
    fields[name] = { shape: ruleShape(rule), description: descriptions[name]!, ...(value !== undefined && { default: value }) };
  }
  return fields;
}
