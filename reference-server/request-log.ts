import type { FastifyInstance, FastifyRequest } from 'fastify';

/** `serve --log`: readable lines, or one JSON object a line. */
export type RequestLogFormat = 'text' | 'json';

/** One answered request. Never a header, a body or a credential: only what says what happened. */
export interface RequestLogEntry {
  /** When the answer was sent, ISO 8601 in UTC. */
  time: string;
  method: string;
  /** The path and query, the query decoded and any value that could be a secret replaced by `[redacted]`. */
  path: string;
  status: number;
  ms: number;
  /** The SCIM error's scimType and detail, for an answer of 400 or more that has them. */
  scimType?: string;
  detail?: string;
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

/** `2026-01-05T09:00:00.123Z GET /scim/v2/Users?filter=userName eq "ada" 400 1.2 ms — invalidFilter: …`, or the entry as JSON. */
export function formatLogEntry(entry: RequestLogEntry, format: RequestLogFormat): string {
  // JSON escapes C0 controls itself, but not DEL and C1 (a terminal reads \u009b as an escape).
  if (format === 'json') return JSON.stringify(entry).replace(/[\u007f-\u009f]/g, escaped);
  const error = entry.scimType !== undefined || entry.detail !== undefined ? ` — ${[entry.scimType, entry.detail].filter((p) => p !== undefined).join(': ')}` : '';
  return `${entry.time} ${entry.method} ${entry.path} ${entry.status} ${entry.ms} ms${error}`.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, escaped);
}

/** Hooks that write one line per answered request with `write`. */
export function logRequests(app: FastifyInstance, format: RequestLogFormat, write: (line: string) => void): void {
  // The error's parts are read where the payload is still at hand, and written once the answer is sent.
  const errors = new WeakMap<FastifyRequest, Pick<RequestLogEntry, 'scimType' | 'detail'>>();
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 400) errors.set(request, scimErrorOf(payload));
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const { path, secrets } = loggablePath(request.url);
    const error = errors.get(request);
    if (error?.detail !== undefined) error.detail = secrets.reduce((detail, secret) => detail.replaceAll(secret, REDACTED), error.detail);
    const entry: RequestLogEntry = {
      time: new Date().toISOString(),
      method: request.method,
      path,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...error,
    };
    write(`${formatLogEntry(entry, format)}\n`);
  });
}
