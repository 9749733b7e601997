import type { Socket } from 'node:net';
import { ScimError } from '../../scim/errors.js';
import { SCIM_CONTENT_TYPE } from './content-type.js';

/** The most bytes of request line and headers read (Node's http `maxHeaderSize`, set explicitly so no flag changes it). */
export const MAX_HEADER_BYTES = 16 * 1024;

/** How long a refused connection is drained before it is dropped: time for the client to read the answer and close. */
const DRAIN_MS = 5_000;

/** The sockets already answered: Node's parser reports each later chunk of a broken request again. */
const answered = new WeakSet<Socket>();

/** The SCIM error for an error Node's HTTP parser raised before any route saw the request. */
function scimErrorFor(error: NodeJS.ErrnoException): ScimError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new ScimError(
        431,
        undefined,
        `The request line and headers are larger than ${MAX_HEADER_BYTES} bytes: send a long filter in the body of POST /Users/.search, /Groups/.search or /.search (RFC 7644 §3.4.3)`,
      );
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new ScimError(413, undefined, 'The chunk extensions of the request body are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ScimError(408, undefined, 'The request did not arrive in time');
    default: {
      // llhttp's codes name the fault and carry no request data; other errors say nothing.
      const reason = /^HPE_[A-Z_]+$/.test(error.code ?? '') ? ` (${error.code})` : '';
      return new ScimError(400, undefined, `The request is not valid HTTP/1.1${reason}`);
    }
  }
}

function rawResponse(error: ScimError): string {
  const body = JSON.stringify(error.toBody());
  return [
    `HTTP/1.1 ${error.status} ${STATUS_TEXT[error.status] ?? 'Error'}`,
    `Content-Type: ${SCIM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    // The rest of the request cannot be told from the next one: the socket is not reused.
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 413: 'Content Too Large', 431: 'Request Header Fields Too Large' };

/**
 * The HTTP server's `clientError` handler (in place of fastify's, which answers its own JSON and
 * destroys the socket): malformed HTTP, headers over MAX_HEADER_BYTES, a request that took too
 * long. Answers an RFC 7644 §3.12 error with `Connection: close`, unless a response has begun on
 * the socket, then closes it gracefully: what the client still sends is read and dropped for a
 * while, since closing a socket with unread data resets it and can discard the answer before the
 * client reads it.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && inFlight?.headersSent !== true) socket.end(rawResponse(scimErrorFor(error)));
  else socket.end();
  socket.resume();
  const drop = setTimeout(() => socket.destroy(), DRAIN_MS);
  drop.unref();
  socket.once('close', () => clearTimeout(drop));
}
