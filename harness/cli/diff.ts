import type { Command } from 'commander';
import { diffRuns, renderDiffMarkdown, renderDiffText } from '../../reports/run-diff.js';
import { UsageError } from '../runner/errors.js';
import { readResult } from './read-result.js';

const DIFF_REPORTERS = ['console', 'markdown'] as const;

interface DiffFlags {
  reporter: string;
}

async function diffCommand(oldFile: string, newFile: string, flags: DiffFlags): Promise<number> {
  if (!(DIFF_REPORTERS as readonly string[]).includes(flags.reporter)) throw new UsageError(`Unknown reporter "${flags.reporter}" for diff: choose console or markdown`);
  const diff = diffRuns((await readResult(oldFile)).result, (await readResult(newFile)).result);
  process.stdout.write(flags.reporter === 'markdown' ? renderDiffMarkdown(diff) : `${renderDiffText(diff)}\n`);
  return diff.newlyFailing.length > 0 ? 1 : 0;
}

/** `scimulator diff OLD.json NEW.json`: what changed between two saved runs. */
export function registerDiff(program: Command): void {
  program
    .command('diff')
    .summary('Show what changed between two saved runs (result.json): newly failing, newly passing, changed')
    .description(
      'Compare two saved results (the result.json of `scimulator run --reporter json`) by scenario id: scenarios newly ' +
        'failing (failed or could not run, and did neither before: a new scenario included) with the root causes behind them, ' +
        'newly passing with the root causes they had, failing in both with different findings, added and removed. ' +
        'A failing scenario skipped or blocked now is not newly passing: the new run cannot tell. ' +
        '--reporter markdown prints it for a pull-request comment.\n\n' +
        'Exit codes: 0 no scenario is newly failing, 1 some are, 2 a usage mistake or a file that is not a result this version reads.',
    )
    .argument('<old>', 'the earlier result.json (e.g. the main branch\'s)')
    .argument('<new>', 'the later result.json')
    .option('--reporter <name>', 'console or markdown (printed to stdout)', 'console')
    .action(async (oldFile: string, newFile: string, flags: DiffFlags) => {
      try {
        process.exitCode = await diffCommand(oldFile, newFile, flags);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = error.exitCode;
      }
    });
}
