import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { URN } from '../../../scim/schema/urns.js';

/** How the fake target answers a POST /Users, a lookup by filter, and a DELETE of a stored user. */
export interface Behaviour {
  /**
   * `reset`, `too-large`, `no-location`: the user is stored, and the answer lost. `reset-unstored`:
   * the connection is reset before the user is stored. `gateway-NNN`: the user is stored once (a
   * repeated POST stores no second one) and a gateway answers NNN, its HTML page. `error-NNN`: NNN,
   * a SCIM error, and nothing stored. `retried-NNN`: the first POST stores the user and a gateway
   * answers NNN; a repeat is answered 201, its Location naming the user in another form than
   * `<endpoint>/<id>` (percent-encoded id, trailing slash), as a proxy in front of a target may.
   * `again-NNN`: the other way round, the first POST answered 201 so, a repeat NNN by a gateway.
   */
  create: 'reset' | 'reset-unstored' | 'too-large' | 'no-location' | `gateway-${number}` | `error-${number}` | `retried-${number}` | `again-${number}`;
  lookup: 'list' | 'refuse' | 'fail' | 'ignore-filter';
  /** `deletes` (the default); or the DELETE is answered 403, 500, a plain 404 page, or reset; the user stays. */
  remove?: 'deletes' | 'forbidden' | 'error-500' | 'plain-404' | 'reset';
  /** Someone else creates a user of the same name, `someone-else`, when the first POST arrives: the target does not keep names unique. */
  stranger?: boolean;
}

export const TOKEN = 'lost-creates-token';

const GATEWAY_PAGE = (status: number) => `<html><head><title>${status} Gateway Time-out</title></head><body><center><h1>${status}</h1></center></body></html>`;

/** A loopback SCIM target that stores users, and answers their creation as `behaviour` says; `seen` is every request line, in order. */
export async function fakeTarget(behaviour: Behaviour) {
  const users = new Map<string, string>();
  const seen: string[] = [];
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/scim+json' });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, detail: string) => json(res, status, { schemas: [URN.error], status: String(status), detail });
  const list = (entries: [string, string][]) =>
    ({ schemas: [URN.listResponse], totalResults: entries.length, Resources: entries.map(([id, userName]) => ({ schemas: [URN.user], id, userName })) });
  const ours = new Set<string>();
  const store = (body: string) => {
    const { userName } = JSON.parse(body) as { userName: string };
    const stored = [...ours].find((id) => users.get(id) === userName);
    if (stored !== undefined) return stored;
    const id = `u${ours.size + 1}`;
    users.set(id, userName);
    ours.add(id);
    if (behaviour.stranger) users.set('someone-else', userName);
    return id;
  };
  const create = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const { create } = behaviour;
    if (create === 'reset-unstored') return req.socket.destroy();
    const failed = /^(gateway|error)-(\d+)$/.exec(create);
    if (failed?.[1] === 'error') return error(res, Number(failed[2]), 'the user store is unavailable');
    const repeat = ours.size > 0;
    const id = store(body);
    const twice = /^(retried|again)-(\d+)$/.exec(create);
    if (twice && (twice[1] === 'retried') === repeat) {
      const location = `http://${req.headers.host}/scim/v2/Users/${[...id].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('')}/`;
      res.writeHead(201, { 'content-type': 'application/scim+json', location });
      return res.end(JSON.stringify({ schemas: [URN.user], id, userName: users.get(id) }));
    }
    if (twice) {
      res.writeHead(Number(twice[2]), { 'content-type': 'text/html' });
      return res.end(GATEWAY_PAGE(Number(twice[2])));
    }
    if (failed) {
      res.writeHead(Number(failed[2]), { 'content-type': 'text/html' });
      return res.end(GATEWAY_PAGE(Number(failed[2])));
    }
    if (create === 'reset') return req.socket.destroy();
    if (create === 'no-location') return json(res, 201, { schemas: [URN.user], userName: users.get(id) });
    res.writeHead(201, { 'content-type': 'application/scim+json' });
    res.end(JSON.stringify({ schemas: [URN.user], id, padding: 'x'.repeat(8 * 1024) }));
  };
  const remove = (req: IncomingMessage, res: ServerResponse, id: string) => {
    if (!users.has(id)) return error(res, 404, 'not found');
    switch (behaviour.remove ?? 'deletes') {
      case 'forbidden':
        return error(res, 403, 'deleting users is not allowed');
      case 'error-500':
        return error(res, 500, 'database unavailable');
      case 'plain-404':
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('Not Found');
      case 'reset':
        return req.socket.destroy();
      case 'deletes':
        users.delete(id);
        res.writeHead(204);
        return res.end();
    }
  };
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    seen.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return error(res, 401, 'unauthorised');
    if (url.pathname === '/scim/v2/ServiceProviderConfig') return json(res, 200, { schemas: [URN.serviceProviderConfig], filter: { supported: true, maxResults: 100 } });
    if (req.method === 'POST' && url.pathname === '/scim/v2/Users') return create(req, res, body);
    if (req.method === 'GET' && url.pathname === '/scim/v2/Users') {
      if (behaviour.lookup === 'refuse') return json(res, 400, { schemas: [URN.error], status: '400', scimType: 'invalidFilter', detail: 'filters are not supported' });
      if (behaviour.lookup === 'fail') return error(res, 500, 'database unavailable');
      if (behaviour.lookup === 'ignore-filter') return json(res, 200, list([...users, ['other', 'someone-else']]));
      const wanted = /^userName eq "(.*)"$/.exec(url.searchParams.get('filter') ?? '')?.[1];
      return json(res, 200, list([...users].filter(([, userName]) => wanted === undefined || userName === wanted)));
    }
    const id = /^\/scim\/v2\/Users\/([^/]+)\/?$/.exec(url.pathname)?.[1];
    if (req.method === 'DELETE' && id !== undefined) return remove(req, res, decodeURIComponent(id));
    error(res, 404, 'not found');
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    users,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type FakeTarget = Awaited<ReturnType<typeof fakeTarget>>;
