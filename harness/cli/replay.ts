import type { Command } from 'commander';
import { renderConsoleSummary, scenarioLine, type ConsoleStyle } from '../../reports/console.js';
import { RecordingFileError, readRecording } from '../record/format.js';
import type { RunResult, ScenarioResult } from '../result.js';
import { RunAbort, UsageError } from '../runner/errors.js';

async function replayCommand(file: string): Promise<number> {
  const recording = await readRecording(file);
  // Loaded once the file is read: undici and the simulators are for a replay only.
  const { compareReplay, replayRecording } = await import('../record/replay.js');
  const style: ConsoleStyle = { color: process.stdout.isTTY === true && !process.env.NO_COLOR };
  process.stdout.write(`Replaying ${recording.options.scenarios.length} scenario(s) recorded against ${recording.target} (scimulator ${recording.tool.version}), offline\n`);
  // A partial recording ends where the run stopped: the replay stops there too, with the same exit 3.
  if (recording.partial) process.stdout.write(`The recording is partial: ${recording.partial.reason}\n`);
  const ended: ScenarioResult[] = [];
  let replayed: RunResult | undefined;
  let stopped: RunAbort | undefined;
  try {
    replayed = await replayRecording(recording, (scenario) => ended.push(scenario));
  } catch (error) {
    if (!(error instanceof RunAbort)) throw error;
    stopped = error;
  }
  for (const scenario of replayed?.scenarios ?? ended) process.stdout.write(`${scenarioLine(scenario, style)}\n`);
  if (replayed) process.stdout.write(`${renderConsoleSummary(replayed, style)}\n`);
  const recorded = recording.result?.scenarios ?? recording.partial?.finished;
  if (recording.partial && replayed) {
    process.stdout.write('The recorded run stopped before its end, but the replay did not: it holds no result to compare with.\n');
    return 1;
  }
  // A full recording whose replay stopped, or a partial one of a release that kept no results: the stop is the verdict.
  if (stopped && (!recording.partial || recorded === undefined)) throw stopped;
  const differences = compareReplay(recorded ?? [], replayed?.scenarios ?? ended);
  if (differences.length === 0) {
    process.stdout.write(
      stopped
        ? `Replay matches the recording up to where the run stopped: the same statuses and IdP outcomes for the ${ended.length} scenario(s) that ended.\n`
        : 'Replay matches the recording: the same statuses and IdP outcomes for every scenario.\n',
    );
  } else {
    process.stdout.write(`Replay differs from the recording (${differences.length}):\n`);
    for (const difference of differences) process.stdout.write(`  ${difference.scenario}: ${difference.what}\n`);
  }
  if (stopped) process.stderr.write(`${stopped.message}\n`);
  return differences.length > 0 ? 1 : (stopped?.exitCode ?? 0);
}

/** `scimulator replay FILE`: re-runs a recording's scenarios offline against its recorded answers. */
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .summary('Re-run a recording (run --record) offline against its recorded answers')
    .description(
      'Re-run the scenarios of a recording (`scimulator run --target … --record FILE`) against the answers it holds, ' +
        'without the target: nothing is sent. Each request gets the next recorded answer to the same method and path; ' +
        'the run id is the recorded one, so unique names and IdP ids are too, and ids the server assigned come from the ' +
        'recorded answers. Prints the replayed results, then whether they match the recording: the same status and ' +
        'the same IdP outcomes (Okta task results, Entra provisioning log records) for every scenario. A request the ' +
        'recording has no answer for fails, named, as "no recorded answer". A partial recording (the run stopped ' +
        'because the target stopped answering) is replayed up to where it stops, and stops there as the run did; the ' +
        'scenarios that ended before the stop are compared with those the recording holds.\n\n' +
        'Exit codes: 0 the replay matches the recording, 1 it differs (each difference listed), 3 the replay of a ' +
        'partial recording stopped as the run did, the scenarios that ended matching (the reason printed), ' +
        '2 a usage mistake, or a file that is not a recording this version reads (another format version is refused).',
    )
    .argument('<file>', 'the recording, as written by run --record')
    .action(async (file: string) => {
      try {
        process.exitCode = await replayCommand(file);
      } catch (error) {
        if (error instanceof RecordingFileError) {
          process.stderr.write(`${error.message}\n`);
          process.exitCode = 2;
        } else if (error instanceof UsageError || error instanceof RunAbort) {
          process.stderr.write(`${error.message}\n`);
          process.exitCode = error.exitCode;
        } else {
          throw error;
        }
      }
    });
}
