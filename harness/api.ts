/**
 * scimulator as a library (`import … from 'scimulator'`): the reference server, the scenario
 * loader and the runner, for a user's own tests and scripts. What the CLI's `run` does, with the
 * same defaults; the types a caller needs are exported here and nowhere else.
 */
import { resolve } from 'node:path';
import { failureDetails, renderConsoleSummary } from '../reports/console.js';
import { scrubResult } from './cli/reporters.js';
import type { Credentials } from './http/credentials.js';
import { userinfoCredentials, withoutUserinfo } from './http/userinfo.js';
import { IDPS } from './idp/registry.js';
import type { RunResult, ScenarioResult } from './result.js';
import { readClaim } from './runner/claim.js';
import { UsageError } from './runner/errors.js';
import { runScenarios as run } from './runner/run.js';
import { ScenarioLoadError } from './scenario/errors.js';
import { bundledScenariosDir } from './scenario/files.js';
import { loadScenarios as load, selectScenarios, type Selection } from './scenario/load.js';
import { leaveOutOwnProfile } from './scenario/own-profile.js';
import type { Scenario } from './types.js';

export { createReferenceServer, type ReferenceServer } from '../reference-server/app.js';
export type { ReferenceServerOptions } from '../reference-server/options.js';
export type { Credentials } from './http/credentials.js';
export type {
  CheckResult,
  Exchange,
  Outcome,
  RootCause,
  RunResult,
  RunSelection,
  ScenarioResult,
  Status,
  StepResult,
  TargetInfo,
  Totals,
} from './result.js';
export { RunAbort, UsageError } from './runner/errors.js';
export { ScenarioFileError, ScenarioLoadError } from './scenario/errors.js';
export { bundledScenariosDir } from './scenario/files.js';
export type { Selection } from './scenario/load.js';
export type { Scenario } from './types.js';

/** Scenario files or folders: one path or several. */
export type ScenarioPaths = string | readonly string[];

/**
 * The scenarios in `paths` (files, or folders searched for `*.yaml`; default the bundled library,
 * `bundledScenariosDir()`), those `selection` picks, in file order. Throws `ScenarioLoadError`
 * listing every mistake (`file:line:column: message`) when a file has any or a path does not exist.
 */
export async function loadScenarios(paths: ScenarioPaths = bundledScenariosDir(), selection: Selection = {}): Promise<Scenario[]> {
  const { scenarios, errors } = await load(typeof paths === 'string' ? [paths] : [...paths], { idps: IDPS });
  if (errors.length > 0) throw new ScenarioLoadError(errors);
  return selectScenarios(scenarios, selection);
}

/** A SCIM server to test and how to authenticate to it. */
export interface Target {
  /** The SCIM base URL, e.g. http://localhost:3000/scim/v2; a `user:password@` in it is sent as Basic credentials. */
  url: string;
  /** A bearer token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Any other form (a header, Basic); not with `token`. */
  credentials?: Credentials;
}

export interface RunScenariosOptions {
  /** The server to test: a URL (no credentials) or a Target. Without it, the reference server starts in-process for the run. */
  target?: string | Target;
  /**
   * What the target claims (docs/profiles.md): a bundled profile name or a profile file; scenarios
   * beyond it are skipped. Without `target`, the in-process reference server takes it. As `run --profile`.
   */
  profile?: string;
  /** Without `target`: the in-process reference server accepts Entra's and Okta's departures from RFC 7644. As `run --lenient`. */
  lenient?: boolean;
  /** Without `target`: the in-process reference servers keep their resources in this PostgreSQL database (a postgres:// URL) rather than in memory. As `run --store`. */
  store?: string;
  /** Values to redact from the result, besides the credentials. */
  secrets?: string[];
  /** The admin token of a target served with `scimulator serve --admin-token`: scenarios with faults inject them through it. */
  adminToken?: string;
  /** Scenarios run at once; default 4. */
  concurrency?: number;
  /** The longest wait for a connection, response headers, or each chunk of a body; default 30 s. */
  timeoutMs?: number;
  /** The longest one request may take, an IdP's own timeout included; default 60 s. */
  deadlineMs?: number;
  /** The most bytes of a response body read; default 5 MiB. */
  maxResponseBytes?: number;
  /** Requests without an answer, of the last twice as many, after which the run stops with RunAbort; 0 never; default 5. */
  maxFailures?: number;
  /** Leave what the scenarios created on the target. */
  keep?: boolean;
  /** Aborting it interrupts the run: the result holds what ran and says it was interrupted. */
  signal?: AbortSignal;
  /** Called as each scenario ends. */
  onScenarioEnd?(result: ScenarioResult, done: number, total: number): void;
  /**
   * Called with what `scimulator run` writes to stderr about the run as a whole, before the
   * scenarios start: how many scenarios of the bundled library it left out as written for a
   * service's own profile (`Left out N scenarios…`), or that the target's attributes are unknown.
   */
  onNotice?(notice: string): void;
}

/**
 * Runs scenarios (loaded ones, or the files and folders given; default the bundled library)
 * against `options.target`, or the in-process reference server without one, with the IdPs this
 * build simulates. As `scimulator run` without paths, the default library against a target leaves
 * out the scenarios written for a service's own profile (scenarios/postman/, `target.profile`),
 * and says how many through `onNotice`; given as paths or loaded, they run. Resolves with the
 * RunResult, secrets and credentials redacted. Throws
 * `RunAbort` when the target cannot be reached, refuses the credentials or stops answering,
 * `ScenarioLoadError` for mistakes in scenario files, and `UsageError` for options that do not fit together.
 */
export async function runScenarios(scenarios?: readonly Scenario[] | ScenarioPaths, options: RunScenariosOptions = {}): Promise<RunResult> {
  const given = scenarios ?? bundledScenariosDir();
  const files = isPaths(given) ? (typeof given === 'string' ? [given] : [...given]) : undefined;
  const target = options.target === undefined ? undefined : targetOf(options.target);
  const { kept: selected, notice } = leaveOutOwnProfile(files ? await loadScenarios(files) : (given as readonly Scenario[]), {
    defaultLibrary: scenarios === undefined,
    target: target !== undefined,
  });
  if (notice !== undefined) options.onNotice?.(notice);
  const claim = options.profile === undefined ? undefined : readClaim(options.profile);
  if (claim && !target && options.lenient) throw new UsageError('Give profile or lenient, not both: without a target, the in-process reference server takes the profile (lenient is one)');
  const secrets = [...(options.secrets ?? []), ...(options.adminToken === undefined ? [] : [options.adminToken])];
  const result = await run(selected, {
    idps: IDPS,
    target,
    secrets: options.secrets,
    profile: claim,
    defaultProfile: claim && !target ? claim.option : options.lenient ? 'lenient' : undefined,
    adminToken: options.adminToken,
    embeddedStore: options.store,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    deadlineMs: options.deadlineMs,
    maxResponseBytes: options.maxResponseBytes,
    maxFailures: options.maxFailures,
    keep: options.keep,
    signal: options.signal,
    onScenarioEnd: options.onScenarioEnd,
    onNotice: options.onNotice,
    selection: { files: (files ?? []).map((file) => resolve(file)) },
  });
  return scrubResult(result, secrets, target?.credentials);
}

/** What the console report says of a scenario that failed or could not run: its cause, each failing check with expected, actual and reference. */
export function failureMessage(result: ScenarioResult): string {
  return failureDetails(result, { color: false });
}

/** The end of the console report: root causes, failures in full, and the `N passed, N failed, N skipped` line. */
export function consoleSummary(result: RunResult): string {
  return renderConsoleSummary(result, { color: false });
}

function isPaths(scenarios: readonly Scenario[] | ScenarioPaths): scenarios is ScenarioPaths {
  return typeof scenarios === 'string' || scenarios.some((item) => typeof item === 'string');
}

function targetOf(target: string | Target): { url: string; credentials: Credentials } {
  const { url, token, credentials } = typeof target === 'string' ? { url: target } : target;
  if (token !== undefined && credentials !== undefined) throw new UsageError('Give the target a token or credentials, not both');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`The target "${withoutUserinfo(url)}" is not a URL: give the SCIM base URL, e.g. http://localhost:3000/scim/v2`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`The target must be an http or https URL, got "${withoutUserinfo(url)}"`);
  const base = withoutUserinfo(url).replace(/\/+$/, '');
  if (parsed.username !== '' || parsed.password !== '') {
    if (token !== undefined || credentials !== undefined) throw new UsageError('The target URL carries credentials (user:password@) and so do token or credentials: give them once');
    return { url: base, credentials: { kind: 'basic', ...userinfoCredentials(parsed) } };
  }
  return { url: base, credentials: token !== undefined ? { kind: 'bearer', token } : (credentials ?? { kind: 'none' }) };
}
