/** Control characters, which HTML forbids or hides (a terminal escape in a body): shown as `\u001b`. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Escaping for everything the report takes from a RunResult, which holds text a server chose
 * (bodies, headers, error messages): safe in element content and in quoted attribute values.
 */
export function esc(value: unknown): string {
  return String(value)
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A `data-` attribute holding a JSON list, for the page's script to read with JSON.parse. */
export function dataList(name: string, values: readonly string[]): string {
  return `data-${name}="${esc(JSON.stringify(values))}"`;
}

/** The element id of a scenario, the target of `report.html#scenario-<id>` links. */
export const scenarioAnchor = (id: string) => `scenario-${id}`;
