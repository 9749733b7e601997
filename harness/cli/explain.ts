import type { Command } from 'commander';
import { explainScenario, toExplain } from '../record/explain.js';
import { RecordingFileError, readRecording } from '../record/format.js';

interface ExplainFlags {
  scenario?: string;
}

async function explainCommand(file: string, flags: ExplainFlags): Promise<number> {
  const { result, partial, options } = await readRecording(file);
  const scenarios = result?.scenarios ?? partial?.finished;
  if (!scenarios) {
    process.stderr.write(`${file} is a partial recording of a release that kept no results: the run stopped before its end (${partial?.reason ?? 'no reason recorded'}) and has nothing to explain; \`scimulator replay ${file}\` shows what was sent until then\n`);
    return 2;
  }
  const chosen = toExplain(scenarios, flags.scenario);
  if (flags.scenario !== undefined && chosen.length === 0) {
    const notRun = partial && options.scenarios.includes(flags.scenario) ? ' (the run stopped before it ran)' : '';
    process.stderr.write(`${file} has no scenario ${flags.scenario}${notRun}: it recorded ${scenarios.map((s) => s.id).join(', ') || 'none'}\n`);
    return 2;
  }
  if (partial) {
    // The last to end is the one running when the target stopped answering: a recorded run runs one at a time.
    const last = scenarios.at(-1);
    process.stdout.write(
      `The run was cut short: ${partial.reason}\n${scenarios.length} of ${options.scenarios.length} scenario(s) ended before it stopped${last ? ` (${last.id} was running when it did)` : ''}; the others did not run.\n\n`,
    );
  }
  if (chosen.length === 0) {
    const totals = result ? `(${result.totals.passed} passed, ${result.totals.skipped} skipped, ${result.totals.blocked} blocked)` : 'of those that ended';
    process.stdout.write(`No scenario failed in ${file} ${totals}.\n`);
    return 0;
  }
  process.stdout.write(`${chosen.map(explainScenario).join('\n\n')}\n`);
  return 0;
}

/** `scimulator explain FILE [--scenario ID]`: each failure of a recording, in support's words. */
export function registerExplain(program: Command): void {
  program
    .command('explain')
    .summary('Explain the failures of a recording (run --record): IdP log, exchange, reference, expected answer')
    .description(
      'For each scenario of a recording that failed or could not run (or the one --scenario names): what the Okta ' +
        'admin console or the Entra provisioning logs would show (the IdP outcomes the simulator reported), each ' +
        'finding with the exchange that caused it (request, answer, any injected fault), the reference section it ' +
        'comes from, and what the server should have answered. Reads the file only: nothing is sent.\n\n' +
        'A partial recording (the run stopped because the target stopped answering) is explained up to the stop: ' +
        'why the run was cut short, then the scenarios that ended before it.\n\n' +
        'Exit codes: 0 explained (or nothing failed), 2 a usage mistake, a file that is not a recording this version ' +
        'reads, a partial recording of a release that kept no results, or a --scenario it does not hold.',
    )
    .argument('<file>', 'the recording, as written by run --record')
    .option('--scenario <id>', 'explain this scenario only, whatever its status')
    .action(async (file: string, flags: ExplainFlags) => {
      try {
        process.exitCode = await explainCommand(file, flags);
      } catch (error) {
        if (!(error instanceof RecordingFileError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
      }
    });
}
