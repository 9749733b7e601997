import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ScimError } from '../../scim/errors.js';
import { isObject } from '../../scim/schema/keys.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../scim/values/depth.js';

/** Every response's media type (RFC 7644 §3.1). */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** RFC 7644 §3.8: clients send `application/scim+json`; many send `application/json`. */
const JSON_MEDIA_TYPES = ['application/scim+json', 'application/json'];

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

// `fatal` makes invalid UTF-8 an error instead of U+FFFD, so corrupt bytes never reach a resource.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * V8's reason and position ("Expected ',' or '}' after property value … at position 29"), but never
 * its excerpts of the input, which can hold a password.
 */
function jsonErrorHint(error: unknown): string {
  const match = /^([^"]*?) (?:in|after) JSON at position (\d+)/.exec((error as Error).message);
  return match ? `: ${match[1]} at position ${match[2]}` : '';
}

function parseJsonBody(request: FastifyRequest, raw: Buffer): unknown {
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ScimError(415, undefined, 'JSON request bodies must be UTF-8 (RFC 8259 §8.1): send charset=utf-8 or no charset');
  }
  // An empty body is no body (a DELETE with a Content-Type header); routes that need one say so.
  if (raw.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw ScimError.badRequest('invalidSyntax', 'The request body is not valid UTF-8');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw ScimError.badRequest('invalidSyntax', `The request body is not valid JSON${jsonErrorHint(error)}`);
  }
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', 'The request body must be a JSON object');
  // Bounded depth keeps every recursive function downstream (PATCH, projection, copies) off the stack limit.
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    throw ScimError.badRequest('invalidSyntax', `The request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return body;
}

/**
 * Replaces fastify's body parsers: SCIM JSON (any case, with or without charset) is parsed
 * strictly; any other body type is refused with 415.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'buffer' }, (request, raw, done) => {
    try {
      done(null, parseJsonBody(request, raw as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('*', (request, _payload, done) => {
    // An announced type with nothing after it is no body at all (a DELETE from a client that always sends the header).
    const { 'content-length': length, 'transfer-encoding': encoding } = request.headers;
    if (encoding === undefined && (length === undefined || length === '0')) return done(null, undefined);
    const type = request.headers['content-type'];
    const what = type === undefined ? 'A request body without Content-Type' : 'This Content-Type';
    done(new ScimError(415, undefined, `${what} is not supported: send application/scim+json`), undefined);
  });
}
