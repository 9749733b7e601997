import type { RunResult } from '../harness/result.js';

/** The RunResult as a JSON document: the input of `scimulator report`, and a stable artefact for CI. */
export function renderJson(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
