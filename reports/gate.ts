import type { Gate, GateFailure, RunResult, StaleEntry } from '../harness/result.js';

/*
 * The verdicts of `run --known` / `--baseline` in words every report shares: a failure's verdict
 * and why, a stale entry, and the gate's closing line.
 */

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The gate's failures of one verdict, in run order. */
export const byVerdict = (gate: Gate, verdict: GateFailure['verdict']) => gate.failures.filter((f) => f.verdict === verdict);

/** The failure's verdict for a scenario id, when the run has a gate. */
export function verdictFor(result: RunResult, scenario: string): GateFailure | undefined {
  return result.gate?.failures.find((f) => f.scenario === scenario);
}

/** `known failure: <reason> (owner …, ticket …, until 2026-12-31; known.yaml:4)`, `known failure expired on …`, `new failure`. */
export function verdictText(failure: GateFailure): string {
  if (failure.verdict === 'new') return failure.uncovered?.length ? `new failure, not covered by its known entries: ${failure.uncovered.join('; ')}` : 'new failure';
  const source = failure.source?.kind === 'baseline' ? `baseline ${failure.source.file}` : failure.source ? `${failure.source.file}:${failure.source.line}` : '';
  const who = [failure.owner && `owner ${failure.owner}`, failure.ticket && `ticket ${failure.ticket}`].filter(Boolean);
  const when = failure.expires === undefined ? [] : [failure.verdict === 'expired' ? `expired after ${failure.expires}` : `until ${failure.expires}`];
  const details = [...who, ...when, source].filter(Boolean).join(', ');
  const head = failure.verdict === 'expired' ? 'known failure past its expiry, failing the run' : 'known failure';
  return `${head}: ${failure.reason ?? ''}${details ? ` (${details})` : ''}`;
}

/** `stale known entry known.yaml:12 (scenario x, check "y"): the scenario passes now — remove the entry`. */
export function staleText(entry: StaleEntry): string {
  const check = entry.check === undefined ? '' : `, check "${entry.check}"`;
  const now = entry.status === 'passed' ? 'the scenario passes now: remove the entry' : 'the scenario fails, but not the way the entry says: narrow it anew or remove it';
  return `stale known entry ${entry.file}:${entry.line} (${entry.scenario}${check}): ${now}`;
}

/** `Gate: failed — 1 new failure, 1 expired; 2 known, 1 fixed, 1 stale entry (known.yaml, baseline old.json)`. */
export function gateLine(gate: Gate): string {
  const parts = [
    count(byVerdict(gate, 'new').length, 'new failure', 'new failures'),
    ...(byVerdict(gate, 'expired').length ? [`${byVerdict(gate, 'expired').length} past expiry`] : []),
    `${byVerdict(gate, 'known').length} known`,
    ...(gate.fixed.length ? [`${gate.fixed.length} fixed`] : []),
    ...(gate.stale.length ? [count(gate.stale.length, 'stale known entry', 'stale known entries')] : []),
  ];
  const from = gate.sources.map((s) => (s.kind === 'baseline' ? `baseline ${s.file}` : s.file)).join(', ');
  return `Gate ${gate.passed ? 'passed' : 'failed'}: ${parts.join(', ')} (${from})`;
}

/** Every line the gate adds to a text report: what fails the run, what is accepted, what was fixed, what is stale. */
export function gateLines(gate: Gate): string[] {
  return [
    ...[...byVerdict(gate, 'new'), ...byVerdict(gate, 'expired')].map((f) => `✗ ${f.scenario}: ${verdictText(f)}`),
    ...byVerdict(gate, 'known').map((f) => `○ ${f.scenario}: ${verdictText(f)}`),
    ...gate.fixed.map((id) => `✓ ${id}: fixed (failing in the baseline, passes now)`),
    ...gate.stale.map((s) => `⚠ ${staleText(s)}`),
  ];
}
