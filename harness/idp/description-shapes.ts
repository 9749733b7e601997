/**
 * Shapes the IdP descriptions share (see harness/scenario/idp-description.ts): the scenario loader
 * checks event arguments, settings and directories with them, and the editor schema says them.
 */
import type { Field, Shape } from '../scenario/idp-description.js';

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
