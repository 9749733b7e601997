import type { RootCause, RunResult, ScenarioResult, ServerAnswer } from '../harness/types.js';
import { answerBeside, effectText, failuresByCause } from './causes.js';
import { summaryLine } from './console.js';
import { errorsOf, findingsOf, oneLine, type FailingCheck } from './failures.js';
import { scorecard, type ScoreRow } from './scorecard.js';

/** Failures listed in full; the rest are counted, so that a PR comment stays short. */
const MAX_FAILURES = 20;

/** Values are cut past this length (reasons in them stay whole, see `oneLine`). */
const VALUE_MAX = 200;

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

const MARKS: Record<RootCause['effect'], string> = { failed: '❌', error: '❗', blocked: '⏸️', skipped: '⏭️' };

/** Root causes past this many are counted, not listed, so that a PR comment stays short. */
const MAX_CAUSES = 50;

/** The cause's sentence and the server's answer, whole; the answer as code, since it is the server's own text. */
function causeMd(cause: { summary: string; answer?: ServerAnswer }): string {
  const answer = answerBeside(cause);
  return `${md(cause.summary)}${answer === undefined ? '' : ` — ${code(answer)}`}`;
}

function causeItem(cause: RootCause, scenarios: ReadonlyMap<string, ScenarioResult>): string {
  const first = scenarios.get(cause.scenarios[0] ?? '');
  const where = first ? `[${md(first.id)}](${link(first)})` : md(cause.scenarios[0] ?? '(none)');
  return `- ${MARKS[cause.effect]} ${causeMd(cause)} — **${effectText(cause)}**, first: ${where}`;
}

function rootCauses(result: RunResult): string[] {
  const causes = result.causes;
  if (causes.length === 0) return [];
  const byId = new Map(result.scenarios.map((s) => [s.id, s]));
  const lines = ['### Root causes', '', ...causes.slice(0, MAX_CAUSES).map((c) => causeItem(c, byId))];
  if (causes.length > MAX_CAUSES) lines.push('', `…and ${causes.length - MAX_CAUSES} more in the [HTML report](${HTML_REPORT}).`);
  return [...lines, ''];
}

function checkLine({ step, check }: FailingCheck): string {
  return `step ${step.index + 1} (${md(step.name)}): ${md(check.what)} — ${md(check.message)}${check.ref ? ` \\[${md(check.ref)}\\]` : ''}`;
}

function failureItem(s: ScenarioResult, underCause: boolean): string[] {
  const lines = [`- **[${md(s.id)}](${link(s)})** — ${md(s.title)}`];
  if (s.cause && !underCause) lines.push(`  - cause: ${causeMd(s.cause)}`);
  const { findings, consequences } = findingsOf(s);
  for (const consequence of consequences) lines.push(`  - consequence, ${checkLine(consequence)}`);
  const first = findings[0];
  if (first) {
    lines.push(`  - ${checkLine(first)}`);
    const { check } = first;
    if (check.expected !== undefined || check.actual !== undefined) {
      lines.push(`  - expected ${code(oneLine(check.expected, VALUE_MAX))}, actual ${code(oneLine(check.actual, VALUE_MAX))}`);
    }
  } else if (consequences.length === 0) {
    const error = errorsOf(s)[0];
    if (error) lines.push(`  - could not run: ${md(error)}`);
  }
  return lines;
}

/** The first MAX_FAILURES failures, under the root cause they share. */
function failuresSection(result: RunResult): string[] {
  const groups = failuresByCause(result);
  const total = groups.reduce((sum, g) => sum + g.scenarios.length, 0);
  if (total === 0) return [];
  const lines = ['### Failures, by root cause', ''];
  let left = MAX_FAILURES;
  for (const { cause, scenarios } of groups) {
    if (left === 0) break;
    const shown = scenarios.slice(0, left);
    left -= shown.length;
    lines.push(cause ? `#### ${causeMd(cause)} — ${effectText(cause)}` : '#### Other failures', '');
    for (const s of shown) lines.push(...failureItem(s, cause !== undefined));
    lines.push('');
  }
  if (total > MAX_FAILURES) lines.push(`…and ${total - MAX_FAILURES} more in the [HTML report](${HTML_REPORT}).`, '');
  return lines;
}

const ROW_MARKS: Record<ScoreRow['status'], string> = { failed: '❌', passed: '✅', blocked: '⏸️', skipped: '⏭️' };

function scorecardTable(result: RunResult): string[] {
  const sections = scorecard(result.scenarios);
  if (sections.length === 0) return [];
  const rows = sections.flatMap((section) =>
    section.rows.map((row) => `| ${ROW_MARKS[row.status]} | ${md(section.title)} | ${md(row.label)} | ${row.passed} | ${row.failed + row.errored} | ${row.blocked} | ${row.skipped} |`),
  );
  return ['| | section | area | passed | failed | blocked | skipped |', '|---|---|---|--:|--:|--:|--:|', ...rows, ''];
}

/**
 * A short summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`: totals, the root causes
 * (each once, with the server's answer whole), the scorecard, and the first failures by root cause
 * (first failing check, expected and actual, reference, its consequences), each linked to its
 * place in the HTML report.
 */
export function renderMarkdown(result: RunResult): string {
  const t = result.totals;
  const verdict = t.failed + t.errored > 0 ? '❌' : '✅';
  const where = result.target.embedded ? 'the embedded reference server' : code(result.target.url);
  const lines = [
    `## ${verdict} scimulator: ${summaryLine(t)}`,
    '',
    `${t.total} scenarios against ${where} in ${(result.durationMs / 1000).toFixed(1)} s${t.errored > 0 ? ` (${t.errored} could not run)` : ''}. Full report: [${HTML_REPORT}](${HTML_REPORT}).`,
    '',
    ...rootCauses(result),
    ...scorecardTable(result),
    ...failuresSection(result),
  ];
  return `${lines.join('\n')}\n`;
}
