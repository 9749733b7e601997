import { Pool, request as undiciRequest, type Dispatcher } from 'undici';
import type { RequestSpec } from '../types.js';
import type { Exchange, ExchangeKind } from '../result.js';
import { decodeBody, readLimited, ResponseTooLargeError } from './body.js';
import type { CircuitBreaker } from './breaker.js';
import { authHeader, type Credentials } from './credentials.js';
import { userinfoSecrets, withoutUserinfo } from './userinfo.js';
import { HARNESS_USER_AGENT } from './user-agent.js';

export type { Credentials };
import type { Redactor } from './redact.js';
import { parseJsonBody, type RawExchange, type Recording, type Transcript } from './transcript.js';

export type QueryValue = string | number | boolean;

/** A request to the target, before credentials and default headers are added. */
export interface OutgoingRequest {
  method: string;
  /** Relative to the base URL, may carry a query string; or an absolute URL on the target's origin (cleanup of a `Location`). */
  path: string;
  /** Appended to the path in this order, each key and value URL-encoded. */
  query?: ReadonlyArray<readonly [string, QueryValue]>;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent byte for byte, instead of `body`. */
  rawBody?: string;
  /** For this request only, instead of the client's `timeoutMs` (an IdP's own timeout, Okta ref §2.4); the client's deadline still bounds the whole request. */
  timeoutMs?: number;
  /** Default headers to leave out, by lower-case name: Entra may send no Accept (Entra ref §2). */
  omitHeaders?: readonly string[];
  /**
   * Header names in the casing and order to send them (an IdP's captured order, credentials
   * included); the headers it does not name follow, lower-case. undici still writes its own
   * `host` and `connection` first and `content-length` last (docs/okta.md, Bytes on the wire).
   */
  headerOrder?: readonly string[];
}

/**
 * Where and how an exchange is recorded, and who sends it: an IdP's request (`kind: 'idp'`, `by`
 * the IdP's name) carries the IdP's headers only; every other request is the harness's own and
 * carries its User-Agent.
 */
export type SendRecord = {
  transcript: Transcript;
  step: number | null;
  virtualTime?: string;
  /** Which credentials to send; the run's by default. */
  auth?: RequestSpec['auth'];
} & ({ kind: 'idp'; by: string } | { kind: Exclude<ExchangeKind, 'idp'>; by?: never });

export interface ClientResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body parsed, when it is JSON (see `parseJsonBody`). */
  json?: unknown;
  text: string;
  /** The exchange as recorded (redacted, capped). */
  exchange: Exchange;
}

/** `--timeout`: the longest wait for a connection, the response headers, and each chunk of the body. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** `--deadline`: the longest a whole request may take; Okta's own timeout is 60 s without data (Okta ref §2.4). */
export const DEFAULT_DEADLINE_MS = 60_000;
/** `--max-response-size`: SCIM answers are small; a page of 100 full users is well under 1 MB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

export interface ScimClientOptions {
  /** The target's SCIM base URL; a `user:password@` in it is left out of every request and record. */
  baseUrl: string;
  credentials: Credentials;
  /** For each of connecting, the response headers, and each wait between body chunks. */
  timeoutMs?: number;
  /** For the whole of each request, from sending it to the last byte of the answer: a target that drips its answer is given up on too. */
  deadlineMs?: number;
  /** The most bytes of a response body read, as received and once decompressed: past it the client stops reading. */
  maxResponseBytes?: number;
  /** Counts the requests that got no answer, and ends them all when it trips. */
  breaker?: CircuitBreaker;
  connections?: number;
  /** Replaces the client's own pool (tests inject undici's MockAgent); the caller closes it. */
  dispatcher?: Dispatcher;
  /** Bytes of each body kept in the transcript. */
  bodyCap?: number;
  redactor: Redactor;
}

/**
 * The failures a caller may explain in its own words (the preflight's advice): a refused
 * connection, a TLS handshake answered in plain HTTP, no response in time (`timeout`: nothing for
 * the idle timeout; `deadline`: an answer not whole by the deadline), a body past the size limit;
 * `other` for the rest.
 */
export type FailureReason = 'refused' | 'plain-http' | 'timeout' | 'deadline' | 'too-large' | 'other';

/** A request that got no HTTP response: a network error, a timeout, or a URL off the target. The exchange is recorded. */
export class RequestFailedError extends Error {
  constructor(
    message: string,
    readonly exchange: Exchange,
    readonly reason: FailureReason = 'other',
  ) {
    super(message);
    this.name = 'RequestFailedError';
  }
}

/** The target could not be reached at all (refused, unknown host, no connection in time, not TLS): the run's exit code 3. */
export class TargetUnreachableError extends RequestFailedError {
  constructor(message: string, exchange: Exchange, reason: FailureReason = 'other') {
    super(message, exchange, reason);
    this.name = 'TargetUnreachableError';
  }
}

const SCIM_JSON = 'application/scim+json';
/** How the reference server names what it injected on purpose (docs/faults.md). */
const FAULT_HEADER = 'x-scimulator-fault';
const ABSOLUTE = /^https?:\/\//i;
/** Characters that cannot go into a request line as they are; `%` is left alone so that encoded paths stay as written. */
const UNSAFE_IN_URL = /[^\x21-\x7e]|["#<>\\^`{|}]/gu;

/**
 * The harness's HTTP client for one target: a bounded pool of connections, credentials on every
 * request, and each exchange recorded — redacted — in the transcript the caller names.
 */
export class ScimClient {
  /** Without a trailing slash, nor a `user:password@`. */
  readonly baseUrl: string;
  /** The run's redactor plus this client's credentials. */
  readonly redactor: Redactor;
  private readonly origin: string;
  private readonly credentials: Credentials;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly maxResponseBytes: number;
  private readonly breaker?: CircuitBreaker;
  private readonly recording: Recording;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  /** Abandons this client's requests once aborted; set only on a view from `abortableBy`. */
  private readonly signal?: AbortSignal;
  /** Whether the breaker counts this client's failures; false only on a view from `uncounted`. */
  private readonly counted: boolean = true;

  constructor(options: ScimClientOptions) {
    const parsed = URL.canParse(options.baseUrl) ? new URL(options.baseUrl) : undefined;
    if (!parsed || !/^https?:$/.test(parsed.protocol)) {
      throw new Error(
        `the target "${withoutUserinfo(options.baseUrl)}" is not an http:// or https:// URL; give the SCIM base URL, e.g. http://localhost:3000/scim/v2`,
      );
    }
    this.baseUrl = withoutUserinfo(options.baseUrl).replace(/\/+$/, '');
    this.origin = parsed.origin;
    this.credentials = options.credentials;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.breaker = options.breaker;
    // The userinfo is a credential too, wherever it might come back (an echoed URL, an error).
    this.redactor = options.redactor.withCredentials(options.credentials).withSecrets(userinfoSecrets(parsed));
    this.recording = { redactor: this.redactor, bodyCap: options.bodyCap ?? 256 * 1024 };
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Pool(this.origin, {
        connections: options.connections ?? 8,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        connect: { timeout: this.timeoutMs },
      });
  }

  /** The URL of `path` under the base URL (`http://h/scim/v2` + `/Users` → `http://h/scim/v2/Users`), with `query` appended. */
  url(path: string, query: OutgoingRequest['query'] = []): string {
    let url: string;
    if (ABSOLUTE.test(path)) {
      // Credentials go to the target only, whatever a Location header says.
      if (!URL.canParse(path) || new URL(path).origin !== this.origin) {
        throw new Error(`${withoutUserinfo(path)} is not on the target ${this.origin}; not sent, so that the credentials stay with the target`);
      }
      url = withoutUserinfo(path);
    } else if (path === '' || path.startsWith('?')) {
      url = this.baseUrl + path;
    } else {
      url = `${this.baseUrl}/${path.replace(/^\/+/, '')}`;
    }
    url = url.replace(UNSAFE_IN_URL, (c) => encodeURIComponent(c));
    if (query.length === 0) return url;
    const pairs = query.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`).join('&');
    return `${url}${url.includes('?') ? '&' : '?'}${pairs}`;
  }

  async send(request: OutgoingRequest, record: SendRecord): Promise<ClientResponse> {
    const method = request.method.toUpperCase();
    const by = record.by ?? 'harness';
    const wire = this.headersFor(request, by, record.auth);
    // Recorded with lower-case names, the order kept: checks and reports look headers up by name.
    const headers = Object.fromEntries(Object.entries(wire).map(([name, value]) => [name.toLowerCase(), value]));
    const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
    // What was sent, for the transcript; the URL is known only once it has been built.
    const sent = (url: string): Pick<RawExchange, 'step' | 'kind' | 'by' | 'virtualTime' | 'request' | 'startedAt'> => ({
      step: record.step,
      kind: record.kind,
      by,
      ...(record.virtualTime !== undefined && { virtualTime: record.virtualTime }),
      request: { method, url, headers, ...(body !== undefined && { body }) },
      startedAt,
    });

    let url = request.path;
    let received: { status: number; headers: Record<string, string>; body: string };
    // Known once the headers arrive: a body cut short (an injected truncate or reset) still says what was injected.
    let fault: string | undefined;
    const stop = stopper(this.deadlineMs, this.signal, this.breaker?.signal);
    try {
      url = this.url(request.path, request.query);
      // Already stopped (a tripped breaker, an abandoned run): undici sends nothing, and fails at once.
      const response = await undiciRequest(url, {
        dispatcher: this.dispatcher,
        method: method as Dispatcher.HttpMethod,
        headers: wire,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: stop.signal,
      });
      const responseHeaders = flattenHeaders(response.headers);
      fault = responseHeaders[FAULT_HEADER];
      const bytes = await readLimited(response.body, this.maxResponseBytes);
      const decoded = decodeBody(bytes, responseHeaders['content-encoding'], this.maxResponseBytes);
      received = { status: response.statusCode, headers: responseHeaders, body: decoded.toString('utf8') };
    } catch (error) {
      const failure = stop.why() ?? describeFailure(error, url, timeoutMs);
      const exchange = record.transcript.record({ ...sent(url), error: failure.message, ...(fault !== undefined && { fault }), durationMs: elapsed() }, this.recording);
      const injected = exchange.fault === undefined ? '' : ` (injected: ${exchange.fault})`;
      const message = `${method} ${exchange.request.url}: ${exchange.error ?? failure.message}${injected}`;
      // What a target injected on purpose says nothing of whether it is still there.
      if (failure.counts && this.counted && exchange.fault === undefined) this.breaker?.failed(message);
      throw failure.unreachable ? new TargetUnreachableError(message, exchange, failure.reason) : new RequestFailedError(message, exchange, failure.reason);
    } finally {
      stop.dispose();
    }
    if (this.counted) this.breaker?.answered();
    const json = parseJsonBody(received.body, received.headers['content-type']);
    const exchange = record.transcript.record({ ...sent(url), response: { ...received, json }, ...(fault !== undefined && { fault }), durationMs: elapsed() }, this.recording);
    return { status: received.status, headers: received.headers, ...(json !== undefined && { json }), text: received.body, exchange };
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /**
   * This client — its connections, credentials and recording — with each request abandoned once
   * `signal` aborts (its reason is the request's error): an interrupted run stops waiting on the
   * target, and still cleans up through the client itself. Close the client, not the view. A view
   * of a view is abandoned by either signal (an IdP's own give-up within an interruptible run).
   */
  abortableBy(signal: AbortSignal): ScimClient {
    return Object.defineProperty(Object.create(this) as ScimClient, 'signal', { value: this.signal ? AbortSignal.any([this.signal, signal]) : signal });
  }

  /**
   * This client with its failures left out of the breaker's count (a tripped breaker still stops
   * it): a scenario that makes its target fail on purpose says nothing of whether it is there.
   */
  uncounted(): ScimClient {
    return Object.defineProperty(Object.create(this) as ScimClient, 'counted', { value: false });
  }

  /**
   * Defaults (with the harness's User-Agent on its own requests), then credentials, then the
   * request's own headers, which win (a scenario may send a malformed Authorization); named as
   * `headerOrder` says.
   */
  private headersFor(request: OutgoingRequest, by: string, auth: RequestSpec['auth'] = 'default'): Record<string, string> {
    const headers: Record<string, string> = { accept: SCIM_JSON };
    if (by === 'harness') headers['user-agent'] = HARNESS_USER_AGENT;
    if (request.body !== undefined || request.rawBody !== undefined) headers['content-type'] = `${SCIM_JSON}; charset=utf-8`;
    const credential =
      auth === 'none' ? undefined : auth === 'default' ? authHeader(this.credentials) : { name: 'authorization', value: `Bearer ${auth.bearer}` };
    if (credential) headers[credential.name] = credential.value;
    for (const name of request.omitHeaders ?? []) delete headers[name.toLowerCase()];
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
    return inOrder(headers, request.headerOrder ?? []);
  }
}

/** `headers` (lower-case names) with those `order` names first, in its casing and order, then the rest as they are. */
function inOrder(headers: Record<string, string>, order: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of order) {
    const value = headers[name.toLowerCase()];
    if (value !== undefined) out[name] = value;
  }
  const named = new Set(order.map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(headers)) if (!named.has(name)) out[name] = value;
  return out;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** `30 s`, `1.5 s`, `200 ms`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

interface NetworkError {
  code?: string;
  address?: string;
  port?: number;
  message?: string;
}

/**
 * An https request to a plain-HTTP server: OpenSSL reads the HTTP answer as a TLS record and
 * says "wrong version number" (code ERR_SSL_WRONG_VERSION_NUMBER; EPROTO on older Node versions).
 */
function isPlainHttp(e: NetworkError): boolean {
  return e.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || (e.code === 'EPROTO' && /wrong version number/i.test(e.message ?? ''));
}

/** What a failed request tells the caller and the breaker: in words, why, whether the target cannot be reached at all, and whether it counts as no answer. */
interface Failure {
  message: string;
  unreachable: boolean;
  reason: FailureReason;
  /** For the breaker: the target gave no usable answer (not a body the harness could not decode, nor a request it never sent). */
  counts: boolean;
}

/** A network failure in words, why it happened, and whether it means the target cannot be reached at all. */
function describeFailure(error: unknown, url: string, timeoutMs: number): Failure {
  if (error instanceof ResponseTooLargeError) return { message: `${error.message} (--max-response-size)`, unreachable: false, reason: 'too-large', counts: true };
  const e = (typeof error === 'object' && error !== null ? error : {}) as NetworkError;
  const host = URL.canParse(url) ? new URL(url).host : url;
  const address = e.address?.includes(':') ? `[${e.address}]` : e.address;
  const peer = address !== undefined && e.port !== undefined ? `${address}:${e.port}` : host;
  if (isPlainHttp(e)) {
    return { message: `${host} answered in plain HTTP, not TLS (OpenSSL: "wrong version number"): use http:// instead of https://`, unreachable: true, reason: 'plain-http', counts: true };
  }
  switch (e.code) {
    case 'ECONNREFUSED':
      return { message: `connection refused by ${peer}`, unreachable: true, reason: 'refused', counts: true };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { message: `host ${URL.canParse(url) ? new URL(url).hostname : host} not found`, unreachable: true, reason: 'other', counts: true };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { message: `no route to ${peer}`, unreachable: true, reason: 'other', counts: true };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { message: `could not connect to ${host} within ${duration(timeoutMs)}`, unreachable: true, reason: 'other', counts: true };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { message: `no response within ${duration(timeoutMs)}`, unreachable: false, reason: 'timeout', counts: true };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return { message: `connection closed by ${host} before the response was complete`, unreachable: false, reason: 'other', counts: true };
    default:
      return { message: e.message ?? String(error), unreachable: false, reason: 'other', counts: false };
  }
}

/**
 * The signal a request is sent with, aborted by whichever comes first: its deadline, `abandon`
 * (an interrupted run), or a tripped breaker; `why` says which, once one has.
 */
function stopper(deadlineMs: number, abandon: AbortSignal | undefined, breaker: AbortSignal | undefined) {
  const controller = new AbortController();
  let why: Failure | undefined;
  const stop = (failure: Failure) => {
    if (why) return;
    why = failure;
    controller.abort(new Error(failure.message));
  };
  const onAbandon = () => {
    const reason: unknown = abandon!.reason;
    stop({ message: reason instanceof Error ? reason.message : String(reason), unreachable: false, reason: 'other', counts: false });
  };
  const onBreaker = () => stop({ message: 'the run stopped, as the target stopped answering (--max-failures)', unreachable: false, reason: 'other', counts: false });
  const timer = setTimeout(
    () => stop({ message: `no complete response within ${duration(deadlineMs)} (--deadline)`, unreachable: false, reason: 'deadline', counts: true }),
    deadlineMs,
  );
  if (breaker?.aborted) onBreaker();
  else if (abandon?.aborted) onAbandon();
  abandon?.addEventListener('abort', onAbandon);
  breaker?.addEventListener('abort', onBreaker);
  return {
    signal: controller.signal,
    why: () => why,
    dispose() {
      clearTimeout(timer);
      abandon?.removeEventListener('abort', onAbandon);
      breaker?.removeEventListener('abort', onBreaker);
    },
  };
}
