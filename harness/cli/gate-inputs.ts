import { readFile } from 'node:fs/promises';
import { KnownFileError, parseKnownFile, type KnownEntry } from '../known/file.js';
import { baselineOf, gateRun, type Baseline } from '../known/gate.js';
import { UsageError } from '../runner/errors.js';
import type { Gate, RunResult } from '../result.js';
import { readResult } from './read-result.js';

/** `run --known FILE --baseline result.json`, read and checked: what decides the run's gate once it is over. */
export async function readGateInputs(knownFile: string | undefined, baselineFile: string | undefined): Promise<{ decide(result: RunResult, loaded?: ReadonlySet<string>): Gate } | undefined> {
  if (knownFile === undefined && baselineFile === undefined) return undefined;
  let known: { file: string; entries: KnownEntry[] } | undefined;
  if (knownFile !== undefined) {
    let text: string;
    try {
      text = await readFile(knownFile, 'utf8');
    } catch (error) {
      throw new UsageError(`--known ${knownFile}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    try {
      known = { file: knownFile, entries: parseKnownFile(text, knownFile) };
    } catch (error) {
      if (error instanceof KnownFileError) throw new UsageError(`${error.message} (--known, docs/known-failures.schema.json)`);
      throw error;
    }
  }
  const baseline: Baseline | undefined = baselineFile === undefined ? undefined : baselineOf(baselineFile, (await readResult(baselineFile)).result);
  return { decide: (result, loaded) => gateRun(result, known, baseline, loaded) };
}
