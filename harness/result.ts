/*
 * The run result: what the runner records (`Exchange`, the transcript) and what reports render
 * (`RunResult`), as plain JSON, versioned. Reports depend on this module alone; it depends on
 * nothing, so that a saved result can be read without the rest of scimulator.
 */

// ---------------------------------------------------------------------------------------------
// The transcript
// ---------------------------------------------------------------------------------------------

/**
 * Why a request was sent: `raw` by a protocol step, `idp` by a simulator (what the IdP would
 * send), `verify` by the harness reading state back, `cleanup` after a scenario, `discovery` to
 * learn the target's features.
 */
export type ExchangeKind = 'raw' | 'idp' | 'verify' | 'cleanup' | 'discovery';

/** A message body as recorded: parsed JSON when it was JSON, else text; capped in size. */
export interface BodyRecord {
  json?: unknown;
  text?: string;
  /** True when the recorded body was cut at the cap. */
  truncated?: boolean;
  bytes: number;
}

export interface Exchange {
  /** Position in the scenario's transcript, from 1. */
  seq: number;
  /** The step index (from 0) that caused it; null for discovery and cleanup. */
  step: number | null;
  kind: ExchangeKind;
  /**
   * Who sent it: `harness` (its own requests, with the scimulator User-Agent), or the IdP whose
   * request it is (`okta`, `entra`). Absent in results written before it was recorded.
   */
  by?: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: BodyRecord };
  response?: { status: number; headers: Record<string, string>; body?: BodyRecord };
  /** A network failure or timeout, in words; then there is no response. */
  error?: string;
  /**
   * What the target injected on purpose (docs/faults.md): its `x-scimulator-fault` header
   * (`throttle: 429 Retry-After 30`), or for a failure without a response, the fault rule of the
   * embedded reference server that acted on the request. Absent when nothing was injected.
   */
  fault?: string;
  startedAt: string;
  durationMs: number;
  /** The simulator's virtual clock when the IdP sent it. */
  virtualTime?: string;
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/**
 * How a scenario (or step) ended. `skipped`: the target says it lacks a feature or an attribute the
 * scenario needs (its ServiceProviderConfig, /Schemas or a profile). `blocked`: the target refused,
 * in a way the RFC allows, something the scenario needed to get to its point (a filter operator,
 * `/.search`): not a failure, and named by its cause. `error`: the scenario could not run.
 */
export type Status = 'passed' | 'failed' | 'skipped' | 'blocked' | 'error';

export interface CheckResult {
  /** What was checked, e.g. `status`, `header location`, `body userName`, `schema User`. */
  what: string;
  passed: boolean;
  expected?: unknown;
  actual?: unknown;
  /** A sentence that says what was wrong (or right). */
  message: string;
  /** The section the check comes from. */
  ref?: string;
  /** The exchange checked. */
  exchange?: number;
  /**
   * Set on a failed check that follows from an earlier failure of the same scenario (its cause's
   * exchange): reports show it under the cause instead of as a finding of its own.
   */
  consequence?: boolean;
}

export interface StepResult {
  index: number;
  /** The step's name, or a summary (`POST /Users`, `assign ada`). */
  name: string;
  status: Status;
  checks: CheckResult[];
  /** Why the step could not run (a template naming an unsaved value, a network error). */
  error?: string;
  /** Why the step was blocked (status `blocked`): a refusal the RFC allows, of something it only needed. */
  cause?: Cause;
  durationMs: number;
}

/** Something the IdP reports, in its own words: an Okta task result, an Entra provisioning log record. */
export interface Outcome {
  /** The IdP that reported it (`okta`, `entra`). */
  idp: string;
  kind: string;
  /** The step (from 0) during which it was reported; set by the runner. */
  step?: number;
  virtualTime?: string;
  record: Record<string, unknown>;
}

/** What the target answered, whole: the SCIM error's parts, or the start of a body that is not one. */
export interface ServerAnswer {
  status: number;
  scimType?: string;
  detail?: string;
  /** A body that is not a SCIM error: its first 500 characters. */
  body?: string;
}

/**
 * Why a scenario did not pass, as one statement shared by every scenario with the same cause:
 * a refused request shape with the server's answer, a capability the target lacks or refused.
 */
export interface Cause {
  /** Scenarios whose causes have equal keys share one root cause (`filter-operator:sw`, `attribute:User:nickName`). */
  key: string;
  /** One sentence, whole: `target rejects filter operator "sw" (400 invalidFilter: …)`. */
  summary: string;
  /** The server's answer that shows it, when an answer did. */
  answer?: ServerAnswer;
  /** The exchange (its seq in the scenario's transcript) that shows it. */
  exchange?: number;
}

/** One cause and every scenario it stopped, in run order: what reports lead with. */
export interface RootCause {
  key: string;
  summary: string;
  answer?: ServerAnswer;
  /** What it did to them: made them fail, blocked them, or skipped them as not supported. */
  effect: Exclude<Status, 'passed'>;
  /** Scenario ids, in run order; the first is the one to read. */
  scenarios: string[];
}

export interface ScenarioResult {
  id: string;
  title: string;
  file: string;
  /** `none` for raw protocol scenarios, else the IdP simulated. */
  idp: string;
  refs: string[];
  tags: string[];
  /** The optional SCIM features the scenario requires of the target (patch, filter…). */
  requires: string[];
  /** What the scenario exercises: its scorecard rows (pushGroups, deprovisioning, filter…). */
  covers: string[];
  /**
   * The IdP integration variant or dialect the scenario ran with, as its IdP names it
   * (`okta.oin`, "Okta To App features · OIN"); absent for protocol scenarios. An app whose
   * features are fixed (`okta.postman`) lists them all, offered or not: its `covers` keys.
   */
  variant?: { key: string; title: string; features?: { key: string; label: string; offered: boolean }[] };
  status: Status;
  /** Why it was skipped, or why it could not run. */
  reason?: string;
  /** Why it did not pass, in words shared with every scenario stopped the same way; absent when passed. */
  cause?: Cause;
  durationMs: number;
  steps: StepResult[];
  exchanges: Exchange[];
  outcomes: Outcome[];
}

export interface TargetInfo {
  /** The base URL, with any credentials removed. */
  url: string;
  /** True when the run started the reference server in-process. */
  embedded: boolean;
  /** Which optional features the target supports, and where that came from. */
  features: Record<string, boolean>;
  featureSource: 'ServiceProviderConfig' | 'profile' | 'assumed';
  /** The name of the profile the run was given (`run --profile`): what the target claims, and why scenarios were skipped as not claimed. */
  profile?: string;
  /**
   * The attributes the target declares in /Schemas, by resource type (`User`, `Group`), as
   * lowercase paths (`name.givenname`, extension attributes qualified by their schema URN); absent
   * when /Schemas could not be read, and then every attribute is assumed.
   */
  attributes?: Record<string, string[]>;
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  /** Scenarios the target blocked in a way the RFC allows (see `Status`); not failures. */
  blocked: number;
  /** Scenarios that could not run; counted as failed in the closing line. */
  errored: number;
  total: number;
}

export const RUN_RESULT_VERSION = 3;

/**
 * What a run was asked to run: the flags that chose its scenarios and, for a shard, which part of
 * them. The size and fingerprint of the whole selection let `scimulator report` tell a complete
 * set of shards from an incomplete one, and shards of one selection from shards of different ones.
 */
export interface RunSelection {
  /** The scenario files or folders given, resolved. */
  files: string[];
  /** `--grep`. */
  grep?: string;
  /** `--tag` values: scenarios with any of them. */
  tags?: string[];
  /** `--exclude-tag` values. */
  excludeTags?: string[];
  /** `--shard K/N`: the K-th (`index`, from 1) of `count` parts of the selection. */
  shard?: { index: number; count: number };
  /** How many scenarios the selection has before sharding. */
  size?: number;
  /** `sha256:` and the SHA-256 of the selection's ids before sharding (sorted, one a line): the same for every shard of one selection. */
  fingerprint?: string;
  /** In a merge of shards of one selection: which of the `count` shards were merged and which are missing, and how many scenarios the missing ones hold. */
  shards?: { count: number; merged: number[]; missing: number[]; missingScenarios: number };
  /** What the reader must know about the set of shards this result holds (shards missing, shards of different selections): every report shows them. */
  notices?: string[];
}

/** Everything a report needs, as plain JSON: saved with `--reporter json`, re-rendered later. */
export interface RunResult {
  format: 'scimulator-run';
  version: typeof RUN_RESULT_VERSION;
  tool: { name: 'scimulator'; version: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  target: TargetInfo;
  selection: RunSelection;
  totals: Totals;
  /** The causes of every scenario that did not pass: failures, then errors, blocks and skips; the widest of each first. */
  causes: RootCause[];
  scenarios: ScenarioResult[];
  /** Set when a signal stopped the run: the scenarios are those done by then, and the reports say it is partial. */
  interrupted?: Interruption;
  /** Resources the run created and its cleanup could not delete (not those `--keep` left, which were asked for), in run order. */
  leftBehind?: LeftBehind[];
  /** Set by `run --known` or `--baseline`: which failures were accepted, and whether the run passes its gate. */
  gate?: Gate;
}

/**
 * The verdicts of `run --known FILE` (accepted failures, each owned and expiring) and `--baseline
 * result.json` (failures of a previous run) on the run's failed and errored scenarios. Decided once
 * the run is over, so that every report renders the same verdicts.
 */
export interface Gate {
  /** The files the accepted failures came from, as given. */
  sources: { kind: 'known' | 'baseline'; file: string }[];
  /** Every failed or errored scenario, in run order, with its verdict. */
  failures: GateFailure[];
  /** Known-failure entries that matched no failure although their scenario ran: it passes now, or fails otherwise. */
  stale: StaleEntry[];
  /** Known-failure entries naming a scenario no loaded scenario file has (a typo, a renamed or removed scenario); absent when none, or when the library was not at hand (`report`). */
  unknown?: UnknownEntry[];
  /** Scenarios failing in the baseline that pass now. */
  fixed: string[];
  /** True when no failure is `new` or `expired`: the run passes its gate (exit 0). */
  passed: boolean;
}

/** `known`: accepted, not failing the run; `expired`: accepted by an entry past its date, failing the run; `new`: failing the run. */
export type GateVerdict = 'known' | 'expired' | 'new';

export interface GateFailure {
  scenario: string;
  verdict: GateVerdict;
  /** What accepted it (known, expired): the entry's reason, or `failing in the baseline`. */
  reason?: string;
  /** Where that came from: the known-failures file, with the entry's line, or the baseline. */
  source?: { kind: 'known' | 'baseline'; file: string; line?: number };
  owner?: string;
  ticket?: string;
  /** The entry's expiry date (`YYYY-MM-DD`, the last day it holds). */
  expires?: string;
  /** A new failure of a scenario that has entries narrowed to checks: its findings none of them covers. */
  uncovered?: string[];
}

/** A known-failure entry that matched nothing: remove it from the file (or narrow it anew). */
export interface StaleEntry {
  scenario: string;
  check?: string;
  file: string;
  line: number;
  /** The scenario's status in this run: `passed`, or `failed` / `error` in a way the entry does not cover. */
  status: Status;
}

/** A known-failure entry whose scenario id is in none of the scenario files the run loaded: it can never match. */
export interface UnknownEntry {
  scenario: string;
  check?: string;
  file: string;
  line: number;
}

/** How a run was stopped before its end (Ctrl+C, SIGTERM from CI). */
export interface Interruption {
  /** The signal's name (`SIGINT`, `SIGTERM`), or `abort` when a program stopped the run. */
  signal: string;
  at: string;
  /** The selected scenarios that never started, in run order: left out of `scenarios` and the totals. */
  notRun: string[];
}

/** A resource still on the target after the run, and why the cleanup left it. */
export interface LeftBehind {
  /** The id of the scenario that created it. */
  scenario: string;
  url: string;
  /** `DELETE answered 403 …`, `not on the target's origin …`, a network error. */
  reason: string;
}
