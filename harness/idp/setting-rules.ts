import { isObject as isMapping } from '../../scim/schema/keys.js';

/* How simulators read what a scenario gives them (`settings:`, `directory:`, event arguments): shared by Okta and Entra. */

/** How a plain knob's value is checked: a list of the allowed values, or a kind. */
export type Rule = readonly (string | number)[] | 'boolean' | 'positiveInteger' | 'positiveNumber' | 'text';

// A YAML mapping is what scim/ calls an object: one test for both, under the name the readers use.
export { isMapping };

/** A value as a setting error shows it: strings quoted, anything else as JSON. */
export function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

/** The value if it follows the rule; otherwise an Error naming the setting and what it takes. */
export function checked(name: string, value: unknown, rule: Rule): unknown {
  const fail = (wanted: string) => new Error(`settings.${name} must be ${wanted}, got ${show(value)}`);
  if (Array.isArray(rule)) {
    if (!rule.includes(value as string)) throw fail(`one of ${rule.map((r) => show(r)).join(', ')}`);
  } else if (rule === 'boolean') {
    if (typeof value !== 'boolean') throw fail('true or false');
  } else if (rule === 'positiveInteger') {
    if (!Number.isSafeInteger(value) || (value as number) < 1) throw fail('a positive integer');
  } else if (rule === 'positiveNumber') {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw fail('a positive number');
  } else if (typeof value !== 'string' || value === '') {
    throw fail('a non-empty text');
  }
  return value;
}

/** The error for a setting the simulator does not have, listing those it has and where they are documented. */
export function unknownSetting(simulator: 'Okta' | 'Entra', where: string, key: string, known: readonly string[]): Error {
  return new Error(`unknown setting ${where}${key} for the ${simulator} simulator; known: ${known.join(', ')} (see docs/${simulator.toLowerCase()}.md)`);
}

/** An event's argument as a mapping with only `allowed` keys and every `required` one; a bare text stands for `shorthand`. */
export function eventFields(event: string, args: unknown, allowed: string[], required: string[], shorthand?: string): Record<string, unknown> {
  const form = `${event}: { ${allowed.join(', ')} }`;
  if (!isMapping(args)) {
    if (shorthand !== undefined && typeof args === 'string') return { [shorthand]: args };
    throw new Error(`${event} takes ${shorthand !== undefined ? `a ${shorthand} name or ` : ''}a mapping (${form}), got ${show(args)}`);
  }
  const unknown = Object.keys(args).find((key) => !allowed.includes(key));
  if (unknown !== undefined) throw new Error(`unknown key ${unknown} in ${event}: write ${form}`);
  const missing = required.find((key) => !(key in args));
  if (missing !== undefined) throw new Error(`${event} needs ${missing}: write ${form}`);
  return args;
}

/** Checks that an event was written without an argument (`- restart:` or `- restart: true`). */
export function noEventArgument(event: string, args: unknown): void {
  if (args !== null && args !== true && !(isMapping(args) && Object.keys(args).length === 0)) {
    throw new Error(`${event} takes no argument (write "- ${event}:" or "- ${event}: true"), got ${show(args)}`);
  }
}
