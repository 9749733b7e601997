import type { Command } from 'commander';
import { renderConsoleSummary } from '../../reports/console.js';
import { UsageError } from '../runner/errors.js';
import { mergeResults, type ResultFile } from '../runner/merge.js';
import { readGateInputs } from './gate-inputs.js';
import { readResult } from './read-result.js';
import { DOCS_URL_HELP, parseDocsUrl, parseReportUrl, readReporters, REPORTERS, scrubResult, writeReports } from './reporters.js';

interface ReportFlags {
  reporter: string;
  out: string;
  secret: string[];
  reportUrl?: string;
  docsUrl?: string;
  known?: string;
  baseline?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

async function reportCommand(files: string[], flags: ReportFlags): Promise<number> {
  const reporters = readReporters(flags.reporter);
  const gate = await readGateInputs(flags.known, flags.baseline);
  const inputs: ResultFile[] = [];
  for (const file of files) inputs.push(await readResult(file));
  const merged = mergeResults(inputs);
  // Gated anew, as `run` gates, and before the scrubbing: the files given here decide, not the shards' own.
  const result = scrubResult(gate ? { ...merged, gate: gate.decide(merged) } : merged, flags.secret);
  await writeReports(result, reporters, flags.out, { reportUrl: flags.reportUrl, docsUrl: flags.docsUrl });
  if (reporters.includes('console')) process.stdout.write(`${renderConsoleSummary(result, { color: process.stdout.isTTY === true && !process.env.NO_COLOR })}\n`);
  // Last, where a CI log ends: the reports were written, but do not hold what the reader may think.
  for (const notice of result.selection.notices ?? []) process.stderr.write(`Warning: ${notice}\n`);
  return gate && !result.gate?.passed ? 1 : 0;
}

/** `scimulator report RESULT.json…`: re-renders saved results, merging shards. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .summary('Render saved results (result.json) as reports, merging the shards of a run')
    .description(
      'Render one or more saved results (the result.json of `scimulator run --reporter json`) as reports. ' +
        'Several results, e.g. the shards of `run --shard K/N`, are merged into one: scenarios are ' +
        'concatenated, the totals and root causes recomputed; a shard or a scenario in two of them is an error. ' +
        'Shards missing from the set, or shards of different selections, are a warning and a notice in every report. ' +
        'Results of the earlier versions (1 and 2) are read too.\n\n' +
        'With --known or --baseline, the merged result is gated as `run` gates it (in place of any gate the shards had), ' +
        'so that a CI job that runs shards gates the whole run where it merges them.\n\n' +
        'Exit codes: 0 the reports were written (whatever the results say, and with shards missing; with --known or ' +
        '--baseline: and the gate passed), 1 with --known or --baseline: a failure they do not accept, or accept past ' +
        'its expiry, 2 a usage mistake, a file that is not a result this version reads, a known-failures or baseline ' +
        'file with a mistake, or a shard or scenario given twice.',
    )
    .argument('<results...>', 'result.json files')
    .option('--reporter <list>', `comma-separated: ${REPORTERS.join(', ')}`, 'html')
    .option('--out <dir>', 'where the reports are written: result.json, report.html, junit.xml, summary.md', 'scimulator-report')
    .option('--report-url <url>', 'where report.html will be published, e.g. https://ci.example.com/job/42/artifacts/report.html: the Markdown summary links there, so that its links work in a CI job summary', parseReportUrl)
    .option('--docs-url <url>', DOCS_URL_HELP, parseDocsUrl)
    .option('--secret <value>', 'a value to redact from every output (repeatable)', collect, [])
    .option('--known <file>', 'a known-failures file (YAML, docs/known-failures.schema.json): gate the result as `run --known` does')
    .option('--baseline <result.json>', "a previous run's result.json: gate the result as `run --baseline` does")
    .action(async (files: string[], flags: ReportFlags) => {
      try {
        process.exitCode = await reportCommand(files, flags);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = error.exitCode;
      }
    });
}
