import { Agent, DecoratorHandler, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import { decodeBody } from '../http/body.js';
import type { Redactor } from '../http/redact.js';
import type { WireExchange } from './format.js';

/** Bytes of each body kept, as in the transcript: a recording stays small enough to attach to a ticket. */
const RECORDED_BODY_CAP = 256 * 1024;

/** Headers that describe the bytes as sent, not the (decoded) body the recording keeps. */
const BYTE_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding']);

function headerRecord(headers: IncomingHttpHeaders | Dispatcher.DispatchOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === null || headers === undefined) return out;
  const entries: [string, unknown][] = Array.isArray(headers)
    ? Array.from({ length: Math.floor(headers.length / 2) }, (_, i) => [String(headers[2 * i]), headers[2 * i + 1]])
    : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  }
  return out;
}

/** A body as recorded: redacted (as JSON when it is JSON, so that password members go too), then cut at the cap. */
export function bodyRecord(text: string, redactor: Redactor): { body: string; truncated?: boolean } {
  let redacted: string;
  try {
    redacted = JSON.stringify(redactor.json(JSON.parse(text) as unknown));
  } catch {
    redacted = redactor.bodyText(text);
  }
  const bytes = Buffer.from(redacted, 'utf8');
  if (bytes.length <= RECORDED_BODY_CAP) return { body: redacted };
  return { body: new TextDecoder().decode(bytes.subarray(0, RECORDED_BODY_CAP), { stream: true }), truncated: true };
}

/** Records one exchange as undici reports it, and hands it to `done` once it ended, answered or not. */
class RecordingHandler implements Dispatcher.DispatchHandler {
  /** The caller's handler, in undici's current handler interface whichever it was written in (its `request()` uses the older). */
  private readonly inner: Dispatcher.DispatchHandler;
  private status = 0;
  private headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private readonly started = performance.now();
  private readonly startedAt = new Date().toISOString();

  constructor(
    handler: Dispatcher.DispatchHandler,
    private readonly request: Dispatcher.DispatchOptions,
    private readonly redactor: Redactor,
    private readonly done: (exchange: WireExchange) => void,
  ) {
    this.inner = new DecoratorHandler(handler) as Dispatcher.DispatchHandler;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: Duplex): void {
    this.inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    this.status = statusCode;
    this.headers = headerRecord(headers);
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    // Kept up to what a recorded body may hold once decoded (compression aside): the client bounds the rest.
    if (this.size <= RECORDED_BODY_CAP * 4) this.chunks.push(chunk);
    this.size += chunk.length;
    this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    let text: string;
    try {
      text = decodeBody(Buffer.concat(this.chunks), this.headers['content-encoding'], RECORDED_BODY_CAP * 4).toString('utf8');
    } catch {
      text = '';
    }
    const headers = Object.fromEntries(Object.entries(this.redactor.headers(this.headers)).filter(([name]) => !BYTE_HEADERS.has(name)));
    this.finish({ response: { status: this.status, headers, ...bodyRecord(text, this.redactor) } });
    this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    const code = (error as { code?: unknown }).code;
    this.finish({ error: { message: this.redactor.text(error.message), ...(typeof code === 'string' && { code }) } });
    this.inner.onResponseError?.(controller, error);
  }

  private finish(outcome: Pick<WireExchange, 'response' | 'error'>): void {
    const body = this.request.body;
    this.done({
      method: this.request.method,
      path: this.redactor.text(this.request.path),
      requestHeaders: this.redactor.headers(headerRecord(this.request.headers)),
      ...(typeof body === 'string' && body !== '' && { requestBody: bodyRecord(body, this.redactor).body }),
      ...outcome,
      startedAt: this.startedAt,
      durationMs: Math.round((performance.now() - this.started) * 10) / 10,
    });
  }
}

/** Where a served reference server takes a new SCIM key (`serve --admin-token`, docs/profiles.md): a `rotateToken` step. */
const KEY_PATH = '/_scimulator/token';

/** The key a request gives the target's key API, or undefined for any other request. */
function newKey(request: Dispatcher.DispatchOptions): string | undefined {
  if (request.method !== 'POST' || request.path.split('?')[0] !== KEY_PATH || typeof request.body !== 'string') return undefined;
  try {
    const { token } = JSON.parse(request.body) as { token?: unknown };
    return typeof token === 'string' ? token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A dispatcher that sends as the client's own pool would and records every exchange in the order
 * the requests were sent — discovery, probes, steps and cleanup alike — redacted with `redactor`,
 * and with every key a rotation gives the target from that request on: it is a credential too.
 */
export function recordingDispatcher(redactor: Redactor, timeoutMs: number): { dispatcher: Dispatcher; exchanges: WireExchange[]; close(): Promise<void> } {
  const agent = new Agent({ connections: 8, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: timeoutMs } });
  const slots: (WireExchange | undefined)[] = [];
  let current = redactor;
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    const key = newKey(options);
    if (key !== undefined) current = current.withSecrets([key]);
    // Its place is taken when it is sent: the replay answers requests in the order they were sent.
    const slot = slots.push(undefined) - 1;
    return dispatch(options, new RecordingHandler(handler, options, current, (exchange) => (slots[slot] = exchange)));
  });
  return {
    dispatcher,
    get exchanges() {
      return slots.filter((exchange) => exchange !== undefined);
    },
    close: () => agent.close(),
  };
}
