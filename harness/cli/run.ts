import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { renderConsoleSummary, scenarioLine, type ConsoleStyle } from '../../reports/console.js';
import { runEndLines } from '../../reports/run-end.js';
import type { Credentials } from '../http/credentials.js';
import { userinfoCredentials, withoutUserinfo } from '../http/userinfo.js';
import { RunAbort, UsageError } from '../runner/errors.js';
import type { RunResult, ScenarioResult } from '../result.js';
import { signalExitCode, watchSignals } from './interrupt.js';
import { DOCS_URL_HELP, parseDocsUrl, parseReportUrl, readReporters, REPORTERS, scrubResult, writeReports } from './reporters.js';
import { readGateInputs } from './gate-inputs.js';
import { parseShard, selectionOf, shardOf } from './shard.js';
import { Redactor } from '../http/redact.js';
import { newRunId } from '../steps/template.js';

interface RunFlags {
  target?: string;
  token?: string;
  authHeader?: string;
  basic?: string;
  secret: string[];
  grep?: string;
  tag: string[];
  excludeTag: string[];
  profile?: string;
  concurrency: string;
  timeout: string;
  deadline: string;
  maxResponseSize: string;
  maxFailures: string;
  keep?: boolean;
  lenient?: boolean;
  store?: string;
  adminToken?: string;
  reporter: string;
  out: string;
  shard?: string;
  reportUrl?: string;
  docsUrl?: string;
  known?: string;
  baseline?: string;
  record?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number of 1 or more, got "${text}"`);
  return value;
}

/** Seconds, as milliseconds: more than 0, fractions allowed (`--timeout 0.5`). */
function seconds(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} must be a number of seconds above 0, got "${text}"`);
  return Math.round(value * 1000);
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };

/** `--max-response-size`: bytes, or a number with a unit (`5MB`, `512KB`; binary: 1 KB = 1024 bytes). */
function byteCount(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = SIZE_UNITS[(match?.[2] || 'b').toLowerCase()];
  const bytes = match && unit ? Math.floor(Number(match[1]) * unit) : 0;
  if (bytes < 1) throw new UsageError(`${flag} must be a size such as 5MB, 512KB or 100000 (bytes), got "${text}"`);
  return bytes;
}

/** `--max-failures`: a whole number, 0 for never. */
function count(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 0) throw new UsageError(`${flag} must be a whole number (0: never stop), got "${text}"`);
  return value;
}

function readTarget(flags: RunFlags): { url: string; credentials: Credentials } | undefined {
  const url = flags.target ?? process.env.SCIMULATOR_TARGET;
  const token = flags.token ?? process.env.SCIMULATOR_TOKEN;
  const given = [token !== undefined, flags.authHeader !== undefined, flags.basic !== undefined].filter(Boolean).length;
  if (given > 1) throw new UsageError('Give one of --token, --auth-header and --basic, not several');
  if (url === undefined) {
    if (given > 0 && flags.target === undefined && process.env.SCIMULATOR_TOKEN === undefined) {
      throw new UsageError('Credentials need a --target: without one, scimulator tests its own embedded reference server');
    }
    return undefined;
  }
  // A user:password@ in it is a credential: never shown, and sent as Basic credentials (as curl does).
  const shown = withoutUserinfo(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--target "${shown}" is not a URL: give the SCIM base URL, e.g. http://localhost:3000/scim/v2`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    // `localhost:3000/scim/v2` parses, with "localhost:" as its scheme: the scheme was left off.
    const fix = url.includes('://') ? 'e.g. http://localhost:3000/scim/v2' : `did you mean http://${shown}?`;
    throw new UsageError(`--target must be an http or https URL, got "${shown}": ${fix}`);
  }
  const base = shown.replace(/\/+$/, '');
  if (parsed.username !== '' || parsed.password !== '') {
    if (given > 0) throw new UsageError('The --target URL carries credentials (user:password@) and so do --token, --auth-header or --basic: give them once');
    return { url: base, credentials: { kind: 'basic', ...userinfoCredentials(parsed) } };
  }
  if (token !== undefined) return { url: base, credentials: { kind: 'bearer', token } };
  if (flags.authHeader !== undefined) {
    const colon = flags.authHeader.indexOf(':');
    if (colon < 1) throw new UsageError("--auth-header must look like 'Name: value', e.g. 'X-Api-Key: abc'");
    return { url: base, credentials: { kind: 'header', name: flags.authHeader.slice(0, colon).trim(), value: flags.authHeader.slice(colon + 1).trim() } };
  }
  if (flags.basic !== undefined) {
    const colon = flags.basic.indexOf(':');
    if (colon < 1) throw new UsageError("--basic must look like 'user:password'");
    return { url: base, credentials: { kind: 'basic', user: flags.basic.slice(0, colon), password: flags.basic.slice(colon + 1) } };
  }
  return { url: base, credentials: { kind: 'none' } };
}

/** Every exchange the run sent to test the target was answered 401: the credentials are wrong, not the server. */
function allUnauthorised(result: RunResult): boolean {
  const sent = result.scenarios.flatMap((s) => s.exchanges).filter((e) => e.kind === 'raw' || e.kind === 'idp');
  return sent.length > 0 && sent.every((e) => e.response?.status === 401);
}

/** Live progress on a terminal; one line per scenario elsewhere (CI logs). */
function progress(style: ConsoleStyle, interactive: boolean) {
  let running = 0;
  const status = (done: number, total: number) => {
    if (interactive) process.stdout.write(`\r\x1b[K  ${done}/${total} done, ${running} running…`);
  };
  return {
    start() {
      running++;
    },
    end(result: Parameters<typeof scenarioLine>[0], done: number, total: number) {
      running--;
      if (interactive) process.stdout.write('\r\x1b[K');
      process.stdout.write(`${scenarioLine(result, style)}\n`);
      if (done < total) status(done, total);
    },
  };
}

async function runCommand(paths: string[], flags: RunFlags): Promise<number> {
  const reporters = readReporters(flags.reporter);
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  const target = readTarget(flags);
  if (flags.adminToken !== undefined && target === undefined) {
    throw new UsageError('--admin-token is for a --target served with scimulator serve --admin-token: the embedded server takes its faults without one');
  }
  const adminToken = target === undefined ? undefined : (flags.adminToken ?? process.env.SCIMULATOR_ADMIN_TOKEN);
  if (flags.record !== undefined && target === undefined) throw new UsageError('--record needs a --target: a run against the embedded reference server is repeated by running it again');
  const concurrency = positiveInteger('--concurrency', flags.concurrency);
  const timeoutMs = seconds('--timeout', flags.timeout);
  const deadlineMs = seconds('--deadline', flags.deadline);
  const maxResponseBytes = byteCount('--max-response-size', flags.maxResponseSize);
  const maxFailures = count('--max-failures', flags.maxFailures);
  // Read before anything is sent: a mistake in them is a usage error, not a run that cannot be gated.
  const gate = await readGateInputs(flags.known, flags.baseline);
  // Loaded when a run starts: --help and the other commands do without undici, fastify and the simulators.
  const [{ readClaim }, { runScenarios }, { defaultScenarioPaths, loadScenarios, selectScenarios }, { leaveOutOwnProfile }, { IDPS }] = await Promise.all([
    import('../runner/claim.js'),
    import('../runner/run.js'),
    import('../scenario/load.js'),
    import('../scenario/own-profile.js'),
    import('../idp/registry.js'),
  ]);
  const profile = flags.profile === undefined ? undefined : readClaim(flags.profile);
  if (profile && target === undefined && flags.lenient) {
    throw new UsageError('Give --profile or --lenient, not both: without --target, the embedded reference server takes the profile (lenient is one)');
  }

  if (flags.store !== undefined && target !== undefined) {
    throw new UsageError('--store sets where the embedded reference server keeps its resources: with --target, the target keeps its own (serve it with scimulator serve --store)');
  }
  if (flags.store !== undefined) {
    const { probeStore } = await import('../../reference-server/store/open.js');
    await probeStore(flags.store).catch((error: Error) => {
      throw new UsageError(`${error.message}; check --store`);
    });
  }

  const files = paths.length ? paths : defaultScenarioPaths();
  const { scenarios, errors } = await loadScenarios(files, { idps: IDPS });
  if (errors.length) {
    for (const error of errors) process.stderr.write(`${String(error)}\n`);
    process.stderr.write(`${errors.length} problem(s) in scenario files: nothing was run. \`scimulator validate\` checks files without running them.\n`);
    return 2;
  }
  const { kept, notice } = leaveOutOwnProfile(scenarios, { defaultLibrary: paths.length === 0, target: target !== undefined });
  if (notice !== undefined) process.stderr.write(`${notice}\n`);
  const matching = selectScenarios(kept, { grep: flags.grep, tags: flags.tag, excludeTags: flags.excludeTag });
  if (matching.length === 0) throw new UsageError('No scenario matches the selection: `scimulator list` shows the ids and tags');
  const selected = shard ? shardOf(matching, shard) : matching;
  // An empty shard still runs and writes its (empty) reports, so that merging all N shards works.
  if (selected.length === 0) process.stderr.write(`Shard ${flags.shard} has no scenario: the selection has only ${matching.length}.\n`);

  const style: ConsoleStyle = { color: process.stdout.isTTY === true && !process.env.NO_COLOR };
  const live = progress(style, process.stdout.isTTY === true);
  const showConsole = reporters.includes('console');
  const { Leftovers } = await import('../runner/left-behind.js');
  const leftovers = new Leftovers();
  const runId = newRunId();
  const secrets = adminToken === undefined ? flags.secret : [...flags.secret, adminToken];
  const redactor = new Redactor(secrets).withCredentials(target?.credentials ?? { kind: 'none' });
  const recorder = flags.record === undefined ? undefined : (await import('../record/recorder.js')).recordingDispatcher(redactor, timeoutMs);
  /** The scenarios that ended, in that order: a partial recording holds them. */
  const ended: ScenarioResult[] = [];
  const interrupt = watchSignals({ keep: flags.keep === true, embedded: target === undefined, leftNow: (reason) => leftovers.now(reason) });
  const running = runScenarios(selected, {
    idps: IDPS,
    target,
    secrets: flags.secret,
    profile,
    // Recorded one at a time: identical requests of different scenarios (a listing) are answered in the replay in the order they were sent.
    concurrency: recorder ? 1 : concurrency,
    timeoutMs,
    deadlineMs,
    maxResponseBytes,
    maxFailures,
    keep: flags.keep,
    // Without a target, the embedded server is the target the profile describes.
    defaultProfile: profile && target === undefined ? profile.option : flags.lenient ? 'lenient' : undefined,
    embeddedStore: flags.store,
    adminToken,
    runId,
    dispatcher: recorder?.dispatcher,
    selection: selectionOf({ files: files.map((f) => resolve(f)), grep: flags.grep, tags: flags.tag, excludeTags: flags.excludeTag }, matching, shard),
    onScenarioStart: showConsole ? () => live.start() : undefined,
    onScenarioEnd:
      showConsole || recorder
        ? (r, done, total) => {
            if (recorder) ended.push(r);
            if (showConsole) live.end(r, done, total);
          }
        : undefined,
    signal: interrupt.signal,
    leftovers,
    onNotice: (notice) => process.stderr.write(`${notice}\n`),
  }).finally(() => {
    // Once interrupted, a second signal stops the report writing at once too.
    if (!interrupt.signal.aborted) interrupt.dispose();
    return recorder?.close();
  });
  const recordAs = async (outcome: { result: RunResult } | { partial: { reason: string; finished: ScenarioResult[] } }) => {
    if (!recorder || !target || flags.record === undefined) return;
    const credentials = target.credentials;
    const { writeRecording } = await import('../record/write.js');
    await writeRecording(flags.record, {
      target: target.url,
      scenarios: selected,
      options: {
        runId,
        credentials: credentials.kind,
        ...(credentials.kind === 'header' && { authHeader: credentials.name }),
        ...(flags.profile !== undefined && { profile: flags.profile }),
        timeoutMs,
        deadlineMs,
        maxResponseBytes,
        maxFailures,
        keep: flags.keep === true,
        ...(adminToken !== undefined && { adminApi: true }),
      },
      exchanges: recorder.exchanges,
      ...outcome,
      redactor,
    });
    const partial = 'partial' in outcome ? ', partial: the run stopped before its end' : '';
    process.stderr.write(`Recorded ${recorder.exchanges.length} exchanges in ${flags.record}${partial}: \`scimulator replay ${flags.record}\` re-runs them offline.\n`);
  };
  let raw: RunResult;
  try {
    raw = await running;
  } catch (error) {
    // What was sent until the target stopped answering is what support needs to see.
    // Scrubbed as the full result is (the same secrets and credentials).
    if (error instanceof RunAbort) await recordAs({ partial: { reason: redactor.text(error.message), finished: redactor.json(ended) as ScenarioResult[] } });
    throw error;
  }

  // Gated before the scrubbing, so that the verdicts (a reason quoting a value, a finding) are scrubbed too.
  const gated = gate ? { ...raw, gate: gate.decide(raw, new Set(scenarios.map((s) => s.id))) } : raw;
  const result = scrubResult(gated, secrets, target?.credentials);

  await writeReports(result, reporters, flags.out, { reportUrl: flags.reportUrl, docsUrl: flags.docsUrl });
  await recordAs({ result });
  if (showConsole) process.stdout.write(`${renderConsoleSummary(result, style)}\n`);
  // The console summary says these; without it, stderr does.
  else for (const line of runEndLines(result)) process.stderr.write(`${line}\n`);
  if (result.interrupted) return signalExitCode(result.interrupted.signal);
  if (allUnauthorised(result)) {
    process.stderr.write('Every request was answered 401 Unauthorized: check --token, --basic or --auth-header.\n');
    return 3;
  }
  if (result.gate) return result.gate.passed ? 0 : 1;
  return result.totals.failed + result.totals.errored > 0 ? 1 : 0;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .summary('Replay scenarios against a SCIM server (default: the embedded reference server)')
    .description(
      'Replay scenarios against a SCIM server and report what conforms and what does not.\n' +
        'Without --target, starts the reference server in-process and runs against it.\n\n' +
        'Exit codes: 0 every scenario passed (or was skipped or blocked), 1 conformance failures or ' +
        'scenarios that could not run (with --known or --baseline: only those they do not accept, or accept past their expiry), ' +
        '2 a usage mistake, a scenario, known-failures or baseline file with a mistake (nothing is sent), ' +
        '3 the target is unreachable, refuses the credentials, does not answer as a SCIM server, or stops answering (--max-failures), ' +
        '130 or 143 interrupted by Ctrl+C (SIGINT) or SIGTERM.\n\n' +
        'With --profile, what the target claims comes from the profile instead of its /ServiceProviderConfig, and a ' +
        'scenario outside it is skipped as "not claimed by profile NAME: …": an optional feature, an absent endpoint or ' +
        'method, a filter operator or attribute it refuses, a PATCH path or value shape it does not apply, an attribute it ' +
        'does not store, a scimType it leaves out, a PUT that keeps what it omits, a compat setting that turns an ' +
        'expected refusal into acceptance. /Schemas is still read, and what it does not declare is skipped as without a ' +
        'profile (docs/profiles.md).',
    )
    .argument('[paths...]', 'scenario files or folders (default: the whole built-in library)')
    .option('--target <url>', 'the SCIM base URL to test, e.g. http://localhost:3000/scim/v2 (env SCIMULATOR_TARGET); a user:password@ in it is sent as Basic credentials, and never shown')
    .option('--token <token>', 'a bearer token, sent as "Authorization: Bearer <token>" (env SCIMULATOR_TOKEN)')
    .option('--auth-header <header>', "a header sent verbatim with every request, e.g. 'X-Api-Key: abc'")
    .option('--basic <user:pass>', 'HTTP Basic credentials')
    .option('--secret <value>', 'a value to redact from every output (repeatable)', collect, [])
    .option('--grep <text>', 'only scenarios whose id or title contains the text')
    .option('--tag <tag>', 'only scenarios with this tag (repeatable: any of them)', collect, [])
    .option('--exclude-tag <tag>', "leave out scenarios with this tag (repeatable); 'strict' ones check what the RFC only recommends", collect, [])
    .option('--profile <name|file>', 'what the target claims: a bundled profile (strict, lenient, variations/NAME) or a profile file (docs/profiles.md); scenarios beyond it are skipped as "not claimed by profile NAME"; without --target, the embedded server takes it')
    .option('--concurrency <n>', 'scenarios run at once', '4')
    .option('--timeout <seconds>', 'the longest wait for a connection, the response headers, or each chunk of a body', '30')
    .option('--deadline <seconds>', 'the longest a whole request may take, however the target drips its answer; an IdP\'s own timeout (Okta\'s 60 s) never waits longer', '60')
    .option('--max-response-size <size>', 'the most of a response body read, as received and once decompressed (5MB, 512KB, or bytes); past it the request fails: "response larger than 5 MB: stopped reading"', '5MB')
    .option('--max-failures <n>', 'stop the run (exit 3) once this many of the last twice as many requests got no answer: refused, reset, timed out or too large (faults a scenario injects do not count), answers in between or not; the default equals the default --concurrency, so a target that hangs or drips past discovery is stopped at its first wave of failures (within one --deadline); 0: never', '4')
    .option('--keep', 'leave the users and groups scenarios create on the target (default: delete them)')
    .option('--admin-token <token>', 'with --target: the admin token of a scimulator serve --admin-token target, through which scenarios that inject faults install them (they run one at a time, after the others; without it they are skipped); never printed (env SCIMULATOR_ADMIN_TOKEN)')
    .option('--lenient', 'with the embedded server: run every scenario against a lenient reference server (by default only Entra scenarios are, since its legacy dialect departs from RFC 7644; a scenario naming its own target.profile keeps it)')
    .option('--store <url>', 'without --target: the embedded reference server keeps its resources in this PostgreSQL database (postgres://user:password@host:5432/db) instead of memory, to try the library on the PostgreSQL store; never printed with its password (default: memory)')
    .option('--known <file>', 'a known-failures file (YAML, docs/known-failures.schema.json): failures it lists are reported as known and do not fail the run; one matched only by an entry past its expires date does; entries whose scenario passes now are reported as stale')
    .option('--baseline <result.json>', "a previous run's result.json: scenarios failing in it are known failures, new failures fail the run, fixed ones are listed")
    .option('--record <file>', 'with --target: also write a recording of the run (every exchange, admin API calls included, redacted, and the scenario files) for `scimulator replay` and `explain`; scenarios then run one at a time; a run stopped because the target stopped answering (exit 3) writes what was sent until then, marked partial')
    .option('--shard <K/N>', 'run only the K-th of N deterministic parts of the selection (merge them with `scimulator report`)')
    .addOption(new Option('--reporter <list>', `comma-separated: ${REPORTERS.join(', ')}`).default('console'))
    .option('--out <dir>', 'where file reports are written: result.json, report.html, junit.xml, summary.md', 'scimulator-report')
    .option('--report-url <url>', 'where report.html will be published, e.g. https://ci.example.com/job/42/artifacts/report.html: the Markdown summary links there, so that its links work in a CI job summary', parseReportUrl)
    .option('--docs-url <url>', DOCS_URL_HELP, parseDocsUrl)
    .action(async (paths: string[], flags: RunFlags) => {
      try {
        process.exitCode = await runCommand(paths, flags);
      } catch (error) {
        const { RequestFailedError, TargetUnreachableError } = await import('../http/client.js');
        if (error instanceof UsageError || error instanceof RunAbort) {
          process.stderr.write(`${error.message}\n`);
          process.exitCode = error.exitCode;
        } else if (error instanceof TargetUnreachableError) {
          process.stderr.write(`Cannot reach the target: ${error.message}. Is the server running, and is --target right?\n`);
          process.exitCode = 3;
        } else if (error instanceof RequestFailedError) {
          const flag = error.reason === 'timeout' ? '--timeout' : error.reason === 'deadline' ? '--deadline' : undefined;
          const slow = flag ? ` If the server is only slow, raise ${flag} (seconds).` : '';
          process.stderr.write(`The target stopped answering: ${error.message}. Is it still running?${slow}\n`);
          process.exitCode = 3;
        } else {
          throw error;
        }
      }
    });
}
