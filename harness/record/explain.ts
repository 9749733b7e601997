import type { BodyRecord, CheckResult, Exchange, Outcome, ScenarioResult } from '../result.js';

/** What an IdP's own console calls the place its outcomes appear. */
const IDP_LOG: Record<string, string> = {
  okta: 'The Okta admin console would show (Dashboard › Tasks, System Log)',
  entra: 'The Entra provisioning logs would show',
};

/** The most of one value printed: enough to read a SCIM error, not a whole listing. */
const SHOWN = 400;

function shortJson(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > SHOWN ? `${text.slice(0, SHOWN)}… (${text.length} characters)` : text;
}

function bodyText(body: BodyRecord | undefined): string | undefined {
  if (!body) return undefined;
  return shortJson(body.json !== undefined ? body.json : (body.text ?? ''));
}

function exchangeLines(exchange: Exchange): string[] {
  const { request, response } = exchange;
  const lines = [`    ${request.method} ${request.url}${exchange.by && exchange.by !== 'harness' ? ` (sent by ${exchange.by})` : ''}`];
  const sent = bodyText(request.body);
  if (sent !== undefined) lines.push(`      sent:     ${sent}`);
  if (response) {
    const answer = bodyText(response.body);
    lines.push(`      answered: ${response.status}${answer === undefined ? '' : ` ${answer}`}`);
  } else {
    lines.push(`      no answer: ${exchange.error ?? 'none'}`);
  }
  if (exchange.fault !== undefined) lines.push(`      injected: ${exchange.fault}`);
  return lines;
}

/** Members of an outcome that are the log's own bookkeeping or its long per-step detail, left to the reports. */
const DETAIL = new Set(['steps', 'details', 'cycleId', 'activityDateTime']);

function outcomeLine(outcome: Outcome): string {
  const at = outcome.virtualTime === undefined ? '' : ` at ${outcome.virtualTime}`;
  const shown = Object.fromEntries(Object.entries(outcome.record).filter(([key]) => !DETAIL.has(key)));
  return `    ${outcome.kind}${at}: ${shortJson(shown)}`;
}

/** An outcome that reports something gone wrong: a failed status, an error code. */
function failing(outcome: Outcome): boolean {
  const { status, errorCode, error } = outcome.record;
  if (typeof status === 'string') return /fail|error/i.test(status);
  return errorCode !== undefined || error !== undefined;
}

function checkLines(check: CheckResult, scenario: ScenarioResult): string[] {
  const lines = [`  ✗ ${check.what}: ${check.message}`];
  lines.push(`    reference: ${check.ref ?? scenario.refs.join(', ') ?? 'none'}`);
  // An outcome check is on what the IdP reported; every other, on what the server answered.
  const [should, did] = check.what.startsWith('outcome') ? ['the IdP should have reported', 'it reported'] : ['the server should have answered', 'it answered'];
  if (check.expected !== undefined) lines.push(`    ${should}: ${shortJson(check.expected)}`);
  if (check.actual !== undefined) lines.push(`    ${did}: ${shortJson(check.actual)}`);
  const exchange = scenario.exchanges.find((e) => e.seq === check.exchange);
  if (exchange) lines.push(`    caused by exchange #${exchange.seq}:`, ...exchangeLines(exchange));
  return lines;
}

/**
 * A failed or errored scenario in support's words: what the IdP's own log would show (its
 * outcomes), its cause with the exchange that shows it, then each finding with the exchange that
 * caused it, its reference section, and what the server should have answered (the consequences of
 * an earlier finding only when there is no other).
 */
export function explainScenario(scenario: ScenarioResult): string {
  const lines = [`✗ ${scenario.id} — ${scenario.title} (${scenario.status})`];
  if (scenario.cause) {
    lines.push(`  cause: ${scenario.cause.summary}`);
    const shows = scenario.exchanges.find((e) => e.seq === scenario.cause?.exchange);
    if (shows) lines.push(`    shown by exchange #${shows.seq}:`, ...exchangeLines(shows));
  }
  if (scenario.reason !== undefined && scenario.reason !== scenario.cause?.summary) lines.push(`  ${scenario.reason}`);
  const log = IDP_LOG[scenario.idp];
  // What went wrong, when the IdP says so; else all it reported, which shows what it did not report.
  const wrong = scenario.outcomes.filter(failing);
  const shown = wrong.length > 0 ? wrong : scenario.outcomes;
  if (log && shown.length > 0) lines.push(`  ${log}${wrong.length > 0 ? ', failures only' : ''}:`, ...shown.map(outcomeLine));
  else if (log) lines.push(`  ${log}: nothing (the IdP reported no outcome)`);
  const failed = scenario.steps.flatMap((step) => step.checks.filter((check) => !check.passed));
  const findings = failed.filter((check) => !check.consequence);
  // Only consequences: the cause above is the finding, and they show what it did.
  for (const check of findings.length > 0 ? findings : failed) lines.push(...checkLines(check, scenario));
  for (const step of scenario.steps.filter((s) => s.error !== undefined)) lines.push(`  ✗ step ${step.index} (${step.name}) could not run: ${step.error}`);
  return lines.join('\n');
}

/** The scenarios `explain` covers: the one asked for, or every one that failed or could not run. */
export function toExplain(scenarios: readonly ScenarioResult[], id: string | undefined): ScenarioResult[] {
  if (id !== undefined) return scenarios.filter((scenario) => scenario.id === id);
  return scenarios.filter((scenario) => scenario.status === 'failed' || scenario.status === 'error');
}
