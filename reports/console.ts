import type { CheckResult, RunResult, ScenarioResult, StepResult, Totals } from '../harness/types.js';

export interface ConsoleStyle {
  color: boolean;
}

const paint = (style: ConsoleStyle, code: number, text: string) => (style.color ? `\x1b[${code}m${text}\x1b[0m` : text);
const red = (s: ConsoleStyle, t: string) => paint(s, 31, t);
const green = (s: ConsoleStyle, t: string) => paint(s, 32, t);
const yellow = (s: ConsoleStyle, t: string) => paint(s, 33, t);
const dim = (s: ConsoleStyle, t: string) => paint(s, 2, t);

const MARK: Record<ScenarioResult['status'], string> = { passed: '✓', failed: '✗', error: '!', skipped: '-' };

/** One line for a finished scenario. */
export function scenarioLine(result: ScenarioResult, style: ConsoleStyle): string {
  const mark = MARK[result.status];
  const colored = result.status === 'passed' ? green(style, mark) : result.status === 'skipped' ? yellow(style, mark) : red(style, mark);
  const tail = result.status === 'skipped' ? dim(style, ` (skipped: ${result.reason ?? ''})`) : dim(style, ` (${result.durationMs} ms)`);
  return `${colored} ${result.id} ${dim(style, '—')} ${result.title}${tail}`;
}

function show(value: unknown): string {
  if (value === undefined) return '(nothing)';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function checkLines(check: CheckResult, style: ConsoleStyle): string[] {
  const lines = [`    ${red(style, '✗')} ${check.what}: ${check.message}${check.ref ? dim(style, ` [${check.ref}]`) : ''}`];
  if (check.expected !== undefined || check.actual !== undefined) {
    lines.push(dim(style, `        expected: ${show(check.expected)}`), dim(style, `        actual:   ${show(check.actual)}`));
  }
  return lines;
}

function stepLines(step: StepResult, style: ConsoleStyle): string[] {
  if (step.status === 'passed' || step.status === 'skipped') return [];
  const lines = [`  step ${step.index + 1}: ${step.name}`];
  if (step.error) lines.push(`    ${red(style, '!')} ${step.error}`);
  for (const check of step.checks) if (!check.passed) lines.push(...checkLines(check, style));
  return lines;
}

/** What went wrong in a failed or errored scenario: each failing check with expected, actual and reference. */
export function failureDetails(result: ScenarioResult, style: ConsoleStyle): string {
  const lines = [`${red(style, MARK[result.status])} ${result.id} — ${result.title}`, dim(style, `  ${result.file}`)];
  if (result.refs.length) lines.push(dim(style, `  refs: ${result.refs.join(', ')}`));
  for (const step of result.steps) lines.push(...stepLines(step, style));
  if (result.steps.every((s) => s.status !== 'error') && result.reason && result.status === 'error') lines.push(`  ${result.reason}`);
  return lines.join('\n');
}

/**
 * The closing line, in the form CI systems read: `N passed, N failed, N skipped`. Scenarios that
 * could not run count as failed here.
 */
export function summaryLine(totals: Totals): string {
  return `${totals.passed} passed, ${totals.failed + totals.errored} failed, ${totals.skipped} skipped`;
}

/** The end of a console run: the failures in full, then the closing line. */
export function renderConsoleSummary(result: RunResult, style: ConsoleStyle): string {
  const failures = result.scenarios.filter((s) => s.status === 'failed' || s.status === 'error');
  const parts: string[] = [];
  if (failures.length) parts.push('', 'Failures:', '', failures.map((f) => failureDetails(f, style)).join('\n\n'));
  const where = result.target.embedded ? 'the embedded reference server' : result.target.url;
  parts.push('', dim(style, `Target: ${where} · ${(result.durationMs / 1000).toFixed(1)} s`), summaryLine(result.totals));
  return parts.join('\n');
}
