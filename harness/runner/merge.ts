import { UsageError } from './errors.js';
import { rootCauses } from './causes.js';
import { totalsOf } from './totals.js';
import type { RunResult } from '../types.js';

/** A result and the file it was read from, to name in errors. */
export interface ResultFile {
  file: string;
  result: RunResult;
}

/**
 * Several results as one, e.g. the shards of a run: scenarios concatenated in the order given,
 * totals recounted, the target and tool from the first, the span of time of them all. A scenario
 * id in more than one result is an error naming the files: merging a run with itself would
 * count everything twice.
 */
export function mergeResults(inputs: readonly ResultFile[]): RunResult {
  const first = inputs[0];
  if (!first) throw new UsageError('Give at least one result file');
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const { file, result } of inputs) {
    for (const { id } of result.scenarios) {
      const earlier = seen.get(id);
      if (earlier !== undefined) duplicates.push(`${id} (in ${earlier} and ${file})`);
      else seen.set(id, file);
    }
  }
  if (duplicates.length > 0) {
    const shown = duplicates.slice(0, 5).join(', ');
    const more = duplicates.length > 5 ? ` and ${duplicates.length - 5} more` : '';
    throw new UsageError(`A scenario appears in more than one result: ${shown}${more}. Merge the shards of one run, each once.`);
  }
  const scenarios = inputs.flatMap(({ result }) => result.scenarios);
  const starts = inputs.map(({ result }) => result.startedAt).sort();
  const ends = inputs.map(({ result }) => result.finishedAt).sort();
  const startedAt = starts[0]!;
  const finishedAt = ends.at(-1)!;
  const span = Date.parse(finishedAt) - Date.parse(startedAt);
  return {
    ...first.result,
    startedAt,
    finishedAt,
    durationMs: Number.isFinite(span) ? span : inputs.reduce((sum, { result }) => sum + result.durationMs, 0),
    selection: {
      ...first.result.selection,
      files: [...new Set(inputs.flatMap(({ result }) => result.selection?.files ?? []))],
    },
    totals: totalsOf(scenarios),
    causes: rootCauses(scenarios),
    scenarios,
  };
}
