import { isObject as isMapping } from '../../scim/schema/keys.js';

/* How simulators read what a scenario gives them (`directory:`, event arguments): shared by Okta and Entra. Settings: settings-table.ts. */

// A YAML mapping is what scim/ calls an object: one test for both, under the name the readers use.
export { isMapping };

/** A value as an error shows it: strings quoted, anything else as JSON. */
export function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
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
