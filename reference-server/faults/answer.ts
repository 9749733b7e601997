import { STATUS_CODES } from 'node:http';
import { ScimError } from '../../scim/errors.js';
import { SCIM_CONTENT_TYPE } from '../http/content-type.js';
import { httpDate, parseTime, resolveTime } from './time.js';
import type { FaultAct, FaultRule } from './types.js';

/** What a rule injects, in a few words: `429 Retry-After 30`, `delay 2000 ms, then 502 HTML page`, `reset before headers`. */
export function describeAct(act: FaultAct): string {
  const delay = act.delay === undefined ? undefined : `delay ${act.delay} ms`;
  const main = describeKind(act);
  if (main === undefined) return delay!;
  return delay === undefined ? main : `${delay}, then ${main}`;
}

function describeKind(act: FaultAct): string | undefined {
  if (act.status !== undefined) {
    const retry = act.retryAfter === undefined ? '' : ` Retry-After ${typeof act.retryAfter === 'number' ? act.retryAfter : act.retryAfter.date}`;
    return `${act.status}${retry}${act.html ? ' HTML page' : ''}`;
  }
  if (act.reset !== undefined) return act.reset === 'before-headers' ? 'reset before headers' : 'reset mid-body';
  if (act.truncate !== undefined) return act.truncate === true ? 'body truncated to half' : `body truncated to ${act.truncate} bytes`;
  if (act.hang) return 'no answer';
  return undefined;
}

/** The `x-scimulator-fault` value and the request log's note: `name: description`, or the description of an unnamed rule. */
export function faultLabel(rule: FaultRule): string {
  const description = describeAct(rule.act);
  return rule.name === undefined ? description : `${rule.name}: ${description}`;
}

export interface FaultAnswer {
  status: number;
  /** Lower-case names; content-type included. */
  headers: Record<string, string>;
  body: string;
}

/**
 * The answer of a `status` act for a request arriving at `now` (epoch ms): a `Retry-After` date
 * is counted from it. Without a body: a SCIM error from 400 (RFC 7644 §3.12), an HTML page such as
 * nginx answers with `html`, nothing below 400.
 */
export function faultAnswer(act: FaultAct & { status: number }, now: number): FaultAnswer {
  const headers: Record<string, string> = {};
  if (act.retryAfter !== undefined) {
    headers['retry-after'] = typeof act.retryAfter === 'number' ? String(act.retryAfter) : httpDate(resolveTime(parseTime(act.retryAfter.date)!, now));
  }
  for (const [name, value] of Object.entries(act.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const { body, type } = answerBody(act);
  headers['content-type'] = act.contentType ?? type;
  return { status: act.status, headers, body };
}

function answerBody(act: FaultAct & { status: number }): { body: string; type: string } {
  if (act.html) return { body: typeof act.body === 'string' ? act.body : errorPage(act.status), type: 'text/html' };
  if (typeof act.body === 'string') return { body: act.body, type: 'text/plain; charset=utf-8' };
  if (act.body !== undefined) return { body: JSON.stringify(act.body), type: SCIM_CONTENT_TYPE };
  if (act.status < 400) return { body: '', type: SCIM_CONTENT_TYPE };
  return { body: JSON.stringify(new ScimError(act.status, undefined, STATUS_CODES[act.status] ?? 'Error').toBody()), type: SCIM_CONTENT_TYPE };
}

/** nginx's wording where it differs from Node's reason phrase. */
const NGINX_REASONS: Record<number, string> = { 503: 'Service Temporarily Unavailable' };

/**
 * The error page a reverse proxy in front of a SCIM service answers with, byte for byte as nginx
 * writes it (a 502 when the service is down, a 503 while it is overloaded, a 504 when it is slow).
 */
export function errorPage(status: number): string {
  const title = `${status} ${NGINX_REASONS[status] ?? STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}
