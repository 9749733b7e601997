import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { MockAgent } from 'undici';
import type { Credentials } from '../http/credentials.js';
import { REDACTED, Redactor } from '../http/redact.js';
import { IDPS } from '../idp/registry.js';
import type { Outcome, RunResult, ScenarioResult } from '../result.js';
import { readClaim } from '../runner/claim.js';
import { runScenarios } from '../runner/run.js';
import { loadScenarios } from '../scenario/load.js';
import type { Scenario } from '../types.js';
import { RecordingFileError, type RecordedFile, type Recording } from './format.js';
import { bodyRecord } from './recorder.js';

/** What a replayed request without a recorded answer fails with: the client names the request. */
export const NO_RECORDED_ANSWER = 'no recorded answer: the recording has no (further) exchange with this method, path and body';

/** The recorded scenario files, written under `folder` as they were laid out; a path that would leave it is refused. */
async function writeFiles(folder: string, files: readonly RecordedFile[]): Promise<string[]> {
  return Promise.all(
    files.map(async (file) => {
      const path = resolve(folder, file.path);
      if (!path.startsWith(folder + sep)) throw new RecordingFileError(`the recording names a scenario file outside its folder: ${file.path}`);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.text);
      return path;
    }),
  );
}

/** The recorded scenarios, loaded from the recording's own copies of their files, in the recorded order. */
async function recordedScenarios(recording: Recording, folder: string): Promise<Scenario[]> {
  const written = await writeFiles(folder, recording.files);
  // Profile files are written for the scenarios that name them, and are not scenarios themselves.
  const { scenarios, errors } = await loadScenarios(written.filter((_, index) => !recording.files[index]!.profile), { idps: IDPS });
  if (errors.length > 0) throw new RecordingFileError(`the recording's scenario files do not load here: ${errors.map(String).join('; ')}`);
  const byId = new Map(scenarios.map((scenario) => [scenario.id, scenario]));
  return recording.options.scenarios.map((id) => {
    const scenario = byId.get(id);
    if (!scenario) throw new RecordingFileError(`the recording ran scenario ${id}, which its files do not hold`);
    return scenario;
  });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A request's path or body as matched: the UUIDs a scenario drew itself (`{{uuid}}`, fresh in each
 * run) stand for any, while those the target assigned (in a recorded answer) must be the same.
 */
function matcher(recording: Recording): (text: string) => string {
  const answered = new Set<string>();
  for (const { response } of recording.exchanges) {
    for (const text of [response?.body ?? '', ...Object.values(response?.headers ?? {})]) for (const [uuid] of text.matchAll(UUID)) answered.add(uuid.toLowerCase());
  }
  return (text) => text.replace(UUID, (uuid) => (answered.has(uuid.toLowerCase()) ? uuid : '<uuid>'));
}

/** A recorded text as a pattern: what was redacted in it (a --secret value the replay does not know) matches anything. */
function wildcard(text: string): RegExp {
  const escape = (part: string) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = text.split(new RegExp(`${escape(REDACTED)}|${escape(encodeURIComponent(REDACTED))}`));
  return new RegExp(`^${parts.map(escape).join('.*?')}$`, 's');
}

/** The path as undici's MockAgent hands it to a matcher: its query parameters sorted and encoded anew. */
function sortedQuery(path: string): string {
  const [base, query, ...rest] = path.split('?');
  if (query === undefined || rest.length > 0) return path;
  const params = new URLSearchParams(query);
  params.sort();
  return `${base}?${params.toString()}`;
}

/**
 * A MockAgent that answers each request with the first unused recorded exchange of the same
 * method, path and body (redacted as recorded), and fails any other with NO_RECORDED_ANSWER.
 * Requests are the recorded ones: the run id is the recorded one, so unique names and IdP ids are
 * too, and ids the target assigned come back in the recorded answers the scenario reads them from.
 */
function answering(recording: Recording): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(new URL(recording.target).origin);
  const normal = matcher(recording);
  // Passwords are redacted as the recording redacted them; its --secret values are not known here, and match anything.
  const redactor = new Redactor();
  const bodyOf = (body: string | undefined) => normal(body === undefined || body === '' ? '' : bodyRecord(body, redactor).body);
  for (const exchange of recording.exchanges) {
    const path = wildcard(normal(sortedQuery(exchange.path)));
    const body = wildcard(normal(exchange.requestBody ?? ''));
    const interceptor = pool.intercept({ path: (sent) => path.test(normal(sent)), method: exchange.method, body: (sent) => body.test(bodyOf(sent)) });
    if (exchange.response) {
      interceptor.reply(exchange.response.status, exchange.response.body, { headers: exchange.response.headers });
    } else {
      // With undici's code, so that the client reads the failure as it did (a reset, a timeout).
      const error = Object.assign(new Error(exchange.error?.message ?? 'no answer'), exchange.error?.code === undefined ? {} : { code: exchange.error.code });
      interceptor.replyWithError(error);
    }
  }
  pool.intercept({ path: () => true, method: () => true }).replyWithError(new Error(NO_RECORDED_ANSWER)).persist();
  return agent;
}

/** Credentials of the recorded kind: their values were never recorded, and the recorded answers do not depend on them. */
function placeholderCredentials(recording: Recording): Credentials {
  switch (recording.options.credentials) {
    case 'bearer':
      return { kind: 'bearer', token: 'replayed' };
    case 'basic':
      return { kind: 'basic', user: 'replayed', password: 'replayed' };
    case 'header':
      return { kind: 'header', name: recording.options.authHeader ?? 'authorization', value: 'replayed' };
    default:
      return { kind: 'none' };
  }
}

/**
 * Re-runs the recorded scenarios against the recorded answers, one at a time as the answers are
 * matched in order; nothing is sent. `onScenarioEnd` gets each result as it ends, so that a replay
 * which stops as a partial recording did (RunAbort) still has the scenarios that ended.
 */
export async function replayRecording(recording: Recording, onScenarioEnd?: (result: ScenarioResult) => void): Promise<RunResult> {
  const folder = await mkdtemp(join(tmpdir(), 'scimulator-replay-'));
  const agent = answering(recording);
  try {
    const scenarios = await recordedScenarios(recording, folder);
    const { options } = recording;
    return await runScenarios(scenarios, {
      idps: IDPS,
      target: { url: recording.target, credentials: placeholderCredentials(recording) },
      ...(options.profile !== undefined && { profile: readClaim(options.profile) }),
      concurrency: 1,
      timeoutMs: options.timeoutMs,
      deadlineMs: options.deadlineMs,
      maxResponseBytes: options.maxResponseBytes,
      ...(options.maxFailures !== undefined && { maxFailures: options.maxFailures }),
      keep: options.keep,
      runId: options.runId,
      // Its calls are answered from the recording, which never held the token.
      ...(options.adminApi && { adminToken: 'replayed' }),
      dispatcher: agent,
      ...(onScenarioEnd && { onScenarioEnd }),
    });
  } finally {
    await agent.close();
    await rm(folder, { recursive: true, force: true });
  }
}

/** A way the replay differs from the recorded run, for one scenario. */
export interface ReplayDifference {
  scenario: string;
  /** `status passed → failed`, `outcomes differ`, `not replayed`, `request without a recorded answer: GET …`. */
  what: string;
}

const outcomeText = (outcomes: readonly Outcome[]) => JSON.stringify(outcomes);

/** Where the replayed scenarios' statuses and IdP outcomes differ from the recorded ones', and which requests had no recorded answer. */
export function compareReplay(recorded: readonly ScenarioResult[], replayed: readonly ScenarioResult[]): ReplayDifference[] {
  const now = new Map(replayed.map((scenario) => [scenario.id, scenario]));
  const differences = recorded.flatMap((before): ReplayDifference[] => {
    const after = now.get(before.id);
    if (!after) return [{ scenario: before.id, what: 'not replayed' }];
    const unanswered = after.exchanges
      .filter((exchange) => exchange.error?.includes(NO_RECORDED_ANSWER))
      .map((exchange) => ({ scenario: before.id, what: `request without a recorded answer: ${exchange.request.method} ${exchange.request.url}` }));
    const status: ReplayDifference[] = before.status === after.status ? [] : [{ scenario: before.id, what: `status ${before.status} → ${after.status}` }];
    const outcomes: ReplayDifference[] = outcomeText(before.outcomes) === outcomeText(after.outcomes) ? [] : [{ scenario: before.id, what: 'IdP outcomes differ' }];
    return [...unanswered, ...status, ...outcomes];
  });
  const before = new Set(recorded.map((scenario) => scenario.id));
  // A replay of a partial recording that ran on past where the run stopped.
  const extra = replayed.filter((after) => !before.has(after.id)).map((after) => ({ scenario: after.id, what: 'ended in the replay, not in the recorded run' }));
  return [...differences, ...extra];
}
