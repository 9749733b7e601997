import { checkRules } from '../../reference-server/faults/check.js';
import { parseDuration } from '../idp/clock.js';
import type { ExpectStep, IdpName, IdpStep, Matcher, OptionalFeature, RequestSpec, RequestStep, ResponseExpectation, Scenario, ScenarioTarget, SourceRef, Step, TargetStep } from '../types.js';
import { toMatcher } from './matcher-shorthand.js';
import type { DataPath } from './paths.js';

type Mapping = Record<string, unknown>;

/** A scenario file's data as written, once the JSON Schema and the semantic checks have passed. */
interface RawScenario {
  title: string;
  description?: string;
  refs: string[];
  tags?: string[];
  requires?: OptionalFeature[];
  covers?: string[];
  idp?: IdpName;
  settings?: Mapping;
  directory?: Mapping;
  target?: { profile?: string; faults?: unknown };
  steps: Mapping[];
}

/**
 * The loaded form of a valid scenario with its `id` (written or derived) and the folders it sits
 * in below the bundled library (`libraryFolders`; none elsewhere): defaults filled in, shorthands
 * expanded, steps told apart. The folders are tags before the written ones, and a protocol
 * scenario covers the one below its suite unless it says what it covers.
 */
export function normalizeScenario(data: unknown, id: string, folders: readonly string[], source: (path: DataPath) => SourceRef): Scenario {
  const raw = data as RawScenario;
  const idp = raw.idp ?? 'none';
  const area = idp === 'none' ? folders[1] : undefined;
  return {
    id,
    title: raw.title,
    ...(raw.description !== undefined && { description: raw.description }),
    refs: raw.refs,
    tags: [...folders, ...(raw.tags ?? [])],
    requires: raw.requires ?? [],
    covers: raw.covers ?? (area === undefined ? [] : [area]),
    idp,
    settings: raw.settings ?? {},
    ...(raw.directory !== undefined && { directory: raw.directory }),
    ...(raw.target !== undefined && { target: scenarioTarget(raw.target) }),
    steps: raw.steps.map((step, i) => normalizeStep(step, idp, source(['steps', i]))),
    source: source([]),
  };
}

/** Fault rules in the form the reference server reads them (a method as a list, header values as text). */
function scenarioTarget(target: NonNullable<RawScenario['target']>): ScenarioTarget {
  return {
    ...(target.profile !== undefined && { profile: target.profile }),
    ...(target.faults !== undefined && { faults: checkRules(target.faults) }),
  };
}

function normalizeStep(step: Mapping, idp: IdpName, source: SourceRef): Step {
  if ('request' in step) return requestStep(step, source);
  if ('target' in step) return targetStep(step.target as Mapping, source);
  if (idp !== 'none' && 'expect' in step) return expectStep(step.expect as Mapping, source);
  const [action, args] = Object.entries(step)[0]!;
  return { kind: 'idp', action, args, source } satisfies IdpStep;
}

/** A target step: its fault rules as the server reads them, the invite action and its key, the key's rotation, or the clock's move. */
function targetStep(target: Mapping, source: SourceRef): TargetStep {
  if ('rotateToken' in target) {
    const { saveOld } = target.rotateToken as { saveOld?: string };
    return { kind: 'target', rotateToken: saveOld === undefined ? {} : { saveOld }, source };
  }
  if ('advanceClock' in target) return { kind: 'target', advanceClock: parseDuration(target.advanceClock as string)!, source };
  if (!('invite' in target)) return { kind: 'target', faults: checkRules(target.faults), source };
  const [action, key] = Object.entries(target.invite as Mapping)[0]! as ['accept' | 'delete', string];
  return { kind: 'target', invite: { action, key }, source };
}

function requestStep(step: Mapping, source: SourceRef): RequestStep {
  return {
    kind: 'request',
    ...(step.name !== undefined && { name: step.name as string }),
    ...(step.ref !== undefined && { ref: step.ref as string }),
    request: requestSpec(step.request as Mapping),
    ...(step.expect !== undefined && { expect: responseExpectation(step.expect as Mapping) }),
    ...(step.save !== undefined && { save: step.save as RequestStep['save'] }),
    source,
  };
}

function requestSpec(request: Mapping): RequestSpec {
  return {
    method: request.method as string,
    path: request.path as string,
    ...(request.query !== undefined && { query: request.query as RequestSpec['query'] }),
    // Header values are text on the wire; YAML reads `Content-Length: 10` as a number.
    ...(request.headers !== undefined && { headers: mapValues(request.headers as Mapping, String) }),
    ...('body' in request && { body: request.body }),
    ...(request.rawBody !== undefined && { rawBody: request.rawBody as string }),
    ...(request.auth !== undefined && { auth: request.auth as RequestSpec['auth'] }),
  };
}

function responseExpectation(expect: Mapping): ResponseExpectation {
  return {
    ...(expect.status !== undefined && { status: expect.status as number | number[] }),
    ...(expect.headers !== undefined && { headers: matchers(expect.headers as Mapping) }),
    ...(expect.body !== undefined && { body: matchers(expect.body as Mapping) }),
    ...(expect.schema !== undefined && { schema: expect.schema as ResponseExpectation['schema'] }),
  };
}

function expectStep(expect: Mapping, source: SourceRef): ExpectStep {
  return {
    kind: 'expect',
    ...(expect.sent !== undefined && { sent: expect.sent as unknown[] }),
    ...(expect.target !== undefined && { target: mapValues(expect.target as Record<string, Mapping>, matchers) }),
    ...('outcome' in expect && { outcome: expect.outcome }),
    source,
  };
}

function matchers(byPath: Mapping): Record<string, Matcher> {
  return mapValues(byPath, toMatcher);
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}
