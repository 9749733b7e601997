import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** `serve --log`: readable lines, or one JSON object a line. */
export type RequestLogFormat = 'text' | 'json';

/** One answered request. Never a header, a body or a credential: only what says what happened. */
export interface RequestLogEntry {
  /** When the answer was sent, ISO 8601 in UTC. */
  time: string;
  method: string;
  /** The path and query, the query decoded and any value that could be a secret replaced by `[redacted]`. */
  path: string;
  /** null when no status line was sent: an injected reset before the headers, or a hang the client gave up on. */
  status: number | null;
  ms: number;
  /** The SCIM error's scimType and detail, for an answer of 400 or more that has them. */
  scimType?: string;
  detail?: string;
  /** The fault injected into this answer (faults/), as `x-scimulator-fault` says it: `429 Retry-After 30`, `reset before headers`. */
  fault?: string;
}

/** Query parameters whose values may be credentials (`?access_token=`, `?api_key=`, `?sig=`). */
const SECRET_NAME = /token|pass|secret|key|auth|sig|code|credential|session/i;

const REDACTED = '[redacted]';

/**
 * The request's path and decoded query, values that could be secrets redacted (a filter naming
 * the password too), and those values, to take out of an error detail that quotes them.
 */
export function loggablePath(url: string): { path: string; secrets: string[] } {
  const mark = url.indexOf('?');
  if (mark === -1) return { path: url, secrets: [] };
  const secrets: string[] = [];
  const params = [...new URLSearchParams(url.slice(mark + 1))].map(([name, value]) => {
    const secret = SECRET_NAME.test(name) || (name.toLowerCase() === 'filter' && /password/i.test(value));
    if (secret && value !== '') secrets.push(value);
    return `${name}=${secret ? REDACTED : value}`;
  });
  return { path: `${url.slice(0, mark)}?${params.join('&')}`, secrets };
}

/** The scimType and detail of a SCIM error body (RFC 7644 §3.12), when the payload is one. */
function scimErrorOf(payload: unknown): Pick<RequestLogEntry, 'scimType' | 'detail'> {
  if (typeof payload !== 'string') return {};
  try {
    const body = JSON.parse(payload) as { scimType?: unknown; detail?: unknown };
    return {
      ...(typeof body.scimType === 'string' && { scimType: body.scimType }),
      ...(typeof body.detail === 'string' && { detail: body.detail }),
    };
  } catch {
    return {};
  }
}

/** A control character as `\u001b`: text a client chose (a path, a filter a detail quotes) never reaches the terminal as one. */
const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * `2026-01-05T09:00:00.123Z GET /scim/v2/Users?filter=userName eq "ada" 400 1.2 ms — invalidFilter: …`,
 * `… GET /scim/v2/Users 429 0.3 ms [fault: 429 Retry-After 30] — …` (`-` for no status), or the entry as JSON.
 */
export function formatLogEntry(entry: RequestLogEntry, format: RequestLogFormat): string {
  // JSON escapes C0 controls itself, but not DEL and C1 (a terminal reads \u009b as an escape).
  if (format === 'json') return JSON.stringify(entry).replace(/[\u007f-\u009f]/g, escaped);
  const error = entry.scimType !== undefined || entry.detail !== undefined ? ` — ${[entry.scimType, entry.detail].filter((p) => p !== undefined).join(': ')}` : '';
  const fault = entry.fault === undefined ? '' : ` [fault: ${entry.fault}]`;
  return `${entry.time} ${entry.method} ${entry.path} ${entry.status ?? '-'} ${entry.ms} ms${fault}${error}`.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, escaped);
}

/** What the fault injection tells the log (faults/hook.ts). */
export interface RequestLog {
  /**
   * Notes the fault injected into this request's answer. It is logged with the answer, or, for an
   * answer that never completes (a reset, a truncation, a hang), when the connection closes.
   */
  fault(request: FastifyRequest, reply: FastifyReply, label: string): void;
}

/** Hooks that write one line per answered request with `write`. */
export function logRequests(app: FastifyInstance, format: RequestLogFormat, write: (line: string) => void): RequestLog {
  // The error's parts are read where the payload is still at hand, and written once the answer is sent.
  const errors = new WeakMap<FastifyRequest, Pick<RequestLogEntry, 'scimType' | 'detail'>>();
  const faults = new WeakMap<FastifyRequest, string>();
  const log = (request: FastifyRequest, reply: FastifyReply, status: number | null) => {
    const { path, secrets } = loggablePath(request.url);
    const error = errors.get(request);
    if (error?.detail !== undefined) error.detail = secrets.reduce((detail, secret) => detail.replaceAll(secret, REDACTED), error.detail);
    const fault = faults.get(request);
    const entry: RequestLogEntry = {
      time: new Date().toISOString(),
      method: request.method,
      path,
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...error,
      ...(fault !== undefined && { fault }),
    };
    write(`${formatLogEntry(entry, format)}\n`);
  };
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 400) errors.set(request, scimErrorOf(payload));
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => log(request, reply, reply.statusCode));
  return {
    fault(request, reply, label) {
      faults.set(request, label);
      // A completed answer is logged by onResponse; one cut off never gets there.
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) log(request, reply, reply.raw.headersSent ? reply.statusCode : null);
      });
    },
  };
}
