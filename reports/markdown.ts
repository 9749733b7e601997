import type { RunResult, ScenarioResult } from '../harness/types.js';
import { errorsOf, failedScenarios, failingChecks, oneLine } from './failures.js';
import { scorecard } from './scorecard.js';

/** Failures listed in full; the rest are counted, so that a PR comment stays short. */
const MAX_FAILURES = 20;

/** Where the HTML report is, next to the summary in the output folder. */
const HTML_REPORT = 'report.html';

/** One line, control characters shown as `\u001b` (a terminal escape in a server's message). */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Text from the run as Markdown that renders as itself, on one line: inline punctuation
 * backslash-escaped (`|` too, for tables), `<` and `&` as entities since GitHub renders HTML.
 * The text never starts a line, so `-`, `#` and `1.` are safe.
 */
function md(text: string): string {
  return flat(text)
    .replace(/[\\`*_[\]()!|~>]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}

/** A code span that holds any text: fenced with more backticks than any run inside it. */
function code(text: string): string {
  const line = flat(text);
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** The scenario's anchor in the HTML report; `(` and `)` encoded too, as they would end the Markdown link. */
const link = (s: ScenarioResult) =>
  `${HTML_REPORT}#scenario-${encodeURIComponent(s.id).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

function failureItem(s: ScenarioResult): string[] {
  const lines = [`- **[${md(s.id)}](${link(s)})** — ${md(s.title)}`];
  const first = failingChecks(s)[0];
  if (first) {
    const { step, check } = first;
    lines.push(`  - step ${step.index + 1} (${md(step.name)}): ${md(check.what)} — ${md(check.message)}${check.ref ? ` \\[${md(check.ref)}\\]` : ''}`);
    if (check.expected !== undefined || check.actual !== undefined) {
      lines.push(`  - expected ${code(oneLine(check.expected, 120))}, actual ${code(oneLine(check.actual, 120))}`);
    }
  } else {
    const error = errorsOf(s)[0];
    if (error) lines.push(`  - could not run: ${md(error)}`);
  }
  return lines;
}

function scorecardTable(result: RunResult): string[] {
  const sections = scorecard(result.scenarios);
  if (sections.length === 0) return [];
  const rows = sections.flatMap((section) =>
    section.rows.map((row) => {
      const mark = row.status === 'failed' ? '❌' : row.status === 'passed' ? '✅' : '⏭️';
      return `| ${mark} | ${md(section.title)} | ${md(row.label)} | ${row.passed} | ${row.failed + row.errored} | ${row.skipped} |`;
    }),
  );
  return ['| | section | area | passed | failed | skipped |', '|---|---|---|--:|--:|--:|', ...rows, ''];
}

/**
 * A short summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`: totals, the scorecard, and
 * the first failures (first failing check, expected and actual, reference), each linked to its
 * place in the HTML report.
 */
export function renderMarkdown(result: RunResult): string {
  const t = result.totals;
  const failures = failedScenarios(result.scenarios);
  const verdict = failures.length > 0 ? '❌' : '✅';
  const where = result.target.embedded ? 'the embedded reference server' : code(result.target.url);
  const lines = [
    `## ${verdict} scimulator: ${t.passed} passed, ${t.failed + t.errored} failed, ${t.skipped} skipped`,
    '',
    `${t.total} scenarios against ${where} in ${(result.durationMs / 1000).toFixed(1)} s${t.errored > 0 ? ` (${t.errored} could not run)` : ''}. Full report: [${HTML_REPORT}](${HTML_REPORT}).`,
    '',
    ...scorecardTable(result),
  ];
  if (failures.length > 0) {
    lines.push('### Failures', '');
    for (const s of failures.slice(0, MAX_FAILURES)) lines.push(...failureItem(s));
    if (failures.length > MAX_FAILURES) lines.push('', `…and ${failures.length - MAX_FAILURES} more in the [HTML report](${HTML_REPORT}).`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
