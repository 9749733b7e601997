/**
 * A fault set as written: in a faults file (`serve --faults`), the admin API's body and
 * `ReferenceServerOptions.faults`. Plain data; check.ts says what is allowed, docs/faults.md shows
 * examples and docs/faults.schema.json is the editors' schema.
 */
export interface FaultSet {
  /** Seeds the generator `probability` draws from: the same seed and the same requests give the same faults. Default 0. */
  seed?: number;
  /** In priority order: the first rule that acts on a request decides its fault. At most MAX_RULES. */
  rules: FaultRule[];
}

export interface FaultRule {
  /** Shown in `x-scimulator-fault`, the request log and the admin API's list. */
  name?: string;
  /** Which requests the rule acts on; without it, every request below the base path. */
  match?: FaultMatch;
  act: FaultAct;
}

/** A query parameter's test: its exact (decoded) value, `{ contains }` a part of it, `true` present, `false` absent. */
export type QueryTest = string | { contains: string } | boolean;

export interface FaultMatch {
  /** One method or a list (GET also answers HEAD in the server, but `GET` does not match HEAD). */
  method?: string | string[];
  /** A pattern over the path below the base path: `*` is any characters within one segment, `**` any number of whole segments (path-pattern.ts). */
  path?: string;
  /** Every named parameter must pass its test. */
  query?: Record<string, QueryTest>;
  /** Only the n-th matching request (1-based). */
  nth?: number;
  /** Every n-th matching request: the n-th, the 2n-th… */
  every?: number;
  /** At most this many faults, then the rule is spent. */
  times?: number;
  /** Acts on this share of the requests that get this far (0 to 1), drawn from the set's seeded generator. */
  probability?: number;
  /** The window on the server's clock, `from` included, `until` excluded: ISO 8601 instants, or offsets such as `+40m` from when the rule was installed. */
  from?: string;
  until?: string;
}

export type ResetPoint = 'before-headers' | 'mid-body';

export interface FaultAct {
  /** Answer with this status (200 to 599) instead of the normal answer. */
  status?: number;
  /** With `status`: more headers, name → value. */
  headers?: Record<string, string | number>;
  /** With `status`: a string is sent as text, any other JSON value as JSON. Default: a SCIM error body from 400, an HTML page with `html`, else none. */
  body?: unknown;
  /** With `status`: the body's media type. Default application/scim+json (JSON), text/plain (a string), text/html (`html`). */
  contentType?: string;
  /** With `status`: an HTML error page such as a proxy answers, the built-in one for the status unless `body` gives one. */
  html?: boolean;
  /** With `status`: `Retry-After` in seconds, or `{ date }` as an HTTP-date (an ISO instant, or an offset such as `+30s` from the request). */
  retryAfter?: number | { date: string };
  /** Milliseconds to wait before the answer: the fault's, or the normal one when the rule does nothing else. */
  delay?: number;
  /** Reset the connection: before anything is sent, or after the normal answer's headers and half its body. */
  reset?: ResetPoint;
  /** Send the normal answer's headers and only part of its body (`true`: half; a number: that many bytes), then close the connection. */
  truncate?: true | number;
  /** No answer: the connection is held until the client gives up, the server closes, or HANG_LIMIT_MS has passed (then it is reset). */
  hang?: true;
}

/** Bounds on what a fault set may hold. */
export const MAX_RULES = 100;
export const MAX_BODY_BYTES = 64 * 1024;
/** The longest `delay`: 10 minutes. */
export const MAX_DELAY_MS = 10 * 60 * 1000;
/** How long a hang holds a connection at most: 10 minutes, longer than Okta's and Entra's request timeouts. */
export const HANG_LIMIT_MS = 10 * 60 * 1000;
