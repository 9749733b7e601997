import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';

/*
 * Reading a response body from a target that may never stop sending: the bytes are counted as
 * they arrive and as they are decompressed, and the reading stops at the limit (issue 20).
 */

/** A response body over the limit: the client stopped reading it. */
export class ResponseTooLargeError extends Error {
  constructor(limit: number, coding?: string) {
    super(`response larger than ${byteSize(limit)}${coding === undefined ? '' : ` once decompressed (${coding})`}: stopped reading`);
    this.name = 'ResponseTooLargeError';
  }
}

/** `5 MB`, `512 KB`, `100 bytes`: sizes in binary units, as `--max-response-size` reads them. */
function byteSize(bytes: number): string {
  for (const [unit, size] of [['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]] as const) {
    if (bytes >= size) return `${Number.isInteger(bytes / size) ? bytes / size : (bytes / size).toFixed(1)} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** The body's bytes, read chunk by chunk; past `limit` the stream is destroyed (the connection with it) and ResponseTooLargeError thrown. */
export async function readLimited(body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown }, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      const error = new ResponseTooLargeError(limit);
      body.destroy(error);
      throw error;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

type Decoder = (bytes: Buffer, options: ZlibOptions) => Buffer;

const DECODERS: Record<string, Decoder> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  // Servers disagree on whether "deflate" is zlib-wrapped (RFC 9110 §8.4.1.2) or raw; accept both.
  deflate: (bytes, options) => {
    try {
      return inflateSync(bytes, options);
    } catch (error) {
      if (tooLarge(error)) throw error;
      return inflateRawSync(bytes, options);
    }
  },
  br: brotliDecompressSync,
  identity: (bytes) => bytes,
};

/** zlib's own error for output past `maxOutputLength`. */
function tooLarge(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
}

/**
 * The body with its Content-Encoding undone (codings apply in the order listed, so they are undone
 * from the last), no coding producing more than `limit` bytes: a client that sends
 * `Accept-Encoding: gzip,deflate`, as Okta does, gets them, and a gzip bomb stops at the limit.
 */
export function decodeBody(bytes: Buffer, contentEncoding: string | undefined, limit: number): Buffer {
  if (contentEncoding === undefined || bytes.length === 0) return bytes;
  const codings = contentEncoding.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
  return codings.reduceRight((body, coding) => {
    const decode = DECODERS[coding];
    if (!decode) throw new Error(`the response has Content-Encoding ${coding}, which the harness cannot decode`);
    try {
      return decode(body, { maxOutputLength: limit });
    } catch (error) {
      if (tooLarge(error)) throw new ResponseTooLargeError(limit, coding);
      throw new Error(`the response body is not valid ${coding} (Content-Encoding): ${(error as Error).message}`);
    }
  }, bytes);
}
