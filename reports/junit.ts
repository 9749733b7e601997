import type { Exchange, GateFailure, RunResult, ScenarioResult } from '../harness/result.js';
import { causeText, whyText } from './causes.js';
import { errorsOf, findingsOf, oneLine, type FailingCheck } from './failures.js';
import { gateLine, gateLines, verdictText } from './gate.js';
import { injectedText } from './injected.js';
import { interruptedText, leftBehindItem, leftBehindText } from './run-end.js';
import { HARNESS_TAG, harnessTagged } from './sender.js';

/*
 * JUnit XML, in the shape CI systems read (GitHub, GitLab, Jenkins, Azure Pipelines):
 * `testsuites > testsuite > testcase`, with `skipped`, `failure` and `error` children and the
 * transcript's request lines in `system-out`. JUnit has no "blocked": a blocked scenario is
 * skipped with the message `blocked: <cause>`. A failure's message is its root cause with the
 * server's answer, whole. With `run --known` or `--baseline`, a known failure is skipped with the
 * message `known failure: <reason>` (CI must not count it), one past its expiry is a failure that
 * says so, and the gate's own case lists what was fixed and which entries are stale.
 *
 * Suites are the scenario's folder, taken from its id rather than its file path: ids name the
 * folder (`rfc7644.users.create-201` lives in `scenarios/rfc7644/users/`), and stay the same on
 * every machine and shard, where paths depend on how `run` was called.
 */

/** Code points XML 1.0 forbids, even as character references (§2.2): shown as `\uXXXX` instead. */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xmlSafe(text: string): string {
  return text.replace(NOT_XML, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

function text(value: string): string {
  return xmlSafe(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Whitespace as references too: a parser would otherwise normalise newlines in attributes to spaces. */
function attr(value: string | number): string {
  return text(String(value)).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The suite of a scenario: its id without the last segment (`rfc7644.users`). */
export function suiteOf(id: string): string {
  const dot = id.lastIndexOf('.');
  return dot > 0 ? id.slice(0, dot) : 'scenarios';
}

/** `xs:dateTime` without a zone, as the JUnit schema has it; the run's instants are UTC. */
const timestamp = (iso: string) => iso.replace(/\.\d+Z$|Z$/, '');

/** One line of the transcript; `byHarness` tags a request the harness sent beside an IdP's. */
function requestLine(e: Exchange, byHarness: boolean): string {
  const answer = e.response ? `${e.response.status}` : `no response: ${e.error ?? 'unknown'}`;
  const clock = e.virtualTime ? ` @ ${e.virtualTime}` : '';
  const injected = e.fault === undefined ? '' : ` [${injectedText(e)}]`;
  const by = byHarness ? `, ${HARNESS_TAG}` : '';
  return `#${e.seq} [${e.kind}${by}] ${e.request.method} ${e.request.url} → ${answer}${injected} (${Math.round(e.durationMs)} ms)${clock}`;
}

/** Values are cut past this length (reasons in them stay whole, see `oneLine`). */
const VALUE_MAX = 2000;

function checkLines({ step, check }: FailingCheck, prefix: string): string[] {
  const lines = [`${prefix}step ${step.index + 1} (${step.name}): ${check.what}: ${check.message}`];
  if (check.expected !== undefined || check.actual !== undefined) {
    lines.push(`  expected: ${oneLine(check.expected, VALUE_MAX)}`, `  actual:   ${oneLine(check.actual, VALUE_MAX)}`);
  }
  if (check.ref) lines.push(`  ref: ${check.ref}`);
  return lines;
}

/** The cause, why it could not run, each finding, then the checks that follow from the cause (marked so). */
function problemDetails(scenario: ScenarioResult): string {
  const lines: string[] = [];
  if (scenario.cause) lines.push(`cause: ${causeText(scenario.cause)}`);
  for (const error of errorsOf(scenario)) lines.push(`could not run: ${error}`);
  const { findings, consequences } = findingsOf(scenario);
  for (const finding of findings) lines.push(...checkLines(finding, ''));
  for (const consequence of consequences) lines.push(...checkLines(consequence, 'consequence, '));
  if (scenario.refs.length > 0) lines.push(`scenario refs: ${scenario.refs.join(', ')}`);
  lines.push(`file: ${scenario.file}`);
  return lines.join('\n');
}

function verdict(scenario: ScenarioResult, gated: GateFailure | undefined): string {
  if (gated?.verdict === 'known') return `<skipped message="${attr(verdictText(gated))}">${text(problemDetails(scenario))}</skipped>`;
  if (scenario.status === 'skipped') return `<skipped message="${attr(whyText(scenario) || 'skipped')}"/>`;
  if (scenario.status === 'blocked') return `<skipped message="${attr(`blocked: ${whyText(scenario)}`)}"/>`;
  if (scenario.status === 'passed') return '';
  // With a gate, the verdict leads: CI readers see at once why this one fails the run.
  const lead = (found: string) => (gated ? `${verdictText(gated)} — ${found}` : found);
  const first = findingsOf(scenario).findings[0];
  if (scenario.status === 'error') {
    const message = lead(scenario.cause ? causeText(scenario.cause) : (errorsOf(scenario)[0] ?? 'the scenario could not run'));
    return `<error message="${attr(message)}" type="error">${text(problemDetails(scenario))}</error>`;
  }
  const message = lead(scenario.cause ? causeText(scenario.cause) : first ? `${first.check.what}: ${first.check.message}` : (scenario.reason ?? 'failed'));
  const type = first ? first.check.what.split(' ')[0]! : 'failure';
  return `<failure message="${attr(message)}" type="${attr(type)}">${text(problemDetails(scenario))}</failure>`;
}

/** The gate's verdict on each failure, by scenario id. */
type Verdicts = ReadonlyMap<string, GateFailure>;

function testcase(scenario: ScenarioResult, verdicts: Verdicts): string {
  const head = `<testcase classname="${attr(suiteOf(scenario.id))}" name="${attr(scenario.id)}" time="${seconds(scenario.durationMs)}" file="${attr(scenario.file)}"`;
  const children = [verdict(scenario, verdicts.get(scenario.id))];
  const tagged = harnessTagged(scenario.exchanges);
  if (scenario.exchanges.length > 0) children.push(`<system-out>${text(scenario.exchanges.map((e) => requestLine(e, tagged.has(e.seq))).join('\n'))}</system-out>`);
  const body = children.filter(Boolean);
  return body.length === 0 ? `    ${head}/>` : `    ${head}>\n${body.map((c) => `      ${c}`).join('\n')}\n    </testcase>`;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  /** Skipped and blocked: neither is a failure. */
  skipped: number;
}

function counts(scenarios: readonly ScenarioResult[], verdicts: Verdicts): Counts {
  const known = (s: ScenarioResult) => verdicts.get(s.id)?.verdict === 'known';
  const count = (status: ScenarioResult['status']) => scenarios.filter((s) => s.status === status && !known(s)).length;
  return { tests: scenarios.length, failures: count('failed'), errors: count('error'), skipped: count('skipped') + count('blocked') + scenarios.filter(known).length };
}

const countAttrs = (c: Counts) => `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;

/**
 * The run's own cases, in a suite `scimulator.run` after the scenarios': `interrupted` as an error
 * (the results are partial; the scenarios never started listed), `left-behind` as skipped (not
 * a conformance failure, but there to see; each resource listed), and `known-failures` as skipped
 * (the gate's line; its verdicts, fixed scenarios and stale entries listed). Empty for a whole, clean run.
 */
function runSuite(result: RunResult, when: string): { lines: string[]; counts: Counts } {
  const cases: string[] = [];
  const interrupted = interruptedText(result);
  if (interrupted !== undefined) {
    const notRun = result.interrupted?.notRun ?? [];
    const detail = notRun.length > 0 ? `never started:\n${notRun.join('\n')}` : 'every selected scenario had started';
    cases.push(`    <testcase classname="scimulator.run" name="interrupted" time="0">\n      <error message="${attr(interrupted)}" type="interrupted">${text(detail)}</error>\n    </testcase>`);
  }
  const left = leftBehindText(result.leftBehind);
  if (left !== undefined) {
    const items = (result.leftBehind ?? []).map(leftBehindItem).join('\n');
    cases.push(`    <testcase classname="scimulator.run" name="left-behind" time="0">\n      <skipped message="${attr(left)}"/>\n      <system-out>${text(items)}</system-out>\n    </testcase>`);
  }
  if (result.gate) {
    cases.push(`    <testcase classname="scimulator.run" name="known-failures" time="0">\n      <skipped message="${attr(gateLine(result.gate))}"/>\n      <system-out>${text(gateLines(result.gate).join('\n'))}</system-out>\n    </testcase>`);
  }
  const skipped = (left === undefined ? 0 : 1) + (result.gate ? 1 : 0);
  const counts = { tests: cases.length, failures: 0, errors: interrupted === undefined ? 0 : 1, skipped };
  if (cases.length === 0) return { lines: [], counts };
  return { lines: [`  <testsuite name="scimulator.run" ${countAttrs(counts)} time="0" timestamp="${attr(when)}">`, ...cases, '  </testsuite>'], counts };
}

const sum = (a: Counts, b: Counts): Counts => ({ tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors, skipped: a.skipped + b.skipped });

export function renderJunit(result: RunResult): string {
  const suites = new Map<string, ScenarioResult[]>();
  for (const scenario of result.scenarios) {
    const name = suiteOf(scenario.id);
    suites.set(name, [...(suites.get(name) ?? []), scenario]);
  }
  const when = timestamp(result.startedAt);
  const verdicts: Verdicts = new Map((result.gate?.failures ?? []).map((f) => [f.scenario, f]));
  // The selection's notices (shards missing from a merge) as properties of the first suite, where
  // JUnit has room for them; with no scenario at all, in a suite of their own.
  const notices = (result.selection.notices ?? []).map((notice) => `      <property name="scimulator.notice" value="${attr(notice)}"/>`);
  const properties = notices.length ? ['    <properties>', ...notices, '    </properties>'] : [];
  if (notices.length && suites.size === 0) suites.set('scimulator', []);
  const body = [...suites.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, scenarios], i) => {
      const time = seconds(scenarios.reduce((sum, s) => sum + s.durationMs, 0));
      const head = `  <testsuite name="${attr(name)}" ${countAttrs(counts(scenarios, verdicts))} time="${time}" timestamp="${attr(when)}">`;
      return [head, ...(i === 0 ? properties : []), ...scenarios.map((s) => testcase(s, verdicts)), '  </testsuite>'].join('\n');
    });
  const run = runSuite(result, when);
  const all = `<testsuites name="scimulator" ${countAttrs(sum(counts(result.scenarios, verdicts), run.counts))} time="${seconds(result.durationMs)}" timestamp="${attr(when)}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', all, ...body, ...run.lines, '</testsuites>', ''].join('\n');
}
