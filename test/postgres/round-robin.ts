import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running round-robin proxy: its origin, how many requests it forwarded, and how to stop it. */
export interface RoundRobin {
  origin: string;
  forwarded: number;
  close(): Promise<void>;
}

/**
 * A load balancer in miniature, on loopback: each request goes to the next of `upstreams`
 * (origins such as http://127.0.0.1:4000), method, path, headers and body unchanged. The Host
 * header is kept, as a balancer in front of a service keeps it, so every instance writes the
 * proxy's address into meta.location.
 */
export async function startRoundRobin(upstreams: readonly string[]): Promise<RoundRobin> {
  const agent = new Agent({ keepAlive: true });
  let next = 0;
  const proxy: RoundRobin = { origin: '', forwarded: 0, close: async () => {} };
  const forward = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const upstream = new URL(upstreams[next++ % upstreams.length]!);
    proxy.forwarded++;
    const out = request({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    // An upstream that fails is the balancer's 502, which the run would show as a failure.
    out.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(out);
  };
  const server = createServer(forward);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      agent.destroy();
    });
  return proxy;
}
