import type { FastifyRequest } from 'fastify';

/**
 * The absolute base URL the client reached the server at (scheme, Host header, base path): the
 * prefix of every `meta.location` and `Location` header, whatever name or port it was called by.
 */
export function baseUrl(request: FastifyRequest, basePath: string): string {
  return `${request.protocol}://${request.host}${basePath}`;
}

/**
 * The longest Host header value answered: a DNS name (253 characters, RFC 1035 §2.3.4), a colon and
 * a port. The base URL is repeated in every `$ref` and `location` of a rendering, so a longer one
 * would let a client multiply the size of an answer by sending a long Host (RFC 9112 §3.2: an
 * invalid Host gets a 400).
 */
export const MAX_HOST = 300;

/** Why the request's Host cannot be a base URL's, or undefined when it can. */
export function hostRefused(request: FastifyRequest): string | undefined {
  const host = request.host;
  if (host.length <= MAX_HOST) return undefined;
  return `The Host header is ${host.length} characters long; a host name and port are at most ${MAX_HOST}`;
}
