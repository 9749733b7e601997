import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** One HTTP/1.1 request as its bytes arrived: the head as written, and its header lines in order, names as cased on the wire. */
export interface RawRequest {
  method: string;
  /** The request target: `/scim/v2/Users?startIndex=1&count=2`. */
  target: string;
  /** Everything before the blank line, lines joined with CRLF. */
  head: string;
  headers: Array<[name: string, value: string]>;
  body: string;
}

/** Header values by name, case-insensitively: every value of `name` in the request, in order. */
export function headerValues(request: RawRequest, name: string): string[] {
  return request.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
}

const HEAD_END = '\r\n\r\n';

/**
 * Cuts a connection's bytes into requests. Bodies are framed by Content-Length: the harness sends
 * strings, which undici never sends chunked; a chunked request fails the test that meets it.
 */
class RequestReader {
  private pending = '';

  read(chunk: Buffer): RawRequest[] {
    this.pending += chunk.toString('latin1');
    const requests: RawRequest[] = [];
    for (;;) {
      const end = this.pending.indexOf(HEAD_END);
      if (end < 0) return requests;
      const head = this.pending.slice(0, end);
      const [line = '', ...fields] = head.split('\r\n');
      const headers = fields.map((field): [string, string] => {
        const colon = field.indexOf(':');
        return [field.slice(0, colon), field.slice(colon + 1).trim()];
      });
      if (headers.some(([name, value]) => name.toLowerCase() === 'transfer-encoding' && value !== 'identity')) throw new Error(`a chunked request: ${line}`);
      const length = Number(headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1] ?? 0);
      const start = end + HEAD_END.length;
      if (this.pending.length < start + length) return requests;
      const [method = '', target = ''] = line.split(' ');
      requests.push({ method, target, head, headers, body: Buffer.from(this.pending.slice(start, start + length), 'latin1').toString('utf8') });
      this.pending = this.pending.slice(start + length);
    }
  }
}

export interface TcpProxy {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** Every request that passed, in the order its last byte arrived, over all connections. */
  requests: RawRequest[];
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy in front of `upstream` (`http://127.0.0.1:<port>`) that forwards bytes as
 * they are and reads the requests out of them: what a target sees on the wire, below any HTTP
 * library's parsing (which would lower-case and reorder header names).
 */
export async function tcpProxy(upstream: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(upstream);
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const reader = new RequestReader();
    const onward = connect(Number(port), hostname);
    for (const socket of [client, onward]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    // A reset on one side is a reset on the other, as a target would see it.
    client.on('error', () => onward.destroy());
    onward.on('error', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      requests.push(...reader.read(chunk));
      onward.write(chunk);
    });
    client.on('end', () => onward.end());
    onward.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
