import { mergeGates } from '../known/merge.js';
import { UsageError } from './errors.js';
import { rootCauses } from './causes.js';
import { totalsOf } from './totals.js';
import type { RunResult, RunSelection } from '../result.js';

/** A result and the file it was read from, to name in errors. */
export interface ResultFile {
  file: string;
  result: RunResult;
}

/** How many scenarios shard K of N holds in a selection of `size` (sorted by id, every N-th from the K-th). */
export function shardSize(size: number, index: number, count: number): number {
  return index <= size ? Math.floor((size - index) / count) + 1 : 0;
}

/** `2`, `2 and 4`, `1, 3 and 4`. */
function list(items: readonly (number | string)[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The flags that chose the scenarios, as the user typed them: ` with --tag okta --exclude-tag strict`. */
function flagsOf(selection: RunSelection): string {
  const flags = [
    ...(selection.grep === undefined ? [] : [`--grep ${JSON.stringify(selection.grep)}`]),
    ...(selection.tags ?? []).map((tag) => `--tag ${tag}`),
    ...(selection.excludeTags ?? []).map((tag) => `--exclude-tag ${tag}`),
  ];
  return flags.length ? ` with ${flags.join(' ')}` : '';
}

const scenarios = (n: number) => `${n} scenario${n === 1 ? '' : 's'}`;

/**
 * The notice for shards of a selection that a result lacks, or undefined when they hold no
 * scenario (a selection smaller than N): which K, and how many scenarios that leaves out.
 */
export function missingNotice(selection: RunSelection, count: number, missing: readonly number[]): string | undefined {
  const size = selection.size ?? 0;
  const left = missing.reduce((sum, index) => sum + shardSize(size, index, count), 0);
  if (left === 0) return undefined;
  const which = missing.length === 1 ? `Shard ${missing[0]} of ${count} is` : `Shards ${list(missing)} of ${count} are`;
  return (
    `${which} not in this report: ${left} of the ${scenarios(size)} selected${flagsOf(selection)}. ` +
    'To report on every scenario, give `scimulator report` the result.json of every shard.'
  );
}

/** The inputs that hold shards of one selection split into N: which file holds each K. */
interface ShardSet {
  selection: RunSelection;
  count: number;
  holders: Map<number, string>;
  files: string[];
}

/**
 * The inputs that are shards (of `run --shard K/N`, or merges of them), by selection and N. A
 * shard given twice is an error naming both files, even an empty one: the set would not be one run.
 */
function shardSets(inputs: readonly ResultFile[]): ShardSet[] {
  const sets = new Map<string, ShardSet>();
  for (const { file, result } of inputs) {
    const selection = result.selection;
    if (selection?.size === undefined || selection.fingerprint === undefined) continue;
    const count = selection.shard?.count ?? selection.shards?.count;
    if (count === undefined) continue;
    const indexes = selection.shard ? [selection.shard.index] : (selection.shards?.merged ?? []);
    const key = `${selection.fingerprint} ${count}`;
    const set = sets.get(key) ?? { selection, count, holders: new Map<number, string>(), files: [] };
    sets.set(key, set);
    set.files.push(file);
    for (const index of indexes) {
      const earlier = set.holders.get(index);
      if (earlier !== undefined) throw new UsageError(`Shard ${index}/${count} is in more than one result: ${earlier} and ${file}. Give the result.json of each shard once.`);
      set.holders.set(index, file);
    }
  }
  return [...sets.values()];
}

const missingOf = (set: ShardSet) => Array.from({ length: set.count }, (_, i) => i + 1).filter((index) => !set.holders.has(index));

function describe(set: ShardSet): string {
  const merged = [...set.holders.keys()].sort((a, b) => a - b);
  return `shard${merged.length === 1 ? '' : 's'} ${list(merged)} of ${set.count} of the ${scenarios(set.selection.size ?? 0)} selected${flagsOf(set.selection)} (${list(set.files)})`;
}

/**
 * What the reader of the merged report must know: the notices of inputs this cannot recheck
 * (without a fingerprint), shards of different selections, and shards missing from each set.
 */
function noticesOf(inputs: readonly ResultFile[], sets: readonly ShardSet[]): string[] {
  const carried = inputs.flatMap(({ result }) => (result.selection?.fingerprint === undefined ? (result.selection?.notices ?? []) : []));
  const mixed =
    sets.length > 1
      ? [
          `These results are shards of ${sets.length} different selections, merged into one report: ${sets.map(describe).join('; ')}. ` +
            'Merge the shards of one run: the same scenario paths, --grep, --tag and --exclude-tag, and --shard K/N with the same N.',
        ]
      : [];
  const missing = sets.flatMap((set) => missingNotice(set.selection, set.count, missingOf(set)) ?? []);
  return [...new Set([...carried, ...mixed, ...missing])];
}

/**
 * The selection of the merged result: the files of all; the flags, size and fingerprint where the
 * inputs agree; which shards it holds when all inputs are shards of one selection; the notices.
 * Keys in the order `run` writes them, so that re-rendering one result changes nothing.
 */
function mergedSelection(inputs: readonly ResultFile[], sets: readonly ShardSet[]): RunSelection {
  const selections = inputs.map(({ result }) => result.selection ?? { files: [] });
  const first = selections[0]!;
  const agreed = <K extends keyof RunSelection>(key: K): RunSelection[K] | undefined =>
    selections.every((s) => JSON.stringify(s[key]) === JSON.stringify(first[key])) ? first[key] : undefined;
  const merged: RunSelection = { files: [...new Set(selections.flatMap((s) => s.files ?? []))] };
  const grep = agreed('grep');
  const tags = agreed('tags');
  const excludeTags = agreed('excludeTags');
  if (grep !== undefined) merged.grep = grep;
  if (tags !== undefined) merged.tags = tags;
  if (excludeTags !== undefined) merged.excludeTags = excludeTags;
  const fingerprint = agreed('fingerprint');
  const set = sets.length === 1 && sets[0]!.files.length === inputs.length ? sets[0] : undefined;
  if (set && inputs.length === 1 && first.shard) merged.shard = first.shard;
  if (fingerprint !== undefined) {
    merged.size = first.size;
    merged.fingerprint = fingerprint;
  }
  if (set && merged.shard === undefined) {
    const missing = missingOf(set);
    const size = set.selection.size ?? 0;
    merged.shards = {
      count: set.count,
      merged: [...set.holders.keys()].sort((a, b) => a - b),
      missing,
      missingScenarios: missing.reduce((sum, index) => sum + shardSize(size, index, set.count), 0),
    };
  }
  const notices = noticesOf(inputs, sets);
  if (notices.length) merged.notices = notices;
  return merged;
}

/**
 * Several results as one, e.g. the shards of a run: scenarios concatenated in the order given,
 * totals recounted, the target and tool from the first, the span of time of them all. A shard
 * or a scenario id in more than one result is an error naming the files: merging a run with itself
 * would count everything twice. Shards missing, or of different selections, are notices in the
 * merged selection, which every report shows.
 */
export function mergeResults(inputs: readonly ResultFile[]): RunResult {
  const first = inputs[0];
  if (!first) throw new UsageError('Give at least one result file');
  const sets = shardSets(inputs);
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
  // One interrupted input makes the merge partial: its interruption, with every input's scenarios never started.
  const interruptions = inputs.flatMap(({ result }) => (result.interrupted ? [result.interrupted] : []));
  const leftBehind = inputs.flatMap(({ result }) => result.leftBehind ?? []);
  return {
    ...first.result,
    startedAt,
    finishedAt,
    durationMs: Number.isFinite(span) ? span : inputs.reduce((sum, { result }) => sum + result.durationMs, 0),
    selection: mergedSelection(inputs, sets),
    totals: totalsOf(scenarios),
    causes: rootCauses(scenarios),
    scenarios,
    interrupted: interruptions[0] && { ...interruptions[0], notRun: interruptions.flatMap((i) => i.notRun) },
    leftBehind: leftBehind.length > 0 ? leftBehind : undefined,
    gate: mergeGates(inputs.map(({ result }) => result)),
  };
}
