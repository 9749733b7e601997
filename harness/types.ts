/*
 * The scenario model: what a scenario file loads into (`Scenario` and its steps). What a run
 * records and reports render — the transcript and the `RunResult` — is the other boundary, in
 * result.ts. Everything here is plain JSON data.
 */

import type { FaultRule } from '../reference-server/faults/types.js';
import { SUPPORT_FEATURES, type SupportFeature } from '../scim/profile/fields.js';

export type { FaultRule };

// ---------------------------------------------------------------------------------------------
// Scenarios, as loaded from YAML (see docs/scenario-format.md and scenarios/scenario.schema.json)
// ---------------------------------------------------------------------------------------------

/** Where something was written: 1-based line and column. */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
}

/** `none` for raw protocol steps, else the name of an IdP in the registry the run is given (`okta`, `entra`). */
export type IdpName = string;

/**
 * The optional SCIM features of RFC 7643 §5, as a target declares them in /ServiceProviderConfig
 * (or a profile's `supports:`). A scenario that requires one the target lacks is skipped, not failed.
 */
export const OPTIONAL_FEATURES = SUPPORT_FEATURES;
export type OptionalFeature = SupportFeature;

export interface Scenario {
  /** Stable and unique across the library, dotted: `rfc7644.users.create-201`. */
  id: string;
  title: string;
  description?: string;
  /** What the scenario checks against: "RFC 7644 §3.3", "Okta ref §6.1". At least one. */
  refs: string[];
  /**
   * Words for `--tag`: in the bundled library, the folders the file sits in below it
   * (okta/oin/x.yaml → okta, oin), then those written.
   */
  tags: string[];
  /** The optional features the target must support; without one, the scenario is skipped. */
  requires: OptionalFeature[];
  /**
   * What the scenario exercises, as scorecard rows: an IdP scenario's capabilities (`pushGroups`,
   * `deprovisioning`); a protocol scenario's area, in the bundled library by default the folder
   * below its suite (rfc7644/filter/x.yaml → filter).
   */
  covers: string[];
  idp: IdpName;
  /** Simulator knobs (Okta ref §14, Entra ref §12); empty for `idp: none`. */
  settings: Record<string, unknown>;
  /** The IdP's directory (users, groups) by scenario-local name; absent for `idp: none`. */
  directory?: Record<string, unknown>;
  /** What the scenario asks of the target: the embedded server's profile, faults injected from the first step. */
  target?: ScenarioTarget;
  steps: Step[];
  source: SourceRef;
}

/** A scenario's `target:` (see docs/scenario-format.md). */
export interface ScenarioTarget {
  /**
   * The embedded reference server's profile, as written: a bundled profile's name (`lenient`,
   * `variations/patch-204`) or a file relative to the scenario file. Ignored with `--target`.
   */
  profile?: string;
  /** Fault rules (docs/faults.md) in force from the first step, after discovery, until cleanup. */
  faults?: FaultRule[];
}

export type Step = RequestStep | IdpStep | ExpectStep | TargetStep;

/** A `target:` step: it changes the target's faults, acts as its team admin (an invite, the key), or moves its clock. */
export type TargetStep = FaultsStep | InviteStep | RotateTokenStep | ClockStep;

/** `target: { faults: […] }`: replaces the scenario's fault set from this step on (`[]` clears it). */
export interface FaultsStep {
  kind: 'target';
  faults: FaultRule[];
  source: SourceRef;
}

/**
 * `target: { invite: { accept: EMAIL } }` or `{ invite: { delete: EMAIL } }`: the scenario acts as
 * the team admin of a target whose profile invites existing accounts (docs/profiles.md, `team`).
 */
export interface InviteStep {
  kind: 'target';
  invite: {
    action: 'accept' | 'delete';
    /** The invite's email or id, as written: it may hold templates (`{{email}}`). */
    key: string;
  };
  source: SourceRef;
}

/**
 * `target: { rotateToken: {} }` or `{ rotateToken: { saveOld: NAME } }`: the team admin
 * regenerates the target's SCIM key (Postman ref §6). The harness's requests use the new key from
 * this step on; `saveOld` keeps the key it replaces for `auth: { bearer: "{{NAME}}" }`.
 */
export interface RotateTokenStep {
  kind: 'target';
  rotateToken: { saveOld?: string };
  source: SourceRef;
}

/**
 * `target: { advanceClock: 5m }`: moves the target's clock forward (a key's grace, a fault
 * window): the scenario's own embedded server's, or a served one's through its admin API.
 */
export interface ClockStep {
  kind: 'target';
  /** Milliseconds. */
  advanceClock: number;
  source: SourceRef;
}

/** A raw protocol step: one request to the target, checks on its response, values saved for later steps. */
export interface RequestStep {
  kind: 'request';
  name?: string;
  /** The section this step checks, when narrower than the scenario's refs. */
  ref?: string;
  request: RequestSpec;
  expect?: ResponseExpectation;
  /** Saved values by name, for `{{name}}` in later steps. */
  save?: Record<string, SaveSpec>;
  source: SourceRef;
}

export interface RequestSpec {
  method: string;
  /** Relative to the target's base URL (`/Users/{{userId}}`); may carry a query string. */
  path: string;
  /** Query parameters, URL-encoded by the runner, appended in this order. */
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  /** A JSON body, sent as `application/scim+json` unless `headers` says otherwise. */
  body?: unknown;
  /** A body sent byte for byte (malformed JSON, other content types). */
  rawBody?: string;
  /** `default` sends the run's credentials; `none` sends none; `{ bearer }` sends that token instead. */
  auth?: 'default' | 'none' | { bearer: string };
}

/** Checks on one value. A YAML scalar, list or mapping without matcher keys stands for `{ equals: … }`. */
export interface Matcher {
  equals?: unknown;
  /** A string contains the text (ignoring case with `ignoreCase`), or a list contains an element that deep-matches. */
  contains?: unknown;
  /** A regular expression the string must match. */
  matches?: string;
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';
  absent?: boolean;
  present?: boolean;
  /** The length of a list or string. */
  length?: number;
  oneOf?: unknown[];
  /** A list contains, for each of these, an element that deep-matches it (in any order). */
  containsAll?: unknown[];
  /** The value must fail this matcher (a plain value means "not equal to it"). */
  not?: Matcher;
  ignoreCase?: boolean;
}

/** The response message types a response can be validated against (JSON Schemas from scim/). */
export type SchemaName =
  | 'User'
  | 'Group'
  | 'ListResponse'
  | 'Error'
  | 'ServiceProviderConfig'
  | 'ResourceType'
  | 'Schema'
  | 'BulkResponse';

export interface ResponseExpectation {
  /** One status, or any of several. */
  status?: number | number[];
  /** By header name (case-insensitive). */
  headers?: Record<string, Matcher>;
  /** By path into the JSON body: `userName`, `meta.location`, `Resources[0].id`, `["urn:…:User"].employeeNumber`. */
  body?: Record<string, Matcher>;
  /** The body must validate against this message type's JSON Schema. */
  schema?: SchemaName;
}

/** Where a saved value comes from: a body path (a string), a response header, or the status. */
export type SaveSpec = string | { header: string } | { status: true };

/** An IdP event or clock step (`assign: ada`, `advance: 40m`, `cycle: initial`), handled by the scenario's simulator. */
export interface IdpStep {
  kind: 'idp';
  action: string;
  args: unknown;
  source: SourceRef;
}

/** Checks on what the IdP did since the previous expect step (`idp: okta | entra`). */
export interface ExpectStep {
  kind: 'expect';
  /** Requests the IdP sent, in order: a request line (`GET /Users?filter=…`) or a partial request to match. */
  sent?: unknown[];
  /** The target's end state, read back with verification GETs: by directory name, attribute path → matcher. */
  target?: Record<string, Record<string, Matcher>>;
  /** The IdP's outcomes (Okta task results, Entra provisioning log records), partially matched. */
  outcome?: unknown;
  source: SourceRef;
}
