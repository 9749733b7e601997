import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createReferenceServer } from '../../reference-server/app.js';

/**
 * How a hostile target answers the requests it picks (issue 20, findings 5 and 6):
 * - `endless`: 200 and a JSON body that never ends, written as fast as the client reads;
 * - `gzip-bomb`: 200, `Content-Encoding: gzip`, a small body that inflates to `bytes` of zeros;
 * - `large`: 200 and a body of `bytes` bytes, with its Content-Length;
 * - `drip`: 200, then one byte every `everyMs`, for ever;
 * - `hang`: no answer at all;
 * - `refuse`: the target stops listening and drops every connection: from then on, connection refused.
 */
export type HostileMode =
  | { kind: 'endless' }
  | { kind: 'gzip-bomb'; bytes: number }
  | { kind: 'large'; bytes: number }
  | { kind: 'drip'; everyMs: number }
  | { kind: 'hang' }
  | { kind: 'refuse' };

/** Which requests get the hostile answer, by method and URL (`/scim/v2/Users?…`). */
export type Picks = (method: string, url: string) => boolean;

/** The discovery endpoints: `/ServiceProviderConfig`, `/Schemas`, `/ResourceTypes`. */
export const DISCOVERY = /\/(ServiceProviderConfig|Schemas|ResourceTypes)(?:[/?]|$)/i;
/** Every request but discovery: the target passes the preflight, then fails every scenario. */
export const BEYOND_DISCOVERY: Picks = (_, url) => !DISCOVERY.test(url);

export interface HostileTarget {
  /** The SCIM base URL, `http://127.0.0.1:<port>/scim/v2`. */
  url: string;
  token: string;
  /** Bytes of hostile bodies written so far: what a client that stops reading lets through. */
  readonly written: number;
  /** How many requests got the hostile answer. */
  readonly hostile: number;
  /** How many of those the client has closed the connection of (a client that stops reading closes it). */
  readonly closed: number;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, '{"schemas":[],"id":"x"},');

/**
 * The reference server, with the requests `picks` picks (all by default) answered as `mode` says,
 * once their credentials passed: a real loopback target, so that the harness's own client, pool
 * and timeouts meet it as they would a real one.
 */
export async function hostileTarget(mode: HostileMode, picks: Picks = () => true): Promise<HostileTarget> {
  const token = 'hostile-token-4b1d';
  const server = createReferenceServer({ tokens: [token] });
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let written = 0;
  let hostile = 0;
  let closed = 0;
  // Built once: zeros compress about 1000:1.
  const bomb = mode.kind === 'gzip-bomb' ? gzipSync(Buffer.alloc(mode.bytes), { level: 9 }) : undefined;

  server.app.addHook('onRequest', async (request, reply) => {
    if (!picks(request.method, request.url)) return;
    hostile++;
    reply.hijack();
    const res = reply.raw;
    sockets.add(res.socket!);
    res.once('close', () => closed++);
    switch (mode.kind) {
      case 'endless':
        res.writeHead(200, { 'content-type': 'application/scim+json' });
        pour(res, Infinity, (n) => (written += n));
        return;
      case 'large':
        res.writeHead(200, { 'content-type': 'application/scim+json', 'content-length': String(mode.bytes) });
        pour(res, mode.bytes, (n) => (written += n));
        return;
      case 'gzip-bomb':
        res.writeHead(200, { 'content-type': 'application/scim+json', 'content-encoding': 'gzip', 'content-length': String(bomb!.length) });
        res.end(bomb);
        written += bomb!.length;
        return;
      case 'drip': {
        res.writeHead(200, { 'content-type': 'application/scim+json' });
        const timer = setInterval(() => {
          if (res.destroyed) return clearInterval(timer);
          res.write(' ');
          written++;
        }, mode.everyMs);
        timers.add(timer);
        return;
      }
      case 'hang':
        return;
      case 'refuse':
        server.app.server.close();
        server.app.server.closeAllConnections();
        res.socket?.destroy();
        return;
    }
  });
  const { url } = await server.listen();
  return {
    url,
    token,
    get written() {
      return written;
    },
    get hostile() {
      return hostile;
    },
    get closed() {
      return closed;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      server.app.server.closeAllConnections();
      await server.close().catch(() => {});
    },
  };
}

/** Writes `total` bytes (Infinity: until the client goes) as fast as the client reads them. */
function pour(res: ServerResponse, total: number, count: (n: number) => void): void {
  let left = total;
  const more = () => {
    while (left > 0 && !res.destroyed) {
      const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= chunk.length;
      count(chunk.length);
      if (left === 0) return void res.end(chunk);
      if (!res.write(chunk)) return void res.once('drain', more);
    }
  };
  more();
}
