import type { Exchange, RunResult, ScenarioResult } from '../harness/types.js';
import { errorsOf, failingChecks, oneLine } from './failures.js';

/**
 * JUnit XML, in the shape CI systems read (GitHub, GitLab, Jenkins, Azure Pipelines):
 * `testsuites > testsuite > testcase`, with `skipped`, `failure` and `error` children and the
 * transcript's request lines in `system-out`.
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

function requestLine(e: Exchange): string {
  const answer = e.response ? `${e.response.status}` : `no response: ${e.error ?? 'unknown'}`;
  const clock = e.virtualTime ? ` @ ${e.virtualTime}` : '';
  return `#${e.seq} [${e.kind}] ${e.request.method} ${e.request.url} → ${answer} (${Math.round(e.durationMs)} ms)${clock}`;
}

function problemDetails(scenario: ScenarioResult): string {
  const lines: string[] = [];
  for (const error of errorsOf(scenario)) lines.push(`could not run: ${error}`);
  for (const { step, check } of failingChecks(scenario)) {
    lines.push(`step ${step.index + 1} (${step.name}): ${check.what}: ${check.message}`);
    if (check.expected !== undefined || check.actual !== undefined) {
      lines.push(`  expected: ${oneLine(check.expected, 2000)}`, `  actual:   ${oneLine(check.actual, 2000)}`);
    }
    if (check.ref) lines.push(`  ref: ${check.ref}`);
  }
  if (scenario.refs.length > 0) lines.push(`scenario refs: ${scenario.refs.join(', ')}`);
  lines.push(`file: ${scenario.file}`);
  return lines.join('\n');
}

function verdict(scenario: ScenarioResult): string {
  if (scenario.status === 'skipped') return `<skipped message="${attr(scenario.reason ?? 'skipped')}"/>`;
  if (scenario.status === 'passed') return '';
  const first = failingChecks(scenario)[0];
  if (scenario.status === 'error') {
    const message = errorsOf(scenario)[0] ?? 'the scenario could not run';
    return `<error message="${attr(message)}" type="error">${text(problemDetails(scenario))}</error>`;
  }
  const message = first ? `${first.check.what}: ${first.check.message}` : (scenario.reason ?? 'failed');
  const type = first ? first.check.what.split(' ')[0]! : 'failure';
  return `<failure message="${attr(message)}" type="${attr(type)}">${text(problemDetails(scenario))}</failure>`;
}

function testcase(scenario: ScenarioResult): string {
  const head = `<testcase classname="${attr(suiteOf(scenario.id))}" name="${attr(scenario.id)}" time="${seconds(scenario.durationMs)}" file="${attr(scenario.file)}"`;
  const children = [verdict(scenario)];
  if (scenario.exchanges.length > 0) children.push(`<system-out>${text(scenario.exchanges.map(requestLine).join('\n'))}</system-out>`);
  const body = children.filter(Boolean);
  return body.length === 0 ? `    ${head}/>` : `    ${head}>\n${body.map((c) => `      ${c}`).join('\n')}\n    </testcase>`;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function counts(scenarios: readonly ScenarioResult[]): Counts {
  const count = (status: ScenarioResult['status']) => scenarios.filter((s) => s.status === status).length;
  return { tests: scenarios.length, failures: count('failed'), errors: count('error'), skipped: count('skipped') };
}

const countAttrs = (c: Counts) => `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;

export function renderJunit(result: RunResult): string {
  const suites = new Map<string, ScenarioResult[]>();
  for (const scenario of result.scenarios) {
    const name = suiteOf(scenario.id);
    suites.set(name, [...(suites.get(name) ?? []), scenario]);
  }
  const when = timestamp(result.startedAt);
  const body = [...suites.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, scenarios]) => {
      const time = seconds(scenarios.reduce((sum, s) => sum + s.durationMs, 0));
      const head = `  <testsuite name="${attr(name)}" ${countAttrs(counts(scenarios))} time="${time}" timestamp="${attr(when)}">`;
      return [head, ...scenarios.map(testcase), '  </testsuite>'].join('\n');
    });
  const all = `<testsuites name="scimulator" ${countAttrs(counts(result.scenarios))} time="${seconds(result.durationMs)}" timestamp="${attr(when)}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', all, ...body, '</testsuites>', ''].join('\n');
}
