import type { Exchange } from '../harness/result.js';

/** What the transcript shows instead of a secret (harness/http/redact.ts). */
const REDACTED = '[redacted]';

/** Headers curl computes itself, or that only describe the connection. */
const LEFT_TO_CURL = new Set(['content-length', 'host', 'connection', 'transfer-encoding', 'keep-alive']);

/** One shell word, whatever the text: single quotes, each `'` written as `'\''`. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A double-quoted shell word that expands `$variable` (the rest escaped). */
function withVariable(before: string, variable: string): string {
  return `"${before.replace(/[\\"$`]/g, '\\$&')}$${variable}"`;
}

/**
 * The credential header, which the transcript only has redacted, as a shell variable: a Bearer
 * token becomes `$SCIM_TOKEN`, Basic credentials `-u "$SCIM_USER:$SCIM_PASSWORD"`, a header
 * redacted whole (`--auth-header`) `$SCIM_TOKEN`. Other headers are replayed as recorded.
 */
function headerOption(name: string, value: string): string[] {
  const lower = name.toLowerCase();
  if (value === REDACTED) return ['-H', withVariable(`${name}: `, 'SCIM_TOKEN')];
  if (lower !== 'authorization' || !value.includes(REDACTED)) return ['-H', shellQuote(`${name}: ${value}`)];
  const scheme = /^(\S+)\s/.exec(value)?.[1] ?? 'Bearer';
  if (scheme.toLowerCase() === 'basic') return ['-u', withVariable('', 'SCIM_USER:$SCIM_PASSWORD')];
  return ['-H', withVariable(`Authorization: ${scheme} `, 'SCIM_TOKEN')];
}

/** `-X` unless curl would choose the method itself: GET without a body. */
function methodOption(method: string, hasBody: boolean): string[] {
  const upper = method.toUpperCase();
  if (upper === 'GET' && !hasBody) return [];
  if (upper === 'HEAD') return ['--head'];
  return ['-X', /^[A-Z]+$/.test(upper) ? upper : shellQuote(upper)];
}

/**
 * A curl command that replays an exchange's request, one option a line. Secrets stay out: the
 * credentials are read from the environment, and a redacted body value is replayed as the text
 * `[redacted]`.
 */
export function curlCommand(exchange: Exchange): string {
  const { method, url, headers, body } = exchange.request;
  const words: string[][] = [['curl', ...methodOption(method, body !== undefined), shellQuote(url)]];
  for (const [name, value] of Object.entries(headers)) {
    if (!LEFT_TO_CURL.has(name.toLowerCase())) words.push(headerOption(name, value));
  }
  if (body) {
    const data = body.json !== undefined ? JSON.stringify(body.json) : (body.text ?? '');
    words.push(['--data-raw', shellQuote(data)]);
  }
  return words.map((w) => w.join(' ')).join(' \\\n  ');
}
