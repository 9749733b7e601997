import type { RootCause, RunResult, ScenarioResult, Status, StepResult, Totals } from '../harness/result.js';
import { causeText, effectText, failuresByCause, whyText } from './causes.js';
import { findingsOf, oneLine, type FailingCheck } from './failures.js';
import { gateLine, gateLines, verdictFor } from './gate.js';
import { injectedAt } from './injected.js';
import { runEndLines } from './run-end.js';

export interface ConsoleStyle {
  color: boolean;
}

const paint = (style: ConsoleStyle, code: number, text: string) => (style.color ? `\x1b[${code}m${text}\x1b[0m` : text);
const red = (s: ConsoleStyle, t: string) => paint(s, 31, t);
const green = (s: ConsoleStyle, t: string) => paint(s, 32, t);
const yellow = (s: ConsoleStyle, t: string) => paint(s, 33, t);
const dim = (s: ConsoleStyle, t: string) => paint(s, 2, t);

/** Control characters other than newline and tab, in text a server chose (a terminal escape in a detail): shown as `\u001b`, never sent to the terminal. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
export const plain = (text: string) => text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const MARK: Record<Status, string> = { passed: '✓', failed: '✗', error: '!', skipped: '-', blocked: '~' };

/** A status's mark in its colour: green passed, yellow skipped or blocked (not failures), red otherwise. */
function mark(style: ConsoleStyle, status: Status): string {
  if (status === 'passed') return green(style, MARK[status]);
  if (status === 'skipped' || status === 'blocked') return yellow(style, MARK[status]);
  return red(style, MARK[status]);
}

/** One line for a finished scenario; a skipped or blocked one says why. */
export function scenarioLine(result: ScenarioResult, style: ConsoleStyle): string {
  const stopped = result.status === 'skipped' || result.status === 'blocked';
  const tail = stopped ? ` (${result.status}: ${plain(whyText(result))})` : ` (${result.durationMs} ms)`;
  return `${mark(style, result.status)} ${plain(result.id)} ${dim(style, '—')} ${plain(result.title)}${dim(style, tail)}`;
}

/** Values are cut past this length (reasons in them stay whole, see `oneLine`). */
const VALUE_MAX = 300;

function checkLines({ check }: FailingCheck, result: ScenarioResult, style: ConsoleStyle): string[] {
  const injected = injectedAt(result, check.exchange);
  const lines = [`    ${red(style, '✗')} ${plain(`${check.what}: ${check.message}`)}${check.ref ? dim(style, ` [${plain(check.ref)}]`) : ''}${injected ? dim(style, ` [${plain(injected)}]`) : ''}`];
  if (check.expected !== undefined || check.actual !== undefined) {
    // JSON already shows control characters as `\u001b`.
    lines.push(dim(style, `        expected: ${oneLine(check.expected, VALUE_MAX)}`), dim(style, `        actual:   ${oneLine(check.actual, VALUE_MAX)}`));
  }
  return lines;
}

/** Checks that follow from the cause: dimmed, under it, their messages whole. */
function consequenceLines(consequences: readonly FailingCheck[], style: ConsoleStyle): string[] {
  return consequences.map(({ step, check }) => dim(style, plain(`    consequence, step ${step.index + 1}: ${check.what}: ${check.message}`)));
}

function stepLines(step: StepResult, findings: readonly FailingCheck[], result: ScenarioResult, style: ConsoleStyle): string[] {
  const own = findings.filter((f) => f.step === step);
  if (own.length === 0 && step.error === undefined) return [];
  const lines = [plain(`  step ${step.index + 1}: ${step.name}`)];
  if (step.error) lines.push(`    ${red(style, '!')} ${plain(step.error)}`);
  for (const finding of own) lines.push(...checkLines(finding, result, style));
  return lines;
}

/**
 * What went wrong in a failed or errored scenario: its cause with the server's answer and the
 * checks that follow from it, then each other failing check with expected, actual and reference.
 */
export function failureDetails(result: ScenarioResult, style: ConsoleStyle): string {
  const lines = [`${mark(style, result.status)} ${plain(`${result.id} — ${result.title}`)}`, dim(style, plain(`  ${result.file}`))];
  if (result.refs.length) lines.push(dim(style, plain(`  refs: ${result.refs.join(', ')}`)));
  const { findings, consequences } = findingsOf(result);
  if (result.cause) lines.push(plain(`  cause: ${causeText(result.cause)}`));
  lines.push(...consequenceLines(consequences, style));
  for (const step of result.steps) lines.push(...stepLines(step, findings, result, style));
  if (result.steps.every((s) => s.status !== 'error') && result.reason && result.status === 'error') lines.push(plain(`  ${result.reason}`));
  return lines.join('\n');
}

/** `✗ <cause> (<answer>) — 2 scenarios failed, first: <id>`. */
export function causeLine(cause: RootCause, style: ConsoleStyle): string {
  return `  ${mark(style, cause.effect)} ${plain(causeText(cause))} ${dim(style, '—')} ${effectText(cause)}, first: ${plain(cause.scenarios[0] ?? '(none)')}`;
}

/**
 * The closing line, in the form CI systems read: `N passed, N failed, N skipped`, with
 * `N errored` (scenarios that could not run) after the failures and `N blocked` at the end when
 * there are any.
 */
export function summaryLine(totals: Totals): string {
  const errored = totals.errored > 0 ? `, ${totals.errored} errored` : '';
  const blocked = totals.blocked > 0 ? `, ${totals.blocked} blocked` : '';
  return `${totals.passed} passed, ${totals.failed} failed${errored}, ${totals.skipped} skipped${blocked}`;
}

/** The end of a console run: the root causes first, then the failures in full by cause, then the closing line. */
export function renderConsoleSummary(result: RunResult, style: ConsoleStyle): string {
  const parts: string[] = [];
  const causes = result.causes;
  if (causes.length) parts.push('', 'Root causes:', ...causes.map((c) => causeLine(c, style)));
  // With a gate, known failures are one line each under it: the failures in full are those that fail the run.
  const failures = failuresByCause(result)
    .flatMap((group) => group.scenarios)
    .filter((s) => verdictFor(result, s.id)?.verdict !== 'known');
  if (failures.length) parts.push('', 'Failures:', '', failures.map((f) => failureDetails(f, style)).join('\n\n'));
  const gated = result.gate ? gateLines(result.gate) : [];
  if (gated.length) parts.push('', 'Known failures and baseline:', ...gated.map((line) => `  ${plain(line)}`));
  const where = `${result.target.embedded ? 'the embedded reference server' : result.target.url}${result.target.profile ? ` (profile ${result.target.profile})` : ''}`;
  // Beside the closing line: a set of shards with one missing must not read as the whole run.
  for (const notice of result.selection.notices ?? []) parts.push('', `${yellow(style, '⚠')} ${plain(notice)}`);
  // Beside the closing line too: a partial run, and what it left on the target, must not go unseen.
  const end = runEndLines(result);
  if (end.length) parts.push('', ...end.map((line) => yellow(style, plain(line))));
  parts.push('', dim(style, `Target: ${where} · ${(result.durationMs / 1000).toFixed(1)} s`), summaryLine(result.totals));
  if (result.gate) parts.push((result.gate.passed ? green : red)(style, plain(gateLine(result.gate))));
  return parts.join('\n');
}
