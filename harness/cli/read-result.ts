import { readFile } from 'node:fs/promises';
import { isObject } from '../../scim/schema/keys.js';
import { withCause } from '../runner/causes.js';
import { UsageError } from '../runner/errors.js';
import type { ResultFile } from '../runner/merge.js';
import { RUN_RESULT_VERSION, type RunResult, type ScenarioResult } from '../result.js';

/** A saved result, checked to be one this version can render: its format, its version, and its shape. */
export async function readResult(file: string): Promise<ResultFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message}); give the result.json that \`scimulator run --reporter json\` writes`);
  }
  if (!isObject(data) || data.format !== 'scimulator-run') {
    const format = isObject(data) && data.format !== undefined ? ` (its format is ${JSON.stringify(data.format)})` : '';
    throw new UsageError(`${file}: not a scimulator run result${format}; give the result.json that \`scimulator run --reporter json\` writes`);
  }
  if (data.version !== RUN_RESULT_VERSION && data.version !== 1 && data.version !== 2) {
    throw new UsageError(
      `${file}: a version ${JSON.stringify(data.version)} result; this scimulator reads versions 1 to ${RUN_RESULT_VERSION}: render it with the scimulator that wrote it`,
    );
  }
  const shapely = Array.isArray(data.scenarios) && data.scenarios.every((s) => isObject(s) && typeof s.id === 'string') && isObject(data.target);
  if (!shapely) throw new UsageError(`${file}: a scimulator run result with missing or damaged parts (scenarios, target): save it again with \`--reporter json\``);
  if (data.version === RUN_RESULT_VERSION) return { file, result: data as unknown as RunResult };
  return { file, result: fromVersion2(data.version === 1 ? fromVersion1(data) : data) };
}

/**
 * A version 1 result as version 2: its statuses are version 2 ones and nothing was blocked; each
 * scenario that did not pass gets its cause, from which mergeResults lists the root causes.
 */
function fromVersion1(data: Record<string, unknown>): Record<string, unknown> {
  const v1 = data as unknown as Omit<RunResult, 'version' | 'causes'>;
  return { ...v1, version: 2, totals: { ...v1.totals, blocked: 0 }, causes: [], scenarios: v1.scenarios.map((s) => withCause(s as ScenarioResult)) };
}

/** A scenario of a version 1 or 2 result, which said `features` for both what it requires and what it covers. */
type OldScenario = Omit<ScenarioResult, 'requires' | 'covers'> & { features?: string[] };

/**
 * A version 2 result as version 3: each scenario's `features` split into what it covers (the IdP
 * capabilities, `okta.pushGroups` → pushGroups) and what it requires (the rest). A protocol
 * scenario of the bundled library covers its area, which its id then named (`rfc7644.filter.…` →
 * filter). No variant: the scorecard sections IdP scenarios by IdP.
 */
function fromVersion2(data: Record<string, unknown>): RunResult {
  const v2 = data as unknown as Omit<RunResult, 'version' | 'scenarios'> & { scenarios: OldScenario[] };
  const capability = (feature: string) => /^(okta|entra)\./.test(feature);
  const scenarios = v2.scenarios.map(({ features = [], ...scenario }): ScenarioResult => {
    const area = scenario.idp === 'none' ? /^rfc\d+\.([^.]+)\./.exec(scenario.id)?.[1] : undefined;
    const covers = features.filter(capability).map((f) => f.slice(f.indexOf('.') + 1));
    return { ...scenario, requires: features.filter((f) => !capability(f)), covers: area === undefined ? covers : [area] };
  });
  return { ...v2, version: RUN_RESULT_VERSION, scenarios };
}
