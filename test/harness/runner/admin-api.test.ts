import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { adminApi } from '../../../harness/runner/admin-api.js';

/*
 * The admin API's client against an admin API that drips its answer: each byte comes well within
 * the timeout, so only the whole request's deadline ends it (issue 20).
 */

let server: Server | undefined;
const timers = new Set<NodeJS.Timeout>();
afterEach(async () => {
  timers.forEach(clearInterval);
  timers.clear();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A server that answers 200 and then one byte every 10 ms, for ever; answers its URL. */
async function drippingServer(): Promise<string> {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => response.write(' '), 10);
    timers.add(timer);
    response.once('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
}

describe('the admin API client', () => {
  it('gives up on an answer that drips in past the run deadline, saying so', async () => {
    const url = await drippingServer();
    const admin = adminApi(url, 'admin-token-7c3e', 5_000, 200);
    const started = performance.now();
    await expect(admin.send({ api: 'fault', method: 'PUT', path: '/_scimulator/faults', expected: 204, body: { faults: [] } })).rejects.toThrow(
      /^PUT http:\/\/127\.0\.0\.1:\d+\/_scimulator\/faults got no answer: no complete answer within 200 ms \(--deadline\)$/,
    );
    expect(performance.now() - started).toBeLessThan(4_000);
    await admin.close();
  });
});
