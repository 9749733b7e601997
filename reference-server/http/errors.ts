import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { StrictRefusal } from '../../scim/compat.js';
import { isScimError, ScimError, type ScimType } from '../../scim/errors.js';
import type { Profile } from '../../scim/profile/fields.js';
import { SCIM_CONTENT_TYPE } from './content-type.js';

export function sendScimError(reply: FastifyReply, error: ScimError): void {
  reply.code(error.status).type(SCIM_CONTENT_TYPE).send(error.toBody());
}

/** A profile's answer given as is (docs/profiles.md): any JSON body, not a SCIM error. */
export class CustomAnswer extends ScimError {
  constructor(
    status: number,
    readonly body: unknown,
    detail: string,
  ) {
    super(status, undefined, detail);
  }
}

/** Sends a body the profile gives, as plain JSON. */
export function sendCustom(reply: FastifyReply, status: number, body: unknown): void {
  reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** Fastify's own 4xx errors, reworded as SCIM errors that say what to do. */
function fromFrameworkError(value: unknown, request: FastifyRequest): ScimError | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const error = value as FastifyError;
  const status = error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  // A failed body stream (the client aborted) is marked 400 by fastify; its message is not ours to show.
  if (typeof error.code !== 'string' || !error.code.startsWith('FST_')) return new ScimError(status, undefined, 'The request could not be read');
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ScimError(413, undefined, `The request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ScimError(415, undefined, 'The Content-Type header is not a valid media type: send application/scim+json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return ScimError.badRequest('invalidSyntax', 'The request body does not have the length its Content-Length header announces');
    case 'FST_ERR_BAD_URL':
      return new ScimError(400, undefined, 'The URL is not valid: check its percent-encoding');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ScimError(414, undefined, 'A path segment of the URL is too long');
    default:
      // fastify's other client errors: their messages carry no request data.
      return new ScimError(status, undefined, error.message);
  }
}

/**
 * The scimTypes RFC 7644 names with a MUST or SHALL for a case: `uniqueness` for a taken userName
 * (§3.3), `invalidFilter` for an unrecognized operator or an ordered boolean (§3.4.2.2), `noTarget`
 * for a PATCH target that selects nothing (§3.5.2.2, §3.5.2.3). Elsewhere scimType is OPTIONAL (§3.12).
 */
const REQUIRED_SCIM_TYPES: ReadonlySet<ScimType> = new Set(['uniqueness', 'invalidFilter', 'noTarget']);

/** A refusal only strict mode makes, ending with how to start a lenient reference server (in code: `compat: LENIENT`). */
export function withLenientHint(error: ScimError): ScimError {
  return error instanceof StrictRefusal ? new ScimError(error.status, error.scimType, error.hinted('scimulator serve --lenient')) : error;
}

/**
 * The same error with the scimType a profile's `errors.scimType` sends: `always` as is; `required`
 * without one the RFC leaves optional; `never` without any.
 */
export function withScimTypePolicy(error: ScimError, policy: ScimTypePolicy): ScimError {
  if (error.scimType === undefined || policy === 'always' || (policy === 'required' && REQUIRED_SCIM_TYPES.has(error.scimType))) return error;
  return new ScimError(error.status, undefined, error.detail);
}

export type ScimTypePolicy = Profile['errors']['scimType'];

/**
 * The error handler of the whole server: a ScimError is answered as its RFC 7644 §3.12 body
 * (its scimType as `scimTypes` says); a fastify client error becomes the matching SCIM error;
 * anything else is a bug, logged and answered with a 500 that reveals nothing of it.
 */
export function errorHandler(scimTypes: ScimTypePolicy) {
  return function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    if (error instanceof CustomAnswer) return sendCustom(reply, error.status, error.body);
    const scim = isScimError(error) ? withLenientHint(error) : fromFrameworkError(error, request);
    if (scim) return sendScimError(reply, withScimTypePolicy(scim, scimTypes));
    request.log.error({ err: error }, 'unexpected error while answering a SCIM request');
    sendScimError(reply, new ScimError(500, undefined, 'Internal server error'));
  };
}

/** The not-found handler: an unknown route, with the base path as a hint. */
export function notFoundHandler(basePath: string) {
  return function answerNotFound(request: FastifyRequest, reply: FastifyReply): void {
    const path = request.url.split('?', 1)[0]!;
    const hint = path.startsWith(`${basePath}/`) ? '' : `: the SCIM endpoints are under ${basePath || '/'}`;
    sendScimError(reply, ScimError.notFound(`No endpoint at ${request.method} ${path.slice(0, 200)}${hint}`));
  };
}
