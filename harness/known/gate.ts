import { failedScenarios, findingList, type Finding } from '../../reports/failures.js';
import type { Gate, GateFailure, RunResult, ScenarioResult, StaleEntry, UnknownEntry } from '../result.js';
import type { KnownEntry } from './file.js';

/** A previous run's result (`--baseline`): the scenarios that failed or could not run in it. */
export interface Baseline {
  file: string;
  failing: ReadonlySet<string>;
}

export function baselineOf(file: string, result: RunResult): Baseline {
  return { file, failing: new Set(failedScenarios(result.scenarios).map((s) => s.id)) };
}

/** An entry without `check` matches any finding; with one, a finding in the step of that name, or whose line contains it. */
const covers = (entry: KnownEntry, finding: Finding) => entry.check === undefined || finding.step === entry.check || finding.line.includes(entry.check);

/** The run's date (UTC): an entry holds through its `expires` day. */
const expired = (entry: KnownEntry, today: string) => entry.expires < today;

function fromEntry(scenario: string, entry: KnownEntry, verdict: 'known' | 'expired'): GateFailure {
  const { reason, owner, ticket, expires, file, line } = entry;
  return { scenario, verdict, reason, source: { kind: 'known', file, line }, ...(owner === undefined ? {} : { owner }), ...(ticket === undefined ? {} : { ticket }), expires };
}

/**
 * Each failure's verdict. A failure is known when every one of its findings is covered by an
 * entry in force; when covering them needs an expired entry, it is expired (and fails the run,
 * whatever the baseline says: the date was a promise); else it is known when the baseline had the
 * scenario failing (per scenario: messages can name values unique to a run), and new otherwise.
 */
function verdictOf(scenario: ScenarioResult, entries: readonly KnownEntry[], baseline: Baseline | undefined, today: string, used: Set<KnownEntry>): GateFailure {
  const own = entries.filter((e) => e.scenario === scenario.id);
  const found = findingList(scenario);
  const coverOf = (pool: readonly KnownEntry[]) => found.map((f) => pool.find((e) => covers(e, f)));
  const inForce = coverOf(own.filter((e) => !expired(e, today)));
  const any = coverOf(own);
  for (const entry of any) if (entry) used.add(entry);
  for (const entry of inForce) if (entry) used.add(entry);
  if (found.length > 0 && inForce.every(Boolean)) return fromEntry(scenario.id, inForce[0]!, 'known');
  if (found.length > 0 && any.every(Boolean)) return fromEntry(scenario.id, any.find((e) => e && expired(e, today))!, 'expired');
  if (baseline?.failing.has(scenario.id)) return { scenario: scenario.id, verdict: 'known', reason: 'failing in the baseline', source: { kind: 'baseline', file: baseline.file } };
  const uncovered = own.length > 0 ? found.filter((_, i) => any[i] === undefined).map((f) => (f.step ? `${f.step}: ${f.line}` : f.line)) : undefined;
  return { scenario: scenario.id, verdict: 'new', ...(uncovered ? { uncovered } : {}) };
}

/**
 * The gate of a finished run: every failed or errored scenario's verdict, the entries that
 * matched nothing although their scenario ran (stale), and the baseline's failures that pass now.
 * Scenarios skipped, blocked or not run make no entry stale: this run cannot tell. Given the ids of
 * every scenario loaded (before --tag, --grep and --shard select), the entries naming none of them
 * are listed as unknown: an id merely not selected is no typo.
 */
export function gateRun(
  result: RunResult,
  known: { file: string; entries: readonly KnownEntry[] } | undefined,
  baseline: Baseline | undefined,
  loaded?: ReadonlySet<string>,
): Gate {
  const entries = known?.entries ?? [];
  const today = result.startedAt.slice(0, 10);
  const used = new Set<KnownEntry>();
  const failures = failedScenarios(result.scenarios).map((s) => verdictOf(s, entries, baseline, today, used));
  const status = new Map(result.scenarios.map((s) => [s.id, s.status]));
  const stale = entries
    .filter((e) => !used.has(e) && ['passed', 'failed', 'error'].includes(status.get(e.scenario) ?? 'skipped'))
    .map((e): StaleEntry => ({ scenario: e.scenario, ...(e.check === undefined ? {} : { check: e.check }), file: e.file, line: e.line, status: status.get(e.scenario)! }));
  const fixed = baseline ? result.scenarios.filter((s) => s.status === 'passed' && baseline.failing.has(s.id)).map((s) => s.id) : [];
  const unknown = loaded
    ? entries.filter((e) => !loaded.has(e.scenario)).map((e): UnknownEntry => ({ scenario: e.scenario, ...(e.check === undefined ? {} : { check: e.check }), file: e.file, line: e.line }))
    : [];
  const sources = [...(known ? [{ kind: 'known' as const, file: known.file }] : []), ...(baseline ? [{ kind: 'baseline' as const, file: baseline.file }] : [])];
  return { sources, failures, stale, ...(unknown.length ? { unknown } : {}), fixed, passed: failures.every((f) => f.verdict === 'known') };
}
