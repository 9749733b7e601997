import type { Gate, GateFailure, RunResult, StaleEntry, UnknownEntry } from '../harness/result.js';

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

/** `known entry known.yaml:7 names scenario okta.oin.deactivate-on-unasign, which no loaded scenario file has: check the id (scimulator list)`. */
export function unknownText(entry: UnknownEntry): string {
  const check = entry.check === undefined ? '' : ` (check "${entry.check}")`;
  return `known entry ${entry.file}:${entry.line} names scenario ${entry.scenario}${check}, which no loaded scenario file has: it can never match; check the id (scimulator list)`;
}

/** The gate's warnings about the known-failures file itself: its stale entries, then those naming no loaded scenario. */
export const entryWarnings = (gate: Gate): string[] => [...gate.stale.map(staleText), ...(gate.unknown ?? []).map(unknownText)];

/** `Gate: failed — 1 new failure, 1 expired; 2 known, 1 fixed, 1 stale entry (known.yaml, baseline old.json)`. */
export function gateLine(gate: Gate): string {
  const parts = [
    count(byVerdict(gate, 'new').length, 'new failure', 'new failures'),
    ...(byVerdict(gate, 'expired').length ? [`${byVerdict(gate, 'expired').length} past expiry`] : []),
    `${byVerdict(gate, 'known').length} known`,
    ...(gate.fixed.length ? [`${gate.fixed.length} fixed`] : []),
    ...(gate.stale.length ? [count(gate.stale.length, 'stale known entry', 'stale known entries')] : []),
    ...(gate.unknown?.length ? [count(gate.unknown.length, 'entry naming no scenario', 'entries naming no scenario')] : []),
  ];
  const from = gate.sources.map((s) => (s.kind === 'baseline' ? `baseline ${s.file}` : s.file)).join(', ');
  return `Gate ${gate.passed ? 'passed' : 'failed'}: ${parts.join(', ')} (${from})`;
}

/** Every line the gate adds to a text report: what fails the run, what is accepted, what was fixed, what is stale or names no scenario. */
export function gateLines(gate: Gate): string[] {
  return [
    ...[...byVerdict(gate, 'new'), ...byVerdict(gate, 'expired')].map((f) => `✗ ${f.scenario}: ${verdictText(f)}`),
    ...byVerdict(gate, 'known').map((f) => `○ ${f.scenario}: ${verdictText(f)}`),
    ...gate.fixed.map((id) => `✓ ${id}: fixed (failing in the baseline, passes now)`),
    ...entryWarnings(gate).map((w) => `⚠ ${w}`),
  ];
}
