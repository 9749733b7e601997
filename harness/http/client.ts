import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { Pool, request as undiciRequest, type Dispatcher } from 'undici';
import type { RequestSpec } from '../types.js';
import type { Exchange, ExchangeKind } from '../result.js';
import { authHeader, type Credentials } from './credentials.js';
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
  /** For this request only, instead of the client's `timeoutMs` (an IdP's own timeout, Okta ref §2.4). */
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

export interface ScimClientOptions {
  baseUrl: string;
  credentials: Credentials;
  /** For each of connecting, the response headers, and each wait between body chunks. */
  timeoutMs?: number;
  connections?: number;
  /** Replaces the client's own pool (tests inject undici's MockAgent); the caller closes it. */
  dispatcher?: Dispatcher;
  /** Bytes of each body kept in the transcript. */
  bodyCap?: number;
  redactor: Redactor;
}

/**
 * The failures a caller may explain in its own words (the preflight's advice): a refused
 * connection, a TLS handshake answered in plain HTTP, no response in time; `other` for the rest.
 */
export type FailureReason = 'refused' | 'plain-http' | 'timeout' | 'other';

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
  /** Without a trailing slash. */
  readonly baseUrl: string;
  /** The run's redactor plus this client's credentials. */
  readonly redactor: Redactor;
  private readonly origin: string;
  private readonly credentials: Credentials;
  private readonly timeoutMs: number;
  private readonly recording: Recording;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  /** Abandons this client's requests once aborted; set only on a view from `abortableBy`. */
  private readonly signal?: AbortSignal;

  constructor(options: ScimClientOptions) {
    const parsed = URL.canParse(options.baseUrl) ? new URL(options.baseUrl) : undefined;
    if (!parsed || !/^https?:$/.test(parsed.protocol)) {
      throw new Error(
        `the target "${options.baseUrl}" is not an http:// or https:// URL; give the SCIM base URL, e.g. http://localhost:3000/scim/v2`,
      );
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.origin = parsed.origin;
    this.credentials = options.credentials;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.redactor = options.redactor.withCredentials(options.credentials);
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
        throw new Error(`${path} is not on the target ${this.origin}; not sent, so that the credentials stay with the target`);
      }
      url = path;
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
    try {
      url = this.url(request.path, request.query);
      const response = await undiciRequest(url, {
        dispatcher: this.dispatcher,
        method: method as Dispatcher.HttpMethod,
        headers: wire,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: this.signal,
      });
      const responseHeaders = flattenHeaders(response.headers);
      fault = responseHeaders[FAULT_HEADER];
      const bytes = Buffer.from(await response.body.arrayBuffer());
      received = { status: response.statusCode, headers: responseHeaders, body: decodeBody(bytes, responseHeaders['content-encoding']).toString('utf8') };
    } catch (error) {
      const failure = describeFailure(error, url, timeoutMs);
      const exchange = record.transcript.record({ ...sent(url), error: failure.message, ...(fault !== undefined && { fault }), durationMs: elapsed() }, this.recording);
      const injected = exchange.fault === undefined ? '' : ` (injected: ${exchange.fault})`;
      const message = `${method} ${exchange.request.url}: ${exchange.error ?? failure.message}${injected}`;
      throw failure.unreachable ? new TargetUnreachableError(message, exchange, failure.reason) : new RequestFailedError(message, exchange, failure.reason);
    }
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
   * target, and still cleans up through the client itself. Close the client, not the view.
   */
  abortableBy(signal: AbortSignal): ScimClient {
    return Object.defineProperty(Object.create(this) as ScimClient, 'signal', { value: signal });
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

const DECODERS: Record<string, (bytes: Buffer) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  // Servers disagree on whether "deflate" is zlib-wrapped (RFC 9110 §8.4.1.2) or raw; accept both.
  deflate: (bytes) => {
    try {
      return inflateSync(bytes);
    } catch {
      return inflateRawSync(bytes);
    }
  },
  br: brotliDecompressSync,
  identity: (bytes) => bytes,
};

/**
 * The body with its Content-Encoding undone (codings apply in the order listed, so they are undone
 * from the last): a client that sends `Accept-Encoding: gzip,deflate`, as Okta does, gets them.
 */
function decodeBody(bytes: Buffer, contentEncoding: string | undefined): Buffer {
  if (contentEncoding === undefined || bytes.length === 0) return bytes;
  const codings = contentEncoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
  return codings.reduceRight((body, coding) => {
    const decode = DECODERS[coding];
    if (!decode) throw new Error(`the response has Content-Encoding ${coding}, which the harness cannot decode`);
    try {
      return decode(body);
    } catch (error) {
      throw new Error(`the response body is not valid ${coding} (Content-Encoding): ${(error as Error).message}`);
    }
  }, bytes);
}

/** `30 s`, `1.5 s`, `200 ms`. */
function duration(ms: number): string {
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

/** A network failure in words, why it happened, and whether it means the target cannot be reached at all. */
function describeFailure(error: unknown, url: string, timeoutMs: number): { message: string; unreachable: boolean; reason: FailureReason } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as NetworkError;
  const host = URL.canParse(url) ? new URL(url).host : url;
  const address = e.address?.includes(':') ? `[${e.address}]` : e.address;
  const peer = address !== undefined && e.port !== undefined ? `${address}:${e.port}` : host;
  if (isPlainHttp(e)) {
    return { message: `${host} answered in plain HTTP, not TLS (OpenSSL: "wrong version number"): use http:// instead of https://`, unreachable: true, reason: 'plain-http' };
  }
  switch (e.code) {
    case 'ECONNREFUSED':
      return { message: `connection refused by ${peer}`, unreachable: true, reason: 'refused' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { message: `host ${URL.canParse(url) ? new URL(url).hostname : host} not found`, unreachable: true, reason: 'other' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { message: `no route to ${peer}`, unreachable: true, reason: 'other' };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { message: `could not connect to ${host} within ${duration(timeoutMs)}`, unreachable: true, reason: 'other' };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { message: `no response within ${duration(timeoutMs)}`, unreachable: false, reason: 'timeout' };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return { message: `connection closed by ${host} before the response was complete`, unreachable: false, reason: 'other' };
    default:
      return { message: e.message ?? String(error), unreachable: false, reason: 'other' };
  }
}
