/*
 * A recording (`run --record FILE`): everything `replay` and `explain` need, in one JSON file safe
 * to attach to a ticket. Plain JSON, versioned: a later version reads an earlier one or refuses it
 * by name, never misreads it.
 */
import { readFile } from 'node:fs/promises';
import type { RunResult, ScenarioResult } from '../result.js';

export const RECORDING_FORMAT = 'scimulator-recording';
export const RECORDING_VERSION = 2;
/**
 * Version 1 is version 2 without admin API calls (`options.adminApi`) and never partial: read as it
 * is. Members added since (`partial.finished`, `files[].profile`) are optional, so version 2 still
 * describes the file: a reader that predates them reads a partial recording as one without
 * results, and refuses one with profile files (they do not load as scenarios) rather than misread it.
 */
const READABLE_VERSIONS: readonly unknown[] = [1, RECORDING_VERSION];

/** One HTTP exchange as it went over the wire, in the order the requests were sent; redacted, bodies capped. */
export interface WireExchange {
  method: string;
  /** The path and query, as sent (the origin is the target's). */
  path: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  /** Absent when no answer came: then `error` says why. */
  response?: { status: number; headers: Record<string, string>; body: string; truncated?: boolean };
  /** The network failure, with undici's code, so that a replay fails the request the same way. */
  error?: { message: string; code?: string };
  startedAt: string;
  durationMs: number;
}

/** A scenario file as the run read it, by its path relative to the folder all of them are in. */
export interface RecordedFile {
  path: string;
  text: string;
  /** A profile file a scenario's `target.profile` names (or one such a file extends), not a scenario: the loader needs it, the replay's target ignores it. */
  profile?: true;
}

/** Why a run stopped before its end (exit 3), and what had ended by then. */
export interface RecordingPartial {
  reason: string;
  /**
   * The results of the scenarios that ended before the run stopped, in the order they ended,
   * scrubbed as a full recording's result; the last is the one running when the target stopped
   * answering (scenarios are recorded one at a time). Absent in recordings of earlier releases.
   */
  finished?: ScenarioResult[];
}

/** The run options a replay must repeat for the same verdicts. */
export interface RecordedOptions {
  /** The scenarios run, by id, in selection order. */
  scenarios: string[];
  /** Part of every unique value and simulator seed: the replay's requests are the recorded ones. */
  runId: string;
  /** The kind of credentials sent (`bearer`, `basic`, `header`, `none`); never their values. */
  credentials: string;
  /** With `header` credentials, the header's name. */
  authHeader?: string;
  profile?: string;
  timeoutMs: number;
  deadlineMs: number;
  maxResponseBytes: number;
  keep: boolean;
  /** `--max-failures`, so that a replay stops where the run did (absent in version 1: the default). */
  maxFailures?: number;
  /** The run had `--admin-token`: its admin API calls (faults, invites, key, clock) are among the exchanges, and a replay makes them too. The token is never recorded. */
  adminApi?: boolean;
}

export interface Recording {
  format: typeof RECORDING_FORMAT;
  version: 1 | typeof RECORDING_VERSION;
  tool: { name: 'scimulator'; version: string };
  /** The target's base URL, without credentials. */
  target: string;
  options: RecordedOptions;
  files: RecordedFile[];
  exchanges: WireExchange[];
  /** The run's result, redacted as every report is: what `replay` must reproduce and `explain` reads. Absent when partial. */
  result?: RunResult;
  /** The run stopped before its end (exit 3, the target stopped answering): the exchanges until then, the scenarios that ended, and no result. */
  partial?: RecordingPartial;
}

/** A file that is not a recording this version reads: exit 2, with what it is instead. */
export class RecordingFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingFileError';
  }
}

/** The recording in `text` (read from `file`), or a RecordingFileError saying why it is not one this version reads. */
export function parseRecording(text: string, file: string): Recording {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new RecordingFileError(`${file} is not JSON (${(error as Error).message}): give a file written by \`scimulator run --record\``);
  }
  const found = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  if (found.format !== RECORDING_FORMAT) {
    throw new RecordingFileError(`${file} is not a scimulator recording (format ${JSON.stringify(found.format ?? null)}): give a file written by \`scimulator run --record\``);
  }
  if (!READABLE_VERSIONS.includes(found.version)) {
    const tool = typeof found.tool === 'object' && found.tool !== null ? (found.tool as { version?: unknown }).version : undefined;
    throw new RecordingFileError(
      `${file} is a recording of format version ${JSON.stringify(found.version)}${typeof tool === 'string' ? ` (scimulator ${tool})` : ''}; this scimulator reads versions 1 to ${RECORDING_VERSION}: replay it with the version that wrote it`,
    );
  }
  const partial = typeof found.partial === 'object' && found.partial !== null;
  for (const key of ['options', 'files', 'exchanges', ...(partial ? [] : ['result' as const])] as const) {
    if (typeof found[key] !== 'object' || found[key] === null) throw new RecordingFileError(`${file}: a version ${String(found.version)} recording without "${key}": the file is damaged`);
  }
  return data as Recording;
}

/** Reads and parses the recording at `file`; a file that cannot be read is a RecordingFileError too. */
export async function readRecording(file: string): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new RecordingFileError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseRecording(text, file);
}
