import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { renderConsoleSummary } from '../../reports/console.js';
import { isObject } from '../../scim/schema/keys.js';
import { withCause } from '../runner/causes.js';
import { UsageError } from '../runner/errors.js';
import { mergeResults, type ResultFile } from '../runner/merge.js';
import { RUN_RESULT_VERSION, type RunResult, type ScenarioResult } from '../result.js';
import { DOCS_URL_HELP, parseDocsUrl, parseReportUrl, readReporters, REPORTERS, scrubResult, writeReports } from './reporters.js';

interface ReportFlags {
  reporter: string;
  out: string;
  secret: string[];
  reportUrl?: string;
  docsUrl?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

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

async function reportCommand(files: string[], flags: ReportFlags): Promise<number> {
  const reporters = readReporters(flags.reporter);
  const inputs: ResultFile[] = [];
  for (const file of files) inputs.push(await readResult(file));
  const result = scrubResult(mergeResults(inputs), flags.secret);
  await writeReports(result, reporters, flags.out, { reportUrl: flags.reportUrl, docsUrl: flags.docsUrl });
  if (reporters.includes('console')) process.stdout.write(`${renderConsoleSummary(result, { color: process.stdout.isTTY === true && !process.env.NO_COLOR })}\n`);
  // Last, where a CI log ends: the reports were written, but do not hold what the reader may think.
  for (const notice of result.selection.notices ?? []) process.stderr.write(`Warning: ${notice}\n`);
  return 0;
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
        'Exit codes: 0 the reports were written (whatever the results say, and with shards missing), 2 a usage ' +
        'mistake, a file that is not a result this version reads, or a shard or scenario given twice.',
    )
    .argument('<results...>', 'result.json files')
    .option('--reporter <list>', `comma-separated: ${REPORTERS.join(', ')}`, 'html')
    .option('--out <dir>', 'where the reports are written: result.json, report.html, junit.xml, summary.md', 'scimulator-report')
    .option('--report-url <url>', 'where report.html will be published, e.g. https://ci.example.com/job/42/artifacts/report.html: the Markdown summary links there, so that its links work in a CI job summary', parseReportUrl)
    .option('--docs-url <url>', DOCS_URL_HELP, parseDocsUrl)
    .option('--secret <value>', 'a value to redact from every output (repeatable)', collect, [])
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
