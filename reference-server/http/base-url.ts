import type { FastifyRequest } from 'fastify';

/**
 * The absolute base URL the client reached the server at (scheme, Host header, base path): the
 * prefix of every `meta.location` and `Location` header, whatever name or port it was called by.
 */
export function baseUrl(request: FastifyRequest, basePath: string): string {
  return `${request.protocol}://${request.host}${basePath}`;
}
