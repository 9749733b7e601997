import type { RootCause, RunResult, ScenarioResult, ServerAnswer } from '../harness/result.js';
import { answerBeside, effectText, failuresByCause } from './causes.js';
import { summaryLine } from './console.js';
import { errorsOf, findingsOf, oneLine, type FailingCheck } from './failures.js';
import { byVerdict, entryWarnings, gateLine, verdictText } from './gate.js';
import { injectedAt } from './injected.js';
import { RefLinker } from './refs.js';
import { interruptedText, leftBehindText } from './run-end.js';
import { scorecard, type ScoreRow } from './scorecard.js';

/** Failures listed in full; the rest are counted, so that a PR comment stays short. */
const MAX_FAILURES = 20;

/** Values are cut past this length (reasons in them stay whole, see `oneLine`). */
const VALUE_MAX = 200;

/** Where the HTML report is by default: next to the summary in the output folder. */
const HTML_REPORT = 'report.html';

export interface MarkdownOptions {
  /**
   * The absolute URL the HTML report is published at (`--report-url`), for links that resolve
   * where the summary is read (a CI job summary, a PR comment); without it, links are relative.
   */
  reportUrl?: string;
  /** Where the package's docs/ folder is published (`--docs-url`): IdP refs link there; RFC refs always link to the RFC. */
  docsUrl?: string;
}

/** A ref as Markdown, its citations linked. */
type RefMd = (ref: string) => string;

/** A link destination ends at `)` and at whitespace: those are percent-encoded. */
const destination = (url: string) => url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** One line, control characters shown as `\u001b` (a terminal escape in a server's message). */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Text from the run as Markdown that renders as itself, on one line: inline punctuation
 * backslash-escaped (`|` too, for tables), `<` and `&` as entities since GitHub renders HTML.
 * The text never starts a line, so `-`, `#` and `1.` are safe.
 */
export function md(text: string): string {
  return flat(text)
    .replace(/[\\`*_[\]()!|~>]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}

/** A code span that holds any text: fenced with more backticks than any run inside it. */
export function code(text: string): string {
  const line = flat(text);
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** The scenario's anchor in the HTML report at `report`; `(` and `)` encoded too, as they would end the Markdown link. */
const link = (s: Pick<ScenarioResult, 'id'>, report: string) =>
  `${report}#scenario-${encodeURIComponent(s.id).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

const MARKS: Record<RootCause['effect'], string> = { failed: '❌', error: '❗', blocked: '⏸️', skipped: '⏭️' };

/** Root causes past this many are counted, not listed, so that a PR comment stays short. */
const MAX_CAUSES = 50;

/** The cause's sentence and the server's answer, whole; the answer as code, since it is the server's own text. */
function causeMd(cause: { summary: string; answer?: ServerAnswer }): string {
  const answer = answerBeside(cause);
  return `${md(cause.summary)}${answer === undefined ? '' : ` — ${code(answer)}`}`;
}

function causeItem(cause: RootCause, scenarios: ReadonlyMap<string, ScenarioResult>, report: string): string {
  const first = scenarios.get(cause.scenarios[0] ?? '');
  const where = first ? `[${md(first.id)}](${link(first, report)})` : md(cause.scenarios[0] ?? '(none)');
  return `- ${MARKS[cause.effect]} ${causeMd(cause)} — **${effectText(cause)}**, first: ${where}`;
}

function rootCauses(result: RunResult, report: string): string[] {
  const causes = result.causes;
  if (causes.length === 0) return [];
  const byId = new Map(result.scenarios.map((s) => [s.id, s]));
  const lines = ['### Root causes', '', ...causes.slice(0, MAX_CAUSES).map((c) => causeItem(c, byId, report))];
  if (causes.length > MAX_CAUSES) lines.push('', `…and ${causes.length - MAX_CAUSES} more in the [HTML report](${report}).`);
  return [...lines, ''];
}

function checkLine({ step, check }: FailingCheck, s: ScenarioResult, refMd: RefMd): string {
  const injected = injectedAt(s, check.exchange);
  return `step ${step.index + 1} (${md(step.name)}): ${md(check.what)} — ${md(check.message)}${check.ref ? ` \\[${refMd(check.ref)}\\]` : ''}${injected ? ` (${md(injected)})` : ''}`;
}

function failureItem(s: ScenarioResult, underCause: boolean, report: string, refMd: RefMd): string[] {
  const lines = [`- **[${md(s.id)}](${link(s, report)})** — ${md(s.title)}`];
  if (s.cause && !underCause) lines.push(`  - cause: ${causeMd(s.cause)}`);
  const { findings, consequences } = findingsOf(s);
  for (const consequence of consequences) lines.push(`  - consequence, ${checkLine(consequence, s, refMd)}`);
  const first = findings[0];
  if (first) {
    lines.push(`  - ${checkLine(first, s, refMd)}`);
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

/** Failures listed under one root cause; the rest are counted, so that one wide cause leaves room for the others. */
const MAX_PER_CAUSE = 5;

/** The first MAX_FAILURES failures, under the root cause they share, the widest cause first. */
function failuresSection(result: RunResult, report: string, refMd: RefMd): string[] {
  const groups = failuresByCause(result);
  const total = groups.reduce((sum, g) => sum + g.scenarios.length, 0);
  if (total === 0) return [];
  const lines = ['### Failures, by root cause', ''];
  let left = MAX_FAILURES;
  let counted = 0;
  for (const { cause, scenarios } of groups) {
    if (left === 0) break;
    const shown = scenarios.slice(0, Math.min(left, MAX_PER_CAUSE));
    left -= shown.length;
    counted += scenarios.length;
    lines.push(cause ? `#### ${causeMd(cause)} — ${effectText(cause)}` : '#### Other failures', '');
    for (const s of shown) lines.push(...failureItem(s, cause !== undefined, report, refMd));
    const more = scenarios.length - shown.length;
    if (more > 0) lines.push(`- …and ${more} more ${cause ? 'with this cause' : 'of these'} in the [HTML report](${report}).`);
    lines.push('');
  }
  if (total > counted) lines.push(`…and ${total - counted} more under other causes in the [HTML report](${report}).`, '');
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

/** A notice of the selection (shards missing from a merge), its `command` spans as code. */
const noticeMd = (notice: string) =>
  notice
    .split('`')
    .map((part, i) => (i % 2 ? code(part) : md(part)))
    .join('');

/** That the run was interrupted, and what it left on the target: each resource, the scenario that created it, and why. */
function runEnd(result: RunResult): string[] {
  const interrupted = interruptedText(result);
  const left = leftBehindText(result.leftBehind);
  const lines = interrupted === undefined ? [] : [`> ⚠️ ${md(interrupted)}`, ''];
  if (left === undefined) return lines;
  const items = (result.leftBehind ?? []).map((l) => `- ${code(l.url)} (${md(l.scenario)}): ${md(l.reason)}`);
  return [...lines, `> ⚠️ ${md(left)}`, '', ...items, ''];
}

/** What `--known` / `--baseline` decided: the failures that fail the run, those accepted, the fixed, the stale entries. */
function gateSection(result: RunResult, report: string): string[] {
  const gate = result.gate;
  if (!gate) return [];
  const item = (mark: string, id: string, text: string) => `- ${mark} [${md(id)}](${link({ id }, report)}): ${md(text)}`;
  return [
    `### ${gate.passed ? '✅' : '❌'} ${md(gateLine(gate))}`,
    '',
    ...[...byVerdict(gate, 'new'), ...byVerdict(gate, 'expired')].map((f) => item('❌', f.scenario, verdictText(f))),
    ...byVerdict(gate, 'known').map((f) => item('⚪', f.scenario, verdictText(f))),
    ...gate.fixed.map((id) => item('✅', id, 'fixed: failing in the baseline, passes now')),
    ...entryWarnings(gate).map((warning) => `- ⚠️ ${md(warning)}`),
    '',
  ];
}

/**
 * A short summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`: totals, the root causes
 * (each once, with the server's answer whole), the scorecard, and the first failures by root cause
 * (first failing check, expected and actual, reference, its consequences), each linked to its
 * place in the HTML report.
 */
export function renderMarkdown(result: RunResult, options: MarkdownOptions = {}): string {
  const report = options.reportUrl === undefined ? HTML_REPORT : destination(options.reportUrl);
  const refs = new RefLinker(options.docsUrl);
  // RFC citations always link; IdP ones only to published docs (a file:// link means nothing in a PR comment).
  const refMd: RefMd = (ref) =>
    refs
      .citations(ref)
      .map(({ text, url, idp }) => (url === undefined || (idp && !refs.published) ? md(text) : `[${md(text)}](${destination(url)})`))
      .join('');
  const t = result.totals;
  // With a gate, its verdict: known failures do not fail the run.
  const failing = result.gate ? !result.gate.passed : t.failed + t.errored > 0;
  const verdict = failing ? '❌' : result.interrupted ? '⚠️' : '✅';
  const where = `${result.target.embedded ? 'the embedded reference server' : code(result.target.url)}${result.target.profile ? ` (profile ${code(result.target.profile)})` : ''}`;
  const lines = [
    `## ${verdict} scimulator${result.interrupted ? ' (interrupted)' : ''}: ${summaryLine(t)}`,
    '',
    `${t.total} scenarios against ${where} in ${(result.durationMs / 1000).toFixed(1)} s${t.errored > 0 ? ` (${t.errored} could not run)` : ''}. Full report: [${HTML_REPORT}](${report}).`,
    '',
    ...(result.selection.notices ?? []).flatMap((notice) => [`> ⚠️ ${noticeMd(notice)}`, '']),
    ...runEnd(result),
    ...gateSection(result, report),
    ...rootCauses(result, report),
    ...scorecardTable(result),
    ...failuresSection(result, report, refMd),
  ];
  return `${lines.join('\n')}\n`;
}
