import { isMapping, shown } from '../scenario/shapes.js';

/* How simulators read the events a scenario gives them: shared by Okta and Entra. Settings: settings-table.ts. */

/** An event's argument as a mapping with only `allowed` keys and every `required` one; a bare text stands for `shorthand`. */
export function eventFields(event: string, args: unknown, allowed: string[], required: string[], shorthand?: string): Record<string, unknown> {
  const form = `${event}: { ${allowed.join(', ')} }`;
  if (!isMapping(args)) {
    if (shorthand !== undefined && typeof args === 'string') return { [shorthand]: args };
    throw new Error(`${event} takes ${shorthand !== undefined ? `a ${shorthand} name or ` : ''}a mapping (${form}), got ${shown(args)}`);
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
    throw new Error(`${event} takes no argument (write "- ${event}:" or "- ${event}: true"), got ${shown(args)}`);
  }
}
