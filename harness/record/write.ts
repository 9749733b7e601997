import { readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { bundledProfileName, readProfileFile } from '../../reference-server/profile/load.js';
import { REDACTED, type Redactor } from '../http/redact.js';
import type { RunResult } from '../result.js';
import type { Scenario } from '../types.js';
import { embeddedProfile } from '../scenario/target-profile.js';
import { VERSION } from '../version.js';
import { RECORDING_FORMAT, RECORDING_VERSION, type RecordedFile, type RecordedOptions, type Recording, type RecordingPartial, type WireExchange } from './format.js';

/** What a scenario file's copy has where a secret was. */
const REDACTED_IN_YAML = 'scimulator-redacted';

/** The folder every file is in. */
function commonFolder(files: readonly string[]): string {
  const parts = files.map((file) => dirname(file).split(sep));
  const first = parts[0] ?? [];
  let length = first.length;
  for (const other of parts) {
    let same = 0;
    while (same < Math.min(length, other.length) && other[same] === first[same]) same++;
    length = same;
  }
  return first.slice(0, length).join(sep) || sep;
}

/**
 * The profile files the scenarios' `target.profile` names, and the files those extend: the loader
 * refuses a scenario whose profile file is missing, even in a replay, where the target is the recorded one.
 */
function profileFiles(scenarios: readonly Scenario[]): string[] {
  const found = new Set<string>();
  for (const scenario of scenarios) {
    const written = scenario.target?.profile;
    const named = written === undefined ? undefined : embeddedProfile(written, scenario.source.file);
    let file = named && 'profile' in named && bundledProfileName(named.profile) === undefined ? named.profile : undefined;
    // The scenarios loaded, so each file of the chain exists and reads; a file seen before ends it.
    while (file !== undefined && !found.has(file)) {
      found.add(file);
      const parent = readProfileFile(file).document.extends;
      file = parent === undefined || parent === 'none' || bundledProfileName(parent) !== undefined ? undefined : resolve(dirname(file), parent);
    }
  }
  return [...found];
}

/**
 * The text of the scenario files run, and of the profile files they name, by path relative to
 * their common folder, so that a replay needs no checkout; redacted, as a file may carry a
 * `--secret` value.
 */
async function scenarioFiles(scenarios: readonly Scenario[], redactor: Redactor): Promise<RecordedFile[]> {
  const idOf = new Map(scenarios.map((scenario) => [scenario.source.file, scenario.id]));
  const profiles = profileFiles(scenarios);
  const files = [...idOf.keys(), ...profiles];
  const root = commonFolder(files);
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(file, 'utf8');
      const id = idOf.get(file);
      // A bundled scenario's id comes from its place in the library: the copy, read from elsewhere, states it.
      const stated = id === undefined || /^id:/m.test(text) ? text : `id: ${id}\n${text}`;
      // A plain word where a secret was, not `[redacted]`: in YAML that would be a list, and the scenario another.
      const copy = { path: relative(root, file).split(sep).join('/'), text: redactor.text(stated).split(REDACTED).join(REDACTED_IN_YAML) };
      return id === undefined ? { ...copy, profile: true as const } : copy;
    }),
  );
}

export interface RecordingInput {
  target: string;
  scenarios: readonly Scenario[];
  options: Omit<RecordedOptions, 'scenarios'>;
  exchanges: WireExchange[];
  /** Already redacted, as the reports are; absent when the run stopped before its end. */
  result?: RunResult;
  /** Why the run stopped before its end, redacted, and the results of the scenarios that ended by then, scrubbed: the recording is partial. */
  partial?: RecordingPartial;
  redactor: Redactor;
}

/** Writes the recording of a run to `file`. */
export async function writeRecording(file: string, input: RecordingInput): Promise<void> {
  const recording: Recording = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    tool: { name: 'scimulator', version: VERSION },
    target: input.target,
    options: { scenarios: input.scenarios.map((scenario) => scenario.id), ...input.options },
    files: await scenarioFiles(input.scenarios, input.redactor),
    exchanges: input.exchanges,
    ...(input.partial && { partial: input.partial }),
    ...(input.result && { result: input.result }),
  };
  await writeFile(file, `${JSON.stringify(recording, null, 2)}\n`);
}
